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

/// Replaces each bufferized f32 matrix product that a zero fill precedes
/// with launches of a tiled matmul kernel built into a gpu.module: fp32 on
/// the SIMT cores, or mma.sync with operands rounded to tf32, fp16 or bf16
/// (constant weights rounded at compile time), accumulating in f32.
std::unique_ptr<mlir::Pass>
createGpuMatMulPass(GpuMatMulPrecision precision = GpuMatMulPrecision::FP32);

/// Moves every kernel into one gpu.module named `<name>_kernels`, so that a
/// model is one PTX module.
std::unique_ptr<mlir::Pass> createMergeGpuModulesPass(std::string name = "kernels");

/// From bufferization to `gpu.binary` ops holding PTX (options.gpuArch,
/// options.cudaPath for libdevice).
void buildLinalgToPtxPipeline(mlir::OpPassManager &pm, const CompileOptions &options);

/// After buildLinalgToPtxPipeline: the host code (the model function) to the
/// LLVM dialect, its GPU ops calling the runtime's CUDA loader.
void buildCudaHostPipeline(mlir::OpPassManager &pm);

/// Puts each buffer of the model function where its users are: gpu.alloc
/// on the device, `gpu.alloc host_shared` (page-locked, mapped) for those
/// host code also reads or writes, with a gpu.wait before such accesses;
/// constants only kernels use are marked kCudaConstantAttr. Adds the
/// leading CUDA instance and kernel table arguments. Refuses host code that
/// uses buffers otherwise (runtime calls on them), naming the op.
std::unique_ptr<mlir::Pass> createPlaceGpuBuffersPass();

/// Lowers gpu.alloc/dealloc/wait/launch_func and marked constants to
/// tfmrt_cuda calls, and the gpu.binary to the `tfmrt_cuda_ptx` constant.
std::unique_ptr<mlir::Pass> createGpuToCudaRuntimePass();

/// Whether the CUDA target can pass the model's inputs and outputs (numeric
/// tensors only, so far); `error` names the first it cannot.
bool checkCudaSignature(const ModelSignature &signature, std::string &error);

/// translateWithModelABI for the CUDA target, after buildCudaHostPipeline:
/// the entry copies host inputs to the device and outputs back, and the
/// embedded PTX and kernel names become its tfmrt_cuda_program. With
/// `weights`, the large constants go there, read through tfmrt_cuda_weights.
std::unique_ptr<llvm::Module> translateWithCudaModelABI(mlir::ModuleOp module,
                                                        llvm::LLVMContext &llvmContext,
                                                        const ModelSignature &signature,
                                                        std::string *weights,
                                                        std::string &error);

/// The attributes and symbols these passes and the CUDA model ABI share.
constexpr llvm::StringLiteral kCudaInstanceArgAttr = "tfmrt.cuda_instance";
constexpr llvm::StringLiteral kCudaKernelsArgAttr = "tfmrt.cuda_kernels";
constexpr llvm::StringLiteral kCudaConstantAttr = "tfmrt.cuda_constant";
/// Module: the inputs host code reads (DenseI32ArrayAttr), which the entry
/// puts in shared memory; the kernels by launch index (ArrayAttr of names).
constexpr llvm::StringLiteral kCudaSharedInputsAttr = "tfmrt.cuda_shared_inputs";
constexpr llvm::StringLiteral kCudaKernelNamesAttr = "tfmrt.cuda_kernel_names";
constexpr llvm::StringLiteral kCudaPtxGlobal = "tfmrt_cuda_ptx";

/// The PTX text of the module's gpu.binary (after buildLinalgToPtxPipeline);
/// a module with no kernel when the model has none.
std::string collectPtx(mlir::ModuleOp module, const CompileOptions &options);

} // namespace tfmc

#endif // TFMC_CODEGEN_GPU_H
