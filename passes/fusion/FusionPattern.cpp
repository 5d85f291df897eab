//===- FusionPattern.cpp - shared pieces of the fusion patterns -----------===//

#include "FusionPattern.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace tfmc::tfm;
using namespace tfmc::tfm::fusion;

std::string fusion::nodeName(Operation *op) {
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(op->getLoc()))
    for (Location part : fused.getLocations())
      if (auto name = dyn_cast<NameLoc>(part))
        return name.getName().str();
  return "";
}

void MissLog::record(Operation *anchor, StringRef kind, const Twine &reason) {
  reasons[{nodeName(anchor), kind.str()}] = reason.str();
}

std::optional<std::string> MissLog::reason(Operation *anchor, StringRef kind) const {
  auto it = reasons.find({nodeName(anchor), kind.str()});
  if (it == reasons.end())
    return std::nullopt;
  return it->second;
}

Location fusion::makeFusedLoc(MLIRContext *ctx, StringRef kind, ArrayRef<Operation *> absorbed) {
  SmallVector<Location> parts;
  for (Operation *op : absorbed) {
    // A part that is itself fused (a LayerNorm inside an attention block's
    // input) contributes its own nodes.
    if (auto fused = dyn_cast<FusedLoc>(op->getLoc()))
      llvm::append_range(parts, fused.getLocations());
    else
      parts.push_back(op->getLoc());
  }
  return FusedLoc::get(ctx, parts, StringAttr::get(ctx, kind));
}

Value fusion::skipNoise(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto identity = dyn_cast<IdentityOp>(def)) {
      value = identity.getInput();
      continue;
    }
    if (auto cast = dyn_cast<CastOp>(def)) {
      if (getElementTypeOrSelf(cast.getInput().getType()) ==
          getElementTypeOrSelf(cast.getType())) {
        value = cast.getInput();
        continue;
      }
    }
    break;
  }
  return value;
}

std::optional<double> fusion::getScalarConstant(Value value) {
  value = skipNoise(value);
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  auto elements = dyn_cast<ElementsAttr>(attr);
  if (!elements || (elements.getNumElements() != 1 && !elements.isSplat()))
    return std::nullopt;
  Type element = elements.getElementType();
  if (isa<FloatType>(element))
    return (*elements.value_begin<APFloat>()).convertToDouble();
  if (isa<IntegerType>(element))
    return static_cast<double>((*elements.value_begin<APInt>()).getSExtValue());
  return std::nullopt;
}

bool fusion::isScalarConstant(Value value, double expected) {
  std::optional<double> actual = getScalarConstant(value);
  return actual && std::abs(*actual - expected) <= 1e-3 * std::abs(expected);
}

std::optional<std::pair<Value, Value>>
fusion::matchEitherOperand(Operation *op, function_ref<bool(Value)> match) {
  if (!op || op->getNumOperands() != 2)
    return std::nullopt;
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  if (match(lhs))
    return std::make_pair(lhs, rhs);
  if (match(rhs))
    return std::make_pair(rhs, lhs);
  return std::nullopt;
}

Operation *fusion::singleUser(Value value) {
  if (!value.hasOneUse())
    return nullptr;
  return *value.getUsers().begin();
}

std::optional<double> fusion::foldScalar(Value value) {
  if (std::optional<double> constant = getScalarConstant(value))
    return constant;
  value = skipNoise(value);
  auto type = dyn_cast<RankedTensorType>(value.getType());
  Operation *def = value.getDefiningOp();
  if (!def || !type || !type.hasStaticShape() || type.getNumElements() != 1)
    return std::nullopt;
  if (isa<SqrtOp, ReciprocalOp, CastOp>(def)) {
    if (!isa<FloatType>(type.getElementType()))
      return std::nullopt;
    std::optional<double> x = foldScalar(def->getOperand(0));
    if (!x)
      return std::nullopt;
    if (isa<SqrtOp>(def))
      return std::sqrt(*x);
    return isa<ReciprocalOp>(def) ? 1.0 / *x : *x;
  }
  if (isa<MulOp, DivOp>(def)) {
    std::optional<double> a = foldScalar(def->getOperand(0)), b = foldScalar(def->getOperand(1));
    if (!a || !b)
      return std::nullopt;
    return isa<MulOp>(def) ? *a * *b : *a / *b;
  }
  return std::nullopt;
}

Operation *fusion::createInferred(PatternRewriter &rewriter, Location loc, StringRef name,
                                  ValueRange operands, ArrayRef<NamedAttribute> attrs,
                                  unsigned numResults) {
  OperationState state(loc, name);
  state.addOperands(operands);
  state.addAttributes(attrs);
  // Placeholders until inference below.
  state.addTypes(SmallVector<Type>(numResults, UnrankedTensorType::get(rewriter.getF32Type())));
  Operation *op = rewriter.create(state);
  SmallVector<Type> types;
  // Inference reports its own error, which fails the pass's verification.
  if (failed(cast<ShapeInferenceOpInterface>(op).inferResultTypes(types)))
    return op;
  for (auto [result, type] : llvm::zip(op->getResults(), types))
    result.setType(type);
  return op;
}
