//===- GpuMatMulKernels.cpp - tiled matmul kernels for the GPU ------------===//
//
// One block computes a 64x64 tile of C. Per step of K, its threads copy the
// A tile (64 x BK) and the B tile (BK x 64) from global into shared memory,
// converting to the operand type and writing zeros outside the matrices (so
// M, N and K tails need no other care), wait, multiply from shared memory
// into registers, and wait again. Stores are guarded by the bounds.
//
//   fp32: 256 threads as 16x16; each holds a 4x4 grid of C (rows ty + 16i,
//         cols tx + 16j) and runs f32 FMAs; BK = 16.
//   tf32, fp16, bf16: 128 threads = 4 warps as 2x2; each warp holds a 32x32
//         sub-tile as 2x4 mma.sync tiles of 16x8 with f32 accumulators;
//         m16n8k8 (tf32, BK = 16) or m16n8k16 (fp16, bf16; BK = 32).
//
// Which lane holds which element of an mma fragment follows the PTX ISA,
// "Warp Level Matrix Fragments": "Matrix Fragments for mma.m16n8k8" (.tf32
// A, B and C) and "Matrix Fragments for mma.m16n8k16 with floating point
// type" (.f16/.bf16 A, B and C), with groupID = lane >> 2 and
// threadID_in_group = lane % 4. Each lane reads its elements straight from
// the shared tiles by those formulas (no ldmatrix).
//
//===----------------------------------------------------------------------===//

#include "GpuMatMulKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace tfmc;

namespace {

/// Shared by both kernel kinds: the tile sizes in K and the shared tiles'
/// row padding (in elements; spreads a warp's fragment reads over banks).
struct KernelShape {
  int64_t threads, tileK, padA, padB;
};

KernelShape shapeOf(GpuMatMulPrecision precision) {
  switch (precision) {
  case GpuMatMulPrecision::FP32:
    return {256, 16, 0, 0};
  case GpuMatMulPrecision::TF32:
    return {128, 16, 4, 8};
  case GpuMatMulPrecision::FP16:
  case GpuMatMulPrecision::BF16:
    return {128, 32, 8, 8};
  }
  llvm_unreachable("precision");
}

/// What the shared tiles hold: f32, tf32 bits (i32), f16 or bf16.
Type sharedType(MLIRContext *ctx, GpuMatMulPrecision precision) {
  if (precision == GpuMatMulPrecision::TF32)
    return IntegerType::get(ctx, 32);
  return matMulOperandType(ctx, precision);
}

class KernelBuilder {
public:
  KernelBuilder(OpBuilder &b, Location loc, GpuMatMulPrecision precision)
      : b(b), loc(loc), precision(precision), shape(shapeOf(precision)) {}

  void build(gpu::GPUFuncOp func);

private:
  Value index(int64_t value) { return arith::ConstantIndexOp::create(b, loc, value); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value add(Value x, int64_t y) { return y ? add(x, index(y)) : x; }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value mul(Value x, int64_t y) { return mul(x, index(y)); }
  Value div(Value x, int64_t y) { return arith::DivUIOp::create(b, loc, x, index(y)); }
  Value rem(Value x, int64_t y) { return arith::RemUIOp::create(b, loc, x, index(y)); }
  Value less(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value zeroOf(Type type) {
    return arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type));
  }

  Value convert(Value value, Type to);
  void stage(Value global, Value base, Value ld, Value row0, Value col0, Value rows, Value cols,
             Value tile, int64_t tileRows, int64_t tileCols);
  SmallVector<Value> simtStep(ValueRange acc);
  SmallVector<Value> mmaStep(ValueRange acc);
  Value pack(Value tile, Value row0, Value col0, Value row1, Value col1);
  Value load(Value tile, Value row, Value col) {
    return memref::LoadOp::create(b, loc, tile, ValueRange{row, col});
  }
  /// Where accumulator `i` of this thread lies in the block's C tile.
  std::pair<Value, Value> accumulatorAt(int64_t i);
  int64_t accumulators() const {
    return precision == GpuMatMulPrecision::FP32 ? 16 : kWarpTilesM * kWarpTilesN * 4;
  }

  // The mma kernels: 2x2 warps, each 2x4 tiles of 16x8.
  static constexpr int64_t kWarpTilesM = 2, kWarpTilesN = 4;

