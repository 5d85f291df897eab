//===- Pipeline.cpp - the pass pipelines from tfm to the LLVM dialect -----===//

#include "tfmc/Codegen/Compiler.h"
#include "tfmc/Codegen/Gpu.h"
#include "tfmc/Conversion/TfmToLinalg.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/ControlFlow/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/AllocationOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/BufferDeallocationOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace tfmc;

void tfmc::registerCodegenInterfaces(DialectRegistry &registry) {
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  arith::registerBufferDeallocationOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(registry);
  cf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  memref::registerAllocationOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
}

void tfmc::registerCodegenPasses() {
  registerPass(createElementwiseFusionPass);
  registerPass(createContiguousResultsPass);
  registerPass(createStridedCopyToLinalgPass);
  registerPass(createExpandShapeToReinterpretCastPass);
  registerPass(createMatMulToRuntimePass);
  registerPass(createVectorizeTransposesPass);
  registerPass([] { return createTileParallelLoopsForGpuPass(); });
  registerPass([] { return createMergeGpuModulesPass(); });
  registerPass(createCopiesToLinalgPass);
  registerPass([] { return createGpuMatMulPass(); });
  registerPass(createPromoteAccumulatorsPass);
  registerPass(createParallelLoopsToRuntimePass);
  registerPass(createApproximateMathPass);
  registerPass(createPlaceGpuBuffersPass);
  registerPass(createGpuToCudaRuntimePass);
}

void tfmc::buildLowerToLinalgPipeline(OpPassManager &pm, const CompileOptions &options) {
  ConvertTfmToLinalgOptions lowering;
  lowering.rowKernels = options.rowKernels || options.target == CompileTarget::CUDA;
  pm.addPass(createConvertTfmToLinalg(lowering));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Fusing producer/consumer generics removes intermediate buffers.
  if (options.optLevel >= 1)
    pm.addNestedPass<func::FuncOp>(createElementwiseFusionPass());
  pm.addPass(createCanonicalizerPass());
}

void tfmc::addBufferization(OpPassManager &pm) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  // A row kernel's result (built in a tensor.empty after canonicalization)
  // is written into its row of the shared output instead of copied there.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Row kernels (scf.forall) join the other parallel loops.
  pm.addPass(createForallToParallelLoopPass());
  pm.addNestedPass<func::FuncOp>(createContiguousResultsPass());
  bufferization::BufferDeallocationPipelineOptions deallocation;
  bufferization::buildBufferDeallocationPipeline(pm, deallocation);
  // Results that alias an argument (a no-op reduction, a branch passing its
  // input through) are returned as bufferization.clone: make those copies.
  pm.addPass(createConvertBufferizationToMemRefPass());
}

void tfmc::buildLinalgToLLVMPipeline(OpPassManager &pm, const CompileOptions &) {
  addBufferization(pm);
  pm.addPass(createMatMulToRuntimePass());
  pm.addNestedPass<func::FuncOp>(createStridedCopyToLinalgPass());
  pm.addNestedPass<func::FuncOp>(createVectorizeTransposesPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  // Before outlining, while each buffer's origin is visible.
  pm.addNestedPass<func::FuncOp>(createPromoteAccumulatorsPass());
  pm.addPass(createParallelLoopsToRuntimePass());
  pm.addNestedPass<func::FuncOp>(createApproximateMathPass());
  // math.ipowi and friends have no LLVM lowering: outline them as functions.
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createSCFToControlFlowPass());
  addLowerToLLVMDialect(pm);
}

void tfmc::addLowerToLLVMDialect(OpPassManager &pm, std::unique_ptr<Pass> beforeMemRefLowering) {
  pm.addNestedPass<func::FuncOp>(createExpandShapeToReinterpretCastPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  if (beforeMemRefLowering)
    pm.addPass(std::move(beforeMemRefLowering));
  // vector.transpose (tfm-vectorize-transposes' 16x16 tiles) as unpack and
  // lane shuffles.
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  vectorToLLVM.vectorTransposeLowering = vector::VectorTransposeLowering::Shuffle16x16;
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  // Allocation goes through generic functions so that the model ABI can
  // route it to the instance's arena.
  FinalizeMemRefToLLVMConversionPassOptions memrefOptions;
  memrefOptions.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefOptions));
  pm.addPass(math::createMathExtendToSupportedTypes());
  pm.addPass(createConvertMathToLLVMPass());
  // What has no LLVM intrinsic (erf, tanh, ...) calls libm.
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void tfmc::addInstanceArgument(func::FuncOp model) {
  MLIRContext *ctx = model.getContext();
  Builder b(ctx);
  Type ptr = LLVM::LLVMPointerType::get(ctx);
  auto attrs = b.getDictionaryAttr(b.getNamedAttr(kInstanceArgAttr, b.getUnitAttr()));
  (void)model.insertArgument(0, ptr, attrs, model.getLoc());
  // Runtime functions that need the instance get it as their first argument.
  Value instance = model.getArgument(0);
  auto module = model->getParentOfType<ModuleOp>();
  model.walk([&](func::CallOp call) {
    auto callee = module.lookupSymbol<func::FuncOp>(call.getCallee());
    if (callee && callee->hasAttr(kTakesInstanceAttr))
      call->insertOperands(0, instance);
  });
  for (auto callee : module.getOps<func::FuncOp>()) {
    if (!callee->hasAttr(kTakesInstanceAttr))
      continue;
    FunctionType type = callee.getFunctionType();
    SmallVector<Type> inputs{ptr};
    llvm::append_range(inputs, type.getInputs());
    callee.setFunctionType(FunctionType::get(ctx, inputs, type.getResults()));
    callee->removeAttr(kTakesInstanceAttr);
  }
}
