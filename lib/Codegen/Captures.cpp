//===- Captures.cpp - what an outlined body reads from its parent ---------===//

#include "Captures.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;
using namespace tfmc;

namespace {
/// The LLVM type a captured value travels as, or null when it cannot.
Type capturedType(Value value, const LLVMTypeConverter &converter) {
  Type type = value.getType();
  if (isa<MemRefType>(type))
    return converter.convertType(type); // null for layouts it cannot express
  if (type.isIndex())
    return IntegerType::get(type.getContext(), 64);
  if (isa<IntegerType, FloatType>(type))
    return type;
  return nullptr;
}
} // namespace

std::optional<Captures> Captures::of(ArrayRef<Value> values,
                                     const LLVMTypeConverter &converter) {
  Captures captures;
  for (Value value : values) {
    Operation *def = value.getDefiningOp();
    if (def && def->hasTrait<OpTrait::ConstantLike>() && def->getNumOperands() == 0) {
      captures.constants.push_back(def);
      continue;
    }
    Type type = capturedType(value, converter);
    if (!type)
      return std::nullopt;
    captures.captured.push_back(value);
    captures.fieldTypes.push_back(type);
  }
  return captures;
}

Type Captures::structType(MLIRContext *ctx) const {
  return LLVM::LLVMStructType::getLiteral(ctx, fieldTypes);
}

Value Captures::pack(OpBuilder &b, Location loc, func::FuncOp parent) const {
  MLIRContext *ctx = b.getContext();
  Type ptr = LLVM::LLVMPointerType::get(ctx), type = structType(ctx);
  Value address;
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&parent.front());
    Value one = LLVM::ConstantOp::create(b, loc, b.getI64Type(), b.getI64IntegerAttr(1));
    address = LLVM::AllocaOp::create(b, loc, ptr, type, one);
  }
  Value packed = LLVM::UndefOp::create(b, loc, type);
  for (auto [i, value] : llvm::enumerate(captured)) {
    Value field = value;
    if (isa<MemRefType>(value.getType()))
      field = UnrealizedConversionCastOp::create(b, loc, fieldTypes[i], value).getResult(0);
    else if (value.getType().isIndex())
      field = arith::IndexCastOp::create(b, loc, b.getI64Type(), value);
    packed = LLVM::InsertValueOp::create(b, loc, packed, field, i);
  }
  LLVM::StoreOp::create(b, loc, packed, address);
  return address;
}

func::FuncOp Captures::beginFunction(OpBuilder &b, Location loc, StringRef name,
                                     FunctionType type, func::FuncOp parent,
                                     IRMapping &mapping) const {
  b.setInsertionPoint(parent);
  auto function = func::FuncOp::create(b, loc, name, type);
  function.setPrivate();
  Block *entry = function.addEntryBlock();
  b.setInsertionPointToStart(entry);
  Value loaded = LLVM::LoadOp::create(b, loc, structType(b.getContext()), entry->getArgument(0));
  for (auto [i, value] : llvm::enumerate(captured)) {
    Value field = LLVM::ExtractValueOp::create(b, loc, loaded, i);
    if (isa<MemRefType>(value.getType()))
      field = UnrealizedConversionCastOp::create(b, loc, value.getType(), field).getResult(0);
    else if (value.getType().isIndex())
      field = arith::IndexCastOp::create(b, loc, b.getIndexType(), field);
    mapping.map(value, field);
  }
  for (Operation *constant : constants)
    b.clone(*constant, mapping);
  return function;
}
