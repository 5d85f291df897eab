//===- ContribOps.cpp - ONNX Runtime's com.microsoft operators ------------===//
//
// ORT's fused ops are rebuilt from tfm's own ops: projections as matmul and
// add, the core as tfm.attention / layer_norm / rms_norm / gelu /
// rotary_embedding, so that one concept has one representation whether it
// came from ORT's optimizer or from tfmc's fusion passes.
//
//===----------------------------------------------------------------------===//

#include "NodeImporter.h"

#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"

using namespace mlir;
using namespace tfmc;
using tfm::MaskKind;

namespace {

/// Chains of tfm ops for one node; the first failure short-circuits the rest.
class Emitter {
public:
  explicit Emitter(NodeImporter &n) : n(n) {}

  Value op(llvm::StringRef name, ValueRange operands, ArrayRef<NamedAttribute> attrs = {}) {
    if (failed_)
      return {};
    for (Value v : operands)
      if (!v) {
        (void)n.fail("a required input is missing");
        return fail();
      }
    FailureOr<Value> r = n.create1(name, operands, attrs);
    if (mlir::failed(r))
      return fail();
    return *r;
  }
  SmallVector<Value> multi(llvm::StringRef name, ValueRange operands,
                           ArrayRef<NamedAttribute> attrs, unsigned results) {
    if (failed_)
      return {};
    FailureOr<Operation *> r = n.create(name, operands, attrs, results);
    if (mlir::failed(r)) {
      fail();
      return {};
    }
    return SmallVector<Value>((*r)->getResults());
  }
  Value add(Value a, Value b) { return b ? op("tfm.add", {a, b}) : a; }
  Value axisAttrOp(llvm::StringRef name, Value x, ArrayRef<int64_t> axes) {
    return op(name, {x, n.constantI64(axes)});
  }
  Value unsqueeze(Value x, ArrayRef<int64_t> axes) {
    return axisAttrOp("tfm.unsqueeze", x, axes);
  }
  Value squeeze(Value x, ArrayRef<int64_t> axes) { return axisAttrOp("tfm.squeeze", x, axes); }
  Value reshape(Value x, ArrayRef<int64_t> shape) { return axisAttrOp("tfm.reshape", x, shape); }
  Value transpose(Value x, ArrayRef<int64_t> perm) {
    return op("tfm.transpose", {x},
              {n.named("perm", DenseI64ArrayAttr::get(n.builder.getContext(), perm))});
  }
  Value cast(Value x, Type element) {
    return op("tfm.cast", {x}, {n.named("to", TypeAttr::get(element))});
  }
  Value concat(ValueRange xs, int64_t axis) {
    return op("tfm.concat", xs, {n.named("axis", n.si64(axis))});
  }
  SmallVector<Value> split(Value x, int64_t axis, ArrayRef<int64_t> sizes, unsigned parts) {
    SmallVector<Value> operands{x};
    if (!sizes.empty())
      operands.push_back(n.constantI64(sizes));
    return multi("tfm.split", operands, {n.named("axis", n.si64(axis))}, parts);
  }

  bool failed() const { return failed_; }
  Value fail() {
    failed_ = true;
    return {};
  }

  NodeImporter &n;

private:
  bool failed_ = false;
};

/// How an ORT attention mask is laid out, from its rank and size.
FailureOr<MaskKind> maskKindOf(NodeImporter &n, Value mask, Value query) {
  auto type = cast<RankedTensorType>(mask.getType());
  switch (type.getRank()) {
  case 1: {
    tfm::Dim batch = tfm::getDims(query.getType())[0];
    tfm::Dim size = tfm::getDims(mask.getType())[0];
    if (size.provablyEqual(batch * tfm::Dim(2)))
      return MaskKind::key_bounds;
    if (size.provablyEqual(batch) || (!size.isKnown() && !batch.isKnown()))
      return MaskKind::key_lengths;
    return n.fail("1-D mask must have B or 2B entries, got " + size.print());
  }
  case 2: return MaskKind::key_padding;
  case 3: return MaskKind::query_key;
  case 4: return MaskKind::megatron;
  default: return n.fail("mask must have rank 1 to 4");
  }
}

/// ONNX Runtime's default mask_filter_value (tfm.attention's too).
constexpr float kDefaultMaskFilterValue = -10000.0f;

struct AttentionParts {
  AttentionParts(Value query, Value key, Value value, int64_t numHeads, float scale,
                 bool causal)
      : query(query), key(key), value(value), numHeads(numHeads), scale(scale),
        causal(causal) {}

