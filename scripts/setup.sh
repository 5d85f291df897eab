#!/usr/bin/env bash
# Installs every Debian package that tfmc's build and tests need. Idempotent.
set -euo pipefail

packages=(
  cmake ninja-build ccache g++ python3 python3-venv diffutils
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  libonnx-dev libprotobuf-dev protobuf-compiler libonnx-testdata
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

# --python: the developer tools' Python environment (.venv), with PyPI's onnx
# for the fuzzer and the test-input generators.
if [ "${1:-}" = "--python" ]; then
  cd "$(dirname "$0")/.."
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q onnx numpy
  echo "setup: .venv ready"
fi
