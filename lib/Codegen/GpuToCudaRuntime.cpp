//===- GpuToCudaRuntime.cpp - GPU host ops to tfmrt_cuda calls ------------===//
//
// The host side of the CUDA target after tfm-place-gpu-buffers, once its
// control flow is in blocks: the kernels' PTX becomes a NUL-terminated
// constant, and the GPU ops become calls of the runtime's CUDA loader on the
// model function's CUDA instance argument:
//   gpu.alloc [host_shared]  tfmrt_cuda_alloc[_shared](cuda, bytes)
//   gpu.dealloc              tfmrt_cuda_free(cuda, allocated pointer)
//   gpu.wait                 tfmrt_cuda_synchronize(cuda); after a failure
//                            the function returns at once (poison results)
//   gpu.launch_func          tfmrt_cuda_launch(cuda, kernels[i], grid, block,
//                            shared bytes, args) with args[j] pointing at the
//                            j-th parameter of the NVVM kernel: each memref
//                            expands to allocated and aligned pointers,
//                            offset, sizes and strides
//   memref.get_global        tfmrt_cuda_constant(cuda, host address, bytes)
//     {tfmrt.cuda_constant}
// The kernels' names, in the order of `i`, go to the module attribute
// tfmrt.cuda_kernel_names for the model ABI's tfmrt_cuda_program.
//
//===----------------------------------------------------------------------===//

#include "tfmc/Codegen/Gpu.h"

#include "mlir/Conversion/LLVMCommon/Pattern.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tfmc;

namespace {

/// What the patterns share: per model function, its runtime arguments, the
/// launch scratch (grid, block, parameter slots and their addresses,
/// allocated once at entry) and the block that returns after a failure.
struct HostState {
  Value cuda, kernels, grid, block, slots, argv;
  Block *failed = nullptr;
};

struct Lowering {
  DenseMap<Operation *, HostState> functions;
  DenseMap<SymbolRefAttr, int64_t> kernelIndex;

  HostState &stateOf(Operation *op) {
    return functions[op->getParentOfType<func::FuncOp>()];
  }
};

/// The number of parameters the NVVM kernel of `launch` takes.
int64_t parameterCount(gpu::LaunchFuncOp launch) {
  int64_t count = 0;
  for (Type type : launch.getKernelOperands().getTypes())
    count += isa<MemRefType>(type) ? 3 + 2 * cast<MemRefType>(type).getRank() : 1;
  return count;
}

Value i64Constant(OpBuilder &b, Location loc, int64_t value) {
  return LLVM::ConstantOp::create(b, loc, b.getI64Type(), value);
}

template <typename Op>
struct RuntimePattern : ConvertOpToLLVMPattern<Op> {
  RuntimePattern(const LLVMTypeConverter &converter, Lowering &lowering)
      : ConvertOpToLLVMPattern<Op>(converter), lowering(lowering) {}

  Value call(OpBuilder &b, Location loc, StringRef callee, Type result, ValueRange args) const {
    auto op = LLVM::CallOp::create(b, loc, result ? TypeRange(result) : TypeRange(),
                                   FlatSymbolRefAttr::get(b.getContext(), callee), args);
    return result ? op.getResult() : Value();
  }

