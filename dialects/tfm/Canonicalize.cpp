//===- Canonicalize.cpp - folders and canonicalization patterns -----------===//
//
// These patterns fold the shape arithmetic that exporters emit: chains over
// Shape become constants when every dim is static, `tfm.dim` reads when not,
// and Reshape targets become constants that use 0 (copy) and -1 (infer).
//
//===----------------------------------------------------------------------===//

#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace tfmc::tfm;

static Value i64Constant(PatternRewriter &rewriter, Location loc, ArrayRef<int64_t> values,
                         bool scalar = false) {
  auto type = RankedTensorType::get(scalar ? ArrayRef<int64_t>{} :
                                             ArrayRef<int64_t>{(int64_t)values.size()},
                                    rewriter.getI64Type());
  return ConstantOp::create(rewriter, loc, type, DenseElementsAttr::get(type, values));
}

//===----------------------------------------------------------------------===//
// Folders
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  return getInput().getType() == getType() ? getInput() : Value();
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  return getInput().getType() == getType() ? getInput() : Value();
}

OpFoldResult DimOp::fold(FoldAdaptor) {
  auto type = cast<RankedTensorType>(getInput().getType());
  // The verifier keeps the index in range; a static dim is a constant.
  int64_t index = static_cast<int64_t>(getIndex());
  if (index < 0 || index >= type.getRank() || type.isDynamicDim(index))
    return {};
  return DenseElementsAttr::get(cast<ShapedType>(getType()),
                                ArrayRef<int64_t>{type.getDimSize(index)});
}

OpFoldResult ExpandOp::fold(FoldAdaptor) {
  // Expanding to the input's own shape is a no-op.
  Dims in = getDims(getInput().getType()), out = getDims(getType());
  if (in.size() != out.size())
    return {};
  for (auto [a, b] : llvm::zip(in, out))
    if (!a.provablyEqual(b))
      return {};
  return getInput().getType() == getType() ? getInput() : Value();
}

//===----------------------------------------------------------------------===//
// Op canonicalizers
//===----------------------------------------------------------------------===//

namespace {
/// Dropout at inference is the identity; its mask is all true.
struct RemoveInferenceDropout : OpRewritePattern<DropoutOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DropoutOp op, PatternRewriter &rewriter) const override {
    if (Value training = op.getTrainingMode()) {
      std::optional<SmallVector<int64_t>> mode = getConstantInts(training);
      if (!mode || (*mode)[0] != 0)
        return rewriter.notifyMatchFailure(op, "training mode");
    }
    SmallVector<Value> replacements{op.getData()};
    if (Value mask = op.getMask()) {
      auto maskType = cast<RankedTensorType>(mask.getType());
      auto plain = withoutEncoding(maskType);
      if (maskType.hasStaticShape()) {
        replacements.push_back(ConstantOp::create(rewriter,
            op.getLoc(), plain, DenseElementsAttr::get(plain, true)));
      } else {
        // Exporters keep the mask output on dynamic shapes too: fill the
        // data's own shape with true so the dropout still goes away.
        auto shapeType = RankedTensorType::get({maskType.getRank()}, rewriter.getI64Type());
        Value shape = ShapeOp::create(rewriter, op.getLoc(), TypeRange{shapeType},
                                               ValueRange{op.getData()});
        auto one = RankedTensorType::get({1}, rewriter.getI1Type());
        replacements.push_back(ConstantOfShapeOp::create(rewriter,
            op.getLoc(), maskType, shape, DenseElementsAttr::get(one, true)));
      }
    }
    rewriter.replaceOp(op, replacements);
    return success();
  }
};

/// Rewrites a computed Reshape target into a constant: static dims as they
/// are, dims equal to the input's at the same position as 0, one remaining
/// dim as -1.
struct ConstantReshapeTarget : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op, PatternRewriter &rewriter) const override {
    if (op.getShape().getDefiningOp<ConstantOp>())
      return failure();
    Dims in = getDims(op.getData().getType()), out = getDims(op.getType());
    SmallVector<int64_t> target;
    bool inferred = false;
    for (auto [i, d] : llvm::enumerate(out)) {
      if (std::optional<int64_t> v = d.getStatic()) {
        if (*v == 0)
          return failure(); // 0 would mean "copy" without allowzero
        target.push_back(*v);
      } else if (!op.getAllowzero() && i < in.size() && d.provablyEqual(in[i])) {
        target.push_back(0);
      } else if (!inferred) {
        target.push_back(-1);
        inferred = true;
      } else {
        return failure();
      }
    }
    rewriter.modifyOpInPlace(op, [&] {
      op.getShapeMutable().assign(i64Constant(rewriter, op.getLoc(), target));
    });
    return success();
  }
};

