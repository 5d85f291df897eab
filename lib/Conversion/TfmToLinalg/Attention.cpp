//===- Attention.cpp - tfm.attention as a blocked online-softmax kernel ---===//
//
// Follows ONNX Runtime's CPU kernels: logits are scale * Q K^T plus
// attention_bias; padding masks add mask_filter_value (finite, -10000 by
// default) to the logits they hide, so a row whose keys are all padded still
// averages finite values; causality and GroupQueryAttention's sequence ends
// set logits to the lowest finite value, which softmax turns into 0 beside
// any other logit. A row whose logits are all -inf gives 0.
//
// The [S, T] logits are never held at once (flash attention): for each batch,
// head and block of query rows, the keys are visited in blocks, and a block's
// logits x update each row's running maximum m and sum l and its unnormalized
// output o:
//   m' = max(m, max_j x_j),  p_j = exp(x_j - m'),  a = exp(m - m'),
//   l' = a l + sum_j p_j,    o' = a o + sum_j p_j V_j,
// and the row's output is o / l. Working memory is a block of logits and a
// block of output rows, so peak memory grows linearly with the sequence.
//
// With the row-kernels option (CUDA), the same recurrence runs per query row
// with blocks of one key (RowAttention): one fused kernel, a row per thread.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;
using utils::IteratorType;

namespace {

/// Query rows and keys per block: a block's f32 logits take 16 KiB and its
/// output rows 256 bytes per feature, so both stay in the L2 cache.
constexpr int64_t kQueryBlock = 64;
constexpr int64_t kKeyBlock = 64;

/// The dims of the logit space. Query heads are split as [kv_heads, group] so
/// that grouped-query attention is plain indexing: head h is (kh, g) with
/// h = kh * group + g.
enum ScoreDim : int64_t { kBatch, kKvHead, kGroup, kQuery, kKey, kNumScoreDims };

/// Operands of the attention core, in the layouts it reads.
struct AttentionInputs {
  Value query;  // [B, S, kvH, G, D]
  Value key;    // [B, kvH, T, D]: the past keys, then the new ones
  Value keyT;   // [B, kvH, D, T], so that Q K^T's innermost loop is over keys
  Value value;  // [B, kvH, T, Dv]
  Type compute; // element type of logits and accumulations
};

/// Logits this close to the lowest float (a bias or mask_filter_value near it)
/// could tie with the lowest float that hidden keys get.
constexpr double kNearLowest = -1e30;

/// What attention_bias, the mask and causality do to each logit: extra
/// operands read at (b, kh, g, s, t) and the scalar rule combining them.
class ScoreModifier {
public:
  ScoreModifier(OpBuilder &b, Location loc, tfm::AttentionOp op, tfm::AttentionOp::Adaptor adaptor,
                Value pastLength, Value queryLength, int64_t group)
      : kind(op.getMaskKind()), causal(op.getCausal()),
        filterValue(op.getMaskFilterValue().convertToFloat()), pastLength(pastLength),
        queryLength(queryLength) {
    MLIRContext *ctx = b.getContext();
    maskUnsigned = op.getMask() && isUnsigned(op.getMask().getType());
    if (Value bias = adaptor.getAttentionBias()) {
      hasBias = true;
      addOperand(bias, headBroadcastMap(ctx, bias, group));
    }
    Value mask = adaptor.getMask();
    switch (kind) {
    case tfm::MaskKind::none:
      break;
    case tfm::MaskKind::key_padding:
      addOperand(mask, dimsMap(ctx, kNumScoreDims, {kBatch, kKey}));
      break;
    case tfm::MaskKind::query_key:
      addOperand(mask, dimsMap(ctx, kNumScoreDims, {kBatch, kQuery, kKey}));
      break;
    case tfm::MaskKind::key_lengths:
      addOperand(mask, dimsMap(ctx, kNumScoreDims, {kBatch}));
      break;
    case tfm::MaskKind::key_last_index:
      lastIndex = mask;
      addOperand(mask, dimsMap(ctx, kNumScoreDims, {kBatch}));
      break;
    case tfm::MaskKind::key_bounds: {
      // [2B]: the end positions, then the start positions.
      Value batch = tensor::DimOp::create(b, loc, adaptor.getQuery(), 0);
      Value zero = arith::ConstantIndexOp::create(b, loc, 0);
      for (Value offset : {zero, batch})
        addOperand(tensor::ExtractSliceOp::create(b, loc, mask, {OpFoldResult(offset)},
                                                  {OpFoldResult(batch)}, {b.getIndexAttr(1)}),
                   dimsMap(ctx, kNumScoreDims, {kBatch}));
      break;
    }
    case tfm::MaskKind::additive:
      addOperand(mask, headBroadcastMap(ctx, mask, group));
      break;
    case tfm::MaskKind::megatron: {
      // [B, 1, M, M]: the rows of the new queries, the columns of all keys.
      auto type = cast<RankedTensorType>(mask.getType());
      Value keyLength = tensor::DimOp::create(b, loc, adaptor.getKey(), 1);
      Value total = arith::AddIOp::create(b, loc, pastLength, keyLength);
      SmallVector<OpFoldResult> offsets{b.getIndexAttr(0), b.getIndexAttr(0), pastLength,
                                        b.getIndexAttr(0)};
      SmallVector<OpFoldResult> sizes{tensor::getMixedSize(b, loc, mask, 0), b.getIndexAttr(1),
                                      queryLength, total};
      SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
      auto sliceType = RankedTensorType::get(
          {type.getDimSize(0), ShapedType::kDynamic, ShapedType::kDynamic}, type.getElementType());
      addOperand(tensor::ExtractSliceOp::create(b, loc, sliceType, mask, offsets, sizes, strides),
                 dimsMap(ctx, kNumScoreDims, {kBatch, kQuery, kKey}));
      break;
    }
    }
    // A hidden key adds exp(lowest - m) = 0 to its row as long as the row has
    // a logit far above the lowest float, which only a bias, an additive mask
    // or a filter near the lowest float can take away.
    bool filterNearLowest = filterValue <= kNearLowest && kind != tfm::MaskKind::none &&
                            kind != tfm::MaskKind::key_last_index;
    skipsHiddenKeys = !hasBias && kind != tfm::MaskKind::additive && !filterNearLowest;
  }

