//===- QuantOps.cpp - quantization op constraints and shapes --------------===//

#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"

using namespace mlir;
using namespace tfmc::tfm;

/// Checks a scale (and zero point) against `x` for per-tensor (one
/// element), per-axis (1-D of x's axis size) or per-block (x's rank, axis
/// dim = ceil(size / block_size)) quantization.
static LogicalResult verifyScale(Operation *op, Value x, Value scale, Value zeroPoint,
                                 int64_t axis, int64_t blockSize) {
  Dims xd = getDims(x.getType()), sd = getDims(scale.getType());
  if (zeroPoint && cast<RankedTensorType>(zeroPoint.getType()).getShape() !=
                       cast<RankedTensorType>(scale.getType()).getShape())
    return op->emitOpError("zero point must have the scale's shape");
  auto scaleType = cast<RankedTensorType>(scale.getType());
  if (scaleType.hasStaticShape() && scaleType.getNumElements() == 1 && blockSize == 0)
    return success();
  std::optional<int64_t> a = normalizeAxis(axis, xd.size());
  if (!a)
    return op->emitOpError("axis ") << axis << " is out of range for rank " << xd.size();
  if (blockSize == 0) {
    if (sd.size() != 1 || sd[0].provablyDifferent(xd[*a]))
      return op->emitOpError("per-axis scale must be 1-D of size ") << xd[*a].print();
    return success();
  }
  if (blockSize < 0)
    return op->emitOpError("block_size must be positive");
  if (sd.size() != xd.size())
    return op->emitOpError("per-block scale must have the input's rank");
  for (size_t i = 0; i < xd.size(); ++i) {
    Dim expected = xd[i];
    if (static_cast<int64_t>(i) == *a)
      expected = xd[i].getStatic() ? Dim(*xd[i].getStatic() / blockSize +
                                         (*xd[i].getStatic() % blockSize != 0))
                                   : Dim::unknown();
    if (sd[i].provablyDifferent(expected))
      return op->emitOpError("per-block scale dimension ")
             << i << " is " << sd[i].print() << ", expected " << expected.print();
  }
  return success();
}

LogicalResult QuantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  if (failed(verifyScale(*this, getX(), getYScale(), getYZeroPoint(), getAxis(),
                         getBlockSize())))
    return failure();
  Type element = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  if (getYZeroPoint())
    element = getElementTypeOrSelf(getYZeroPoint().getType());
  else if (auto dtype = getOutputDtype())
    element = *dtype;
  if (getOutputDtype() && element != *getOutputDtype())
    return emitOpError("output_dtype disagrees with the zero point's type");
  types.push_back(makeTensorType(getDims(getX().getType()), element));
  return success();
}

LogicalResult DequantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  if (getXZeroPoint() &&
      getElementTypeOrSelf(getXZeroPoint().getType()) != getElementTypeOrSelf(getX().getType()))
    return emitOpError("zero point must have the input's element type");
  if (failed(verifyScale(*this, getX(), getXScale(), getXZeroPoint(), getAxis(),
                         getBlockSize())))
    return failure();
  types.push_back(makeTensorType(getDims(getX().getType()),
                                 getElementTypeOrSelf(getXScale().getType())));
  return success();
}

LogicalResult DynamicQuantizeLinearOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  MLIRContext *ctx = getContext();
  Type u8 = IntegerType::get(ctx, 8, IntegerType::Unsigned);
  types.push_back(makeTensorType(getDims(getX().getType()), u8));
  types.push_back(RankedTensorType::get({}, Float32Type::get(ctx)));
  types.push_back(RankedTensorType::get({}, u8));
  return success();
}
