//===- PlaceGpuBuffers.cpp - host or device memory for each buffer --------===//
//
// After outlining, the model function is host code: it allocates buffers,
// launches kernels on them and returns some. Each buffer goes where its
// users are. One that only kernels and the outputs touch lives on the device
// (gpu.alloc; a constant is uploaded once, `tfmrt.cuda_constant`). One that
// host code also reads or writes (shape arithmetic: a few i64 values) lives
// in page-locked host memory that kernels reach at the same address
// (gpu.alloc host_shared), and host code waits for queued kernels (gpu.wait)
// before touching it. A buffer is the class of values that views and region
// results make of one allocation, so each allocation gets one placement.
//
//===----------------------------------------------------------------------===//

#include "tfmc/Codegen/Gpu.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/EquivalenceClasses.h"

using namespace mlir;
using namespace tfmc;

namespace {

/// What the users of one buffer class do with it.
struct Uses {
  bool host = false;   // read or written by host code
  bool device = false; // a kernel's operand or a model output
};

class Placement {
public:
  explicit Placement(func::FuncOp model) : model(model) {}

  LogicalResult run(ModuleOp module) {
    if (failed(collectClasses()) || failed(collectUses()))
      return failure();
    insertWaits();
    for (Value root : roots)
      if (failed(place(root)))
        return failure();
    model.walk([](memref::DeallocOp dealloc) {
      OpBuilder b(dealloc);
      gpu::DeallocOp::create(b, dealloc.getLoc(), Type(), ValueRange(), dealloc.getMemref());
      dealloc.erase();
    });
    guardLaunches();
    recordSharedInputs(module);
    addRuntimeArguments();
    return success();
  }

private:
  /// Joins every view, region argument and region result with the memref it
  /// stands for.
  LogicalResult collectClasses() {
    WalkResult walk = model.walk([&](Operation *op) -> WalkResult {
      for (Value result : op->getResults())
        if (isa<MemRefType>(result.getType()))
          classes.insert(result);
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            if (isa<MemRefType>(arg.getType()))
              classes.insert(arg);
      if (auto view = dyn_cast<ViewLikeOpInterface>(op)) {
        classes.unionSets(view.getViewSource(), view->getResult(0));
      } else if (auto metadata = dyn_cast<memref::ExtractStridedMetadataOp>(op)) {
        classes.unionSets(metadata.getSource(), metadata.getBaseBuffer());
      } else if (auto loop = dyn_cast<scf::ForOp>(op)) {
        for (auto [init, arg, result] :
             llvm::zip(loop.getInitArgs(), loop.getRegionIterArgs(), loop.getResults()))
          if (isa<MemRefType>(init.getType())) {
            classes.unionSets(init, arg);
            classes.unionSets(init, result);
          }
      } else if (auto yield = dyn_cast<scf::YieldOp>(op)) {
        Operation *parent = yield->getParentOp();
        if (!isa<scf::ForOp, scf::IfOp>(parent))
          return op->emitOpError("yields to an op the GPU host code does not support");
        for (auto [value, result] : llvm::zip(yield.getOperands(), parent->getResults()))
          if (isa<MemRefType>(value.getType()))
            classes.unionSets(value, result);
      } else if (op->getNumRegions() && !isa<scf::ForOp, scf::IfOp, func::FuncOp>(op) &&
                 llvm::any_of(op->getResultTypes(), llvm::IsaPred<MemRefType>)) {
        return op->emitOpError("returns buffers from regions the GPU host code does not support");
      }
      return WalkResult::advance();
    });
    for (BlockArgument arg : model.getArguments())
      if (isa<MemRefType>(arg.getType()))
        roots.push_back(arg);
    model.walk([&](Operation *op) {
      if (isa<memref::AllocOp, memref::AllocaOp, memref::GetGlobalOp>(op))
        roots.push_back(op->getResult(0));
    });
    return failure(walk.wasInterrupted());
  }

  Value leader(Value value) {
    classes.insert(value);
    return classes.getLeaderValue(value);
  }
  Uses &usesOf(Value value) { return uses[leader(value)]; }

  /// Which buffers host code touches, and which kernels and outputs use.
  LogicalResult collectUses() {
    WalkResult walk = model.walk([&](Operation *op) -> WalkResult {
      if (isa<ViewLikeOpInterface, memref::ExtractStridedMetadataOp,
              memref::ExtractAlignedPointerAsIndexOp, memref::DimOp, memref::DeallocOp,
              scf::ForOp, scf::IfOp, scf::YieldOp>(op))
        return WalkResult::advance();
      bool device = isa<gpu::LaunchFuncOp, func::ReturnOp>(op);
      for (Value operand : op->getOperands()) {
        if (!isa<MemRefType>(operand.getType()))
          continue;
        if (!device && !isa<memref::LoadOp, memref::StoreOp, memref::CopyOp>(op))
          return op->emitOpError("uses a buffer on the host, which GPU host code does not "
                                 "support yet");
        (device ? usesOf(operand).device : usesOf(operand).host) = true;
      }
      return WalkResult::advance();
    });
    return failure(walk.wasInterrupted());
  }

