//===- Reduction.cpp - reductions, softmax, arg max, top-k, cumulative sums ===//
//
// Reductions are linalg.generics whose output map drops the reduced dims;
// kept dims come back through tensor.expand_shape, so every indexing map is a
// projected permutation. Axes known only at run time reduce one dim at a time
// under scf.if, which keeps the rank static.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;

using llvm::SmallBitVector;

//===----------------------------------------------------------------------===//
// Shared reduction pieces
//===----------------------------------------------------------------------===//

Value lowering::reductionIdentity(OpBuilder &b, Location loc, Type type, ReductionKind kind,
                                  bool isUnsigned) {
  switch (kind) {
  case ReductionKind::Sum:
  case ReductionKind::Mean:
    return scalarConstant(b, loc, type, 0);
  case ReductionKind::Prod:
    return scalarConstant(b, loc, type, 1);
  case ReductionKind::Max:
  case ReductionKind::Min:
    break;
  }
  bool lowest = kind == ReductionKind::Max;
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc, b.getFloatAttr(floatType, APFloat::getInf(floatType.getFloatSemantics(), lowest)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt value = isUnsigned
                    ? (lowest ? APInt::getMinValue(width) : APInt::getMaxValue(width))
                    : (lowest ? APInt::getSignedMinValue(width) : APInt::getSignedMaxValue(width));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

Value lowering::combineScalar(OpBuilder &b, Location loc, ReductionKind kind, Value acc, Value x,
                              bool isUnsigned) {
  bool isFloat = isa<FloatType>(acc.getType());
  switch (kind) {
  case ReductionKind::Sum:
  case ReductionKind::Mean:
    return isFloat ? arith::AddFOp::create(b, loc, acc, x).getResult()
                   : arith::AddIOp::create(b, loc, acc, x).getResult();
  case ReductionKind::Prod:
    return isFloat ? arith::MulFOp::create(b, loc, acc, x).getResult()
                   : arith::MulIOp::create(b, loc, acc, x).getResult();
  case ReductionKind::Max:
    if (isFloat)
      return arith::MaximumFOp::create(b, loc, acc, x);
    return isUnsigned ? arith::MaxUIOp::create(b, loc, acc, x).getResult()
                      : arith::MaxSIOp::create(b, loc, acc, x).getResult();
  case ReductionKind::Min:
    if (isFloat)
      return arith::MinimumFOp::create(b, loc, acc, x);
    return isUnsigned ? arith::MinUIOp::create(b, loc, acc, x).getResult()
                      : arith::MinSIOp::create(b, loc, acc, x).getResult();
  }
  llvm_unreachable("unknown reduction kind");
}

namespace {

/// f16 and bf16 lose precision fast in long sums: those accumulate in f32.
Type accumulatorType(Type element, ReductionKind kind) {
  bool exact = kind == ReductionKind::Max || kind == ReductionKind::Min;
  if (!exact && (element.isF16() || element.isBF16()))
    return Float32Type::get(element.getContext());
  return element;
}

/// The map from the loops over a tensor's dims to the dims not in `dropped`.
AffineMap keptDimsMap(int64_t rank, const SmallBitVector &dropped, MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (!dropped.test(i))
      exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// The sizes of `tensor` without the dims in `dropped`, as a type and the
/// dynamic sizes `tensor.empty` wants.
RankedTensorType keptDimsType(OpBuilder &b, Location loc, Value tensor,
                              const SmallBitVector &dropped, Type element,
                              SmallVectorImpl<Value> &dynamicSizes) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (dropped.test(i))
      continue;
    shape.push_back(type.getDimSize(i));
    if (type.isDynamicDim(i))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, tensor, i));
  }
  return RankedTensorType::get(shape, element);
}

SmallBitVector singleDim(int64_t rank, int64_t dim) {
  SmallBitVector bits(rank);
  bits.set(dim);
  return bits;
}

