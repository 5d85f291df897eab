//===- Transformer.cpp - layer_norm, rms_norm, attention and rotary embeddings ===//
//
// Normalizations accumulate in f32 (ONNX's stash_type 1). Attention follows
// ONNX Runtime's CPU kernels: scores are scale * Q K^T plus attention_bias;
// padding masks add mask_filter_value (finite, -10000 by default) to the
// scores they hide, so a row whose keys are all padded still averages finite
// values; causality and GroupQueryAttention's sequence ends set scores to the
// lowest finite value, which softmax turns into 0 beside any other score.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <limits>

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;
using utils::IteratorType;

namespace {

/// f16 and bf16 compute in f32; f32 and f64 in themselves.
Type computeType(Type element) {
  if (element.isF16() || element.isBF16())
    return Float32Type::get(element.getContext());
  return element;
}

Value toFloat(OpBuilder &b, Location loc, Value v, Type to) {
  return castScalar(b, loc, v, to, /*fromUnsigned=*/false, /*toUnsigned=*/false);
}

Value index(OpBuilder &b, Location loc, int64_t dim) {
  return linalg::IndexOp::create(b, loc, dim);
}

SmallVector<IteratorType> iterators(int64_t parallel, int64_t reduction) {
  SmallVector<IteratorType> result(parallel, IteratorType::parallel);
  result.append(reduction, IteratorType::reduction);
  return result;
}

/// The map (d0, ..., d{n-1}) -> (d{dims[0]}, d{dims[1]}, ...).
AffineMap dimsMap(MLIRContext *ctx, int64_t numDims, ArrayRef<int64_t> dims) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d : dims)
    exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(numDims, 0, exprs, ctx);
}

/// A linalg.generic with `init` as its one output; `body` gets the input
/// scalars followed by the output's and returns what to yield.
Value buildGeneric(OpBuilder &b, Location loc, ValueRange inputs, Value init,
                   ArrayRef<AffineMap> maps, ArrayRef<IteratorType> iteratorTypes,
                   ScalarBody body) {
  auto generic =
      linalg::GenericOp::create(b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
                                iteratorTypes, [&](OpBuilder &nb, Location nloc, ValueRange args) {
                                  linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
                                });
  return generic.getResult(0);
}

Value emptyTensor(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes, Type element) {
  return tensor::EmptyOp::create(b, loc, sizes, element);
}

Value filledTensor(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes, Type element,
                   Value value) {
  return linalg::FillOp::create(b, loc, value, emptyTensor(b, loc, sizes, element)).getResult(0);
}

/// `size / divisor`, folded when the size is static.
OpFoldResult divideSize(OpBuilder &b, Location loc, OpFoldResult size, int64_t divisor) {
  if (std::optional<int64_t> s = getConstantIntValue(size))
    return b.getIndexAttr(*s / divisor);
  Value d = arith::ConstantIndexOp::create(b, loc, divisor);
  return arith::DivUIOp::create(b, loc, getValueOrCreateConstantIndexOp(b, loc, size), d)
      .getResult();
}

OpFoldResult addSizes(OpBuilder &b, Location loc, OpFoldResult x, OpFoldResult y) {
  std::optional<int64_t> cx = getConstantIntValue(x), cy = getConstantIntValue(y);
  if (cx && cy)
    return b.getIndexAttr(*cx + *cy);
  return arith::AddIOp::create(b, loc, getValueOrCreateConstantIndexOp(b, loc, x),
                               getValueOrCreateConstantIndexOp(b, loc, y))
      .getResult();
}

