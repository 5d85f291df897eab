//===- LoweringUtils.cpp - shared pieces of the tfm lowerings -------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

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

// Picks, for each result dimension, the operand dimension it is read from and
// how each operand is indexed (d_i, or 0 where it is broadcast from size 1).
Value lowering::buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                                 Type originalResultType, ValueRange original,
                                 ValueRange operands, ScalarBody body) {
  int64_t rank = resultType.getRank();
  Dims resultDims = getDims(originalResultType);
  MLIRContext *ctx = b.getContext();

  SmallVector<Value> dynamicSizes;
  for (int64_t i = 0; i < rank; ++i) {
    if (!resultType.isDynamicDim(i))
      continue;
    // Prefer an operand whose symbolic size is the result's own.
    Value chosen;
    int64_t chosenDim = -1;
    for (auto [orig, operand] : llvm::zip(original, operands)) {
      auto type = cast<RankedTensorType>(operand.getType());
      int64_t j = i - (rank - type.getRank());
      if (j < 0 || !type.isDynamicDim(j))
        continue;
      bool same = getDims(orig.getType())[j].provablyEqual(resultDims[i]);
      if (!chosen || same) {
        chosen = operand;
        chosenDim = j;
      }
      if (same)
        break;
    }
    if (!chosen) {
      // Only static operand sizes, yet a dynamic result: the largest wins.
      int64_t size = 1;
      for (Value operand : operands) {
        auto type = cast<RankedTensorType>(operand.getType());
        int64_t j = i - (rank - type.getRank());
        if (j >= 0)
          size = std::max(size, type.getDimSize(j));
      }
      dynamicSizes.push_back(arith::ConstantIndexOp::create(b, loc, size));
      continue;
    }
    dynamicSizes.push_back(tensor::DimOp::create(b, loc, chosen, chosenDim));
  }

  SmallVector<AffineMap> maps;
  for (auto [orig, operand] : llvm::zip(original, operands)) {
    auto type = cast<RankedTensorType>(operand.getType());
    int64_t offset = rank - type.getRank();
    SmallVector<AffineExpr> exprs;
    for (int64_t j = 0; j < type.getRank(); ++j) {
      bool broadcast = type.getDimSize(j) == 1 && resultType.getDimSize(j + offset) != 1;
      exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                : getAffineDimExpr(j + offset, ctx));
    }
    maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));

  Value init = createEmpty(b, loc, resultType, dynamicSizes);
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, operands, ValueRange{init}, maps, iterators,
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
  auto type = cast<RankedTensorType>(inputs.front().getType());
  RankedTensorType resultType = type.clone(resultElement);
  // Plain types carry no symbols: equal shapes are taken from the first input.
  return buildElementwise(b, loc, resultType, resultType, inputs, inputs, body);
}
