//===- VectorizeTransposes.cpp - transposes as 16x16 register tiles -------===//
//
// A transpose that moves the innermost dim (attention's K^T, [b, s, h, d] to
// [b, h, d, s]) becomes, as plain loops, an inner loop that reads one
// element from each of 16 source rows: LLVM vectorizes it with gathers,
// about 1% of BERT-base's time. Here it becomes a parallel loop over 16x16
// tiles of the two dims that trade places: 16 row loads, a vector.transpose
// (shuffles), 16 row stores. Masks cover the edges, so every size, static or
// dynamic, is covered; interior tiles skip them. The rows are 1-D transfers
// along the innermost dims (unrolling 2-D transfers mishandles a mask when
// the dims are not the last two).
//
//===----------------------------------------------------------------------===//

#include "Buffers.h"
#include "tfmc/Codegen/Compiler.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;

namespace {

constexpr int64_t kTile = 16;

/// Whether `size` (a static dim or dynamic) fills enough of a tile to pay
/// for its shuffles: a transpose whose moving dims are a few elements wide
/// stays a plain loop.
bool isWideEnough(int64_t size) { return ShapedType::isDynamic(size) || size >= kTile / 2; }

/// The transposes worth tiling: f32 buffers with unit inner strides whose
/// innermost dim moves, both dims that trade places wide enough.
bool shouldVectorize(linalg::TransposeOp op) {
  auto source = dyn_cast<MemRefType>(op.getInput().getType());
  auto target = dyn_cast<MemRefType>(op.getInit().getType());
  if (!source || !target || !source.getElementType().isF32() || !tfmc::hasUnitInnerStride(source) ||
      !tfmc::hasUnitInnerStride(target))
    return false;
  ArrayRef<int64_t> perm = op.getPermutation();
  int64_t rank = perm.size();
  return rank >= 2 && perm.back() != rank - 1 && isWideEnough(source.getDimSize(perm.back())) &&
         isWideEnough(source.getDimSize(rank - 1));
}

Value tileExtent(OpBuilder &b, Location loc, Value size, Value start, Value tile) {
  Value left = arith::SubIOp::create(b, loc, size, start);
  return arith::MinSIOp::create(b, loc, left, tile);
}

/// Copies one tile: source rows run along source dim `across` (`rows` of
/// them, each `cols` long), target rows along target dim `moved` (`cols`
/// of them, each `rows` long), every row along the innermost dims.
struct TileCopy {
  Value source, target;
  ArrayRef<int64_t> perm;
  int64_t across, moved;
  AffineMapAttr rowMap; // a row along the innermost dim
  ArrayAttr inBounds;   // interior tiles are, edge tiles' masks keep them so

  /// Row `row` at `indices` (`dim` offset by `row`), and, for an edge tile,
  /// its mask: `length` long while the tile has more than `row` rows
  /// (`count`), empty past them.
  std::pair<SmallVector<Value>, Value> tileRow(OpBuilder &b, Location loc, ArrayRef<Value> indices,
                                               int64_t dim, int64_t row, Value count, Value length,
                                               bool masked) const {
    SmallVector<Value> at(indices);
    Value offset = arith::ConstantIndexOp::create(b, loc, row);
    at[dim] = arith::AddIOp::create(b, loc, indices[dim], offset);
    if (!masked)
      return {at, Value()};
    Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, offset, count);
    Value n =
        arith::SelectOp::create(b, loc, inside, length, arith::ConstantIndexOp::create(b, loc, 0));
    auto maskType = VectorType::get({kTile}, b.getI1Type());
    return {at, vector::CreateMaskOp::create(b, loc, maskType, ValueRange{n})};
  }