  Lowering &lowering;
};

struct AllocLowering : RuntimePattern<gpu::AllocOp> {
  using RuntimePattern::RuntimePattern;
  LogicalResult matchAndRewrite(gpu::AllocOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    MemRefType type = op.getType();
    if (op.getAsyncToken() || !isConvertibleAndHasIdentityMaps(type))
      return rewriter.notifyMatchFailure(op, "async or not an identity layout");
    Location loc = op.getLoc();
    SmallVector<Value> sizes, strides;
    Value bytes;
    getMemRefDescriptorSizes(loc, type, adaptor.getDynamicSizes(), rewriter, sizes, strides, bytes);
    Value address = call(rewriter, loc,
                         op.getHostShared() ? "tfmrt_cuda_alloc_shared" : "tfmrt_cuda_alloc",
                         rewriter.getI64Type(), {lowering.stateOf(op).cuda, bytes});
    Value ptr = LLVM::IntToPtrOp::create(rewriter, loc, getPtrType(), address);
    rewriter.replaceOp(op, {createMemRefDescriptor(loc, type, ptr, ptr, sizes, strides, rewriter)});
    return success();
  }
};

struct DeallocLowering : RuntimePattern<gpu::DeallocOp> {
  using RuntimePattern::RuntimePattern;
  LogicalResult matchAndRewrite(gpu::DeallocOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (op.getAsyncToken())
      return rewriter.notifyMatchFailure(op, "async");
    Location loc = op.getLoc();
    Value ptr = MemRefDescriptor(adaptor.getMemref()).allocatedPtr(rewriter, loc);
    Value address = LLVM::PtrToIntOp::create(rewriter, loc, rewriter.getI64Type(), ptr);
    call(rewriter, loc, "tfmrt_cuda_free", Type(), {lowering.stateOf(op).cuda, address});
    rewriter.eraseOp(op);
    return success();
  }
};

struct WaitLowering : RuntimePattern<gpu::WaitOp> {
  using RuntimePattern::RuntimePattern;
  LogicalResult matchAndRewrite(gpu::WaitOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (op.getAsyncToken() || !op.getAsyncDependencies().empty())
      return rewriter.notifyMatchFailure(op, "async");
    HostState &state = lowering.stateOf(op);
    Location loc = op.getLoc();
    Block *before = op->getBlock();
    Block *after = rewriter.splitBlock(before, std::next(op->getIterator()));
    rewriter.setInsertionPointToEnd(before);
    Value status = call(rewriter, loc, "tfmrt_cuda_synchronize", rewriter.getI32Type(),
                        {state.cuda});
    Value ok = LLVM::ICmpOp::create(rewriter, loc, LLVM::ICmpPredicate::eq, status,
                                    LLVM::ConstantOp::create(rewriter, loc, rewriter.getI32Type(), 0));
    cf::CondBranchOp::create(rewriter, loc, ok, after, ValueRange(), state.failed, ValueRange());
    rewriter.eraseOp(op);
    return success();
  }
};

struct LaunchLowering : RuntimePattern<gpu::LaunchFuncOp> {
  using RuntimePattern::RuntimePattern;
  LogicalResult matchAndRewrite(gpu::LaunchFuncOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    if (op.getAsyncToken() || !op.getAsyncDependencies().empty() || op.hasClusterSize())
      return rewriter.notifyMatchFailure(op, "async or clustered");
    HostState &state = lowering.stateOf(op);
    Location loc = op.getLoc();
    Type ptr = getPtrType(), i32 = rewriter.getI32Type(), i64 = rewriter.getI64Type();
    auto element = [&](Value base, Type type, int64_t index) -> Value {
      return LLVM::GEPOp::create(rewriter, loc, ptr, type, base,
                                 ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(index)});
    };
    Value kernel = LLVM::LoadOp::create(
        rewriter, loc, ptr, element(state.kernels, ptr, lowering.kernelIndex.lookup(op.getKernel())));
    auto storeDims = [&](Value dims, ValueRange sizes) {
      for (auto [d, size] : llvm::enumerate(sizes))
        LLVM::StoreOp::create(rewriter, loc, LLVM::TruncOp::create(rewriter, loc, i32, size),
                              element(dims, i32, d));
    };
    storeDims(state.grid, {adaptor.getGridSizeX(), adaptor.getGridSizeY(), adaptor.getGridSizeZ()});
    storeDims(state.block,
              {adaptor.getBlockSizeX(), adaptor.getBlockSizeY(), adaptor.getBlockSizeZ()});
    int64_t slot = 0;
    auto store = [&](Value value) {
      LLVM::StoreOp::create(rewriter, loc, value, element(state.slots, i64, slot++));
    };
    for (auto [operand, converted] :
         llvm::zip(op.getKernelOperands(), adaptor.getKernelOperands())) {
      auto memref = dyn_cast<MemRefType>(operand.getType());
      if (!memref) {
        if (!LLVM::isCompatibleType(converted.getType()) || isa<VectorType>(converted.getType()))
          return rewriter.notifyMatchFailure(op, "a kernel operand of an unsupported type");
        store(converted);
        continue;
      }
      MemRefDescriptor desc(converted);
      store(desc.allocatedPtr(rewriter, loc));
      store(desc.alignedPtr(rewriter, loc));
      store(desc.offset(rewriter, loc));
      for (unsigned d = 0; d < memref.getRank(); ++d)
        store(desc.size(rewriter, loc, d));
      for (unsigned d = 0; d < memref.getRank(); ++d)
        store(desc.stride(rewriter, loc, d));
    }
    Value sharedBytes = adaptor.getDynamicSharedMemorySize();
    if (!sharedBytes)
      sharedBytes = LLVM::ConstantOp::create(rewriter, loc, i32, 0);
    call(rewriter, loc, "tfmrt_cuda_launch", i32,
         {state.cuda, kernel, state.grid, state.block, sharedBytes, state.argv});
    rewriter.eraseOp(op);
    return success();
  }
};

