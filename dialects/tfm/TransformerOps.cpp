//===- TransformerOps.cpp - attention, norms, rotary: constraints, shapes -===//

#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"

using namespace mlir;
using namespace tfmc::tfm;

static Type elementOf(Value v) { return getElementTypeOrSelf(v.getType()); }

/// Scale (and bias) must broadcast to the normalized trailing dims.
static LogicalResult verifyNormParams(Operation *op, Value input, ValueRange params,
                                      int64_t axis) {
  Dims dims = getDims(input.getType());
  Dims normalized(dims.begin() + axis, dims.end());
  for (Value p : params) {
    if (!p)
      continue;
    if (elementOf(p) != elementOf(input))
      return op->emitOpError("scale and bias must have the input's element type");
    std::optional<Dims> b = broadcastShapes(normalized, getDims(p.getType()));
    if (!b || b->size() != normalized.size())
      return op->emitOpError("scale and bias must broadcast to the normalized dims");
  }
  return success();
}

LogicalResult LayerNormOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims dims = getDims(getInput().getType());
  std::optional<int64_t> axis = normalizeAxis(getAxis(), dims.size());
  if (!axis)
    return emitOpError("axis ") << getAxis() << " is out of range for rank " << dims.size();
  if (failed(verifyNormParams(*this, getInput(), {getScale(), getBias()}, *axis)))
    return failure();
  if (getStashType() != 1)
    return emitOpError("stash_type must be 1 (float32)");
  types.push_back(getInput().getType());
  Dims stats = dims;
  for (size_t i = *axis; i < stats.size(); ++i)
    stats[i] = Dim(1);
  Type f32 = Float32Type::get(getContext());
  if (getMean())
    types.push_back(makeTensorType(stats, f32));
  if (getInvStdDev())
    types.push_back(makeTensorType(stats, f32));
  return success();
}

LogicalResult RmsNormOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  int64_t rank = getInput().getType().getRank();
  std::optional<int64_t> axis = normalizeAxis(getAxis(), rank);
  if (!axis)
    return emitOpError("axis ") << getAxis() << " is out of range for rank " << rank;
  if (failed(verifyNormParams(*this, getInput(), {getScale()}, *axis)))
    return failure();
  types.push_back(getInput().getType());
  return success();
}

LogicalResult RotaryEmbeddingOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims dims = getDims(getInput().getType());
  if (dims.size() != 3 && dims.size() != 4)
    return emitOpError("input must be [B, S, H*D] or [B, H, S, D]");
  if (dims.size() == 3 && getNumHeads() <= 0)
    return emitOpError("num_heads is required for a 3-D input");
  Dims cos = getDims(getCosCache().getType()), sin = getDims(getSinCache().getType());
  if (cos.size() != sin.size() || (cos.size() != 2 && cos.size() != 3))
    return emitOpError("cos_cache and sin_cache must both be 2-D or 3-D");
  Dim head = dims.size() == 4 ? dims[3] : dims[2].divideExactly(Dim(getNumHeads()));
  Dim rotary = getRotaryEmbeddingDim() ? Dim(getRotaryEmbeddingDim()) : head;
  if (cos.back().provablyDifferent(rotary.divideExactly(Dim(2))) && rotary.isStatic())
    return emitOpError("cos_cache's last dim must be rotary_embedding_dim / 2 = ")
           << rotary.divideExactly(Dim(2)).print();
  types.push_back(getInput().getType());
  return success();
}

LogicalResult AttentionOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims q = getDims(getQuery().getType()), k = getDims(getKey().getType()),
       v = getDims(getValue().getType());
  if (q.size() != 3 || k.size() != 3 || v.size() != 3)
    return emitOpError("query, key and value must be [B, S, heads * head_size]");
  int64_t heads = getNumHeads(), kvHeads = getKvHeads();
  if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0)
    return emitOpError("num_heads (") << heads << ") must be a positive multiple of "
                                      << "kv_num_heads (" << kvHeads << ")";
  Dim headSize = q[2].divideExactly(Dim(heads));
  Dim kvHeadSize = k[2].divideExactly(Dim(kvHeads));
  Dim vHeadSize = v[2].divideExactly(Dim(kvHeads));
  if (q[2].isStatic() && !headSize.isKnown())
    return emitOpError("query hidden size ") << q[2].print() << " is not divisible by "
                                             << heads << " heads";
  if (headSize.provablyDifferent(kvHeadSize))
    return emitOpError("query and key head sizes differ: ")
           << headSize.print() << " vs " << kvHeadSize.print();
  if (k[1].provablyDifferent(v[1]))
    return emitOpError("key and value sequence lengths differ");
  if (q[0].provablyDifferent(k[0]) || q[0].provablyDifferent(v[0]))
    return emitOpError("query, key and value batch sizes differ");
  if (!getPastKey() != !getPastValue())
    return emitOpError("past_key and past_value go together");
  if ((getMask() == nullptr) != (getMaskKind() == MaskKind::none))
    return emitOpError("mask and mask_kind go together");

  Dim total = k[1];
  if (getPastKey()) {
    Dims pk = getDims(getPastKey().getType()), pv = getDims(getPastValue().getType());
    if (pk.size() != 4 || pv.size() != 4)
      return emitOpError("past_key and past_value must be [B, kv_heads, P, head_size]");
    if (pk[1].provablyDifferent(Dim(kvHeads)) || pk[3].provablyDifferent(kvHeadSize))
      return emitOpError("past_key is ") << getPastKey().getType() << ", expected [B, "
                                         << kvHeads << ", P, " << kvHeadSize.print() << "]";
    total = pk[2] + k[1];
  }
  if (!getPresentKey() != !getPresentValue())
    return emitOpError("present_key and present_value go together");

  Dims out{q[0], q[1], vHeadSize * Dim(heads)};
  types.push_back(makeTensorType(out, elementOf(getQuery())));
  if (getPresentKey()) {
    types.push_back(makeTensorType({q[0], Dim(kvHeads), total, kvHeadSize}, elementOf(getKey())));
    types.push_back(
        makeTensorType({q[0], Dim(kvHeads), total, vHeadSize}, elementOf(getValue())));
  }
  return success();
}