  Value query, key, value, mask, pastKey, pastValue, bias;
  int64_t numHeads, kvNumHeads = 0;
  /// 0 means ORT's default, 1/sqrt(head size).
  float scale;
  bool causal;
  /// Added to the scores of keys the mask hides.
  float maskFilterValue = kDefaultMaskFilterValue;
  MaskKind maskKind = MaskKind::none;
  bool wantPresent = false;
};

/// Emits tfm.attention; returns {output, present_key, present_value}.
SmallVector<Value> emitAttention(Emitter &e, const AttentionParts &p) {
  NodeImporter &n = e.n;
  if (e.failed())
    return {};
  MLIRContext *ctx = n.builder.getContext();
  SmallVector<Value> operands{p.query, p.key, p.value};
  SmallVector<int32_t> segments{1, 1, 1};
  for (Value v : {p.mask, p.pastKey, p.pastValue, p.bias}) {
    segments.push_back(v ? 1 : 0);
    if (v)
      operands.push_back(v);
  }
  SmallVector<NamedAttribute> attrs{n.named("num_heads", n.si64(p.numHeads)),
                                    n.named("causal", BoolAttr::get(ctx, p.causal))};
  if (p.kvNumHeads && p.kvNumHeads != p.numHeads)
    attrs.push_back(n.named("kv_num_heads", n.si64(p.kvNumHeads)));
  if (p.scale != 0.0f)
    attrs.push_back(n.named("scale", n.builder.getF32FloatAttr(p.scale)));
  if (p.mask)
    attrs.push_back(n.named("mask_kind", tfm::MaskKindAttr::get(ctx, p.maskKind)));
  if (p.maskFilterValue != kDefaultMaskFilterValue)
    attrs.push_back(n.named("mask_filter_value", n.builder.getF32FloatAttr(p.maskFilterValue)));
  int present = p.wantPresent ? 1 : 0;
  FailureOr<Operation *> op = n.create("tfm.attention", operands, attrs, 1 + 2 * present,
                                       segments, {1, present, present});
  if (failed(op)) {
    e.fail();
    return {};
  }
  return SmallVector<Value>((*op)->getResults());
}

/// Emits tfm.attention and maps its results onto the node's outputs in order.
LogicalResult emitAttentionOutputs(Emitter &e, const AttentionParts &p) {
  SmallVector<Value> results = emitAttention(e, p);
  if (e.failed())
    return failure();
  for (size_t i = 0; i < results.size(); ++i)
    e.n.setOutput(i, results[i]);
  return success();
}

/// Attention and QAttention: one packed QKV projection, past/present as
/// [2, B, N, S, H].
LogicalResult importPackedAttention(NodeImporter &n, Value input, Value weight, Value bias,
                                    Value mask, Value past, Value attentionBias) {
  if (failed(n.checkAttributes({"num_heads", "unidirectional", "qkv_hidden_sizes",
                                "mask_filter_value", "scale", "do_rotary",
                                "past_present_share_buffer"})))
    return failure();
  FailureOr<int64_t> heads = n.intAttr("num_heads", 0), uni = n.intAttr("unidirectional", 0),
                     rotary = n.intAttr("do_rotary", 0),
                     shared = n.intAttr("past_present_share_buffer", 0);
  FailureOr<float> scale = n.floatAttr("scale", 0.0f),
                   filter = n.floatAttr("mask_filter_value", kDefaultMaskFilterValue);
  auto sizes = n.intsAttr("qkv_hidden_sizes");
  if (failed(heads) || failed(uni) || failed(rotary) || failed(shared) || failed(scale) ||
      failed(filter) || failed(sizes))
    return failure();
  if (*rotary || *shared)
    return n.fail("do_rotary and past_present_share_buffer are not supported");

  Emitter e(n);
  Value qkv = e.add(e.op("tfm.matmul", {input, weight}), bias);
  SmallVector<int64_t> splitSizes;
  if (*sizes)
    splitSizes.assign((*sizes)->begin(), (*sizes)->end());
  SmallVector<Value> parts = e.split(qkv, -1, splitSizes, 3);
  if (e.failed())
    return failure();

  AttentionParts p(parts[0], parts[1], parts[2], *heads, *scale, *uni != 0);
  p.maskFilterValue = *filter;
  p.bias = attentionBias;
  p.wantPresent = n.hasOutput(1);
  if (mask) {
    FailureOr<MaskKind> kind = maskKindOf(n, mask, input);
    if (failed(kind))
      return failure();
    p.mask = mask;
    p.maskKind = *kind;
  }
  if (past) {
    SmallVector<Value> kv = e.split(past, 0, {}, 2);
    if (e.failed())
      return failure();
    p.pastKey = e.squeeze(kv[0], {0});
    p.pastValue = e.squeeze(kv[1], {0});
  }
  SmallVector<Value> results = emitAttention(e, p);
  if (e.failed())
    return failure();
  n.setOutput(0, results[0]);
  if (p.wantPresent)
    n.setOutput(1, e.concat({e.unsqueeze(results[1], {0}), e.unsqueeze(results[2], {0})}, 0));
  return failure(e.failed());
}

LogicalResult importAttention(NodeImporter &n) {
  if (n.input(6))
    return n.fail("past_sequence_length is not supported");
  return importPackedAttention(n, n.input(0), n.input(1), n.input(2), n.input(3), n.input(4),
                               n.input(5));
}

LogicalResult importQAttention(NodeImporter &n) {
  // Inputs: input, weight, bias, input_scale, weight_scale, mask_index,
  // input_zero_point, weight_zero_point, past.
  Emitter e(n);
  auto dequantize = [&](Value x, Value scale, Value zeroPoint) -> Value {
    if (e.failed() || !x || !scale)
      return e.fail();
    SmallVector<Value> operands{x, scale};
    if (zeroPoint)
      operands.push_back(zeroPoint);
    return e.op("tfm.dequantize_linear", operands, {n.named("axis", n.si64(-1))});
  };
  Value input = dequantize(n.input(0), n.input(3), n.input(6));
  Value weight = dequantize(n.input(1), n.input(4), n.input(7));
  if (e.failed())
    return failure();
  return importPackedAttention(n, input, weight, n.input(2), n.input(5), n.input(8), Value());
}

/// [B, N, L, H] -> [B, L, N*H].
Value mergeHeads(Emitter &e, Value x) {
  return e.reshape(e.transpose(x, {0, 2, 1, 3}), {0, 0, -1});
}

LogicalResult importMultiHeadAttention(NodeImporter &n) {
  if (failed(n.checkAttributes({"num_heads", "mask_filter_value", "scale", "unidirectional"})))
    return failure();
  FailureOr<int64_t> heads = n.intAttr("num_heads", 0), uni = n.intAttr("unidirectional", 0);
  FailureOr<float> scale = n.floatAttr("scale", 0.0f),
                   filter = n.floatAttr("mask_filter_value", kDefaultMaskFilterValue);
  if (failed(heads) || failed(uni) || failed(scale) || failed(filter))
    return failure();
  for (size_t i = 8; i < n.numInputs(); ++i)
    if (n.input(i))
      return n.fail("input #" + Twine(i) + " (past_sequence_length, cache_indirection) is "
                    "not supported");
  Value query = n.input(0), key = n.input(1), value = n.input(2), bias = n.input(3);
  if (!key || !value || cast<RankedTensorType>(query.getType()).getRank() != 3)
    return n.fail("packed QKV or packed KV inputs are not supported");

  Emitter e(n);
  bool crossPrecomputed = cast<RankedTensorType>(key.getType()).getRank() == 4;
  if (bias) {
    SmallVector<Value> b = e.split(bias, 0, {}, 3);
    if (e.failed())
      return failure();
    query = e.add(query, b[0]);
    // Precomputed cross-attention keys and values already carry their bias.
    if (!crossPrecomputed) {
      key = e.add(key, b[1]);
      value = e.add(value, b[2]);
    }
  }
  if (crossPrecomputed) {
    key = mergeHeads(e, key);
    value = mergeHeads(e, value);
  }
  // The mask's layout is read off the query, which is null if its bias failed.
  if (e.failed())
    return failure();

  AttentionParts p(query, key, value, *heads, *scale, *uni != 0);
  p.maskFilterValue = *filter;
  p.bias = n.input(5);
  p.pastKey = n.input(6);
  p.pastValue = n.input(7);
  p.wantPresent = n.hasOutput(1) || n.hasOutput(2);
  if (Value mask = n.input(4)) {
    FailureOr<MaskKind> kind = maskKindOf(n, mask, query);
    if (failed(kind))
      return failure();
    if (*kind == MaskKind::megatron)
      return n.fail("a 4-D key_padding_mask is not supported");
    p.mask = mask;
    p.maskKind = *kind;
  }
  return emitAttentionOutputs(e, p);
}

LogicalResult importGroupQueryAttention(NodeImporter &n) {
  if (failed(n.checkAttributes({"num_heads", "kv_num_heads", "scale", "local_window_size",
                                "do_rotary", "rotary_interleaved", "softcap",
                                "smooth_softmax"})))
    return failure();
  FailureOr<int64_t> heads = n.intAttr("num_heads", 0), kvHeads = n.intAttr("kv_num_heads", 0),
                     window = n.intAttr("local_window_size", -1),
                     rotary = n.intAttr("do_rotary", 0),
                     interleaved = n.intAttr("rotary_interleaved", 0),
                     smooth = n.intAttr("smooth_softmax", 0);
  FailureOr<float> scale = n.floatAttr("scale", 0.0f), softcap = n.floatAttr("softcap", 0.0f);
  if (failed(heads) || failed(kvHeads) || failed(window) || failed(rotary) ||
      failed(interleaved) || failed(smooth) || failed(scale) || failed(softcap))
    return failure();
  if (*window != -1 || *softcap != 0.0f || *smooth)
    return n.fail("local_window_size, softcap and smooth_softmax are not supported");
  Value query = n.input(0), key = n.input(1), value = n.input(2), seqlens = n.input(5);
  if (!key || !value)
    return n.fail("packed QKV input is not supported");
  if (!seqlens)
    return n.fail("seqlens_k is required");

  Emitter e(n);
  if (*rotary) {
    // Positions continue each sequence: seqlens_k + 1 - S + [0, S).
    Type i64 = n.builder.getI64Type();
    Value s = e.op("tfm.dim", {query}, {n.named("index", n.builder.getI64IntegerAttr(1))});
    Value total = e.add(e.cast(seqlens, i64), n.constantI64({1}, true));
    Value start = e.unsqueeze(e.op("tfm.sub", {total, s}), {1});
    Value steps = e.op("tfm.range", {n.constantI64({0}, true), s, n.constantI64({1}, true)});
    Value positions = e.add(start, steps);
    auto rope = [&](Value x, int64_t numHeads) {
      return e.op("tfm.rotary_embedding", {x, positions, n.input(7), n.input(8)},
                  {n.named("interleaved", n.builder.getBoolAttr(*interleaved != 0)),
                   n.named("num_heads", n.si64(numHeads))});
    };
    query = rope(query, *heads);
    key = rope(key, *kvHeads);
  }
  AttentionParts p(query, key, value, *heads, *scale, /*causal=*/true);
  p.kvNumHeads = *kvHeads;
  p.pastKey = n.input(3);
  p.pastValue = n.input(4);
  p.mask = seqlens;
  p.maskKind = MaskKind::key_last_index;
  p.wantPresent = n.hasOutput(1) || n.hasOutput(2);
  return emitAttentionOutputs(e, p);
}

/// SkipLayerNormalization and SkipSimplifiedLayerNormalization: the norm of
/// input + skip (+ bias), with the sum as an optional output.
LogicalResult importSkipNorm(NodeImporter &n, bool simplified) {
  if (failed(n.checkAttributes({"epsilon"})))
    return failure();
  FailureOr<float> eps = n.floatAttr("epsilon", 1e-12f);
  if (failed(eps))
    return failure();
  if (n.hasOutput(1) || n.hasOutput(2))
    return n.fail("the mean and inv_std_var outputs are not supported");
  Value gamma = n.input(2), beta = simplified ? Value() : n.input(3);
  Value bias = n.input(simplified ? 3 : 4);
  Emitter e(n);
  Value sum = e.add(e.add(n.input(0), n.input(1)), bias);
  NamedAttribute epsilon = n.named("epsilon", n.builder.getF32FloatAttr(*eps));
  Value out;
  if (simplified) {
    out = e.op("tfm.rms_norm", {sum, gamma}, {epsilon});
  } else {
    SmallVector<Value> operands{sum, gamma};
    if (beta)
      operands.push_back(beta);
    out = e.op("tfm.layer_norm", operands,
               {epsilon, n.named("resultSegmentSizes", n.builder.getDenseI32ArrayAttr({1, 0, 0}))});
  }
  if (e.failed())
    return failure();
  n.setOutput(0, out);
  n.setOutput(3, sum);
  return success();
}

LogicalResult importSimplifiedLayerNorm(NodeImporter &n) {
  FailureOr<NormAttributes> attrs = readNormAttributes(n);
  if (failed(attrs))
    return failure();
  if (attrs->stashType != 1)
    return n.fail("stash_type must be 1 (float32)");
  Emitter e(n);
  Value x = n.input(0);
  Value out = e.op("tfm.rms_norm", {x, n.input(1)},
                   {n.named("axis", n.si64(attrs->axis)),
                    n.named("epsilon", n.builder.getF32FloatAttr(attrs->epsilon))});
  if (n.hasOutput(1) && !e.failed()) {
    // inv_std_var = 1 / sqrt(mean(x^2 over the normalized axes) + epsilon).
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    int64_t first = attrs->axis < 0 ? attrs->axis + rank : attrs->axis;
    SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(first, rank));
    Value meanSquare = e.op("tfm.reduce_mean", {e.op("tfm.mul", {x, x}), n.constantI64(axes)});
    Value variance = e.add(meanSquare, n.constantF32(attrs->epsilon));
    n.setOutput(1, e.op("tfm.reciprocal", {e.op("tfm.sqrt", {variance})}));
  }
  if (e.failed())
    return failure();
  n.setOutput(0, out);
  return success();
}

