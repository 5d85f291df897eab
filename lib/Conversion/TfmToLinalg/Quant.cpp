//===- Quant.cpp - QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear ===//
//
// Scales and zero points are read per tensor, per axis or per block through
// the indexing maps of one elementwise linalg.generic. Arithmetic follows
// ONNX's reference: x / scale rounded half to even, plus the zero point,
// saturated to the integer type; (x - zero point) * scale computed in f32.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;

namespace {

/// Where each element of `x` reads its scale: the one value, the index
/// along `axis`, or that index / `blockSize`.
AffineMap scaleMap(MLIRContext *ctx, RankedTensorType x, RankedTensorType scale, int64_t axis,
                   int64_t blockSize) {
  int64_t rank = x.getRank();
  if (blockSize == 0 && scale.hasStaticShape() && scale.getNumElements() == 1) {
    SmallVector<AffineExpr> zeros(scale.getRank(), getAffineConstantExpr(0, ctx));
    return AffineMap::get(rank, 0, zeros, ctx);
  }
  int64_t a = *tfm::normalizeAxis(axis, rank);
  if (blockSize == 0)
    return AffineMap::get(rank, 0, getAffineDimExpr(a, ctx));
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    exprs.push_back(i == a ? getAffineDimExpr(i, ctx).floorDiv(blockSize)
                           : getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// An elementwise generic over `x` reading `params` (scale, zero point)
/// through `paramMap`.
Value buildQuantGeneric(OpBuilder &b, Location loc, Value x, ValueRange params, AffineMap paramMap,
                        RankedTensorType resultType, ScalarBody body) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = resultType.getRank();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<Value> inputs{x};
  inputs.append(params.begin(), params.end());
  SmallVector<AffineMap> maps{identity};
  maps.append(params.size(), paramMap);
  maps.push_back(identity);
  Value init = createEmpty(b, loc, resultType, getDynamicSizes(b, loc, x));
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args.drop_back()));
      });
  return generic.getResult(0);
}

/// saturate(round_half_even(x / scale) + zeroPoint) into `out`; `zeroPoint`
/// may be null. NaN saturates to the type's minimum.
Value quantizeScalar(OpBuilder &b, Location loc, Value x, Value scale, Value zeroPoint, Type out,
                     bool outUnsigned) {
  Type f64 = b.getF64Type();
  Type xType = x.getType();
  Value scaled = arith::DivFOp::create(b, loc, x, castScalar(b, loc, scale, xType, false, false));
  Value q = castScalar(b, loc, math::RoundEvenOp::create(b, loc, scaled), f64, false, false);
  if (zeroPoint)
    q = arith::AddFOp::create(b, loc, q, castScalar(b, loc, zeroPoint, f64, outUnsigned, false));
  unsigned width = out.getIntOrFloatBitWidth();
  APInt lo = outUnsigned ? APInt::getMinValue(width) : APInt::getSignedMinValue(width);
  APInt hi = outUnsigned ? APInt::getMaxValue(width) : APInt::getSignedMaxValue(width);
  auto bound = [&](const APInt &v) {
    return scalarConstant(b, loc, f64,
                          outUnsigned ? double(v.getZExtValue()) : double(v.getSExtValue()));
  };
  q = arith::MaxNumFOp::create(b, loc, q, bound(lo));
  q = arith::MinNumFOp::create(b, loc, q, bound(hi));
  return castScalar(b, loc, q, out, false, outUnsigned);
}

