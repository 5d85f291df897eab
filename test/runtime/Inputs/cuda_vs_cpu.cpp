// Runs one model compiled twice, for the CPU (`--name cpu`) and with
// --target=cuda (`--name gpu`), on the same inputs and compares every
// output: max |gpu - cpu| / max(max |cpu|, 1e-6) must stay within argv[1]
// (default 1e-3; integers and bools exactly). Dynamic dims are 5 unless
// TFMC_DIMS names them (`batch=1,sequence=128`); floats are smooth values
// in [-1, 1]; integers are 1 (a valid token id and mask value). Runs twice,
// so the second run reuses the device arena and uploaded weights.
//   app TOLERANCE [GPU_WEIGHTS CPU_WEIGHTS]   builds with --external-weights
// TFMC_TIMED_RUNS=N then times N more runs of each build and prints the
// medians.
#include "tfmrt/tfmrt.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" const tfmrt_model cpu_model, gpu_model;

namespace {

struct Input {
  tfmrt_tensor tensor{};
  std::vector<unsigned char> bytes;
};

/// A dynamic dim's size: TFMC_DIMS's value for its symbol, else 5.
int64_t dynamicSize(const tfmrt_model &model, int32_t symbol) {
  const char *spec = std::getenv("TFMC_DIMS");
  if (!spec || symbol < 0 || uint32_t(symbol) >= model.num_symbols)
    return 5;
  std::string name = model.symbol_names[symbol], text = spec;
  for (size_t at = 0; at < text.size();) {
    size_t end = std::min(text.find(',', at), text.size()), eq = text.find('=', at);
    if (eq < end && text.compare(at, eq - at, name) == 0)
      return std::atoll(text.c_str() + eq + 1);
    at = end + 1;
  }
  return 5;
}

std::vector<Input> makeInputs(const tfmrt_model &model) {
  std::vector<Input> inputs(model.num_inputs);
  for (uint32_t i = 0; i < model.num_inputs; ++i) {
    const tfmrt_tensor_desc &desc = model.inputs[i];
    tfmrt_tensor &t = inputs[i].tensor;
    t.dtype = desc.dtype;
    t.rank = desc.rank;
    int64_t count = 1;
    for (int32_t d = 0; d < desc.rank; ++d)
      count *= t.shape[d] =
          desc.dims[d] >= 0 ? desc.dims[d] : dynamicSize(model, desc.dim_symbols[d]);
    size_t size = tfmrt_dtype_size(desc.dtype);
    inputs[i].bytes.assign(size_t(count) * size + 1, 0);
    unsigned char *data = inputs[i].bytes.data();
    for (int64_t e = 0; e < count; ++e) {
      if (desc.dtype == TFMRT_DTYPE_F32) {
        float v = std::sin(0.37f * float(e) + float(i));
        std::memcpy(data + e * size, &v, size);
      } else if (desc.dtype == TFMRT_DTYPE_I64) {
        int64_t v = 1;
        std::memcpy(data + e * size, &v, size);
      } else if (desc.dtype == TFMRT_DTYPE_I32) {
        int32_t v = 1;
        std::memcpy(data + e * size, &v, size);
      } else {
        data[e * size] = 1;
      }
    }
    t.data = data;
  }
  return inputs;
}

double valueAt(const tfmrt_tensor &t, int64_t e) {
  const unsigned char *p = static_cast<const unsigned char *>(t.data) + e * tfmrt_dtype_size(t.dtype);
  switch (t.dtype) {
  case TFMRT_DTYPE_F32: { float v; std::memcpy(&v, p, 4); return v; }
  case TFMRT_DTYPE_F64: { double v; std::memcpy(&v, p, 8); return v; }
  case TFMRT_DTYPE_I64: { int64_t v; std::memcpy(&v, p, 8); return double(v); }
  case TFMRT_DTYPE_I32: { int32_t v; std::memcpy(&v, p, 4); return v; }
  default: return p[0];
  }
}

/// The median wall time of `runs` runs of `instance`, in milliseconds.
double medianMs(tfmrt_instance *instance, const std::vector<tfmrt_tensor> &in,
                const tfmrt_model &model, int runs) {
  std::vector<double> ms;
  std::vector<tfmrt_tensor> out(model.num_outputs);
  for (int r = 0; r < std::max(runs, 1); ++r) {
    auto start = std::chrono::steady_clock::now();
    tfmrt_instance_run(instance, in.data(), in.size(), out.data(), out.size());
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

} // namespace

int main(int argc, char **argv) {
  double tolerance = argc > 1 ? std::atof(argv[1]) : 1e-3;
  const char *error = nullptr;
  tfmrt_options gpuOptions{}, cpuOptions{};
  if (argc > 3) { // both compiled with --external-weights
    gpuOptions.weights_path = argv[2];
    cpuOptions.weights_path = argv[3];
  }
  tfmrt_instance *cpu = tfmrt_instance_create(&cpu_model, &cpuOptions, &error);
  tfmrt_instance *gpu = cpu ? tfmrt_instance_create(&gpu_model, &gpuOptions, &error) : nullptr;
  if (!gpu) {
    std::printf("create failed: %s\n", error);
    return 1;
  }
  std::vector<Input> inputs = makeInputs(cpu_model);
  std::vector<tfmrt_tensor> in;
  for (const Input &input : inputs)
    in.push_back(input.tensor);
  int failures = 0;
  for (int run = 1; run <= 2; ++run) {
    std::vector<tfmrt_tensor> a(cpu_model.num_outputs), b(gpu_model.num_outputs);
    if (tfmrt_instance_run(cpu, in.data(), in.size(), a.data(), a.size()) != TFMRT_OK ||
        tfmrt_instance_run(gpu, in.data(), in.size(), b.data(), b.size()) != TFMRT_OK) {
      std::printf("run %d failed: cpu '%s', gpu '%s'\n", run, tfmrt_instance_error(cpu),
                  tfmrt_instance_error(gpu));
      return 1;
    }
    for (uint32_t j = 0; j < cpu_model.num_outputs; ++j) {
      int64_t count = 1;
      bool sameShape = a[j].rank == b[j].rank;
      for (int32_t d = 0; d < a[j].rank; ++d) {
        count *= a[j].shape[d];
        sameShape &= a[j].shape[d] == b[j].shape[d];
      }
      double maxDiff = 0, maxRef = 1e-6;
      for (int64_t e = 0; sameShape && e < count; ++e) {
        double x = valueAt(a[j], e), y = valueAt(b[j], e);
        maxRef = std::fmax(maxRef, std::fabs(x));
        maxDiff = std::isnan(y) != std::isnan(x) ? INFINITY : std::fmax(maxDiff, std::fabs(x - y));
      }
      bool exact = a[j].dtype != TFMRT_DTYPE_F32 && a[j].dtype != TFMRT_DTYPE_F64;
      double relative = maxDiff / maxRef;
      bool ok = sameShape && (exact ? maxDiff == 0 : relative <= tolerance);
      failures += !ok;
      if (run == 2)
        std::printf("output %s: %s, relative difference %g\n", cpu_model.outputs[j].name,
                    ok ? "agrees" : "MISMATCH", sameShape ? relative : INFINITY);
    }
  }
  if (const char *runs = std::getenv("TFMC_TIMED_RUNS"); runs && !failures) {
    double gpuMs = medianMs(gpu, in, gpu_model, std::atoi(runs));
    double cpuMs = medianMs(cpu, in, cpu_model, std::atoi(runs));
    std::printf("latency: gpu median %.3f ms, cpu median %.3f ms (%s runs, dims %s)\n", gpuMs,
                cpuMs, runs, std::getenv("TFMC_DIMS") ? std::getenv("TFMC_DIMS") : "5");
  }
  tfmrt_instance_destroy(gpu);
  tfmrt_instance_destroy(cpu);
  std::printf("%s\n", failures ? "FAILED" : "all outputs agree");
  return failures ? 1 : 0;
}