LogicalResult importEmbedLayerNorm(NodeImporter &n) {
  if (failed(n.checkAttributes({"epsilon", "mask_index_type"})))
    return failure();
  FailureOr<float> eps = n.floatAttr("epsilon", 1e-12f);
  FailureOr<int64_t> maskIndexType = n.intAttr("mask_index_type", 1);
  if (failed(eps) || failed(maskIndexType))
    return failure();
  if (*maskIndexType != 1)
    return n.fail("mask_index_type " + Twine(*maskIndexType) + " is not supported");
  // Inputs: input_ids, segment_ids, word_embedding, position_embedding,
  // segment_embedding, gamma, beta, mask, position_ids.
  Value ids = n.input(0);
  Emitter e(n);
  Value sum = e.op("tfm.gather", {n.input(2), ids});
  Value positions = n.input(8);
  if (!positions) {
    // Positions 0..S-1, shared by the batch.
    Value s = e.op("tfm.dim", {ids}, {n.named("index", n.builder.getI64IntegerAttr(1))});
    positions = e.op("tfm.range", {n.constantI64({0}, true), s, n.constantI64({1}, true)});
  }
  sum = e.add(sum, e.op("tfm.gather", {n.input(3), positions}));
  if (n.input(1) && n.input(4))
    sum = e.add(sum, e.op("tfm.gather", {n.input(4), n.input(1)}));
  SmallVector<Value> operands{sum, n.input(5)};
  if (n.input(6))
    operands.push_back(n.input(6));
  Value out = e.op("tfm.layer_norm", operands,
                   {n.named("epsilon", n.builder.getF32FloatAttr(*eps)),
                    n.named("resultSegmentSizes", n.builder.getDenseI32ArrayAttr({1, 0, 0}))});
  if (n.hasOutput(1)) {
    // mask_index: the number of attended tokens per sequence.
    Type i32 = n.builder.getI32Type();
    Value maskIndex;
    if (Value mask = n.input(7)) {
      maskIndex = e.op("tfm.reduce_sum", {e.cast(mask, i32), n.constantI64({1})},
                       {n.named("keepdims", n.si64(0))});
    } else {
      Value batch = e.op("tfm.shape", {ids}, {n.named("end", n.si64(1))});
      auto zero = DenseElementsAttr::get(RankedTensorType::get({1}, i32), int32_t(0));
      maskIndex = e.op("tfm.constant_of_shape", {batch}, {n.named("value", zero)});
    }
    n.setOutput(1, maskIndex);
  }
  if (e.failed())
    return failure();
  n.setOutput(0, out);
  n.setOutput(2, sum);
  return success();
}

