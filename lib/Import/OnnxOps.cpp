//===- OnnxOps.cpp - default-domain ONNX operators ------------------------===//
//
// Each operator lists the versions ONNX defined up to opset 24 and the ones
// tfmc implements. Older forms are rewritten into the newest one here, so
// tfm ops have one semantics (attributes that became inputs are constants).
//
//===----------------------------------------------------------------------===//

#include "NodeImporter.h"

#include "tfmc/Dialect/Tfm.h"

using namespace mlir;
using namespace tfmc;

namespace {

NodeHandler oneToOne(llvm::StringRef opName, unsigned segments = 0) {
  std::string name = opName.str();
  return [name, segments](NodeImporter &n) { return importOneToOne(n, name, segments); };
}

/// The node's inputs with optional attribute `attrName` appended as an i64
/// constant input (for versions that had it as an attribute).
FailureOr<SmallVector<Value>> withAttrAsInput(NodeImporter &n, llvm::StringRef attrName) {
  if (n.numInputs() > 1)
    return n.fail("takes one input at version " + Twine(n.version) + " ('" + attrName +
                  "' is an attribute)");
  SmallVector<Value> operands;
  for (size_t i = 0; i < n.numInputs(); ++i)
    operands.push_back(n.input(i));
  auto values = n.intsAttr(attrName);
  if (failed(values))
    return failure();
  if (*values)
    operands.push_back(n.constantI64(**values));
  return operands;
}

/// Squeeze, Unsqueeze and the reductions had `axes` as an attribute before
/// becoming an input; Unsqueeze requires it in either form.
NodeHandler axesOp(llvm::StringRef opName, int axesInputSince,
                   llvm::ArrayRef<llvm::StringRef> otherAttrs, bool axesRequired = false) {
  std::string name = opName.str();
  std::vector<llvm::StringRef> allowed(otherAttrs.begin(), otherAttrs.end());
  return [name, axesInputSince, allowed, axesRequired](NodeImporter &n) -> LogicalResult {
    if (n.version >= axesInputSince) {
      if (axesRequired && failed(n.requireInputs({1})))
        return failure();
      return importOneToOne(n, name);
    }
    std::vector<llvm::StringRef> withAxes = allowed;
    withAxes.push_back("axes");
    if (failed(n.checkAttributes(withAxes)))
      return failure();
    if (axesRequired && !n.attr("axes"))
      return n.fail("attribute 'axes' is required at version " + Twine(n.version));
    FailureOr<SmallVector<Value>> operands = withAttrAsInput(n, "axes");
    if (failed(operands))
      return failure();
    SmallVector<NamedAttribute> attrs;
    for (llvm::StringRef a : allowed) {
      FailureOr<int64_t> v = n.intAttr(a, -1);
      if (failed(v))
        return failure();
      if (n.attr(a))
        attrs.push_back(n.named(a, n.si64(*v)));
    }
    FailureOr<Value> r = n.create1(name, *operands, attrs);
    if (failed(r))
      return failure();
    n.setOutput(0, *r);
    return success();
  };
}

/// tfm.cast of input 0 to `to`, for Cast and CastLike.
LogicalResult importCastTo(NodeImporter &n, Type to) {
  FailureOr<int64_t> saturate = n.intAttr("saturate", 1);
  FailureOr<std::string> round = n.stringAttr("round_mode", "up");
  if (failed(saturate) || failed(round))
    return failure();
  if (*round != "up")
    return n.fail("round_mode '" + *round + "' is not supported");
  FailureOr<Value> r = n.create1("tfm.cast", {n.input(0)},
                                 {n.named("to", TypeAttr::get(to)),
                                  n.named("saturate", n.builder.getBoolAttr(*saturate != 0))});
  if (failed(r))
    return failure();
  n.setOutput(0, *r);
  return success();
}

LogicalResult importCast(NodeImporter &n) {
  if (failed(n.checkAttributes({"to", "saturate", "round_mode"})))
    return failure();
  FailureOr<int64_t> to = n.intAttr("to", -1);
  if (failed(to))
    return failure();
  FailureOr<Type> type = n.elementType(*to, "attribute 'to'");
  if (failed(type))
    return failure();
  return importCastTo(n, *type);
}

/// CastLike: Cast to the element type of input 1, whose values are unused.
LogicalResult importCastLike(NodeImporter &n) {
  if (failed(n.checkAttributes({"saturate", "round_mode"})))
    return failure();
  return importCastTo(n, cast<ShapedType>(n.input(1).getType()).getElementType());
}

LogicalResult importConstant(NodeImporter &n) {
  if (n.node.attribute_size() != 1)
    return n.fail("expected exactly one value attribute");
  const onnx::AttributeProto &a = n.node.attribute(0);
  using onnx::AttributeProto;
  static const llvm::StringMap<AttributeProto::AttributeType> kinds = {
      {"value", AttributeProto::TENSOR},     {"value_float", AttributeProto::FLOAT},
      {"value_floats", AttributeProto::FLOATS}, {"value_int", AttributeProto::INT},
      {"value_ints", AttributeProto::INTS}};
  auto kind = kinds.find(a.name());
  if (kind == kinds.end())
    return n.fail("attribute '" + a.name() + "' is not supported");
  // Reading a field of another kind would silently give its default.
  if (a.type() != kind->second)
    return n.fail("attribute '" + a.name() + "' must be " + attrTypeName(kind->second) +
                  ", got " + attrTypeName(a.type()));
  MLIRContext *ctx = n.builder.getContext();
  ElementsAttr value;
  auto make = [&](Type element, auto values, bool scalar) {
    SmallVector<int64_t> shape;
    if (!scalar)
      shape.push_back(values.size());
    return DenseElementsAttr::get(RankedTensorType::get(shape, element), values);
  };
  if (a.name() == "value") {
    FailureOr<ElementsAttr> t = n.tensor(a.t());
    if (failed(t))
      return failure();
    value = *t;
  } else if (a.name() == "value_float") {
    value = make(Float32Type::get(ctx), ArrayRef<float>{a.f()}, true);
  } else if (a.name() == "value_floats") {
    value = make(Float32Type::get(ctx), ArrayRef<float>(llvm::to_vector(a.floats())), false);
  } else if (a.name() == "value_int") {
    value = make(IntegerType::get(ctx, 64), ArrayRef<int64_t>{a.i()}, true);
  } else {
    value = make(IntegerType::get(ctx, 64), ArrayRef<int64_t>(llvm::to_vector(a.ints())), false);
  }
  FailureOr<Value> r = n.create1("tfm.constant", {}, {n.named("value", value)});
  if (failed(r))
    return failure();
  n.setOutput(0, *r);
  return success();
}

/// Softmax and LogSoftmax before opset 13 normalize the input flattened to
/// 2-D at `axis` (default 1); opset 13 normalizes along `axis` alone.
NodeHandler softmaxOp(llvm::StringRef opName) {
  std::string name = opName.str();
  return [name](NodeImporter &n) -> LogicalResult {
    if (n.version >= 13)
      return importOneToOne(n, name);
    if (failed(n.checkAttributes({"axis"})))
      return failure();
    FailureOr<int64_t> axis = n.intAttr("axis", 1);
    if (failed(axis))
      return failure();
    Value x = n.input(0);
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    int64_t a = *axis < 0 ? *axis + rank : *axis;
    if (a == rank - 1) {
      FailureOr<Value> r = n.create1(name, {x}, {n.named("axis", n.si64(a))});
      if (failed(r))
        return failure();
      n.setOutput(0, *r);
      return success();
    }
    FailureOr<Value> flat = n.create1("tfm.flatten", {x}, {n.named("axis", n.si64(a))});
    if (failed(flat))
      return failure();
    FailureOr<Value> y = n.create1(name, {*flat}, {n.named("axis", n.si64(1))});
    if (failed(y))
      return failure();
    FailureOr<Value> shape = n.create1("tfm.shape", {x});
    if (failed(shape))
      return failure();
    FailureOr<Value> r = n.create1("tfm.reshape", {*y, *shape});
    if (failed(r))
      return failure();
    n.setOutput(0, *r);
    return success();
  };
}

LogicalResult importSplit(NodeImporter &n) {
  // `split` was an attribute before opset 13; `num_outputs` came with 18.
  bool splitIsAttr = n.version < 13;
  if (failed(n.checkAttributes({"axis", splitIsAttr ? "split" : "",
                                n.version >= 18 ? "num_outputs" : ""})))
    return failure();
  FailureOr<int64_t> axis = n.intAttr("axis", 0);
  FailureOr<int64_t> numOutputs = n.intAttr("num_outputs", n.numOutputs());
  if (failed(axis) || failed(numOutputs))
    return failure();
  if (*numOutputs != static_cast<int64_t>(n.numOutputs()))
    return n.fail("num_outputs is " + Twine(*numOutputs) + " but the node has " +
                  Twine(n.numOutputs()) + " outputs");
  SmallVector<Value> present;
  if (splitIsAttr) {
    FailureOr<SmallVector<Value>> operands = withAttrAsInput(n, "split");
    if (failed(operands))
      return failure();
    present = *operands;
  } else {
    present.push_back(n.input(0));
    if (n.input(1))
      present.push_back(n.input(1));
  }
  FailureOr<Operation *> op =
      n.create("tfm.split", present, {n.named("axis", n.si64(*axis))}, n.numOutputs());
  if (failed(op))
    return failure();
  n.setOutputs(*op);
  return success();
}

LogicalResult importDropout(NodeImporter &n) {
  if (n.version >= 12)
    return importOneToOne(n, "tfm.dropout", 3);
  // Before opset 12 the ratio is an attribute and inference is implied.
  if (failed(n.checkAttributes({"ratio", "is_test"})))
    return failure();
  if (n.numInputs() > 1)
    return n.fail("takes one input at version " + Twine(n.version));
  FailureOr<float> ratio = n.floatAttr("ratio", 0.5f);
  if (failed(ratio))
    return failure();
  FailureOr<Operation *> op =
      n.create("tfm.dropout", {n.input(0), n.constantF32(*ratio)}, {}, n.numOutputs(),
               {1, 1, 0});
  if (failed(op))
    return failure();
  n.setOutputs(*op);
  return success();
}

LogicalResult importGelu(NodeImporter &n) {
  if (failed(n.checkAttributes({"approximate"})))
    return failure();
  FailureOr<std::string> approx = n.stringAttr("approximate", "none");
  if (failed(approx))
    return failure();
  std::optional<tfm::GeluApproximation> kind = tfm::symbolizeGeluApproximation(*approx);
  if (!kind || *kind == tfm::GeluApproximation::sigmoid)
    return n.fail("approximate must be 'none' or 'tanh', got '" + *approx + "'");
  FailureOr<Value> r = n.create1(
      "tfm.gelu", {n.input(0)},
      {n.named("approximate", tfm::GeluApproximationAttr::get(n.builder.getContext(), *kind))});
  if (failed(r))
    return failure();
  n.setOutput(0, *r);
  return success();
}

LogicalResult importLayerNorm(NodeImporter &n) {
  FailureOr<NormAttributes> attrs = readNormAttributes(n);
  if (failed(attrs))
    return failure();
  SmallVector<Value> operands{n.input(0), n.input(1)};
  if (n.input(2))
    operands.push_back(n.input(2));
  FailureOr<Operation *> op = n.create(
      "tfm.layer_norm", operands,
      {n.named("axis", n.si64(attrs->axis)),
       n.named("epsilon", n.builder.getF32FloatAttr(attrs->epsilon)),
       n.named("stash_type", n.si64(attrs->stashType))},
      1 + n.hasOutput(1) + n.hasOutput(2), {}, {1, n.hasOutput(1), n.hasOutput(2)});
  if (failed(op))
    return failure();
  unsigned next = 0;
  for (size_t i = 0; i < 3; ++i)
    if (i == 0 || n.hasOutput(i))
      n.setOutput(i, (*op)->getResult(next++));
  return success();
}

LogicalResult importBatchNorm(NodeImporter &n) {
  if (failed(n.checkAttributes({"epsilon", "momentum", "training_mode"})))
    return failure();
  FailureOr<int64_t> training = n.intAttr("training_mode", 0);
  FailureOr<float> eps = n.floatAttr("epsilon", 1e-5f), momentum = n.floatAttr("momentum", 0.9f);
  if (failed(training) || failed(eps) || failed(momentum))
    return failure();
  int32_t stats = n.numOutputs() > 1 ? 1 : 0;
  if (stats && (!n.hasOutput(1) || !n.hasOutput(2)))
    return n.fail("running_mean and running_var go together");
  FailureOr<Operation *> op = n.create(
      "tfm.batch_norm", {n.input(0), n.input(1), n.input(2), n.input(3), n.input(4)},
      {n.named("epsilon", n.builder.getF32FloatAttr(*eps)),
       n.named("momentum", n.builder.getF32FloatAttr(*momentum)),
       n.named("training_mode", n.si64(*training))},
      1 + 2 * stats, {}, {1, stats, stats});
  if (failed(op))
    return failure();
  n.setOutputs(*op);
  return success();
}

/// Quantization attributes by the version that introduced them: axis (13),
/// saturate (19, QuantizeLinear), block_size and output_dtype (21).
LogicalResult checkQuantAttributes(NodeImporter &n, bool quantize) {
  int64_t v = n.version;
  return n.checkAttributes({v >= 13 ? "axis" : "", quantize && v >= 19 ? "saturate" : "",
                            v >= 21 ? "block_size" : "",
                            quantize && v >= 21 ? "output_dtype" : ""});
}

LogicalResult importDequantizeLinear(NodeImporter &n) {
  if (failed(checkQuantAttributes(n, /*quantize=*/false)))
    return failure();
  return importOneToOne(n, "tfm.dequantize_linear");
}

LogicalResult importQuantizeLinear(NodeImporter &n) {
  if (failed(checkQuantAttributes(n, /*quantize=*/true)))
    return failure();
  SmallVector<NamedAttribute> attrs;
  for (llvm::StringRef name : {"axis", "block_size", "saturate"}) {
    if (!n.attr(name))
      continue;
    FailureOr<int64_t> v = n.intAttr(name, 0);
    if (failed(v))
      return failure();
    attrs.push_back(n.named(name, n.si64(*v)));
  }
  if (n.attr("output_dtype")) {
    FailureOr<int64_t> dtype = n.intAttr("output_dtype", 0);
    if (failed(dtype))
      return failure();
    FailureOr<Type> type = n.elementType(*dtype, "output_dtype");
    if (failed(type))
      return failure();
    attrs.push_back(n.named("output_dtype", TypeAttr::get(*type)));
  }
  SmallVector<Value> operands{n.input(0), n.input(1)};
  if (n.input(2))
    operands.push_back(n.input(2));
  FailureOr<Value> r = n.create1("tfm.quantize_linear", operands, attrs);
  if (failed(r))
    return failure();
  n.setOutput(0, *r);
  return success();
}

/// If: both branches become regions of tfm.if; their nodes read the outer
/// scope by name and their outputs are yielded.
LogicalResult importIf(NodeImporter &n) {
  if (failed(n.checkAttributes({"then_branch", "else_branch"})))
    return failure();
  const char *names[2] = {"then_branch", "else_branch"};
  const onnx::GraphProto *branches[2];
  for (int i = 0; i < 2; ++i) {
    const onnx::AttributeProto *a = n.attr(names[i]);
    if (!a)
      return n.fail("attribute '" + Twine(names[i]) + "' is required");
    if (a->type() != onnx::AttributeProto::GRAPH)
      return n.fail("attribute '" + Twine(names[i]) + "' must be a GRAPH, got " +
                    attrTypeName(a->type()));
    branches[i] = &a->g();
  }
  if (!n.importSubgraph)
    return n.fail("internal: no subgraph importer");
  size_t numResults = n.node.output_size();
  OperationState state(n.loc, tfm::IfOp::getOperationName());
  state.addOperands(n.input(0));
  state.addRegion();
  state.addRegion();
  // Placeholders; inference below sets the real types.
  state.addTypes(SmallVector<Type>(numResults, UnrankedTensorType::get(n.builder.getF32Type())));
  auto op = cast<tfm::IfOp>(n.builder.create(state));
  // ONNX runs only the taken branch: when the condition is known now, the
  // other one need not make sense for these shapes (torch guards a Squeeze
  // of a dim it cannot prove is 1 this way).
  std::optional<bool> known = op.getStaticCondition();
  bool deadFailed = false;
  for (int i = 0; i < 2; ++i) {
    Block *block = &op->getRegion(i).emplaceBlock();
    bool dead = known && *known != (i == 0);
    // The graph importer records and names a failure inside a live branch.
    FailureOr<SmallVector<Value>> outputs =
        n.importSubgraph(*branches[i], block, names[i], dead);
    if (failed(outputs) && dead) {
      deadFailed = true;
      continue;
    }
    if (failed(outputs))
      return failure();
    if (outputs->size() != numResults)
      return n.fail(Twine(names[i]) + " has " + Twine(outputs->size()) +
                    " outputs but the node has " + Twine(numResults));
    OpBuilder::InsertionGuard guard(n.builder);
    n.builder.setInsertionPointToEnd(block);
    tfm::YieldOp::create(n.builder, n.loc, *outputs);
  }
  if (deadFailed) {
    // A dead branch that does not import goes with the If: the taken
    // branch's ops take its place.
    tfm::YieldOp yield = *known ? op.thenYield() : op.elseYield();
    Block *taken = yield->getBlock();
    op->getBlock()->getOperations().splice(Block::iterator(op), taken->getOperations(),
                                           taken->begin(), Block::iterator(yield));
    for (auto [i, v] : llvm::enumerate(yield.getValues()))
      n.setOutput(i, v);
    op->erase();
    return success();
  }
  SmallVector<Type> types;
  // Inference reports its own error through the diagnostic handler.
  if (failed(op.inferResultTypes(types)))
    return failure();
  for (auto [result, type] : llvm::zip(op->getResults(), types))
    result.setType(type);
  n.setOutputs(op);
  return success();
}

/// Versions whose semantics the one-to-one mapping covers.
using V = std::vector<int>;

} // namespace

