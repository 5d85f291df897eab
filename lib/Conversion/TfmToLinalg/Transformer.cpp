//===- Transformer.cpp - layer_norm, rms_norm, swiglu and rotary embeddings ===//
//
// Normalizations accumulate in f32 (ONNX's stash_type 1): as whole-tensor
// reductions and maps (the CPU), or with the row-kernels option (CUDA) as
// one loop over rows that does each row whole. Attention is in Attention.cpp.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;

namespace {

Value index(OpBuilder &b, Location loc, int64_t dim) {
  return linalg::IndexOp::create(b, loc, dim);
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

/// 1 / count (an index) as f32.
Value inverseOf(OpBuilder &b, Location loc, Value count) {
  Value asInt = arith::IndexCastOp::create(b, loc, b.getI64Type(), count);
  return reciprocal(b, loc, arith::SIToFPOp::create(b, loc, b.getF32Type(), asInt));
}

/// 1 / sqrt(sumOfSquares * invCount + epsilon), in f32.
Value inverseRoot(OpBuilder &b, Location loc, Value sumOfSquares, Value invCount,
                  float epsilon) {
  Value meanSquare = arith::MulFOp::create(b, loc, sumOfSquares, invCount);
  Value shifted = arith::AddFOp::create(b, loc, meanSquare,
                                        scalarConstant(b, loc, b.getF32Type(), epsilon));
  return reciprocal(b, loc, math::SqrtOp::create(b, loc, shifted));
}

/// ((x - mean) * invStdDev) * scale + bias of one input element `x`,
/// computed in f32 and returned as `element`; `mean` and `bias` may be null.
Value normalizedElement(OpBuilder &b, Location loc, Value x, Value mean, Value invStdDev,
                        Value scale, Value bias, Type element) {
  Type f32 = b.getF32Type();
  Value y = toFloat(b, loc, x, f32);
  if (mean)
    y = arith::SubFOp::create(b, loc, y, mean);
  y = arith::MulFOp::create(b, loc, y, invStdDev);
  y = arith::MulFOp::create(b, loc, y, toFloat(b, loc, scale, f32));
  if (bias)
    y = arith::AddFOp::create(b, loc, y, toFloat(b, loc, bias, f32));
  return toFloat(b, loc, y, element);
}

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
    return inverseOf(b, loc, count);
  }

