//===- ParallelLoopsToRuntime.cpp - scf.parallel on the instance's threads ===//
//
// The loops that linalg ops other than matrix products become (elementwise,
// norms, softmax, GELU) run on the instance's threads: each scf.parallel at
// the top of a function with an instance argument is outlined into a
// function `void body(void *captures, int64_t begin, int64_t end)` that
// tfmrt_parallel_for calls on chunks of its iterations.
//
// The distributed range is the loop's dims collapsed into one, except the
// innermost when the body is straight-line code: that dim stays a whole
// sequential loop in each iteration, for LLVM to vectorize. Values the body
// reads from outside travel as Captures.
//
// Loops inside other loops stay sequential (a fork and join per iteration
// of an outer loop costs more than it gains; loops inside scf.if branches
// are outlined), and so do bodies that allocate or call (tfmrt_alloc needs
// the instance; calls may nest).
//
//===----------------------------------------------------------------------===//

#include "Captures.h"
#include "tfmc/Codegen/Compiler.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kParallelFor = "tfmrt_parallel_for";

bool allocatesOrCalls(scf::ParallelOp loop) {
  WalkResult result = loop.getBody()->walk([](Operation *op) {
    if (isa<CallOpInterface>(op) || hasEffect<MemoryEffects::Allocate>(op) ||
        hasEffect<MemoryEffects::Free>(op))
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

bool hasNestedLoop(scf::ParallelOp loop) {
  return loop.getBody()
      ->walk([](LoopLikeOpInterface) { return WalkResult::interrupt(); })
      .wasInterrupted();
}

/// ceil((ub - lb) / step) for one dim of a loop (steps are positive),
/// folded where the bounds are constants.
Value tripCount(OpBuilder &b, Location loc, Value lb, Value ub, Value step) {
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value span = b.createOrFold<arith::SubIOp>(loc, ub, lb);
  Value rounded =
      b.createOrFold<arith::AddIOp>(loc, span, b.createOrFold<arith::SubIOp>(loc, step, one));
  return b.createOrFold<arith::DivUIOp>(loc, rounded, step);
}

class Outliner {
public:
  Outliner(ModuleOp module) : module(module), converter(module.getContext()) {}

  /// Replaces `loop` by a tfmrt_parallel_for call; false (nothing changed)
  /// when something it reads cannot be captured.
  bool outline(scf::ParallelOp loop, Value instance, func::FuncOp parent);

private:
  func::FuncOp declareParallelFor(Type rangeFn);

  ModuleOp module;
  LLVMTypeConverter converter;
  unsigned counter = 0;
};

func::FuncOp Outliner::declareParallelFor(Type rangeFn) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(kParallelFor))
    return existing;
  MLIRContext *ctx = module.getContext();
  OpBuilder b(module.getBodyRegion());
  Type ptr = LLVM::LLVMPointerType::get(ctx), i64 = IntegerType::get(ctx, 64);
  auto func = func::FuncOp::create(b, module.getLoc(), kParallelFor,
                                   FunctionType::get(ctx, {ptr, i64, rangeFn, ptr}, {}));
  func.setPrivate();
  return func;
}

bool Outliner::outline(scf::ParallelOp loop, Value instance, func::FuncOp parent) {
  MLIRContext *ctx = module.getContext();
  Location loc = loop.getLoc();
  Type ptr = LLVM::LLVMPointerType::get(ctx), i64 = IntegerType::get(ctx, 64);

  // What the outlined function needs from here: the loop's bounds and the
  // values its body reads.
  llvm::SetVector<Value> used;
  getUsedValuesDefinedAbove(loop.getRegion(), used);
  used.insert(loop.getLowerBound().begin(), loop.getLowerBound().end());
  used.insert(loop.getUpperBound().begin(), loop.getUpperBound().end());
  used.insert(loop.getStep().begin(), loop.getStep().end());
  std::optional<tfmc::Captures> captures = tfmc::Captures::of(used.getArrayRef(), converter);
  if (!captures)
    return false;

  size_t dims = loop.getNumLoops();
  // Distributed dims: all, or all but the innermost of straight-line code.
  size_t distributed = dims > 1 && !hasNestedLoop(loop) ? dims - 1 : dims;

  // The caller: fill the capture struct, count the iterations, call.
  OpBuilder b(loop);
  Value captured = captures->pack(b, loc, parent);
  Value iterations = arith::ConstantIndexOp::create(b, loc, 1);
  for (size_t d = 0; d < distributed; ++d)
    iterations = b.createOrFold<arith::MulIOp>(
        loc, iterations,
        tripCount(b, loc, loop.getLowerBound()[d], loop.getUpperBound()[d], loop.getStep()[d]));

  // The outlined body.
  auto rangeFn = FunctionType::get(ctx, {ptr, i64, i64}, {});
  std::string name = (parent.getSymName() + "_parallel_" + Twine(counter++)).str();
  OpBuilder fb(ctx);
  IRMapping mapping;
  func::FuncOp body = captures->beginFunction(fb, loc, name, rangeFn, parent, mapping);
  Block *entry = &body.front();
  auto mapped = [&](ValueRange values, size_t d) { return mapping.lookup(values[d]); };
  SmallVector<Value> counts;
  for (size_t d = 0; d < distributed; ++d)
    counts.push_back(tripCount(fb, loc, mapped(loop.getLowerBound(), d),
                               mapped(loop.getUpperBound(), d), mapped(loop.getStep(), d)));
  Value begin = arith::IndexCastOp::create(fb, loc, fb.getIndexType(), entry->getArgument(1));
  Value end = arith::IndexCastOp::create(fb, loc, fb.getIndexType(), entry->getArgument(2));
  Value one = arith::ConstantIndexOp::create(fb, loc, 1);
  auto linear = scf::ForOp::create(fb, loc, begin, end, one);
  fb.setInsertionPointToStart(linear.getBody());
  // Linear index → the distributed dims' induction values, innermost first.
  Value rest = linear.getInductionVar();
  for (size_t d = distributed; d-- > 0;) {
    Value index = rest;
    if (d > 0) {
      index = fb.createOrFold<arith::RemUIOp>(loc, rest, counts[d]);
      rest = fb.createOrFold<arith::DivUIOp>(loc, rest, counts[d]);
    }
    Value offset = fb.createOrFold<arith::MulIOp>(loc, index, mapped(loop.getStep(), d));
    mapping.map(loop.getInductionVars()[d],
                fb.createOrFold<arith::AddIOp>(loc, mapped(loop.getLowerBound(), d), offset));
  }
  if (distributed < dims) {
    auto inner = scf::ForOp::create(fb, loc, mapped(loop.getLowerBound(), dims - 1),
                                    mapped(loop.getUpperBound(), dims - 1),
                                    mapped(loop.getStep(), dims - 1));
    mapping.map(loop.getInductionVars()[dims - 1], inner.getInductionVar());
    fb.setInsertionPointToStart(inner.getBody());
  }
  for (Operation &op : loop.getBody()->without_terminator())
    fb.clone(op, mapping);
  fb.setInsertionPointToEnd(entry);
  func::ReturnOp::create(fb, loc);

  Value function = func::ConstantOp::create(b, loc, rangeFn, SymbolRefAttr::get(body));
  func::CallOp::create(b, loc, declareParallelFor(rangeFn),
                       ValueRange{instance, arith::IndexCastOp::create(b, loc, i64, iterations),
                                  function, captured});
  loop.erase();
  return true;
}

/// Whether `loop` runs once per run of `func`: nested in branches (an
/// scf.if choosing between two lowerings) but in no other loop.
bool outsideLoops(scf::ParallelOp loop, func::FuncOp func) {
  for (Operation *op = loop->getParentOp(); op != func; op = op->getParentOp())
    if (!isa<scf::IfOp>(op))
      return false;
  return true;
}

struct ParallelLoopsToRuntimePass
    : PassWrapper<ParallelLoopsToRuntimePass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ParallelLoopsToRuntimePass)

  StringRef getArgument() const override { return "tfm-parallel-loops-to-runtime"; }
  StringRef getDescription() const override {
    return "Run top-level scf.parallel loops on the instance's threads (tfmrt_parallel_for)";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, func::FuncDialect, LLVM::LLVMDialect,
                    scf::SCFDialect>();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    Outliner outliner(module);
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      Value instance = tfmc::getInstanceArgument(func);
      if (!instance || func.isExternal())
        continue;
      SmallVector<scf::ParallelOp> loops;
      func.walk([&](scf::ParallelOp loop) {
        if (loop.getNumResults() == 0 && outsideLoops(loop, func) && !allocatesOrCalls(loop))
          loops.push_back(loop);
      });
      for (scf::ParallelOp loop : loops)
        outliner.outline(loop, instance, func);
    }
  }
};

} // namespace

std::unique_ptr<Pass> tfmc::createParallelLoopsToRuntimePass() {
  return std::make_unique<ParallelLoopsToRuntimePass>();
}
