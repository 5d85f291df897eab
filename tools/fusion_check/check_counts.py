#!/usr/bin/env python3
"""Checks that every block of every model fuses, with the expected counts.

Runs `tfmc inspect --json` on each model and compares its "fused" counts
with the model's line in an expectation file:

    <model stem>: attention=12 gelu=12 layer_norm=25

(kinds not named are expected to be 0). A model fails when a count differs
or when inspect reports any unfused block; each failure prints the reasons.
--update rewrites the file from what inspect reports.
"""

import argparse
import json
import os
import subprocess
import sys


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("models", nargs="+")
    p.add_argument("--expected", required=True, help="expectation file")
    p.add_argument("--tfmc", default="tfmc")
    p.add_argument("--update", action="store_true")
    return p.parse_args()


def read_expected(path):
    expected = {}
    if not os.path.exists(path):
        return expected
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            stem, _, counts = line.partition(":")
            expected[stem.strip()] = {
                kind: int(n) for kind, _, n in (c.partition("=") for c in counts.split())}
    return expected


def inspect(tfmc, model):
    proc = subprocess.run([tfmc, "inspect", "--json", model], capture_output=True, text=True)
    if proc.returncode != 0:
        return None, proc.stderr.strip()
    return json.loads(proc.stdout), None


def main():
    args = parse_args()
    expected = read_expected(args.expected)
    failures, lines = 0, []
    for model in args.models:
        stem = os.path.splitext(os.path.basename(model))[0]
        report, error = inspect(args.tfmc, model)
        if report is None:
            print(f"FAIL {stem}: inspect failed: {error}")
            failures += 1
            continue
        counts = {k: v for k, v in sorted(report["fused"].items()) if v}
        lines.append(f"{stem}: " + " ".join(f"{k}={v}" for k, v in counts.items()))
        want = expected.get(stem)
        problems = []
        if want is None and not args.update:
            problems.append("no expected counts")
        elif want is not None and want != counts:
            problems.append(f"fused {counts}, expected {want}")
        for block in report["unfused"]:
            problems.append(f"unfused {block['kind']} at '{block['node']}': {block['reason']}")
        status = "FAIL" if problems else "PASS"
        failures += bool(problems)
        print(f"{status} {stem}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        for problem in problems:
            print(f"    {problem}")
    if args.update:
        with open(args.expected, "w") as f:
            f.write("# Fused blocks per model (tfmc inspect --json), checked by\n"
                    "# tools/fusion_check/check_counts.py; kinds not named are 0.\n")
            f.write("\n".join(lines) + "\n")
    print(f"fusion counts: {len(args.models) - failures} of {len(args.models)} models pass")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
