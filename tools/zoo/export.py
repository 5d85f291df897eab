#!/usr/bin/env python3
"""Exports the zoo's transformer models to ONNX with torch 1.13.

    /usr/bin/python3 tools/zoo/export.py --model bert --config tiny --opset 17 -o OUT
    /usr/bin/python3 tools/zoo/export.py --all --config tiny --inputs 2 -o OUT

writes OUT/<model>_<config>_op<opset>.onnx and, with --inputs N, N input sets
OUT/<stem>.inputs_<k>/<input>.npy with the torch module's outputs as
expected_<output>.npy. --verify then runs check_ort.py (onnxruntime) on the
exported models with --check-python (default: the repository's .venv).
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402

import bert  # noqa: E402
import common  # noqa: E402
import gpt2  # noqa: E402
import llama  # noqa: E402
import vit  # noqa: E402

FAMILIES = {m.NAME: m for m in (bert, gpt2, vit, llama)}
OPSETS = (14, 17)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", choices=sorted(FAMILIES))
    ap.add_argument("--config", default="tiny", choices=["tiny", "base", "full"],
                    help="full is an alias of base")
    ap.add_argument("--opset", type=int, choices=OPSETS, default=17)
    ap.add_argument("--all", action="store_true", help="every model at opsets 14 and 17")
    ap.add_argument("--inputs", type=int, default=0, metavar="N", help="write N input sets")
    ap.add_argument("--verify", action="store_true",
                    help="check with onnxruntime afterwards (implies --inputs 2 if unset)")
    ap.add_argument("--check-python", default=os.path.join(HERE, "..", "..", ".venv", "bin", "python"))
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args()
    if not args.all and not args.model:
        ap.error("give --model or --all")
    config = "base" if args.config == "full" else args.config
    if args.verify and not args.inputs:
        args.inputs = 2

    jobs = ([(m, o) for m in FAMILIES for o in OPSETS] if args.all
            else [(args.model, args.opset)])
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)  # same bits every run
    paths = []
    for name, opset in jobs:
        t = time.time()
        path = common.export(FAMILIES[name], config, opset, args.out, args.inputs)
        paths.append(path)
        if not args.quiet:
            print(f"{os.path.basename(path)}: {os.path.getsize(path)} bytes, "
                  f"{time.time() - t:.1f} s", flush=True)
    if args.verify:
        return subprocess.call([args.check_python, os.path.join(HERE, "check_ort.py")] + paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