  /// 1 / sqrt(sum * invCount + epsilon) of an [outer] sum of squares.
  Value inverseRoots(Value sumOfSquares, Value invCount, float epsilon) {
    return map({sumOfSquares}, [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
      return inverseRoot(nb, nloc, args[0], invCount, epsilon);
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
          unsigned next = 1;
          Value rowMean = mean ? args[next++] : Value();
          Value rowInvStdDev = args[next++];
          Value scaleElement = args[next++];
          return normalizedElement(nb, nloc, args[0], rowMean, rowInvStdDev, scaleElement,
                                   bias ? args[next] : Value(), element);
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

/// Whether a norm over `axis` of `input` with `scale` and `bias` (null when
/// absent) takes the row kernel: one normalized dim, the last, and
/// parameters that vary along it only.
bool fitsRowNorm(Value input, int64_t axis, Value scale, Value bias) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  if (rank < 2 || axis != rank - 1)
    return false;
  return llvm::all_of(ValueRange{scale, bias}, [&](Value param) {
    if (!param)
      return true;
    ArrayRef<int64_t> shape = cast<RankedTensorType>(param.getType()).getShape();
    return !shape.empty() && llvm::all_of(shape.drop_back(), [](int64_t d) { return d == 1; });
  });
}

/// The types of a LayerNorm's statistics outputs, null where not wanted.
struct StatTypes {
  RankedTensorType mean, invStdDev;
};

/// Dims 0 .. rank-1 as one group.
ReassociationIndices allDims(int64_t rank) { return llvm::to_vector(llvm::seq<int64_t>(0, rank)); }

/// A row kernel's scale and bias (either may be null) as [N] or [1]
/// tensors, appended to `params` with the maps reading them along a row
/// ([1] broadcast when the row is longer).
void appendRowParams(OpBuilder &b, Location loc, ValueRange scaleAndBias, int64_t rowLength,
                     SmallVectorImpl<Value> &params, SmallVectorImpl<AffineMap> &maps) {
  MLIRContext *ctx = b.getContext();
  for (Value param : scaleAndBias) {
    if (!param)
      continue;
    auto type = cast<RankedTensorType>(param.getType());
    if (type.getRank() > 1) {
      ReassociationIndices all = allDims(type.getRank());
      param = tensor::CollapseShapeOp::create(b, loc, param, ArrayRef<ReassociationIndices>{all});
    }
    params.push_back(param);
    bool broadcast = type.getShape().back() == 1 && rowLength != 1;
    maps.push_back(broadcast ? AffineMap::get(1, 0, getAffineConstantExpr(0, ctx), ctx)
                             : AffineMap::getMultiDimIdentityMap(1, ctx));
  }
}

/// A norm over the last dim as a row kernel (forEachRow): per row, f32 loops
/// sum the row (when `centered`) and its squares, then one loop writes the
/// normalized row, through the scalar rules Normalizer uses too. Returns the
/// output, then the statistics `stats` asks for.
SmallVector<Value> rowNorm(OpBuilder &b, Location loc, Value input, Value scale, Value bias,
                           bool centered, float epsilon, StatTypes stats = {}) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  Type f32 = b.getF32Type(), element = type.getElementType();
  SmallVector<ReassociationIndices> groups{allDims(rank - 1), {rank - 1}};
  Value rows = rank == 2 ? input : tensor::CollapseShapeOp::create(b, loc, input, groups);
  Value cols = tensor::DimOp::create(b, loc, rows, 1);
  Value invCount = inverseOf(b, loc, cols);
  AffineMap id = AffineMap::getMultiDimIdentityMap(1, b.getContext());
  SmallVector<Value> inputs{Value()}; // the row, set per row
  SmallVector<AffineMap> maps{id};
  appendRowParams(b, loc, {scale, bias}, type.getShape().back(), inputs, maps);
  maps.push_back(id);

  SmallVector<OpFoldResult> rowSizes = tensor::getMixedSizes(b, loc, rows);
  SmallVector<Value> outs{emptyTensor(b, loc, rowSizes, element)};
  for (RankedTensorType stat : {stats.mean, stats.invStdDev})
    if (stat)
      outs.push_back(emptyTensor(b, loc, rowSizes[0], f32));
  SmallVector<Value> results = forEachRow(b, loc, outs, [&](Value row, ValueRange dests) {
    Value zero = scalarConstant(b, loc, f32, 0.0);
    auto sumOfRow = [&](function_ref<Value(Value)> term) -> Value {
      return forLoop(b, loc, cols, 1, zero, [&](Value j, ValueRange acc) -> SmallVector<Value> {
        Value x = toFloat(b, loc, tensor::ExtractOp::create(b, loc, rows, ValueRange{row, j}), f32);
        return {arith::AddFOp::create(b, loc, acc[0], term(x))};
      })[0];
    };
    Value mean;
    if (centered)
      mean = arith::MulFOp::create(b, loc, sumOfRow([](Value x) { return x; }), invCount);
    Value sumOfSquares = sumOfRow([&](Value x) {
      return square(b, loc, mean ? arith::SubFOp::create(b, loc, x, mean).getResult() : x);
    });
    Value invStdDev = inverseRoot(b, loc, sumOfSquares, invCount, epsilon);
    OpFoldResult zeroIndex = b.getIndexAttr(0), one = b.getIndexAttr(1);
    inputs[0] = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({type.getShape().back()}, element), rows,
        ArrayRef<OpFoldResult>{row, zeroIndex}, ArrayRef<OpFoldResult>{one, rowSizes[1]},
        ArrayRef<OpFoldResult>{one, one});
    SmallVector<Value> values{buildGeneric(
        b, loc, inputs, dests[0], maps, iterators(1, 0),
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          return normalizedElement(nb, l, args[0], mean, invStdDev, args[1],
                                   bias ? args[2] : Value(), element);
        })};
    // Each statistic into its row's element.
    for (auto [stat, value] : {std::pair{stats.mean, mean}, {stats.invStdDev, invStdDev}})
      if (stat)
        values.push_back(
            tensor::InsertOp::create(b, loc, value, dests[values.size()], ValueRange{}));
    return values;
  });

  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, input);
  if (rank > 2)
    results[0] = tensor::ExpandShapeOp::create(b, loc, type, results[0], groups, sizes);
  // [R] statistics as the input's outer dims, then a 1.
  sizes.back() = b.getIndexAttr(1);
  auto stat = results.begin() + 1;
  for (RankedTensorType statType : {stats.mean, stats.invStdDev})
    if (statType) {
      *stat = tensor::ExpandShapeOp::create(b, loc, statType, *stat,
                                            ArrayRef<ReassociationIndices>{allDims(rank)}, sizes);
      ++stat;
    }
  return results;
}