const llvm::StringMap<OpEntry> &tfmc::onnxOpTable() {
  static const llvm::StringMap<OpEntry> table = [] {
    llvm::StringMap<OpEntry> t;
    auto add = [&](const char *op, const char *becomes, V history, V supported, Arity arity,
                   NodeHandler h) {
      t[op] = OpEntry{std::move(history), std::move(supported), arity, std::move(h), becomes};
    };
    // Elementwise.
    add("Add", "tfm.add", {1, 6, 7, 13, 14}, {7, 13, 14}, {2, 2, 1}, oneToOne("tfm.add"));
    add("Sub", "tfm.sub", {1, 6, 7, 13, 14}, {7, 13, 14}, {2, 2, 1}, oneToOne("tfm.sub"));
    add("Mul", "tfm.mul", {1, 6, 7, 13, 14}, {7, 13, 14}, {2, 2, 1}, oneToOne("tfm.mul"));
    add("Div", "tfm.div", {1, 6, 7, 13, 14}, {7, 13, 14}, {2, 2, 1}, oneToOne("tfm.div"));
    add("Pow", "tfm.pow", {1, 7, 12, 13, 15}, {7, 12, 13, 15}, {2, 2, 1}, oneToOne("tfm.pow"));
    add("Mod", "tfm.mod", {10, 13}, {10, 13}, {2, 2, 1}, oneToOne("tfm.mod"));
    add("And", "tfm.and", {1, 7}, {7}, {2, 2, 1}, oneToOne("tfm.and"));
    add("Or", "tfm.or", {1, 7}, {7}, {2, 2, 1}, oneToOne("tfm.or"));
    add("Not", "tfm.not", {1}, {1}, {1, 1, 1}, oneToOne("tfm.not"));
    add("Equal", "tfm.equal", {1, 7, 11, 13, 19}, {11, 13, 19}, {2, 2, 1}, oneToOne("tfm.equal"));
    add("Less", "tfm.less", {1, 7, 9, 13}, {9, 13}, {2, 2, 1}, oneToOne("tfm.less"));
    add("Greater", "tfm.greater", {1, 7, 9, 13}, {9, 13}, {2, 2, 1}, oneToOne("tfm.greater"));
    add("LessOrEqual", "tfm.less_or_equal", {12, 16}, {12, 16}, {2, 2, 1}, oneToOne("tfm.less_or_equal"));
    add("GreaterOrEqual", "tfm.greater_or_equal", {12, 16}, {12, 16}, {2, 2, 1}, oneToOne("tfm.greater_or_equal"));
    add("Max", "tfm.max", {1, 6, 8, 12, 13}, {8, 12, 13}, {1, kVariadic, 1}, oneToOne("tfm.max"));
    add("Min", "tfm.min", {1, 6, 8, 12, 13}, {8, 12, 13}, {1, kVariadic, 1}, oneToOne("tfm.min"));
    add("Where", "tfm.where", {9, 16}, {9, 16}, {3, 3, 1}, oneToOne("tfm.where"));
    add("Sqrt", "tfm.sqrt", {1, 6, 13}, {6, 13}, {1, 1, 1}, oneToOne("tfm.sqrt"));
    add("Reciprocal", "tfm.reciprocal", {1, 6, 13}, {6, 13}, {1, 1, 1}, oneToOne("tfm.reciprocal"));
    add("Exp", "tfm.exp", {1, 6, 13}, {6, 13}, {1, 1, 1}, oneToOne("tfm.exp"));
    add("Log", "tfm.log", {1, 6, 13}, {6, 13}, {1, 1, 1}, oneToOne("tfm.log"));
    add("Erf", "tfm.erf", {9, 13}, {9, 13}, {1, 1, 1}, oneToOne("tfm.erf"));
    add("Tanh", "tfm.tanh", {1, 6, 13}, {6, 13}, {1, 1, 1}, oneToOne("tfm.tanh"));
    add("Sigmoid", "tfm.sigmoid", {1, 6, 13}, {6, 13}, {1, 1, 1}, oneToOne("tfm.sigmoid"));
    add("Relu", "tfm.relu", {1, 6, 13, 14}, {6, 13, 14}, {1, 1, 1}, oneToOne("tfm.relu"));
    add("LeakyRelu", "tfm.leaky_relu", {1, 6, 16}, {6, 16}, {1, 1, 1}, oneToOne("tfm.leaky_relu"));
    add("HardSigmoid", "tfm.hard_sigmoid", {1, 6, 22}, {6, 22}, {1, 1, 1}, oneToOne("tfm.hard_sigmoid"));
    add("HardSwish", "tfm.hard_swish", {14, 22}, {14, 22}, {1, 1, 1}, oneToOne("tfm.hard_swish"));
    add("Softplus", "tfm.softplus", {1, 22}, {1, 22}, {1, 1, 1}, oneToOne("tfm.softplus"));
    add("Sin", "tfm.sin", {7, 22}, {7, 22}, {1, 1, 1}, oneToOne("tfm.sin"));
    add("Cos", "tfm.cos", {7, 22}, {7, 22}, {1, 1, 1}, oneToOne("tfm.cos"));
    add("Neg", "tfm.neg", {1, 6, 13}, {6, 13}, {1, 1, 1}, oneToOne("tfm.neg"));
    add("Abs", "tfm.abs", {1, 6, 13}, {6, 13}, {1, 1, 1}, oneToOne("tfm.abs"));
    add("Sign", "tfm.sign", {9, 13}, {9, 13}, {1, 1, 1}, oneToOne("tfm.sign"));
    add("Floor", "tfm.floor", {1, 6, 13}, {6, 13}, {1, 1, 1}, oneToOne("tfm.floor"));
    add("Ceil", "tfm.ceil", {1, 6, 13}, {6, 13}, {1, 1, 1}, oneToOne("tfm.ceil"));
    add("Round", "tfm.round", {11, 22}, {11, 22}, {1, 1, 1}, oneToOne("tfm.round"));
    add("Clip", "tfm.clip", {1, 6, 11, 12, 13}, {11, 12, 13}, {1, 3, 1}, oneToOne("tfm.clip", 3));
    add("Cast", "tfm.cast", {1, 6, 9, 13, 19, 21, 23, 24}, {6, 9, 13, 19, 21, 23, 24}, {1, 1, 1}, importCast);
    add("CastLike", "tfm.cast", {15, 19, 21, 23, 24}, {15, 19, 21, 23, 24}, {2, 2, 1}, importCastLike);
    add("Identity", "tfm.identity", {1, 13, 14, 16, 19, 21, 23, 24}, {1, 13, 14, 16, 19, 21, 23, 24}, {1, 1, 1},
        oneToOne("tfm.identity"));
    add("Dropout", "tfm.dropout", {1, 6, 7, 10, 12, 13, 22}, {7, 10, 12, 13, 22}, {1, 3, 2}, importDropout);
    add("Softmax", "tfm.softmax", {1, 11, 13}, {1, 11, 13}, {1, 1, 1}, softmaxOp("tfm.softmax"));
    add("LogSoftmax", "tfm.log_softmax", {1, 11, 13}, {1, 11, 13}, {1, 1, 1}, softmaxOp("tfm.log_softmax"));
    add("Gelu", "tfm.gelu", {20}, {20}, {1, 1, 1}, importGelu);
    // Contractions, normalization, pooling.
    add("MatMul", "tfm.matmul", {1, 9, 13}, {1, 9, 13}, {2, 2, 1}, oneToOne("tfm.matmul"));
    add("MatMulInteger", "tfm.matmul_integer", {10}, {10}, {2, 4, 1}, oneToOne("tfm.matmul_integer", 4));
    add("Gemm", "tfm.gemm", {1, 6, 7, 9, 11, 13}, {7, 9, 11, 13}, {2, 3, 1}, oneToOne("tfm.gemm"));
    add("Einsum", "tfm.einsum", {12}, {12}, {1, kVariadic, 1}, oneToOne("tfm.einsum"));
    add("Conv", "tfm.conv", {1, 11, 22}, {1, 11, 22}, {2, 3, 1}, oneToOne("tfm.conv"));
    add("LayerNormalization", "tfm.layer_norm", {17}, {17}, {2, 3, 3}, importLayerNorm);
    add("BatchNormalization", "tfm.batch_norm", {1, 6, 7, 9, 14, 15}, {9, 14, 15}, {5, 5, 3}, importBatchNorm);
    add("MaxPool", "tfm.max_pool", {1, 8, 10, 11, 12, 22}, {8, 10, 11, 12, 22}, {1, 1, 2}, oneToOne("tfm.max_pool"));
    add("AveragePool", "tfm.average_pool", {1, 7, 10, 11, 19, 22}, {7, 10, 11, 19, 22}, {1, 1, 1},
        oneToOne("tfm.average_pool"));
    add("GlobalAveragePool", "tfm.global_average_pool", {1, 22}, {1, 22}, {1, 1, 1}, oneToOne("tfm.global_average_pool"));
    // Reductions.
    add("ReduceMean", "tfm.reduce_mean", {1, 11, 13, 18}, {11, 13, 18}, {1, 2, 1},
        axesOp("tfm.reduce_mean", 18, {"keepdims"}));
    add("ReduceSum", "tfm.reduce_sum", {1, 11, 13}, {11, 13}, {1, 2, 1}, axesOp("tfm.reduce_sum", 13, {"keepdims"}));
    add("ReduceMax", "tfm.reduce_max", {1, 11, 12, 13, 18, 20}, {11, 12, 13, 18, 20}, {1, 2, 1},
        axesOp("tfm.reduce_max", 18, {"keepdims"}));
    add("ReduceMin", "tfm.reduce_min", {1, 11, 12, 13, 18, 20}, {11, 12, 13, 18, 20}, {1, 2, 1},
        axesOp("tfm.reduce_min", 18, {"keepdims"}));
    add("ReduceProd", "tfm.reduce_prod", {1, 11, 13, 18}, {11, 13, 18}, {1, 2, 1},
        axesOp("tfm.reduce_prod", 18, {"keepdims"}));
    add("ArgMax", "tfm.arg_max", {1, 11, 12, 13}, {11, 12, 13}, {1, 1, 1}, oneToOne("tfm.arg_max"));
    add("TopK", "tfm.top_k", {1, 10, 11, 24}, {10, 11, 24}, {2, 2, 2}, oneToOne("tfm.top_k"));
    add("CumSum", "tfm.cum_sum", {11, 14}, {11, 14}, {2, 2, 1}, oneToOne("tfm.cum_sum"));
    // Shapes and data movement.
    add("Constant", "tfm.constant", {1, 9, 11, 12, 13, 19, 21, 23, 24}, {9, 11, 12, 13, 19, 21, 23, 24}, {0, 0, 1},
        importConstant);
    add("ConstantOfShape", "tfm.constant_of_shape", {9, 20, 21, 23, 24}, {9, 20, 21, 23, 24}, {1, 1, 1},
        oneToOne("tfm.constant_of_shape"));
    add("Shape", "tfm.shape", {1, 13, 15, 19, 21, 23, 24}, {1, 13, 15, 19, 21, 23, 24}, {1, 1, 1},
        oneToOne("tfm.shape"));
    add("Size", "tfm.size", {1, 13, 19, 21, 23, 24}, {1, 13, 19, 21, 23, 24}, {1, 1, 1}, oneToOne("tfm.size"));
    add("Transpose", "tfm.transpose", {1, 13, 21, 23, 24}, {1, 13, 21, 23, 24}, {1, 1, 1}, oneToOne("tfm.transpose"));
    add("Reshape", "tfm.reshape", {1, 5, 13, 14, 19, 21, 23, 24}, {5, 13, 14, 19, 21, 23, 24}, {2, 2, 1},
        oneToOne("tfm.reshape"));
    add("Flatten", "tfm.flatten", {1, 9, 11, 13, 21, 23, 24}, {9, 11, 13, 21, 23, 24}, {1, 1, 1},
        oneToOne("tfm.flatten"));
    add("Squeeze", "tfm.squeeze", {1, 11, 13, 21, 23, 24}, {11, 13, 21, 23, 24}, {1, 2, 1},
        axesOp("tfm.squeeze", 13, {}));
    add("Unsqueeze", "tfm.unsqueeze", {1, 11, 13, 21, 23, 24}, {11, 13, 21, 23, 24}, {1, 2, 1},
        axesOp("tfm.unsqueeze", 13, {}, /*axesRequired=*/true));
    add("Concat", "tfm.concat", {1, 4, 11, 13}, {4, 11, 13}, {1, kVariadic, 1}, oneToOne("tfm.concat"));
    add("Split", "tfm.split", {1, 2, 11, 13, 18}, {2, 11, 13, 18}, {1, 2, kVariadic}, importSplit);
    add("Slice", "tfm.slice", {1, 10, 11, 13}, {10, 11, 13}, {3, 5, 1}, oneToOne("tfm.slice", 5));
    add("Gather", "tfm.gather", {1, 11, 13}, {1, 11, 13}, {2, 2, 1}, oneToOne("tfm.gather"));
    add("GatherElements", "tfm.gather_elements", {11, 13}, {11, 13}, {2, 2, 1}, oneToOne("tfm.gather_elements"));
    add("Expand", "tfm.expand", {8, 13}, {8, 13}, {2, 2, 1}, oneToOne("tfm.expand"));
    add("Tile", "tfm.tile", {1, 6, 13}, {6, 13}, {2, 2, 1}, oneToOne("tfm.tile"));
    add("Pad", "tfm.pad", {1, 2, 11, 13, 18, 19, 21, 23, 24}, {11, 13, 18, 19, 21, 23, 24}, {2, 4, 1},
        oneToOne("tfm.pad", 4));
    add("Range", "tfm.range", {11}, {11}, {3, 3, 1}, oneToOne("tfm.range"));
    add("Trilu", "tfm.trilu", {14}, {14}, {1, 2, 1}, oneToOne("tfm.trilu"));
    // Control flow (Loop and Scan are refused by name).
    add("If", "tfm.if", {1, 11, 13, 16, 19, 21, 23, 24}, {1, 11, 13, 16, 19, 21, 23, 24},
        {1, 1, kVariadic}, importIf);
    // Quantization.
    add("QuantizeLinear", "tfm.quantize_linear", {10, 13, 19, 21, 23, 24}, {10, 13, 19, 21, 23, 24}, {2, 3, 1},
        importQuantizeLinear);
    add("DequantizeLinear", "tfm.dequantize_linear", {10, 13, 19, 21, 23, 24}, {10, 13, 19, 21, 23, 24}, {2, 3, 1},
        importDequantizeLinear);
    add("DynamicQuantizeLinear", "tfm.dynamic_quantize_linear", {11}, {11}, {1, 1, 3}, oneToOne("tfm.dynamic_quantize_linear"));
    return t;
  }();
  return table;
}
