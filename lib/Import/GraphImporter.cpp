//===- GraphImporter.cpp - an ONNX graph into a func.func of tfm ops ------===//

#include "ModelLoader.h"
#include "NodeImporter.h"
#include "TensorImport.h"

#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"
#include "tfmc/Import/OnnxImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <deque>

using namespace mlir;
using namespace tfmc;

namespace {

/// The name a node goes by in messages and locations.
std::string nodeName(const onnx::NodeProto &node) {
  if (!node.name().empty())
    return node.name();
  return node.output_size() ? node.output(0) : std::string("<unnamed>");
}

class GraphImporter {
public:
  GraphImporter(MLIRContext &ctx, const onnx::ModelProto &model, const ImportOptions &options)
      : ctx(ctx), model(model), options(options), builder(&ctx) {}

  OwningOpRef<ModuleOp> run(std::string &error);

private:
  LogicalResult readOpsets();
  /// Resolves the handler of every node of `graph` and of its subgraphs.
  LogicalResult resolveGraph(const onnx::GraphProto &graph);
  FailureOr<Type> valueInfoType(const onnx::ValueInfoProto &info);
  FailureOr<Type> importType(const onnx::TypeProto &type, const std::string &name,
                             bool inSequence = false);
  /// The nodes of `graph` in an order where each follows the producers of
  /// its inputs and of the outer values its subgraphs read.
  LogicalResult sortNodes(const onnx::GraphProto &graph,
                          std::vector<const onnx::NodeProto *> &order);
  /// Fails when a graph output's declared type contradicts the computed one;
  /// `what` names the output in the message.
  LogicalResult checkDeclaredOutput(const onnx::ValueInfoProto &info, Type computed,
                                    const std::string &what);
  /// Initializers and nodes of a subgraph into `block` (If's branches);
  /// `prefix` names the node that owns it. A tentative import that fails
  /// leaves no error.
  FailureOr<SmallVector<Value>> importSubgraph(const onnx::GraphProto &graph, Block *block,
                                               llvm::StringRef what,
                                               const std::string &prefix, bool tentative);
  /// How a node is imported: its handler, operator version and arity.
  struct ResolvedOp {
    NodeHandler handler;
    int64_t version;
    Arity arity;
  };
  /// The handler for a node, or an error naming it.
  FailureOr<ResolvedOp> resolveHandler(const onnx::NodeProto &node);
  LogicalResult importNode(const onnx::NodeProto &node);
  LogicalResult fail(const Twine &message) {
    if (error.empty())
      error = message.str();
    return failure();
  }

  MLIRContext &ctx;
  const onnx::ModelProto &model;
  const ImportOptions &options;
  OpBuilder builder;
  llvm::StringMap<int64_t> opsets;
  /// Values by ONNX name, one map per graph being imported (the main graph
  /// first, then nested subgraphs); lookups go from the innermost outward.
  std::vector<llvm::StringMap<Value>> scopes;
  Value lookup(llvm::StringRef name) const {
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it)
      if (Value v = it->lookup(name))
        return v;
    return Value();
  }
  void define(llvm::StringRef name, Value v) { scopes.back()[name] = v; }
  std::string error;
  /// The first error MLIR emitted while importing the current node.
  std::string diagnostic;
};

} // namespace

LogicalResult GraphImporter::readOpsets() {
  for (const auto &opset : model.opset_import()) {
    std::string domain = opset.domain() == "ai.onnx" ? "" : opset.domain();
    opsets[domain] = opset.version();
  }
  int64_t v = opsets.lookup("");
  if (v > 24)
    return fail("opset " + Twine(v) + " is newer than the newest supported (24)");
  // Name every unsupported operator's first node before looking at types.
  return resolveGraph(model.graph());
}

LogicalResult GraphImporter::resolveGraph(const onnx::GraphProto &graph) {
  for (const onnx::NodeProto &node : graph.node()) {
    if (failed(resolveHandler(node)))
      return failure();
    for (const onnx::AttributeProto &a : node.attribute()) {
      if (a.type() == onnx::AttributeProto::GRAPH && failed(resolveGraph(a.g())))
        return failure();
      for (const onnx::GraphProto &g : a.graphs())
        if (failed(resolveGraph(g)))
          return failure();
    }
  }
  return success();
}

/// Adds to `names` the values a node's subgraphs read from outside them.
static void collectOuterReads(const onnx::NodeProto &node, llvm::StringSet<> &names);

