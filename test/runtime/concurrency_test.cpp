//===- concurrency_test.cpp - instances running at once --------------------===//
//
// Two instances of one fake model and one of another run concurrently from
// three threads, 200 runs each, with shapes that change between runs (so the
// arenas overflow and grow). The fake entries allocate and free through
// tfmrt_alloc/tfmrt_free, call tfmrt_parallel_for (nested too) and
// tfmrt_matmul_f32 (from inside a parallel body too), and the threads check
// every output against a naive reference. Built twice: plain and under TSan.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <cmath>
#include <random>
#include <thread>
#include <vector>

namespace {

constexpr int64_t projIn = 32, projOut = 48;
constexpr int64_t heads = 4, headDim = 16, valueDim = 8;
float projWeights[projIn * projOut];
float valueWeights[headDim * valueDim];

void initWeights() {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1, 1);
  for (float &w : projWeights)
    w = dist(rng);
  for (float &w : valueWeights)
    w = dist(rng);
}

bool close(float got, double expected, double magnitude) {
  return std::fabs(got - expected) <= 1e-5 * (magnitude + 1);
}

//--- Model A: y = relu(x W) * 2 ---------------------------------------------

struct ProjRows {
  tfmrt_instance *instance;
  const float *x;
  const float *h;
  float *h2;
  float *y;
};

struct ProjCols {
  const ProjRows *rows;
  int64_t row;
};

void projColumns(void *arg, int64_t begin, int64_t end) {
  auto *c = static_cast<ProjCols *>(arg);
  for (int64_t j = begin; j < end; ++j) {
    float v = c->rows->h[c->row * projOut + j];
    c->rows->y[c->row * projOut + j] = (v > 0 ? v : 0) * 2;
  }
}

void projBody(void *arg, int64_t begin, int64_t end) {
  auto *r = static_cast<ProjRows *>(arg);
  // A matmul from inside a parallel body runs inline on this thread.
  tfmrt_matmul_f32(r->instance, 1, end - begin, projOut, projIn, r->x + begin * projIn, 0, projIn,
                   projWeights, 0, projOut, r->h2 + begin * projOut, 0, projOut);
  for (int64_t i = begin; i < end; ++i) {
    ProjCols cols{r, i};
    tfmrt_parallel_for(r->instance, projOut, projColumns, &cols); // nested: inline
  }
}

int32_t projEntry(tfmrt_instance *instance, const tfmrt_tensor *inputs, tfmrt_tensor *outputs) {
  int64_t n = inputs[0].shape[0];
  const auto *x = static_cast<const float *>(inputs[0].data);
  // Scratch of shape-dependent sizes, freed out of order, to churn the arena.
  void *s1 = tfmrt_alloc(instance, n * 100);
  void *s2 = tfmrt_alloc(instance, 4096 + n * 7);
  auto *h = static_cast<float *>(tfmrt_alloc(instance, n * projOut * 4));
  auto *h2 = static_cast<float *>(tfmrt_alloc(instance, n * projOut * 4));
  if (!s1 || !s2 || !h || !h2)
    return TFMRT_OUT_OF_MEMORY;
  std::memset(s1, 1, size_t(n * 100));
  tfmrt_free(instance, s2);
  tfmrt_matmul_f32(instance, 1, n, projOut, projIn, x, 0, projIn, projWeights, 0, projOut, h, 0,
                   projOut);
  tfmrt_free(instance, s1);
  auto *y = static_cast<float *>(tfmrt_alloc(instance, n * projOut * 4));
  if (!y)
    return TFMRT_OUT_OF_MEMORY;
  ProjRows rows{instance, x, h, h2, y};
  tfmrt_parallel_for(instance, n, projBody, &rows);
  // Same K order per element whatever the tiling: bitwise equal.
  int32_t status = std::memcmp(h, h2, size_t(n * projOut * 4)) == 0 ? TFMRT_OK : TFMRT_INTERNAL;
  tfmrt_free(instance, h);
  tfmrt_free(instance, h2);
  int64_t shape[] = {n, projOut};
  outputs[0] = test::makeTensor(y, TFMRT_DTYPE_F32, 2, shape);
  return status;
}