  LogicalResult place(Value root) {
    Uses use = usesOf(root);
    OpBuilder b(model.getContext());
    if (auto alloc = root.getDefiningOp<memref::AllocOp>()) {
      b.setInsertionPoint(alloc);
      auto placed = gpu::AllocOp::create(b, alloc.getLoc(), alloc.getType(), Type(), ValueRange(),
                                         alloc.getDynamicSizes(), alloc.getSymbolOperands(),
                                         use.host ? b.getUnitAttr() : UnitAttr());
      alloc.replaceAllUsesWith(placed.getMemref());
      alloc.erase();
      return success();
    }
    if (auto alloca = root.getDefiningOp<memref::AllocaOp>()) {
      if (use.device)
        return alloca.emitOpError("is a host stack buffer that a kernel or output uses");
      return success();
    }
    if (auto global = root.getDefiningOp<memref::GetGlobalOp>()) {
      if (!use.device)
        return success(); // host code reads the constant in place
      if (!use.host) {
        global->setAttr(kCudaConstantAttr, b.getUnitAttr());
        return success();
      }
      // Both: a shared copy, refreshed each run (only small shape constants).
      b.setInsertionPointAfter(global);
      auto copy = gpu::AllocOp::create(b, global.getLoc(), global.getType(), Type(), ValueRange(),
                                       ValueRange(), ValueRange(), b.getUnitAttr());
      global.getResult().replaceAllUsesWith(copy.getMemref());
      gpu::WaitOp::create(b, global.getLoc(), Type(), ValueRange()); // did the allocation fail?
      memref::CopyOp::create(b, global.getLoc(), global.getResult(), copy.getMemref());
      return success();
    }
    if (use.host)
      sharedInputs.push_back(cast<BlockArgument>(root).getArgNumber());
    return success();
  }

  /// An empty grid launches nothing (CUDA refuses one): a launch whose grid
  /// is not constant runs only when it has blocks.
  void guardLaunches() {
    SmallVector<gpu::LaunchFuncOp> launches;
    model.walk([&](gpu::LaunchFuncOp launch) { launches.push_back(launch); });
    for (gpu::LaunchFuncOp launch : launches) {
      gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
      Value any, zero;
      OpBuilder b(launch);
      Location loc = launch.getLoc();
      for (Value size : {grid.x, grid.y, grid.z}) {
        if (matchPattern(size, m_Constant()))
          continue;
        if (!zero)
          zero = arith::ConstantIndexOp::create(b, loc, 0);
        Value empty = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, size, zero);
        any = any ? arith::OrIOp::create(b, loc, any, empty).getResult() : empty;
      }
      if (!any)
        continue;
      Value nonEmpty = arith::XOrIOp::create(
          b, loc, any, arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1));
      auto guard = scf::IfOp::create(b, loc, nonEmpty, /*withElseRegion=*/false);
      launch->moveBefore(guard.thenBlock()->getTerminator());
    }
  }

  /// Host code waits for queued work before it touches a buffer that kernels
  /// may use or that may have failed to allocate: once per run of such
  /// accesses with nothing in between that could queue work or allocate.
  void insertWaits() {
    model.walk([&](Block *block) {
      bool waited = false;
      for (Operation &op : llvm::make_early_inc_range(*block)) {
        if (isa<memref::LoadOp, memref::StoreOp, memref::CopyOp>(op) && needsWait(op)) {
          if (!waited) {
            OpBuilder b(&op);
            gpu::WaitOp::create(b, op.getLoc(), Type(), ValueRange());
          }
          waited = true;
        } else if (op.getNumRegions() || !isPure(&op)) {
          waited = false;
        }
      }
    });
  }

  /// Whether an access touches memory that kernels use or that an
  /// allocation gives (all but stack buffers and constants only the host reads).
  bool needsWait(Operation &access) {
    return llvm::any_of(access.getOperands(), [&](Value operand) {
      if (!isa<MemRefType>(operand.getType()))
        return false;
      Value buffer = leader(operand);
      return llvm::any_of(roots, [&](Value root) {
        return leader(root) == buffer && !root.getDefiningOp<memref::AllocaOp>() &&
               !(root.getDefiningOp<memref::GetGlobalOp>() && !usesOf(root).device);
      });
    });
  }

  void recordSharedInputs(ModuleOp module) {
    if (!sharedInputs.empty())
      module->setAttr(kCudaSharedInputsAttr,
                      DenseI32ArrayAttr::get(module.getContext(), sharedInputs));
  }

  /// The CUDA instance and the kernel table, which the lowering of the GPU
  /// ops to runtime calls reads.
  void addRuntimeArguments() {
    MLIRContext *ctx = model.getContext();
    Builder b(ctx);
    Type ptr = LLVM::LLVMPointerType::get(ctx);
    for (StringRef attr : {kCudaKernelsArgAttr, kCudaInstanceArgAttr})
      (void)model.insertArgument(
          0, ptr, b.getDictionaryAttr(b.getNamedAttr(attr, b.getUnitAttr())), model.getLoc());
  }

  func::FuncOp model;
  llvm::EquivalenceClasses<Value> classes;
  DenseMap<Value, Uses> uses;
  SmallVector<Value> roots;
  SmallVector<int32_t> sharedInputs;
};

struct PlaceGpuBuffers : PassWrapper<PlaceGpuBuffers, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(PlaceGpuBuffers)
  StringRef getArgument() const override { return "tfm-place-gpu-buffers"; }
  StringRef getDescription() const override {
    return "Put each buffer of the GPU host code on the device or in shared host memory";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, gpu::GPUDialect, LLVM::LLVMDialect, scf::SCFDialect>();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp model = getModelFunction(module);
    if (!model) {
      module.emitError("no model function");
      return signalPassFailure();
    }
    if (failed(Placement(model).run(module)))
      signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass> tfmc::createPlaceGpuBuffersPass() {
  return std::make_unique<PlaceGpuBuffers>();
}