  /// This modifier's operands cut to one block of logits, whose rows and
  /// columns start at `origin` (b, kh, g, s, t) and number `rows` and `cols`,
  /// and the maps reading them over the block's (row, column) loops.
  void sliceForBlock(OpBuilder &b, Location loc, ValueRange origin, OpFoldResult rows,
                     OpFoldResult cols, SmallVectorImpl<Value> &sliced,
                     SmallVectorImpl<AffineMap> &blockMaps) const {
    MLIRContext *ctx = b.getContext();
    AffineExpr zero = getAffineConstantExpr(0, ctx);
    SmallVector<AffineExpr> toBlock{zero, zero, zero, getAffineDimExpr(0, ctx),
                                    getAffineDimExpr(1, ctx)};
    OpFoldResult one = b.getIndexAttr(1);
    for (auto [operand, map] : llvm::zip(operands, maps)) {
      SmallVector<Value, 8> offsets = *affine::expandAffineMap(b, loc, map, origin);
      SmallVector<OpFoldResult> sizes;
      for (AffineExpr e : map.getResults()) {
        auto dim = dyn_cast<AffineDimExpr>(e);
        int64_t pos = dim ? dim.getPosition() : -1;
        sizes.push_back(pos == kQuery ? rows : pos == kKey ? cols : one);
      }
      SmallVector<OpFoldResult> strides(sizes.size(), one);
      sliced.push_back(tensor::ExtractSliceOp::create(b, loc, operand, getAsOpFoldResult(offsets),
                                                      sizes, strides));
      blockMaps.push_back(map.replaceDimsAndSymbols(toBlock, {}, 2, 0));
    }
  }

  /// The extra operands and their maps over the whole logit space.
  ArrayRef<Value> wholeOperands() const { return operands; }
  ArrayRef<AffineMap> wholeMaps() const { return maps; }

  /// Where the keys end that can change rows up to `queryEnd` (exclusive) of
  /// sequence `batch`: past them every logit is hidden and adds exactly 0.
  /// `keyLength` when no key can be skipped.
  Value keyEnd(OpBuilder &b, Location loc, Value batch, Value queryEnd, Value keyLength) const {
    if (!skipsHiddenKeys || (!causal && kind != tfm::MaskKind::key_last_index))
      return keyLength;
    if (kind != tfm::MaskKind::key_last_index) {
      Value end = arith::AddIOp::create(b, loc, pastLength, queryEnd);
      return arith::MinSIOp::create(b, loc, end, keyLength);
    }
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value lastQuery = arith::SubIOp::create(b, loc, queryEnd, one);
    Value last = toIndex(b, loc, tensor::ExtractOp::create(b, loc, lastIndex, batch), maskUnsigned);
    Value end = arith::AddIOp::create(b, loc, lastVisibleKey(b, loc, last, lastQuery), one);
    end = arith::MinSIOp::create(b, loc, end, keyLength);
    // A sequence with no key at all hides every one, and they all count.
    Value hasKeys = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, last,
                                          arith::ConstantIndexOp::create(b, loc, 0));
    return arith::SelectOp::create(b, loc, hasKeys, end, keyLength);
  }

  /// The modified logit; `extras` are this modifier's operands' scalars,
  /// `s` and `t` the query and key positions.
  Value apply(OpBuilder &b, Location loc, Value score, ValueRange extras, Value s, Value t) const {
    Type type = score.getType();
    auto next = extras.begin();
    if (hasBias)
      score = arith::AddFOp::create(b, loc, score, toFloat(b, loc, *next++, type));
    Value filtered =
        arith::AddFOp::create(b, loc, score, scalarConstant(b, loc, type, filterValue));
    auto cmp = [&](arith::CmpIPredicate p, Value x, Value y) {
      return arith::CmpIOp::create(b, loc, p, x, y);
    };
    using P = arith::CmpIPredicate;
    Value hidden; // logits left out of the softmax entirely
    switch (kind) {
    case tfm::MaskKind::none:
      break;
    case tfm::MaskKind::key_padding:
    case tfm::MaskKind::query_key:
    case tfm::MaskKind::megatron:
      score = arith::SelectOp::create(b, loc, attends(b, loc, *next++), score, filtered);
      break;
    case tfm::MaskKind::key_lengths: {
      Value end = toIndex(b, loc, *next++, maskUnsigned);
      score = arith::SelectOp::create(b, loc, cmp(P::slt, t, end), score, filtered);
      break;
    }
    case tfm::MaskKind::key_bounds: {
      Value end = toIndex(b, loc, *next++, maskUnsigned);
      Value start = toIndex(b, loc, *next++, maskUnsigned);
      Value inside = arith::AndIOp::create(b, loc, cmp(P::slt, t, end), cmp(P::sge, t, start));
      score = arith::SelectOp::create(b, loc, inside, score, filtered);
      break;
    }
    case tfm::MaskKind::additive:
      score = arith::AddFOp::create(b, loc, score, toFloat(b, loc, *next++, type));
      break;
    case tfm::MaskKind::key_last_index: {
      Value last = toIndex(b, loc, *next++, maskUnsigned);
      hidden = cmp(P::sgt, t, lastVisibleKey(b, loc, last, s));
      break;
    }
    }
    if (causal && kind != tfm::MaskKind::key_last_index)
      hidden = cmp(P::sgt, t, arith::AddIOp::create(b, loc, pastLength, s));
    if (hidden) {
      auto floatType = cast<FloatType>(type);
      Value lowest = arith::ConstantOp::create(
          b, loc,
          b.getFloatAttr(type, APFloat::getLargest(floatType.getFloatSemantics(),
                                                   /*Negative=*/true)));
      score = arith::SelectOp::create(b, loc, hidden, lowest, score);
    }
    return score;
  }

private:
  void addOperand(Value v, AffineMap map) {
    operands.push_back(v);
    maps.push_back(map);
  }