/// The map reading a parameter broadcast numpy-style (right-aligned) onto a
/// rank-`rank` iteration space whose sizes are `target`'s.
AffineMap broadcastMap(MLIRContext *ctx, RankedTensorType param, RankedTensorType target) {
  int64_t rank = target.getRank(), offset = rank - param.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t j = 0; j < param.getRank(); ++j) {
    bool broadcast = param.getDimSize(j) == 1 && target.getDimSize(j + offset) != 1;
    exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx) : getAffineDimExpr(j + offset, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

//===----------------------------------------------------------------------===//
// layer_norm and rms_norm
//===----------------------------------------------------------------------===//

/// Normalization over the trailing dims of `input` from `axis` on.
class Normalizer {
public:
  Normalizer(OpBuilder &b, Location loc, Value input, int64_t axis)
      : b(b), loc(loc), input(input), axis(axis), f32(b.getF32Type()),
        inputType(cast<RankedTensorType>(input.getType())) {
    for (int64_t i = 0; i < axis; ++i)
      outerSizes.push_back(tensor::getMixedSize(b, loc, input, i));
  }

  /// Sums term(x, outer scalars) over the normalized dims into an [outer] f32
  /// tensor; `outer` are [outer] tensors read at each element's row.
  Value reduce(ValueRange outer,
               function_ref<Value(OpBuilder &, Location, Value, ValueRange)> term) {
    int64_t rank = inputType.getRank();
    SmallVector<Value> inputs{input};
    inputs.append(outer.begin(), outer.end());
    SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(rank, b.getContext())};
    maps.append(outer.size() + 1, outerMap());
    Value zero = scalarConstant(b, loc, f32, 0.0);
    return buildGeneric(b, loc, inputs, filledTensor(b, loc, outerSizes, f32, zero), maps,
                        iterators(axis, rank - axis),
                        [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
                          Value x = toFloat(nb, nloc, args[0], f32);
                          Value t = term(nb, nloc, x, args.slice(1, outer.size()));
                          return arith::AddFOp::create(nb, nloc, args.back(), t);
                        });
  }

  /// An [outer] f32 tensor computed from [outer] tensors elementwise.
  Value map(ValueRange operands, ScalarBody body) {
    return mapElements(b, loc, operands, f32, body);
  }

  /// 1 / (number of normalized elements), as f32.
  Value inverseCount() {
    Value count = arith::ConstantIndexOp::create(b, loc, 1);
    for (int64_t i = axis; i < inputType.getRank(); ++i)
      count = arith::MulIOp::create(b, loc, count, tensor::DimOp::create(b, loc, input, i));
    Value asInt = arith::IndexCastOp::create(b, loc, b.getI64Type(), count);
    Value asFloat = arith::SIToFPOp::create(b, loc, f32, asInt);
    return arith::DivFOp::create(b, loc, scalarConstant(b, loc, f32, 1.0), asFloat);
  }

  /// 1 / sqrt(sum * invCount + epsilon) of an [outer] sum of squares.
  Value inverseRoot(Value sumOfSquares, Value invCount, float epsilon) {
    return map({sumOfSquares}, [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
      Value meanSquare = arith::MulFOp::create(nb, nloc, args[0], invCount);
      Value shifted =
          arith::AddFOp::create(nb, nloc, meanSquare, scalarConstant(nb, nloc, f32, epsilon));
      return arith::DivFOp::create(nb, nloc, scalarConstant(nb, nloc, f32, 1.0),
                                   math::SqrtOp::create(nb, nloc, shifted));
    });
  }

  /// ((x - mean) * invStdDev) * scale + bias in the input's element type;
  /// `mean` and `bias` may be null.
  Value normalize(Value mean, Value invStdDev, Value scale, Value bias) {
    int64_t rank = inputType.getRank();
    MLIRContext *ctx = b.getContext();
    SmallVector<Value> inputs{input};
    SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(rank, ctx)};
    for (Value v : {mean, invStdDev}) {
      if (!v)
        continue;
      inputs.push_back(v);
      maps.push_back(outerMap());
    }
    for (Value v : {scale, bias}) {
      if (!v)
        continue;
      inputs.push_back(v);
      maps.push_back(broadcastMap(ctx, cast<RankedTensorType>(v.getType()), inputType));
    }
    maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
    Type element = inputType.getElementType();
    Value init = createEmpty(b, loc, inputType, getDynamicSizes(b, loc, input));
    return buildGeneric(
        b, loc, inputs, init, maps, iterators(rank, 0),
        [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
          unsigned next = 0;
          Value y = toFloat(nb, nloc, args[next++], f32);
          if (mean)
            y = arith::SubFOp::create(nb, nloc, y, args[next++]);
          y = arith::MulFOp::create(nb, nloc, y, args[next++]);
          y = arith::MulFOp::create(nb, nloc, y, toFloat(nb, nloc, args[next++], f32));
          if (bias)
            y = arith::AddFOp::create(nb, nloc, y, toFloat(nb, nloc, args[next], f32));
          return toFloat(nb, nloc, y, element);
        });
  }

  /// An [outer] statistic reshaped to the input's rank, normalized dims 1.
  Value keepNormalizedDims(Value stat, RankedTensorType resultType) {
    int64_t rank = inputType.getRank();
    SmallVector<ReassociationIndices> groups;
    for (int64_t i = 0; i < axis; ++i)
      groups.push_back({i});
    // The trailing 1s join the last outer dim (all dims for a 0-d statistic).
    if (axis > 0)
      for (int64_t i = axis; i < rank; ++i)
        groups.back().push_back(i);
    SmallVector<OpFoldResult> shape(outerSizes);
    shape.append(rank - axis, b.getIndexAttr(1));
    return tensor::ExpandShapeOp::create(b, loc, resultType, stat, groups, shape);
  }

