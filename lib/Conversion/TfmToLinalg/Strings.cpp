//===- Strings.cpp - string elements as runtime calls ---------------------===//
//
// A string element lowers to an `index` holding its `const char *`, so
// string tensors move through every data-movement lowering unchanged. What
// reads or makes text calls the runtime: tfmrt_format_* (Cast to string;
// the strings live in the instance, so these calls take it, see
// kTakesInstanceAttr), tfmrt_parse_* (Cast from string) and
// tfmrt_strings_equal.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;

func::FuncOp lowering::declareRuntimeFunction(OpBuilder &b, Operation *user, StringRef name,
                                              FunctionType type, bool takesInstance) {
  auto module = user->getParentOfType<ModuleOp>();
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  auto func = func::FuncOp::create(b, module.getLoc(), name, type);
  func.setPrivate();
  if (takesInstance)
    func->setAttr(kTakesInstanceAttr, b.getUnitAttr());
  return func;
}

namespace {

Value call(OpBuilder &b, Location loc, Operation *user, StringRef name, TypeRange results,
           ValueRange args, bool takesInstance = false) {
  func::FuncOp callee = declareRuntimeFunction(
      b, user, name, b.getFunctionType(args.getTypes(), results), takesInstance);
  return func::CallOp::create(b, loc, callee, args).getResult(0);
}

Value toPointer(OpBuilder &b, Location loc, Value element) {
  Value address = arith::IndexCastOp::create(b, loc, b.getI64Type(), element);
  return LLVM::IntToPtrOp::create(b, loc, LLVM::LLVMPointerType::get(b.getContext()), address);
}

Value toElement(OpBuilder &b, Location loc, Value pointer) {
  Value address = LLVM::PtrToIntOp::create(b, loc, b.getI64Type(), pointer);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), address);
}

/// The runtime's text for a number: floats in their own precision (f16 and
/// bf16 through f32), integers and bools as decimals.
Value format(OpBuilder &b, Location loc, Operation *user, Value value, bool isUnsignedInt) {
  Type ptr = LLVM::LLVMPointerType::get(b.getContext());
  Type type = value.getType();
  Value text;
  if (type.isF64()) {
    text = call(b, loc, user, "tfmrt_format_f64", ptr, value, /*takesInstance=*/true);
  } else if (isa<FloatType>(type)) {
    Value f32 = castScalar(b, loc, value, b.getF32Type(), false, false);
    text = call(b, loc, user, "tfmrt_format_f32", ptr, f32, /*takesInstance=*/true);
  } else {
    bool asUnsigned = isUnsignedInt || type.isInteger(1);
    Value i64 = castScalar(b, loc, value, b.getI64Type(), asUnsigned, false);
    text = call(b, loc, user, asUnsigned ? "tfmrt_format_u64" : "tfmrt_format_i64", ptr, i64,
                /*takesInstance=*/true);
  }
  return toElement(b, loc, text);
}

/// The number a string element reads as, in `to` (converted element type).
Value parse(OpBuilder &b, Location loc, Operation *user, Value element, Type to,
            bool toUnsignedInt) {
  Value text = toPointer(b, loc, element);
  if (isa<FloatType>(to) || to.isInteger(1)) {
    Value f64 = call(b, loc, user, "tfmrt_parse_f64", b.getF64Type(), text);
    return castScalar(b, loc, f64, to, false, toUnsignedInt);
  }
  Value i64 = call(b, loc, user, "tfmrt_parse_i64", b.getI64Type(), text);
  return castScalar(b, loc, i64, to, false, toUnsignedInt);
}

} // namespace

bool lowering::isStringTensor(Value value) {
  return isa<tfm::StringType>(getElementTypeOrSelf(value.getType()));
}

Value lowering::castWithStrings(OpBuilder &b, Location loc, Operation *cast, Value value,
                                Type to) {
  Value input = cast->getOperand(0), output = cast->getResult(0);
  if (isStringTensor(input) && isStringTensor(output))
    return value;
  if (isStringTensor(output))
    return format(b, loc, cast, value, isUnsigned(input.getType()));
  return parse(b, loc, cast, value, to, isUnsigned(output.getType()));
}

Value lowering::stringsEqual(OpBuilder &b, Location loc, Operation *user, Value lhs, Value rhs) {
  Value equal = call(b, loc, user, "tfmrt_strings_equal", b.getI32Type(),
                     ValueRange{toPointer(b, loc, lhs), toPointer(b, loc, rhs)});
  return arith::TruncIOp::create(b, loc, b.getI1Type(), equal);
}
