//===- Compiler.h - tfm modules to native code ------------------*- C++ -*-===//
//
// The stages after import: lower tfm to the LLVM dialect (the CPU path),
// translate to LLVM IR with the tfmrt ABI around the model function, and
// emit an object, assembly or a shared library. The PTX path will branch off
// after `lowerToLinalg`, where the program is still target independent.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_CODEGEN_COMPILER_H
#define TFMC_CODEGEN_COMPILER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tfmc {

enum class CompileTarget { CPU, CUDA };

/// How the CUDA target computes f32 matrix products
/// (`--gpu-matmul-precision`): exact fp32 on the SIMT cores (the default, as
/// in PyTorch and ONNX Runtime), or on tensor cores with operands rounded to
/// tf32, fp16 or bf16; products always accumulate in fp32.
enum class GpuMatMulPrecision { FP32, TF32, FP16, BF16 };
/// The option's spelling: fp32, tf32, fp16, bf16.
llvm::StringRef toString(GpuMatMulPrecision precision);
std::optional<GpuMatMulPrecision> parseGpuMatMulPrecision(llvm::StringRef name);

struct CompileOptions {
  /// The C identifier that prefixes the generated API (`<name>_model`, ...).
  std::string modelName;
  CompileTarget target = CompileTarget::CPU;
  /// CUDA: the compute capability kernels are compiled for, and where the
  /// toolkit (libdevice) is.
  std::string gpuArch = "sm_80";
  std::string cudaPath = "/usr/local/cuda";
  GpuMatMulPrecision gpuMatMulPrecision = GpuMatMulPrecision::FP32;
  /// `host`, or an LLVM CPU name such as `x86-64-v3` or `znver5`.
  std::string cpu = "host";
  unsigned optLevel = 2;
  /// Large constants go to `<name>.weights` instead of the object.
  bool externalWeights = false;
  /// Fusion kinds left alone (`--no-fuse`).
  std::vector<std::string> disabledFusions;
  /// Attention and the norms as row kernels (ConvertTfmToLinalg's option) on
  /// the CPU, to test the forms CUDA always uses.
  bool rowKernels = false;

  /// Every field as text: what compiled code depends on besides the model
  /// and the compiler (`tfmc run`'s cache key). A new field goes here too.
  std::string fingerprint() const {
    std::string text = modelName + "\n" + (target == CompileTarget::CUDA
                                           ? "cuda " + gpuArch + " " + toString(gpuMatMulPrecision).str()
                                           : cpu) +
                       "\n" + std::to_string(optLevel) + "\n" +
                       (externalWeights ? "external-weights\n" : "") +
                       (rowKernels ? "row-kernels\n" : "") + "no-fuse:";
    for (const std::string &kind : disabledFusions)
      text += kind + ",";
    return text;
  }
};

/// One model input or output as the generated header and the runtime see it.
struct TensorSignature {
  std::string name;
  int32_t kind = 0;            // tfmrt_kind; below: of its tensors
  int32_t dtype = 0;           // tfmrt_dtype (ONNX numbering)
  bool ranked = true;          // false: a sequence's tensors of any rank
  std::vector<int64_t> dims;   // -1: known only at run time
  std::vector<int32_t> symbols; // per dim: index into ModelSignature::symbols, or -1
  std::vector<std::string> dimNames; // per dim: "" when static
};

struct ModelSignature {
  std::string name;
  std::vector<TensorSignature> inputs, outputs;
  /// Named dims that inputs share; checked for agreement at run time.
  std::vector<std::string> symbols;
  /// tfmrt_model.kernel_isa: the runtime kernels' widest ISA (kernelIsaFor).
  uint32_t kernelIsa = 0;
};

/// Reads the names, dtypes and (symbolic) dims of the model function before
/// lowering erases them. Fails on element types with no runtime dtype.
mlir::FailureOr<ModelSignature> readSignature(mlir::func::FuncOp model, llvm::StringRef name);

/// The model function: the module's only public function.
mlir::func::FuncOp getModelFunction(mlir::ModuleOp module);

/// The external interface models bufferization and deallocation need.
void registerCodegenInterfaces(mlir::DialectRegistry &registry);

/// One-shot bufferization across function boundaries with identity
/// layouts, contiguous results and buffer deallocation: the first steps of
/// both the CPU and the GPU pipelines.
void addBufferization(mlir::OpPassManager &pm);
/// From memrefs in blocks (after scf-to-cf) to the LLVM dialect, allocation
/// through the generic functions; `beforeMemRefLowering` (if any) runs
/// just before memrefs are lowered. The tail of both host pipelines.
void addLowerToLLVMDialect(mlir::OpPassManager &pm,
                           std::unique_ptr<mlir::Pass> beforeMemRefLowering = nullptr);