private:
  /// Reads an [outer] tensor at each element's row.
  AffineMap outerMap() const {
    return dimsMap(b.getContext(), inputType.getRank(),
                   llvm::to_vector(llvm::seq<int64_t>(0, axis)));
  }

  OpBuilder &b;
  Location loc;
  Value input;
  int64_t axis;
  Type f32;
  RankedTensorType inputType;
  SmallVector<OpFoldResult> outerSizes;
};

Value square(OpBuilder &b, Location loc, Value x) { return arith::MulFOp::create(b, loc, x, x); }

struct LayerNormLowering : OpConversionPattern<tfm::LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::LayerNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t rank = op.getInput().getType().getRank();
    int64_t axis = *tfm::normalizeAxis(op.getAxis(), rank);
    Normalizer norm(rewriter, loc, adaptor.getInput(), axis);
    Value invCount = norm.inverseCount();
    Value sum = norm.reduce({}, [](OpBuilder &, Location, Value x, ValueRange) { return x; });
    Value mean = norm.map({sum}, [&](OpBuilder &b, Location l, ValueRange args) -> Value {
      return arith::MulFOp::create(b, l, args[0], invCount);
    });
    Value sumOfSquares = norm.reduce({mean}, [](OpBuilder &b, Location l, Value x, ValueRange m) {
      return square(b, l, arith::SubFOp::create(b, l, x, m[0]));
    });
    Value invStdDev = norm.inverseRoot(sumOfSquares, invCount, op.getEpsilon().convertToFloat());
    SmallVector<Value> results{
        norm.normalize(mean, invStdDev, adaptor.getScale(), adaptor.getBias())};
    if (op.getMean())
      results.push_back(
          norm.keepNormalizedDims(mean, convertedType(*getTypeConverter(), op.getMean())));
    if (op.getInvStdDev())
      results.push_back(norm.keepNormalizedDims(
          invStdDev, convertedType(*getTypeConverter(), op.getInvStdDev())));
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct RmsNormLowering : OpConversionPattern<tfm::RmsNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::RmsNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    int64_t rank = op.getInput().getType().getRank();
    Normalizer norm(rewriter, op.getLoc(), adaptor.getInput(),
                    *tfm::normalizeAxis(op.getAxis(), rank));
    Value sumOfSquares = norm.reduce(
        {}, [](OpBuilder &b, Location l, Value x, ValueRange) { return square(b, l, x); });
    Value invRms =
        norm.inverseRoot(sumOfSquares, norm.inverseCount(), op.getEpsilon().convertToFloat());
    rewriter.replaceOp(op, norm.normalize(Value(), invRms, adaptor.getScale(), Value()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// rotary_embedding
//===----------------------------------------------------------------------===//

/// Reads a scalar index (any integer or float element) as `index`.
Value toIndex(OpBuilder &b, Location loc, Value v, bool isUnsigned) {
  if (isa<FloatType>(v.getType()))
    v = arith::FPToSIOp::create(b, loc, b.getI64Type(), v);
  if (isUnsigned)
    return arith::IndexCastUIOp::create(b, loc, b.getIndexType(), v);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

Value selectIndex(OpBuilder &b, Location loc, Value cond, Value x, Value y) {
  return arith::SelectOp::create(b, loc, cond, x, y);
}

/// Each output element is x[d] * cos[i] -/+ x[partner] * sin[i], where the
/// partner of feature d and the angle i come from the pairing: (2i, 2i+1)
/// interleaved, (i, i + dim/2) otherwise. Features from rotary_embedding_dim
/// on pass through.
struct RotaryEmbeddingLowering : OpConversionPattern<tfm::RotaryEmbeddingOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::RotaryEmbeddingOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), positions = adaptor.getPositionIds();
    Value cosCache = adaptor.getCosCache(), sinCache = adaptor.getSinCache();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    int64_t cacheRank = cast<RankedTensorType>(cosCache.getType()).getRank();
    if (positions && cacheRank != 2)
      return rewriter.notifyMatchFailure(op, "gathered caches must be [positions, dim / 2]");

    // [B, H, S, D] or [B, S, H * D].
    int64_t seqDim = rank == 4 ? 2 : 1;
    OpFoldResult headSize =
        rank == 4 ? tensor::getMixedSize(rewriter, loc, input, 3)
                  : divideSize(rewriter, loc, tensor::getMixedSize(rewriter, loc, input, 2),
                               op.getNumHeads());
    Value head = getValueOrCreateConstantIndexOp(rewriter, loc, headSize);
    Value rotary = op.getRotaryEmbeddingDim()
                       ? arith::ConstantIndexOp::create(rewriter, loc, op.getRotaryEmbeddingDim())
                       : head;
    Value half = arith::DivUIOp::create(rewriter, loc, rotary,
                                        arith::ConstantIndexOp::create(rewriter, loc, 2));
    bool positionsUnsigned = positions && isUnsigned(op.getPositionIds().getType());
    bool interleaved = op.getInterleaved();
    Type element = type.getElementType(), compute = computeType(element);

    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    Value init = createEmpty(rewriter, loc, type, getDynamicSizes(rewriter, loc, input));
    Value result = buildGeneric(
        rewriter, loc, {input}, init, {identity, identity}, iterators(rank, 0),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          auto cst = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v); };
          SmallVector<Value> at;
          for (int64_t i = 0; i < rank; ++i)
            at.push_back(index(b, l, i));
          Value batch = at[0], seq = at[seqDim], channel = at[rank - 1];
          // The feature within its head and where that head starts.
          Value feature = rank == 4 ? channel : arith::RemUIOp::create(b, l, channel, head);
          Value headStart = arith::SubIOp::create(b, l, channel, feature);
          Value rotated = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, feature, rotary);

          Value first, angle, partner;
          if (interleaved) {
            first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                          arith::RemUIOp::create(b, l, feature, cst(2)), cst(0));
            angle = arith::DivUIOp::create(b, l, feature, cst(2));
            partner = selectIndex(b, l, first, arith::AddIOp::create(b, l, feature, cst(1)),
                                  arith::SubIOp::create(b, l, feature, cst(1)));
          } else {
            first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, feature, half);
            angle = selectIndex(b, l, first, feature, arith::SubIOp::create(b, l, feature, half));
            partner = selectIndex(b, l, first, arith::AddIOp::create(b, l, feature, half),
                                  arith::SubIOp::create(b, l, feature, half));
          }
          // Pass-through features read in-range dummies.
          angle = selectIndex(b, l, rotated, angle, cst(0));
          partner = selectIndex(b, l, rotated, partner, feature);

          SmallVector<Value> partnerAt(at);
          partnerAt.back() = arith::AddIOp::create(b, l, headStart, partner);
          Value x = toFloat(b, l, args[0], compute);
          Value other = toFloat(b, l, tensor::ExtractOp::create(b, l, input, partnerAt), compute);

          SmallVector<Value> cacheAt;
          if (positions) {
            auto posType = cast<RankedTensorType>(positions.getType());
            Value pb = posType.getDimSize(0) == 1 ? cst(0) : batch;
            Value pos =
                toIndex(b, l, tensor::ExtractOp::create(b, l, positions, ValueRange{pb, seq}),
                        positionsUnsigned);
            // Out-of-range positions (ORT rejects them) read the nearest row.
            Value lastRow =
                arith::SubIOp::create(b, l, tensor::DimOp::create(b, l, cosCache, 0), cst(1));
            pos = arith::MaxSIOp::create(b, l, arith::MinSIOp::create(b, l, pos, lastRow), cst(0));
            cacheAt = {pos, angle};
          } else if (cacheRank == 3) {
            cacheAt = {batch, seq, angle};
          } else {
            cacheAt = {seq, angle};
          }
          Value cos = toFloat(b, l, tensor::ExtractOp::create(b, l, cosCache, cacheAt), compute);
          Value sin = toFloat(b, l, tensor::ExtractOp::create(b, l, sinCache, cacheAt), compute);
          Value xc = arith::MulFOp::create(b, l, x, cos);
          Value os = arith::MulFOp::create(b, l, other, sin);
          Value y = arith::SelectOp::create(b, l, first, arith::SubFOp::create(b, l, xc, os),
                                            arith::AddFOp::create(b, l, xc, os));
          y = arith::SelectOp::create(b, l, rotated, y, x);
          return toFloat(b, l, y, element);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// attention