  /// GroupQueryAttention: sequence b ends at key `last`; with causality its
  /// queries are the last S positions (from 0 in a right-padded first prompt,
  /// whose padding queries see the whole sequence), so query `s` sees keys up
  /// to min(max(last + 1 - S, 0) + s, last).
  Value lastVisibleKey(OpBuilder &b, Location loc, Value last, Value s) const {
    if (!causal)
      return last;
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value past =
        arith::SubIOp::create(b, loc, arith::AddIOp::create(b, loc, last, one), queryLength);
    past = arith::MaxSIOp::create(b, loc, past, arith::ConstantIndexOp::create(b, loc, 0));
    return arith::MinSIOp::create(b, loc, arith::AddIOp::create(b, loc, past, s), last);
  }

  /// A tensor broadcastable to [B, num_heads, S, T], read at head kh * group + g.
  AffineMap headBroadcastMap(MLIRContext *ctx, Value v, int64_t group) {
    auto type = cast<RankedTensorType>(v.getType());
    AffineExpr head = getAffineDimExpr(kKvHead, ctx) * group + getAffineDimExpr(kGroup, ctx);
    SmallVector<AffineExpr> full{getAffineDimExpr(kBatch, ctx), head, getAffineDimExpr(kQuery, ctx),
                                 getAffineDimExpr(kKey, ctx)};
    SmallVector<AffineExpr> exprs;
    int64_t offset = 4 - type.getRank();
    for (int64_t j = 0; j < type.getRank(); ++j)
      exprs.push_back(type.getDimSize(j) == 1 ? getAffineConstantExpr(0, ctx) : full[j + offset]);
    return AffineMap::get(kNumScoreDims, 0, exprs, ctx);
  }

  /// ONNX Runtime's rule for 0/1 masks: a key is attended where the mask > 0.
  Value attends(OpBuilder &b, Location loc, Value m) const {
    Type type = m.getType();
    if (isa<FloatType>(type))
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, m,
                                   scalarConstant(b, loc, type, 0.0));
    return arith::CmpIOp::create(b, loc,
                                 maskUnsigned || type.isInteger(1) ? arith::CmpIPredicate::ne
                                                                   : arith::CmpIPredicate::sgt,
                                 m, scalarConstant(b, loc, type, 0));
  }

  tfm::MaskKind kind;
  bool causal;
  double filterValue;
  bool maskUnsigned = false;
  bool hasBias = false;
  bool skipsHiddenKeys = false;
  Value pastLength, queryLength;
  Value lastIndex; // key_last_index's [B] mask
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
};

/// [B, L, prod(heads) * D] -> [B, L, heads..., D].
Value splitHeads(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> heads) {
  int64_t numHeads = 1;
  SmallVector<OpFoldResult> shape{tensor::getMixedSize(b, loc, x, 0),
                                  tensor::getMixedSize(b, loc, x, 1)};
  for (int64_t h : heads) {
    shape.push_back(b.getIndexAttr(h));
    numHeads *= h;
  }
  shape.push_back(divideSize(b, loc, tensor::getMixedSize(b, loc, x, 2), numHeads));
  ReassociationIndices hidden = llvm::to_vector(llvm::seq<int64_t>(2, shape.size()));
  auto type = RankedTensorType::get(decomposeMixedValues(shape).first,
                                    cast<RankedTensorType>(x.getType()).getElementType());
  return tensor::ExpandShapeOp::create(b, loc, type, x, {{0}, {1}, hidden}, shape);
}

/// `x + y`, folded when both are static.
OpFoldResult addSizes(OpBuilder &b, Location loc, OpFoldResult x, OpFoldResult y) {
  std::optional<int64_t> cx = getConstantIntValue(x), cy = getConstantIntValue(y);
  if (cx && cy)
    return b.getIndexAttr(*cx + *cy);
  return arith::AddIOp::create(b, loc, getValueOrCreateConstantIndexOp(b, loc, x),
                               getValueOrCreateConstantIndexOp(b, loc, y))
      .getResult();
}

/// `x` with its dims permuted: result dim i is `x`'s dim permutation[i].
Value transpose(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> permutation) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  SmallVector<OpFoldResult> permuted;
  for (int64_t p : permutation)
    permuted.push_back(sizes[p]);
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  return linalg::TransposeOp::create(b, loc, x, emptyTensor(b, loc, permuted, element), permutation)
      .getResult()[0];
}

/// [B, L, kvH, D] -> [B, kvH, L, D], after `past` ([B, kvH, P, D]) if any.
Value appendToCache(OpBuilder &b, Location loc, Value x, Value past) {
  Value transposed = transpose(b, loc, x, {0, 2, 1, 3});
  if (!past)
    return transposed;
  SmallVector<OpFoldResult> newSizes = tensor::getMixedSizes(b, loc, transposed);
  OpFoldResult pastLength = tensor::getMixedSize(b, loc, past, 2);
  SmallVector<OpFoldResult> sizes(newSizes);
  sizes[2] = addSizes(b, loc, pastLength, newSizes[2]);
  SmallVector<OpFoldResult> zeros(4, b.getIndexAttr(0)), ones(4, b.getIndexAttr(1));
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  Value cache = emptyTensor(b, loc, sizes, element);
  cache = tensor::InsertSliceOp::create(b, loc, past, cache, zeros,
                                        tensor::getMixedSizes(b, loc, past), ones);
  SmallVector<OpFoldResult> offsets(zeros);
  offsets[2] = pastLength;
  return tensor::InsertSliceOp::create(b, loc, transposed, cache, offsets, newSizes, ones);
}

/// The block of `source` at `offsets` of `sizes`, keeping only the dims in
/// `kept` (the others have size 1).
Value extractBlock(OpBuilder &b, Location loc, Value source, ArrayRef<OpFoldResult> offsets,
                   ArrayRef<OpFoldResult> sizes, ArrayRef<int64_t> kept) {
  SmallVector<int64_t> shape;
  for (int64_t d : kept)
    shape.push_back(getConstantIntValue(sizes[d]).value_or(ShapedType::kDynamic));
  auto type =
      RankedTensorType::get(shape, cast<RankedTensorType>(source.getType()).getElementType());
  SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(b, loc, type, source, offsets, sizes, strides);
}