/// A linalg.generic folding the `reduced` dims of `input` away; the result
/// holds the raw accumulators in `accType`.
Value reduceDims(OpBuilder &b, Location loc, Value input, const SmallBitVector &reduced,
                 ReductionKind kind, Type accType, bool isUnsigned) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  SmallVector<Value> dynamicSizes;
  RankedTensorType resultType = keptDimsType(b, loc, input, reduced, accType, dynamicSizes);
  Value identity = reductionIdentity(b, loc, accType, kind, isUnsigned);
  Value init = createFilled(b, loc, resultType, dynamicSizes, identity);
  SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(rank, ctx),
                              keptDimsMap(rank, reduced, ctx)};
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i)
    iterators.push_back(reduced.test(i) ? utils::IteratorType::reduction
                                        : utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, ValueRange{input}, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value x = castScalar(nb, nloc, args[0], accType, isUnsigned, isUnsigned);
        linalg::YieldOp::create(nb, nloc, combineScalar(nb, nloc, kind, args[1], x, isUnsigned));
      });
  return generic.getResult(0);
}

/// How many elements each result of a reduction of `input` over `reduced`
/// covers: the product of their sizes, folded where static.
Value reducedCount(OpBuilder &b, Location loc, Value input, const SmallBitVector &reduced) {
  int64_t known = 1;
  Value count;
  for (int i : reduced.set_bits()) {
    OpFoldResult size = tensor::getMixedSize(b, loc, input, i);
    if (std::optional<int64_t> s = getConstantIntValue(size)) {
      known *= *s;
      continue;
    }
    Value dynamic = cast<Value>(size);
    count = count ? arith::MulIOp::create(b, loc, count, dynamic).getResult() : dynamic;
  }
  Value knownValue = arith::ConstantIndexOp::create(b, loc, known);
  if (!count)
    return knownValue;
  return known == 1 ? count : arith::MulIOp::create(b, loc, count, knownValue).getResult();
}

/// The same when an i1 per dim in `isReduced` says which dims are reduced.
Value reducedCount(OpBuilder &b, Location loc, Value input, ValueRange isReduced) {
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value count = one;
  for (auto [i, reduced] : llvm::enumerate(isReduced)) {
    Value size = tensor::DimOp::create(b, loc, input, i);
    count =
        arith::MulIOp::create(b, loc, count, arith::SelectOp::create(b, loc, reduced, size, one));
  }
  return count;
}

/// Turns accumulators into results: a Mean divides by `count` (an index) and
/// f32 accumulators return to `element`.
Value finalizeReduction(OpBuilder &b, Location loc, Value acc, ReductionKind kind, Value count,
                        Type element, bool isUnsigned) {
  Type accType = getElementTypeOrSelf(acc.getType());
  if (kind != ReductionKind::Mean && accType == element)
    return acc;
  Value divisor;
  if (kind == ReductionKind::Mean) {
    Value count64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), count);
    divisor = castScalar(b, loc, count64, accType, /*fromUnsigned=*/true, isUnsigned);
  }
  return mapElements(b, loc, acc, element, [&](OpBuilder &nb, Location nloc, ValueRange args) {
    Value x = args[0];
    if (divisor) {
      if (isa<FloatType>(accType))
        x = arith::DivFOp::create(nb, nloc, x, divisor);
      else if (isUnsigned)
        x = arith::DivUIOp::create(nb, nloc, x, divisor);
      else
        x = arith::DivSIOp::create(nb, nloc, x, divisor);
    }
    return castScalar(nb, nloc, x, element, false, false);
  });
}