//
// Query heads are split as [kv_heads, group] so that grouped-query attention
// is plain indexing: scores and probabilities are [B, kvH, G, S, T] over
// loops (b, kh, g, s, t).
//===----------------------------------------------------------------------===//

/// The loop dims of the score space.
enum ScoreDim : int64_t { kBatch, kKvHead, kGroup, kQuery, kKey, kNumScoreDims };

/// Operands of the attention core, in the layouts it reads.
struct AttentionInputs {
  Value query;  // [B, S, kvH, G, D]
  Value key;    // [B, kvH, T, D]: the past keys, then the new ones
  Value value;  // [B, kvH, T, Dv]
  Type compute; // element type of scores and accumulations
};

/// What attention_bias, the mask and causality do to each score: extra
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
    case tfm::MaskKind::key_last_index:
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
  }

  ArrayRef<Value> getOperands() const { return operands; }
  ArrayRef<AffineMap> getMaps() const { return maps; }

  /// The modified score; `extras` are this modifier's operands' scalars,
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
    Value hidden; // scores left out of the softmax entirely
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
      // GroupQueryAttention: sequence b ends at key `last`; with causality its
      // queries are the last S positions (from 0 in a right-padded first
      // prompt, whose padding queries see the whole sequence).
      Value last = toIndex(b, loc, *next++, maskUnsigned);
      Value limit = last;
      if (causal) {
        Value one = arith::ConstantIndexOp::create(b, loc, 1);
        Value past =
            arith::SubIOp::create(b, loc, arith::AddIOp::create(b, loc, last, one), queryLength);
        past = arith::MaxSIOp::create(b, loc, past, arith::ConstantIndexOp::create(b, loc, 0));
        limit = arith::MinSIOp::create(b, loc, arith::AddIOp::create(b, loc, past, s), last);
      }
      hidden = cmp(P::sgt, t, limit);
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

  /// A tensor broadcastable to [B, num_heads, S, T]; head h is (kh, g) with
  /// h = kh * group + g.
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
  Value pastLength, queryLength;
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

