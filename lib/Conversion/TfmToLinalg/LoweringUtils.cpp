//===- LoweringUtils.cpp - shared pieces of the tfm lowerings -------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::tfm;

RankedTensorType lowering::convertedType(const TypeConverter &converter, Value value) {
  return cast_or_null<RankedTensorType>(converter.convertType(value.getType()));
}

bool lowering::isUnsigned(Type originalType) {
  auto intType = dyn_cast<IntegerType>(getElementTypeOrSelf(originalType));
  return intType && intType.isUnsigned();
}

SmallVector<OpFoldResult> lowering::getSizes(OpBuilder &b, Location loc, Value tensor) {
  return tensor::getMixedSizes(b, loc, tensor);
}

SmallVector<Value> lowering::getDynamicSizes(OpBuilder &b, Location loc, Value tensor) {
  SmallVector<Value> sizes;
  auto type = cast<RankedTensorType>(tensor.getType());
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      sizes.push_back(tensor::DimOp::create(b, loc, tensor, i));
  return sizes;
}

Value lowering::createEmpty(OpBuilder &b, Location loc, RankedTensorType type,
                            ValueRange dynamicSizes) {
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType(), dynamicSizes);
}

Value lowering::createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                             ValueRange dynamicSizes, Value value) {
  Value empty = createEmpty(b, loc, type, dynamicSizes);
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value lowering::reciprocal(OpBuilder &b, Location loc, Value x) {
  return arith::DivFOp::create(b, loc, scalarConstant(b, loc, x.getType(), 1.0), x);
}

Value lowering::scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  if (type.isIndex())
    return arith::ConstantIndexOp::create(b, loc, static_cast<int64_t>(value));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value lowering::castScalar(OpBuilder &b, Location loc, Value value, Type to, bool fromUnsigned,
                           bool toUnsigned) {
  Type from = value.getType();
  if (from == to)
    return value;
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(b, loc, to, value);
    return arith::TruncFOp::create(b, loc, to, value);
  }
  if (fromFloat) {
    // To bool: any non-zero value is true.
    if (to.isInteger(1)) {
      Value zero = scalarConstant(b, loc, from, 0.0);
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value, zero);
    }
    if (toUnsigned)
      return arith::FPToUIOp::create(b, loc, to, value);
    return arith::FPToSIOp::create(b, loc, to, value);
  }
  if (toFloat) {
    if (fromUnsigned || from.isInteger(1))
      return arith::UIToFPOp::create(b, loc, to, value);
    return arith::SIToFPOp::create(b, loc, to, value);
  }
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (to.isInteger(1)) {
    Value zero = scalarConstant(b, loc, from, 0);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value, zero);
  }
  if (fromWidth > toWidth)
    return arith::TruncIOp::create(b, loc, to, value);
  if (fromUnsigned || from.isInteger(1))
    return arith::ExtUIOp::create(b, loc, to, value);
  return arith::ExtSIOp::create(b, loc, to, value);
}

Type lowering::computeType(Type element) {
  if (element.isF16() || element.isBF16())
    return Float32Type::get(element.getContext());
  return element;
}

Value lowering::toFloat(OpBuilder &b, Location loc, Value v, Type to) {
  return castScalar(b, loc, v, to, /*fromUnsigned=*/false, /*toUnsigned=*/false);
}

Value lowering::toIndex(OpBuilder &b, Location loc, Value v, bool isUnsigned) {
  if (isa<FloatType>(v.getType()))
    v = arith::FPToSIOp::create(b, loc, b.getI64Type(), v);
  if (isUnsigned)
    return arith::IndexCastUIOp::create(b, loc, b.getIndexType(), v);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

OpFoldResult lowering::divideSize(OpBuilder &b, Location loc, OpFoldResult size,
                                  int64_t divisor) {
  if (std::optional<int64_t> s = getConstantIntValue(size))
    return b.getIndexAttr(*s / divisor);
  Value d = arith::ConstantIndexOp::create(b, loc, divisor);
  return arith::DivUIOp::create(b, loc, getValueOrCreateConstantIndexOp(b, loc, size), d)
      .getResult();
}

SmallVector<utils::IteratorType> lowering::iterators(int64_t parallel, int64_t reduction) {
  SmallVector<utils::IteratorType> result(parallel, utils::IteratorType::parallel);
  result.append(reduction, utils::IteratorType::reduction);
  return result;
}

AffineMap lowering::dimsMap(MLIRContext *ctx, int64_t numDims, ArrayRef<int64_t> dims) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d : dims)
    exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(numDims, 0, exprs, ctx);
}