/// A linalg.generic with several outputs, `inits`; `body` gets the input
/// scalars followed by the outputs' and returns what to yield for each.
/// Outputs may be indexed by reduction loops too: each element is then
/// written once per iteration of those loops.
ResultRange
buildMultiGeneric(OpBuilder &b, Location loc, ValueRange inputs, ValueRange inits,
                  ArrayRef<AffineMap> maps, ArrayRef<IteratorType> iteratorTypes,
                  function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)> body) {
  return linalg::GenericOp::create(b, loc, inits.getTypes(), inputs, inits, maps, iteratorTypes,
                                   [&](OpBuilder &nb, Location l, ValueRange args) {
                                     linalg::YieldOp::create(nb, l, body(nb, l, args));
                                   })
      .getResults();
}

/// A row's running state across key blocks: [rows] maximum and sum of
/// exponentials, and [rows, Dv] unnormalized output.
struct RowState {
  Value max, sum, out;
};

/// What the attention lowerings build from, and the scalar rules of
/// their softmax.
class AttentionBuilder {
public:
  AttentionBuilder(OpBuilder &b, Location loc, const AttentionInputs &in, Value scale,
                   const ScoreModifier &modifier)
      : b(b), loc(loc), ctx(b.getContext()), in(in), scale(scale), modifier(modifier) {
    zero = scalarConstant(b, loc, in.compute, 0.0);
    negInf = scalarConstant(b, loc, in.compute, -std::numeric_limits<double>::infinity());
  }

protected:
  /// exp(x - max); a maximum of -inf (every logit so far is) counts as 0,
  /// keeping -inf - -inf out.
  Value expRelativeTo(OpBuilder &nb, Location l, Value x, Value max) const {
    Value isInf = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, max, negInf);
    max = arith::SelectOp::create(nb, l, isInf, zero, max);
    return math::ExpOp::create(nb, l, arith::SubFOp::create(nb, l, x, max));
  }

  /// weighted / sum, as weighted * (1 / sum) so that LLVM hoists the
  /// division out of the loop over keys; a row with no weight (all logits
  /// -inf) is 0.
  Value normalize(OpBuilder &nb, Location l, Value weighted, Value sum) const {
    Value positive = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, sum, zero);
    return arith::SelectOp::create(nb, l, positive,
                                   arith::MulFOp::create(nb, l, weighted, reciprocal(nb, l, sum)),
                                   zero);
  }

  Value index(int64_t v) const { return arith::ConstantIndexOp::create(b, loc, v); }

  /// Query head (kh, g) of sequence b.
  struct Head {
    Value batch, kh, g;
  };
  /// The query head numbered (b * kvH + kh) * G + g over all sequences.
  Head decodeHead(Value head) const {
    auto queryType = cast<RankedTensorType>(in.query.getType());
    int64_t kvHeads = queryType.getDimSize(2), group = queryType.getDimSize(3);
    Head h;
    h.g = arith::RemUIOp::create(b, loc, head, index(group));
    Value rest = arith::DivUIOp::create(b, loc, head, index(group));
    h.kh = arith::RemUIOp::create(b, loc, rest, index(kvHeads));
    h.batch = arith::DivUIOp::create(b, loc, rest, index(kvHeads));
    return h;
  }

  OpBuilder &b;
  Location loc;
  MLIRContext *ctx;
  const AttentionInputs &in;
  Value scale;
  const ScoreModifier &modifier;
  Value zero, negInf;
};

/// Builds the blocked kernel; see the file comment.
class FlashAttention : AttentionBuilder {
public:
  FlashAttention(OpBuilder &b, Location loc, const AttentionInputs &in, Value scale,
                 const ScoreModifier &modifier)
      : AttentionBuilder(b, loc, in, scale, modifier) {
    headSize = tensor::getMixedSize(b, loc, in.query, 4);
    valueSize = tensor::getMixedSize(b, loc, in.value, 3);
    keyLength = tensor::DimOp::create(b, loc, in.key, 2);
  }

  /// The output [B, S, kvH, G, Dv] of `element`.
  Value build(Type element) {
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, in.query);
    sizes.back() = valueSize;
    Value out = emptyTensor(b, loc, sizes, element);
    Value queryLength = getValueOrCreateConstantIndexOp(b, loc, sizes[1]);
    // One loop over the heads of all sequences (decodeHead).
    auto queryType = cast<RankedTensorType>(in.query.getType());
    Value heads = arith::MulIOp::create(b, loc, getValueOrCreateConstantIndexOp(b, loc, sizes[0]),
                                        index(queryType.getDimSize(2) * queryType.getDimSize(3)));
    return forLoop(b, loc, heads, 1, out, [&](Value head, ValueRange outs) {
      Head h = decodeHead(head);
      return llvm::to_vector(
          forLoop(b, loc, queryLength, kQueryBlock, outs, [&](Value first, ValueRange outs) {
            return SmallVector<Value>{
                queryBlock(outs[0], {h.batch, h.kh, h.g, first}, queryLength, element)};
          }));
    })[0];
  }

