#!/usr/bin/env bash
# Configures and builds tfmc, its runtime and the test programs into build/
# (Release, Ninja, ccache when present).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
  cmake -G Ninja -S . -B build -DCMAKE_BUILD_TYPE=Release
fi
# Two jobs: the heaviest translation units need ~1.5 GB each.
ninja -C build -j "${TFMC_JOBS:-2}"