/// A norm's lowering; `rowKernels` as populateTransformerPatterns takes it.
template <typename Op> struct NormLowering : OpConversionPattern<Op> {
  NormLowering(const TypeConverter &converter, MLIRContext *ctx, bool rowKernels)
      : OpConversionPattern<Op>(converter, ctx), rowKernels(rowKernels) {}

  bool rowKernels;
};

struct LayerNormLowering : NormLowering<tfm::LayerNormOp> {
  using NormLowering::NormLowering;

  LogicalResult matchAndRewrite(tfm::LayerNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t rank = op.getInput().getType().getRank();
    int64_t axis = *tfm::normalizeAxis(op.getAxis(), rank);
    if (rowKernels &&
        fitsRowNorm(adaptor.getInput(), axis, adaptor.getScale(), adaptor.getBias())) {
      StatTypes stats;
      if (op.getMean())
        stats.mean = convertedType(*getTypeConverter(), op.getMean());
      if (op.getInvStdDev())
        stats.invStdDev = convertedType(*getTypeConverter(), op.getInvStdDev());
      rewriter.replaceOp(op, rowNorm(rewriter, loc, adaptor.getInput(), adaptor.getScale(),
                                     adaptor.getBias(), /*centered=*/true,
                                     op.getEpsilon().convertToFloat(), stats));
      return success();
    }
    Normalizer norm(rewriter, loc, adaptor.getInput(), axis);
    Value invCount = norm.inverseCount();
    Value sum = norm.reduce({}, [](OpBuilder &, Location, Value x, ValueRange) { return x; });
    Value mean = norm.map({sum}, [&](OpBuilder &b, Location l, ValueRange args) -> Value {
      return arith::MulFOp::create(b, l, args[0], invCount);
    });
    Value sumOfSquares = norm.reduce({mean}, [](OpBuilder &b, Location l, Value x, ValueRange m) {
      return square(b, l, arith::SubFOp::create(b, l, x, m[0]));
    });
    Value invStdDev =
        norm.inverseRoots(sumOfSquares, invCount, op.getEpsilon().convertToFloat());
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

struct RmsNormLowering : NormLowering<tfm::RmsNormOp> {
  using NormLowering::NormLowering;

  LogicalResult matchAndRewrite(tfm::RmsNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    int64_t rank = op.getInput().getType().getRank();
    int64_t axis = *tfm::normalizeAxis(op.getAxis(), rank);
    if (rowKernels && fitsRowNorm(adaptor.getInput(), axis, adaptor.getScale(), Value())) {
      rewriter.replaceOp(op, rowNorm(rewriter, op.getLoc(), adaptor.getInput(), adaptor.getScale(),
                                     Value(), /*centered=*/false,
                                     op.getEpsilon().convertToFloat()));
      return success();
    }
    Normalizer norm(rewriter, op.getLoc(), adaptor.getInput(), axis);
    Value sumOfSquares = norm.reduce(
        {}, [](OpBuilder &b, Location l, Value x, ValueRange) { return square(b, l, x); });
    Value invRms =
        norm.inverseRoots(sumOfSquares, norm.inverseCount(), op.getEpsilon().convertToFloat());
    rewriter.replaceOp(op, norm.normalize(Value(), invRms, adaptor.getScale(), Value()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// swiglu
//===----------------------------------------------------------------------===//

/// silu(gate) * up = gate / (1 + exp(-gate)) * up, elementwise with the
/// binary ops' broadcasting; f16 and bf16 compute in f32.
struct SwiGluLowering : OpConversionPattern<tfm::SwiGluOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::SwiGluOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = convertedType(*getTypeConverter(), op.getOutput());
    Type element = type.getElementType(), t = computeType(element);
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, op.getType(), op->getOperands(), adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value gate = toFloat(b, loc, args[0], t), up = toFloat(b, loc, args[1], t);
          Value expNeg = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, gate));
          Value denom = arith::AddFOp::create(b, loc, scalarConstant(b, loc, t, 1.0), expNeg);
          Value silu = arith::DivFOp::create(b, loc, gate, denom);
          return toFloat(b, loc, arith::MulFOp::create(b, loc, silu, up), element);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// rotary_embedding
//===----------------------------------------------------------------------===//

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

} // namespace

void lowering::populateTransformerPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns, bool rowKernels) {
  patterns.add<LayerNormLowering, RmsNormLowering>(converter, patterns.getContext(), rowKernels);
  patterns.add<SwiGluLowering, RotaryEmbeddingLowering>(converter, patterns.getContext());
}
