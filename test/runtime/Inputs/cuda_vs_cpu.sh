#!/usr/bin/env bash
# cuda_vs_cpu.sh MODEL OUT_ROOT SRC_ROOT OBJ_ROOT [PRECISION TOLERANCE [external]]:
# compiles MODEL for the CPU and for CUDA (--gpu-matmul-precision=PRECISION,
# default fp32; with `external`, both with --external-weights, the app then
# given gpu.weights and cpu.weights), links cuda_vs_cpu.cpp with both and runs it (relative
# TOLERANCE, default 1e-3). CUDA_VS_CPU_BUILD_ONLY=1 leaves OUT_ROOT/<model
# file>-PRECISION[-external]/app unrun, for another machine
# (scripts/gpu-check.sh).
set -euo pipefail
precision=${5:-fp32} tolerance=${6:-1e-3} weights=${7:-}
model=$1 out=$2/$(basename "$1")-$precision${weights:+-$weights} src=$3 obj=$4
mkdir -p "$out"
tfmc compile "$model" -o "$out" --name cpu ${weights:+--external-weights} > /dev/null
tfmc compile "$model" -o "$out" --name gpu --target=cuda --gpu-arch=sm_80 \
  --gpu-matmul-precision="$precision" ${weights:+--external-weights} > /dev/null
c++ -std=c++17 -I"$src/runtime/include" "$src/test/runtime/Inputs/cuda_vs_cpu.cpp" \
  "$out/cpu.o" "$out/gpu.o" "$obj/lib/libtfmrt_cuda.a" "$obj/lib/libtfmrt.a" \
  -static-libstdc++ -lm -lpthread -ldl -o "$out/app"
[ -n "${CUDA_VS_CPU_BUILD_ONLY:-}" ] && exit 0
echo "model $(basename "$model") $precision"
"$out/app" "$tolerance" ${weights:+"$out/gpu.weights" "$out/cpu.weights"}