/// The values `graph` reads without defining them (its inputs, initializers
/// and node outputs are its own).
static void collectOuterReads(const onnx::GraphProto &graph, llvm::StringSet<> &names) {
  llvm::StringSet<> defined;
  for (const auto &in : graph.input())
    defined.insert(in.name());
  for (const auto &init : graph.initializer())
    defined.insert(init.name());
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &out : node.output())
      defined.insert(out);
  llvm::StringSet<> used;
  for (const onnx::NodeProto &node : graph.node()) {
    for (const std::string &in : node.input())
      used.insert(in);
    collectOuterReads(node, used);
  }
  for (const auto &out : graph.output())
    used.insert(out.name());
  for (const auto &entry : used)
    if (!entry.getKey().empty() && !defined.contains(entry.getKey()))
      names.insert(entry.getKey());
}

static void collectOuterReads(const onnx::NodeProto &node, llvm::StringSet<> &names) {
  for (const onnx::AttributeProto &a : node.attribute()) {
    if (a.type() == onnx::AttributeProto::GRAPH)
      collectOuterReads(a.g(), names);
    for (const onnx::GraphProto &g : a.graphs())
      collectOuterReads(g, names);
  }
}

FailureOr<Type> GraphImporter::valueInfoType(const onnx::ValueInfoProto &info) {
  return importType(info.type(), info.name());
}

/// A tensor, sequence(tensor), optional(tensor) or optional(sequence(tensor)).
/// The tensors of a sequence may have an unknown rank.
FailureOr<Type> GraphImporter::importType(const onnx::TypeProto &type, const std::string &name,
                                          bool inSequence) {
  if (type.has_sequence_type()) {
    const onnx::TypeProto &element = type.sequence_type().elem_type();
    if (!element.has_tensor_type())
      return fail("graph input or output '" + name + "' is a sequence of non-tensors");
    FailureOr<Type> tensor = importType(element, name, /*inSequence=*/true);
    if (failed(tensor))
      return failure();
    return Type(tfm::SequenceType::get(&ctx, cast<TensorType>(*tensor)));
  }
  if (type.has_optional_type()) {
    const onnx::TypeProto &element = type.optional_type().elem_type();
    if (!element.has_tensor_type() && !element.has_sequence_type())
      return fail("graph input or output '" + name + "' is an optional of a map or optional");
    FailureOr<Type> value = importType(element, name);
    if (failed(value))
      return failure();
    return Type(tfm::OptionalType::get(&ctx, *value));
  }
  if (!type.has_tensor_type())
    return fail("graph input or output '" + name + "' is not a tensor, sequence or optional");
  const auto &tensorType = type.tensor_type();
  Type element = convertElementType(ctx, tensorType.elem_type());
  if (!element)
    return fail("graph input or output '" + name + "' has unsupported element type " +
                dataTypeName(tensorType.elem_type()));
  if (!tensorType.has_shape() && inSequence)
    return Type(UnrankedTensorType::get(element));
  if (!tensorType.has_shape())
    return fail("graph input '" + name + "' has no shape (its rank is unknown)");
  tfm::Dims dims;
  for (const auto &d : tensorType.shape().dim()) {
    if (d.has_dim_value() && d.dim_value() < 0)
      return fail("graph input '" + name + "' has a negative dimension " +
                  Twine(d.dim_value()));
    if (d.has_dim_value())
      dims.push_back(tfm::Dim(d.dim_value()));
    else if (d.has_dim_param() && !d.dim_param().empty())
      dims.push_back(tfm::SymExpr::symbol(tfm::SymExpr::sanitizeName(d.dim_param())));
    else
      dims.push_back(tfm::Dim::unknown());
  }
  return Type(tfm::makeTensorType(dims, element));
}