  OpBuilder &b;
  Location loc;
  GpuMatMulPrecision precision;
  KernelShape shape;
  Value tid, tileA, tileB;
};

/// Rounds an f32 (or passes an operand already of the type) to what the
/// shared tile holds.
Value KernelBuilder::convert(Value value, Type to) {
  if (value.getType() == to)
    return value;
  if (to.isInteger(32)) // tf32: round to nearest, ties away (cvt.rna.tf32.f32)
    return NVVM::ConvertFloatToTF32Op::create(b, loc, to, value, NVVM::FPRoundingMode::RNA);
  return arith::TruncFOp::create(b, loc, to, value); // f16, bf16: to nearest even
}

/// Copies global[base + (row0 + r) * ld + col0 + c] for the tile's r, c into
/// tile[r][c], zero where row0 + r >= rows or col0 + c >= cols.
void KernelBuilder::stage(Value global, Value base, Value ld, Value row0, Value col0, Value rows,
                          Value cols, Value tile, int64_t tileRows, int64_t tileCols) {
  Type element = cast<MemRefType>(tile.getType()).getElementType();
  int64_t perThread = tileRows * tileCols / shape.threads;
  auto loop = scf::ForOp::create(b, loc, index(0), index(perThread), index(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  // Consecutive threads take consecutive columns: coalesced global reads.
  Value linear = add(tid, mul(loop.getInductionVar(), shape.threads));
  Value r = div(linear, tileCols), c = rem(linear, tileCols);
  Value row = add(row0, r), col = add(col0, c);
  Value inside = arith::AndIOp::create(b, loc, less(row, rows), less(col, cols));
  auto branch = scf::IfOp::create(b, loc, element, inside, /*withElseRegion=*/true);
  b.setInsertionPointToStart(branch.thenBlock());
  Value at = add(base, add(mul(row, ld), col));
  Value value = memref::LoadOp::create(b, loc, global, at);
  scf::YieldOp::create(b, loc, convert(value, element));
  b.setInsertionPointToStart(branch.elseBlock());
  scf::YieldOp::create(b, loc, zeroOf(element));
  b.setInsertionPointAfter(branch);
  memref::StoreOp::create(b, loc, branch.getResult(0), tile, ValueRange{r, c});
}

/// fp32: acc[i][j] += A[ty + 16i][kk] * B[kk][tx + 16j] over the tile's kk.
SmallVector<Value> KernelBuilder::simtStep(ValueRange acc) {
  Value tx = rem(tid, 16), ty = div(tid, 16);
  auto loop = scf::ForOp::create(b, loc, index(0), index(shape.tileK), index(1), acc);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value kk = loop.getInductionVar();
  SmallVector<Value> a, bv, next;
  for (int64_t i = 0; i < 4; ++i)
    a.push_back(load(tileA, add(ty, 16 * i), kk));
  for (int64_t j = 0; j < 4; ++j)
    bv.push_back(load(tileB, kk, add(tx, 16 * j)));
  for (int64_t i = 0; i < 4; ++i)
    for (int64_t j = 0; j < 4; ++j)
      next.push_back(math::FmaOp::create(b, loc, a[i], bv[j], loop.getRegionIterArgs()[i * 4 + j]));
  scf::YieldOp::create(b, loc, next);
  return SmallVector<Value>(loop.getResults());
}

/// Two 16-bit elements of a tile as one .f16x2 / .bf16x2 register: the
/// first in the low half (PTX: "elements (low to high)").
Value KernelBuilder::pack(Value tile, Value row0, Value col0, Value row1, Value col1) {
  Type element = cast<MemRefType>(tile.getType()).getElementType();
  auto pair = VectorType::get({2}, element);
  Value vector = LLVM::UndefOp::create(b, loc, pair);
  for (auto [i, at] : llvm::enumerate(std::array{std::pair(row0, col0), std::pair(row1, col1)})) {
    Value position = LLVM::ConstantOp::create(b, loc, b.getI32Type(), i);
    vector = LLVM::InsertElementOp::create(b, loc, vector, load(tile, at.first, at.second), position);
  }
  if (element.isF16())
    return vector; // nvvm.mma.sync takes f16 pairs as vector<2xf16>, bf16 as i32
  return LLVM::BitcastOp::create(b, loc, b.getI32Type(), vector);
}

/// One BK step of mma.sync over the shared tiles for this thread's warp.
SmallVector<Value> KernelBuilder::mmaStep(ValueRange acc) {
  bool tf32 = precision == GpuMatMulPrecision::TF32;
  int64_t mmaK = tf32 ? 8 : 16;
  Value warp = div(tid, 32), lane = rem(tid, 32);
  Value group = div(lane, 4), inGroup = rem(lane, 4); // groupID, threadID_in_group
  Value warpRow = mul(div(warp, 2), 32), warpCol = mul(rem(warp, 2), 32);
  NVVM::MMATypes type = tf32                                    ? NVVM::MMATypes::tf32
                        : precision == GpuMatMulPrecision::FP16 ? NVVM::MMATypes::f16
                                                                : NVVM::MMATypes::bf16;
  Type f32 = b.getF32Type();
  auto result = LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
  SmallVector<Value> next(acc.begin(), acc.end());
  for (int64_t k0 = 0; k0 < shape.tileK; k0 += mmaK) {
    SmallVector<SmallVector<Value>> a(kWarpTilesM), bf(kWarpTilesN);
    for (int64_t mt = 0; mt < kWarpTilesM; ++mt) {
      Value top = add(add(warpRow, 16 * mt), group), bottom = add(top, 8);
      if (tf32) {
        // m16n8k8 .tf32 A: a0 (g, t), a1 (g+8, t), a2 (g, t+4), a3 (g+8, t+4).
        Value left = add(inGroup, k0), right = add(inGroup, k0 + 4);
        a[mt] = {load(tileA, top, left), load(tileA, bottom, left), load(tileA, top, right),
                 load(tileA, bottom, right)};
      } else {
        // m16n8k16 A: a0,a1 (g, 2t..2t+1), a2,a3 (g+8, 2t..), a4,a5 (g, 2t+8..),
        // a6,a7 (g+8, 2t+8..); pairs in the four registers.
        Value left = add(mul(inGroup, 2), k0), right = add(left, 8);
        for (auto [row, col] : {std::pair(top, left), std::pair(bottom, left),
                                std::pair(top, right), std::pair(bottom, right)})
          a[mt].push_back(pack(tileA, row, col, row, add(col, 1)));
      }
    }
    for (int64_t nt = 0; nt < kWarpTilesN; ++nt) {
      Value col = add(add(warpCol, 8 * nt), group);
      if (tf32) {
        // m16n8k8 .tf32 B: b0 (t, g), b1 (t+4, g).
        bf[nt] = {load(tileB, add(inGroup, k0), col), load(tileB, add(inGroup, k0 + 4), col)};
      } else {
        // m16n8k16 B: b0,b1 (2t..2t+1, g), b2,b3 (2t+8..2t+9, g).
        Value upper = add(mul(inGroup, 2), k0), lower = add(upper, 8);
        bf[nt] = {pack(tileB, upper, col, add(upper, 1), col),
                  pack(tileB, lower, col, add(lower, 1), col)};
      }
    }
    for (int64_t mt = 0; mt < kWarpTilesM; ++mt)
      for (int64_t nt = 0; nt < kWarpTilesN; ++nt) {
        MutableArrayRef<Value> c = MutableArrayRef<Value>(next).slice((mt * kWarpTilesN + nt) * 4, 4);
        auto mma = NVVM::MmaOp::create(
            b, loc, result, a[mt], bf[nt], SmallVector<Value>(c.begin(), c.end()),
            ArrayRef<int64_t>{16, 8, mmaK}, std::nullopt, std::nullopt,
            std::array<NVVM::MMATypes, 2>{type, type},
            std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row, NVVM::MMALayout::col});
        for (int64_t i = 0; i < 4; ++i)
          c[i] = LLVM::ExtractValueOp::create(b, loc, mma, ArrayRef<int64_t>{i});
      }
  }
  return next;
}

std::pair<Value, Value> KernelBuilder::accumulatorAt(int64_t i) {
  if (precision == GpuMatMulPrecision::FP32)
    return {add(div(tid, 16), 16 * (i / 4)), add(rem(tid, 16), 16 * (i % 4))};
  // C fragment (all m16n8 shapes): c0, c1 (g, 2t..2t+1), c2, c3 (g+8, 2t..).
  Value warp = div(tid, 32), lane = rem(tid, 32);
  int64_t tile = i / 4, element = i % 4;
  Value row = add(add(mul(div(warp, 2), 32), 16 * (tile / kWarpTilesN) + 8 * (element / 2)),
                  div(lane, 4));
  Value col = add(add(mul(rem(warp, 2), 32), 8 * (tile % kWarpTilesN) + element % 2),
                  mul(rem(lane, 4), 2));
  return {row, col};
}

void KernelBuilder::build(gpu::GPUFuncOp func) {
  b.setInsertionPointToStart(&func.getBody().front());
  ValueRange args = func.getArguments();
  Value a = args[0], bm = args[1], c = args[2], m = args[3], n = args[4], k = args[5],
        batch = args[6];
  Value aBatch = args[7], lda = args[8], bBatch = args[9], ldb = args[10], cBatch = args[11],
        ldc = args[12];
  tileA = func.getWorkgroupAttributions()[0];
  tileB = func.getWorkgroupAttributions()[1];
  tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  Value tile = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
  Value tilesN = arith::CeilDivUIOp::create(b, loc, n, index(kMatMulTileN));
  Value row0 = mul(arith::DivUIOp::create(b, loc, tile, tilesN), kMatMulTileM);
  Value col0 = mul(arith::RemUIOp::create(b, loc, tile, tilesN), kMatMulTileN);

  // Batches beyond the grid's z (at most 65535) loop.
  auto batches = scf::ForOp::create(b, loc, gpu::BlockIdOp::create(b, loc, gpu::Dimension::z),
                                    batch, gpu::GridDimOp::create(b, loc, gpu::Dimension::z));
  b.setInsertionPointToStart(batches.getBody());
  Value z = batches.getInductionVar();
  Value aBase = mul(z, aBatch), bBase = mul(z, bBatch), cBase = mul(z, cBatch);
  SmallVector<Value> zeros(accumulators(), zeroOf(b.getF32Type()));
  auto steps = scf::ForOp::create(b, loc, index(0), k, index(shape.tileK), zeros);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(steps.getBody());
    Value k0 = steps.getInductionVar();
    stage(a, aBase, lda, row0, k0, m, k, tileA, kMatMulTileM, shape.tileK);
    stage(bm, bBase, ldb, k0, col0, k, n, tileB, shape.tileK, kMatMulTileN);
    gpu::BarrierOp::create(b, loc);
    SmallVector<Value> acc = precision == GpuMatMulPrecision::FP32
                                 ? simtStep(steps.getRegionIterArgs())
                                 : mmaStep(steps.getRegionIterArgs());
    gpu::BarrierOp::create(b, loc); // before the next step overwrites the tiles
    scf::YieldOp::create(b, loc, acc);
  }
  for (int64_t i = 0; i < accumulators(); ++i) {
    auto [r, col] = accumulatorAt(i);
    Value row = add(row0, r), column = add(col0, col);
    Value inside = arith::AndIOp::create(b, loc, less(row, m), less(column, n));
    auto guard = scf::IfOp::create(b, loc, inside, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard restore(b);
    b.setInsertionPointToStart(guard.thenBlock());
    memref::StoreOp::create(b, loc, steps.getResult(i), c,
                            ValueRange{add(cBase, add(mul(row, ldc), column))});
  }
  b.setInsertionPointToEnd(&func.getBody().front());
  gpu::ReturnOp::create(b, loc);
}

std::string typeName(Type type) {
  std::string name;
  llvm::raw_string_ostream os(name);
  type.print(os);
  return name;
}

} // namespace

int64_t tfmc::matMulThreads(GpuMatMulPrecision precision) { return shapeOf(precision).threads; }

Type tfmc::matMulOperandType(MLIRContext *ctx, GpuMatMulPrecision precision) {
  switch (precision) {
  case GpuMatMulPrecision::FP16:
    return Float16Type::get(ctx);
  case GpuMatMulPrecision::BF16:
    return BFloat16Type::get(ctx);
  default:
    return Float32Type::get(ctx);
  }
}

gpu::GPUFuncOp tfmc::getOrBuildMatMulKernel(gpu::GPUModuleOp module, GpuMatMulPrecision precision,
                                            Type aElement, Type bElement) {
  std::string name = ("tfm_matmul_" + toString(precision)).str() + "_" + typeName(aElement) +
                     "_" + typeName(bElement);
  if (auto existing = module.lookupSymbol<gpu::GPUFuncOp>(name))
    return existing;
  MLIRContext *ctx = module.getContext();
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  Location loc = module.getLoc();
  auto vector = [&](Type element) {
    return MemRefType::get({ShapedType::kDynamic}, element,
                           StridedLayoutAttr::get(ctx, ShapedType::kDynamic, {1}));
  };
  SmallVector<Type> params{vector(aElement), vector(bElement), vector(b.getF32Type())};
  params.append(10, b.getIndexType());
  KernelShape shape = shapeOf(precision);
  Type element = sharedType(ctx, precision);
  auto workgroup = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  Type tileA = MemRefType::get({kMatMulTileM, shape.tileK + shape.padA}, element,
                               MemRefLayoutAttrInterface(), workgroup);
  Type tileB = MemRefType::get({shape.tileK, kMatMulTileN + shape.padB}, element,
                               MemRefLayoutAttrInterface(), workgroup);
  auto func = gpu::GPUFuncOp::create(b, loc, name, FunctionType::get(ctx, params, {}),
                                     TypeRange{tileA, tileB});
  func->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  func.setKnownBlockSizeAttr(b.getDenseI32ArrayAttr({int32_t(shape.threads), 1, 1}));
  KernelBuilder(b, loc, precision).build(func);
  return func;
}
