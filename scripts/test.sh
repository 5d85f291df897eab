#!/usr/bin/env bash
# Runs the whole lit suite (builds first if needed). Prints lit's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
/usr/lib/llvm-22/bin/lit -sv --time-tests build/test "$@"
