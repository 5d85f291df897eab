//===- NodeImporter.h - what an op importer sees of one node ----*- C++ -*-===//

#ifndef TFMC_LIB_IMPORT_NODEIMPORTER_H
#define TFMC_LIB_IMPORT_NODEIMPORTER_H

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"
#include "onnx/onnx_pb.h"

#include <functional>
#include <string>
#include <vector>

namespace tfmc {

/// How many inputs and outputs a node may have (ONNX's schema, loosest over
/// the supported versions).
struct Arity {
  unsigned minInputs, maxInputs, maxOutputs;
};
constexpr unsigned kVariadic = ~0u;

/// One ONNX node being imported: its inputs as values, its attributes, and
/// builders that create tfm ops with inferred result types. Every failure
/// leaves one message in `error()`; the graph importer adds the node's name.
class NodeImporter {
public:
  NodeImporter(const onnx::NodeProto &node, int64_t version, mlir::OpBuilder &builder,
               mlir::Location loc, std::vector<mlir::Value> inputs, int64_t inlineLimit)
      : node(node), version(version), builder(builder), loc(loc), inputs(std::move(inputs)),
        inlineLimit(inlineLimit) {}

  const onnx::NodeProto &node;
  /// The operator's version (its since_version at the model's opset).
  const int64_t version;
  mlir::OpBuilder &builder;
  const mlir::Location loc;

  size_t numInputs() const { return inputs.size(); }
  /// The i-th input, or null when absent or left empty.
  mlir::Value input(size_t i) const { return i < inputs.size() ? inputs[i] : mlir::Value(); }
  /// Whether the node names an i-th output.
  bool hasOutput(size_t i) const;
  /// The number of outputs up to the last named one.
  size_t numOutputs() const;

  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  mlir::FailureOr<int64_t> intAttr(llvm::StringRef name, int64_t defaultValue);
  mlir::FailureOr<float> floatAttr(llvm::StringRef name, float defaultValue);
  mlir::FailureOr<std::string> stringAttr(llvm::StringRef name, llvm::StringRef defaultValue);
  /// nullopt when absent.
  mlir::FailureOr<std::optional<std::vector<int64_t>>> intsAttr(llvm::StringRef name);
  /// Fails naming the first attribute not in `allowed`.
  mlir::LogicalResult checkAttributes(llvm::ArrayRef<llvm::StringRef> allowed);
  /// Fails naming the first of `indices` that is absent.
  mlir::LogicalResult requireInputs(llvm::ArrayRef<unsigned> indices);
  /// Fails unless the node's input and output counts fit `arity`.
  mlir::LogicalResult checkArity(const Arity &arity);
  /// ONNX attribute -> MLIR attribute, by the ONNX attribute's type.
  mlir::FailureOr<mlir::Attribute> convertAttribute(const onnx::AttributeProto &attr);
  mlir::FailureOr<mlir::Type> elementType(int64_t onnxDataType, llvm::StringRef what);
  mlir::FailureOr<mlir::ElementsAttr> tensor(const onnx::TensorProto &tensor);

  /// Creates `opName` with placeholder results, then infers their types.
  /// Segment sizes are set when given.
  mlir::FailureOr<mlir::Operation *>
  create(llvm::StringRef opName, mlir::ValueRange operands,
         llvm::ArrayRef<mlir::NamedAttribute> attrs, unsigned numResults,
         llvm::ArrayRef<int32_t> operandSegments = {},
         llvm::ArrayRef<int32_t> resultSegments = {});
  /// `create` for single-result ops.
  mlir::FailureOr<mlir::Value> create1(llvm::StringRef opName, mlir::ValueRange operands,
                                       llvm::ArrayRef<mlir::NamedAttribute> attrs = {});
  mlir::Value constantI64(llvm::ArrayRef<int64_t> values, bool scalar = false);
  mlir::Value constantF32(float value);
  mlir::NamedAttribute named(llvm::StringRef name, mlir::Attribute value);
  mlir::IntegerAttr si64(int64_t value);

  void setOutput(size_t i, mlir::Value value);
  /// Maps each result of `op` to the output of the same index.
  void setOutputs(mlir::Operation *op);
  const std::vector<mlir::Value> &outputs() const { return results; }

  /// Records `message` as the node's error and returns failure.
  mlir::LogicalResult fail(const llvm::Twine &message);
  const std::string &error() const { return message; }

  /// Imports a subgraph attribute (`what` names it, e.g. "then_branch") into
  /// the end of `block` and returns its outputs. Its nodes may read the
  /// node's outer scope by name. Set by the graph importer, which records
  /// and names any error itself (the node's own error stays empty), except
  /// for a `tentative` import, whose failure leaves no error behind.
  using SubgraphImporter = std::function<mlir::FailureOr<llvm::SmallVector<mlir::Value>>(
      const onnx::GraphProto &graph, mlir::Block *block, llvm::StringRef what,
      bool tentative)>;
  SubgraphImporter importSubgraph;

private:
  std::vector<mlir::Value> inputs;
  std::vector<mlir::Value> results;
  int64_t inlineLimit;
  std::string message;
};

using NodeHandler = std::function<mlir::LogicalResult(NodeImporter &)>;

/// The attributes ONNX's LayerNormalization and ORT's
/// SimplifiedLayerNormalization share, with their defaults.
struct NormAttributes {
  int64_t axis;
  float epsilon;
  int64_t stashType;
};
mlir::FailureOr<NormAttributes> readNormAttributes(NodeImporter &n);

/// An operator the importer knows: the versions ONNX defined up to opset 24
/// (`history`), those whose semantics the handler implements (`supported`).
struct OpEntry {
  std::vector<int> history;
  std::vector<int> supported;
  Arity arity;
  NodeHandler handler;
  /// The tfm op the node becomes, for `tfmc ops`.
  const char *becomes;
};

/// ONNX's name of an attribute type (INT, FLOATS, ...), or UNKNOWN.
const char *attrTypeName(int type);

/// Default-domain operators, keyed by op type.
const llvm::StringMap<OpEntry> &onnxOpTable();
/// An ONNX Runtime com.microsoft operator (all are version 1).
struct ContribEntry {
  NodeHandler handler;
  /// The tfm ops the node becomes, for `tfmc ops`.
  const char *becomes;
};

/// ONNX Runtime's operators, keyed by op type.
const llvm::StringMap<ContribEntry> &contribOpTable();

/// Imports a default-domain node whose inputs, outputs and attributes map
/// one-to-one onto `opName`. Ops with several optional operands give their
/// number of operand groups: each ONNX input is then one segment.
mlir::LogicalResult importOneToOne(NodeImporter &n, llvm::StringRef opName,
                                   unsigned operandSegments = 0);

} // namespace tfmc

#endif // TFMC_LIB_IMPORT_NODEIMPORTER_H
