//===- cuda_gpu_test.cpp - tfmrt_cuda on a GPU: the Add model's kernel ----===//
//
// Loads the PTX that `tfmc compile --target=cuda --emit=ptx` writes for
// ONNX's test_add (sum = x + y over 3x4x5 floats), launches its kernel on
// the instance's device buffers three times and compares with the CPU;
// checks the messages of a bad PTX, a missing kernel and a bad launch.
//
// The launch below spells out what the model's gpu.launch_func passes, to
// test the loader apart from tfmc's host code (cuda-add-ptx.test pins that
// ABI; compiled-cuda.test runs the host code): nine
// index operands, then each memref as (allocated, aligned, offset, sizes,
// strides), 36 64-bit parameters; 1x4x3 blocks of 128x1x1 threads.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "tfmrt/tfmrt_cuda.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr int64_t elements = 3 * 4 * 5;

struct Memref3D {
  uint64_t fields[9];
  explicit Memref3D(tfmrt_cuda_ptr data) : fields{data, data, 0, 3, 4, 5, 20, 5, 1} {}
};

// One run: x, y in, sum out; returns the buffers' addresses.
std::vector<tfmrt_cuda_ptr> runAdd(tfmrt_cuda_instance *instance, tfmrt_cuda_kernel kernel,
                                   const std::vector<float> &x, const std::vector<float> &y,
                                   std::vector<float> &sum) {
  const int64_t bytes = elements * sizeof(float);
  CHECK(tfmrt_cuda_begin_run(instance) == TFMRT_OK);
  tfmrt_cuda_ptr dx = tfmrt_cuda_alloc(instance, bytes), dy = tfmrt_cuda_alloc(instance, bytes),
                 dsum = tfmrt_cuda_alloc(instance, bytes);
  CHECK(dx && dy && dsum);
  CHECK(tfmrt_cuda_copy_to_device(instance, dx, x.data(), bytes) == TFMRT_OK);
  CHECK(tfmrt_cuda_copy_to_device(instance, dy, y.data(), bytes) == TFMRT_OK);
  uint64_t scalars[9] = {1, 0, 1, 128, 1, 0, 3, 4, 5};
  Memref3D mx(dx), my(dy), msum(dsum);
  std::vector<void *> args;
  for (uint64_t &s : scalars)
    args.push_back(&s);
  for (Memref3D *m : {&mx, &my, &msum})
    for (uint64_t &field : m->fields)
      args.push_back(&field);
  const uint32_t grid[3] = {1, 4, 3}, block[3] = {128, 1, 1};
  if (tfmrt_cuda_launch(instance, kernel, grid, block, 0, args.data()) != TFMRT_OK)
    std::printf("launch failed: %s\n", tfmrt_cuda_instance_error(instance));
  CHECK(tfmrt_cuda_copy_to_host(instance, sum.data(), dsum, bytes) == TFMRT_OK);
  if (tfmrt_cuda_synchronize(instance) != TFMRT_OK)
    std::printf("synchronize failed: %s\n", tfmrt_cuda_instance_error(instance));
  tfmrt_cuda_free(instance, dx);
  tfmrt_cuda_free(instance, dy);
  return {dx, dy, dsum};
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: tfmrt-cuda-gpu-test add.ptx\n");
    return 2;
  }
  std::ifstream file(argv[1]);
  std::stringstream text;
  text << file.rdbuf();
  std::string ptx = text.str();
  CHECK(!ptx.empty());

  const char *error = nullptr;
  tfmrt_cuda_device *device = tfmrt_cuda_device_create(0, &error);
  if (!device) {
    std::printf("no device: %s\n", error);
    return 1;
  }
  std::printf("device: %s\n", tfmrt_cuda_device_name(device));

  const char *badPtx = ".version 8.0\n.target sm_80\n.address_size 64\n"
                       ".visible .entry broken()\n{\n\tno_such_instruction.b32 %r1;\n\tret;\n}\n";
  CHECK(!tfmrt_cuda_module_load(device, badPtx, &error));
  std::printf("bad ptx: %s\n", error);

  tfmrt_cuda_module *module = tfmrt_cuda_module_load(device, ptx.c_str(), &error);
  if (!module) {
    std::printf("load failed: %s\n", error);
    return 1;
  }
  CHECK(!tfmrt_cuda_module_kernel(module, "no_such_kernel", &error));
  std::printf("missing kernel: %s\n", error);
  tfmrt_cuda_kernel kernel = tfmrt_cuda_module_kernel(module, "main_graph_kernel", &error);
  CHECK(kernel);

  tfmrt_cuda_instance *instance = tfmrt_cuda_instance_create(device, &error);
  CHECK(instance);
  if (!kernel || !instance)
    return test::finish("tfmrt-cuda-gpu-test");

  std::vector<float> x(elements), y(elements), sum(elements);
  std::vector<tfmrt_cuda_ptr> previous;
  size_t previousArena = 0;
  for (int run = 1; run <= 3; ++run) {
    for (int64_t i = 0; i < elements; ++i) {
      x[i] = 0.25f * float(i * run) - 3.0f;
      y[i] = std::sin(float(i + run));
    }
    std::fill(sum.begin(), sum.end(), NAN);
    std::vector<tfmrt_cuda_ptr> addresses = runAdd(instance, kernel, x, y, sum);
    float maxDifference = 0;
    for (int64_t i = 0; i < elements; ++i) {
      float difference = std::fabs(sum[i] - (x[i] + y[i]));
      maxDifference = std::isnan(difference) ? INFINITY : std::fmax(maxDifference, difference);
    }
    size_t arena = tfmrt_cuda_instance_arena_bytes(instance);
    // The first run finds no block (overflow), the second grows it, the third reuses it.
    bool steady = run == 3 && addresses == previous && arena == previousArena;
    std::printf("run %d: max difference %g, arena %s%s\n", run, double(maxDifference),
                arena ? "grown" : "empty", steady ? ", same buffers" : "");
    previous = addresses;
    previousArena = arena;
  }

  const uint32_t ones[3] = {1, 1, 1}, zero[3] = {0, 1, 1};
  CHECK(tfmrt_cuda_launch(instance, kernel, zero, ones, 0, nullptr) == TFMRT_INVALID_ARGUMENT);
  std::printf("zero grid: %s\n", tfmrt_cuda_instance_error(instance));
  // The run's first failure stays; what follows does nothing until the next run.
  CHECK(tfmrt_cuda_alloc(instance, 16) == 0);
  CHECK(tfmrt_cuda_copy_to_host(instance, sum.data(), previous[2], -1) == TFMRT_INVALID_ARGUMENT);
  CHECK(tfmrt_cuda_synchronize(instance) == TFMRT_INVALID_ARGUMENT);
  std::printf("after it: %s\n", tfmrt_cuda_instance_error(instance));
  CHECK(tfmrt_cuda_begin_run(instance) == TFMRT_OK);
  CHECK(tfmrt_cuda_copy_to_host(instance, sum.data(), previous[2], -1) == TFMRT_INVALID_ARGUMENT);
  std::printf("negative copy: %s\n", tfmrt_cuda_instance_error(instance));
  // Shared memory: the host writes it, a copy reads it on the device.
  CHECK(tfmrt_cuda_begin_run(instance) == TFMRT_OK);
  tfmrt_cuda_ptr shared = tfmrt_cuda_alloc_shared(instance, sizeof(float));
  CHECK(shared != 0);
  if (shared) {
    *reinterpret_cast<float *>(uintptr_t(shared)) = 42.0f;
    float back = 0;
    CHECK(tfmrt_cuda_copy_to_host(instance, &back, shared, sizeof back) == TFMRT_OK);
    CHECK(tfmrt_cuda_synchronize(instance) == TFMRT_OK);
    std::printf("shared: %g\n", double(back));
  }
  static const float weight[2] = {1.5f, -2.0f};
  tfmrt_cuda_ptr constant = tfmrt_cuda_constant(instance, weight, sizeof weight);
  CHECK(constant != 0 && tfmrt_cuda_constant(instance, weight, sizeof weight) == constant);

  tfmrt_cuda_instance_destroy(instance);
  tfmrt_cuda_module_destroy(module);
  tfmrt_cuda_device_destroy(device);
  return test::finish("tfmrt-cuda-gpu-test");
}
