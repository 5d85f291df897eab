//===- MatMulEpilogue.cpp - elementwise consumers run on C's blocks -------===//

#include "MatMulEpilogue.h"
#include "Buffers.h"
#include "Captures.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;
using namespace tfmc;

namespace {

/// Whether two memrefs may share memory: not when one is a buffer of its
/// own (an alloc) or they are different globals.
bool mayAlias(Value a, Value b) {
  Value rootA = rootBuffer(a), rootB = rootBuffer(b);
  if (rootA == rootB)
    return true;
  if (isFreshAllocation(rootA) || isFreshAllocation(rootB))
    return false;
  auto globalA = rootA.getDefiningOp<memref::GetGlobalOp>();
  auto globalB = rootB.getDefiningOp<memref::GetGlobalOp>();
  if (globalA || globalB)
    return globalA && globalB && globalA.getName() == globalB.getName();
  return true;
}

bool mayAliasAny(Value memref, ArrayRef<Value> others) {
  return llvm::any_of(others, [&](Value other) { return mayAlias(memref, other); });
}

/// Whether `op` or an op nested in it reads or writes memory `memref` may share.
bool touches(Operation *op, Value memref) {
  WalkResult result = op->walk([&](Operation *nested) {
    for (Value operand : nested->getOperands())
      if (isa<MemRefType>(operand.getType()) && mayAlias(operand, memref))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

/// Whether each result of `map` is a loop index or a constant (the maps of
/// elementwise ops and their broadcasts), which the tile function applies
/// without the affine dialect.
bool indexesDirectly(AffineMap map) {
  return llvm::all_of(map.getResults(),
                      [](AffineExpr e) { return isa<AffineDimExpr, AffineConstantExpr>(e); });
}

/// Whether `op` computes each element of its one output from C's element at
/// the same place and elements of buffers that no block writes.
bool isElementwiseOnC(linalg::GenericOp op, const MatMulShape &shape) {
  Value c = shape.c.memref;
  int64_t rank = cast<MemRefType>(c.getType()).getRank();
  if (!op.hasPureBufferSemantics() || op.getNumLoops() != rank ||
      op.getNumReductionLoops() != 0 || op.getNumDpsInits() != 1)
    return false;
  OpOperand *init = op.getDpsInitOperand(0);
  Value d = init->get();
  if (!op.getMatchingIndexingMap(init).isIdentity())
    return false;
  // Blocks run concurrently with other blocks' products: D must not be
  // what they read, nor a view of C other than C itself.
  if (mayAliasAny(d, {shape.a.memref, shape.b.memref}) || (d != c && mayAlias(d, c)))
    return false;
  int readsOfC = 0;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (!indexesDirectly(map))
      return false;
    if (input->get() == c) {
      if (!map.isIdentity())
        return false;
      ++readsOfC;
      continue;
    }
    // Another block's D (or C) is no input.
    if (mayAlias(input->get(), c) || (input->get() != d && mayAlias(input->get(), d)))
      return false;
  }
  if (readsOfC != 1)
    return false;
  return llvm::all_of(op.getRegion().front().without_terminator(),
                      [](Operation &nested) { return isMemoryEffectFree(&nested); });
}

/// Whether `op`, between a product and its epilogue, may run after both: it
/// writes nothing they read or write, reads nothing the epilogue writes,
/// and frees none of their buffers.
bool canRunAfter(Operation *op, ArrayRef<Value> used, Value written) {
  if (isMemoryEffectFree(op) || isa<memref::AllocOp, memref::AllocaOp>(op))
    return true;
  if (auto dealloc = dyn_cast<memref::DeallocOp>(op))
    return !mayAliasAny(dealloc.getMemref(), used);
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureBufferSemantics())
    return false;
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    bool writes = linalgOp.isDpsInit(&operand);
    if (mayAlias(operand.get(), written) || (writes && mayAliasAny(operand.get(), used)))
      return false;
  }
  return true;
}

SmallVector<Value> directIndices(OpBuilder &b, Location loc, AffineMap map, ArrayRef<Value> ivs) {
  SmallVector<Value> indices;
  for (AffineExpr result : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(result))
      indices.push_back(ivs[dim.getPosition()]);
    else
      indices.push_back(
          arith::ConstantIndexOp::create(b, loc, cast<AffineConstantExpr>(result).getValue()));
  }
  return indices;
}

} // namespace