private:
  /// Attends the query rows from `at` (b, kh, g, s) on, writing them to `out`.
  Value queryBlock(Value out, ArrayRef<Value> at, Value queryLength, Type element) {
    Value first = at[kQuery];
    Value rows = arith::MinSIOp::create(b, loc, arith::ConstantIndexOp::create(b, loc, kQueryBlock),
                                        arith::SubIOp::create(b, loc, queryLength, first));
    OpFoldResult zeroIndex = b.getIndexAttr(0), one = b.getIndexAttr(1);
    SmallVector<OpFoldResult> offsets{at[kBatch], first, at[kKvHead], at[kGroup], zeroIndex};
    SmallVector<OpFoldResult> sizes{one, rows, one, one, headSize};
    Value queries = extractBlock(b, loc, in.query, offsets, sizes, {1, 4});

    Value end =
        modifier.keyEnd(b, loc, at[kBatch], arith::AddIOp::create(b, loc, first, rows), keyLength);
    SmallVector<Value> inits{filledTensor(b, loc, {rows}, in.compute, negInf),
                             filledTensor(b, loc, {rows}, in.compute, zero),
                             filledTensor(b, loc, {rows, valueSize}, in.compute, zero)};
    ValueRange state = forLoop(b, loc, end, kKeyBlock, inits, [&](Value key, ValueRange s) {
      RowState next = keyBlock({s[0], s[1], s[2]}, queries, rows, at, key, end);
      return SmallVector<Value>{next.max, next.sum, next.out};
    });

    // o / l.
    AffineMap id = AffineMap::getMultiDimIdentityMap(2, ctx);
    Value normalized = buildGeneric(
        b, loc, {state[2], state[1]}, emptyTensor(b, loc, {rows, valueSize}, element),
        {id, dimsMap(ctx, 2, {0}), id}, iterators(2, 0),
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          return toFloat(nb, l, normalize(nb, l, args[0], args[1]), element);
        });
    sizes.back() = valueSize;
    SmallVector<OpFoldResult> strides(5, one);
    return tensor::InsertSliceOp::create(b, loc, normalized, out, offsets, sizes, strides);
  }

  /// Folds the keys from `key` on (at most kKeyBlock, before `end`) into the
  /// state of the `rows` queries.
  RowState keyBlock(RowState state, Value queries, Value rows, ArrayRef<Value> at, Value key,
                    Value end) {
    Value cols = arith::MinSIOp::create(b, loc, arith::ConstantIndexOp::create(b, loc, kKeyBlock),
                                        arith::SubIOp::create(b, loc, end, key));
    OpFoldResult zeroIndex = b.getIndexAttr(0), one = b.getIndexAttr(1);
    Value keys = extractBlock(b, loc, in.keyT, {at[kBatch], at[kKvHead], zeroIndex, key},
                              {one, one, headSize, cols}, {2, 3});
    Value values = extractBlock(b, loc, in.value, {at[kBatch], at[kKvHead], key, zeroIndex},
                                {one, one, cols, valueSize}, {2, 3});
    AffineMap id = AffineMap::getMultiDimIdentityMap(2, ctx), perRow = dimsMap(ctx, 2, {0});
    AffineMap id1 = AffineMap::getMultiDimIdentityMap(1, ctx);
    IteratorType par = IteratorType::parallel, red = IteratorType::reduction;

    // Q K^T over loops (row, d, col): the innermost loop runs along keys.
    Value logits = buildGeneric(
        b, loc, {queries, keys}, filledTensor(b, loc, {rows, cols}, in.compute, zero),
        {dimsMap(ctx, 3, {0, 1}), dimsMap(ctx, 3, {1, 2}), dimsMap(ctx, 3, {0, 2})},
        {par, red, par}, [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value q = toFloat(nb, l, args[0], in.compute);
          Value k = toFloat(nb, l, args[1], in.compute);
          return arith::AddFOp::create(nb, l, args[2], arith::MulFOp::create(nb, l, q, k));
        });

    // The scale, then the bias, mask and causality, in place; and each row's
    // maximum of the block.
    SmallVector<Value> extras;
    SmallVector<AffineMap> maps;
    SmallVector<Value> origin(at);
    origin.push_back(key);
    modifier.sliceForBlock(b, loc, origin, rows, cols, extras, maps);
    maps.append({id, perRow});
    ResultRange scored = buildMultiGeneric(
        b, loc, extras, {logits, filledTensor(b, loc, {rows}, in.compute, negInf)}, maps,
        {par, red}, [&](OpBuilder &nb, Location l, ValueRange args) -> SmallVector<Value> {
          Value x = arith::MulFOp::create(nb, l, args[extras.size()], scale);
          Value s = arith::AddIOp::create(nb, l, at[kQuery], linalg::IndexOp::create(nb, l, 0));
          Value t = arith::AddIOp::create(nb, l, key, linalg::IndexOp::create(nb, l, 1));
          x = modifier.apply(nb, l, x, args.take_front(extras.size()), s, t);
          return {x, arith::MaximumFOp::create(nb, l, args.back(), x)};
        });
    logits = scored[0];

    // Per row: the new maximum, the old sum rescaled to it, and the factor.
    // Each part of the state is updated in place by exactly one op, so that
    // scf.for carries the same buffers: elementwise fusion would duplicate an
    // elementwise op that another reads elementwise, hence multi-result ops.
    ResultRange update = buildMultiGeneric(
        b, loc, {scored[1]}, {state.max, state.sum, emptyTensor(b, loc, {rows}, in.compute)},
        SmallVector<AffineMap>(4, id1), {par},
        [&](OpBuilder &nb, Location l, ValueRange args) -> SmallVector<Value> {
          Value max = arith::MaximumFOp::create(nb, l, args[1], args[0]);
          Value rescale = expRelativeTo(nb, l, args[1], max);
          return {max, arith::MulFOp::create(nb, l, args[2], rescale), rescale};
        });
    RowState next;
    next.max = update[0];
    Value rescale = update[2];
    // The weights p, in place of the logits, and the new sums.
    ResultRange weighted =
        buildMultiGeneric(b, loc, {next.max}, {logits, update[1]}, {perRow, id, perRow}, {par, red},
                          [&](OpBuilder &nb, Location l, ValueRange args) -> SmallVector<Value> {
                            Value p = expRelativeTo(nb, l, args[1], args[0]);
                            return {p, arith::AddFOp::create(nb, l, args[2], p)};
                          });
    Value weights = weighted[0];
    next.sum = weighted[1];

    Value scaledOut = buildGeneric(b, loc, {rescale}, state.out, {perRow, id}, {par, par},
                                   [](OpBuilder &nb, Location l, ValueRange args) -> Value {
                                     return arith::MulFOp::create(nb, l, args[1], args[0]);
                                   });
    // P V over loops (row, col, feature): the innermost loop runs along features.
    next.out = buildGeneric(
        b, loc, {weights, values}, scaledOut,
        {dimsMap(ctx, 3, {0, 1}), dimsMap(ctx, 3, {1, 2}), dimsMap(ctx, 3, {0, 2})},
        {par, red, par}, [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value v = toFloat(nb, l, args[1], in.compute);
          return arith::AddFOp::create(nb, l, args[2], arith::MulFOp::create(nb, l, args[0], v));
        });
    return next;
  }

  OpFoldResult headSize, valueSize;
  Value keyLength;
};

