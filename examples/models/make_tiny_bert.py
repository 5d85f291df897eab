#!/usr/bin/env python3
"""Writes tiny_bert.onnxtxt: one BERT-style encoder layer (hidden 8, 2 heads,
FFN 16, vocabulary 32) in ONNX's text syntax, spelled the way PyTorch's
exporter spells it: shape chains for the head split, an additive mask,
LayerNormalization and erf GELU. Seeded weights; standard library only."""
import random

H, HEADS, FFN, VOCAB = 8, 2, 16, 32
rng = random.Random(2026)


def tensor(name, dims):
    n = 1
    for d in dims:
        n *= d
    values = ", ".join(f"{rng.gauss(0.0, 0.2):.4f}" for _ in range(n))
    return f"float[{','.join(map(str, dims))}] {name} = {{{values}}}"


inits = [
    tensor("word_emb", [VOCAB, H]), tensor("ln0_scale", [H]), tensor("ln0_bias", [H]),
    tensor("w_qkv", [H, 3 * H]), tensor("b_qkv", [3 * H]),
    tensor("w_out", [H, H]), tensor("b_out", [H]),
    tensor("ln1_scale", [H]), tensor("ln1_bias", [H]),
    tensor("w_ffn1", [H, FFN]), tensor("b_ffn1", [FFN]),
    tensor("w_ffn2", [FFN, H]), tensor("b_ffn2", [H]),
    tensor("ln2_scale", [H]), tensor("ln2_bias", [H]),
]

body = f"""
  emb = Gather (word_emb, input_ids)
  x0 = LayerNormalization <axis: int = -1, epsilon: float = 1e-12> (emb, ln0_scale, ln0_bias)
  qkv_mm = MatMul (x0, w_qkv)
  qkv = Add (qkv_mm, b_qkv)
  q, k, v = Split <axis: int = -1> (qkv, split_sizes)
  shape = Shape (x0)
  batch = Gather <axis: int = 0> (shape, zero)
  seq = Gather <axis: int = 0> (shape, one)
  batch1 = Unsqueeze (batch, axis0)
  seq1 = Unsqueeze (seq, axis0)
  heads_shape = Concat <axis: int = 0> (batch1, seq1, heads_dims)
  q4 = Reshape (q, heads_shape)
  k4 = Reshape (k, heads_shape)
  v4 = Reshape (v, heads_shape)
  qh = Transpose <perm: ints = [0, 2, 1, 3]> (q4)
  kh = Transpose <perm: ints = [0, 2, 3, 1]> (k4)
  vh = Transpose <perm: ints = [0, 2, 1, 3]> (v4)
  scores_raw = MatMul (qh, kh)
  scores = Div (scores_raw, sqrt_head)
  mask_f = Cast <to: int = 1> (attention_mask)
  mask_inv = Sub (one_f, mask_f)
  mask_add = Mul (mask_inv, neg_big)
  mask_4d = Unsqueeze (mask_add, axes12)
  masked = Add (scores, mask_4d)
  probs = Softmax <axis: int = -1> (masked)
  ctx4 = MatMul (probs, vh)
  ctx_t = Transpose <perm: ints = [0, 2, 1, 3]> (ctx4)
  hidden_shape = Concat <axis: int = 0> (batch1, seq1, hidden_dim)
  ctx = Reshape (ctx_t, hidden_shape)
  attn_mm = MatMul (ctx, w_out)
  attn = Add (attn_mm, b_out)
  res1 = Add (attn, x0)
  x1 = LayerNormalization <axis: int = -1, epsilon: float = 1e-12> (res1, ln1_scale, ln1_bias)
  f1_mm = MatMul (x1, w_ffn1)
  f1 = Add (f1_mm, b_ffn1)
  g_div = Div (f1, sqrt2)
  g_erf = Erf (g_div)
  g_add = Add (g_erf, one_f)
  g_mul = Mul (f1, g_add)
  gelu = Mul (g_mul, half)
  f2_mm = MatMul (gelu, w_ffn2)
  f2 = Add (f2_mm, b_ffn2)
  res2 = Add (f2, x1)
  hidden_states = LayerNormalization <axis: int = -1, epsilon: float = 1e-12> (res2, ln2_scale, ln2_bias)
"""

consts = [
    f"int64[3] split_sizes = {{{H}, {H}, {H}}}", "int64 zero = {0}", "int64 one = {1}",
    "int64[1] axis0 = {0}", f"int64[2] heads_dims = {{{HEADS}, {H // HEADS}}}",
    f"int64[1] hidden_dim = {{{H}}}", "int64[2] axes12 = {1, 2}",
    f"float sqrt_head = {{{(H // HEADS) ** 0.5:.6f}}}", "float one_f = {1.0}",
    "float neg_big = {-10000.0}", "float sqrt2 = {1.414214}", "float half = {0.5}",
]

with open("tiny_bert.onnxtxt", "w") as f:
    f.write("# One BERT-style encoder layer, written by make_tiny_bert.py.\n")
    f.write('<ir_version: 8, opset_import: ["" : 17], producer_name: "tfmc examples">\n')
    f.write("tiny_bert (int64[batch, sequence] input_ids, int64[batch, sequence] attention_mask)"
            f" => (float[batch, sequence, {H}] hidden_states)\n")
    f.write("  <" + ", ".join(inits + consts) + ">\n{" + body + "}\n")
