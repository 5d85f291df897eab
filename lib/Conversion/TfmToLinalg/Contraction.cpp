//===- Contraction.cpp - MatMul, Gemm and friends -------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
using tfmc::tfm::Dims;
namespace tfm = tfmc::tfm;

namespace {

Value multiplyAdd(OpBuilder &b, Location loc, Value acc, Value x, Value y) {
  if (isa<FloatType>(acc.getType()))
    return arith::AddFOp::create(b, loc, acc, arith::MulFOp::create(b, loc, x, y));
  return arith::AddIOp::create(b, loc, acc, arith::MulIOp::create(b, loc, x, y));
}

/// numpy matmul as one linalg.generic: batch dims broadcast, 1-D operands
/// promoted, iterating (batch..., [m], [n], k).
struct MatMulLowering : OpConversionPattern<tfm::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::MatMulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    Value a = adaptor.getA(), b = adaptor.getB();
    auto aType = cast<RankedTensorType>(a.getType());
    auto bType = cast<RankedTensorType>(b.getType());
    int64_t ra = aType.getRank(), rb = bType.getRank();
    int64_t resultRank = resultType.getRank();
    bool hasM = ra > 1, hasN = rb > 1;
    int64_t batchRank = resultRank - (hasM ? 1 : 0) - (hasN ? 1 : 0);
    int64_t numLoops = resultRank + 1;
    AffineExpr k = getAffineDimExpr(numLoops - 1, ctx);
    AffineExpr m = getAffineDimExpr(batchRank, ctx);
    AffineExpr n = getAffineDimExpr(batchRank + (hasM ? 1 : 0), ctx);

    Dims resultDims = tfm::getDims(op.getResult().getType());
    Dims aDims = tfm::getDims(op.getA().getType());
    Dims bDims = tfm::getDims(op.getB().getType());
    // Batch dims of one operand, right-aligned to the result's.
    auto batchExprs = [&](RankedTensorType type, int64_t operandBatch) {
      SmallVector<AffineExpr> exprs;
      for (int64_t j = 0; j < operandBatch; ++j) {
        int64_t i = j + batchRank - operandBatch;
        bool broadcast = type.getDimSize(j) == 1 && resultType.getDimSize(i) != 1;
        exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx) : getAffineDimExpr(i, ctx));
      }
      return exprs;
    };
    int64_t aBatch = std::max<int64_t>(ra - 2, 0), bBatch = std::max<int64_t>(rb - 2, 0);
    SmallVector<AffineExpr> aExprs = batchExprs(aType, aBatch);
    if (hasM)
      aExprs.push_back(m);
    aExprs.push_back(k);
    SmallVector<AffineExpr> bExprs = batchExprs(bType, bBatch);
    bExprs.push_back(k);
    if (hasN)
      bExprs.push_back(n);
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < resultRank; ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));

    // Dynamic result sizes, read off the operand that carries each one.
    SmallVector<Value> dynamicSizes;
    for (int64_t i = 0; i < resultRank; ++i) {
      if (!resultType.isDynamicDim(i))
        continue;
      Value source;
      int64_t sourceDim = 0;
      if (i < batchRank) {
        for (auto [operand, dims, batch] :
             {std::tuple{a, aDims, aBatch}, std::tuple{b, bDims, bBatch}}) {
          int64_t j = i - (batchRank - batch);
          if (j < 0 || !cast<RankedTensorType>(operand.getType()).isDynamicDim(j))
            continue;
          if (!source || dims[j].provablyEqual(resultDims[i])) {
            source = operand;
            sourceDim = j;
          }
        }
      } else if (hasM && i == batchRank) {
        source = a;
        sourceDim = ra - 2;
      } else {
        source = b;
        sourceDim = rb - 1;
      }
      dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, source, sourceDim));
    }

    Type element = resultType.getElementType();
    Value zero = scalarConstant(rewriter, loc, element, 0.0);
    Value init = createFilled(rewriter, loc, resultType, dynamicSizes, zero);
    SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, aExprs, ctx),
                                AffineMap::get(numLoops, 0, bExprs, ctx),
                                AffineMap::get(numLoops, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(numLoops, utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{a, b}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
          linalg::YieldOp::create(nb, nloc, multiplyAdd(nb, nloc, args[2], args[0], args[1]));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void lowering::populateContractionPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns) {
  patterns.add<MatMulLowering>(converter, patterns.getContext());
}
