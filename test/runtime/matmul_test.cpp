//===- matmul_test.cpp - tfmrt_matmul_f32 against a naive reference -------===//
//
// Every kernel the CPU runs (generic, AVX2, AVX-512), 1 to 3 threads, shapes
// with tails in M, N and K, zero sizes, batch broadcast, padded leading
// dimensions; each also with B packed ahead (tfmrt_matmul_f32_packed_b),
// and each with an epilogue (the _epilogue variants) that must see every
// element of C once, final.
// `--bench [avx512|avx2|generic]` prints GFLOP/s instead (of the CPU's best
// kernel, or the one named).
//
//===----------------------------------------------------------------------===//

#include "Instance.h"
#include "TestUtil.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <array>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <random>
#include <vector>

using tfmrt::MatMulIsa;

namespace {

struct Case {
  int64_t batch, m, n, k;
  bool broadcastA = false, broadcastB = false;
  int64_t padA = 0, padB = 0, padC = 0;
};

std::mt19937 rng(7);

std::vector<float> randomVector(size_t size) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(size);
  for (float &x : v)
    x = dist(rng);
  return v;
}

struct FreeDeleter {
  void operator()(float *p) const { std::free(p); }
};
using AlignedFloats = std::unique_ptr<float[], FreeDeleter>;

// B (k x n, rows ldb apart) in tfmrt.h's packed layout: 16-column panels of
// k rows, zero past column n, 64-byte aligned.
AlignedFloats packB(const float *b, int64_t k, int64_t n, int64_t ldb) {
  const int64_t w = TFMRT_PACKED_B_PANEL, panels = (n + w - 1) / w;
  size_t bytes = size_t(std::max<int64_t>(panels * k * w, 16)) * sizeof(float);
  AlignedFloats packed(static_cast<float *>(std::aligned_alloc(64, (bytes + 63) / 64 * 64)));
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t r = 0; r < k; ++r)
      for (int64_t j = 0; j < w; ++j)
        packed[size_t((p * k + r) * w + j)] = p * w + j < n ? b[r * ldb + p * w + j] : 0.0f;
  return packed;
}

// The epilogue under test: C = 2 C + 1 on its block, so that a block it
// saw before its K was done, or twice, or never, shows in C; and a block
// outside C's batches, rows and columns is flagged.
struct Epilogue {
  float *c;
  int64_t strideC, ldc, batch, m, n;
  std::atomic<bool> outside{false};
};

void doubleAndIncrement(void *arg, int64_t batch, int64_t row0, int64_t row1, int64_t col0,
                        int64_t col1) {
  auto &e = *static_cast<Epilogue *>(arg);
  if (batch < 0 || batch >= e.batch || row0 < 0 || row1 > e.m || col0 < 0 || col1 > e.n) {
    e.outside = true;
    return;
  }
  for (int64_t i = row0; i < row1; ++i)
    for (int64_t j = col0; j < col1; ++j) {
      float &x = e.c[batch * e.strideC + i * e.ldc + j];
      x = 2 * x + 1;
    }
}