linalg::GenericOp tfmc::findEpilogue(linalg::GenericOp matmul, const MatMulShape &shape) {
  Value c = shape.c.memref;
  int64_t rank = cast<MemRefType>(c.getType()).getRank();
  if (shape.batchRank > 1 || shape.c.rowDim != rank - 2 || shape.c.colDim != rank - 1 ||
      (shape.batchRank == 1 && shape.c.batchDims[0] != 0))
    return {};
  SmallVector<Operation *> between;
  Operation *next = matmul->getNextNode();
  for (; next && (isMemoryEffectFree(next) || !touches(next, c)); next = next->getNextNode())
    between.push_back(next);
  auto epilogue = dyn_cast_or_null<linalg::GenericOp>(next);
  if (!epilogue || !isElementwiseOnC(epilogue, shape))
    return {};
  SmallVector<Value> used{shape.a.memref, shape.b.memref, c};
  llvm::append_range(used, epilogue.getDpsInputs());
  Value d = epilogue.getDpsInits()[0];
  used.push_back(d);
  for (Operation *op : between)
    if (!canRunAfter(op, used, d))
      return {};
  return epilogue;
}

std::optional<EpilogueArgs>
tfmc::outlineEpilogue(OpBuilder &b, linalg::GenericOp epilogue, const MatMulShape &shape,
                      func::FuncOp parent, StringRef name, const LLVMTypeConverter &converter) {
  MLIRContext *ctx = b.getContext();
  Location loc = epilogue.getLoc();
  llvm::SetVector<Value> used;
  getUsedValuesDefinedAbove(epilogue.getRegion(), used);
  used.insert(epilogue->getOperands().begin(), epilogue->getOperands().end());
  std::optional<Captures> captures = Captures::of(used.getArrayRef(), converter);
  if (!captures)
    return std::nullopt;

  // void name(void *captures, i64 batch, i64 row0, i64 row1, i64 col0, i64 col1)
  Type ptr = LLVM::LLVMPointerType::get(ctx), i64 = b.getI64Type();
  auto type = FunctionType::get(ctx, {ptr, i64, i64, i64, i64, i64}, {});
  OpBuilder fb(ctx);
  IRMapping mapping;
  func::FuncOp function = captures->beginFunction(fb, loc, name, type, parent, mapping);
  Block *entry = &function.front();
  SmallVector<Value> bounds; // batch, row0, row1, col0, col1
  for (unsigned i = 1; i <= 5; ++i)
    bounds.push_back(
        arith::IndexCastOp::create(fb, loc, fb.getIndexType(), entry->getArgument(i)));
  Value one = arith::ConstantIndexOp::create(fb, loc, 1);
  auto rows = scf::ForOp::create(fb, loc, bounds[1], bounds[2], one);
  fb.setInsertionPointToStart(rows.getBody());
  auto cols = scf::ForOp::create(fb, loc, bounds[3], bounds[4], one);
  fb.setInsertionPointToStart(cols.getBody());
  SmallVector<Value> ivs;
  if (shape.batchRank == 1)
    ivs.push_back(bounds[0]);
  ivs.append({rows.getInductionVar(), cols.getInductionVar()});

  // The generic's body at (ivs): its elements loaded, its result stored.
  Block &body = epilogue.getRegion().front();
  for (OpOperand &operand : epilogue->getOpOperands()) {
    BlockArgument element = epilogue.getMatchingBlockArgument(&operand);
    if (element.use_empty())
      continue;
    SmallVector<Value> indices =
        directIndices(fb, loc, epilogue.getMatchingIndexingMap(&operand), ivs);
    mapping.map(element, memref::LoadOp::create(fb, loc, mapping.lookup(operand.get()), indices));
  }
  for (Operation &op : body.without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(op))
      mapping.map(index.getResult(), ivs[index.getDim()]);
    else
      fb.clone(op, mapping);
  }
  Value result = mapping.lookupOrDefault(body.getTerminator()->getOperand(0));
  memref::StoreOp::create(fb, loc, result, mapping.lookup(epilogue.getDpsInits()[0]), ivs);
  fb.setInsertionPointToEnd(entry);
  func::ReturnOp::create(fb, loc);

  Value pointer = captures->pack(b, loc, parent);
  Value fn = func::ConstantOp::create(b, loc, type, SymbolRefAttr::get(function));
  return EpilogueArgs{fn, pointer};
}
