//===- GpuPipeline.cpp - linalg to PTX ------------------------------------===//
//
// The first GPU lowering is right before it is fast: every linalg op
// becomes parallel loops whose outermost band is split into blocks of
// threads (one thread per element of the innermost parallel dim, reductions
// as loops inside the thread). Host code (the loops that launch kernels,
// allocations) stays in the model function; what this file writes is the
// kernels' PTX.
//
//===----------------------------------------------------------------------===//

#include "tfmc/Codegen/Gpu.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace tfmc;

void tfmc::registerGpuInterfaces(DialectRegistry &registry) {
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  // convert-gpu-to-nvvm lowers the kernels' other ops through these.
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  index::registerConvertIndexToLLVMInterface(registry);
  registerConvertFuncToLLVMInterface(registry);
  registerConvertMathToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
  registerConvertNVVMToLLVMInterface(registry);
  ub::registerConvertUBToLLVMInterface(registry);
  registerBuiltinDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
}

namespace {

struct TileParallelLoopsForGpu
    : PassWrapper<TileParallelLoopsForGpu, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TileParallelLoopsForGpu)
  explicit TileParallelLoopsForGpu(int64_t threads) : threads(threads) {}
  StringRef getArgument() const override { return "tfm-tile-parallel-loops-for-gpu"; }
  StringRef getDescription() const override {
    return "Split outermost scf.parallel ops into blocks and threads";
  }

  void runOnOperation() override {
    SmallVector<scf::ParallelOp> outermost;
    getOperation().walk([&](scf::ParallelOp op) {
      if (!op->getParentOfType<scf::ParallelOp>())
        outermost.push_back(op);
    });
    for (scf::ParallelOp op : outermost) {
      if (callsHost(op)) {
        keepOnHost(op);
        continue;
      }
      // Inner loops of constant extent (guarded by an scf.if) map to threads.
      SmallVector<int64_t> sizes(op.getNumLoops(), 1);
      sizes.back() = threads;
      scf::tileParallelLoop(op, sizes, /*noMinMaxBounds=*/true);
    }
  }

  /// Whether `op` calls a function with no body here (the runtime's).
  static bool callsHost(scf::ParallelOp op) {
    auto module = op->getParentOfType<ModuleOp>();
    return op.walk([&](func::CallOp call) {
               auto callee = module.lookupSymbol<func::FuncOp>(call.getCallee());
               return callee && callee.isExternal() ? WalkResult::interrupt()
                                                    : WalkResult::advance();
             })
        .wasInterrupted();
  }

  /// Rewrites `op` (no reductions: linalg-to-parallel-loops makes none) as a
  /// nest of scf.for, which the GPU mapping leaves to the host.
  static void keepOnHost(scf::ParallelOp op) {
    OpBuilder b(op);
    IRMapping mapping;
    for (auto [iv, lower, upper, step] : llvm::zip(op.getInductionVars(), op.getLowerBound(),
                                                   op.getUpperBound(), op.getStep())) {
      auto loop = scf::ForOp::create(b, op.getLoc(), lower, upper, step);
      mapping.map(iv, loop.getInductionVar());
      b.setInsertionPoint(loop.getBody()->getTerminator());
    }
    for (Operation &inner : op.getBody()->without_terminator())
      b.clone(inner, mapping);
    op.erase();
  }

  int64_t threads;
};

/// Copies (Identity, Concat, Slice, transposes that bufferize to copies)
/// become linalg.copy, so they run as kernels on the device buffers.
struct CopiesToLinalg : PassWrapper<CopiesToLinalg, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CopiesToLinalg)
  StringRef getArgument() const override { return "tfm-copies-to-linalg"; }
  StringRef getDescription() const override { return "Turn every memref.copy into linalg.copy"; }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<linalg::LinalgDialect>();
  }

  void runOnOperation() override {
    getOperation().walk([](memref::CopyOp copy) {
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(), copy.getTarget());
      copy.erase();
    });
  }
};