/// tfm → linalg/tensor (target independent; the PTX path branches here).
void buildLowerToLinalgPipeline(mlir::OpPassManager &pm, const CompileOptions &options);
/// linalg on tensors → LLVM dialect for the host CPU.
void buildLinalgToLLVMPipeline(mlir::OpPassManager &pm, const CompileOptions &options);
/// Fuses elementwise linalg producers into consumers that read each of
/// their elements once (never into a matmul, which would recompute them).
std::unique_ptr<mlir::Pass> createElementwiseFusionPass();
/// Copies strided views that functions return into dense buffers (the
/// model ABI returns row-major tensors).
std::unique_ptr<mlir::Pass> createContiguousResultsPass();
/// Calls the runtime's f32 matmul kernel for bufferized matrix products
/// (functions with an instance argument only: the kernel uses its threads).
std::unique_ptr<mlir::Pass> createMatMulToRuntimePass();

/// Tiles buffer transposes that move the innermost dim (attention's K^T)
/// into 16x16 vector transposes (rows masked at the edges) instead of loops
/// of gathers.
std::unique_ptr<mlir::Pass> createVectorizeTransposesPass();

/// Carries a loop's reduction element (loaded and stored at loop-invariant
/// indices of a buffer nothing else in the loop reads) in a register.
std::unique_ptr<mlir::Pass> createPromoteAccumulatorsPass();
/// Runs the scf.parallel loops at the top of functions with an instance
/// argument on its threads: outlined bodies called by tfmrt_parallel_for.
std::unique_ptr<mlir::Pass> createParallelLoopsToRuntimePass();
/// Replaces f32 erf, exp and tanh with inline polynomials (vectorizable,
/// unlike libm calls).
std::unique_ptr<mlir::Pass> createApproximateMathPass();

/// Marks the argument that carries the `tfmrt_instance *`.
constexpr llvm::StringLiteral kInstanceArgAttr = "tfmrt.instance";
/// A function's instance argument, or null when it has none.
mlir::Value getInstanceArgument(mlir::func::FuncOp func);

/// Registers the memref-level passes above for tfmc-opt's tests.
void registerCodegenPasses();
/// Turns memref.copy between strided views into linalg.copy (the upstream
/// lowering would call MLIR's runner library, which models do not link).
std::unique_ptr<mlir::Pass> createStridedCopyToLinalgPass();
/// Rewrites memref.expand_shape ops that LLVM 22's expand-strided-metadata
/// crashes on (several dynamic dims in one group) as reinterpret_cast.
std::unique_ptr<mlir::Pass> createExpandShapeToReinterpretCastPass();

/// Gives the model function its leading `tfmrt_instance *` argument, which
/// the runtime calls (arena allocation, kernels) receive, and passes it to
/// the calls of functions marked kTakesInstanceAttr.
void addInstanceArgument(mlir::func::FuncOp model);

/// Translates an LLVM-dialect module and wraps the model function in the
/// tfmrt ABI: `<name>_model` (the only exported symbol), its entry function,
/// and allocation through the instance's arena. With `weights` not null the
/// large constants (over 1 KiB) leave the module: `weights` receives the
/// contents of `<name>.weights` (64-byte aligned), which `<name>_model`
/// records by size and checksum and the model reads via `tfmrt_weights`.
std::unique_ptr<llvm::Module> translateWithModelABI(mlir::ModuleOp module,
                                                    llvm::LLVMContext &llvmContext,
                                                    const ModelSignature &signature,
                                                    std::string *weights,
                                                    std::string &error);

/// The tfmrt_kernel_isa of a CPU: TFMRT_KERNEL_ISA_BEST for `host`, else
/// the widest kernels that CPU runs (x86-64-v3: AVX2). Unknown CPUs get
/// BEST here; emitMachineCode refuses them.
uint32_t kernelIsaFor(llvm::StringRef cpu);

enum class OutputKind { Object, Assembly };
/// Optimizes `module` for the target CPU and writes object code or assembly.
bool emitMachineCode(llvm::Module &module, const CompileOptions &options, OutputKind kind,
                     llvm::raw_pwrite_stream &os, std::string &error);

/// The generated C header for a model; `externalWeights`: it was compiled
/// with a weights file, which instances need.
std::string writeModelHeader(const ModelSignature &signature, llvm::StringRef source,
                             bool externalWeights = false);

/// Links an object and the runtime archives (in link order) into a
/// self-contained shared library with the system C compiler driver.
bool linkSharedLibrary(llvm::StringRef objectPath, llvm::StringRef libraryPath,
                       llvm::ArrayRef<std::string> runtimeArchives, std::string &error);

/// The runtime archive that ships beside the tfmc executable.
std::string findRuntimeArchive(const char *argv0);
/// The archive `name` in the same folder (libtfmrt_cuda.a).
std::string siblingArchive(llvm::StringRef runtimeArchive, llvm::StringRef name);

} // namespace tfmc

#endif // TFMC_CODEGEN_COMPILER_H