// Runs one case; returns whether it matched (and prints the first mismatch).
// With `packed`, B (broadcast over the batch) goes in packed ahead; with
// `epilogue`, doubleAndIncrement runs on C's blocks.
bool runCase(tfmrt_instance *instance, const Case &t, const char *label, bool packed = false,
             bool epilogue = false) {
  int64_t lda = t.k + t.padA, ldb = t.n + t.padB, ldc = t.n + t.padC;
  int64_t strideA = t.broadcastA ? 0 : t.m * lda + 3;
  int64_t strideB = t.broadcastB || packed ? 0 : t.k * ldb + 5;
  int64_t strideC = t.m * ldc + 2;
  int64_t batches = std::max<int64_t>(t.batch, 1);
  std::vector<float> a = randomVector(size_t((t.broadcastA ? 1 : batches) * (t.m * lda + 3)));
  std::vector<float> b = randomVector(size_t((t.broadcastB ? 1 : batches) * (t.k * ldb + 5)));
  std::vector<float> c(size_t(batches * strideC), NAN); // NaN: C must be overwritten
  Epilogue check{c.data(), strideC, ldc, t.batch, t.m, t.n};
  tfmrt_tile_fn fn = epilogue ? doubleAndIncrement : nullptr;
  if (packed)
    tfmrt_matmul_f32_packed_b_epilogue(instance, t.batch, t.m, t.n, t.k, a.data(), strideA, lda,
                                       packB(b.data(), t.k, t.n, ldb).get(), c.data(), strideC,
                                       ldc, fn, &check);
  else
    tfmrt_matmul_f32_epilogue(instance, t.batch, t.m, t.n, t.k, a.data(), strideA, lda, b.data(),
                              strideB, ldb, c.data(), strideC, ldc, fn, &check);
  if (check.outside) {
    std::fprintf(stderr, "%s: epilogue called outside C\n", label);
    return false;
  }
  for (int64_t bi = 0; bi < batches; ++bi)
    for (int64_t i = 0; i < t.m; ++i)
      for (int64_t j = 0; j < ldc; ++j) {
        float got = c[size_t(bi * strideC + i * ldc + j)];
        if (j >= t.n || bi >= t.batch) { // padding: untouched
          if (!std::isnan(got)) {
            std::fprintf(stderr, "%s%s: batch %lld m %lld n %lld k %lld: wrote C padding (%lld, %lld)\n",
                         label, packed ? " (packed B)" : "", (long long)t.batch, (long long)t.m, (long long)t.n,
                         (long long)t.k, (long long)i, (long long)j);
            return false;
          }
          continue;
        }
        double ref = 0, mag = 0;
        for (int64_t p = 0; p < t.k; ++p) {
          double x = a[size_t(bi * strideA + i * lda + p)], y = b[size_t(bi * strideB + p * ldb + j)];
          ref += x * y;
          mag += std::fabs(x * y);
        }
        if (epilogue)
          ref = 2 * ref + 1, mag = 2 * mag + 1;
        if (!(std::fabs(got - ref) <= 1e-5 * mag) && !(t.k == 0 && got == ref)) {
          std::fprintf(stderr,
                       "%s%s: batch %lld m %lld n %lld k %lld (bcast %d%d pads %lld %lld %lld): "
                       "C[%lld][%lld][%lld] = %g, expected %g\n",
                       label, packed ? " (packed B)" : epilogue ? " (epilogue)" : "", (long long)t.batch, (long long)t.m, (long long)t.n, (long long)t.k,
                       t.broadcastA, t.broadcastB, (long long)t.padA, (long long)t.padB,
                       (long long)t.padC, (long long)bi, (long long)i, (long long)j, got, ref);
          return false;
        }
      }
  return true;
}

std::vector<Case> cases() {
  std::vector<Case> list = {
      {1, 1, 1, 1},        {1, 17, 65, 33},     {1, 0, 5, 5},          {1, 5, 0, 5},
      {1, 5, 5, 0},        {0, 5, 5, 5},        {1, 128, 768, 768},    {1, 300, 1100, 70},
      {2, 64, 100, 300},   {12, 33, 33, 64},    {1, 257, 40, 513},     {1, 3, 2049, 9},
      {3, 7, 9, 11, true}, {4, 13, 40, 20, false, true},               {5, 9, 47, 31, true, false, 3, 0, 0},
      {2, 17, 33, 65, false, false, 5, 3, 7}, {3, 31, 70, 129, false, true, 1, 17, 9},
  };
  for (int64_t m : {1, 5, 6, 7, 8, 9, 13, 16, 17})
    for (int64_t n : {1, 15, 16, 17, 31, 32, 33, 63, 65})
      list.push_back({1, m, n, 19, false, false, 0, 0, 0});
  for (int64_t k : {1, 2, 255, 256, 257, 1000})
    list.push_back({1, 9, 35, k, false, false, 1, 0, 0});
  // One row (a decoder's token) against B read in place or packed, K tails.
  for (int64_t k : {1, 3, 4, 5, 257, 1000})
    list.push_back({1, 1, 47, k, false, false, 0, 0, 0});
  list.push_back({3, 1, 40, 21, false, false, 2, 0, 3});
  std::uniform_int_distribution<int> small(0, 70), pad(0, 9), coin(0, 3);
  for (int i = 0; i < 40; ++i)
    list.push_back({1 + coin(rng), small(rng), small(rng), small(rng), coin(rng) == 0,
                    coin(rng) == 0, pad(rng), pad(rng), pad(rng)});
  return list;
}

const tfmrt_model &emptyModel() {
  static const tfmrt_model model = {TFMRT_ABI_VERSION, 0, 0, 0, "matmul", "test", nullptr,
                                    nullptr, nullptr,
                                    [](tfmrt_instance *, const tfmrt_tensor *, tfmrt_tensor *) {
                                      return int32_t(TFMRT_OK);
                                    }};
  return model;
}