/// `collapsed` (the reduction of `input` over `reduced`) with the reduced dims
/// restored as size 1.
Value expandReducedDims(OpBuilder &b, Location loc, Value collapsed, Value input,
                        const SmallBitVector &reduced) {
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices leading;
  SmallVector<OpFoldResult> sizes;
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < inputType.getRank(); ++i) {
    if (reduced.test(i)) {
      // A unit dim joins the group of the kept dim before it, or the first.
      (groups.empty() ? leading : groups.back()).push_back(i);
      sizes.push_back(b.getIndexAttr(1));
      shape.push_back(1);
      continue;
    }
    groups.push_back(leading);
    groups.back().push_back(i);
    leading.clear();
    sizes.push_back(tensor::getMixedSize(b, loc, input, i));
    shape.push_back(inputType.getDimSize(i));
  }
  auto type = RankedTensorType::get(shape, getElementTypeOrSelf(collapsed.getType()));
  return tensor::ExpandShapeOp::create(b, loc, type, collapsed, groups, sizes);
}

} // namespace

Value lowering::buildReduction(OpBuilder &b, Location loc, Value input,
                               const SmallBitVector &reduced, ReductionKind kind, bool keepDims,
                               bool isUnsigned) {
  Type element = getElementTypeOrSelf(input.getType());
  Value acc = reduceDims(b, loc, input, reduced, kind, accumulatorType(element, kind), isUnsigned);
  Value count;
  if (kind == ReductionKind::Mean)
    count = reducedCount(b, loc, input, reduced);
  Value result = finalizeReduction(b, loc, acc, kind, count, element, isUnsigned);
  return keepDims ? expandReducedDims(b, loc, result, input, reduced) : result;
}

namespace {

//===----------------------------------------------------------------------===//
// reduce_* with axes known only at run time
//===----------------------------------------------------------------------===//

/// One i1 per dim of a rank-`rank` tensor: whether the 1-D `axes` names it.
/// Empty axes mean all dims, or none with `noopWithEmptyAxes`.
SmallVector<Value> runtimeReducedMask(OpBuilder &b, Location loc, Value axes, int64_t rank,
                                      bool noopWithEmptyAxes) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value count = tensor::DimOp::create(b, loc, axes, 0);
  Value rank64 = arith::ConstantIntOp::create(b, loc, rank, 64);
  Value zero64 = arith::ConstantIntOp::create(b, loc, 0, 64);
  SmallVector<Value> none(rank, arith::ConstantIntOp::create(b, loc, 0, 1));
  auto loop = scf::ForOp::create(
      b, loc, zero, count, one, none, [&](OpBuilder &nb, Location nloc, Value j, ValueRange mask) {
        Value axis = tensor::ExtractOp::create(nb, nloc, axes, j);
        Value negative = arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::slt, axis, zero64);
        axis = arith::SelectOp::create(nb, nloc, negative,
                                       arith::AddIOp::create(nb, nloc, axis, rank64), axis);
        SmallVector<Value> next;
        for (auto [i, bit] : llvm::enumerate(mask)) {
          Value dim = arith::ConstantIntOp::create(nb, nloc, i, 64);
          Value hit = arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::eq, axis, dim);
          next.push_back(arith::OrIOp::create(nb, nloc, bit, hit));
        }
        scf::YieldOp::create(nb, nloc, next);
      });
  SmallVector<Value> mask(loop.getResults());
  if (noopWithEmptyAxes)
    return mask;
  Value empty = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, count, zero);
  for (Value &bit : mask)
    bit = arith::OrIOp::create(b, loc, bit, empty);
  return mask;
}

/// Drops the unit dims that `mask` marks from `x`. Which dims those are is
/// known only at run time, so this is a tensor.reshape to the kept sizes.
Value dropMaskedDims(OpBuilder &b, Location loc, Value x, ValueRange mask,
                     RankedTensorType resultType) {
  int64_t resultRank = resultType.getRank();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value isTrue = arith::ConstantIntOp::create(b, loc, 1, 1);
  SmallVector<Value> shape(resultRank, one);
  // position: how many kept dims precede dim i.
  Value position = zero;
  for (auto [i, reduced] : llvm::enumerate(mask)) {
    Value kept = arith::XOrIOp::create(b, loc, reduced, isTrue);
    Value size = tensor::DimOp::create(b, loc, x, i);
    for (int64_t j = 0; j < resultRank; ++j) {
      Value here = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, position,
                                         arith::ConstantIndexOp::create(b, loc, j));
      Value take = arith::AndIOp::create(b, loc, kept, here);
      shape[j] = arith::SelectOp::create(b, loc, take, size, shape[j]);
    }
    position =
        arith::AddIOp::create(b, loc, position, arith::SelectOp::create(b, loc, kept, one, zero));
  }
  Value shapeTensor = tensor::FromElementsOp::create(b, loc, shape);
  return tensor::ReshapeOp::create(b, loc, resultType, x, shapeTensor);
}