  void emit(OpBuilder &b, Location loc, ArrayRef<Value> targetIndices, Value rows, Value cols,
            bool masked) const {
    SmallVector<Value> sourceIndices(targetIndices.size());
    for (auto [j, dim] : llvm::enumerate(perm))
      sourceIndices[dim] = targetIndices[j];
    auto rowType = VectorType::get({kTile}, b.getF32Type());
    auto tileType = VectorType::get({kTile, kTile}, b.getF32Type());
    Value pad = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
    Value block = arith::ConstantOp::create(b, loc, DenseElementsAttr::get(tileType, 0.0f));
    for (int64_t i = 0; i < kTile; ++i) {
      auto [at, mask] = tileRow(b, loc, sourceIndices, across, i, rows, cols, masked);
      Value values =
          vector::TransferReadOp::create(b, loc, rowType, source, at, rowMap, pad, mask, inBounds);
      block = vector::InsertOp::create(b, loc, values, block, i);
    }
    Value transposed = vector::TransposeOp::create(b, loc, block, ArrayRef<int64_t>{1, 0});
    for (int64_t i = 0; i < kTile; ++i) {
      auto [at, mask] = tileRow(b, loc, targetIndices, moved, i, cols, rows, masked);
      Value values = vector::ExtractOp::create(b, loc, transposed, i);
      vector::TransferWriteOp::create(b, loc, values, target, at, rowMap, mask, inBounds);
    }
  }
};

/// target[j...] = source[perm...]: a parallel loop over the target's dims,
/// stepping by a tile along the two that trade places (the target's
/// innermost, source dim perm.back(); and target dim `moved`, the source's
/// innermost). Interior tiles copy without masks; edge tiles mask each row.
void vectorize(linalg::TransposeOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  ArrayRef<int64_t> perm = op.getPermutation();
  int64_t rank = perm.size(), inner = rank - 1;
  int64_t moved = llvm::find(perm, inner) - perm.begin();
  TileCopy copy{op.getInput(),
                op.getInit(),
                perm,
                perm[inner],
                moved,
                AffineMapAttr::get(AffineMap::getMinorIdentityMap(rank, 1, op.getContext())),
                b.getBoolArrayAttr({true})};

  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value tile = arith::ConstantIndexOp::create(b, loc, kTile);
  SmallVector<Value> lower(rank, zero), upper, steps(rank, one);
  for (int64_t j = 0; j < rank; ++j)
    upper.push_back(memref::DimOp::create(b, loc, copy.target, j));
  steps[moved] = steps[inner] = tile;
  scf::ParallelOp::create(
      b, loc, lower, upper, steps, [&](OpBuilder &nb, Location nloc, ValueRange ivs) {
        SmallVector<Value> targetIndices(ivs);
        Value rows = tileExtent(nb, nloc, upper[inner], ivs[inner], tile);
        Value cols = tileExtent(nb, nloc, upper[moved], ivs[moved], tile);
        Value full = arith::AndIOp::create(
            nb, nloc, arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::eq, rows, tile),
            arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::eq, cols, tile));
        auto branch = [&](bool masked) {
          return [&, masked](OpBuilder &bb, Location bl) {
            copy.emit(bb, bl, targetIndices, rows, cols, masked);
            scf::YieldOp::create(bb, bl);
          };
        };
        scf::IfOp::create(nb, nloc, full, branch(false), branch(true));
        scf::ReduceOp::create(nb, nloc);
      });
  op.erase();
}

struct VectorizeTransposesPass : PassWrapper<VectorizeTransposesPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(VectorizeTransposesPass)

  StringRef getArgument() const override { return "tfm-vectorize-transposes"; }
  StringRef getDescription() const override {
    return "Tile buffer transposes that move the innermost dim into 16x16 "
           "vector transposes";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, memref::MemRefDialect, scf::SCFDialect,
                    vector::VectorDialect>();
  }

  void runOnOperation() override {
    SmallVector<linalg::TransposeOp> transposes;
    getOperation().walk([&](linalg::TransposeOp op) {
      if (shouldVectorize(op))
        transposes.push_back(op);
    });
    for (linalg::TransposeOp op : transposes)
      vectorize(op);
  }
};

} // namespace

std::unique_ptr<Pass> tfmc::createVectorizeTransposesPass() {
  return std::make_unique<VectorizeTransposesPass>();
}
