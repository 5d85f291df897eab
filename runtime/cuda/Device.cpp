//===- Device.cpp - CUDA devices and modules ------------------------------===//

#include "Objects.h"

#include <cstdio>
#include <memory>
#include <new>

using namespace tfmrt::cuda;

namespace {
// A failed create's or load's message: per thread, valid until that
// thread's next such call (the only state outside objects, as in tfmrt).
thread_local char callError[1024];

template <typename T> T *failWith(const char **error, const std::string &message) {
  reportCallError(error, message);
  return nullptr;
}
} // namespace

void tfmrt::cuda::reportCallError(const char **error, const std::string &message) {
  std::snprintf(callError, sizeof callError, "%s", message.c_str());
  if (error)
    *error = callError;
}

extern "C" {

int32_t tfmrt_cuda_device_count(const char **error) {
  if (error)
    *error = nullptr;
  Driver driver;
  if (std::string reason = driver.open(Driver::defaultLibrary); !reason.empty()) {
    reportCallError(error, reason);
    return 0;
  }
  int count = 0;
  if (CUresult result = driver.cuDeviceGetCount(&count)) {
    reportCallError(error, driver.failure("cuDeviceGetCount", result));
    return 0;
  }
  return count;
}

tfmrt_cuda_device *tfmrt_cuda_device_create(int32_t ordinal, const char **error) {
  if (error)
    *error = nullptr;
  if (ordinal < 0)
    return failWith<tfmrt_cuda_device>(error, "tfmrt_cuda_device_create: ordinal " +
                                                  std::to_string(ordinal) + " is negative");
  std::unique_ptr<tfmrt_cuda_device> device(new (std::nothrow) tfmrt_cuda_device);
  if (!device)
    return failWith<tfmrt_cuda_device>(error, "tfmrt_cuda_device_create: out of memory");
  Driver &driver = device->driver;
  if (std::string reason = driver.open(Driver::defaultLibrary); !reason.empty())
    return failWith<tfmrt_cuda_device>(error, reason);
  if (CUresult result = driver.cuDeviceGet(&device->device, ordinal))
    return failWith<tfmrt_cuda_device>(
        error, driver.failure("cuDeviceGet", result, "device " + std::to_string(ordinal)));
  char name[256] = {};
  if (CUresult result = driver.cuDeviceGetName(name, sizeof name - 1, device->device))
    return failWith<tfmrt_cuda_device>(error, driver.failure("cuDeviceGetName", result));
  device->name = name;
  // The primary context is the one the CUDA runtime uses: an app that also
  // uses cudart shares it instead of paying for a second context.
  if (CUresult result = driver.cuDevicePrimaryCtxRetain(&device->context, device->device))
    return failWith<tfmrt_cuda_device>(error, driver.failure("cuDevicePrimaryCtxRetain", result));
  return device.release();
}

void tfmrt_cuda_device_destroy(tfmrt_cuda_device *device) {
  if (!device)
    return;
  if (device->context)
    device->driver.cuDevicePrimaryCtxRelease(device->device);
  delete device;
}

const char *tfmrt_cuda_device_name(const tfmrt_cuda_device *device) {
  return device ? device->name.c_str() : nullptr;
}

tfmrt_cuda_module *tfmrt_cuda_module_load(tfmrt_cuda_device *device, const char *ptx,
                                          const char **error) {
  if (error)
    *error = nullptr;
  if (!device || !ptx)
    return failWith<tfmrt_cuda_module>(error, device ? "tfmrt_cuda_module_load: ptx is NULL"
                                                     : "tfmrt_cuda_module_load: device is NULL");
  const Driver &driver = device->driver;
  ContextScope scope(driver, device->context);
  if (scope.result())
    return failWith<tfmrt_cuda_module>(error, driver.failure("cuCtxPushCurrent", scope.result()));
  char log[4096] = {};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void *values[] = {log, reinterpret_cast<void *>(uintptr_t(sizeof log))};
  CUmodule module;
  if (CUresult result = driver.cuModuleLoadDataEx(&module, ptx, 2, options, values))
    return failWith<tfmrt_cuda_module>(
        error, driver.failure("cuModuleLoadDataEx", result, firstLine(log)));
  auto *loaded = new (std::nothrow) tfmrt_cuda_module{device, module};
  if (!loaded) {
    driver.cuModuleUnload(module);
    return failWith<tfmrt_cuda_module>(error, "tfmrt_cuda_module_load: out of memory");
  }
  return loaded;
}

void tfmrt_cuda_module_destroy(tfmrt_cuda_module *module) {
  if (!module)
    return;
  const Driver &driver = module->device->driver;
  ContextScope scope(driver, module->device->context);
  driver.cuModuleUnload(module->module);
  delete module;
}

tfmrt_cuda_kernel tfmrt_cuda_module_kernel(tfmrt_cuda_module *module, const char *name,
                                           const char **error) {
  if (error)
    *error = nullptr;
  if (!module || !name)
    return failWith<tfmrt_cuda_kernel_opaque>(error,
                                              module ? "tfmrt_cuda_module_kernel: name is NULL"
                                                     : "tfmrt_cuda_module_kernel: module is NULL");
  const Driver &driver = module->device->driver;
  ContextScope scope(driver, module->device->context);
  if (scope.result())
    return failWith<tfmrt_cuda_kernel_opaque>(error,
                                              driver.failure("cuCtxPushCurrent", scope.result()));
  CUfunction function;
  if (CUresult result = driver.cuModuleGetFunction(&function, module->module, name))
    return failWith<tfmrt_cuda_kernel_opaque>(
        error, driver.failure("cuModuleGetFunction", result, std::string("'") + name + "'"));
  return reinterpret_cast<tfmrt_cuda_kernel>(function);
}

} // extern "C"