struct ConstantLowering : RuntimePattern<memref::GetGlobalOp> {
  using RuntimePattern::RuntimePattern;
  LogicalResult matchAndRewrite(memref::GetGlobalOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    MemRefType type = op.getType();
    Location loc = op.getLoc();
    // The host copy stays a plain get_global, for the memref lowering.
    auto host = memref::GetGlobalOp::create(rewriter, loc, type, op.getName());
    Value hostDesc = UnrealizedConversionCastOp::create(
                         rewriter, loc, getTypeConverter()->convertType(type), host.getResult())
                         .getResult(0);
    SmallVector<Value> sizes, strides;
    Value bytes;
    getMemRefDescriptorSizes(loc, type, ValueRange(), rewriter, sizes, strides, bytes);
    Value address = call(rewriter, loc, "tfmrt_cuda_constant", rewriter.getI64Type(),
                         {lowering.stateOf(op).cuda,
                          MemRefDescriptor(hostDesc).alignedPtr(rewriter, loc), bytes});
    Value ptr = LLVM::IntToPtrOp::create(rewriter, loc, getPtrType(), address);
    rewriter.replaceOp(op, {createMemRefDescriptor(loc, type, ptr, ptr, sizes, strides, rewriter)});
    return success();
  }
};

struct GpuToCudaRuntime : PassWrapper<GpuToCudaRuntime, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(GpuToCudaRuntime)
  StringRef getArgument() const override { return "tfm-gpu-to-tfmrt-cuda"; }
  StringRef getDescription() const override {
    return "Lower the GPU host ops to calls of the tfmrt_cuda loader and embed the PTX";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<cf::ControlFlowDialect, LLVM::LLVMDialect, ub::UBDialect>();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(embedPtx(module)))
      return signalPassFailure();
    declareRuntime(module);
    Lowering lowering;
    numberKernels(module, lowering);
    for (auto func : module.getOps<func::FuncOp>())
      if (failed(prepare(func, lowering)))
        return signalPassFailure();

    MLIRContext *ctx = &getContext();
    LLVMTypeConverter converter(ctx);
    ConversionTarget target(*ctx);
    target.addLegalDialect<LLVM::LLVMDialect, cf::ControlFlowDialect, ub::UBDialect>();
    target.addLegalOp<UnrealizedConversionCastOp>();
    target.addIllegalOp<gpu::AllocOp, gpu::DeallocOp, gpu::WaitOp, gpu::LaunchFuncOp>();
    target.addDynamicallyLegalOp<memref::GetGlobalOp>(
        [](memref::GetGlobalOp op) { return !op->hasAttr(kCudaConstantAttr); });
    RewritePatternSet patterns(ctx);
    patterns.add<AllocLowering, DeallocLowering, WaitLowering, LaunchLowering, ConstantLowering>(
        converter, lowering);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      return signalPassFailure();
    module->removeAttr(gpu::GPUDialect::getContainerModuleAttrName());
  }

  /// The gpu.binary's PTX as `tfmrt_cuda_ptx`, NUL-terminated, in its own
  /// section (`objcopy --dump-section .tfmrt_ptx=x.ptx` extracts it).
  static LogicalResult embedPtx(ModuleOp module) {
    SmallVector<gpu::BinaryOp> binaries(module.getOps<gpu::BinaryOp>());
    if (binaries.empty())
      return success(); // no kernels
    if (binaries.size() > 1 || binaries.front().getObjects().size() != 1)
      return binaries.back().emitOpError("is not the one PTX object the CUDA target expects");
    auto object = cast<gpu::ObjectAttr>(binaries.front().getObjects()[0]);
    if (object.getFormat() != gpu::CompilationTarget::Assembly)
      return binaries.front().emitOpError("holds no PTX text");
    std::string ptx = object.getObject().getValue().str();
    ptx.push_back('\0');
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    auto type = LLVM::LLVMArrayType::get(b.getI8Type(), ptx.size());
    auto global = LLVM::GlobalOp::create(b, module.getLoc(), type, /*isConstant=*/true,
                                         LLVM::Linkage::Internal, kCudaPtxGlobal,
                                         b.getStringAttr(ptx));
    global.setSection(StringRef(".tfmrt_ptx"));
    binaries.front().erase();
    return success();
  }

  static void declareRuntime(ModuleOp module) {
    MLIRContext *ctx = module.getContext();
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Type ptr = LLVM::LLVMPointerType::get(ctx), i32 = b.getI32Type(), i64 = b.getI64Type();
    Type none = LLVM::LLVMVoidType::get(ctx);
    auto declare = [&](StringRef name, Type result, ArrayRef<Type> params) {
      if (!module.lookupSymbol(name))
        LLVM::LLVMFuncOp::create(b, module.getLoc(), name,
                                 LLVM::LLVMFunctionType::get(result, params));
    };
    declare("tfmrt_cuda_alloc", i64, {ptr, i64});
    declare("tfmrt_cuda_alloc_shared", i64, {ptr, i64});
    declare("tfmrt_cuda_free", none, {ptr, i64});
    declare("tfmrt_cuda_constant", i64, {ptr, ptr, i64});
    declare("tfmrt_cuda_launch", i32, {ptr, ptr, ptr, ptr, i32, ptr});
    declare("tfmrt_cuda_synchronize", i32, {ptr});
  }

  /// Kernels are numbered in the order of their first launch.
  static void numberKernels(ModuleOp module, Lowering &lowering) {
    SmallVector<Attribute> names;
    module.walk([&](gpu::LaunchFuncOp launch) {
      if (lowering.kernelIndex.try_emplace(launch.getKernel(), names.size()).second)
        names.push_back(launch.getKernelName());
    });
    if (!names.empty())
      module->setAttr(kCudaKernelNamesAttr, ArrayAttr::get(module.getContext(), names));
  }

  /// Finds the runtime arguments of a function with GPU ops and creates its
  /// launch scratch and failure block.
  static LogicalResult prepare(func::FuncOp func, Lowering &lowering) {
    int64_t parameters = 0;
    bool any = false, waits = false;
    func.walk([&](Operation *op) {
      if (auto launch = dyn_cast<gpu::LaunchFuncOp>(op))
        parameters = std::max(parameters, parameterCount(launch));
      waits |= isa<gpu::WaitOp>(op);
      any |= isa<gpu::GPUDialect>(op->getDialect()) ||
             (isa<memref::GetGlobalOp>(op) && op->hasAttr(kCudaConstantAttr));
    });
    if (!any)
      return success();
    HostState &state = lowering.functions[func];
    for (unsigned i = 0; i < func.getNumArguments(); ++i) {
      if (func.getArgAttr(i, kCudaInstanceArgAttr))
        state.cuda = func.getArgument(i);
      if (func.getArgAttr(i, kCudaKernelsArgAttr))
        state.kernels = func.getArgument(i);
    }
    if (!state.cuda || !state.kernels)
      return func.emitOpError("has GPU operations but no CUDA instance and kernels arguments");

    MLIRContext *ctx = func.getContext();
    Location loc = func.getLoc();
    Type ptr = LLVM::LLVMPointerType::get(ctx);
    OpBuilder b = OpBuilder::atBlockBegin(&func.getBody().front());
    Type i32 = b.getI32Type(), i64 = b.getI64Type();
    auto stackArray = [&](Type element, int64_t count) {
      return LLVM::AllocaOp::create(b, loc, ptr, element, i64Constant(b, loc, count));
    };
    if (parameters) {
      state.grid = stackArray(i32, 3);
      state.block = stackArray(i32, 3);
      state.slots = stackArray(i64, parameters);
      state.argv = stackArray(ptr, parameters);
    }
    for (int64_t i = 0; i < parameters; ++i) {
      auto at = [&](Value base, Type element) {
        return LLVM::GEPOp::create(b, loc, ptr, element, base,
                                   ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      };
      LLVM::StoreOp::create(b, loc, at(state.slots, i64), at(state.argv, ptr));
    }

    if (!waits)
      return success();
    // After a failed wait: return at once; the entry reports the failure.
    state.failed = b.createBlock(&func.getBody());
    SmallVector<Value> poison;
    for (Type type : func.getResultTypes())
      poison.push_back(ub::PoisonOp::create(b, loc, type));
    func::ReturnOp::create(b, loc, poison);
    return success();
  }
};

} // namespace

std::unique_ptr<Pass> tfmc::createGpuToCudaRuntimePass() {
  return std::make_unique<GpuToCudaRuntime>();
}
