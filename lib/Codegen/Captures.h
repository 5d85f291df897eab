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
  /// In the outlined function: loads the struct from `address` and maps
  /// each value (and clone of a constant) in `mapping`.
  void unpack(mlir::OpBuilder &b, mlir::Location loc, mlir::Value address,
              mlir::IRMapping &mapping) const;

private:
  mlir::Type structType(mlir::MLIRContext *ctx) const;

  llvm::SmallVector<mlir::Value> captured;
  llvm::SmallVector<mlir::Type> fieldTypes;
  llvm::SmallVector<mlir::Operation *> constants;
};

} // namespace tfmc

#endif // TFMC_LIB_CODEGEN_CAPTURES_H