LogicalResult GraphImporter::checkDeclaredOutput(const onnx::ValueInfoProto &info,
                                                Type computed, const std::string &what) {
  if (!isa<RankedTensorType>(computed)) {
    // Sequences and optionals only pass through: their types must agree.
    FailureOr<Type> declaredType = importType(info.type(), info.name());
    if (failed(declaredType))
      return failure();
    if (*declaredType == computed)
      return success();
    std::string text;
    llvm::raw_string_ostream os(text);
    os << what << " is declared as " << *declaredType << " but computes " << computed;
    return fail(os.str());
  }
  if (!info.type().has_tensor_type())
    return fail(what + " is not a tensor");
  const auto &declared = info.type().tensor_type();
  auto type = cast<RankedTensorType>(computed);
  auto mismatch = [&](const Twine &declaredAs) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << type;
    return fail(llvm::StringRef(what) + " is declared with " + declaredAs + " but computes " +
                os.str());
  };
  Type element = convertElementType(ctx, declared.elem_type());
  if (declared.elem_type() != 0 && element != type.getElementType())
    return mismatch("element type " + dataTypeName(declared.elem_type()));
  if (!declared.has_shape())
    return success();
  if (declared.shape().dim_size() != type.getRank())
    return mismatch("rank " + Twine(declared.shape().dim_size()));
  for (auto [i, d] : llvm::enumerate(declared.shape().dim()))
    if (d.has_dim_value() && !type.isDynamicDim(i) && d.dim_value() != type.getDimSize(i))
      return mismatch("dimension " + Twine(i) + " = " + Twine(d.dim_value()));
  return success();
}

/// Kahn's algorithm: exporters (GPT-2 with past) write nodes out of order.
/// A node with subgraphs also waits for the outer values they read.
LogicalResult GraphImporter::sortNodes(const onnx::GraphProto &graph,
                                       std::vector<const onnx::NodeProto *> &order) {
  const auto &nodes = graph.node();
  llvm::StringMap<int> producer;
  for (int i = 0; i < nodes.size(); ++i)
    for (const std::string &out : nodes[i].output())
      if (!out.empty())
        producer[out] = i;
  std::vector<int> pending(nodes.size(), 0);
  std::vector<std::vector<int>> users(nodes.size());
  for (int i = 0; i < nodes.size(); ++i) {
    auto depend = [&](llvm::StringRef in, bool implicit) -> LogicalResult {
      if (in.empty() || scopes.back().count(in))
        return success();
      auto it = producer.find(in);
      if (it == producer.end()) {
        if (lookup(in))
          return success();
        std::string what = implicit ? "a subgraph reads '" + in.str() + "', which"
                                    : "input '" + in.str() + "'";
        return fail("node '" + nodeName(nodes[i]) + "' (" + nodes[i].op_type() + "): " + what +
                    " is not a graph input, initializer or node output");
      }
      ++pending[i];
      users[it->second].push_back(i);
      return success();
    };
    for (const std::string &in : nodes[i].input())
      if (failed(depend(in, false)))
        return failure();
    llvm::StringSet<> outer;
    collectOuterReads(nodes[i], outer);
    // Sorted, so that the first missing name reported does not vary.
    std::vector<std::string> names;
    for (const auto &entry : outer)
      names.push_back(entry.getKey().str());
    llvm::sort(names);
    for (const std::string &in : names)
      if (failed(depend(in, true)))
        return failure();
  }
  std::deque<int> ready;
  for (int i = 0; i < nodes.size(); ++i)
    if (!pending[i])
      ready.push_back(i);
  while (!ready.empty()) {
    int i = ready.front();
    ready.pop_front();
    order.push_back(&nodes[i]);
    for (int u : users[i])
      if (--pending[u] == 0)
        ready.push_back(u);
  }
  if (order.size() != static_cast<size_t>(nodes.size())) {
    for (int i = 0; i < nodes.size(); ++i)
      if (pending[i])
        return fail("node '" + nodeName(nodes[i]) + "' (" + nodes[i].op_type() +
                    "): the graph has a cycle through this node");
  }
  return success();
}