/// reduce_* over runtime `axes`: each dim is reduced (keeping it) or passed
/// through under an scf.if, then a Mean divides by the product of the
/// reduced sizes.
Value reduceRuntimeAxes(OpBuilder &b, Location loc, Value data, Value axes, ReductionKind kind,
                        bool keepDims, bool noopWithEmptyAxes, bool isUnsigned,
                        RankedTensorType resultType) {
  auto dataType = cast<RankedTensorType>(data.getType());
  int64_t rank = dataType.getRank();
  Type element = dataType.getElementType();
  Type accType = accumulatorType(element, kind);
  SmallVector<Value> mask = runtimeReducedMask(b, loc, axes, rank, noopWithEmptyAxes);

  Value x = data;
  if (accType != element)
    x = mapElements(b, loc, data, accType, [&](OpBuilder &nb, Location nloc, ValueRange args) {
      return castScalar(nb, nloc, args[0], accType, false, false);
    });
  for (int64_t i = 0; i < rank; ++i) {
    auto xType = cast<RankedTensorType>(x.getType());
    // Reducing a unit dim changes nothing.
    if (xType.getDimSize(i) == 1)
      continue;
    SmallVector<int64_t> shape(xType.getShape());
    shape[i] = ShapedType::kDynamic;
    auto joined = RankedTensorType::get(shape, accType);
    auto branch = scf::IfOp::create(
        b, loc, mask[i],
        [&](OpBuilder &nb, Location nloc) {
          SmallBitVector reduced = singleDim(rank, i);
          Value r = reduceDims(nb, nloc, x, reduced, kind, accType, isUnsigned);
          r = expandReducedDims(nb, nloc, r, x, reduced);
          scf::YieldOp::create(nb, nloc, castToType(nb, nloc, r, joined));
        },
        [&](OpBuilder &nb, Location nloc) {
          scf::YieldOp::create(nb, nloc, castToType(nb, nloc, x, joined));
        });
    x = branch.getResult(0);
  }
  Value count;
  if (kind == ReductionKind::Mean)
    count = reducedCount(b, loc, data, mask);
  x = finalizeReduction(b, loc, x, kind, count, element, isUnsigned);
  if (keepDims)
    return x;
  return dropMaskedDims(b, loc, x, mask, resultType);
}

