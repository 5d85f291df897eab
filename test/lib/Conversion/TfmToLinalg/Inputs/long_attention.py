"""Models and data for the attention lowering's long-sequence and numerics
tests: single com.microsoft MultiHeadAttention nodes, seeded inputs, and
numpy references (float64, a max-subtracted softmax).

Usage:
  long_attention.py long DIR          causal MHA over [1, seq, HEADS * 64] and
                                      q/k/v.bin holding MAX_SEQ rows each
  long_attention.py check DIR SEQ     compares DIR/out_SEQ.bin with numpy
  long_attention.py numerics DIR      DIR/<case>.onnx and DIR/<case>/*.npy
                                      (inputs and expected outputs)
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h

HEADS, HEAD_SIZE, MAX_SEQ = 4, 64, 4096
HIDDEN = HEADS * HEAD_SIZE


def mha_model(path, heads, batch, seq, hidden, unidirectional=0, mask=None, filter_value=None):
    """One MultiHeadAttention node over query/key/value [batch, seq, hidden],
    with an int32 key_padding_mask [batch, seq] when `mask` is set."""
    names = ["query", "key", "value"]
    inputs = [h.make_tensor_value_info(n, T.FLOAT, [batch, seq, hidden]) for n in names]
    if mask:
        names += ["", "key_padding_mask"]
        inputs.append(h.make_tensor_value_info("key_padding_mask", T.INT32, [batch, seq]))
    attrs = {"num_heads": heads, "unidirectional": unidirectional}
    if filter_value is not None:
        attrs["mask_filter_value"] = filter_value
    node = h.make_node("MultiHeadAttention", names, ["output"], domain="com.microsoft", **attrs)
    output = h.make_tensor_value_info("output", T.FLOAT, [batch, seq, hidden])
    graph = h.make_graph([node], os.path.basename(path)[:-5], inputs, [output])
    model = h.make_model(graph, opset_imports=[h.make_opsetid("", 17),
                                               h.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    onnx.save(model, path)


def reference(q, k, v, heads, causal=False, mask=None, filter_value=-10000.0):
    """ONNX Runtime's MultiHeadAttention in float64; a row whose logits are
    all -inf gives 0 (tfmc's definition; ORT's softmax is NaN there)."""
    b, s, hidden = q.shape
    d = hidden // heads
    split = lambda x: x.astype(np.float64).reshape(b, -1, heads, d).transpose(0, 2, 1, 3)
    logits = split(q) @ split(k).transpose(0, 1, 3, 2) / np.sqrt(d)
    if mask is not None:
        logits = np.where(mask[:, None, None, :] > 0, logits, logits + filter_value)
    if causal:
        future = np.triu(np.ones((s, k.shape[1]), bool), 1)
        logits = np.where(future, np.finfo(np.float32).min, logits)
    top = logits.max(-1, keepdims=True)
    weights = np.exp(logits - np.where(np.isneginf(top), 0, top))
    sums = weights.sum(-1, keepdims=True)
    probs = np.divide(weights, sums, out=np.zeros_like(weights), where=sums > 0)
    return (probs @ split(v)).transpose(0, 2, 1, 3).reshape(b, s, -1)


def long_inputs():
    rng = np.random.default_rng(4096)
    return [rng.standard_normal((MAX_SEQ, HIDDEN)).astype(np.float32) for _ in range(3)]


def make_long(out):
    mha_model(os.path.join(out, "mha.onnx"), HEADS, 1, "seq", HIDDEN, unidirectional=1)
    for name, x in zip("qkv", long_inputs()):
        x.tofile(os.path.join(out, name + ".bin"))


def check(out, seq):
    q, k, v = (x[None, :seq] for x in long_inputs())
    got = np.fromfile(os.path.join(out, "out_%d.bin" % seq), np.float32).reshape(1, seq, HIDDEN)
    want = reference(q, k, v, HEADS, causal=True)
    err = np.abs(got - want).max()
    print("seq %d: max error %s 1e-4" % (seq, "<" if err < 1e-4 else ">="))
    return 0 if err < 1e-4 else 1


def save_case(out, name, heads, inputs, expected, **model_args):
    b, s, hidden = inputs["query"].shape
    mha_model(os.path.join(out, name + ".onnx"), heads, b, s, hidden, **model_args)
    os.makedirs(os.path.join(out, name), exist_ok=True)
    for key, x in list(inputs.items()) + [("expected_output", expected.astype(np.float32))]:
        np.save(os.path.join(out, name, key + ".npy"), x)


def make_numerics(out):
    rng = np.random.default_rng(7)
    b, s, heads, d = 2, 200, 2, 16
    # Integer queries and keys make every logit exact in float32, also once
    # -10000 is added to it.
    ints = lambda bound: rng.integers(-bound, bound + 1, (b, s, heads * d)).astype(np.float32)
    values = lambda: rng.standard_normal((b, s, heads * d)).astype(np.float32)

    # Logits up to 1e4, spread over several key blocks, so the running max
    # and sum are rescaled on the way.
    q, k, v = ints(50), ints(50), values()
    save_case(out, "large_logits", heads, {"query": q, "key": k, "value": v},
              reference(q, k, v, heads))

    # Batch 1 attends to no key: with ORT's -10000 filter its rows average
    # every value; with a -inf filter they are 0, not NaN.
    q, k, v = ints(2), ints(2), values()
    mask = np.ones((b, s), np.int32)
    mask[0, 150:] = 0
    mask[1, :] = 0
    inputs = {"query": q, "key": k, "value": v, "key_padding_mask": mask}
    save_case(out, "masked_row", heads, inputs, reference(q, k, v, heads, mask=mask), mask=True)
    save_case(out, "masked_row_inf", heads, inputs,
              reference(q, k, v, heads, mask=mask, filter_value=-np.inf), mask=True,
              filter_value=-np.inf)


def main():
    command, out = sys.argv[1], sys.argv[2]
    if command == "check":
        return check(out, int(sys.argv[3]))
    os.makedirs(out, exist_ok=True)
    {"long": make_long, "numerics": make_numerics}[command](out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
