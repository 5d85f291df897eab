#!/usr/bin/env python3
"""Checks tfmc against ONNX Runtime on a model with seeded random inputs.

For each model: binds its symbolic dims to small sizes (dims with one name
are equal; --dim NAME=VALUE overrides), generates plausible inputs (token ids
below the vocabulary size read from the embedding Gathers, 0/1 masks with
padding, positive scales, ...), writes them as <input>.npy into a work
directory, runs ONNX Runtime's CPU provider to write expected_<output>.npy,
then runs `tfmc run` on that directory and reports each output's max
absolute and relative error. A model's own test_data_set_* directories are
checked too. With --reference=unfused the oracle is tfmc itself with every
fusion turned off, which checks that fusion keeps the outputs. Exits 1 when
any model disagrees or fails.

Usage:
  compare_with_ort.py MODEL.onnx... [--tfmc PATH] [--cache-dir DIR]
                      [--work-dir DIR] [--dim NAME=VALUE]... [--vocab N]
                      [--seed N] [--rtol X] [--atol X] [--ort-model OTHER.onnx]
                      [--reference ort|unfused] [--tfmc-arg ARG]...
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict

import numpy as np
import onnx

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Default sizes by what a dim's name says; the first match wins.
DIM_RULES = [
    (re.compile(r"batch", re.I), 2),
    (re.compile(r"past", re.I), 5),
    (re.compile(r"seq|len|sequence", re.I), 7),
]
# Dims that are the past length plus the new one.
TOTAL_DIM = re.compile(r"total|present|all_seq|plus", re.I)
UNKNOWN_DIM = 1  # broadcasts anywhere

# Ops passing integer ids through unchanged, for the vocabulary search.
PASS_THROUGH = {"Cast", "Reshape", "Unsqueeze", "Squeeze", "Flatten", "Identity"}
# com.microsoft ops embedding ids: input index of the ids -> of the table.
EMBED_TABLES = {"EmbedLayerNormalization": {0: 2, 1: 4, 8: 3}}


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("models", nargs="+")
    p.add_argument("--tfmc", default=os.path.join(REPO, "build", "bin", "tfmc"))
    p.add_argument("--cache-dir", default="/tmp/ort_check-cache")
    p.add_argument("--work-dir", default="/tmp/ort_check")
    p.add_argument("--dim", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--vocab", type=int, help="token id bound when no embedding is found")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--rtol", type=float, default=1e-4)
    p.add_argument("--atol", type=float, default=1e-5)
    p.add_argument("--timeout", type=int, default=900, help="seconds per tfmc run")
    p.add_argument("--tfmc-arg", action="append", default=[], metavar="ARG",
                   help="an extra option of the checked `tfmc run` (repeatable), such as "
                   "--tfmc-arg=--row-kernels")
    p.add_argument("--reference", choices=["ort", "unfused"], default="ort",
                   help="the oracle: ONNX Runtime, or tfmc itself with every fusion off "
                   "(--no-fuse=all), to check that fusion keeps the outputs")
    p.add_argument("--ort-model", help="run ONNX Runtime on this model instead, with the same "
                   "inputs and outputs (an unfused graph, for ops ORT's CPU provider lacks); "
                   "one model only")
    args = p.parse_args()
    if args.ort_model and len(args.models) != 1:
        p.error("--ort-model needs exactly one model")
    return args


class Model:
    """A model's graph inputs, initializer shapes and consumers."""

    def __init__(self, path: str):
        self.path = path
        self.proto = onnx.load(path, load_external_data=False)
        graph = self.proto.graph
        self.init_shapes = {t.name: list(t.dims) for t in graph.initializer}
        self.inputs = [i for i in graph.input if i.name not in self.init_shapes]
        self.consumers = defaultdict(list)
        for node in graph.node:
            for k, name in enumerate(node.input):
                if name:
                    self.consumers[name].append((node, k))

    def index_bound(self, name: str) -> int | None:
        """The smallest table size that ids in `name` index, if any."""
        bounds, seen, todo = [], set(), [name]
        while todo:
            value = todo.pop()
            if value in seen:
                continue
            seen.add(value)
            for node, k in self.consumers[value]:
                if node.op_type in PASS_THROUGH:
                    todo.extend(node.output)
                elif node.op_type == "Gather" and k == 1:
                    shape = self.init_shapes.get(node.input[0])
                    if shape:
                        axis = next((a.i for a in node.attribute if a.name == "axis"), 0)
                        bounds.append(shape[axis])
                table = EMBED_TABLES.get(node.op_type, {}).get(k)
                if table is not None and table < len(node.input):
                    shape = self.init_shapes.get(node.input[table])
                    if shape:
                        bounds.append(shape[0])
        return min(bounds) if bounds else None


