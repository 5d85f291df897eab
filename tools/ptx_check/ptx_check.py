#!/usr/bin/env python3
"""Compiles models with `tfmc compile --target=cuda --emit=ptx` for each
--gpu-arch and assembles every PTX file with ptxas.

Models are given as paths, or as an ONNX backend suite directory with its
expectation file: then every test expected to pass on the CPU must also
compile for each architecture. Prints one total per architecture and lists
each failure (compile or ptxas, with its first line); exits 1 on any.
"""
import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile


def check(tfmc, ptxas, model, arch, out_root):
    out = tempfile.mkdtemp(dir=out_root)
    compile_cmd = [tfmc, "compile", model, "-o", out, "--target=cuda", "--emit=ptx",
                   "--gpu-arch=" + arch, "--name", "model"]
    proc = subprocess.run(compile_cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return "compile: " + (proc.stderr.strip().splitlines() or ["exit %d" % proc.returncode])[0]
    proc = subprocess.run([ptxas, "-arch=" + arch, os.path.join(out, "model.ptx"), "-o",
                           os.path.join(out, "model.cubin")], capture_output=True, text=True)
    if proc.returncode != 0:
        return "ptxas: " + (proc.stderr.strip().splitlines() or ["exit %d" % proc.returncode])[0]
    return ""


def passing_tests(suite_dir, expectations):
    with open(expectations) as f:
        names = [l.split(":")[0] for l in f if l.rstrip().endswith(": pass")]
    return {n: os.path.join(suite_dir, n, "model.onnx") for n in names}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tfmc", required=True)
    p.add_argument("--ptxas", default="/usr/local/cuda/bin/ptxas")
    p.add_argument("--gpu-arch", action="append", required=True)
    p.add_argument("--suite-dir")
    p.add_argument("--expectations")
    p.add_argument("--name", default="models")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("models", nargs="*")
    args = p.parse_args()

    models = {os.path.basename(m): m for m in args.models}
    if args.suite_dir:
        models.update(passing_tests(args.suite_dir, args.expectations))
    failures = 0
    with tempfile.TemporaryDirectory() as out_root, \
            concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for arch in args.gpu_arch:
            futures = {name: pool.submit(check, args.tfmc, args.ptxas, path, arch, out_root)
                       for name, path in models.items()}
            failed = {n: f.result() for n, f in futures.items() if f.result()}
            print(f"{args.name} {arch}: {len(models) - len(failed)} of {len(models)} compile "
                  f"to PTX that ptxas assembles")
            for name in sorted(failed):
                print(f"  PTX FAILURE {name}: {failed[name]}")
            failures += len(failed)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
