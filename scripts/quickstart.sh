#!/usr/bin/env bash
# Quick start: installs what tfmc needs, builds it, and imports the bundled
# example model (a two-layer BERT-style encoder with contrib-op attention).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build/bin/tfmc import examples/models/tiny_bert.onnxtxt