template <typename OpTy, ReductionKind Kind> struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = convertedType(*this->getTypeConverter(), op.getResult());
    Value data = adaptor.getData();
    int64_t rank = cast<RankedTensorType>(data.getType()).getRank();
    bool keepDims = op.getKeepdims() != 0, noop = op.getNoopWithEmptyAxes() != 0;
    bool isUns = isUnsigned(op.getData().getType());

    std::optional<SmallVector<int64_t>> axes = SmallVector<int64_t>{};
    if (Value axesValue = op.getAxes()) {
      // A statically empty axes tensor needs no values.
      auto axesType = cast<RankedTensorType>(axesValue.getType());
      if (!axesType.hasStaticShape() || axesType.getNumElements() != 0)
        axes = tfm::getConstantInts(axesValue);
    }
    Value result;
    if (!axes) {
      result = reduceRuntimeAxes(rewriter, loc, data, adaptor.getAxes(), Kind, keepDims, noop,
                                 isUns, resultType);
    } else if (axes->empty() && noop) {
      result = data;
    } else {
      SmallBitVector reduced(rank, axes->empty());
      for (int64_t axis : *axes)
        reduced.set(*tfm::normalizeAxis(axis, rank));
      result = buildReduction(rewriter, loc, data, reduced, Kind, keepDims, isUns);
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// arg_max and top_k: the best element along one axis
//===----------------------------------------------------------------------===//

/// The order in which arg_max and top_k pick elements along an axis.
struct SelectionOrder {
  bool largest;    // larger values first (smaller when false)
  bool preferLast; // among equal values, higher indices first
  bool isUnsigned;

  /// Whether (v1, i1) comes strictly before (v2, i2).
  Value precedes(OpBuilder &b, Location loc, Value v1, Value i1, Value v2, Value i2) const {
    Value better, equal;
    if (isa<FloatType>(v1.getType())) {
      better = arith::CmpFOp::create(
          b, loc, largest ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, v1, v2);
      equal = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, v1, v2);
    } else {
      arith::CmpIPredicate pred =
          largest ? (isUnsigned ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt)
                  : (isUnsigned ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt);
      better = arith::CmpIOp::create(b, loc, pred, v1, v2);
      equal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v1, v2);
    }
    Value earlier = arith::CmpIOp::create(
        b, loc, preferLast ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt, i1, i2);
    return arith::OrIOp::create(b, loc, better, arith::AndIOp::create(b, loc, equal, earlier));
  }

  /// A (value, index) pair that every element precedes.
  std::pair<Value, Value> last(OpBuilder &b, Location loc, Type element) const {
    Value value = reductionIdentity(b, loc, element,
                                    largest ? ReductionKind::Max : ReductionKind::Min, isUnsigned);
    int64_t index = preferLast ? -1 : std::numeric_limits<int64_t>::max();
    return {value, arith::ConstantIntOp::create(b, loc, index, 64)};
  }
  /// A (value, index) pair that precedes every element.
  std::pair<Value, Value> first(OpBuilder &b, Location loc, Type element) const {
    Value value = reductionIdentity(b, loc, element,
                                    largest ? ReductionKind::Min : ReductionKind::Max, isUnsigned);
    int64_t index = preferLast ? std::numeric_limits<int64_t>::max() : -1;
    return {value, arith::ConstantIntOp::create(b, loc, index, 64)};
  }
};

/// For each slice of `x` along `axis`, the first element in `order` among
/// those after the slice's (value, index) in `after` (all when null): its
/// value and its index, as tensors without `axis`.
std::pair<Value, Value> selectAlongAxis(OpBuilder &b, Location loc, Value x, int64_t axis,
                                        const SelectionOrder &order,
                                        std::optional<std::pair<Value, Value>> after) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallBitVector reduced = singleDim(rank, axis);
  SmallVector<Value> dynamicSizes;
  RankedTensorType valueType =
      keptDimsType(b, loc, x, reduced, type.getElementType(), dynamicSizes);
  RankedTensorType indexType = valueType.clone(b.getI64Type());
  auto [lastValue, lastIndex] = order.last(b, loc, type.getElementType());
  Value values = createFilled(b, loc, valueType, dynamicSizes, lastValue);
  Value indices = createFilled(b, loc, indexType, dynamicSizes, lastIndex);

  AffineMap full = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap slice = keptDimsMap(rank, reduced, ctx);
  SmallVector<Value> inputs{x};
  if (after)
    inputs.append({after->first, after->second});
  SmallVector<AffineMap> maps{full};
  maps.append(inputs.size() + 1, slice);
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  iterators[axis] = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{valueType, indexType}, inputs, ValueRange{values, indices}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value v = args[0];
        Value i = arith::IndexCastOp::create(nb, nloc, nb.getI64Type(),
                                             linalg::IndexOp::create(nb, nloc, axis));
        Value accValue = args[args.size() - 2], accIndex = args.back();
        Value take = order.precedes(nb, nloc, v, i, accValue, accIndex);
        if (after)
          take = arith::AndIOp::create(nb, nloc, take,
                                       order.precedes(nb, nloc, args[1], args[2], v, i));
        linalg::YieldOp::create(nb, nloc,
                                ValueRange{arith::SelectOp::create(nb, nloc, take, v, accValue),
                                           arith::SelectOp::create(nb, nloc, take, i, accIndex)});
      });
  return {generic.getResult(0), generic.getResult(1)};
}

