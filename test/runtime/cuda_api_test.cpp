//===- cuda_api_test.cpp - tfmrt_cuda without a GPU -----------------------===//
//
// What the CUDA loader does before, or instead of, reaching a GPU: messages
// that name the CUDA call and error, the driver's absence or its stub,
// argument checks. Runs on every machine; where a GPU is present, the
// checks that expect none are skipped (cuda-gpu.test covers that case).
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "Objects.h"
#include "TestUtil.h"
#include "tfmrt/tfmrt_cuda.h"

#include <string>

using namespace tfmrt::cuda;

namespace {

bool startsWith(const char *text, const char *prefix) {
  return text && std::strncmp(text, prefix, std::strlen(prefix)) == 0;
}

void testFormatting() {
  CHECK(formatFailure(
            "cuModuleLoadDataEx", CUDA_ERROR_INVALID_PTX, "CUDA_ERROR_INVALID_PTX",
            firstLine("ptxas application ptx input, line 3; error   : Unknown symbol 'x'  \n"
                      "ptxas fatal   : Ptx assembly aborted due to errors\n")) ==
        "cuModuleLoadDataEx: CUDA_ERROR_INVALID_PTX: ptxas application ptx input, line 3; "
        "error   : Unknown symbol 'x'");
  CHECK(formatFailure("cuInit", 999, nullptr, "") == "cuInit: CUDA error 999");
  CHECK(firstLine("") == "");
  CHECK(firstLine(nullptr) == "");
  CHECK(firstLine("one\r\ntwo") == "one");
}

void testDriverLoading() {
  Driver missing;
  std::string reason = missing.open("/nonexistent/libcuda.so.1");
  CHECK(startsWith(reason.c_str(), "cannot load the CUDA driver: /nonexistent/libcuda.so.1"));
#ifdef TFMRT_CUDA_STUB_DRIVER
  // The toolkit's stub resolves every entry point but cannot initialize.
  Driver stub;
  CHECK(stub.open(TFMRT_CUDA_STUB_DRIVER) == "cuInit: CUDA_ERROR_STUB_LIBRARY");
#else
  std::printf("note: no stub libcuda.so found at configure time, stub check skipped\n");
#endif
}

void testArgumentChecks() {
  const char *error = nullptr;
  CHECK(!tfmrt_cuda_device_create(-1, &error));
  CHECK_STR(error, "tfmrt_cuda_device_create: ordinal -1 is negative");
  CHECK(!tfmrt_cuda_module_load(nullptr, ".version 8.0", &error));
  CHECK_STR(error, "tfmrt_cuda_module_load: device is NULL");
  CHECK(!tfmrt_cuda_module_kernel(nullptr, "k", &error));
  CHECK_STR(error, "tfmrt_cuda_module_kernel: module is NULL");
  CHECK(!tfmrt_cuda_instance_create(nullptr, &error));
  CHECK_STR(error, "tfmrt_cuda_instance_create: device is NULL");
  CHECK(!tfmrt_cuda_instance_create(nullptr, nullptr)); // error may be NULL

  uint32_t ones[3] = {1, 1, 1}, zero[3] = {1, 0, 1};
  CHECK(tfmrt_cuda_begin_run(nullptr) == TFMRT_INVALID_ARGUMENT);
  CHECK(tfmrt_cuda_alloc(nullptr, 16) == 0);
  CHECK(tfmrt_cuda_copy_to_device(nullptr, 256, ones, 4) == TFMRT_INVALID_ARGUMENT);
  CHECK(tfmrt_cuda_copy_to_host(nullptr, ones, 256, 4) == TFMRT_INVALID_ARGUMENT);
  CHECK(tfmrt_cuda_launch(nullptr, nullptr, ones, ones, 0, nullptr) == TFMRT_INVALID_ARGUMENT);
  CHECK(tfmrt_cuda_synchronize(nullptr) == TFMRT_INVALID_ARGUMENT);
  CHECK(tfmrt_cuda_alloc_shared(nullptr, 16) == 0);
  CHECK(tfmrt_cuda_constant(nullptr, ones, 4) == 0);
  CHECK(tfmrt_cuda_instance_status(nullptr) == TFMRT_INVALID_ARGUMENT);
  tfmrt_cuda_instance *cuda = nullptr;
  const tfmrt_cuda_kernel *kernels = nullptr;
  tfmrt_cuda_program program{".version 8.0", 0, nullptr};
  CHECK(tfmrt_cuda_run_start(nullptr, &program, &cuda, &kernels) == TFMRT_INVALID_ARGUMENT);
  CHECK(tfmrt_cuda_run_finish(nullptr, nullptr) == TFMRT_INVALID_ARGUMENT);
  CHECK(tfmrt_cuda_instance_arena_bytes(nullptr) == 0);
  CHECK_STR(tfmrt_cuda_instance_error(nullptr), "tfmrt_cuda_instance_error: instance is NULL");
  CHECK(tfmrt_cuda_device_name(nullptr) == nullptr);
  tfmrt_cuda_free(nullptr, 256);
  tfmrt_cuda_instance_destroy(nullptr);
  tfmrt_cuda_module_destroy(nullptr);
  tfmrt_cuda_device_destroy(nullptr);

  auto kernel = reinterpret_cast<tfmrt_cuda_kernel>(ones); // any non-NULL handle
  CHECK(checkLaunch(kernel, ones, ones, nullptr) == nullptr);
  CHECK_STR(checkLaunch(nullptr, ones, ones, nullptr), "tfmrt_cuda_launch: kernel is NULL");
  CHECK_STR(checkLaunch(kernel, ones, zero, nullptr),
            "tfmrt_cuda_launch: a grid or block dimension is 0");
  CHECK_STR(checkLaunch(kernel, nullptr, ones, nullptr),
            "tfmrt_cuda_launch: grid or block is NULL");
  CHECK(checkCopy(ones, 256, 4) == nullptr);
  CHECK(checkCopy(nullptr, 0, 0) == nullptr); // an empty copy needs no memory
  CHECK_STR(checkCopy(ones, 256, -4), "a copy of a negative number of bytes");
  CHECK_STR(checkCopy(nullptr, 256, 4), "the host pointer is NULL");
  CHECK_STR(checkCopy(ones, 0, 4), "the device address is 0");
}

void testWithoutGpu() {
  const char *error = nullptr;
  int32_t count = tfmrt_cuda_device_count(&error);
  if (count > 0) {
    std::printf("note: %d GPU(s) present, no-GPU checks skipped\n", int(count));
    return;
  }
  // No driver, the stub, or no device: each is named.
  CHECK(error && (startsWith(error, "cannot load the CUDA driver: ") ||
                  startsWith(error, "cuInit: CUDA_ERROR_") ||
                  startsWith(error, "cuDeviceGetCount: CUDA_ERROR_")));
  std::printf("no GPU: %s\n", error ? error : "(no message)");
  std::string countError = error ? error : "";
  CHECK(!tfmrt_cuda_device_create(0, &error));
  CHECK(error && countError == error);
}

} // namespace

int main() {
  // First, so that libcuda.so.1 is the system's and not the stub opened below.
  testWithoutGpu();
  testFormatting();
  testDriverLoading();
  testArgumentChecks();
  return test::finish("tfmrt-cuda-api-test");
}
