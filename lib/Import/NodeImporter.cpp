//===- NodeImporter.cpp - what an op importer sees of one node ------------===//

#include "NodeImporter.h"
#include "TensorImport.h"

#include "tfmc/Dialect/Tfm.h"

using namespace mlir;
using namespace tfmc;
using onnx::AttributeProto;

bool NodeImporter::hasOutput(size_t i) const {
  return i < static_cast<size_t>(node.output_size()) && !node.output(i).empty();
}

size_t NodeImporter::numOutputs() const {
  size_t n = node.output_size();
  while (n > 0 && node.output(n - 1).empty())
    --n;
  return n;
}

const AttributeProto *NodeImporter::attr(llvm::StringRef name) const {
  for (const AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

const char *tfmc::attrTypeName(int type) {
  return AttributeProto::AttributeType_IsValid(type)
             ? AttributeProto::AttributeType_Name(
                   static_cast<AttributeProto::AttributeType>(type)).c_str()
             : "UNKNOWN";
}

FailureOr<int64_t> NodeImporter::intAttr(llvm::StringRef name, int64_t defaultValue) {
  const AttributeProto *a = attr(name);
  if (!a)
    return defaultValue;
  if (a->type() != AttributeProto::INT)
    return fail("attribute '" + name + "' must be an INT, got " + attrTypeName(a->type()));
  return a->i();
}

FailureOr<float> NodeImporter::floatAttr(llvm::StringRef name, float defaultValue) {
  const AttributeProto *a = attr(name);
  if (!a)
    return defaultValue;
  if (a->type() != AttributeProto::FLOAT)
    return fail("attribute '" + name + "' must be a FLOAT, got " + attrTypeName(a->type()));
  return a->f();
}

FailureOr<std::string> NodeImporter::stringAttr(llvm::StringRef name,
                                                llvm::StringRef defaultValue) {
  const AttributeProto *a = attr(name);
  if (!a)
    return defaultValue.str();
  if (a->type() != AttributeProto::STRING)
    return fail("attribute '" + name + "' must be a STRING, got " + attrTypeName(a->type()));
  return a->s();
}

FailureOr<std::optional<std::vector<int64_t>>> NodeImporter::intsAttr(llvm::StringRef name) {
  const AttributeProto *a = attr(name);
  if (!a)
    return std::optional<std::vector<int64_t>>();
  if (a->type() != AttributeProto::INTS)
    return fail("attribute '" + name + "' must be INTS, got " + attrTypeName(a->type()));
  return std::optional<std::vector<int64_t>>(
      std::vector<int64_t>(a->ints().begin(), a->ints().end()));
}

LogicalResult NodeImporter::checkAttributes(llvm::ArrayRef<llvm::StringRef> allowed) {
  for (const AttributeProto &a : node.attribute())
    if (!llvm::is_contained(allowed, a.name()))
      return fail("unsupported attribute '" + a.name() + "' (operator version " +
                  Twine(version) + ")");
  return success();
}

LogicalResult NodeImporter::requireInputs(ArrayRef<unsigned> indices) {
  for (unsigned i : indices)
    if (!input(i))
      return fail("required input #" + Twine(i) + " is missing");
  return success();
}

LogicalResult NodeImporter::checkArity(const Arity &arity) {
  size_t given = numInputs();
  while (given > 0 && !input(given - 1))
    --given;
  if (given < arity.minInputs || (arity.maxInputs != kVariadic && given > arity.maxInputs))
    return fail("expects " + Twine(arity.minInputs) + " to " +
                (arity.maxInputs == kVariadic ? Twine("any number of")
                                              : Twine(arity.maxInputs)) +
                " inputs, got " + Twine(given));
  for (unsigned i = 0; i < arity.minInputs; ++i)
    if (!input(i))
      return fail("required input #" + Twine(i) + " is missing");
  if (numOutputs() == 0)
    return fail("the node has no outputs");
  if (arity.maxOutputs != kVariadic && numOutputs() > arity.maxOutputs)
    return fail("expects at most " + Twine(arity.maxOutputs) + " outputs, got " +
                Twine(numOutputs()));
  return success();
}

FailureOr<Type> NodeImporter::elementType(int64_t onnxDataType, llvm::StringRef what) {
  Type t = convertElementType(*builder.getContext(), onnxDataType);
  if (!t)
    return fail(what + " has unsupported element type " + dataTypeName(onnxDataType));
  return t;
}

FailureOr<ElementsAttr> NodeImporter::tensor(const onnx::TensorProto &t) {
  std::string err;
  ElementsAttr attr = convertTensor(*builder.getContext(), t, inlineLimit, err);
  if (!attr)
    return fail(err);
  return attr;
}

FailureOr<Attribute> NodeImporter::convertAttribute(const AttributeProto &a) {
  MLIRContext *ctx = builder.getContext();
  switch (a.type()) {
  case AttributeProto::INT:
    return Attribute(si64(a.i()));
  case AttributeProto::FLOAT:
    return Attribute(builder.getF32FloatAttr(a.f()));
  case AttributeProto::STRING:
    return Attribute(builder.getStringAttr(a.s()));
  case AttributeProto::INTS:
    return Attribute(DenseI64ArrayAttr::get(ctx, llvm::to_vector(a.ints())));
  case AttributeProto::FLOATS:
    return Attribute(DenseF32ArrayAttr::get(ctx, llvm::to_vector(a.floats())));
  case AttributeProto::TENSOR: {
    FailureOr<ElementsAttr> t = tensor(a.t());
    if (failed(t))
      return failure();
    return Attribute(*t);
  }
  default:
    return fail("attribute '" + a.name() + "' has unsupported type " + attrTypeName(a.type()));
  }
}

NamedAttribute NodeImporter::named(llvm::StringRef name, Attribute value) {
  return builder.getNamedAttr(name, value);
}

IntegerAttr NodeImporter::si64(int64_t value) {
  return IntegerAttr::get(IntegerType::get(builder.getContext(), 64, IntegerType::Signed),
                          value);
}

FailureOr<Operation *> NodeImporter::create(llvm::StringRef opName, ValueRange operands,
                                            ArrayRef<NamedAttribute> attrs,
                                            unsigned numResults,
                                            ArrayRef<int32_t> operandSegments,
                                            ArrayRef<int32_t> resultSegments) {
  OperationState state(loc, opName);
  state.addOperands(operands);
  state.addAttributes(attrs);
  if (!operandSegments.empty())
    state.addAttribute("operandSegmentSizes", builder.getDenseI32ArrayAttr(operandSegments));
  if (!resultSegments.empty())
    state.addAttribute("resultSegmentSizes", builder.getDenseI32ArrayAttr(resultSegments));
  // Placeholders; inference below sets the real types.
  state.addTypes(SmallVector<Type>(numResults, UnrankedTensorType::get(builder.getF32Type())));
  Operation *op = builder.create(state);
  // An inherent attribute of the wrong kind (a FLOAT `axis`) is dropped
  // silently by the op's properties; catch it before anything reads it.
  for (const NamedAttribute &a : attrs) {
    if (op->getAttr(a.getName()) == a.getValue())
      continue;
    std::string kind;
    if (const AttributeProto *proto = attr(a.getName().getValue()))
      kind = std::string(" ") + attrTypeName(proto->type());
    op->erase();
    return fail("attribute '" + a.getName().getValue() + "' has the wrong type" + kind);
  }
  SmallVector<Type> types;
  auto inferable = dyn_cast<tfm::ShapeInferenceOpInterface>(op);
  if (!inferable)
    return fail("internal: " + opName + " infers no types");
  // Inference reports its own error through the diagnostic handler.
  if (failed(inferable.inferResultTypes(types)))
    return failure();
  if (types.size() != op->getNumResults())
    return fail("expects " + Twine(types.size()) + " outputs, got " +
                Twine(op->getNumResults()));
  for (auto [result, type] : llvm::zip(op->getResults(), types))
    result.setType(type);
  return op;
}

FailureOr<Value> NodeImporter::create1(llvm::StringRef opName, ValueRange operands,
                                       ArrayRef<NamedAttribute> attrs) {
  FailureOr<Operation *> op = create(opName, operands, attrs, 1);
  if (failed(op))
    return failure();
  return (*op)->getResult(0);
}

Value NodeImporter::constantI64(ArrayRef<int64_t> values, bool scalar) {
  auto type = RankedTensorType::get(
      scalar ? ArrayRef<int64_t>{} : ArrayRef<int64_t>{static_cast<int64_t>(values.size())},
      builder.getI64Type());
  return tfm::ConstantOp::create(builder, loc, type, DenseElementsAttr::get(type, values));
}

Value NodeImporter::constantF32(float value) {
  auto type = RankedTensorType::get({}, builder.getF32Type());
  return tfm::ConstantOp::create(builder, loc, type, DenseElementsAttr::get(type, value));
}

void NodeImporter::setOutput(size_t i, Value value) {
  if (results.size() <= i)
    results.resize(i + 1);
  results[i] = value;
}

void NodeImporter::setOutputs(Operation *op) {
  for (auto [i, r] : llvm::enumerate(op->getResults()))
    setOutput(i, r);
}

LogicalResult NodeImporter::fail(const llvm::Twine &text) {
  if (message.empty())
    message = text.str();
  return failure();
}

FailureOr<NormAttributes> tfmc::readNormAttributes(NodeImporter &n) {
  if (failed(n.checkAttributes({"axis", "epsilon", "stash_type"})))
    return failure();
  FailureOr<int64_t> axis = n.intAttr("axis", -1), stash = n.intAttr("stash_type", 1);
  FailureOr<float> eps = n.floatAttr("epsilon", 1e-5f);
  if (failed(axis) || failed(stash) || failed(eps))
    return failure();
  return NormAttributes{*axis, *eps, *stash};
}

LogicalResult tfmc::importOneToOne(NodeImporter &n, llvm::StringRef opName,
                                   unsigned operandSegments) {
  std::optional<RegisteredOperationName> info =
      RegisteredOperationName::lookup(opName, n.builder.getContext());
  if (!info)
    return n.fail("internal: " + opName + " is not registered");

  SmallVector<llvm::StringRef> known;
  // Segment sizes are the importer's to set, not the model's.
  for (StringAttr name : info->getAttributeNames())
    if (name != "operandSegmentSizes" && name != "resultSegmentSizes")
      known.push_back(name.getValue());
  if (failed(n.checkAttributes(known)))
    return failure();
  SmallVector<NamedAttribute> attrs;
  for (const AttributeProto &a : n.node.attribute()) {
    FailureOr<Attribute> value = n.convertAttribute(a);
    if (failed(value))
      return failure();
    attrs.push_back(n.named(a.name(), *value));
  }

  SmallVector<Value> operands;
  SmallVector<int32_t> segments;
  size_t present = n.numInputs();
  while (present > 0 && !n.input(present - 1))
    --present;
  if (operandSegments && n.numInputs() > operandSegments)
    return n.fail("expected at most " + llvm::Twine(operandSegments) + " inputs");
  for (size_t i = 0; i < std::max<size_t>(n.numInputs(), operandSegments); ++i) {
    Value v = n.input(i);
    if (operandSegments)
      segments.push_back(v ? 1 : 0);
    if (v)
      operands.push_back(v);
    else if (!operandSegments && i < present)
      return n.fail("omitting optional input #" + llvm::Twine(i) +
                    " before a given one is not supported");
  }
  FailureOr<Operation *> op = n.create(opName, operands, attrs, n.numOutputs(), segments);
  if (failed(op))
    return failure();
  n.setOutputs(*op);
  return success();
}
