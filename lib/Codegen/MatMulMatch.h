//===- MatMulMatch.h - bufferized matrix products, recognized ---*- C++ -*-===//
//
// The form the tfm lowering builds for MatMul and Gemm, after bufferization:
// a linalg.generic C[b.., m, n] += A[b.., m, k] * B[b.., k, n] over f32
// buffers with unit inner strides, batch dims right-aligned and possibly
// broadcast. Both targets replace such products with tuned kernels: the
// CPU's runtime calls (MatMulToRuntime.cpp), the GPU's tiled kernels
// (GpuMatMul.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_LIB_CODEGEN_MATMULMATCH_H
#define TFMC_LIB_CODEGEN_MATMULMATCH_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include "mlir/IR/SymbolTable.h"

#include <functional>
#include <optional>

namespace tfmc {

/// How each loop of a contraction reads one operand: for every batch loop,
/// the operand dim it indexes (or -1 when the operand is broadcast along it).
struct OperandLayout {
  mlir::Value memref;
  llvm::SmallVector<int64_t> batchDims;
  int64_t rowDim, colDim;
};

/// The matmul a generic computes: loops (batch..., m, n, k), C indexed by
/// (batch..., m, n), A by (batch..., m, k), B by (batch..., k, n).
struct MatMulShape {
  int64_t batchRank;
  OperandLayout a, b, c;
};

/// The product `op` computes, if it is one over f32 buffers whose innermost
/// dims are contiguous.
std::optional<MatMulShape> matchMatMul(mlir::linalg::GenericOp op);

/// The op that zeroes `init` just before `op`: a zero linalg.fill, or a copy
/// from a zero-filled buffer; null when there is none (then C accumulates).
mlir::Operation *zeroingBefore(mlir::linalg::GenericOp op, mlir::Value init);

/// Copies of constant weights that a kernel reads instead of the weights
/// (the CPU's packed panels, the GPU's rounded halves), made at compile
/// time, once per weight; the weights themselves go once only their copies
/// are read, so that LLVM never translates them.
class WeightCopies {
public:
  /// Makes the copy of `source` from its row-major values, placing it with
  /// addGlobal.
  using MakeCopy = std::function<mlir::memref::GlobalOp(
      WeightCopies &, mlir::memref::GlobalOp source, llvm::ArrayRef<float> values)>;

  WeightCopies(mlir::ModuleOp module, MakeCopy make)
      : module(module), symbols(module), make(std::move(make)) {}

  /// The copy of the weight `layout` reads, or null when that is not a whole
  /// constant 2-D f32 global (static shape, row-major, stored element by
  /// element) that every batch shares.
  mlir::memref::GlobalOp copyOf(const OperandLayout &layout);
  /// A private constant 64-byte aligned global beside `source` holding
  /// `value`, named `name` or renamed when that is taken.
  mlir::memref::GlobalOp addGlobal(mlir::memref::GlobalOp source, llvm::StringRef name,
                                   mlir::MemRefType type, mlir::Attribute value);
  /// Erases the weights that only their copies are read from now.
  void eraseUnusedSources();

private:
  mlir::ModuleOp module;
  mlir::SymbolTable symbols;
  MakeCopy make;
  llvm::DenseMap<mlir::memref::GlobalOp, mlir::memref::GlobalOp> copies;
};

} // namespace tfmc

#endif // TFMC_LIB_CODEGEN_MATMULMATCH_H
