#!/usr/bin/env python3
"""Runs ONNX backend test suites through `tfmc run` and checks the results
against a checked-in expectation file.

Each test directory holds model.onnx and test_data_set_*/; a test passes when
the model compiles and every data set matches (ONNX's default tolerances,
rtol 1e-3 and atol 1e-7; integers and bools exactly).

The expectation file has one line per test, `name: pass` or `name: fail:
reason`. The run fails when a test expected to pass does not, or when a test
is missing from the file; tests that pass unexpectedly are reported so that
the file can be updated (--update rewrites it from this run).
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys


def run_test(tfmc, tfmc_args, test_dir, cache_dir, timeout):
    model = os.path.join(test_dir, "model.onnx")
    data = sorted(d for d in os.listdir(test_dir) if d.startswith("test_data_set_"))
    if not os.path.exists(model):
        return "fail", "no model.onnx"
    if not data:
        return "fail", "no test_data_set_*"
    cmd = [tfmc, "run", model, "--cache-dir", cache_dir, *tfmc_args]
    cmd += [os.path.join(test_dir, d) for d in data]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "fail", f"timed out after {timeout} s"
    if proc.returncode == 0:
        return "pass", ""
    return "fail", reason_of(proc, test_dir)


def reason_of(proc, test_dir):
    """The first line that says what went wrong, without the paths."""
    kind = {2: "compile", 1: "run"}.get(proc.returncode, f"crash (exit {proc.returncode})")
    lines = [l for l in (proc.stdout + proc.stderr).splitlines() if "MISMATCH" in l]
    lines += [l for l in proc.stderr.splitlines() if l.strip()]
    if not lines:
        return kind
    line = lines[0].replace(test_dir + "/", "").replace(test_dir, "")
    if line.startswith("model.onnx: "):
        line = line[len("model.onnx: "):]
    return f"{kind}: {line.strip()}"[:300]


def read_expectations(path):
    expected = {}
    if not os.path.exists(path):
        return expected
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            name, _, rest = line.partition(": ")
            status, _, reason = rest.partition(": ")
            expected[name] = (status, reason)
    return expected


def write_expectations(path, suite, results):
    with open(path, "w") as f:
        f.write(f"# ONNX backend suite '{suite}': expected results of `tfmc run`.\n")
        f.write("# Regenerate with test/conformance/backend_suite.py --update.\n")
        for name in sorted(results):
            status, reason = results[name]
            f.write(f"{name}: {status}" + (f": {reason}" if status == "fail" else "") + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tfmc", required=True)
    parser.add_argument("--suite-dir", required=True, help="e.g. /usr/share/libonnx-testdata/data/node")
    parser.add_argument("--name", help="suite name in the report (default: the folder's name)")
    parser.add_argument("--expectations", help="expectation file to check (or write with --update)")
    parser.add_argument("--cache-dir", required=True)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=int, default=300)
    parser.add_argument("--filter", help="only tests whose name this regular expression finds")
    parser.add_argument("--tfmc-arg", action="append", default=[], metavar="ARG",
                        help="an extra option of `tfmc run` (repeatable)")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("--must-pass", help="file listing tests that must pass (one name per line)")
    parser.add_argument("--known-failures",
                        help="file of `name: reason` lines exempted from --must-pass")
    args = parser.parse_args()

    suite = args.name or os.path.basename(os.path.normpath(args.suite_dir))
    tests = sorted(t for t in os.listdir(args.suite_dir)
                   if os.path.isdir(os.path.join(args.suite_dir, t))
                   and (not args.filter or re.search(args.filter, t)))
    results = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(run_test, args.tfmc, args.tfmc_arg, os.path.join(args.suite_dir, t),
                               args.cache_dir, args.timeout): t for t in tests}
        for future in concurrent.futures.as_completed(futures):
            results[futures[future]] = future.result()

    passed = sum(1 for s, _ in results.values() if s == "pass")
    print(f"{suite}: {passed} passed, {len(results) - passed} failed, {len(results)} tests")

    failing_required = []
    if args.must_pass:
        with open(args.must_pass) as f:
            required = [l.strip() for l in f if l.strip() and not l.startswith("#")]
        known = read_expectations(args.known_failures) if args.known_failures else {}
        for n in sorted(known):
            print(f"KNOWN FAILURE {n}: {known[n][0]}")
        required = [n for n in required if n not in known]
        failing_required = [n for n in required if results.get(n, ("missing",))[0] != "pass"]
        print(f"{suite}: {len(required) - len(failing_required)} of {len(required)} "
              f"required tests pass")
        for n in failing_required:
            print(f"REQUIRED FAILING {n}: {results.get(n, ('', 'not in the suite'))[1]}")

    if not args.expectations:
        for name in sorted(results):
            status, reason = results[name]
            if status != "pass":
                print(f"  {name}: {reason}")
        return 1 if failing_required else 0
    if args.update:
        write_expectations(args.expectations, suite, results)
        print(f"wrote {args.expectations}")
        return 0

    expected = read_expectations(args.expectations)
    regressions = [n for n in sorted(results)
                   if expected.get(n, ("?",))[0] == "pass" and results[n][0] != "pass"]
    improvements = [n for n in sorted(results)
                    if expected.get(n, ("?",))[0] == "fail" and results[n][0] == "pass"]
    unlisted = [n for n in sorted(results) if n not in expected]
    for n in regressions:
        print(f"REGRESSION {n}: {results[n][1]}")
    for n in improvements:
        print(f"NEWLY PASSING {n} (update {args.expectations})")
    for n in unlisted:
        print(f"UNLISTED {n}: {results[n][0]} {results[n][1]}")
    return 1 if regressions or unlisted or failing_required else 0


if __name__ == "__main__":
    sys.exit(main())
