#!/usr/bin/env python3
"""Writes single-op models covering tfm's high-level ops, for
compare_with_ort.py: ONNX Runtime's contrib Attention (each mask layout, past,
bias), MultiHeadAttention, GroupQueryAttention (prompt, decoding, rotary),
RotaryEmbedding, the norms, the quantization ops, and transposes that move
the innermost dim (run as 16x16 register tiles, masked at the edges).

Usage: make_op_models.py OUT_DIR
"""

from __future__ import annotations

import os
import sys

import onnx
from onnx import TensorProto as T
from onnx import helper as h

MS = "com.microsoft"


def tensor(name, elem, shape):
    return h.make_tensor_value_info(name, elem, shape)


def save(out_dir, name, node, inputs, outputs, opset=21, initializers=()):
    graph = h.make_graph([node], name, inputs, outputs, initializer=list(initializers))
    model = h.make_model(graph, opset_imports=[h.make_opsetid("", opset),
                                               h.make_opsetid(MS, 1)])
    model.ir_version = 10
    onnx.save(model, os.path.join(out_dir, name + ".onnx"))


def attention_models(out):
    B, S, P, N, D = "batch", "seq_len", "past_seq_len", 4, 8
    hidden = N * D
    x = tensor("input", T.FLOAT, [B, S, hidden])
    w = tensor("weight", T.FLOAT, [hidden, 3 * hidden])
    bias = tensor("bias", T.FLOAT, [3 * hidden])
    y = tensor("output", T.FLOAT, [B, S, hidden])
    past = tensor("past", T.FLOAT, [2, B, N, P, D])
    present = tensor("present", T.FLOAT, [2, B, N, "total_seq_len", D])

    def attention(name, extra_inputs, extra_outputs, names, **attrs):
        node = h.make_node("Attention", ["input", "weight", "bias"] + names,
                           ["output"] + [o.name for o in extra_outputs], domain=MS,
                           num_heads=N, **attrs)
        save(out, name, node, [x, w, bias] + extra_inputs, [y] + extra_outputs)

    # Key padding over past + new keys, causal: GPT-2 decoding.
    attention("attn_mask2d_causal_past",
              [tensor("mask_index", T.INT32, [B, "total_seq_len"]), past], [present],
              ["mask_index", "past"], unidirectional=1)
    attention("attn_mask2d", [tensor("mask_index", T.INT32, [B, S])], [], ["mask_index"])
    attention("attn_mask1d_lengths", [tensor("mask_index", T.INT32, [B])], [], ["mask_index"],
              scale=0.3)
    # [2B] bounds need a batch size the importer can double.
    node = h.make_node("Attention", ["input", "weight", "bias", "mask_index"], ["output"],
                       domain=MS, num_heads=N, unidirectional=1)
    save(out, "attn_mask1d_bounds", node,
         [tensor("input", T.FLOAT, [2, S, hidden]), w, bias,
          tensor("mask_index", T.INT32, [4])], [tensor("output", T.FLOAT, [2, S, hidden])])
    attention("attn_mask1d_lengths_past", [tensor("mask_index", T.INT32, [B]), past], [present],
              ["mask_index", "past"], unidirectional=1)
    attention("attn_mask3d", [tensor("mask_index", T.INT32, [B, S, S])], [], ["mask_index"])
    attention("attn_bias_causal", [tensor("attention_bias", T.FLOAT, [1, N, S, S])], [],
              ["", "", "attention_bias"], unidirectional=1)
    # The lowest float as filter (GPT-2 exports): fully masked rows average
    # all values.
    attention("attn_mask2d_causal_past_lowest",
              [tensor("mask_index", T.INT32, [B, "total_seq_len"]), past], [present],
              ["mask_index", "past"], unidirectional=1, mask_filter_value=-3.4028234663852886e38)
    # Uneven Q/K and V sizes.
    vh = 16
    node = h.make_node("Attention", ["input", "weight", "bias"], ["output"], domain=MS,
                       num_heads=N, qkv_hidden_sizes=[hidden, hidden, vh])
    save(out, "attn_qkv_sizes", node,
         [x, tensor("weight", T.FLOAT, [hidden, 2 * hidden + vh]),
          tensor("bias", T.FLOAT, [2 * hidden + vh])], [tensor("output", T.FLOAT, [B, S, vh])])


