#!/usr/bin/env python3
"""Imports every model of ONNX's backend node suite with `tfmc import` and
compares the set that imports with a checked-in list.

A test whose model uses an operator tfmc does not know is "unsupported" and
skipped; every other test must import, except those in the expected-failure
file (each with its reason). Fails on any regression; reports tests that
newly import so the list can grow.
"""
import argparse
import concurrent.futures
import os
import subprocess
import sys


def read_list(path):
    """Test names, one per line; text after '#' is a comment."""
    entries = {}
    with open(path) as f:
        for line in f:
            name, _, reason = line.partition("#")
            name = name.strip()
            if name:
                entries[name] = reason.strip()
    return entries


def import_one(tfmc, model):
    proc = subprocess.run([tfmc, "import", model, "-o", os.devnull],
                          capture_output=True, text=True)
    return proc.returncode, proc.stderr.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tfmc", required=True)
    parser.add_argument("--suite", required=True, help="…/libonnx-testdata/data/node")
    parser.add_argument("--expected", required=True, help="tests that must import")
    parser.add_argument("--xfail", required=True, help="supported tests that may not, with why")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    expected = read_list(args.expected)
    xfail = read_list(args.xfail)
    tests = sorted(d for d in os.listdir(args.suite)
                   if os.path.isfile(os.path.join(args.suite, d, "model.onnx")))
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = dict(zip(tests, pool.map(
            lambda t: import_one(args.tfmc, os.path.join(args.suite, t, "model.onnx")),
            tests)))

    imported = {t for t, (rc, _) in results.items() if rc == 0}
    crashed = {t: err for t, (rc, err) in results.items() if rc not in (0, 1)}
    unsupported = {t for t, (rc, err) in results.items()
                   if rc == 1 and "unsupported operator" in err}
    failed = {t: err for t, (rc, err) in results.items()
              if rc == 1 and t not in unsupported}

    regressions = sorted(t for t in expected if t not in imported)
    unexpected = sorted(t for t in failed if t not in xfail and t not in expected)
    newly = sorted(t for t in imported if t not in expected)

    for t in regressions:
        print(f"REGRESSION: {t}: {results.get(t, (None, 'missing from the suite'))[1]}")
    for t in unexpected:
        print(f"UNEXPECTED FAILURE: {t}: {failed[t]}")
    for t, err in sorted(crashed.items()):
        print(f"CRASH: {t}: {err[-300:]}")
    for t in newly:
        print(f"NEWLY IMPORTS (add to {os.path.basename(args.expected)}): {t}")

    supported = len(tests) - len(unsupported)
    print(f"node suite: {len(tests)} tests, {supported} with supported ops, "
          f"{len(imported)} import, {len(failed)} fail "
          f"({len(xfail)} expected), {len(unsupported)} use unsupported ops")
    if regressions or unexpected or crashed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