const int64_t projXDims[] = {-1, projIn};
const int32_t projXSymbols[] = {0, -1};
const int64_t projYDims[] = {-1, projOut};
const char *const projSymbols[] = {"n"};
const tfmrt_tensor_desc projInputs[] = {{"x", TFMRT_DTYPE_F32, 2, projXDims, projXSymbols}};
const tfmrt_tensor_desc projOutputs[] = {{"y", TFMRT_DTYPE_F32, 2, projYDims, projXSymbols}};
const tfmrt_model projModel = {TFMRT_ABI_VERSION, 1, 1, 1, "proj", "test", projInputs,
                               projOutputs, projSymbols, projEntry};

//--- Model B: scores = q k^T per head, values = q V (V broadcast) -----------

struct Transpose {
  const float *k;
  float *kT;
  int64_t s;
};

void transposeBody(void *arg, int64_t begin, int64_t end) {
  auto *t = static_cast<Transpose *>(arg);
  for (int64_t hd = begin; hd < end; ++hd) // one head per item
    for (int64_t i = 0; i < t->s; ++i)
      for (int64_t d = 0; d < headDim; ++d)
        t->kT[hd * headDim * t->s + d * t->s + i] = t->k[hd * t->s * headDim + i * headDim + d];
}

int32_t attnEntry(tfmrt_instance *instance, const tfmrt_tensor *inputs, tfmrt_tensor *outputs) {
  int64_t s = inputs[0].shape[1];
  const auto *q = static_cast<const float *>(inputs[0].data);
  const auto *k = static_cast<const float *>(inputs[1].data);
  auto *kT = static_cast<float *>(tfmrt_alloc(instance, heads * headDim * s * 4));
  auto *scores = static_cast<float *>(tfmrt_alloc(instance, heads * s * s * 4));
  auto *values = static_cast<float *>(tfmrt_alloc(instance, heads * s * valueDim * 4));
  if (!kT || !scores || !values)
    return TFMRT_OUT_OF_MEMORY;
  Transpose t{k, kT, s};
  tfmrt_parallel_for(instance, heads, transposeBody, &t);
  tfmrt_matmul_f32(instance, heads, s, s, headDim, q, s * headDim, headDim, kT, headDim * s, s,
                   scores, s * s, s);
  tfmrt_free(instance, kT);
  tfmrt_matmul_f32(instance, heads, s, valueDim, headDim, q, s * headDim, headDim, valueWeights, 0,
                   valueDim, values, s * valueDim, valueDim);
  int64_t scoreShape[] = {heads, s, s}, valueShape[] = {heads, s, valueDim};
  outputs[0] = test::makeTensor(scores, TFMRT_DTYPE_F32, 3, scoreShape);
  outputs[1] = test::makeTensor(values, TFMRT_DTYPE_F32, 3, valueShape);
  return TFMRT_OK;
}

const int64_t qkDims[] = {heads, -1, headDim};
const int32_t qkSymbols[] = {-1, 0, -1};
const int64_t scoreDims[] = {heads, -1, -1};
const int32_t scoreSymbols[] = {-1, 0, 0};
const int64_t valueDims[] = {heads, -1, valueDim};
const char *const attnSymbols[] = {"sequence"};
const tfmrt_tensor_desc attnInputs[] = {{"q", TFMRT_DTYPE_F32, 3, qkDims, qkSymbols},
                                        {"k", TFMRT_DTYPE_F32, 3, qkDims, qkSymbols}};
const tfmrt_tensor_desc attnOutputs[] = {
    {"scores", TFMRT_DTYPE_F32, 3, scoreDims, scoreSymbols},
    {"values", TFMRT_DTYPE_F32, 3, valueDims, qkSymbols}};
const tfmrt_model attnModel = {TFMRT_ABI_VERSION, 2, 2, 1, "attn", "test", attnInputs,
                               attnOutputs, attnSymbols, attnEntry};

//--- Drivers ----------------------------------------------------------------

const int64_t sizes[] = {1, 7, 64, 130, 33, 3, 200, 17};
constexpr int runs = 200;

std::vector<float> randomVector(std::mt19937 &rng, size_t size) {
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<float> v(size);
  for (float &x : v)
    x = dist(rng);
  return v;
}