/// Attention with all logits at once, for short sequences: Q K^T and P V are
/// batched matrix products in the form the runtime's matmul takes (a key
/// head's query heads stacked as rows: [B, kvH, G*S, D]), and the scale,
/// masks and softmax are whole-tensor passes, all of which run on the
/// instance's threads, where the blocked kernel runs its loops on one.
class DenseAttention : AttentionBuilder {
public:
  using AttentionBuilder::AttentionBuilder;

  /// The output [B, S, kvH, G, Dv] of `element`.
  Value build(Type element) {
    ReassociationIndices stacked{2, 3};
    SmallVector<ReassociationIndices> rows{{0}, {1}, stacked, {4}};
    Value queries = tensor::CollapseShapeOp::create(
        b, loc, transpose(b, loc, in.query, {0, 2, 3, 1, 4}), rows);
    Value logits = product(queries, in.keyT);
    SmallVector<OpFoldResult> scoreSizes = tensor::getMixedSizes(b, loc, in.query);
    std::swap(scoreSizes[1], scoreSizes[3]); // [B, kvH, G, S] after the two swaps
    std::swap(scoreSizes[1], scoreSizes[2]);
    scoreSizes.back() = tensor::getMixedSize(b, loc, in.keyT, 3);
    Value weights = softmax(expand(logits, rows, scoreSizes));
    Value context = product(tensor::CollapseShapeOp::create(b, loc, weights, rows), in.value);
    SmallVector<OpFoldResult> contextSizes(scoreSizes);
    contextSizes.back() = tensor::getMixedSize(b, loc, in.value, 3);
    Value heads = transpose(b, loc, expand(context, rows, contextSizes), {0, 3, 1, 2, 4});
    if (element == in.compute)
      return heads;
    return mapElements(b, loc, heads, element, [&](OpBuilder &nb, Location l, ValueRange args) {
      return toFloat(nb, l, args[0], element);
    });
  }

private:
  /// x [B, kvH, M, K] times y [B, kvH, K, N] (converted to the compute type).
  Value product(Value x, Value y) {
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
    sizes.back() = tensor::getMixedSize(b, loc, y, 3);
    IteratorType par = IteratorType::parallel, red = IteratorType::reduction;
    return buildGeneric(
        b, loc, {x, y}, filledTensor(b, loc, sizes, in.compute, zero),
        {dimsMap(ctx, 5, {0, 1, 2, 4}), dimsMap(ctx, 5, {0, 1, 4, 3}), dimsMap(ctx, 5, {0, 1, 2, 3})},
        {par, par, par, par, red}, [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value p = arith::MulFOp::create(nb, l, toFloat(nb, l, args[0], in.compute),
                                          toFloat(nb, l, args[1], in.compute));
          return arith::AddFOp::create(nb, l, p, args[2]);
        });
  }

  Value expand(Value x, ArrayRef<ReassociationIndices> groups, ArrayRef<OpFoldResult> sizes) {
    SmallVector<int64_t> shape;
    for (OpFoldResult size : sizes)
      shape.push_back(getConstantIntValue(size).value_or(ShapedType::kDynamic));
    auto type = RankedTensorType::get(shape, in.compute);
    return tensor::ExpandShapeOp::create(b, loc, type, x, groups, sizes);
  }

  /// Softmax over keys of the scaled and masked logits [B, kvH, G, S, T]; a
  /// row whose logits are all -inf gives 0.
  Value softmax(Value logits) {
    AffineMap id = AffineMap::getMultiDimIdentityMap(kNumScoreDims, ctx);
    AffineMap perRow = dimsMap(ctx, kNumScoreDims, {kBatch, kKvHead, kGroup, kQuery});
    SmallVector<Value> inputs(modifier.wholeOperands());
    SmallVector<AffineMap> maps(modifier.wholeMaps());
    size_t extras = inputs.size();
    maps.push_back(id);
    Value scored = buildGeneric(
        b, loc, inputs, logits, maps, iterators(kNumScoreDims, 0),
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value x = arith::MulFOp::create(nb, l, args[extras], scale);
          return modifier.apply(nb, l, x, args.take_front(extras),
                                linalg::IndexOp::create(nb, l, kQuery),
                                linalg::IndexOp::create(nb, l, kKey));
        });
    SmallVector<OpFoldResult> rowSizes = tensor::getMixedSizes(b, loc, scored);
    rowSizes.pop_back();
    SmallVector<IteratorType> rowLoops = iterators(kNumScoreDims - 1, 1);
    Value max = buildGeneric(b, loc, {scored}, filledTensor(b, loc, rowSizes, in.compute, negInf),
                             {id, perRow}, rowLoops,
                             [](OpBuilder &nb, Location l, ValueRange args) -> Value {
                               return arith::MaximumFOp::create(nb, l, args[1], args[0]);
                             });
    ResultRange exps = buildMultiGeneric(
        b, loc, {scored, max}, {emptyTensor(b, loc, tensor::getMixedSizes(b, loc, scored), in.compute),
                                filledTensor(b, loc, rowSizes, in.compute, zero)},
        {id, perRow, id, perRow}, rowLoops,
        [&](OpBuilder &nb, Location l, ValueRange args) -> SmallVector<Value> {
          Value e = expRelativeTo(nb, l, args[0], args[1]);
          return {e, arith::AddFOp::create(nb, l, args[3], e)};
        });
    return buildGeneric(b, loc, {exps[0], exps[1]}, exps[0], {id, perRow, id},
                        iterators(kNumScoreDims, 0),
                        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                          return normalize(nb, l, args[0], args[1]);
                        });
  }
};

/// Attention as a row kernel (forEachRow), the GPU's fused attention: row r
/// is query s of head (kh, g) of sequence b. Its loop over keys carries the
/// running maximum and sum as scalars and accumulates the unnormalized
/// output in the row's own place in the result, so a row needs no memory
/// of its own and never holds more than one logit.
class RowAttention : AttentionBuilder {
public:
  using AttentionBuilder::AttentionBuilder;