class Sizes:
    """Symbolic dims bound to values, and the lengths masks are built from."""

    def __init__(self, model: Model, overrides: dict[str, int]):
        dims = dict(overrides)
        names = [d.dim_param for i in model.inputs for d in i.type.tensor_type.shape.dim
                 if d.dim_param]
        for name in names:
            if name not in dims and not TOTAL_DIM.search(name):
                dims[name] = next((v for rx, v in DIM_RULES if rx.search(name)), UNKNOWN_DIM)
        find = lambda rx, default, skip="^$": next(
            (v for n, v in dims.items() if re.search(rx, n, re.I) and not re.search(skip, n, re.I)),
            default)
        self.past = find("past", 0)
        self.seq = find("seq|len", 1, skip="past")
        self.batch = find("batch", 1)
        for name in names:
            dims.setdefault(name, self.past + self.seq)
        self.dims = dims

    @property
    def total(self) -> int:
        return self.past + self.seq


def input_shape(value_info, sizes: Sizes) -> list[int]:
    shape = []
    for d in value_info.type.tensor_type.shape.dim:
        if d.dim_param:
            shape.append(sizes.dims[d.dim_param])
        elif d.HasField("dim_value"):
            shape.append(d.dim_value)
        else:
            shape.append(UNKNOWN_DIM)
    return shape