struct MergeGpuModules : PassWrapper<MergeGpuModules, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(MergeGpuModules)
  explicit MergeGpuModules(std::string name) : name(std::move(name)) {}
  StringRef getArgument() const override { return "tfm-merge-gpu-modules"; }
  StringRef getDescription() const override { return "Move every kernel into one gpu.module"; }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::GPUModuleOp> modules(module.getOps<gpu::GPUModuleOp>());
    if (modules.size() < 2)
      return;
    OpBuilder b(modules.front());
    auto merged = gpu::GPUModuleOp::create(b, module.getLoc(), name);
    SymbolTable mergedSymbols(merged);
    llvm::DenseMap<Attribute, SymbolRefAttr> renamed;
    for (gpu::GPUModuleOp from : modules) {
      for (Operation &op : llvm::make_early_inc_range(*from.getBody())) {
        auto symbol = dyn_cast<SymbolOpInterface>(op);
        if (!symbol)
          continue;
        SymbolRefAttr old = SymbolRefAttr::get(from.getNameAttr(),
                                               {FlatSymbolRefAttr::get(symbol.getNameAttr())});
        op.remove();
        StringAttr unique = mergedSymbols.insert(&op);
        renamed[old] = SymbolRefAttr::get(merged.getNameAttr(), {FlatSymbolRefAttr::get(unique)});
      }
      from.erase();
    }
    module.walk([&](gpu::LaunchFuncOp launch) {
      auto it = renamed.find(launch.getKernel());
      if (it != renamed.end())
        launch.setKernelAttr(it->second);
    });
  }

  std::string name;
};

} // namespace

std::unique_ptr<Pass> tfmc::createTileParallelLoopsForGpuPass(int64_t threadsPerBlock) {
  return std::make_unique<TileParallelLoopsForGpu>(threadsPerBlock);
}

std::unique_ptr<Pass> tfmc::createCopiesToLinalgPass() { return std::make_unique<CopiesToLinalg>(); }

std::unique_ptr<Pass> tfmc::createMergeGpuModulesPass(std::string name) {
  return std::make_unique<MergeGpuModules>(std::move(name));
}

void tfmc::buildLinalgToPtxPipeline(OpPassManager &pm, const CompileOptions &options) {
  addBufferization(pm);
  pm.addNestedPass<func::FuncOp>(createCopiesToLinalgPass());
  pm.addPass(createGpuMatMulPass(options.gpuMatMulPrecision));
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createTileParallelLoopsForGpuPass());
  // The innermost dim (a block's 128 threads) on x: z allows only 64.
  GpuMapParallelLoopsPassOptions mapping;
  mapping.mappingPolicyStr = "innermost-first";
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass(mapping));
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  // math.ipowi and friends have no NVVM lowering: functions that outlining
  // copies into the kernels' module.
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createMergeGpuModulesPass(options.modelName + "_kernels"));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createCanonicalizerPass());

  GpuNVVMAttachTargetOptions target;
  target.chip = options.gpuArch;
  // PTX 8.0 (CUDA 12) covers sm_80 and sm_90; ptxas of CUDA 13 reads it.
  target.features = "+ptx80";
  target.optLevel = options.optLevel;
  pm.addPass(createGpuNVVMAttachTarget(target));
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  // Row kernels take views of their rows (memref.subview).
  kernels.addPass(memref::createExpandStridedMetadataPass());
  kernels.addPass(createLowerAffinePass());
  kernels.addPass(createSCFToControlFlowPass());
  kernels.addPass(createConvertGpuOpsToNVVMOps());
  kernels.addPass(createReconcileUnrealizedCastsPass());
  GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = options.cudaPath; // libdevice: nvvm/libdevice/libdevice.10.bc
  binary.compilationTarget = "isa";
  pm.addPass(createGpuModuleToBinaryPass(binary));
}

void tfmc::buildCudaHostPipeline(OpPassManager &pm) {
  pm.addPass(createPlaceGpuBuffersPass());
  pm.addPass(createSCFToControlFlowPass());
  addLowerToLLVMDialect(pm, createGpuToCudaRuntimePass());
}

std::string tfmc::collectPtx(ModuleOp module, const CompileOptions &options) {
  std::string ptx;
  for (auto binary : module.getOps<gpu::BinaryOp>())
    for (Attribute object : binary.getObjects())
      ptx += cast<gpu::ObjectAttr>(object).getObject().getValue().str();
  // A model that only reshapes has no kernels: an empty module says so.
  if (ptx.empty())
    ptx = "//\n// " + options.modelName + ": no kernels\n//\n\n.version 8.0\n.target " +
          options.gpuArch + "\n.address_size 64\n";
  return ptx;
}
