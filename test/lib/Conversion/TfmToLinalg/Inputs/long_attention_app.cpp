// Runs the causal MultiHeadAttention model long_attention.py writes (compiled
// as `mha`) at 1024, 2048 and 4096 positions, each on a fresh instance, and
// prints the arena each needed: a second, one-position run grows the arena to
// the first run's peak (runtime/src/Arena.h). Writes the 1024-position output
// to out_1024.bin for the numpy comparison.
// Usage: app DIR (holding q.bin, k.bin and v.bin of 4096 x 256 floats)
#include "mha.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace {

constexpr int64_t kMaxSeq = 4096, kHidden = 256;

std::vector<float> readFloats(const std::string &path) {
  std::vector<float> data(kMaxSeq * kHidden);
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f || std::fread(data.data(), sizeof(float), data.size(), f) != data.size())
    data.clear();
  if (f)
    std::fclose(f);
  return data;
}

tfmrt_tensor rows(std::vector<float> &data, int64_t seq) {
  tfmrt_tensor t{};
  t.data = data.data();
  t.dtype = TFMRT_DTYPE_F32;
  t.rank = 3;
  t.shape[0] = 1;
  t.shape[1] = seq;
  t.shape[2] = kHidden;
  return t;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  std::string dir = argv[1];
  std::vector<float> q = readFloats(dir + "/q.bin"), k = readFloats(dir + "/k.bin"),
                     v = readFloats(dir + "/v.bin");
  if (q.empty() || k.empty() || v.empty()) {
    std::printf("cannot read the inputs in %s\n", dir.c_str());
    return 1;
  }
  tfmrt_options options{1, nullptr};
  size_t previous = 0;
  for (int64_t seq : {1024, 2048, 4096}) {
    tfmrt_instance *instance = mha_create(&options, nullptr);
    tfmrt_tensor outputs[1];
    bool finite = true;
    for (int64_t len : {seq, int64_t(1)}) {
      tfmrt_tensor inputs[3] = {rows(q, len), rows(k, len), rows(v, len)};
      if (!instance || mha_run(instance, inputs, outputs) != TFMRT_OK) {
        std::printf("run at %lld failed: %s\n", (long long)len,
                    instance ? mha_error(instance) : "no instance");
        return 1;
      }
      if (len != seq)
        continue;
      const float *out = static_cast<const float *>(outputs[0].data);
      for (int64_t i = 0; i < seq * kHidden; ++i)
        finite = finite && std::isfinite(out[i]);
      if (seq == 1024) {
        FILE *f = std::fopen((dir + "/out_1024.bin").c_str(), "wb");
        std::fwrite(out, sizeof(float), seq * kHidden, f);
        std::fclose(f);
      }
    }
    size_t bytes = tfmrt_instance_arena_bytes(instance);
    std::printf("seq %lld: arena %zu bytes, outputs %s", (long long)seq, bytes,
                finite ? "finite" : "NOT FINITE");
    // Linear growth doubles the arena per doubling; the [S, T] scores would
    // quadruple it.
    if (previous)
      std::printf(", growth %s 2.5x", double(bytes) / double(previous) < 2.5 ? "<" : ">=");
    std::printf("\n");
    previous = bytes;
    mha_destroy(instance);
  }
  return 0;
}