/// Reshape(Reshape(x)) is Reshape(x).
struct CollapseReshapes : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op, PatternRewriter &rewriter) const override {
    auto inner = op.getData().getDefiningOp<ReshapeOp>();
    auto target = getConstantInts(op.getShape());
    // A 0 in the outer target would refer to the inner result's dims.
    if (!inner || !target || (!op.getAllowzero() && llvm::is_contained(*target, 0)))
      return failure();
    rewriter.modifyOpInPlace(op, [&] { op.getDataMutable().assign(inner.getData()); });
    return success();
  }
};

/// Gather(Shape(x), i) is tfm.dim(x, i).
struct GatherOfShapeToDim : OpRewritePattern<GatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherOp op, PatternRewriter &rewriter) const override {
    auto shape = op.getData().getDefiningOp<ShapeOp>();
    auto index = getConstantInts(op.getIndices());
    if (!shape || !index || op.getIndices().getType().getRank() != 0)
      return failure();
    int64_t length = cast<RankedTensorType>(shape.getType()).getDimSize(0);
    std::optional<int64_t> i = normalizeAxis((*index)[0], length);
    if (!i)
      return failure();
    int64_t rank = shape.getData().getType().getRank();
    // Clamped as tfm.shape clamps it; the dim index must lie in [0, rank).
    int64_t start = std::clamp<int64_t>(
        shape.getStart() < 0 ? shape.getStart() + rank : shape.getStart(), 0, rank);
    rewriter.replaceOpWithNewOp<DimOp>(op, op.getType(), shape.getData(),
                                       rewriter.getI64IntegerAttr(start + *i));
    return success();
  }
};

/// Where with a splat constant condition is one of its operands, when that
/// has the result's type: exporters' Where(Equal(shape, -1), 1, shape)
/// leaves this once Equal folds on symbolic dims.
struct SelectByConstantCondition : OpRewritePattern<WhereOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(WhereOp op, PatternRewriter &rewriter) const override {
    auto cst = op.getCondition().getDefiningOp<ConstantOp>();
    auto dense = cst ? dyn_cast<DenseElementsAttr>(cst.getValue()) : DenseElementsAttr();
    if (!dense || !dense.isSplat())
      return failure();
    Value chosen = dense.getSplatValue<bool>() ? op.getX() : op.getY();
    if (chosen.getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, chosen);
    return success();
  }
};

/// Any small integer tensor whose contents the shape evaluator knows
/// statically becomes a constant.
struct FoldStaticShapeValue : RewritePattern {
  FoldStaticShapeValue(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (isa<ConstantOp>(op) || op->getNumResults() != 1 ||
        op->getDialect() != op->getContext()->getLoadedDialect<TfmDialect>())
      return failure();
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type || !type.hasStaticShape() || !isa<IntegerType>(type.getElementType()))
      return failure();
    std::optional<SmallVector<int64_t>> values = evaluateConstantInts(op->getResult(0));
    if (!values || static_cast<int64_t>(values->size()) != type.getNumElements())
      return failure();
    auto plain = withoutEncoding(type);
    unsigned width = plain.getElementType().getIntOrFloatBitWidth();
    SmallVector<APInt> ints;
    for (int64_t v : *values)
      ints.push_back(APInt(width, v, /*isSigned=*/true, /*implicitTrunc=*/true));
    rewriter.replaceOpWithNewOp<ConstantOp>(op, plain, DenseElementsAttr::get(plain, ints));
    return success();
  }
};
} // namespace

void DropoutOp::getCanonicalizationPatterns(RewritePatternSet &results, MLIRContext *ctx) {
  results.add<RemoveInferenceDropout>(ctx);
}

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results, MLIRContext *ctx) {
  results.add<ConstantReshapeTarget, CollapseReshapes>(ctx);
}

void GatherOp::getCanonicalizationPatterns(RewritePatternSet &results, MLIRContext *ctx) {
  results.add<GatherOfShapeToDim>(ctx);
}

void TfmDialect::getCanonicalizationPatterns(RewritePatternSet &results) const {
  results.add<FoldStaticShapeValue, SelectByConstantCondition>(getContext());
}
