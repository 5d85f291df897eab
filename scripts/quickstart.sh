#!/usr/bin/env bash
# Quick start: installs what tfmc needs, builds it, compiles the bundled
# example model (a two-layer BERT-style encoder with contrib-op attention) to
# an object and a C header, and runs it on the example inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build/bin/tfmc compile examples/models/tiny_bert.onnxtxt -o build/quickstart
build/bin/tfmc run examples/models/tiny_bert.onnxtxt examples/models/tiny_bert.inputs \
  --output-dir build/quickstart/outputs --cache-dir build/quickstart/cache
