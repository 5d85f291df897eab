//===- Gpu.h - the PTX path: linalg to NVVM kernels -------------*- C++ -*-===//
//
// Where the GPU path branches off the CPU one: the same linalg program (after
// buildLowerToLinalgPipeline) is bufferized, its parallel loops are tiled
// and mapped to blocks and threads, outlined into one gpu.module of kernels,
// lowered to NVVM and compiled to PTX by LLVM's NVPTX backend with
// libdevice linked for math functions.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_CODEGEN_GPU_H
#define TFMC_CODEGEN_GPU_H

#include "tfmc/Codegen/Compiler.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

namespace tfmc {

/// Registers what the GPU pipeline needs in a context: the NVVM target's
/// serialization and the GPU and NVVM translations to LLVM IR.
void registerGpuInterfaces(mlir::DialectRegistry &registry);

/// Tiles every outermost scf.parallel so that its innermost dim runs on
/// `threadsPerBlock` threads of a block and the rest on blocks; a loop that
/// calls the CPU runtime (string casts) stays on the host as scf.for.
std::unique_ptr<mlir::Pass> createTileParallelLoopsForGpuPass(int64_t threadsPerBlock = 128);

/// Every memref.copy becomes linalg.copy, so that copies run as kernels.
std::unique_ptr<mlir::Pass> createCopiesToLinalgPass();

/// Moves every kernel into one gpu.module named `<name>_kernels`, so that a
/// model is one PTX module.
std::unique_ptr<mlir::Pass> createMergeGpuModulesPass(std::string name = "kernels");

/// From bufferization to `gpu.binary` ops holding PTX (options.gpuArch,
/// options.cudaPath for libdevice).
void buildLinalgToPtxPipeline(mlir::OpPassManager &pm, const CompileOptions &options);

/// The PTX text of the module's gpu.binary (after buildLinalgToPtxPipeline);
/// a module with no kernel when the model has none.
std::string collectPtx(mlir::ModuleOp module, const CompileOptions &options);

} // namespace tfmc

#endif // TFMC_CODEGEN_GPU_H