def padding_mask(shape: list[int], dtype) -> np.ndarray:
    """1 = attend; batch row b has its first b * T/2 keys padded (left
    padding), so causal queries of later rows see only padding."""
    mask = np.ones(shape, dtype=dtype)
    t = shape[-1]
    for b in range(shape[0]):
        mask[b, ..., : min(b * ((t + 1) // 2), t - 1)] = 0
    return mask


def make_input(model: Model, vi, sizes: Sizes, rng, vocab: int | None) -> np.ndarray:
    name = vi.name.lower()
    dtype = onnx.helper.tensor_dtype_to_np_dtype(vi.type.tensor_type.elem_type)
    shape = input_shape(vi, sizes)
    is_int = np.issubdtype(dtype, np.integer)

    if "mask" in name:
        if len(shape) == 1:
            # Key lengths per batch row, or ends then starts for 2B entries.
            t = sizes.total
            if shape[0] == 2 * sizes.batch:
                starts = [b * (t // 2) for b in range(sizes.batch)]
                return np.array([t] * sizes.batch + starts, dtype=dtype)
            return np.array([max(t - b * (t // 2), 1) for b in range(shape[0])], dtype=dtype)
        if len(shape) == 4:
            # Megatron: a lower-triangular [B, 1, M, M] of ones.
            return np.broadcast_to(np.tril(np.ones(shape[-2:], dtype=dtype)), shape).copy()
        if len(shape) == 3:
            return (rng.random(shape) < 0.8).astype(dtype)
        return padding_mask(shape, dtype)
    if "seqlens" in name:
        return np.full(shape, sizes.total - 1, dtype=dtype)
    if "total_sequence_length" in name:
        return np.full(shape, sizes.total, dtype=dtype)
    if "position" in name and is_int:
        bound = model.index_bound(vi.name)
        pos = sizes.past + np.arange(shape[-1])
        if bound:
            pos = np.minimum(pos, bound - 1)
        return np.broadcast_to(pos, shape).astype(dtype)
    if "scale" in name and not is_int:
        return rng.uniform(0.005, 0.02, shape).astype(dtype)
    if "zero_point" in name:
        lo = 120 if np.issubdtype(dtype, np.unsignedinteger) else -4
        return rng.integers(lo, lo + 9, shape).astype(dtype)
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    if is_int:
        bound = model.index_bound(vi.name) or vocab
        if bound:
            return rng.integers(0, bound, shape).astype(dtype)
        info = np.iinfo(dtype)
        if info.bits == 8:
            # Quantized activations and weights, near the zero points above
            # (full-range sums cancel into float noise).
            lo = 108 if info.min == 0 else -20
            return rng.integers(lo, lo + 41, shape).astype(dtype)
        if info.bits == 16:
            return rng.integers(info.min, int(info.max) + 1, shape).astype(dtype)
        return rng.integers(0, 4, shape).astype(dtype)
    x = rng.standard_normal(shape)
    if "weight" in name and len(shape) == 2:
        x /= np.sqrt(shape[0])
    elif "bias" in name:
        x *= 0.1
    return x.astype(dtype)


def ort_model(model: Model) -> str | bytes:
    """The model as ORT accepts it: com.microsoft ops need the domain's
    opset import, which single-op test models leave out."""
    proto = model.proto
    domains = {o.domain for o in proto.opset_import}
    if "com.microsoft" in domains or all(n.domain != "com.microsoft" for n in proto.graph.node):
        return model.path
    proto = onnx.ModelProto()
    proto.CopyFrom(model.proto)
    proto.opset_import.append(onnx.helper.make_opsetid("com.microsoft", 1))
    return proto.SerializeToString()


def run_ort(model: Model, feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(ort_model(model), options,
                                   providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, feeds)))


LINE = re.compile(r"output \d+ '(?P<name>[^']*)': max abs error (?P<abs>\S+), "
                  r"max rel error (?P<rel>\S+)(?P<bad> MISMATCH.*)?")


def run_unfused(args, model: Model, data_dir: str) -> dict[str, np.ndarray]:
    """The outputs of `tfmc run --no-fuse=all` on the inputs in `data_dir`."""
    out_dir = data_dir + ".unfused"
    shutil.rmtree(out_dir, ignore_errors=True)
    cmd = [args.tfmc, "run", model.path, data_dir, "--no-fuse=all",
           f"--output-dir={out_dir}", f"--cache-dir={args.cache_dir}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"unfused tfmc run failed: {proc.stderr.strip()[-300:]}")
    names = [o.name for o in model.proto.graph.output]
    return {name: np.load(os.path.join(out_dir, f"{name}.npy")) for name in names}


def run_tfmc(args, model_path: str, data_dir: str) -> tuple[str, list[str]]:
    """(status, report lines) of `tfmc run` on one data directory."""
    cmd = [args.tfmc, "run", model_path, data_dir, f"--rtol={args.rtol}",
           f"--atol={args.atol}", f"--cache-dir={args.cache_dir}", *args.tfmc_arg]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return "TIMEOUT", []
    lines = []
    for line in proc.stdout.splitlines():
        m = LINE.search(line)
        if m:
            flag = "  MISMATCH" if m["bad"] else ""
            lines.append(f"    {m['name']}: max abs {m['abs']}, max rel {m['rel']}{flag}")
    if proc.returncode == 0:
        return "PASS", lines
    stderr = proc.stderr.strip().splitlines()
    if proc.returncode < 0:
        # A crash: the innermost named frames of LLVM's stack dump.
        status = f"CRASH-SIGNAL-{-proc.returncode}"
        stderr = [l for l in stderr if re.match(r"\s*#\d+ .*(mlir|tfmc)::", l)][:3]
    else:
        status = {1: "MISMATCH" if lines else "RUN-ERROR", 2: "COMPILE-ERROR"}.get(
            proc.returncode, f"EXIT-{proc.returncode}")
        stderr = stderr[-3:]
    return status, lines + [f"    {l.strip()[:200]}" for l in stderr]


def check_model(args, path: str, overrides: dict[str, int]) -> list[tuple[str, str]]:
    model = Model(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    results = []

    sizes = Sizes(model, overrides)
    rng = np.random.default_rng(args.seed)
    feeds = {vi.name: make_input(model, vi, sizes, rng, args.vocab) for vi in model.inputs}
    data_dir = os.path.join(args.work_dir, stem)
    os.makedirs(data_dir, exist_ok=True)
    for f in glob.glob(os.path.join(data_dir, "*.npy")):
        os.remove(f)
    bound = ", ".join(f"{k}={v}" for k, v in sorted(sizes.dims.items()))
    print(f"{stem}: dims {bound or '(static)'}")
    for name, x in feeds.items():
        np.save(os.path.join(data_dir, f"{name}.npy"), np.require(x, requirements="C"))
    try:
        if args.reference == "unfused":
            expected = run_unfused(args, model, data_dir)
        else:
            expected = run_ort(Model(args.ort_model) if args.ort_model else model, feeds)
    except Exception as e:  # the oracle refuses the model or the inputs
        print(f"  REFERENCE-ERROR {str(e).splitlines()[0][:300]}")
        results.append((f"{stem} (random)", "REFERENCE-ERROR"))
    else:
        for name, y in expected.items():
            np.save(os.path.join(data_dir, f"expected_{name}.npy"), np.require(y, requirements="C"))
        status, lines = run_tfmc(args, path, data_dir)
        print(f"  random inputs: {status}")
        print("\n".join(lines))
        results.append((f"{stem} (random)", status))

    for ref in sorted(glob.glob(os.path.splitext(path)[0] + ".test_data_set_*")
                      if args.reference == "ort" else []):
        status, lines = run_tfmc(args, path, ref)
        print(f"  {os.path.basename(ref)}: {status}")
        print("\n".join(lines))
        results.append((f"{stem} ({os.path.basename(ref).split('.')[-1]})", status))
    return results


def main() -> int:
    args = parse_args()
    overrides = {}
    for spec in args.dim:
        name, _, value = spec.partition("=")
        overrides[name] = int(value)
    results = []
    for path in args.models:
        results += check_model(args, path, overrides)
    print("\nsummary:")
    for name, status in results:
        print(f"  {status:14} {name}")
    return 0 if all(s == "PASS" for _, s in results) else 1


if __name__ == "__main__":
    sys.exit(main())