  /// The output [B, S, kvH, G, Dv] of `element`.
  Value build(Type element) {
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, in.query);
    headSize = getValueOrCreateConstantIndexOp(b, loc, sizes.back());
    sizes.back() = tensor::getMixedSize(b, loc, in.value, 3);
    auto queryType = cast<RankedTensorType>(in.query.getType());
    kvHeads = queryType.getDimSize(2), group = queryType.getDimSize(3);
    queries = getValueOrCreateConstantIndexOp(b, loc, sizes[1]);
    keyLength = tensor::DimOp::create(b, loc, in.key, 2);
    SmallVector<ReassociationIndices> rows{{0, 1, 2, 3}, {4}};
    Value out =
        tensor::CollapseShapeOp::create(b, loc, emptyTensor(b, loc, sizes, in.compute), rows);
    Value result = forEachRow(
        b, loc, out,
        [&](Value i, ValueRange dests) -> SmallVector<Value> {
          return {attendRow(decode(i), dests[0])};
        },
        [&](Value i) { return rowOf(decode(i)); })[0];
    Value heads = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get(SmallVector<int64_t>(decomposeMixedValues(sizes).first),
                                      in.compute),
        result, rows, sizes);
    if (element == in.compute)
      return heads;
    return mapElements(b, loc, heads, element, [&](OpBuilder &nb, Location l, ValueRange args) {
      return toFloat(nb, l, args[0], element);
    });
  }

private:
  /// Query s of head (kh, g) of sequence b.
  struct Query : Head {
    Value s;
  };

  /// The query of loop index i = ((b * kvH + kh) * G + g) * S + s:
  /// neighbouring threads take the queries of one head, so they read the
  /// same key and value rows.
  Query decode(Value i) {
    Query q;
    q.s = arith::RemUIOp::create(b, loc, i, queries);
    static_cast<Head &>(q) = decodeHead(arith::DivUIOp::create(b, loc, i, queries));
    return q;
  }

  /// The query's row of the output [B, S, kvH, G, Dv] seen as rows:
  /// ((b * S + s) * kvH + kh) * G + g.
  Value rowOf(const Query &q) {
    Value row =
        arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, q.batch, queries), q.s);
    row = arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, row, index(kvHeads)), q.kh);
    return arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, row, index(group)), q.g);
  }

  /// One query's output row, accumulated in `dest` ([Dv]) key by key.
  Value attendRow(const Query &q, Value dest) {
    Value end =
        modifier.keyEnd(b, loc, q.batch, arith::AddIOp::create(b, loc, q.s, index(1)), keyLength);
    SmallVector<Value> inits{negInf, zero, linalg::FillOp::create(b, loc, zero, dest).getResult(0)};
    ValueRange state = forLoop(b, loc, end, 1, inits, [&](Value t, ValueRange st) {
      Value x = arith::MulFOp::create(b, loc, dot(q, t), scale);
      SmallVector<Value> extras;
      for (auto [operand, map] : llvm::zip(modifier.wholeOperands(), modifier.wholeMaps())) {
        SmallVector<Value, 8> at =
            *affine::expandAffineMap(b, loc, map, {q.batch, q.kh, q.g, q.s, t});
        extras.push_back(tensor::ExtractOp::create(b, loc, operand, at));
      }
      x = modifier.apply(b, loc, x, extras, q.s, t);
      Value max = arith::MaximumFOp::create(b, loc, st[0], x);
      Value rescale = expRelativeTo(b, loc, st[0], max);
      Value p = expRelativeTo(b, loc, x, max);
      Value sum = arith::AddFOp::create(b, loc, arith::MulFOp::create(b, loc, st[1], rescale), p);
      return SmallVector<Value>{max, sum, accumulate(st[2], rescale, p, q, t)};
    });
    AffineMap id = AffineMap::getMultiDimIdentityMap(1, ctx);
    return buildGeneric(b, loc, {}, state[2], {id}, iterators(1, 0),
                        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                          return normalize(nb, l, args[0], state[1]);
                        });
  }

  /// The query dotted with key t.
  Value dot(const Query &q, Value t) {
    return forLoop(b, loc, headSize, 1, zero, [&](Value d, ValueRange acc) -> SmallVector<Value> {
      Value x = tensor::ExtractOp::create(b, loc, in.query, ValueRange{q.batch, q.s, q.kh, q.g, d});
      Value k = tensor::ExtractOp::create(b, loc, in.key, ValueRange{q.batch, q.kh, t, d});
      Value product = arith::MulFOp::create(b, loc, toFloat(b, loc, x, in.compute),
                                            toFloat(b, loc, k, in.compute));
      return {arith::AddFOp::create(b, loc, acc[0], product)};
    })[0];
  }

  /// out * rescale + p * value t of the query's key head, in place.
  Value accumulate(Value out, Value rescale, Value p, const Query &q, Value t) {
    OpFoldResult zeroIndex = b.getIndexAttr(0), one = b.getIndexAttr(1);
    auto valueType = cast<RankedTensorType>(in.value.getType());
    Value value = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({valueType.getDimSize(3)}, valueType.getElementType()),
        in.value, ArrayRef<OpFoldResult>{q.batch, q.kh, t, zeroIndex},
        ArrayRef<OpFoldResult>{one, one, one, tensor::getMixedSize(b, loc, in.value, 3)},
        SmallVector<OpFoldResult>(4, one));
    AffineMap id = AffineMap::getMultiDimIdentityMap(1, ctx);
    return buildGeneric(b, loc, {value}, out, {id, id}, iterators(1, 0),
                        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                          Value v = arith::MulFOp::create(
                              nb, l, p, toFloat(nb, l, args[0], in.compute));
                          return arith::AddFOp::create(
                              nb, l, arith::MulFOp::create(nb, l, args[1], rescale), v);
                        });
  }

  Value headSize, queries, keyLength;
  int64_t kvHeads = 0, group = 0;
};