int runTests() {
  std::vector<Case> list = cases();
  for (MatMulIsa isa : {MatMulIsa::Generic, MatMulIsa::Avx2, MatMulIsa::Avx512}) {
    if (!tfmrt::supportsMatMulIsa(isa)) {
      std::printf("skipping %s: not supported by this CPU\n", tfmrt::matMulIsaName(isa));
      continue;
    }
    for (int threads : {1, 2, 3}) {
      tfmrt_options options{threads};
      tfmrt_instance *instance = tfmrt_instance_create(&emptyModel(), &options, nullptr);
      CHECK(instance);
      if (!instance)
        continue;
      instance->matMulIsa = isa;
      char label[64];
      std::snprintf(label, sizeof label, "%s, %d thread(s)", tfmrt::matMulIsaName(isa), threads);
      int failed = 0;
      for (bool packed : {false, true})
        for (bool epilogue : {false, true})
          for (const Case &t : list)
            if (!runCase(instance, t, label, packed, epilogue) && ++failed >= 5)
              break;
      CHECK(failed == 0);
      tfmrt_instance_destroy(instance);
    }
  }
  // A NULL instance runs single-threaded with the best kernel.
  for (size_t i = 0; i < 12; ++i) {
    CHECK(runCase(nullptr, list[i], "NULL instance"));
    CHECK(runCase(nullptr, list[i], "NULL instance", true));
  }
  return test::finish("tfmrt-matmul-test");
}

// Packed B three ways: unpacked, packed and hot in cache, and packed
// weights cycled through copies larger than the last-level cache, as a
// model's weights arrive.
enum class BenchB { Unpacked, PackedHot, PackedCold };

int bench(const char *isaName) {
  constexpr size_t coldBytes = size_t(512) << 20;
  for (int threads : {1, 2}) {
    tfmrt_options options{threads};
    tfmrt_instance *instance = tfmrt_instance_create(&emptyModel(), &options, nullptr);
    for (MatMulIsa isa : {MatMulIsa::Generic, MatMulIsa::Avx2, MatMulIsa::Avx512})
      if (isaName && std::strcmp(isaName, tfmrt::matMulIsaName(isa)) == 0)
        instance->matMulIsa = isa;
    for (auto [m, n, k] : {std::array<int64_t, 3>{128, 768, 768}, {128, 3072, 768},
                           {128, 768, 3072}, {512, 768, 768}, {12 * 128, 128, 64}, {1, 768, 768},
                           {1, 3072, 768}})
      for (BenchB mode : {BenchB::Unpacked, BenchB::PackedHot, BenchB::PackedCold}) {
        std::vector<float> a = randomVector(size_t(m * k)), b = randomVector(size_t(k * n)),
                           c(size_t(m * n));
        std::vector<AlignedFloats> copies;
        size_t count = mode == BenchB::PackedCold ? coldBytes / size_t(k * n * 4) + 1 : 1;
        for (size_t i = 0; i < count; ++i)
          copies.push_back(packB(b.data(), k, n, n));
        size_t next = 0;
        auto once = [&] {
          if (mode == BenchB::Unpacked)
            tfmrt_matmul_f32(instance, 1, m, n, k, a.data(), 0, k, b.data(), 0, n, c.data(), 0,
                             n);
          else
            tfmrt_matmul_f32_packed_b(instance, 1, m, n, k, a.data(), 0, k,
                                      copies[next++ % count].get(), c.data(), 0, n);
        };
        for (int i = 0; i < 5; ++i)
          once();
        std::vector<double> seconds;
        double total = 0;
        while (total < 1.0 && seconds.size() < 2000) {
          auto t0 = std::chrono::steady_clock::now();
          once();
          seconds.push_back(
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
          total += seconds.back();
        }
        std::sort(seconds.begin(), seconds.end());
        double flops = 2.0 * double(m) * double(n) * double(k);
        static const char *modeNames[] = {"", " packed B", " packed B, cold"};
        std::printf("%s %d thread(s) M=%lld N=%lld K=%lld%s: best %.1f, median %.1f GFLOP/s\n",
                    tfmrt::matMulIsaName(instance->matMulIsa), threads, (long long)m,
                    (long long)n, (long long)k, modeNames[int(mode)], flops / seconds[0] * 1e-9,
                    flops / seconds[seconds.size() / 2] * 1e-9);
      }
    tfmrt_instance_destroy(instance);
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc > 1 && std::strcmp(argv[1], "--bench") == 0)
    return bench(argc > 2 ? argv[2] : nullptr);
  return runTests();
}
