//===- ControlFlowOps.cpp - tfm.if: shapes, branching, folding ------------===//
//
// The regions of tfm.if read outer values directly (ONNX subgraphs capture
// by name). A condition that shape folding makes constant selects one branch
// statically: its types become the results', and canonicalization inlines it
// (exporters guard squeezes of dims they cannot prove are 1 this way).
//
//===----------------------------------------------------------------------===//

#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace tfmc::tfm;

static YieldOp terminatorOf(Region &region) {
  if (region.empty() || region.front().empty())
    return {};
  return dyn_cast<YieldOp>(region.front().back());
}

YieldOp IfOp::thenYield() { return terminatorOf(getThenRegion()); }
YieldOp IfOp::elseYield() { return terminatorOf(getElseRegion()); }

std::optional<bool> IfOp::getStaticCondition() {
  std::optional<SmallVector<int64_t>> value = getConstantInts(getCondition(), 1);
  if (!value)
    value = evaluateConstantInts(getCondition());
  if (!value || value->size() != 1)
    return std::nullopt;
  return (*value)[0] != 0;
}

LogicalResult IfOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  auto condType = cast<RankedTensorType>(getCondition().getType());
  if (!condType.hasStaticShape() || condType.getNumElements() != 1)
    return emitOpError("condition must hold exactly one element, got ") << condType;
  YieldOp yields[2] = {thenYield(), elseYield()};
  const char *names[2] = {"then", "else"};
  for (int i = 0; i < 2; ++i) {
    if (!yields[i])
      return emitOpError() << names[i] << " branch must end in tfm.yield";
    if (yields[i].getNumOperands() != getNumResults())
      return emitOpError() << names[i] << " branch yields " << yields[i].getNumOperands()
                           << " values for " << getNumResults() << " results";
  }
  // A known condition: the other branch never runs, whatever it yields.
  if (std::optional<bool> taken = getStaticCondition()) {
    for (Value v : yields[*taken ? 0 : 1].getValues())
      types.push_back(v.getType());
    return success();
  }
  for (auto [i, pair] : llvm::enumerate(
           llvm::zip(yields[0].getValues().getTypes(), yields[1].getValues().getTypes()))) {
    auto a = cast<RankedTensorType>(std::get<0>(pair));
    auto b = cast<RankedTensorType>(std::get<1>(pair));
    if (a.getElementType() != b.getElementType())
      return emitOpError("branches yield different element types for result #")
             << i << ": " << a << " and " << b;
    if (a.getRank() != b.getRank())
      return emitOpError("branches yield different ranks for result #")
             << i << ": " << a << " and " << b
             << " (the condition is not known at compile time, and ranks must be static)";
    Dims joined;
    for (auto [x, y] : llvm::zip(getDims(a), getDims(b)))
      joined.push_back(x.provablyEqual(y) ? x : Dim::unknown());
    types.push_back(makeTensorType(joined, a.getElementType()));
  }
  return success();
}

/// A yielded type fits a result type when element type and rank agree and
/// no dimension is static in both with different sizes.
static bool fits(Type yielded, Type result) {
  auto a = cast<RankedTensorType>(yielded), b = cast<RankedTensorType>(result);
  if (a.getElementType() != b.getElementType() || a.getRank() != b.getRank())
    return false;
  for (auto [x, y] : llvm::zip(a.getShape(), b.getShape()))
    if (!ShapedType::isDynamic(x) && !ShapedType::isDynamic(y) && x != y)
      return false;
  return true;
}

LogicalResult IfOp::verify() {
  // Inference (the interface's verifier) has checked the structure; here each
  // branch that may run must yield what the results promise.
  YieldOp yields[2] = {thenYield(), elseYield()};
  const char *names[2] = {"then", "else"};
  std::optional<bool> taken = getStaticCondition();
  for (int i = 0; i < 2; ++i) {
    if (!yields[i] || yields[i].getNumOperands() != getNumResults() ||
        (taken && *taken != (i == 0)))
      continue;
    for (auto [j, pair] :
         llvm::enumerate(llvm::zip(yields[i].getValues().getTypes(), getResultTypes())))
      if (!fits(std::get<0>(pair), std::get<1>(pair)))
        return emitOpError("result #") << j << " has type " << std::get<1>(pair) << " but the "
                                       << names[i] << " branch yields " << std::get<0>(pair);
  }
  return success();
}

void IfOp::getSuccessorRegions(RegionBranchPoint point,
                               SmallVectorImpl<RegionSuccessor> &regions) {
  // Either branch returns to the op.
  if (!point.isParent()) {
    regions.push_back(RegionSuccessor(getOperation(), getResults()));
    return;
  }
  regions.push_back(RegionSuccessor(&getThenRegion()));
  regions.push_back(RegionSuccessor(&getElseRegion()));
}

bool IfOp::areTypesCompatible(Type lhs, Type rhs) {
  // Shapes are the shape-inference verifier's to check: a branch may yield a
  // more static type than the join, or anything when it is statically dead.
  return getElementTypeOrSelf(lhs) == getElementTypeOrSelf(rhs);
}

namespace {
/// tfm.if on a statically known condition is the taken branch's ops.
struct InlineTakenBranch : OpRewritePattern<IfOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(IfOp op, PatternRewriter &rewriter) const override {
    std::optional<bool> taken = op.getStaticCondition();
    if (!taken)
      return failure();
    YieldOp yield = *taken ? op.thenYield() : op.elseYield();
    if (!yield)
      return failure();
    SmallVector<Value> values(yield.getValues());
    rewriter.inlineBlockBefore(yield->getBlock(), op);
    rewriter.eraseOp(yield);
    // The results may still have a join's less static types until inference
    // runs again: keep them through an identity, which then folds away.
    for (auto [value, result] : llvm::zip(values, op.getResults()))
      if (value.getType() != result.getType())
        value = IdentityOp::create(rewriter, op.getLoc(), result.getType(), value);
    rewriter.replaceOp(op, values);
    return success();
  }
};
} // namespace

void IfOp::getCanonicalizationPatterns(RewritePatternSet &results, MLIRContext *ctx) {
  results.add<InlineTakenBranch>(ctx);
}