Value lowering::buildGeneric(OpBuilder &b, Location loc, ValueRange inputs, Value init,
                             ArrayRef<AffineMap> maps,
                             ArrayRef<utils::IteratorType> iteratorTypes, ScalarBody body) {
  auto generic =
      linalg::GenericOp::create(b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
                                iteratorTypes, [&](OpBuilder &nb, Location nloc, ValueRange args) {
                                  linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
                                });
  return generic.getResult(0);
}

ValueRange lowering::forLoop(OpBuilder &b, Location loc, Value upper, int64_t step,
                            ValueRange inits,
                            function_ref<SmallVector<Value>(Value, ValueRange)> body) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value stepValue = arith::ConstantIndexOp::create(b, loc, step);
  auto loop = scf::ForOp::create(b, loc, zero, upper, stepValue, inits,
                                 [&](OpBuilder &nb, Location l, Value iv, ValueRange args) {
                                   scf::YieldOp::create(nb, l, body(iv, args));
                                 });
  return loop.getResults();
}

SmallVector<Value> lowering::forEachRow(OpBuilder &b, Location loc, ValueRange outs,
                                        function_ref<SmallVector<Value>(Value, ValueRange)> body,
                                        function_ref<Value(Value)> rowOf) {
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  auto loop = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{tensor::getMixedSize(b, loc, outs[0], 0)}, outs,
      std::nullopt, [&](OpBuilder &nb, Location l, ValueRange args) {
        Value index = args[0];
        Value row = rowOf ? rowOf(index) : index;
        ValueRange shared = args.drop_front();
        // Each output's row: [N] of an [R, N] output, a 0-d tensor of an [R] one.
        SmallVector<SmallVector<OpFoldResult>> offsets, sizes, strides;
        SmallVector<Value> dests;
        for (Value out : shared) {
          auto type = cast<RankedTensorType>(out.getType());
          offsets.push_back({row});
          sizes.push_back({one});
          SmallVector<int64_t> rowShape;
          if (type.getRank() == 2) {
            offsets.back().push_back(zero);
            sizes.back().push_back(tensor::getMixedSize(nb, l, out, 1));
            rowShape.push_back(type.getDimSize(1));
          }
          strides.emplace_back(type.getRank(), one);
          dests.push_back(tensor::ExtractSliceOp::create(
              nb, l, RankedTensorType::get(rowShape, type.getElementType()), out, offsets.back(),
              sizes.back(), strides.back()));
        }
        SmallVector<Value> values = body(index, dests);
        auto inParallel = scf::InParallelOp::create(nb, l);
        nb.setInsertionPointToStart(inParallel.getBody());
        for (auto [i, value] : llvm::enumerate(values))
          tensor::ParallelInsertSliceOp::create(nb, l, value, shared[i], offsets[i], sizes[i],
                                                strides[i]);
      });
  return llvm::to_vector_of<Value>(loop.getResults());
}

Value lowering::emptyTensor(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                            Type element) {
  return tensor::EmptyOp::create(b, loc, sizes, element);
}

Value lowering::filledTensor(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                             Type element, Value value) {
  return linalg::FillOp::create(b, loc, value, emptyTensor(b, loc, sizes, element)).getResult(0);
}

Value lowering::broadcastAtRunTime(OpBuilder &b, Location loc, Value tensor,
                                   ArrayRef<int64_t> dims, ArrayRef<OpFoldResult> extents) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, tensor);
  SmallVector<Value> holdsOne(type.getRank());
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (auto [dim, extent] : llvm::zip(dims, extents)) {
    holdsOne[dim] =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                              getValueOrCreateConstantIndexOp(b, loc, sizes[dim]), one);
    sizes[dim] = extent;
  }
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamicSizes;
  dispatchIndexOpFoldResults(sizes, dynamicSizes, shape);
  auto spreadType = RankedTensorType::get(shape, type.getElementType());
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  return tensor::GenerateOp::create(
      b, loc, spreadType, dynamicSizes, [&](OpBuilder &nb, Location nloc, ValueRange index) {
        SmallVector<Value> at(index);
        for (int64_t dim : dims)
          at[dim] = arith::SelectOp::create(nb, nloc, holdsOne[dim], zero, index[dim]);
        tensor::YieldOp::create(nb, nloc, tensor::ExtractOp::create(nb, nloc, tensor, at).getResult());
      });
}

namespace {

/// Operand `k`'s size at each broadcast result dim, and what is known of it.
struct BroadcastDims {
  RankedTensorType resultType;
  Dims resultDims;
  SmallVector<RankedTensorType> types;
  std::vector<Dims> dims;