struct QuantizeLinearLowering : OpConversionPattern<tfm::QuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::QuantizeLinearOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getY());
    bool outUnsigned = isUnsigned(op.getY().getType());
    SmallVector<Value> params{adaptor.getYScale()};
    if (adaptor.getYZeroPoint())
      params.push_back(adaptor.getYZeroPoint());
    AffineMap map = scaleMap(rewriter.getContext(), op.getX().getType(), op.getYScale().getType(),
                             op.getAxis(), op.getBlockSize());
    Type out = resultType.getElementType();
    Value y = buildQuantGeneric(rewriter, op.getLoc(), adaptor.getX(), params, map, resultType,
                                [&](OpBuilder &b, Location loc, ValueRange args) {
                                  Value zeroPoint = args.size() > 2 ? args[2] : Value();
                                  return quantizeScalar(b, loc, args[0], args[1], zeroPoint, out,
                                                        outUnsigned);
                                });
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct DequantizeLinearLowering : OpConversionPattern<tfm::DequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::DequantizeLinearOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getY());
    bool inUnsigned = isUnsigned(op.getX().getType());
    SmallVector<Value> params{adaptor.getXScale()};
    if (adaptor.getXZeroPoint())
      params.push_back(adaptor.getXZeroPoint());
    AffineMap map = scaleMap(rewriter.getContext(), op.getX().getType(), op.getXScale().getType(),
                             op.getAxis(), op.getBlockSize());
    Type element = resultType.getElementType();
    Type compute = element.isF64() ? element : rewriter.getF32Type();
    Value y = buildQuantGeneric(
        rewriter, op.getLoc(), adaptor.getX(), params, map, resultType,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value x = castScalar(b, loc, args[0], compute, inUnsigned, false);
          if (args.size() > 2)
            x = arith::SubFOp::create(b, loc, x,
                                      castScalar(b, loc, args[2], compute, inUnsigned, false));
          Value scale = castScalar(b, loc, args[1], compute, false, false);
          return castScalar(b, loc, arith::MulFOp::create(b, loc, x, scale), element, false, false);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// ONNX's function body: the range [min(0, min x), max(0, max x)] maps onto
/// [0, 255], scale = range / 255, zero point = round(clip(-min / scale)), and
/// x is quantized with them. An all-zero x has scale 0: the NaNs of 0 / 0
/// saturate to a zero point and outputs of 0.
struct DynamicQuantizeLinearLowering : OpConversionPattern<tfm::DynamicQuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::DynamicQuantizeLinearOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getX();
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    Type f32 = rewriter.getF32Type();
    Type u8 = rewriter.getI8Type();

    // Min and max over all elements, both starting from 0.
    auto scalarType = RankedTensorType::get({}, f32);
    Value zero = scalarConstant(rewriter, loc, f32, 0.0);
    Value minInit = createFilled(rewriter, loc, scalarType, {}, zero);
    Value maxInit = createFilled(rewriter, loc, scalarType, {}, zero);
    AffineMap all = AffineMap::get(rank, 0, ArrayRef<AffineExpr>{}, ctx);
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::reduction);
    auto range = linalg::GenericOp::create(
        rewriter, loc, TypeRange{scalarType, scalarType}, ValueRange{x},
        ValueRange{minInit, maxInit}, {AffineMap::getMultiDimIdentityMap(rank, ctx), all, all},
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l,
                                  ValueRange{arith::MinimumFOp::create(b, l, args[1], args[0]),
                                             arith::MaximumFOp::create(b, l, args[2], args[0])});
        });
    Value min = tensor::ExtractOp::create(rewriter, loc, range.getResult(0), ValueRange{});
    Value max = tensor::ExtractOp::create(rewriter, loc, range.getResult(1), ValueRange{});

    Value qmax = scalarConstant(rewriter, loc, f32, 255.0);
    Value scale =
        arith::DivFOp::create(rewriter, loc, arith::SubFOp::create(rewriter, loc, max, min), qmax);
    Value zeroPoint = arith::SubFOp::create(rewriter, loc, zero,
                                            arith::DivFOp::create(rewriter, loc, min, scale));
    zeroPoint = arith::MaxNumFOp::create(rewriter, loc, zeroPoint, zero);
    zeroPoint = arith::MinNumFOp::create(rewriter, loc, zeroPoint, qmax);
    zeroPoint = castScalar(rewriter, loc, math::RoundEvenOp::create(rewriter, loc, zeroPoint), u8,
                           false, /*toUnsigned=*/true);

    RankedTensorType yType = convertedType(*getTypeConverter(), op.getY());
    Value y = buildQuantGeneric(rewriter, loc, x, {}, AffineMap(), yType,
                                [&](OpBuilder &b, Location l, ValueRange args) {
                                  return quantizeScalar(b, l, args[0], scale, zeroPoint, u8,
                                                        /*outUnsigned=*/true);
                                });
    Value scaleTensor = tensor::FromElementsOp::create(rewriter, loc, scalarType, scale);
    Value zeroPointTensor =
        tensor::FromElementsOp::create(rewriter, loc, RankedTensorType::get({}, u8), zeroPoint);
    rewriter.replaceOp(op, {y, scaleTensor, zeroPointTensor});
    return success();
  }
};

} // namespace

void lowering::populateQuantPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<QuantizeLinearLowering, DequantizeLinearLowering, DynamicQuantizeLinearLowering>(
      converter, patterns.getContext());
}
