#!/usr/bin/env bash
# The GPU checks as one bundle, for a GPU machine that has the CUDA driver
# but no LLVM, MLIR or tfmc build (the lent device machine):
#
#   scripts/gpu-check.sh build [DIR]   here, after scripts/build.sh: writes
#                                      DIR (default gpu-check/, ignored by
#                                      git): self-contained test programs
#   scripts/gpu-check.sh run [DIR]     on the GPU machine: runs them all;
#                                      exit 1 when any fails
#
# The programs are what test/runtime/cuda-gpu.test and compiled-cuda.test
# run, linked here: the CUDA loader's own test on the Add model's PTX, and
# for each model an app holding its CPU and CUDA builds that compares their
# outputs (1e-3 relative for fp32, 2e-2 for tf32, fp16 and bf16 matmuls);
# BERT-base's also prints both builds' median latency at batch 1, sequence
# 128 (its weights travel gzipped).
# They load libcuda.so.1 at run time and need nothing else but libc (and
# gzip, for the weights).
# TFMC_BUILD_DIR (default build) and TFMC_SHARED_DIR (default ../shared)
# say where the build and the shared models are, as lit's config does.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
dir=${2:-gpu-check}
obj=${TFMC_BUILD_DIR:-build}
shared=${TFMC_SHARED_DIR:-../shared}

build() {
  obj=$(realpath "$obj")
  export PATH="$obj/bin:$PATH"
  rm -rf "$dir" && mkdir -p "$dir/models"
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  for model in gpt2 llama bert vit; do
    /usr/bin/python3 tools/zoo/export.py --model "$model" --config tiny --opset 17 -q -o "$work"
  done
  # BERT-base with every weight 0.02: its weights files compress to 0.4 MB
  # each, so that its latency can be taken on the GPU machine.
  /usr/bin/python3 tools/zoo/export.py --model bert --config base --opset 17 -q -o "$work"
  .venv/bin/python test/runtime/Inputs/constant_weights.py "$work/bert_base_op17.onnx" \
    "$work/bert_base_constant.onnx"
  .venv/bin/python test/runtime/Inputs/make_odd_matmul.py "$work/odd_matmul.onnxtxt"
  local data=/usr/share/libonnx-testdata/data/node/test_add
  tfmc compile "$data/model.onnx" --target=cuda --gpu-arch=sm_80 --emit=ptx -o "$dir"
  cp "$obj/bin/tfmrt-cuda-gpu-test" "$dir/"
  # model, matmul precision, tolerance[, external: both builds with
  # --external-weights[, dims to bind and timed runs]] (compiled-cuda.test
  # runs this list).
  local cases=(
    "$data/model.onnx fp32 1e-3"
    "examples/models/tiny_bert.onnxtxt fp32 1e-3"
    "$shared/models/genai_tiny_random_gpt2_fused_fp32.onnx fp32 1e-3"
    "$shared/models/xexp_tiny_llama_custom_export_dynamic.onnx fp32 1e-3"
    "$work/gpt2_tiny_op17.onnx fp32 1e-3"
    "$work/llama_tiny_op17.onnx fp32 1e-3"
    "$work/bert_tiny_op17.onnx fp32 1e-3"
    "$work/vit_tiny_op17.onnx fp32 1e-3"
    "$work/odd_matmul.onnxtxt fp32 1e-3"
    "$work/odd_matmul.onnxtxt tf32 2e-2"
    "$work/odd_matmul.onnxtxt fp16 2e-2"
    "$work/odd_matmul.onnxtxt bf16 2e-2"
    "$work/bert_tiny_op17.onnx fp16 2e-2"
    "$work/gpt2_tiny_op17.onnx bf16 2e-2"
    "$work/bert_tiny_op17.onnx fp32 1e-3 external"
    "$work/bert_base_constant.onnx fp32 1e-3 external batch=1,sequence=128 20"
    "$work/bert_base_constant.onnx tf32 2e-2 external batch=1,sequence=128 20"
  )
  for entry in "${cases[@]}"; do
    local model precision tolerance weights dims runs name built
    read -r model precision tolerance weights dims runs <<<"$entry"
    name=$(basename "$model" | sed 's/\.onnx.*//')-$precision${weights:+-$weights}
    CUDA_VS_CPU_BUILD_ONLY=1 bash test/runtime/Inputs/cuda_vs_cpu.sh "$model" "$work" . "$obj" \
      "$precision" "$tolerance" $weights >/dev/null
    built=$work/$(basename "$model")-$precision${weights:+-$weights}
    cp "$built/app" "$dir/models/$name"
    if [ -n "$weights" ]; then
      gzip -c "$built/gpu.weights" >"$dir/models/$name.gpu.weights.gz"
      gzip -c "$built/cpu.weights" >"$dir/models/$name.cpu.weights.gz"
    fi
    echo "$name $tolerance ${weights:--} ${dims:--} ${runs:-0}" >>"$dir/models/list"
  done
  echo "wrote $dir ($(du -sh "$dir" | cut -f1)); on the GPU machine: scripts/gpu-check.sh run $dir"
}

run() {
  local failed=0 unpacked
  unpacked=$(mktemp -d)
  trap 'rm -rf "$unpacked"' RETURN
  "$dir/tfmrt-cuda-gpu-test" "$dir/model.ptx" || failed=1
  while read -r name tolerance weights dims runs; do
    echo "model $name"
    local files=()
    if [ "$weights" != - ]; then
      for build in gpu cpu; do
        gzip -dc "$dir/models/$name.$build.weights.gz" >"$unpacked/$build.weights"
        files+=("$unpacked/$build.weights")
      done
    fi
    local env=()
    [ "$dims" != - ] && env+=("TFMC_DIMS=$dims")
    [ "$runs" != 0 ] && env+=("TFMC_TIMED_RUNS=$runs")
    env "${env[@]}" "$dir/models/$name" "$tolerance" "${files[@]}" || failed=1
  done <"$dir/models/list"
  if [ "$failed" -ne 0 ]; then
    echo "gpu-check: FAILED"
    return 1
  fi
  echo "gpu-check: all passed"
}

case "$mode" in
build) build ;;
run) run ;;
*)
  echo "usage: scripts/gpu-check.sh build|run [DIR]" >&2
  exit 2
  ;;
esac
