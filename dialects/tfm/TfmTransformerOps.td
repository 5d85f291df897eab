//===- TfmTransformerOps.td - high-level transformer ops --*- tablegen -*-===//
//
// One representation per concept: ONNX LayerNormalization and Gelu, ONNX
// Runtime's contrib ops and the fusion passes all produce these ops.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_TRANSFORMER_OPS_TD
#define TFM_TRANSFORMER_OPS_TD

include "TfmOpBase.td"

def Tfm_GeluOp : Tfm_RuleOp<"gelu", [Tfm_SameShapeAsFirst]> {
  let summary = "GELU, exact (erf) or tanh / sigmoid approximated";
  let arguments = (ins Tfm_FloatTensor:$input,
                   DefaultValuedAttr<Tfm_GeluApproxAttr,
                                     "::tfmc::tfm::GeluApproximation::none">:$approximate);
  let results = (outs Tfm_FloatTensor:$output);
}

def Tfm_SwiGluOp : Tfm_RuleOp<"swiglu", [Tfm_Broadcasting]> {
  let summary = "SwiGLU gating: silu(gate) * up, with silu(x) = x * sigmoid(x)";
  let arguments = (ins Tfm_FloatTensor:$gate, Tfm_FloatTensor:$up);
  let results = (outs Tfm_FloatTensor:$output);
}

def Tfm_LayerNormOp : Tfm_InferOp<"layer_norm", [AttrSizedResultSegments]> {
  let summary = "layer normalization over the axes from `axis` on (ONNX LayerNormalization)";
  let description = [{
    `mean` and `inv_std_dev` are ONNX's optional outputs, shaped like the input
    with the normalized axes set to 1, in the `stash_type` element type.
  }];
  let arguments = (ins Tfm_FloatTensor:$input, Tfm_FloatTensor:$scale,
                   Optional<Tfm_FloatTensor>:$bias,
                   DefaultValuedAttr<SI64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1e-5">:$epsilon,
                   DefaultValuedAttr<SI64Attr, "1">:$stash_type);
  let results = (outs Tfm_FloatTensor:$output, Optional<Tfm_FloatTensor>:$mean,
                  Optional<Tfm_FloatTensor>:$inv_std_dev);
  let assemblyFormat = [{
    $input `,` $scale (`bias` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Tfm_RmsNormOp : Tfm_InferOp<"rms_norm"> {
  let summary = "RMS normalization: x / sqrt(mean(x^2) + epsilon) * scale";
  let arguments = (ins Tfm_FloatTensor:$input, Tfm_FloatTensor:$scale,
                   DefaultValuedAttr<SI64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1e-5">:$epsilon);
  let results = (outs Tfm_FloatTensor:$output);
}

def Tfm_RotaryEmbeddingOp : Tfm_InferOp<"rotary_embedding"> {
  let summary = "rotary position embedding on [B, S, H*D] or [B, H, S, D]";
  let description = [{
    Rotates the first `rotary_embedding_dim` features of each head (all when
    0) by the angles in `cos_cache`/`sin_cache` ([max_position, dim/2]),
    gathered at `position_ids` ([B, S]) when given, else taken as
    [B, S, dim/2] already. `interleaved` pairs (2i, 2i+1); otherwise the two
    halves are paired (GPT-NeoX / Llama).
  }];
  let arguments = (ins Tfm_FloatTensor:$input, Optional<Tfm_IndexTensor>:$position_ids,
                   Tfm_FloatTensor:$cos_cache, Tfm_FloatTensor:$sin_cache,
                   DefaultValuedAttr<BoolAttr, "false">:$interleaved,
                   DefaultValuedAttr<SI64Attr, "0">:$num_heads,
                   DefaultValuedAttr<SI64Attr, "0">:$rotary_embedding_dim);
  let results = (outs Tfm_FloatTensor:$output);
  let assemblyFormat = [{
    $input (`positions` $position_ids^)? `cos` $cos_cache `sin` $sin_cache attr-dict `:`
    functional-type(operands, results)
  }];
}

def Tfm_AttentionOp : Tfm_InferOp<"attention", [AttrSizedOperandSegments,
                                                 AttrSizedResultSegments]> {
  let summary = "scaled dot-product multi-head attention with optional KV cache";
  let description = [{
    `query` is [B, S, num_heads * D], `key` [B, T, kv_heads * D] and `value`
    [B, T, kv_heads * Dv]. With `past_key`/`past_value` ([B, kv_heads, P, D])
    the keys attended are the past ones followed by the new ones, and
    `present_key`/`present_value` ([B, kv_heads, P + T, D]) return that
    concatenation. `kv_num_heads` < `num_heads` is grouped-query attention.
    Scores are scaled by `scale` (default 1/sqrt(D)); `causal` lets query i
    see keys up to P + i; `mask` is read as `mask_kind` says; `attention_bias`
    is added to the scores. The result is [B, S, num_heads * Dv].
    Keys a 0/1, length or bounds mask hides get `mask_filter_value` added to
    their scores (ONNX Runtime's attribute and default).
  }];
  let arguments = (ins Tfm_FloatTensor:$query, Tfm_FloatTensor:$key, Tfm_FloatTensor:$value,
                   Optional<Tfm_NumericTensor>:$mask,
                   Optional<Tfm_FloatTensor>:$past_key, Optional<Tfm_FloatTensor>:$past_value,
                   Optional<Tfm_FloatTensor>:$attention_bias,
                   SI64Attr:$num_heads, OptionalAttr<SI64Attr>:$kv_num_heads,
                   OptionalAttr<F32Attr>:$scale,
                   DefaultValuedAttr<BoolAttr, "false">:$causal,
                   DefaultValuedAttr<Tfm_MaskKindAttr, "::tfmc::tfm::MaskKind::none">:$mask_kind,
                   DefaultValuedAttr<F32Attr, "-10000.0f">:$mask_filter_value);
  let results = (outs Tfm_FloatTensor:$output, Optional<Tfm_FloatTensor>:$present_key,
                  Optional<Tfm_FloatTensor>:$present_value);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` $mask^)? (`past` `(` $past_key^ `,` $past_value `)`)?
    (`bias` $attention_bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    int64_t getKvHeads() { return getKvNumHeads().value_or(getNumHeads()); }
  }];
}

#endif // TFM_TRANSFORMER_OPS_TD
