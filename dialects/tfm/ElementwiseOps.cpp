//===- ElementwiseOps.cpp - elementwise op constraints and shapes ---------===//

#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"

using namespace mlir;
using namespace tfmc::tfm;

static bool hasOneElement(Type type) {
  auto t = cast<RankedTensorType>(type);
  return t.hasStaticShape() && t.getNumElements() == 1;
}

LogicalResult ClipOp::verify() {
  for (Value bound : {getMin(), getMax()}) {
    if (!bound)
      continue;
    if (!hasOneElement(bound.getType()))
      return emitOpError("min and max must hold one element, got ") << bound.getType();
    if (getElementTypeOrSelf(bound.getType()) != getElementTypeOrSelf(getInput().getType()))
      return emitOpError("min and max must have the input's element type");
  }
  return success();
}

template <typename SoftmaxLike>
static LogicalResult verifySoftmaxAxis(SoftmaxLike op) {
  int64_t rank = op.getInput().getType().getRank();
  if (!normalizeAxis(op.getAxis(), rank))
    return op.emitOpError("axis ") << op.getAxis() << " is out of range for rank " << rank;
  return success();
}

LogicalResult SoftmaxOp::verify() { return verifySoftmaxAxis(*this); }
LogicalResult LogSoftmaxOp::verify() { return verifySoftmaxAxis(*this); }

LogicalResult ModOp::verify() {
  if (isa<FloatType>(getElementTypeOrSelf(getLhs().getType())) && getFmod() != 1)
    return emitOpError("fmod must be 1 for floating-point operands");
  return success();
}

LogicalResult CastOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  types.push_back(makeTensorType(getDims(getInput().getType()), getTo()));
  return success();
}

LogicalResult DropoutOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  for (Value v : {getRatio(), getTrainingMode()})
    if (v && !hasOneElement(v.getType()))
      return emitOpError("ratio and training_mode must hold one element");
  types.push_back(getData().getType());
  if (getMask())
    types.push_back(makeTensorType(getDims(getData().getType()),
                                   IntegerType::get(getContext(), 1)));
  return success();
}

LogicalResult WhereOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  if (getElementTypeOrSelf(getX().getType()) != getElementTypeOrSelf(getY().getType()))
    return emitOpError("x and y must have the same element type");
  std::optional<Dims> dims = broadcastShapes(getDims(getCondition().getType()),
                                             getDims(getX().getType()));
  if (dims)
    dims = broadcastShapes(*dims, getDims(getY().getType()));
  if (!dims)
    return emitOpError("condition, x and y are not broadcast-compatible");
  types.push_back(makeTensorType(*dims, getElementTypeOrSelf(getX().getType())));
  return success();
}