void runProj(tfmrt_instance *instance, int seed) {
  std::mt19937 rng(seed);
  for (int run = 0; run < runs; ++run) {
    int64_t n = sizes[(run + seed) % 8];
    std::vector<float> x = randomVector(rng, size_t(n * projIn));
    int64_t shape[] = {n, projIn};
    tfmrt_tensor in = test::makeTensor(x.data(), TFMRT_DTYPE_F32, 2, shape);
    tfmrt_tensor out{};
    tfmrt_status status = tfmrt_instance_run(instance, &in, 1, &out, 1);
    CHECK(status == TFMRT_OK);
    if (status != TFMRT_OK) {
      std::fprintf(stderr, "proj run %d: %s\n", run, tfmrt_instance_error(instance));
      return;
    }
    CHECK(out.rank == 2 && out.shape[0] == n && out.shape[1] == projOut);
    const auto *y = static_cast<const float *>(out.data);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < projOut; ++j) {
        double ref = 0, mag = 0;
        for (int64_t p = 0; p < projIn; ++p) {
          ref += double(x[size_t(i * projIn + p)]) * projWeights[p * projOut + j];
          mag += std::fabs(double(x[size_t(i * projIn + p)]) * projWeights[p * projOut + j]);
        }
        ref = (ref > 0 ? ref : 0) * 2;
        if (!close(y[i * projOut + j], ref, 2 * mag)) {
          CHECK(!"proj output mismatch");
          std::fprintf(stderr, "proj run %d n %lld: y[%lld][%lld] = %g, expected %g\n", run,
                       (long long)n, (long long)i, (long long)j, y[i * projOut + j], ref);
          return;
        }
      }
  }
}

void runAttn(tfmrt_instance *instance, int seed) {
  std::mt19937 rng(seed);
  for (int run = 0; run < runs; ++run) {
    int64_t s = sizes[(run * 3 + seed) % 8];
    std::vector<float> q = randomVector(rng, size_t(heads * s * headDim));
    std::vector<float> k = randomVector(rng, size_t(heads * s * headDim));
    int64_t shape[] = {heads, s, headDim};
    tfmrt_tensor in[] = {test::makeTensor(q.data(), TFMRT_DTYPE_F32, 3, shape),
                         test::makeTensor(k.data(), TFMRT_DTYPE_F32, 3, shape)};
    tfmrt_tensor out[2] = {};
    tfmrt_status status = tfmrt_instance_run(instance, in, 2, out, 2);
    CHECK(status == TFMRT_OK);
    if (status != TFMRT_OK) {
      std::fprintf(stderr, "attn run %d: %s\n", run, tfmrt_instance_error(instance));
      return;
    }
    const auto *scores = static_cast<const float *>(out[0].data);
    const auto *values = static_cast<const float *>(out[1].data);
    for (int64_t hd = 0; hd < heads; ++hd)
      for (int64_t i = 0; i < s; ++i) {
        const float *qi = &q[size_t((hd * s + i) * headDim)];
        for (int64_t j = 0; j < s; ++j) {
          const float *kj = &k[size_t((hd * s + j) * headDim)];
          double ref = 0, mag = 0;
          for (int64_t d = 0; d < headDim; ++d) {
            ref += double(qi[d]) * kj[d];
            mag += std::fabs(double(qi[d]) * kj[d]);
          }
          if (!close(scores[(hd * s + i) * s + j], ref, mag)) {
            CHECK(!"attn scores mismatch");
            return;
          }
        }
        for (int64_t j = 0; j < valueDim; ++j) {
          double ref = 0, mag = 0;
          for (int64_t d = 0; d < headDim; ++d) {
            ref += double(qi[d]) * valueWeights[d * valueDim + j];
            mag += std::fabs(double(qi[d]) * valueWeights[d * valueDim + j]);
          }
          if (!close(values[(hd * s + i) * valueDim + j], ref, mag)) {
            CHECK(!"attn values mismatch");
            return;
          }
        }
      }
  }
}

} // namespace

int main() {
  initWeights();
  tfmrt_options options{2};
  tfmrt_instance *proj1 = tfmrt_instance_create(&projModel, &options, nullptr);
  tfmrt_instance *proj2 = tfmrt_instance_create(&projModel, &options, nullptr);
  tfmrt_instance *attn = tfmrt_instance_create(&attnModel, &options, nullptr);
  CHECK(proj1 && proj2 && attn);
  if (!proj1 || !proj2 || !attn)
    return test::finish("tfmrt-concurrency-test");
  std::thread t1(runProj, proj1, 1), t2(runProj, proj2, 2), t3(runAttn, attn, 3);
  t1.join();
  t2.join();
  t3.join();
  CHECK(tfmrt_instance_arena_bytes(proj1) > 0 && tfmrt_instance_arena_bytes(attn) > 0);
  tfmrt_instance_destroy(proj1);
  tfmrt_instance_destroy(proj2);
  tfmrt_instance_destroy(attn);
  return test::finish("tfmrt-concurrency-test");
}
