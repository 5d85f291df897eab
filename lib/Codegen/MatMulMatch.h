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

/// The row-major values of a constant f32 global, when they are stored
/// element by element (a resource blob or non-splat dense elements).
std::optional<llvm::ArrayRef<float>> constantFloats(mlir::memref::GlobalOp global);

} // namespace tfmc

#endif // TFMC_LIB_CODEGEN_MATMULMATCH_H