struct ArgMaxLowering : OpConversionPattern<tfm::ArgMaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::ArgMaxOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    int64_t rank = cast<RankedTensorType>(data.getType()).getRank();
    int64_t axis = *tfm::normalizeAxis(op.getAxis(), rank);
    SelectionOrder order{/*largest=*/true, op.getSelectLastIndex() != 0,
                         isUnsigned(op.getData().getType())};
    Value indices = selectAlongAxis(rewriter, loc, data, axis, order, std::nullopt).second;
    if (op.getKeepdims())
      indices = expandReducedDims(rewriter, loc, indices, data, singleDim(rank, axis));
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    rewriter.replaceOp(op, castToType(rewriter, loc, indices, resultType));
    return success();
  }
};

/// top_k as k selection passes, each picking per slice the next element in
/// order after the previous pick: O(k n), sorted, ties by lower index.
struct TopKLowering : OpConversionPattern<tfm::TopKOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::TopKOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t rank = xType.getRank();
    int64_t axis = *tfm::normalizeAxis(op.getAxis(), rank);
    SelectionOrder order{op.getLargest() != 0, /*preferLast=*/false,
                         isUnsigned(op.getX().getType())};
    RankedTensorType valuesType = convertedType(*getTypeConverter(), op.getValues());
    RankedTensorType indicesType = convertedType(*getTypeConverter(), op.getIndices());

    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value kTensor = adaptor.getK();
    SmallVector<Value> kIndex(cast<RankedTensorType>(kTensor.getType()).getRank(), zero);
    Value k = arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(),
                                         tensor::ExtractOp::create(rewriter, loc, kTensor, kIndex));
    SmallVector<Value> dynamicSizes;
    for (int64_t i = 0; i < rank; ++i)
      if (valuesType.isDynamicDim(i))
        dynamicSizes.push_back(i == axis ? k : tensor::DimOp::create(rewriter, loc, x, i));
    Value values = createEmpty(rewriter, loc, valuesType, dynamicSizes);
    Value indices = createEmpty(rewriter, loc, indicesType, dynamicSizes);

    // The previous pick per slice starts before every element.
    SmallVector<Value> sliceSizes;
    RankedTensorType sliceType =
        keptDimsType(rewriter, loc, x, singleDim(rank, axis), xType.getElementType(), sliceSizes);
    auto [firstValue, firstIndex] = order.first(rewriter, loc, xType.getElementType());
    Value prevValues = createFilled(rewriter, loc, sliceType, sliceSizes, firstValue);
    Value prevIndices =
        createFilled(rewriter, loc, sliceType.clone(rewriter.getI64Type()), sliceSizes, firstIndex);

    auto loop = scf::ForOp::create(
        rewriter, loc, zero, k, one, ValueRange{values, indices, prevValues, prevIndices},
        [&](OpBuilder &b, Location nloc, Value j, ValueRange iterArgs) {
          auto [best, bestIndex] =
              selectAlongAxis(b, nloc, x, axis, order, std::pair{iterArgs[2], iterArgs[3]});
          SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
          offsets[axis] = j;
          SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, nloc, iterArgs[0]);
          sizes[axis] = b.getIndexAttr(1);
          SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
          Value newValues =
              tensor::InsertSliceOp::create(b, nloc, best, iterArgs[0], offsets, sizes, strides);
          Value newIndices = tensor::InsertSliceOp::create(b, nloc, bestIndex, iterArgs[1], offsets,
                                                           sizes, strides);
          // Copied into the loop's own buffers: scf.for bufferizes in place.
          Value prevValues = linalg::CopyOp::create(b, nloc, best, iterArgs[2]).getResult(0);
          Value prevIndices = linalg::CopyOp::create(b, nloc, bestIndex, iterArgs[3]).getResult(0);
          scf::YieldOp::create(b, nloc, ValueRange{newValues, newIndices, prevValues, prevIndices});
        });
    rewriter.replaceOp(op, {loop.getResult(0), loop.getResult(1)});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// cum_sum