def mha_models(out):
    B, S, L, P, N, D = "batch", "seq_len", "kv_seq_len", "past_seq_len", 2, 8
    hidden = N * D
    q = tensor("query", T.FLOAT, [B, S, hidden])
    y = tensor("output", T.FLOAT, [B, S, hidden])
    node = h.make_node("MultiHeadAttention",
                       ["query", "key", "value", "bias", "key_padding_mask", "attention_bias",
                        "past_key", "past_value"],
                       ["output", "present_key", "present_value"], domain=MS, num_heads=N)
    save(out, "mha_self_past", node,
         [q, tensor("key", T.FLOAT, [B, S, hidden]), tensor("value", T.FLOAT, [B, S, hidden]),
          tensor("bias", T.FLOAT, [3 * hidden]),
          tensor("key_padding_mask", T.INT32, [B, "total_seq_len"]),
          tensor("attention_bias", T.FLOAT, [B, N, S, "total_seq_len"]),
          tensor("past_key", T.FLOAT, [B, N, P, D]), tensor("past_value", T.FLOAT, [B, N, P, D])],
         [y, tensor("present_key", T.FLOAT, [B, N, "total_seq_len", D]),
          tensor("present_value", T.FLOAT, [B, N, "total_seq_len", D])])
    node = h.make_node("MultiHeadAttention", ["query", "key", "value", "", "key_padding_mask"],
                       ["output"], domain=MS, num_heads=N, unidirectional=1)
    save(out, "mha_causal_lengths", node,
         [q, tensor("key", T.FLOAT, [B, S, hidden]), tensor("value", T.FLOAT, [B, S, hidden]),
          tensor("key_padding_mask", T.INT32, [B])], [y])
    node = h.make_node("MultiHeadAttention", ["query", "key", "value", "", "key_padding_mask"],
                       ["output"], domain=MS, num_heads=N)
    save(out, "mha_cross_padding", node,
         [q, tensor("key", T.FLOAT, [B, L, hidden]), tensor("value", T.FLOAT, [B, L, hidden]),
          tensor("key_padding_mask", T.INT32, [B, L])], [y])
    node = h.make_node("MultiHeadAttention", ["query", "key", "value"], ["output"], domain=MS,
                       num_heads=N, scale=0.2)
    save(out, "mha_cross_bnsh", node,
         [q, tensor("key", T.FLOAT, [B, N, L, D]), tensor("value", T.FLOAT, [B, N, L, D])], [y])


