// One network compiled twice: mlp_inline with its weights in the object,
// mlp_external with --external-weights. Creating mlp_external needs its
// weights file; given it, both compute the same outputs.
// Usage: app <mlp_external.weights> <a truncated copy> <a missing path>
#include "mlp_external.h"
#include "mlp_inline.h"

#include <cmath>
#include <cstdio>

namespace {

const char *orNone(const char *message) { return message ? message : "(none)"; }

} // namespace

int main(int argc, char **argv) {
  if (argc != 4)
    return 2;
  // The input make_weighted_mlp.py writes to x.npy.
  float x[4 * 64];
  for (int i = 0; i < 4 * 64; ++i)
    x[i] = float((i % 13) - 6) * 0.125f;
  tfmrt_tensor input{};
  input.data = x;
  input.dtype = TFMRT_DTYPE_F32;
  input.rank = 2;
  input.shape[0] = 4;
  input.shape[1] = 64;

  const char *error = nullptr;
  tfmrt_instance *none = mlp_external_create(nullptr, &error);
  std::printf("no options: %s: %s\n", none ? "created" : "refused", orNone(error));
  tfmrt_options options{1, nullptr};
  none = mlp_external_create(&options, &error);
  std::printf("no path: %s: %s\n", none ? "created" : "refused", orNone(error));
  options.weights_path = argv[2];
  tfmrt_instance *truncated = mlp_external_create(&options, &error);
  std::printf("truncated: %s: %s\n", truncated ? "created" : "refused", orNone(error));
  options.weights_path = argv[3];
  tfmrt_instance *missing = mlp_external_create(&options, &error);
  std::printf("missing: %s: %s\n", missing ? "created" : "refused", orNone(error));

  options.weights_path = argv[1];
  tfmrt_instance *external = mlp_external_create(&options, &error);
  tfmrt_instance *inline_ = mlp_inline_create(&options, &error); // ignores the path
  if (!external || !inline_) {
    std::printf("cannot create: %s\n", orNone(error));
    return 1;
  }
  tfmrt_tensor a[1], b[1];
  if (mlp_external_run(external, &input, a) != TFMRT_OK ||
      mlp_inline_run(inline_, &input, b) != TFMRT_OK) {
    std::printf("run failed: %s%s\n", mlp_external_error(external), mlp_inline_error(inline_));
    return 1;
  }
  float maxDiff = 0, maxAbs = 0;
  for (int i = 0; i < 4 * 32; ++i) {
    float u = static_cast<const float *>(a[0].data)[i], v = static_cast<const float *>(b[0].data)[i];
    maxDiff = std::fmax(maxDiff, std::fabs(u - v));
    maxAbs = std::fmax(maxAbs, std::fabs(v));
  }
  std::printf("external: [%lld, %lld], max |inline| %s, max difference %g\n",
              (long long)a[0].shape[0], (long long)a[0].shape[1], maxAbs > 0.1f ? "> 0.1" : "small",
              maxDiff);
  mlp_external_destroy(external);
  mlp_inline_destroy(inline_);
  return 0;
}
