//===- GpuMatMulKernels.h - tiled matmul kernels for the GPU ----*- C++ -*-===//
//
// The kernels tfm-gpu-matmul launches, built into the model's gpu.module:
// C[z] = A[z] x B[z] (row-major, f32 C) for z < batch, one 64x64 tile of C
// per block, staged global -> shared -> registers. GpuMatMul.cpp matches
// the products and launches them; this file only builds the gpu.funcs.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_LIB_CODEGEN_GPUMATMULKERNELS_H
#define TFMC_LIB_CODEGEN_GPUMATMULKERNELS_H

#include "tfmc/Codegen/Compiler.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"

namespace tfmc {

/// Every kernel computes one kTileM x kTileN tile of C per block.
constexpr int64_t kMatMulTileM = 64, kMatMulTileN = 64;

/// The threads of a block of the kernel for `precision` (x only).
int64_t matMulThreads(GpuMatMulPrecision precision);

/// The element type products use in `precision`'s kernel: f32, f16 or
/// bf16 (tf32 is f32 rounded when staged). A constant operand stored in it
/// needs no conversion at run time.
mlir::Type matMulOperandType(mlir::MLIRContext *ctx, GpuMatMulPrecision precision);

/// The kernel for `precision` reading A and B elements of the given types
/// (f32, or matMulOperandType's), built into `module` on first use. Its
/// operands: A, B, C as memref<?xT, strided<[1], offset: ?>> (the origin of
/// batch 0's matrix), then as index: m, n, k, batch, and per operand its
/// batch and row strides (A, B, C). Launch it with a grid of
/// ceil(m/64)*ceil(n/64) blocks on x and min(batch, 65535) on z.
mlir::gpu::GPUFuncOp getOrBuildMatMulKernel(mlir::gpu::GPUModuleOp module,
                                            GpuMatMulPrecision precision, mlir::Type aElement,
                                            mlir::Type bElement);

} // namespace tfmc

#endif // TFMC_LIB_CODEGEN_GPUMATMULKERNELS_H