def gqa_models(out):
    """Decoding (one new token after a past) and a first prompt whose second
    sequence is right-padded (seqlens_k is a constant [S - 1, 3]; with
    rotary, unpadded: the importer's positions seqlens_k + 1 - S + i are
    negative for padded prompts, ORT's are i)."""
    B, P, N, KV, D = 2, "past_seq_len", 4, 2, 16
    total = "total_seq_len"
    names = ["query", "key", "value", "past_key", "past_value", "seqlens_k",
             "total_sequence_length", "cos_cache", "sin_cache"]
    rope = [tensor("cos_cache", T.FLOAT, [64, D // 2]), tensor("sin_cache", T.FLOAT, [64, D // 2])]
    for mode, S in (("decode", 1), ("prompt", 7)):
        inputs = [tensor("query", T.FLOAT, [B, S, N * D]), tensor("key", T.FLOAT, [B, S, KV * D]),
                  tensor("value", T.FLOAT, [B, S, KV * D])]
        initializers = []
        if mode == "decode":
            inputs += [tensor("past_key", T.FLOAT, [B, KV, P, D]),
                       tensor("past_value", T.FLOAT, [B, KV, P, D]),
                       tensor("seqlens_k", T.INT32, [B]),
                       tensor("total_sequence_length", T.INT32, [])]
            present = total
            used = names
        else:
            present = S
            used = names[:3] + ["", ""] + names[5:]
        outs = [tensor("output", T.FLOAT, [B, S, N * D]),
                tensor("present_key", T.FLOAT, [B, KV, present, D]),
                tensor("present_value", T.FLOAT, [B, KV, present, D])]
        for rotary in (None, 0, 1):
            if mode == "prompt":
                lengths = [S - 1, 3 if rotary is None else S - 1]
                initializers = [h.make_tensor("seqlens_k", T.INT32, [B], lengths),
                                h.make_tensor("total_sequence_length", T.INT32, [], [S])]
            attrs = dict(num_heads=N, kv_num_heads=KV)
            model_inputs, node_inputs = list(inputs), used[:7]
            name = f"gqa_{mode}"
            if rotary is not None:
                attrs.update(do_rotary=1, rotary_interleaved=rotary)
                model_inputs += rope
                node_inputs = used
                name += f"_rotary_i{rotary}"
            node = h.make_node("GroupQueryAttention", node_inputs, [o.name for o in outs],
                               domain=MS, **attrs)
            save(out, name, node, model_inputs, outs, initializers=initializers)


def rotary_models(out):
    B, S, N, D = "batch", "seq_len", 2, 8
    pos = tensor("position_ids", T.INT64, [B, S])
    for interleaved in (0, 1):
        for rdim in (0, 4):
            half = (rdim or D) // 2
            cos = tensor("cos_cache", T.FLOAT, [32, half])
            sin = tensor("sin_cache", T.FLOAT, [32, half])
            attrs = dict(interleaved=interleaved, num_heads=N)
            if rdim:
                attrs["rotary_embedding_dim"] = rdim
            node = h.make_node("RotaryEmbedding",
                               ["input", "position_ids", "cos_cache", "sin_cache"], ["output"],
                               domain=MS, **attrs)
            x = tensor("input", T.FLOAT, [B, S, N * D])
            save(out, f"rotary_i{interleaved}_r{rdim}", node, [x, pos, cos, sin],
                 [tensor("output", T.FLOAT, [B, S, N * D])])
    node = h.make_node("RotaryEmbedding", ["input", "position_ids", "cos_cache", "sin_cache"],
                       ["output"], domain=MS)
    save(out, "rotary_4d", node,
         [tensor("input", T.FLOAT, [B, N, S, D]), pos, tensor("cos_cache", T.FLOAT, [32, D // 2]),
          tensor("sin_cache", T.FLOAT, [32, D // 2])],
         [tensor("output", T.FLOAT, [B, N, S, D])])


def norm_models(out):
    B, S, H = "batch", "seq_len", 16
    for elem, suffix in ((T.FLOAT, ""), (T.FLOAT16, "_f16")):
        node = h.make_node("LayerNormalization", ["x", "scale", "bias"],
                           ["y", "mean", "inv_std_dev"], axis=-1, epsilon=1e-3)
        save(out, "layernorm_stats" + suffix, node,
             [tensor("x", elem, [B, S, H]), tensor("scale", elem, [H]),
              tensor("bias", elem, [H])],
             [tensor("y", elem, [B, S, H]), tensor("mean", T.FLOAT, [B, S, 1]),
              tensor("inv_std_dev", T.FLOAT, [B, S, 1])], opset=17)
    node = h.make_node("LayerNormalization", ["x", "scale"], ["y"], axis=1)
    save(out, "layernorm_axis1", node,
         [tensor("x", T.FLOAT, [B, 3, H]), tensor("scale", T.FLOAT, [3, H])],
         [tensor("y", T.FLOAT, [B, 3, H])], opset=17)
    node = h.make_node("SkipLayerNormalization", ["input", "skip", "gamma", "beta", "bias"],
                       ["output", "", "", "input_skip_bias_sum"], domain=MS, epsilon=1e-5)
    save(out, "skip_layernorm", node,
         [tensor("input", T.FLOAT, [B, S, H]), tensor("skip", T.FLOAT, [B, S, H]),
          tensor("gamma", T.FLOAT, [H]), tensor("beta", T.FLOAT, [H]),
          tensor("bias", T.FLOAT, [H])],
         [tensor("output", T.FLOAT, [B, S, H]), tensor("input_skip_bias_sum", T.FLOAT, [B, S, H])])
    node = h.make_node("SkipSimplifiedLayerNormalization", ["input", "skip", "gamma"],
                       ["output"], domain=MS, epsilon=1e-6)
    save(out, "skip_rmsnorm", node,
         [tensor("input", T.FLOAT, [B, S, H]), tensor("skip", T.FLOAT, [B, S, H]),
          tensor("gamma", T.FLOAT, [H])], [tensor("output", T.FLOAT, [B, S, H])])
    node = h.make_node("SimplifiedLayerNormalization", ["x", "scale"], ["y"], axis=-1,
                       epsilon=1e-5)
    save(out, "rmsnorm_f16", node,
         [tensor("x", T.FLOAT16, [B, S, H]), tensor("scale", T.FLOAT16, [H])],
         [tensor("y", T.FLOAT16, [B, S, H])], opset=17)


def quant_models(out):
    x = tensor("x", T.FLOAT, [6, 8])
    cases = [
        ("quant_per_tensor_u8", [], T.UINT8, {}),
        ("quant_per_axis_i8", [8], T.INT8, {"axis": 1}),
        ("quant_per_axis_i16", [6], T.INT16, {"axis": 0}),
        ("quant_block_u16", [6, 3], T.UINT16, {"axis": 1, "block_size": 3}),
        ("quant_block_i8", [2, 8], T.INT8, {"axis": 0, "block_size": 4}),
    ]
    for name, sshape, qtype, attrs in cases:
        scale = tensor("y_scale", T.FLOAT, sshape)
        zp = tensor("y_zero_point", qtype, sshape)
        node = h.make_node("QuantizeLinear", ["x", "y_scale", "y_zero_point"], ["y"], **attrs)
        save(out, name, node, [x, scale, zp], [tensor("y", qtype, [6, 8])])
        node = h.make_node("DequantizeLinear", ["q", "y_scale", "y_zero_point"], ["y"], **attrs)
        save(out, name.replace("quant", "dequant"), node,
             [tensor("q", qtype, [6, 8]), scale, zp], [tensor("y", T.FLOAT, [6, 8])])
    node = h.make_node("QuantizeLinear", ["x", "y_scale", "y_zero_point"], ["y"])
    save(out, "quant_f16", node,
         [tensor("x", T.FLOAT16, [6, 8]), tensor("y_scale", T.FLOAT16, []),
          tensor("y_zero_point", T.INT8, [])], [tensor("y", T.INT8, [6, 8])])
    node = h.make_node("DequantizeLinear", ["q", "x_scale"], ["y"])
    save(out, "dequant_i32", node, [tensor("q", T.INT32, [6, 8]), tensor("x_scale", T.FLOAT, [])],
         [tensor("y", T.FLOAT, [6, 8])])
    node = h.make_node("DynamicQuantizeLinear", ["x"], ["y", "y_scale", "y_zero_point"])
    save(out, "dynamic_quant", node, [tensor("x", T.FLOAT, ["seq_len", 5])],
         [tensor("y", T.UINT8, ["seq_len", 5]), tensor("y_scale", T.FLOAT, []),
          tensor("y_zero_point", T.UINT8, [])])


def transpose_models(out):
    # Attention's K^T: [batch, seq, heads, head_dim] -> [batch, heads, head_dim, seq].
    node = h.make_node("Transpose", ["x"], ["y"], perm=[0, 2, 3, 1])
    save(out, "transpose_kt", node, [tensor("x", T.FLOAT, ["batch", "seq_len", 3, 20])],
         [tensor("y", T.FLOAT, ["batch", 3, 20, "seq_len"])])
    # 2-D, both dims with tails.
    node = h.make_node("Transpose", ["x"], ["y"], perm=[1, 0])
    save(out, "transpose_2d", node, [tensor("x", T.FLOAT, [35, 19])],
         [tensor("y", T.FLOAT, [19, 35])])
    # The dims that trade places are not the last two of the target.
    node = h.make_node("Transpose", ["x"], ["y"], perm=[2, 0, 1])
    save(out, "transpose_rotate", node, [tensor("x", T.FLOAT, [17, 9, 33])],
         [tensor("y", T.FLOAT, [33, 17, 9])])


def main() -> int:
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/ort_check/ops"
    os.makedirs(out, exist_ok=True)
    for make in (attention_models, mha_models, gqa_models, rotary_models, norm_models,
                 quant_models, transpose_models):
        make(out)
    print(f"wrote models to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