NodeHandler geluHandler(tfm::GeluApproximation approx, bool withBias) {
  return [approx, withBias](NodeImporter &n) -> LogicalResult {
    if (failed(n.checkAttributes({})))
      return failure();
    Emitter e(n);
    Value x = withBias ? e.add(n.input(0), n.input(1)) : n.input(0);
    Value out = e.op(
        "tfm.gelu", {x},
        {n.named("approximate", tfm::GeluApproximationAttr::get(n.builder.getContext(), approx))});
    if (e.failed())
      return failure();
    n.setOutput(0, out);
    return success();
  };
}

LogicalResult importFusedMatMul(NodeImporter &n) {
  if (failed(n.checkAttributes({"alpha", "transA", "transB", "transBatchA", "transBatchB"})))
    return failure();
  FailureOr<float> alpha = n.floatAttr("alpha", 1.0f);
  FailureOr<int64_t> ta = n.intAttr("transA", 0), tb = n.intAttr("transB", 0),
                     tba = n.intAttr("transBatchA", 0), tbb = n.intAttr("transBatchB", 0);
  if (failed(alpha) || failed(ta) || failed(tb) || failed(tba) || failed(tbb))
    return failure();
  if (*tba || *tbb)
    return n.fail("transBatchA and transBatchB are not supported");
  Emitter e(n);
  auto swapLast = [&](Value x) {
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    if (rank < 2) {
      (void)n.fail("transA and transB need inputs of rank >= 2");
      return e.fail();
    }
    SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(perm[rank - 1], perm[rank - 2]);
    return e.transpose(x, perm);
  };
  Value a = *ta ? swapLast(n.input(0)) : n.input(0);
  Value b = *tb ? swapLast(n.input(1)) : n.input(1);
  Value out = e.op("tfm.matmul", {a, b});
  if (*alpha != 1.0f && !e.failed()) {
    auto type = RankedTensorType::get({}, getElementTypeOrSelf(out.getType()));
    if (!isa<FloatType>(type.getElementType()))
      return n.fail("alpha != 1 needs floating-point inputs");
    Value scale = tfm::ConstantOp::create(n.builder,
        n.loc, type, DenseElementsAttr::get(type, n.builder.getFloatAttr(type.getElementType(),
                                                                           *alpha)));
    out = e.op("tfm.mul", {out, scale});
  }
  if (e.failed())
    return failure();
  n.setOutput(0, out);
  return success();
}

