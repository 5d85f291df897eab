//===- MatMul.h - f32 matrix multiply, internals ---------------*- C++ -*-===//
//
// tfmrt_matmul_f32 picks a microkernel per instruction set once, when the
// instance is created, within the model's kernel_isa (tests force each one
// through Instance::matMulIsa).
//
//===----------------------------------------------------------------------===//
#ifndef TFMRT_MATMUL_H
#define TFMRT_MATMUL_H

#include <cstdint>

namespace tfmrt {

enum class MatMulIsa { Generic, Avx2, Avx512 };

/// The best kernel this CPU (and OS) runs.
MatMulIsa bestMatMulIsa();
/// The best kernel this CPU runs within a model's tfmrt_kernel_isa.
MatMulIsa matMulIsaFor(uint32_t kernelIsa);
/// Whether this CPU runs `isa`'s kernel.
bool supportsMatMulIsa(MatMulIsa isa);
const char *matMulIsaName(MatMulIsa isa);

} // namespace tfmrt

#endif // TFMRT_MATMUL_H