FailureOr<GraphImporter::ResolvedOp>
GraphImporter::resolveHandler(const onnx::NodeProto &node) {
  std::string prefix = "node '" + nodeName(node) + "' (" + node.op_type() + "): ";
  std::string domain = node.domain() == "ai.onnx" ? "" : node.domain();
  bool contrib = (domain == "com.microsoft" || domain.empty()) &&
                 contribOpTable().count(node.op_type());
  if (domain.empty() && onnxOpTable().count(node.op_type())) {
    const OpEntry &entry = onnxOpTable().lookup(node.op_type());
    if (!opsets.count(""))
      return fail(prefix + "the model imports no default-domain (ai.onnx) opset");
    int64_t opset = opsets.lookup("");
    int resolved = 0;
    for (int v : entry.history)
      if (v <= opset)
        resolved = v;
    if (resolved && !llvm::is_contained(entry.supported, resolved))
      return fail(prefix + "version " + Twine(resolved) + " (opset " + Twine(opset) +
                  ") is not supported");
    if (resolved)
      return ResolvedOp{entry.handler, resolved, entry.arity};
    // Gelu before opset 20 can only be ORT's.
    if (!contrib)
      return fail(prefix + "the operator does not exist at opset " + Twine(opset));
  }
  // ORT writes some of its ops in the default domain, and single-op test
  // models use com.microsoft without importing it. Contrib handlers check
  // their own inputs.
  if (contrib)
    return ResolvedOp{contribOpTable().lookup(node.op_type()).handler, 1,
                      {0, kVariadic, kVariadic}};
  std::string qualified = (domain.empty() ? "" : domain + "::") + node.op_type();
  if (node.op_type() == "Loop" || node.op_type() == "Scan")
    return fail(prefix + "unsupported operator '" + qualified +
                "': control flow is not supported yet");
  return fail(prefix + "unsupported operator '" + qualified + "'");
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node) {
  std::string name = nodeName(node);
  std::string prefix = "node '" + name + "' (" + node.op_type() + "): ";
  FailureOr<ResolvedOp> resolved = resolveHandler(node);
  if (failed(resolved))
    return failure();

  std::vector<Value> inputs;
  for (const std::string &in : node.input())
    inputs.push_back(in.empty() ? Value() : lookup(in));

  Location loc = NameLoc::get(builder.getStringAttr(name));
  NodeImporter importer(node, resolved->version, builder, loc, std::move(inputs),
                        options.inlineElementLimit);
  importer.importSubgraph = [this, prefix](const onnx::GraphProto &graph, Block *block,
                                           llvm::StringRef what, bool tentative) {
    return importSubgraph(graph, block, what, prefix, tentative);
  };
  diagnostic.clear();
  if (failed(importer.checkArity(resolved->arity)) || failed(resolved->handler(importer))) {
    std::string message = !importer.error().empty() ? importer.error() : diagnostic;
    return fail(prefix + (message.empty() ? "import failed" : message));
  }
  for (int i = 0; i < node.output_size(); ++i) {
    if (node.output(i).empty())
      continue;
    Value v = i < static_cast<int>(importer.outputs().size()) ? importer.outputs()[i] : Value();
    if (!v)
      return fail(prefix + "output '" + node.output(i) + "' is not supported");
    define(node.output(i), v);
  }
  return success();
}

FailureOr<SmallVector<Value>> GraphImporter::importSubgraph(const onnx::GraphProto &graph,
                                                           Block *block, llvm::StringRef what,
                                                           const std::string &prefix,
                                                           bool tentative) {
  auto forgetError = llvm::make_scope_exit([&, before = error] {
    if (tentative) {
      error = before;
      diagnostic.clear();
    }
  });
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(block);
  scopes.emplace_back();
  auto popScope = llvm::make_scope_exit([&] { scopes.pop_back(); });
  std::string name = prefix + what.str();
  if (graph.input_size() > 0)
    return fail(name + " declares inputs; an If branch takes none");
  if (graph.sparse_initializer_size() > 0)
    return fail(name + ": sparse initializers are not supported");
  for (const auto &init : graph.initializer()) {
    std::string err;
    ElementsAttr value = convertTensor(ctx, init, options.inlineElementLimit, err);
    if (!value)
      return fail(name + ": " + err);
    define(init.name(), tfm::ConstantOp::create(builder,
        NameLoc::get(builder.getStringAttr(init.name())), value.getType(), value));
  }
  std::vector<const onnx::NodeProto *> order;
  if (failed(sortNodes(graph, order)))
    return failure();
  for (const onnx::NodeProto *node : order)
    if (failed(importNode(*node)))
      return failure();
  SmallVector<Value> results;
  for (const auto &out : graph.output()) {
    std::string output = name + " output '" + out.name() + "'";
    Value v = lookup(out.name());
    if (!v)
      return fail(output + " is not produced");
    if (failed(checkDeclaredOutput(out, v.getType(), output)))
      return failure();
    results.push_back(v);
  }
  return results;
}

