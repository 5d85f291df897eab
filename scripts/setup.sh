#!/usr/bin/env bash
# Installs every Debian package that tfmc's build and tests need. Idempotent.
set -euo pipefail

packages=(
  cmake ninja-build ccache g++ python3 python3-venv diffutils
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
  python3-torch
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "setup: all packages present"

# The tests' Python environment (.venv): PyPI's onnxruntime is the oracle the
# compiled models are compared with, and onnx brings the newer backend data.
# Debian's python3-torch (system Python) builds the model zoo.
cd "$(dirname "$0")/.."
if ! .venv/bin/python -c "import onnx, onnxruntime, numpy" 2>/dev/null; then
  [ -x .venv/bin/python ] || /usr/bin/python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q onnx numpy onnxruntime
fi
echo "setup: .venv ready"