//===----------------------------------------------------------------------===//

/// Running sums along a static `axis`: a loop over the axis carries the sum
/// of the slices so far and inserts it (or, exclusive, the sum before the
/// slice) into the result.
Value cumulativeSum(OpBuilder &b, Location loc, Value x, int64_t axis, bool exclusive,
                    bool reverse) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<Value> sliceSizes;
  RankedTensorType sliceType =
      keptDimsType(b, loc, x, singleDim(rank, axis), type.getElementType(), sliceSizes);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value n = tensor::DimOp::create(b, loc, x, axis);
  Value result = createEmpty(b, loc, type, getDynamicSizes(b, loc, x));
  Value running =
      createFilled(b, loc, sliceType, sliceSizes, scalarConstant(b, loc, type.getElementType(), 0));
  auto loop = scf::ForOp::create(
      b, loc, zero, n, one, ValueRange{result, running},
      [&](OpBuilder &nb, Location nloc, Value i, ValueRange iterArgs) {
        Value position =
            reverse ? arith::SubIOp::create(nb, nloc, arith::SubIOp::create(nb, nloc, n, one), i)
                    : i;
        SmallVector<OpFoldResult> offsets(rank, nb.getIndexAttr(0));
        offsets[axis] = position;
        SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(nb, nloc, x);
        sizes[axis] = nb.getIndexAttr(1);
        SmallVector<OpFoldResult> strides(rank, nb.getIndexAttr(1));
        Value slice =
            tensor::ExtractSliceOp::create(nb, nloc, sliceType, x, offsets, sizes, strides);
        Value written = iterArgs[0];
        if (exclusive)
          written = tensor::InsertSliceOp::create(nb, nloc, iterArgs[1], written, offsets, sizes,
                                                  strides);
        // The running sum updates in place, as scf.for wants of its iter_args.
        SmallVector<AffineMap> maps(2, AffineMap::getMultiDimIdentityMap(rank - 1, ctx));
        Value sum =
            linalg::GenericOp::create(
                nb, nloc, TypeRange{sliceType}, ValueRange{slice}, ValueRange{iterArgs[1]}, maps,
                SmallVector<utils::IteratorType>(rank - 1, utils::IteratorType::parallel),
                [](OpBuilder &bb, Location l, ValueRange args) {
                  linalg::YieldOp::create(
                      bb, l, combineScalar(bb, l, ReductionKind::Sum, args[1], args[0], false));
                })
                .getResult(0);
        if (!exclusive)
          written = tensor::InsertSliceOp::create(nb, nloc, sum, written, offsets, sizes, strides);
        scf::YieldOp::create(nb, nloc, ValueRange{written, sum});
      });
  return loop.getResult(0);
}