/// [B, L, kvH, D] -> [B, kvH, L, D], after `past` ([B, kvH, P, D]) if any.
Value appendToCache(OpBuilder &b, Location loc, Value x, Value past) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  std::swap(sizes[1], sizes[2]);
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  Value transposed = linalg::TransposeOp::create(b, loc, x, emptyTensor(b, loc, sizes, element),
                                                 ArrayRef<int64_t>{0, 2, 1, 3})
                         .getResult()[0];
  if (!past)
    return transposed;
  OpFoldResult pastLength = tensor::getMixedSize(b, loc, past, 2);
  SmallVector<OpFoldResult> newSizes(sizes);
  sizes[2] = addSizes(b, loc, pastLength, newSizes[2]);
  SmallVector<OpFoldResult> zeros(4, b.getIndexAttr(0)), ones(4, b.getIndexAttr(1));
  Value cache = emptyTensor(b, loc, sizes, element);
  cache = tensor::InsertSliceOp::create(b, loc, past, cache, zeros,
                                        tensor::getMixedSizes(b, loc, past), ones);
  SmallVector<OpFoldResult> offsets(zeros);
  offsets[2] = pastLength;
  return tensor::InsertSliceOp::create(b, loc, transposed, cache, offsets, newSizes, ones);
}

/// Q K^T as [B, kvH, G, S, T] over loops (b, kh, g, s, t, d).
Value buildScores(OpBuilder &b, Location loc, const AttentionInputs &in) {
  MLIRContext *ctx = b.getContext();
  SmallVector<OpFoldResult> sizes{
      tensor::getMixedSize(b, loc, in.query, 0), tensor::getMixedSize(b, loc, in.query, 2),
      tensor::getMixedSize(b, loc, in.query, 3), tensor::getMixedSize(b, loc, in.query, 1),
      tensor::getMixedSize(b, loc, in.key, 2)};
  Value zero = scalarConstant(b, loc, in.compute, 0.0);
  Value init = filledTensor(b, loc, sizes, in.compute, zero);
  int64_t d = kNumScoreDims;
  SmallVector<AffineMap> maps{dimsMap(ctx, d + 1, {kBatch, kQuery, kKvHead, kGroup, d}),
                              dimsMap(ctx, d + 1, {kBatch, kKvHead, kKey, d}),
                              dimsMap(ctx, d + 1, {kBatch, kKvHead, kGroup, kQuery, kKey})};
  return buildGeneric(b, loc, {in.query, in.key}, init, maps, iterators(d, 1),
                      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                        Value q = toFloat(nb, l, args[0], in.compute);
                        Value k = toFloat(nb, l, args[1], in.compute);
                        return arith::AddFOp::create(nb, l, args[2],
                                                     arith::MulFOp::create(nb, l, q, k));
                      });
}

