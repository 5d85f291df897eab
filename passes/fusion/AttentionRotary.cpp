//===- AttentionRotary.cpp - rotary embeddings inside attention -----------===//
//
// GPT-NeoX / Llama rotate halves: x * cos + rotate_half(x) * sin with
// rotate_half(x) = Concat(-x[..., D/2:], x[..., :D/2]) (slices or a split),
// and cos, sin [.., L, D] whose two halves repeat: rows of a cached table
// gathered at position ids, a table sliced from row 0, or Cos/Sin of
// Concat(f, f) (angles computed in the graph).
//
//===----------------------------------------------------------------------===//

#include "Attention.h"

#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

using namespace mlir;
using namespace tfmc::tfm;
using namespace tfmc::tfm::fusion;
using namespace tfmc::tfm::fusion::attention;

namespace {

int64_t lastDim(Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  return type.getRank() ? type.getShape().back() : ShapedType::kDynamic;
}

/// The single start of a one-axis slice of the last axis with step 1.
std::optional<int64_t> lastAxisSliceStart(SliceOp slice) {
  int64_t rank = cast<RankedTensorType>(slice.getData().getType()).getRank();
  auto starts = getConstantInts(slice.getStarts());
  auto axes =
      slice.getAxes() ? getConstantInts(slice.getAxes()) : std::optional(SmallVector<int64_t>{0});
  auto steps =
      slice.getSteps() ? getConstantInts(slice.getSteps()) : std::optional(SmallVector<int64_t>{1});
  if (!starts || !axes || !steps || starts->size() != 1 || axes->size() != 1 ||
      steps->front() != 1 || normalizeAxis(axes->front(), rank) != rank - 1)
    return std::nullopt;
  return starts->front();
}

/// x when `value` is Concat(-x[..., D/2:], x[..., :D/2]) on the last axis.
std::optional<Value> matchRotateHalf(Value value, SmallVectorImpl<Operation *> &absorbed) {
  auto concat = skipNoise(value).getDefiningOp<ConcatOp>();
  if (!concat || concat.getInputs().size() != 2)
    return std::nullopt;
  int64_t rank = cast<RankedTensorType>(concat.getType()).getRank();
  auto neg = skipNoise(concat.getInputs()[0]).getDefiningOp<NegOp>();
  if (!neg || normalizeAxis(concat.getAxis(), rank) != rank - 1)
    return std::nullopt;
  Value hi = skipNoise(neg.getInput()), lo = skipNoise(concat.getInputs()[1]);
  int64_t half = lastDim(lo);
  if (ShapedType::isDynamic(half) || lastDim(hi) != half)
    return std::nullopt;
  Value x;
  Operation *loOp = lo.getDefiningOp(), *hiOp = hi.getDefiningOp();
  if (auto split = dyn_cast_or_null<SplitOp>(loOp)) {
    if (hiOp != split || split.getNumResults() != 2 || lo != split.getResult(0) ||
        hi != split.getResult(1) || normalizeAxis(split.getAxis(), rank) != rank - 1)
      return std::nullopt;
    x = split.getInput();
  } else {
    auto loSlice = dyn_cast_or_null<SliceOp>(loOp), hiSlice = dyn_cast_or_null<SliceOp>(hiOp);
    if (!loSlice || !hiSlice || loSlice.getData() != hiSlice.getData() ||
        lastAxisSliceStart(loSlice) != 0 || lastAxisSliceStart(hiSlice) != half)
      return std::nullopt;
    x = loSlice.getData();
  }
  if (lastDim(x) != 2 * half)
    return std::nullopt;
  absorbed.append({concat, neg, loOp});
  if (hiOp != loOp)
    absorbed.push_back(hiOp);
  return skipNoise(x);
}

/// The float contents of a constant, when it holds f32 values.
std::optional<SmallVector<float>> readFloats(ConstantOp constant) {
  auto type = cast<ShapedType>(constant.getValue().getType());
  if (!type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue()))
    return llvm::to_vector(dense.getValues<float>());
  auto resource = dyn_cast<DenseResourceElementsAttr>(constant.getValue());
  AsmResourceBlob *blob = resource ? resource.getRawHandle().getBlob() : nullptr;
  if (!blob || blob->getData().size() != type.getNumElements() * sizeof(float))
    return std::nullopt;
  ArrayRef<char> bytes = blob->getData();
  SmallVector<float> values(type.getNumElements());
  std::memcpy(values.data(), bytes.data(), bytes.size());
  return values;
}

