#!/usr/bin/env bash
# Runs the whole lit suite (building first if needed) and ends with one line:
# "tests: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh || exit 1
log=$(mktemp)
/usr/lib/llvm-22/bin/lit -sv --time-tests build/test "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
count() { sed -n "s/^ *$1 *: *\([0-9]*\).*/\1/p" "$log" | tail -n 1; }
passed=$(count Passed); failed=$(count Failed)
rm -f "$log"
# The conformance suites' totals (each test tees its report to Output/*.out).
cat build/test/conformance/Output/*.out 2>/dev/null | grep -E "passed, [0-9]+ failed|required tests pass" || true
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
