#!/usr/bin/env python3
"""Checks the zoo's exported models with onnxruntime (run it with the .venv
python: onnx, numpy, onnxruntime).

    .venv/bin/python tools/zoo/check_ort.py DIR|MODEL.onnx... [--tol 1e-4]

For every DIR/<stem>.onnx (or MODEL.onnx) and each DIR/<stem>.inputs_<k>/:
  - every graph input/output dim is a number or a declared name;
  - the session runs on the input set; each output's shape is its declared
    one, with names bound by the inputs (batch, sequence, total_sequence...);
  - outputs are finite and match expected_<output>.npy (the torch module's
    outputs, written at export) within TOL relative to the tensor's largest
    magnitude.
Decoders with past (gpt2, llama) also run a prefill-then-decode check: the
last token's logits (and the presents) of a full-sequence prefill equal those
of a prefill of all tokens but the last followed by one decode step that
takes the prefill's presents as past.
Prints one line per model and input set; exits 1 after the first failure.
"""
import argparse
import glob
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort


class Failure(Exception):
    pass


def rel_err(got, want):
    scale = max(float(np.abs(want).max()) if want.size else 0.0, 1e-30)
    return float(np.abs(got.astype(np.float64) - want).max()) / scale if want.size else 0.0


def declared(value_infos):
    """{name: [int | str]} from graph inputs/outputs; unnamed dynamic dims fail."""
    dims = {}
    for vi in value_infos:
        ds = []
        for i, d in enumerate(vi.type.tensor_type.shape.dim):
            if d.HasField("dim_value"):
                ds.append(d.dim_value)
            elif d.HasField("dim_param"):
                ds.append(d.dim_param)
            else:
                raise Failure(f"{vi.name}: dim {i} neither static nor named")
        dims[vi.name] = ds
    return dims


def bind(inputs, feeds):
    """Binds dim names to the feeds' sizes; the feeds must fit the declaration."""
    env = {}
    for name, ds in inputs.items():
        shape = feeds[name].shape
        if len(shape) != len(ds):
            raise Failure(f"input {name}: rank {len(shape)}, declared {ds}")
        for d, s in zip(ds, shape):
            if isinstance(d, int) and d != s:
                raise Failure(f"input {name}: shape {shape}, declared {ds}")
            if isinstance(d, str) and env.setdefault(d, s) != s:
                raise Failure(f"input {name}: {d} = {s} but {env[d]} elsewhere")
    return env


def expect_shape(name, ds, env, got, ref):
    """Declared names must be bound by the inputs. torch names the dims it
    could not infer "<Op><output>_dim_<i>" (vit's last_hidden_state after
    flatten(2)): those are static here, so they must equal torch's shape."""
    want = []
    for i, d in enumerate(ds):
        if isinstance(d, str) and d not in env:
            if not d.endswith(f"{name}_dim_{i}") or ref is None:
                raise Failure(f"output {name}: dim {d} not bound by the inputs")
            d = ref.shape[i]
        want.append(env.get(d, d))
    if tuple(got.shape) != tuple(want):
        raise Failure(f"output {name}: shape {got.shape}, expected {tuple(want)} ({ds})")


def run_set(sess, inputs, outputs, d, tol):
    feeds = {n: np.load(os.path.join(d, n + ".npy")) for n in inputs}
    env = bind(inputs, feeds)
    got = dict(zip(outputs, sess.run(list(outputs), feeds)))
    worst = 0.0
    for name, v in got.items():
        ref = os.path.join(d, f"expected_{name}.npy")
        ref = np.load(ref) if os.path.exists(ref) else None
        expect_shape(name, outputs[name], env, v, ref)
        if not np.isfinite(v).all():
            raise Failure(f"output {name}: not finite")
        if ref is not None:
            err = rel_err(v, ref)
            if err > tol:
                raise Failure(f"output {name}: differs from torch, relative error {err:.3g}")
            worst = max(worst, err)
    shapes = " ".join(f"{n}[{'x'.join(map(str, v.shape))}]" for n, v in got.items()
                      if not n.startswith("present."))
    return f"{shapes} torch-err {worst:.1e}"


def prefill_decode(sess, inputs, outputs, tol, n=6, batch=3):
    rng = np.random.default_rng(0)
    vocab = outputs["logits"][-1]
    ids = rng.integers(0, vocab, size=(batch, n), dtype=np.int64)
    pasts = [p for p in inputs if p.startswith("past_key_values.")]

    def run(tokens, start, past):
        feeds = {"input_ids": tokens,
                 "attention_mask": np.ones((batch, start + tokens.shape[1]), np.int64)}
        if "position_ids" in inputs:
            feeds["position_ids"] = np.tile(np.arange(start, start + tokens.shape[1]), (batch, 1))
        for p in pasts:
            _, heads, _, head_dim = inputs[p]
            feeds[p] = past.get(p, np.zeros((batch, heads, 0, head_dim), np.float32))
        out = dict(zip(outputs, sess.run(list(outputs), feeds)))
        return out, {p: out[p.replace("past_key_values.", "present.")] for p in pasts}

    full, _ = run(ids, 0, {})
    _, past = run(ids[:, :-1], 0, {})
    step, _ = run(ids[:, -1:], n - 1, past)
    err = rel_err(step["logits"][:, -1], full["logits"][:, -1])
    for name in outputs:
        if name.startswith("present."):
            err = max(err, rel_err(step[name], full[name]))
    if err > tol:
        raise Failure(f"prefill+decode differs from full prefill: relative error {err:.3g}")
    return f"prefill {n - 1} + decode 1 == prefill {n}: err {err:.1e}"


def check(path, tol):
    stem = os.path.basename(path)[: -len(".onnx")]
    model = onnx.load(path)
    inputs = declared(model.graph.input)
    outputs = declared(model.graph.output)
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    lines = [f"{stem}: {len(model.graph.node)} nodes, opset {model.opset_import[0].version}"]
    sets = sorted(glob.glob(os.path.join(os.path.dirname(path), stem + ".inputs_*")),
                  key=lambda d: int(d.rsplit("_", 1)[1]))
    for d in sets:
        lines.append(f"{os.path.basename(d)}: " + run_set(sess, inputs, outputs, d, tol))
    if any(n.startswith("past_key_values.") for n in inputs):
        lines.append(f"{stem}: " + prefill_decode(sess, inputs, outputs, tol))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", metavar="DIR|MODEL.onnx")
    ap.add_argument("--tol", type=float, default=1e-4)
    args = ap.parse_args()
    models = []
    for p in args.paths:
        models += sorted(glob.glob(os.path.join(p, "*.onnx"))) if os.path.isdir(p) else [p]
    if not models:
        print(f"FAIL: no .onnx in {' '.join(args.paths)}")
        return 1
    for path in models:
        try:
            for line in check(path, args.tol):
                print(line, flush=True)
        except (Failure, Exception) as e:  # ORT errors too: one line, then stop
            print(f"FAIL {os.path.basename(path)}: {e}", flush=True)
            return 1
    print(f"all {len(models)} models ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