/// scale * scores, then the bias, mask and causality; in place.
Value buildLogits(OpBuilder &b, Location loc, Value scores, Value scale,
                  const ScoreModifier &modifier) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps(modifier.getMaps());
  maps.push_back(AffineMap::getMultiDimIdentityMap(kNumScoreDims, ctx));
  return buildGeneric(b, loc, modifier.getOperands(), scores, maps, iterators(kNumScoreDims, 0),
                      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                        Value score = arith::MulFOp::create(nb, l, args.back(), scale);
                        return modifier.apply(nb, l, score, args.drop_back(), index(nb, l, kQuery),
                                              index(nb, l, kKey));
                      });
}

/// Reduces logits [B, kvH, G, S, T] over keys into [B, kvH, G, S].
Value reduceKeys(OpBuilder &b, Location loc, Value logits, Value init, ValueRange rowInputs,
                 function_ref<Value(OpBuilder &, Location, Value, Value, ValueRange)> combine) {
  MLIRContext *ctx = b.getContext();
  AffineMap rows = dimsMap(ctx, kNumScoreDims, {kBatch, kKvHead, kGroup, kQuery});
  SmallVector<Value> inputs{logits};
  inputs.append(rowInputs.begin(), rowInputs.end());
  SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(kNumScoreDims, ctx)};
  maps.append(rowInputs.size() + 1, rows);
  return buildGeneric(b, loc, inputs, init, maps, iterators(kQuery + 1, 1),
                      [&](OpBuilder &nb, Location l, ValueRange args) {
                        return combine(nb, l, args.back(), args[0],
                                       args.slice(1, rowInputs.size()));
                      });
}

