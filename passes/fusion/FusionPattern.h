//===- FusionPattern.h - shared pieces of the fusion patterns ---*- C++ -*-===//
//
// Each fusion family (one kind: attention, layer_norm, gelu, ...) supplies
// its rewrite patterns and an anchor test. Patterns record why an anchor did
// not fuse in the MissLog; after rewriting, the pass reports every anchor
// still there with the reason recorded for it.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_PASSES_FUSION_FUSIONPATTERN_H
#define TFMC_PASSES_FUSION_FUSIONPATTERN_H

#include "tfmc/Dialect/Tfm.h"

#include "mlir/IR/PatternMatch.h"

#include <map>
#include <string>

namespace tfmc::tfm::fusion {

/// The ONNX node name of an op (its NameLoc), or "" when it has none.
std::string nodeName(mlir::Operation *op);

/// Why anchors did not fuse, per anchor node and kind; the last reason wins.
class MissLog {
public:
  void record(mlir::Operation *anchor, llvm::StringRef kind, const llvm::Twine &reason);
  std::optional<std::string> reason(mlir::Operation *anchor, llvm::StringRef kind) const;

private:
  std::map<std::pair<std::string, std::string>, std::string> reasons;
};

/// One kind of fusion: its patterns, and which ops left after rewriting show
/// a block of that kind that did not fuse.
struct FusionFamily {
  llvm::StringLiteral kind;
  void (*populate)(mlir::RewritePatternSet &patterns, MissLog &log);
  bool (*isAnchor)(mlir::Operation *op);
};

FusionFamily attentionFamily();
FusionFamily geluFamily();
FusionFamily layerNormFamily();
FusionFamily rmsNormFamily();
FusionFamily swigluFamily();

/// A pattern of one fusion kind rooted at `RootOp`.
template <typename RootOp>
struct FusionPattern : mlir::OpRewritePattern<RootOp> {
  FusionPattern(mlir::MLIRContext *ctx, MissLog &log, llvm::StringLiteral kind,
                mlir::PatternBenefit benefit = 1)
      : mlir::OpRewritePattern<RootOp>(ctx, benefit), log(log), kind(kind) {}

  /// Records why `anchor` did not fuse and fails the match.
  mlir::LogicalResult miss(mlir::PatternRewriter &rewriter, mlir::Operation *anchor,
                           const llvm::Twine &reason) const {
    log.record(anchor, kind, reason);
    return rewriter.notifyMatchFailure(anchor, reason);
  }

  /// The location of an op replacing `absorbed`: their nodes, tagged with
  /// this pattern's kind.
  mlir::Location fusedLoc(llvm::ArrayRef<mlir::Operation *> absorbed) const;

  MissLog &log;
  llvm::StringLiteral kind;
};

mlir::Location makeFusedLoc(mlir::MLIRContext *ctx, llvm::StringRef kind,
                            llvm::ArrayRef<mlir::Operation *> absorbed);

template <typename RootOp>
mlir::Location
FusionPattern<RootOp>::fusedLoc(llvm::ArrayRef<mlir::Operation *> absorbed) const {
  return makeFusedLoc(this->getContext(), kind, absorbed);
}

//===----------------------------------------------------------------------===//
// Matching helpers
//===----------------------------------------------------------------------===//

/// `value` without the exporters' no-op noise around it: tfm.identity and
/// casts between equal element types.
mlir::Value skipNoise(mlir::Value value);

/// The value of a constant holding one number (a splat or a one-element
/// tensor), looking through noise.
std::optional<double> getScalarConstant(mlir::Value value);

/// Whether `value` is a one-number constant within 1e-3 relative of
/// `expected` (exporters round constants like 1/sqrt(2) differently).
bool isScalarConstant(mlir::Value value, double expected);

/// For a commutative binary op: the operand for which `match` holds (tried
/// on lhs first) and the other one.
std::optional<std::pair<mlir::Value, mlir::Value>>
matchEitherOperand(mlir::Operation *op, llvm::function_ref<bool(mlir::Value)> match);

/// The only user of `value`'s single result, when it has exactly one use.
mlir::Operation *singleUser(mlir::Value value);

/// The value of a one-element float expression: a constant, or Sqrt,
/// Reciprocal, Cast, Mul and Div of such (keras2onnx divides attention
/// scores by sqrt(cast(head_size))).
std::optional<double> foldScalar(mlir::Value value);

/// Creates the tfm op `name` and gives it the result types its shape
/// inference computes.
mlir::Operation *createInferred(mlir::PatternRewriter &rewriter, mlir::Location loc,
                                llvm::StringRef name, mlir::ValueRange operands,
                                llvm::ArrayRef<mlir::NamedAttribute> attrs = {},
                                unsigned numResults = 1);

} // namespace tfmc::tfm::fusion

#endif // TFMC_PASSES_FUSION_FUSIONPATTERN_H