/// The constant a table comes from through reshapes and slices that keep
/// its rows from the first one and its last dim.
ConstantOp traceTable(Value table, SmallVectorImpl<Operation *> &absorbed) {
  while (true) {
    table = skipNoise(table);
    Operation *def = table.getDefiningOp();
    if (auto constant = dyn_cast_or_null<ConstantOp>(def))
      return constant;
    if (!def || def->getNumOperands() == 0 || lastDim(def->getOperand(0)) != lastDim(table))
      return nullptr;
    if (auto slice = dyn_cast<SliceOp>(def)) {
      auto starts = getConstantInts(slice.getStarts());
      auto steps = slice.getSteps() ? getConstantInts(slice.getSteps()) : std::nullopt;
      if (!starts || llvm::any_of(*starts, [](int64_t s) { return s != 0; }) ||
          (slice.getSteps() && (!steps || llvm::any_of(*steps, [](int64_t s) { return s != 1; }))))
        return nullptr;
    } else if (!isa<SqueezeOp, UnsqueezeOp, ReshapeOp>(def)) {
      return nullptr;
    }
    absorbed.push_back(def);
    table = def->getOperand(0);
  }
}

/// Whether each row of `table` ([..., D]) repeats its first half.
bool halvesRepeat(ConstantOp table) {
  std::optional<SmallVector<float>> values = readFloats(table);
  int64_t width = lastDim(table);
  if (!values || ShapedType::isDynamic(width) || width % 2)
    return false;
  for (size_t row = 0; row < values->size(); row += width)
    for (int64_t d = 0; d < width / 2; ++d)
      if ((*values)[row + d] != (*values)[row + d + width / 2])
        return false;
  return true;
}

/// Where `value` (cos or sin, [.., L, D] broadcast over heads) comes from;
/// sets `positions` when it is gathered.
std::optional<RotaryCache> traceCache(Value value, bool isSin, Value x, Value &positions,
                                      SmallVectorImpl<Operation *> &absorbed) {
  value = skipNoise(value);
  ArrayRef<int64_t> shape = cast<RankedTensorType>(value.getType()).getShape();
  if (shape.size() > 4 || (shape.size() >= 3 && shape[shape.size() - 3] != 1))
    return std::nullopt;
  if (auto unsqueeze = value.getDefiningOp<UnsqueezeOp>()) {
    absorbed.push_back(unsqueeze);
    value = skipNoise(unsqueeze.getData());
  }
  if (auto gather = value.getDefiningOp<GatherOp>()) {
    Value indices = gather.getIndices();
    if (gather.getAxis() != 0 || cast<RankedTensorType>(indices.getType()).getRank() != 2 ||
        cast<RankedTensorType>(gather.getData().getType()).getRank() != 2 ||
        (positions && positions != indices))
      return std::nullopt;
    positions = indices;
    absorbed.push_back(gather);
    value = gather.getData();
  } else {
    // Without positions, the table's rows are read at the sequence index.
    Dims dims = getDims(value.getType());
    if (dims.size() < 2 || !dims[dims.size() - 2].provablyEqual(getDims(x.getType())[2]))
      return std::nullopt;
    Operation *trig = skipNoise(value).getDefiningOp();
    if (isSin ? isa_and_nonnull<SinOp>(trig) : isa_and_nonnull<CosOp>(trig)) {
      auto concat = skipNoise(trig->getOperand(0)).getDefiningOp<ConcatOp>();
      int64_t rank = dims.size();
      if (!concat || concat.getInputs().size() != 2 ||
          concat.getInputs()[0] != concat.getInputs()[1] ||
          normalizeAxis(concat.getAxis(), rank) != rank - 1)
        return std::nullopt;
      // One angle per position and frequency, shared by the batch.
      Value angles = concat.getInputs()[0];
      ArrayRef<int64_t> anglesShape = cast<RankedTensorType>(angles.getType()).getShape();
      if (llvm::any_of(anglesShape.drop_back(2), [](int64_t d) { return d != 1; }))
        return std::nullopt;
      absorbed.append({trig, concat});
      return RotaryCache{angles, true};
    }
  }
  ConstantOp table = traceTable(value, absorbed);
  if (!table || !halvesRepeat(table))
    return std::nullopt;
  return RotaryCache{table, false};
}

} // namespace