/// softmax(logits) V as [B, S, kvH, G, Dv] of `element`: exponentials
/// relative to each row's maximum, their sums, the weighted values divided by
/// the sums. A row of -inf logits gives zeros rather than NaN.
Value attendValues(OpBuilder &b, Location loc, Value logits, Value value, Type element) {
  MLIRContext *ctx = b.getContext();
  auto logitsType = cast<RankedTensorType>(logits.getType());
  Type compute = logitsType.getElementType();
  SmallVector<OpFoldResult> rowSizes = tensor::getMixedSizes(b, loc, logits);
  rowSizes.pop_back();
  Value negInf = scalarConstant(b, loc, compute, -std::numeric_limits<double>::infinity());
  Value zero = scalarConstant(b, loc, compute, 0.0);

  Value rowMax = reduceKeys(b, loc, logits, filledTensor(b, loc, rowSizes, compute, negInf), {},
                            [](OpBuilder &nb, Location l, Value acc, Value x, ValueRange) {
                              return arith::MaximumFOp::create(nb, l, acc, x).getResult();
                            });
  AffineMap identity = AffineMap::getMultiDimIdentityMap(kNumScoreDims, ctx);
  AffineMap rows = dimsMap(ctx, kNumScoreDims, {kBatch, kKvHead, kGroup, kQuery});
  Value weights =
      buildGeneric(b, loc, {rowMax}, logits, {rows, identity}, iterators(kNumScoreDims, 0),
                   [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                     Value isInf =
                         arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, args[0], negInf);
                     Value max = arith::SelectOp::create(nb, l, isInf, zero, args[0]);
                     return math::ExpOp::create(nb, l, arith::SubFOp::create(nb, l, args[1], max));
                   });
  Value rowSum = reduceKeys(b, loc, weights, filledTensor(b, loc, rowSizes, compute, zero), {},
                            [](OpBuilder &nb, Location l, Value acc, Value x, ValueRange) {
                              return arith::AddFOp::create(nb, l, acc, x).getResult();
                            });

  // Loops (b, s, kh, g, dv, t).
  SmallVector<OpFoldResult> outSizes{rowSizes[kBatch], rowSizes[kQuery], rowSizes[kKvHead],
                                     rowSizes[kGroup], tensor::getMixedSize(b, loc, value, 3)};
  Value weighted = buildGeneric(
      b, loc, {weights, value}, filledTensor(b, loc, outSizes, compute, zero),
      {dimsMap(ctx, 6, {0, 2, 3, 1, 5}), dimsMap(ctx, 6, {0, 2, 5, 4}),
       dimsMap(ctx, 6, {0, 1, 2, 3, 4})},
      iterators(5, 1), [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value v = toFloat(nb, l, args[1], compute);
        return arith::AddFOp::create(nb, l, args[2], arith::MulFOp::create(nb, l, args[0], v));
      });
  return buildGeneric(b, loc, {weighted, rowSum}, emptyTensor(b, loc, outSizes, element),
                      {AffineMap::getMultiDimIdentityMap(5, ctx), dimsMap(ctx, 5, {0, 2, 3, 1}),
                       AffineMap::getMultiDimIdentityMap(5, ctx)},
                      iterators(5, 0), [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                        Value positive =
                            arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, args[1], zero);
                        Value y = arith::SelectOp::create(
                            nb, l, positive, arith::DivFOp::create(nb, l, args[0], args[1]), zero);
                        return toFloat(nb, l, y, element);
                      });
}

/// ONNX Runtime's default scale 1 / sqrt(head size), computed in f32.
Value defaultScale(OpBuilder &b, Location loc, OpFoldResult headSize, Type compute) {
  if (std::optional<int64_t> d = getConstantIntValue(headSize))
    return scalarConstant(b, loc, compute, 1.0f / std::sqrt(static_cast<float>(*d)));
  Type f32 = b.getF32Type();
  Value size = arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                          getValueOrCreateConstantIndexOp(b, loc, headSize));
  Value root = math::SqrtOp::create(b, loc, arith::SIToFPOp::create(b, loc, f32, size));
  Value scale = arith::DivFOp::create(b, loc, scalarConstant(b, loc, f32, 1.0), root);
  return toFloat(b, loc, scale, compute);
}

struct AttentionLowering : OpConversionPattern<tfm::AttentionOp> {
  using OpConversionPattern::OpConversionPattern;

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

    Value logits = buildLogits(rewriter, loc, buildScores(rewriter, loc, in), scale, modifier);
    Value context = attendValues(rewriter, loc, logits, in.value, element);
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
};

} // namespace

void lowering::populateTransformerPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns) {
  patterns.add<LayerNormLowering, RmsNormLowering, RotaryEmbeddingLowering, AttentionLowering>(
      converter, patterns.getContext());
}
