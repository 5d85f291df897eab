//===- PromoteAccumulators.cpp - reduction accumulators in registers ------===//
//
// A reduction lowered to loops reads and writes its output element on every
// iteration (`out[i] = out[i] + x[i, k]` for each k). LLVM keeps such an
// element in a register only when it can prove nothing else in the loop
// touches it, which it cannot once the loop is outlined into a parallel
// body that reads its buffers from a struct. Here, where each buffer's
// origin is still visible, the element becomes a loop-carried value: loaded
// once before the loop, stored once after.
//
// The output must live in a buffer the function allocated itself, and every
// other memory access in the loop must be a load from a different buffer or
// a store into another of the function's allocations or its arguments (a
// softmax's exponentials beside their running sum): then no access in the
// loop can reach the element.
//
// The float operation that folds each step into the carried value may then
// be reassociated (partial sums in vector lanes): LLVM vectorizes a float
// reduction only so, and the rounding differences are far below the
// tolerances models are held to.
//
//===----------------------------------------------------------------------===//

#include "Buffers.h"
#include "tfmc/Codegen/Compiler.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;
using namespace tfmc;

namespace {

/// Whether `buffer` is certainly not `root`, a fresh allocation: another
/// allocation, or an argument of the function (which existed before it).
bool isOtherBuffer(Value buffer, Value root) {
  if (buffer == root)
    return false;
  if (isFreshAllocation(buffer))
    return true;
  auto arg = dyn_cast<BlockArgument>(buffer);
  return arg && isa<func::FuncOp>(arg.getOwner()->getParentOp());
}

/// Whether, besides `load` and `store`, the loop only reads buffers other
/// than `root` and writes buffers certainly not `root` (and has no other
/// memory effects).
bool onlyOtherAccesses(scf::ForOp loop, memref::LoadOp load, memref::StoreOp store, Value root) {
  WalkResult result = loop.getBody()->walk([&](Operation *op) {
    if (op == load || op == store)
      return WalkResult::advance();
    if (auto other = dyn_cast<memref::LoadOp>(op))
      return rootBuffer(other.getMemRef()) == root ? WalkResult::interrupt()
                                                   : WalkResult::advance();
    if (auto other = dyn_cast<memref::StoreOp>(op))
      return isOtherBuffer(rootBuffer(other.getMemRef()), root) ? WalkResult::advance()
                                                                : WalkResult::interrupt();
    if (isMemoryEffectFree(op) || op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
      return WalkResult::advance();
    return WalkResult::interrupt();
  });
  return !result.wasInterrupted();
}

/// The load/store pair of `loop` that accumulates into one element at
/// loop-invariant indices, if there is exactly such a pair to promote.
std::optional<std::pair<memref::LoadOp, memref::StoreOp>> accumulator(scf::ForOp loop) {
  if (loop.getNumRegionIterArgs() != 0)
    return std::nullopt;
  for (auto store : loop.getBody()->getOps<memref::StoreOp>()) {
    auto invariant = [&](Value v) { return loop.isDefinedOutsideOfLoop(v); };
    if (!invariant(store.getMemRef()) || !llvm::all_of(store.getIndices(), invariant))
      continue;
    memref::LoadOp load;
    for (auto candidate : loop.getBody()->getOps<memref::LoadOp>())
      if (candidate.getMemRef() == store.getMemRef() &&
          llvm::equal(candidate.getIndices(), store.getIndices()) &&
          candidate->isBeforeInBlock(store))
        load = candidate;
    Value root = rootBuffer(store.getMemRef());
    if (load && isFreshAllocation(root) && onlyOtherAccesses(loop, load, store, root))
      return std::make_pair(load, store);
  }
  return std::nullopt;
}

/// Lets the float op that combines the carried value with a new one be
/// reassociated, so the reduction vectorizes.
void allowReassociation(Value next, Value carried) {
  auto op = next.getDefiningOp<arith::ArithFastMathInterface>();
  if (!op || !isa<arith::AddFOp, arith::MulFOp, arith::MaximumFOp, arith::MinimumFOp,
                  arith::MaxNumFOp, arith::MinNumFOp>(op.getOperation()) ||
      !llvm::is_contained(op->getOperands(), carried))
    return;
  op->setAttr(op.getFastMathAttrName(),
              arith::FastMathFlagsAttr::get(next.getContext(),
                                            op.getFastMathFlagsAttr().getValue() |
                                                arith::FastMathFlags::reassoc));
}

void promote(scf::ForOp loop, memref::LoadOp load, memref::StoreOp store) {
  OpBuilder b(loop);
  Value initial =
      memref::LoadOp::create(b, load.getLoc(), load.getMemRef(), load.getIndices());
  auto promoted = scf::ForOp::create(
      b, loop.getLoc(), loop.getLowerBound(), loop.getUpperBound(), loop.getStep(),
      ValueRange{initial},
      [&](OpBuilder &, Location, Value, ValueRange) {}); // body moved below
  Block *body = promoted.getBody();
  body->getOperations().splice(body->begin(), loop.getBody()->getOperations());
  loop.getInductionVar().replaceAllUsesWith(promoted.getInductionVar());
  load.getResult().replaceAllUsesWith(promoted.getRegionIterArg(0));
  load.erase();
  Operation *yield = body->getTerminator();
  b.setInsertionPoint(yield);
  scf::YieldOp::create(b, yield->getLoc(), store.getValueToStore());
  yield->erase();
  allowReassociation(store.getValueToStore(), promoted.getRegionIterArg(0));
  b.setInsertionPointAfter(promoted);
  memref::StoreOp::create(b, store.getLoc(), promoted.getResult(0), store.getMemRef(),
                          store.getIndices());
  store.erase();
  loop.erase();
}

struct PromoteAccumulatorsPass
    : PassWrapper<PromoteAccumulatorsPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(PromoteAccumulatorsPass)

  StringRef getArgument() const override { return "tfm-promote-accumulators"; }
  StringRef getDescription() const override {
    return "Carry loop-invariant reduction elements in registers instead of memory";
  }

  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops)
      if (auto pair = accumulator(loop))
        promote(loop, pair->first, pair->second);
  }
};

} // namespace

std::unique_ptr<Pass> tfmc::createPromoteAccumulatorsPass() {
  return std::make_unique<PromoteAccumulatorsPass>();
}