/// The attention output [B, S, kvH, G, Dv]: RowAttention for `rowKernels`;
/// else DenseAttention when the logits of all heads take at most `maxBytes`,
/// else the blocked kernel, whose memory stays linear in the sequence.
/// Dynamic sizes decide at run time.
Value attend(OpBuilder &b, Location loc, const AttentionInputs &in, Value scale,
             const ScoreModifier &modifier, Type element, int64_t maxBytes, bool rowKernels) {
  if (rowKernels)
    return RowAttention(b, loc, in, scale, modifier).build(element);
  auto query = cast<RankedTensorType>(in.query.getType());
  int64_t heads = query.getDimSize(2) * query.getDimSize(3);
  auto dense = [&] { return DenseAttention(b, loc, in, scale, modifier).build(element); };
  auto blocked = [&] { return FlashAttention(b, loc, in, scale, modifier).build(element); };
  if (maxBytes <= 0)
    return blocked();
  SmallVector<OpFoldResult> sizes{tensor::getMixedSize(b, loc, in.query, 0),
                                  tensor::getMixedSize(b, loc, in.query, 1),
                                  tensor::getMixedSize(b, loc, in.keyT, 3)};
  if (std::optional<SmallVector<int64_t>> known = getConstantIntValues(sizes)) {
    int64_t logits = (*known)[0] * heads * (*known)[1] * (*known)[2];
    return logits * 4 <= maxBytes ? dense() : blocked();
  }
  Value bytes = arith::ConstantIndexOp::create(b, loc, heads * 4);
  for (OpFoldResult size : sizes)
    bytes = arith::MulIOp::create(b, loc, bytes, getValueOrCreateConstantIndexOp(b, loc, size));
  Value fits = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, bytes,
                                     arith::ConstantIndexOp::create(b, loc, maxBytes));
  // Both branches are built, each cast to the output type.
  SmallVector<int64_t> shape(query.getShape());
  shape.back() = cast<RankedTensorType>(in.value.getType()).getDimSize(3);
  auto type = RankedTensorType::get(shape, element);
  auto choice = scf::IfOp::create(b, loc, TypeRange{type}, fits, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  for (auto [region, build] : {std::pair<Region *, function_ref<Value()>>{
                                   &choice.getThenRegion(), dense},
                               {&choice.getElseRegion(), blocked}}) {
    b.setInsertionPointToStart(&region->front());
    Value result = build();
    if (result.getType() != type)
      result = tensor::CastOp::create(b, loc, type, result);
    scf::YieldOp::create(b, loc, result);
  }
  return choice->getResult(0);
}

/// ONNX Runtime's default scale 1 / sqrt(head size), computed in f32.
Value defaultScale(OpBuilder &b, Location loc, OpFoldResult headSize, Type compute) {
  if (std::optional<int64_t> d = getConstantIntValue(headSize))
    return scalarConstant(b, loc, compute, 1.0f / std::sqrt(static_cast<float>(*d)));
  Type f32 = b.getF32Type();
  Value size = arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                          getValueOrCreateConstantIndexOp(b, loc, headSize));
  Value root = math::SqrtOp::create(b, loc, arith::SIToFPOp::create(b, loc, f32, size));
  Value scale = reciprocal(b, loc, root);
  return toFloat(b, loc, scale, compute);
}

struct AttentionLowering : OpConversionPattern<tfm::AttentionOp> {
  AttentionLowering(const TypeConverter &converter, MLIRContext *ctx, int64_t denseBytes,
                    bool rowKernels)
      : OpConversionPattern(converter, ctx), denseBytes(denseBytes), rowKernels(rowKernels) {}

  LogicalResult matchAndRewrite(tfm::AttentionOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t kvHeads = op.getKvHeads(), group = op.getNumHeads() / kvHeads;
    Type element = cast<RankedTensorType>(adaptor.getQuery().getType()).getElementType();

    AttentionInputs in;
    in.compute = computeType(element);
    in.query = splitHeads(rewriter, loc, adaptor.getQuery(), {kvHeads, group});
    in.key = appendToCache(rewriter, loc, splitHeads(rewriter, loc, adaptor.getKey(), {kvHeads}),
                           adaptor.getPastKey());
    in.keyT = transpose(rewriter, loc, in.key, {0, 1, 3, 2});
    in.value =
        appendToCache(rewriter, loc, splitHeads(rewriter, loc, adaptor.getValue(), {kvHeads}),
                      adaptor.getPastValue());
    Value scale = op.getScale()
                      ? scalarConstant(rewriter, loc, in.compute, op.getScale()->convertToFloat())
                      : defaultScale(rewriter, loc,
                                     tensor::getMixedSize(rewriter, loc, in.query, 4), in.compute);
    Value pastLength =
        adaptor.getPastKey()
            ? tensor::DimOp::create(rewriter, loc, adaptor.getPastKey(), 2).getResult()
            : arith::ConstantIndexOp::create(rewriter, loc, 0).getResult();
    Value queryLength = tensor::DimOp::create(rewriter, loc, adaptor.getQuery(), 1);
    ScoreModifier modifier(rewriter, loc, op, adaptor, pastLength, queryLength, group);

    Value context = attend(rewriter, loc, in, scale, modifier, element, denseBytes, rowKernels);
    Value output = tensor::CollapseShapeOp::create(
        rewriter, loc, context, ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3, 4}});
    SmallVector<Value> results{output};
    if (op.getPresentKey())
      results.append({in.key, in.value});
    // Computed sizes may be more static than the inferred result types.
    for (auto [result, value] : llvm::zip(op->getResults(), results)) {
      RankedTensorType type = convertedType(*getTypeConverter(), result);
      if (value.getType() != type)
        value = tensor::CastOp::create(rewriter, loc, type, value);
    }
    rewriter.replaceOp(op, results);
    return success();
  }

  int64_t denseBytes;
  bool rowKernels;
};

} // namespace

void lowering::populateAttentionPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns,
                                         int64_t denseAttentionBytes, bool rowKernels) {
  patterns.add<AttentionLowering>(converter, patterns.getContext(), denseAttentionBytes,
                                  rowKernels);
}
