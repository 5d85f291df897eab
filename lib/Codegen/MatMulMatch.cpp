//===- MatMulMatch.cpp - bufferized matrix products, recognized -----------===//

#include "MatMulMatch.h"
#include "Buffers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace tfmc;

namespace {

bool isMulAddBody(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 3)
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value acc = body.getArgument(2);
  Value product = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  auto mul = product.getDefiningOp<arith::MulFOp>();
  if (!mul || (add.getLhs() != acc && add.getRhs() != acc))
    return false;
  Value x = body.getArgument(0), y = body.getArgument(1);
  return (mul.getLhs() == x && mul.getRhs() == y) || (mul.getLhs() == y && mul.getRhs() == x);
}

/// Reads an operand's map: trailing exprs must be the loops `row`, `col`;
/// leading ones batch loops (right-aligned) or 0 where broadcast.
std::optional<OperandLayout> readLayout(Value memref, AffineMap map, int64_t batchRank,
                                        unsigned row, unsigned col) {
  int64_t rank = map.getNumResults();
  if (rank < 2 || rank - 2 > batchRank || map.getDimPosition(rank - 2) != row ||
      map.getDimPosition(rank - 1) != col)
    return std::nullopt;
  OperandLayout layout{memref, SmallVector<int64_t>(batchRank, -1), rank - 2, rank - 1};
  int64_t offset = batchRank - (rank - 2);
  for (int64_t j = 0; j < rank - 2; ++j) {
    AffineExpr expr = map.getResult(j);
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      if (dim.getPosition() != static_cast<unsigned>(j + offset))
        return std::nullopt;
      layout.batchDims[j + offset] = j;
    } else if (!isa<AffineConstantExpr>(expr) ||
               cast<AffineConstantExpr>(expr).getValue() != 0) {
      return std::nullopt;
    }
  }
  return layout;
}

bool isF32WithUnitInnerStride(Value memref) {
  auto type = dyn_cast<MemRefType>(memref.getType());
  return type && type.getElementType().isF32() && hasUnitInnerStride(type);
}

bool isZeroFill(Operation *op, Value buffer) {
  auto fill = dyn_cast<linalg::FillOp>(op);
  if (!fill || fill.getOutputs()[0] != buffer)
    return false;
  auto zero = fill.getInputs()[0].getDefiningOp<arith::ConstantOp>();
  return zero && isa<FloatAttr>(zero.getValue()) &&
         cast<FloatAttr>(zero.getValue()).getValue().isPosZero();
}

} // namespace

std::optional<MatMulShape> tfmc::matchMatMul(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 || !op.hasPureBufferSemantics() ||
      !isMulAddBody(op))
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  int64_t loops = iterators.size();
  if (loops < 3 || iterators.back() != utils::IteratorType::reduction ||
      llvm::count(iterators, utils::IteratorType::reduction) != 1)
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  int64_t batchRank = loops - 3;
  unsigned m = batchRank, n = batchRank + 1, k = batchRank + 2;
  auto a = readLayout(op.getDpsInputs()[0], maps[0], batchRank, m, k);
  auto b = readLayout(op.getDpsInputs()[1], maps[1], batchRank, k, n);
  auto c = readLayout(op.getDpsInits()[0], maps[2], batchRank, m, n);
  if (!a || !b || !c || maps[2] != AffineMap::getMultiDimIdentityMap(loops, op.getContext())
                                       .getMajorSubMap(loops - 1))
    return std::nullopt;
  for (const OperandLayout *layout : {&*a, &*b, &*c})
    if (!isF32WithUnitInnerStride(layout->memref))
      return std::nullopt;
  return MatMulShape{batchRank, *a, *b, *c};
}

/// The op that zeroes `init` just before `op`: a zero linalg.fill, or a copy
/// from a zero-filled buffer (bufferization copies a zero tensor that CSE
/// shared between products). Reads of `init`'s shape in between are fine.
Operation *tfmc::zeroingBefore(linalg::GenericOp op, Value init) {
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    if (!llvm::is_contained(prev->getOperands(), init) ||
        isa<memref::DimOp, memref::ExtractStridedMetadataOp>(prev))
      continue;
    if (isZeroFill(prev, init))
      return prev;
    auto copy = dyn_cast<memref::CopyOp>(prev);
    if (copy && copy.getTarget() == init &&
        llvm::any_of(copy.getSource().getUsers(),
                     [&](Operation *user) { return isZeroFill(user, copy.getSource()); }))
      return prev;
    return nullptr;
  }
  return nullptr;
}

namespace {

/// The row-major values of a constant f32 global, when they are stored
/// element by element (a resource blob or non-splat dense elements).
std::optional<ArrayRef<float>> constantFloats(memref::GlobalOp global) {
  if (!global.getConstant() || !global.getInitialValue())
    return std::nullopt;
  Attribute value = *global.getInitialValue();
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(value))
    return resource.tryGetAsArrayRef();
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense || dense.isSplat() || !dense.getElementType().isF32())
    return std::nullopt;
  ArrayRef<char> raw = dense.getRawData();
  return ArrayRef<float>(reinterpret_cast<const float *>(raw.data()), dense.getNumElements());
}

} // namespace

memref::GlobalOp WeightCopies::copyOf(const OperandLayout &layout) {
  if (llvm::any_of(layout.batchDims, [](int64_t dim) { return dim >= 0; }))
    return nullptr;
  auto getGlobal = layout.memref.getDefiningOp<memref::GetGlobalOp>();
  auto global = getGlobal ? symbols.lookup<memref::GlobalOp>(getGlobal.getName()) : nullptr;
  if (!global)
    return nullptr;
  if (auto it = copies.find(global); it != copies.end())
    return it->second;
  MemRefType type = global.getType();
  std::optional<ArrayRef<float>> values = constantFloats(global);
  if (type.getRank() != 2 || !type.hasStaticShape() || !type.getLayout().isIdentity() ||
      !values || int64_t(values->size()) != type.getNumElements())
    return copies[global] = nullptr;
  return copies[global] = make(*this, global, *values);
}

memref::GlobalOp WeightCopies::addGlobal(memref::GlobalOp source, StringRef name,
                                         MemRefType type, Attribute value) {
  OpBuilder b(source);
  auto global = memref::GlobalOp::create(b, source.getLoc(), name, b.getStringAttr("private"),
                                         type, value, /*constant=*/true, b.getI64IntegerAttr(64));
  symbols.insert(global); // renames it when the name is taken
  return global;
}

void WeightCopies::eraseUnusedSources() {
  for (auto &[source, copy] : copies)
    if (copy && SymbolTable::symbolKnownUseEmpty(source, module))
      source.erase();
  copies.clear();
}