std::optional<RotaryMatch> attention::matchRotary(Value value) {
  auto add = skipNoise(value).getDefiningOp<AddOp>();
  if (!add)
    return std::nullopt;
  auto lhs = skipNoise(add.getLhs()).getDefiningOp<MulOp>();
  auto rhs = skipNoise(add.getRhs()).getDefiningOp<MulOp>();
  if (!lhs || !rhs)
    return std::nullopt;
  for (auto [plain, rotated] : {std::pair(lhs, rhs), std::pair(rhs, lhs)}) {
    for (auto [half, sin] : {std::pair(rotated.getLhs(), rotated.getRhs()),
                             std::pair(rotated.getRhs(), rotated.getLhs())}) {
      RotaryMatch match;
      std::optional<Value> x = matchRotateHalf(half, match.absorbed);
      if (!x)
        continue;
      auto other = matchEitherOperand(plain, [&](Value v) { return skipNoise(v) == *x; });
      if (!other || cast<RankedTensorType>(x->getType()).getRank() != 4)
        return std::nullopt;
      match.input = *x;
      std::optional<RotaryCache> cos =
          traceCache(other->second, false, *x, match.positions, match.absorbed);
      std::optional<RotaryCache> sinCache =
          cos ? traceCache(sin, true, *x, match.positions, match.absorbed) : std::nullopt;
      if (!sinCache)
        return std::nullopt;
      match.cos = *cos;
      match.sin = *sinCache;
      match.absorbed.append({add, lhs, rhs});
      return match;
    }
  }
  return std::nullopt;
}

namespace {

/// The [rows, D/2] cache of one rotary input.
Value emitCache(PatternRewriter &rewriter, Location loc, const RotaryCache &cache, bool isSin) {
  if (cache.fromAngles) {
    Value angles =
        createInferred(rewriter, loc, isSin ? SinOp::getOperationName() : CosOp::getOperationName(),
                       {cache.source})
            ->getResult(0);
    if (cast<RankedTensorType>(angles.getType()).getRank() == 2)
      return angles;
    return emitRelayout(rewriter, loc, angles, {{false, {-1, lastDim(angles)}}});
  }
  auto table = cache.source.getDefiningOp<ConstantOp>();
  SmallVector<float> values = *readFloats(table);
  int64_t width = lastDim(table), half = width / 2;
  SmallVector<float> halves;
  for (size_t row = 0; row < values.size(); row += width)
    halves.append(values.begin() + row, values.begin() + row + half);
  auto type = RankedTensorType::get({static_cast<int64_t>(halves.size()) / half, half},
                                    rewriter.getF32Type());
  return ConstantOp::create(rewriter, loc, type, DenseElementsAttr::get(type, ArrayRef(halves)));
}

} // namespace

Value attention::emitRotary(PatternRewriter &rewriter, Location loc, Value input, int64_t heads,
                            const RotaryMatch &match, RotaryCaches &caches) {
  SmallVector<Value> operands{input};
  if (match.positions)
    operands.push_back(match.positions);
  for (auto [cache, isSin] : {std::pair(&match.cos, false), std::pair(&match.sin, true)}) {
    Value &emitted = (isSin ? caches.sin : caches.cos)[cache->source];
    if (!emitted)
      emitted = emitCache(rewriter, loc, *cache, isSin);
    operands.push_back(emitted);
  }
  auto si64 = [&](int64_t v) {
    return IntegerAttr::get(IntegerType::get(rewriter.getContext(), 64, IntegerType::Signed), v);
  };
  return createInferred(rewriter, loc, RotaryEmbeddingOp::getOperationName(), operands,
                        {rewriter.getNamedAttr("num_heads", si64(heads))})
      ->getResult(0);
}