OwningOpRef<ModuleOp> GraphImporter::run(std::string &errorOut) {
  // Keep the first error MLIR reports (shape inference, verifiers) for the
  // node being imported; nothing reaches stderr directly.
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error && diagnostic.empty())
      diagnostic = diag.str();
    return success();
  });

  auto module = OwningOpRef<ModuleOp>(ModuleOp::create(UnknownLoc::get(&ctx)));
  const onnx::GraphProto &graph = model.graph();
  scopes.assign(1, {});
  auto giveUp = [&]() -> OwningOpRef<ModuleOp> {
    errorOut = error;
    return nullptr;
  };
  auto giveUpWith = [&](const Twine &message) {
    (void)fail(message);
    return giveUp();
  };
  if (failed(readOpsets()))
    return giveUp();
  if (graph.sparse_initializer_size() > 0)
    return giveUpWith("sparse initializers are not supported");

  // Graph inputs that are also initializers (IR < 4) are constants.
  llvm::StringSet<> initializerNames;
  for (const auto &init : graph.initializer())
    initializerNames.insert(init.name());
  SmallVector<Type> argTypes;
  SmallVector<const onnx::ValueInfoProto *> args;
  for (const auto &in : graph.input()) {
    if (initializerNames.contains(in.name()))
      continue;
    FailureOr<Type> type = valueInfoType(in);
    if (failed(type))
      return giveUp();
    argTypes.push_back(*type);
    args.push_back(&in);
  }

  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder,
      NameLoc::get(builder.getStringAttr(graph.name())), options.functionName,
      builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, info] : llvm::enumerate(args)) {
    func.setArgAttr(i, "tfm.name", builder.getStringAttr(info->name()));
    define(info->name(), entry->getArgument(i));
  }
  builder.setInsertionPointToStart(entry);

  for (const auto &init : graph.initializer()) {
    std::string err;
    ElementsAttr value = convertTensor(ctx, init, options.inlineElementLimit, err);
    if (!value)
      return giveUpWith(err);
    define(init.name(), tfm::ConstantOp::create(builder,
        NameLoc::get(builder.getStringAttr(init.name())), value.getType(), value));
  }

  std::vector<const onnx::NodeProto *> order;
  if (failed(sortNodes(graph, order)))
    return giveUp();
  for (const onnx::NodeProto *node : order)
    if (failed(importNode(*node)))
      return giveUp();

  SmallVector<Value> results;
  for (const auto &out : graph.output()) {
    Value v = lookup(out.name());
    if (!v)
      return giveUpWith("graph output '" + out.name() + "' is not produced");
    if (failed(checkDeclaredOutput(out, v.getType(), "graph output '" + out.name() + "'")))
      return giveUp();
    results.push_back(v);
  }
  func::ReturnOp::create(builder, func.getLoc(), results);
  func.setFunctionType(builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, out] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "tfm.name", builder.getStringAttr(out.name()));

  diagnostic.clear();
  if (failed(verify(*module)))
    return giveUpWith("the imported module does not verify: " + diagnostic);
  return module;
}

/// Errors are one line, but names and strings in the model may hold line
/// breaks and other control characters: those are written as escapes.
static std::string escapeControl(llvm::StringRef text) {
  std::string out;
  llvm::raw_string_ostream os(out);
  for (unsigned char c : text) {
    if (c == '\n')
      os << "\\n";
    else if (c == '\r')
      os << "\\r";
    else if (c == '\t')
      os << "\\t";
    else if (c < 0x20 || c == 0x7f)
      os << "\\x" << llvm::hexdigit(c >> 4, /*LowerCase=*/true)
         << llvm::hexdigit(c & 15, /*LowerCase=*/true);
    else
      os << c;
  }
  return out;
}

OwningOpRef<ModuleOp> tfmc::importOnnxModel(llvm::StringRef path, MLIRContext &ctx,
                                            const ImportOptions &options,
                                            std::string &error) {
  ctx.loadDialect<tfm::TfmDialect, func::FuncDialect>();
  onnx::ModelProto model;
  std::string reason;
  if (!loadOnnxModel(path.str(), model, reason)) {
    error = path.str() + ": " + escapeControl(reason);
    return nullptr;
  }
  GraphImporter importer(ctx, model, options);
  OwningOpRef<ModuleOp> module = importer.run(reason);
  if (!module)
    error = path.str() + ": " + escapeControl(reason);
  return module;
}

std::vector<SupportedOnnxOp> tfmc::supportedOnnxOps() {
  std::vector<SupportedOnnxOp> ops;
  for (const auto &entry : onnxOpTable())
    ops.push_back({entry.getKey().str(), "", entry.getValue().supported,
                   entry.getValue().becomes});
  for (const auto &entry : contribOpTable())
    ops.push_back({entry.getKey().str(), "com.microsoft", {1}, entry.getValue().becomes});
  llvm::sort(ops, [](const SupportedOnnxOp &a, const SupportedOnnxOp &b) {
    return std::tie(a.domain, a.name) < std::tie(b.domain, b.name);
  });
  return ops;
}
