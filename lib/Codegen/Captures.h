//===- Captures.h - what an outlined body reads from its parent -*- C++ -*-===//
//
// Code moved into a function of its own that the runtime calls back (a
// parallel loop's body, a matmul's epilogue) still reads values of the
// function it came from. They travel in one stack struct as LLVM values
// (memrefs as their descriptors, through unrealized casts that the memref
// and func conversions fold away); constants are cloned instead.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_LIB_CODEGEN_CAPTURES_H
#define TFMC_LIB_CODEGEN_CAPTURES_H

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

#include <optional>

namespace tfmc {

class Captures {
public:
  /// What `values` need in the outlined function; none when one cannot
  /// travel (a type with no LLVM form, a memref layout it cannot express).
  static std::optional<Captures> of(llvm::ArrayRef<mlir::Value> values,
                                    const mlir::LLVMTypeConverter &converter);

  /// Fills the struct at the builder's point, in a slot allocated at the
  /// entry of `parent`; returns its address.
  mlir::Value pack(mlir::OpBuilder &b, mlir::Location loc, mlir::func::FuncOp parent) const;
  /// A private function `name` of `type`, whose first argument is the
  /// struct's address, beside `parent`: `b` is left in its entry block
  /// after the struct's values, which `mapping` maps the captured ones to
  /// (constants to their clones).
  mlir::func::FuncOp beginFunction(mlir::OpBuilder &b, mlir::Location loc, llvm::StringRef name,
                                   mlir::FunctionType type, mlir::func::FuncOp parent,
                                   mlir::IRMapping &mapping) const;

private:
  mlir::Type structType(mlir::MLIRContext *ctx) const;

  llvm::SmallVector<mlir::Value> captured;
  llvm::SmallVector<mlir::Type> fieldTypes;
  llvm::SmallVector<mlir::Operation *> constants;
};

} // namespace tfmc

#endif // TFMC_LIB_CODEGEN_CAPTURES_H
