#!/usr/bin/env python3
"""Times the zoo's full-size models in tfmc and in ONNX Runtime, side by side.

For each model: exports it once (torch 1.13, opset 17, tools/zoo), binds its
symbolic dims (sequence 128, batch 1, ...), writes seeded inputs, counts its
FLOPs (`tfmc inspect --json`), then alternates rounds of `tfmc bench` and of
ONNX Runtime (graph optimisations at their maximum, the same thread count,
the same inputs) and prints one table: medians over the rounds' medians,
their ratio, the median and range of each round's own ratio (robust to the
host's drifts between rounds), achieved GFLOP/s and the share of the
machine's fp32 FMA peak (measured by bench/fma_peak.c at the same thread
count), and how tfmc's time compares with streaming the model's weights
once from memory (at the read bandwidth bench/mem_read.c measures, same
thread count): the bound for a decoder's one-token step.

    .venv/bin/python bench/run.py --threads 2 [--models bert,vit] [--mcpu x86-64-v3]
                                  [--markdown FILE]

Not a test: it takes minutes and its numbers depend on the machine.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tools", "ort_check"))
from compare_with_ort import Model, Sizes, make_input  # noqa: E402

# name: (zoo model, symbolic dims)
MODELS = {
    "bert": ("bert", {"batch": 1, "sequence": 128}),
    "gpt2-prefill": ("gpt2", {"batch": 1, "sequence": 128, "past_sequence": 0}),
    "gpt2-decode": ("gpt2", {"batch": 1, "sequence": 1, "past_sequence": 128}),
    "vit": ("vit", {"batch": 1}),
}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", default=",".join(MODELS))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--iters", type=int, default=10, help="timed runs per round and engine")
    p.add_argument("--rounds", type=int, default=3, help="alternating tfmc/ORT rounds")
    p.add_argument("--config", default="base", choices=["tiny", "base"])
    p.add_argument("--mcpu", default="host",
                   help="tfmc's target CPU (x86-64-v3: a portable AVX2 object and kernels)")
    p.add_argument("--tfmc", default=os.path.join(REPO, "build", "bin", "tfmc"))
    p.add_argument("--torch-python", default="/usr/bin/python3")
    p.add_argument("--work-dir", default="/tmp/tfmc-bench")
    p.add_argument("--markdown", help="also write the table to this file")
    return p.parse_args()


def run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {proc.stderr.strip()[-500:]}")
    return proc.stdout


def export(args, zoo_model):
    path = os.path.join(args.work_dir, f"{zoo_model}_{args.config}_op17.onnx")
    if not os.path.exists(path):
        run([args.torch_python, os.path.join(REPO, "tools", "zoo", "export.py"), "--model",
             zoo_model, "--config", args.config, "--opset", "17", "-q", "-o", args.work_dir])
    return path


def write_inputs(model_path, dims, data_dir):
    model = Model(model_path)
    sizes = Sizes(model, dims)
    rng = np.random.default_rng(0)
    feeds = {vi.name: make_input(model, vi, sizes, rng, None) for vi in model.inputs}
    os.makedirs(data_dir, exist_ok=True)
    for name, x in feeds.items():
        np.save(os.path.join(data_dir, f"{name}.npy"), np.require(x, requirements="C"))
    return feeds


def time_tfmc(args, model_path, data_dir):
    out = run([args.tfmc, "bench", model_path, data_dir, f"--threads={args.threads}",
               f"--iters={args.iters}", "--warmup=2", "--json", f"--mcpu={args.mcpu}",
               f"--cache-dir={os.path.join(args.work_dir, 'cache')}"])
    result = json.loads(out)
    return result["median_ms"], result["kernels"]


def ort_session(args, model_path):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])


def time_ort(args, session, feeds):
    for _ in range(2):
        session.run(None, feeds)
    times = []
    for _ in range(args.iters):
        start = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def machine_probe(args, name, runs=9):
    """Builds bench/<name>.c for tfmc's target CPU (the peak of the vectors
    its kernels use) and runs it `runs` times at the thread count; the best
    first number. Other tenants of a shared host only ever lower a probe's
    reading (one run here read 235 GFLOP/s where the best of nine reads
    355), and a peak read low would flatter every share of it."""
    exe = os.path.join(args.work_dir, f"{name}-{args.mcpu}")
    march = "native" if args.mcpu == "host" else args.mcpu
    run(["cc", "-O2", f"-march={march}", "-pthread", os.path.join(REPO, "bench", name + ".c"),
         "-o", exe])
    return max(float(run([exe, str(args.threads)]).split()[0]) for _ in range(runs))


def weight_bytes(model_path):
    """Bytes of the weights one run reads: every initializer but embedding
    tables that only Gather reads a few rows of."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(model_path)
    gathered_only = {t.name for t in model.graph.initializer}
    for node in model.graph.node:
        for i, name in enumerate(node.input):
            if not (node.op_type == "Gather" and i == 0):
                gathered_only.discard(name)
    return sum(numpy_helper.to_array(t).nbytes for t in model.graph.initializer
               if t.name not in gathered_only)


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def main():
    args = parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    peak = machine_probe(args, "fma_peak")
    bandwidth = machine_probe(args, "mem_read")
    rows = []
    for name in args.models.split(","):
        zoo_model, dims = MODELS[name]
        path = export(args, zoo_model)
        data_dir = os.path.join(args.work_dir, name + ".inputs")
        feeds = write_inputs(path, dims, data_dir)
        dim_flags = [f"--dim={k}={v}" for k, v in dims.items()]
        flops = json.loads(run([args.tfmc, "inspect", "--json", path] + dim_flags))["flops"]
        session = ort_session(args, path)
        tfmc_ms, ort_ms = [], []
        for _ in range(args.rounds):
            ms, kernels = time_tfmc(args, path, data_dir)
            tfmc_ms.append(ms)
            ort_ms.append(time_ort(args, session, feeds))
        t, o = statistics.median(tfmc_ms), statistics.median(ort_ms)
        # Each round's tfmc and ORT runs are seconds apart: their ratio
        # cancels the host's slower drifts, which the medians do not.
        paired = sorted(a / b for a, b in zip(tfmc_ms, ort_ms))
        stream_ms = weight_bytes(path) / bandwidth / 1e6
        rows.append((name, flops / 1e9, t, o, paired, flops / t / 1e6, flops / o / 1e6,
                     stream_ms))
        print(f"{name}: tfmc {t:.2f} ms, ORT {o:.2f} ms", flush=True)

    import onnxruntime

    lines = [
        f"Machine: {cpu_name()}, {os.cpu_count()} cores; tfmc --mcpu={args.mcpu} "
        f"({kernels} kernels); "
        f"{args.threads} threads; fp32 FMA peak {peak:.0f} GFLOP/s (bench/fma_peak.c, best of 9); "
        f"memory read {bandwidth:.1f} GB/s (bench/mem_read.c, best of 9); "
        f"ONNX Runtime {onnxruntime.__version__}; {args.rounds} alternating rounds of "
        f"{args.iters} runs, medians.",
        "",
        "| model | GFLOP | tfmc ms | ORT ms | tfmc / ORT | per round: median (range) "
        "| tfmc GFLOP/s | share of peak | ORT GFLOP/s | ORT share | weights stream ms "
        "| tfmc / stream |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, gflop, t, o, paired, tg, og, stream in rows:
        lines.append(f"| {name} | {gflop:.2f} | {t:.2f} | {o:.2f} | {t / o:.2f} "
                     f"| {statistics.median(paired):.2f} ({paired[0]:.2f}-{paired[-1]:.2f}) "
                     f"| {tg:.0f} | {tg / peak:.0%} | {og:.0f} | {og / peak:.0%} | {stream:.1f} "
                     f"| {t / stream:.2f} |")
    table = "\n".join(lines)
    print("\n" + table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
