//===- BenchCommand.cpp - tfmc bench --------------------------------------===//
//
// Times a compiled model on one input directory: warm-up runs, then timed
// runs on the same instance (its arena and thread pool stay warm, as in an
// app), reporting the median, minimum, maximum and 90th percentile.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"
#include "CompiledModel.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>

using namespace llvm;
using namespace tfmc;

namespace {

struct Timings {
  double median, min, max, p90;
};

/// Milliseconds of each run, sorted into the summary.
Timings summarize(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  size_t n = ms.size();
  double median = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
  size_t p90 = std::min(n - 1, static_cast<size_t>(0.9 * static_cast<double>(n)));
  return {median, ms.front(), ms.back(), ms[p90]};
}

} // namespace

int tfmc::cli::runBench(const char *argv0) {
  CompileRequest request;
  BenchArgs args;
  std::string error;
  if (!readCompileRequest(request, error) || !readBenchArgs(args, error)) {
    errs() << "tfmc bench: " << error << "\n";
    return 1;
  }
  std::string library;
  if (!compiledLibrary(request, args.cacheDir.empty() ? defaultCacheDir() : args.cacheDir, argv0,
                       library, error)) {
    errs() << error << "\n";
    return 2;
  }
  LoadedModel loaded;
  if (!loaded.load(library, request.options.modelName, args.threads, args.device, error)) {
    errs() << "tfmc bench: " << error << "\n";
    return 1;
  }
  std::vector<runner::HostTensor> inputs, expected;
  if (!readModelData(args.dataDir, loaded.model, inputs, expected, error)) {
    errs() << error << "\n";
    return 1;
  }
  std::vector<tfmrt_tensor> inputViews;
  for (const runner::HostTensor &input : inputs)
    inputViews.push_back(input.view());
  std::vector<tfmrt_tensor> outputs(loaded.model->num_outputs);

  std::vector<double> ms;
  for (int i = 0; i < args.warmups + args.iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (tfmrt_instance_run(loaded.instance, inputViews.data(), inputViews.size(), outputs.data(),
                           outputs.size()) != TFMRT_OK) {
      errs() << args.dataDir << ": " << tfmrt_instance_error(loaded.instance) << "\n";
      return 1;
    }
    std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
    if (i >= args.warmups)
      ms.push_back(elapsed.count());
  }
  Timings t = summarize(ms);
  int threads = tfmrt_instance_num_threads(loaded.instance);
  uint64_t arena = tfmrt_instance_arena_bytes(loaded.instance);
  // A CUDA model's host code only launches: its kernels are the GPU's.
  const CompileOptions &options = request.options;
  std::string kernels =
      options.target == CompileTarget::CUDA
          ? formatv("CUDA device {0} {1} {2}-matmul", args.device, options.gpuArch,
                    toString(options.gpuMatMulPrecision))
                .str()
          : tfmrt_instance_kernel_isa(loaded.instance);
  if (args.json) {
    json::Object result{{"model", request.modelPath},  {"threads", threads},
                        {"iters", args.iterations},    {"median_ms", t.median},
                        {"min_ms", t.min},             {"max_ms", t.max},
                        {"p90_ms", t.p90},             {"arena_bytes", arena},
                        {"kernels", kernels}};
    outs() << formatv("{0:2}", json::Value(std::move(result))) << "\n";
  } else {
    outs() << formatv("{0}: median {1:f3} ms, min {2:f3}, max {3:f3}, p90 {4:f3} "
                      "({5} runs, {6} threads, {7} kernels, arena {8} bytes)\n",
                      request.modelPath, t.median, t.min, t.max, t.p90, args.iterations, threads,
                      kernels, arena);
  }
  return 0;
}