struct CumSumLowering : OpConversionPattern<tfm::CumSumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::CumSumOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    bool exclusive = op.getExclusive() != 0, reverse = op.getReverse() != 0;
    if (std::optional<SmallVector<int64_t>> axis = tfm::getConstantInts(op.getAxis())) {
      rewriter.replaceOp(op, cumulativeSum(rewriter, loc, x, *tfm::normalizeAxis((*axis)[0], rank),
                                           exclusive, reverse));
      return success();
    }
    // A runtime axis picks one of the rank static loops; the last is the default.
    Value axisTensor = adaptor.getAxis();
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    SmallVector<Value> origin(cast<RankedTensorType>(axisTensor.getType()).getRank(), zero);
    Value axis =
        arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(),
                                   tensor::ExtractOp::create(rewriter, loc, axisTensor, origin));
    Value rankValue = arith::ConstantIndexOp::create(rewriter, loc, rank);
    Value negative = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt, axis, zero);
    axis = arith::SelectOp::create(rewriter, loc, negative,
                                   arith::AddIOp::create(rewriter, loc, axis, rankValue), axis);
    SmallVector<int64_t> cases = llvm::to_vector(llvm::seq<int64_t>(0, rank - 1));
    auto switchOp =
        scf::IndexSwitchOp::create(rewriter, loc, TypeRange{type}, axis, cases, cases.size());
    for (int64_t i = 0; i < rank; ++i) {
      Region &region = i < rank - 1 ? switchOp.getCaseRegions()[i] : switchOp.getDefaultRegion();
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&region.emplaceBlock());
      scf::YieldOp::create(rewriter, loc, cumulativeSum(rewriter, loc, x, i, exclusive, reverse));
    }
    rewriter.replaceOp(op, switchOp.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// softmax and log_softmax
//===----------------------------------------------------------------------===//

/// softmax(x) = exp(x - max) / sum(exp(x - max)) along one axis, and
/// log_softmax(x) = (x - max) - log(sum(exp(x - max))): subtracting the max
/// keeps exp from overflowing. f16/bf16 compute in f32.
template <typename OpTy, bool IsLog> struct SoftmaxLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank();
    int64_t axis = *tfm::normalizeAxis(op.getAxis(), rank);
    Type element = type.getElementType();
    Type accType = accumulatorType(element, ReductionKind::Sum);
    SmallBitVector reduced = singleDim(rank, axis);

    Value max = reduceDims(rewriter, loc, x, reduced, ReductionKind::Max, element, false);
    auto shifted = [&](OpBuilder &b, Location l, Value v, Value m) {
      return arith::SubFOp::create(b, l, castScalar(b, l, v, accType, false, false),
                                   castScalar(b, l, m, accType, false, false));
    };

    SmallVector<Value> dynamicSizes;
    RankedTensorType sumType = keptDimsType(rewriter, loc, x, reduced, accType, dynamicSizes);
    Value sumInit = createFilled(rewriter, loc, sumType, dynamicSizes,
                                 scalarConstant(rewriter, loc, accType, 0));
    AffineMap full = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap slice = keptDimsMap(rank, reduced, ctx);
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{sumType}, ValueRange{x, max}, ValueRange{sumInit},
            SmallVector<AffineMap>{full, slice, slice}, iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value e = math::ExpOp::create(b, l, shifted(b, l, args[0], args[1]));
              linalg::YieldOp::create(b, l, ValueRange{arith::AddFOp::create(b, l, args[2], e)});
            })
            .getResult(0);

    Value init = createEmpty(rewriter, loc, type, getDynamicSizes(rewriter, loc, x));
    iterators[axis] = utils::IteratorType::parallel;
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{type}, ValueRange{x, max, sum}, ValueRange{init},
            SmallVector<AffineMap>{full, slice, slice, full}, iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value s = shifted(b, l, args[0], args[1]);
              Value y = IsLog ? arith::SubFOp::create(b, l, s, math::LogOp::create(b, l, args[2]))
                                    .getResult()
                              : arith::MulFOp::create(b, l, math::ExpOp::create(b, l, s),
                                                      reciprocal(b, l, args[2]))
                                    .getResult();
              linalg::YieldOp::create(b, l, castScalar(b, l, y, element, false, false));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void lowering::populateReductionPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ReduceLowering<tfm::ReduceSumOp, ReductionKind::Sum>,
               ReduceLowering<tfm::ReduceMeanOp, ReductionKind::Mean>,
               ReduceLowering<tfm::ReduceMaxOp, ReductionKind::Max>,
               ReduceLowering<tfm::ReduceMinOp, ReductionKind::Min>,
               ReduceLowering<tfm::ReduceProdOp, ReductionKind::Prod>, ArgMaxLowering, TopKLowering,
               CumSumLowering, SoftmaxLowering<tfm::SoftmaxOp, false>,
               SoftmaxLowering<tfm::LogSoftmaxOp, true>>(converter, ctx);
}
