//===- ShapeInference.cpp - default shape rules and the type check --------===//

#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"

using namespace mlir;
using namespace tfmc::tfm;

LogicalResult tfmc::tfm::inferByTraits(Operation *op, SmallVectorImpl<Type> &types) {
  // Variadic ops (max, min) may be built with no operand at all.
  if (op->getNumOperands() == 0)
    return op->emitOpError("needs at least one operand");
  if (op->hasTrait<SameShapeAsFirst>()) {
    types.push_back(op->getOperand(0).getType());
    return success();
  }
  if (!op->hasTrait<Broadcasting>())
    return op->emitOpError("has no shape inference rule");

  Type element = getElementTypeOrSelf(op->getOperand(0).getType());
  Dims dims = getDims(op->getOperand(0).getType());
  for (Value operand : op->getOperands().drop_front()) {
    // Pow is the one broadcasting op whose operand types may differ.
    if (!isa<PowOp>(op) && getElementTypeOrSelf(operand.getType()) != element)
      return op->emitOpError("operands must have the same element type, got ")
             << op->getOperand(0).getType() << " and " << operand.getType();
    std::optional<Dims> b = broadcastShapes(dims, getDims(operand.getType()));
    if (!b)
      return op->emitOpError("operands are not broadcast-compatible: ")
             << op->getOperand(0).getType() << " and " << operand.getType();
    dims = *b;
  }
  if (op->hasTrait<BoolResult>())
    element = IntegerType::get(op->getContext(), 1);
  types.push_back(makeTensorType(dims, element));
  return success();
}

/// Stored and inferred types agree when element type and rank match and no
/// dimension is static in both with different sizes.
static bool isCompatible(Type stored, Type inferred) {
  auto a = dyn_cast<RankedTensorType>(stored), b = dyn_cast<RankedTensorType>(inferred);
  if (!a || !b)
    return stored == inferred;
  if (a.getElementType() != b.getElementType() || a.getRank() != b.getRank())
    return false;
  for (auto [x, y] : llvm::zip(a.getShape(), b.getShape()))
    if (!ShapedType::isDynamic(x) && !ShapedType::isDynamic(y) && x != y)
      return false;
  return true;
}

LogicalResult tfmc::tfm::verifyInferredTypes(Operation *op) {
  // Result types are unranked placeholders only while the importer builds.
  SmallVector<Type> inferred;
  if (failed(cast<ShapeInferenceOpInterface>(op).inferResultTypes(inferred)))
    return failure();
  if (inferred.size() != op->getNumResults())
    return op->emitOpError("infers ") << inferred.size() << " results but has "
                                      << op->getNumResults();
  for (auto [i, pair] : llvm::enumerate(llvm::zip(op->getResultTypes(), inferred))) {
    auto [stored, expected] = pair;
    if (!isCompatible(stored, expected))
      return op->emitOpError("result #")
             << i << " has type " << stored << " but its operands give " << expected;
  }
  return success();
}