LogicalResult importRotaryEmbedding(NodeImporter &n) {
  if (failed(n.checkAttributes({"interleaved", "num_heads", "rotary_embedding_dim", "scale",
                                "is_packed_batching"})))
    return failure();
  FailureOr<int64_t> interleaved = n.intAttr("interleaved", 0),
                     heads = n.intAttr("num_heads", 0),
                     dim = n.intAttr("rotary_embedding_dim", 0),
                     packed = n.intAttr("is_packed_batching", 0);
  FailureOr<float> scale = n.floatAttr("scale", 1.0f);
  if (failed(interleaved) || failed(heads) || failed(dim) || failed(packed) || failed(scale))
    return failure();
  if (*packed || *scale != 1.0f)
    return n.fail("is_packed_batching and scale != 1 are not supported");
  Emitter e(n);
  Value x = n.input(0), positions = n.input(1);
  auto positionsType = positions ? cast<RankedTensorType>(positions.getType()) : nullptr;
  if (positionsType && positionsType.getRank() == 1 && positionsType.getDimSize(0) == 1) {
    // ORT reads a one-element position_ids as the first token's position;
    // tfm.rotary_embedding wants [B, S]: offset + [0, S), broadcast to B.
    int64_t seqAxis = cast<RankedTensorType>(x.getType()).getRank() == 4 ? 2 : 1;
    auto dim = [&](int64_t i) {
      return e.op("tfm.dim", {x}, {n.named("index", n.builder.getI64IntegerAttr(i))});
    };
    Value s = dim(seqAxis);
    Value offset = positions;
    if (!positionsType.getElementType().isInteger(64))
      offset = e.cast(offset, n.builder.getI64Type());
    Value steps = e.op("tfm.range", {n.constantI64({0}, true), s, n.constantI64({1}, true)});
    Value row = e.unsqueeze(e.add(offset, steps), {0});
    Value shape = e.concat({e.unsqueeze(dim(0), {0}), e.unsqueeze(s, {0})}, 0);
    positions = e.op("tfm.expand", {row, shape});
  }
  Value out = e.op("tfm.rotary_embedding", {x, positions, n.input(2), n.input(3)},
                   {n.named("interleaved", n.builder.getBoolAttr(*interleaved != 0)),
                    n.named("num_heads", n.si64(*heads)),
                    n.named("rotary_embedding_dim", n.si64(*dim))});
  if (e.failed())
    return failure();
  n.setOutput(0, out);
  return success();
}

} // namespace