  /// The operand dim read at result dim `i`, or -1 where operand `k` is
  /// shorter.
  int64_t operandDim(size_t k, int64_t i) const {
    return i - (resultType.getRank() - types[k].getRank());
  }
  bool isStaticOne(size_t k, int64_t i) const {
    int64_t j = operandDim(k, i);
    return j < 0 || types[k].getDimSize(j) == 1;
  }
  /// Whether operand `k` may hold 1 at result dim `i` while the result holds
  /// more: its size is dynamic and not provably the result's, and another
  /// operand's size there is not provably its own.
  bool mayBroadcastAtRunTime(size_t k, int64_t i) const {
    int64_t j = operandDim(k, i);
    if (j < 0 || !types[k].isDynamicDim(j) || resultType.getDimSize(i) == 1 ||
        dims[k][j].provablyEqual(resultDims[i]))
      return false;
    if (!resultType.isDynamicDim(i))
      return true;
    for (size_t l = 0; l < types.size(); ++l)
      if (l != k && !isStaticOne(l, i) &&
          !dims[l][operandDim(l, i)].provablyEqual(dims[k][j]))
        return true;
    return false;
  }
};

} // namespace

// Picks, for each dynamic result dimension, an operand dimension whose size
// it is: one provably equal to it, else the only operand not of size 1, else
// the largest of the operands' sizes. Operand dims that may hold 1 at run time
// where the result does not are spread first (broadcastAtRunTime); static
// size-1 dims are read at index 0.
Value lowering::buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                                 Type originalResultType, ValueRange original,
                                 ValueRange operands, ScalarBody body) {
  int64_t rank = resultType.getRank();
  MLIRContext *ctx = b.getContext();
  BroadcastDims info{resultType, getDims(originalResultType), {}, {}};
  for (auto [orig, operand] : llvm::zip(original, operands)) {
    info.types.push_back(cast<RankedTensorType>(operand.getType()));
    info.dims.push_back(getDims(orig.getType()));
  }

  SmallVector<OpFoldResult> extents(rank);
  SmallVector<Value> dynamicSizes;
  for (int64_t i = 0; i < rank; ++i) {
    if (!resultType.isDynamicDim(i)) {
      extents[i] = b.getIndexAttr(resultType.getDimSize(i));
      continue;
    }
    SmallVector<size_t> candidates;
    for (size_t k = 0; k < operands.size(); ++k) {
      if (info.isStaticOne(k, i))
        continue;
      int64_t j = info.operandDim(k, i);
      if (info.dims[k][j].provablyEqual(info.resultDims[i])) {
        candidates.assign(1, k);
        break;
      }
      candidates.push_back(k);
    }
    Value size;
    for (size_t k : candidates) {
      Value operandSize = getValueOrCreateConstantIndexOp(
          b, loc, tensor::getMixedSize(b, loc, operands[k], info.operandDim(k, i)));
      size = size ? arith::MaxUIOp::create(b, loc, size, operandSize).getResult() : operandSize;
    }
    if (!size)
      size = arith::ConstantIndexOp::create(b, loc, 1);
    extents[i] = size;
    dynamicSizes.push_back(size);
  }

  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (auto [k, operand] : llvm::enumerate(operands)) {
    RankedTensorType type = info.types[k];
    int64_t offset = rank - type.getRank();
    SmallVector<AffineExpr> exprs;
    SmallVector<int64_t> spreadDims;
    SmallVector<OpFoldResult> spreadExtents;
    for (int64_t j = 0; j < type.getRank(); ++j) {
      bool broadcast = type.getDimSize(j) == 1 && resultType.getDimSize(j + offset) != 1;
      exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                : getAffineDimExpr(j + offset, ctx));
      if (info.mayBroadcastAtRunTime(k, j + offset)) {
        spreadDims.push_back(j);
        spreadExtents.push_back(extents[j + offset]);
      }
    }
    inputs.push_back(spreadDims.empty()
                         ? operand
                         : broadcastAtRunTime(b, loc, operand, spreadDims, spreadExtents));
    maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
  }
  return buildParallelGeneric(b, loc, resultType, dynamicSizes, inputs, maps, body);
}

Value lowering::buildParallelGeneric(OpBuilder &b, Location loc, RankedTensorType resultType,
                             ValueRange dynamicSizes, ValueRange inputs,
                             ArrayRef<AffineMap> inputMaps, ScalarBody body) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, b.getContext()));
  Value init = createEmpty(b, loc, resultType, dynamicSizes);
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Value lowering::castToType(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

Value lowering::mapElements(OpBuilder &b, Location loc, ValueRange inputs, Type resultElement,
                            ScalarBody body) {
  Value first = inputs.front();
  auto resultType = cast<RankedTensorType>(first.getType()).clone(resultElement);
  SmallVector<AffineMap> maps(inputs.size(),
                              AffineMap::getMultiDimIdentityMap(resultType.getRank(),
                                                                b.getContext()));
  return buildParallelGeneric(b, loc, resultType, getDynamicSizes(b, loc, first), inputs, maps, body);
}