/// `handler` after checking that the inputs ORT requires are present.
static NodeHandler requiring(std::vector<unsigned> required, NodeHandler handler) {
  return [required, handler](NodeImporter &n) -> LogicalResult {
    if (failed(n.requireInputs(required)))
      return failure();
    return handler(n);
  };
}

const llvm::StringMap<ContribEntry> &tfmc::contribOpTable() {
  static const llvm::StringMap<ContribEntry> table = [] {
    using G = tfm::GeluApproximation;
    llvm::StringMap<ContribEntry> t;
    auto add = [&](const char *op, std::vector<unsigned> required, NodeHandler h,
                   const char *becomes) { t[op] = {requiring(std::move(required), h), becomes}; };
    add("Attention", {0, 1}, importAttention, "tfm.matmul, tfm.split, tfm.attention");
    add("QAttention", {0, 1, 2, 3, 4}, importQAttention,
        "tfm.dequantize_linear, tfm.matmul, tfm.attention");
    add("MultiHeadAttention", {0}, importMultiHeadAttention, "tfm.attention");
    add("GroupQueryAttention", {0, 5}, importGroupQueryAttention,
        "tfm.rotary_embedding, tfm.attention (kv_num_heads)");
    add("SkipLayerNormalization", {0, 1, 2},
        [](NodeImporter &n) { return importSkipNorm(n, false); }, "tfm.add, tfm.layer_norm");
    add("SkipSimplifiedLayerNormalization", {0, 1, 2},
        [](NodeImporter &n) { return importSkipNorm(n, true); }, "tfm.add, tfm.rms_norm");
    add("SimplifiedLayerNormalization", {0, 1}, importSimplifiedLayerNorm, "tfm.rms_norm");
    add("EmbedLayerNormalization", {0, 2, 3, 5}, importEmbedLayerNorm,
        "tfm.gather, tfm.add, tfm.layer_norm");
    add("FastGelu", {0}, geluHandler(G::tanh, true), "tfm.gelu (tanh)");
    add("BiasGelu", {0, 1}, geluHandler(G::none, true), "tfm.add, tfm.gelu");
    add("Gelu", {0}, geluHandler(G::none, false), "tfm.gelu");
    add("FusedMatMul", {0, 1}, importFusedMatMul, "tfm.transpose, tfm.matmul, tfm.mul");
    add("RotaryEmbedding", {0, 1, 2, 3}, importRotaryEmbedding, "tfm.rotary_embedding");
    return t;
  }();
  return table;
}
