//===- Instance.cpp - CUDA instances: stream, arena, copies, launches -----===//

#include "Objects.h"

#include <memory>
#include <new>

using namespace tfmrt::cuda;

uint64_t DriverMemory::allocate(uint64_t bytes) {
  CUdeviceptr address;
  if (CUresult result = driver.cuMemAlloc(&address, bytes)) {
    failure = driver.failure("cuMemAlloc", result, std::to_string(bytes) + " bytes");
    return 0;
  }
  return address;
}

void DriverMemory::release(uint64_t address) { driver.cuMemFree(address); }

uint64_t PinnedMemory::allocate(uint64_t bytes) {
  void *host;
  if (CUresult result =
          driver.cuMemHostAlloc(&host, bytes, CU_MEMHOSTALLOC_DEVICEMAP | CU_MEMHOSTALLOC_PORTABLE)) {
    failure = driver.failure("cuMemHostAlloc", result, std::to_string(bytes) + " bytes");
    return 0;
  }
  // Host code and kernels use one address, as unified addressing gives.
  CUdeviceptr device;
  CUresult result = driver.cuMemHostGetDevicePointer(&device, host, 0);
  if (result || device != reinterpret_cast<uintptr_t>(host)) {
    failure = result ? driver.failure("cuMemHostGetDevicePointer", result)
                     : "cuMemHostGetDevicePointer: the device address differs from the host's "
                       "(no unified addressing)";
    driver.cuMemFreeHost(host);
    return 0;
  }
  return device;
}

void PinnedMemory::release(uint64_t address) {
  driver.cuMemFreeHost(reinterpret_cast<void *>(uintptr_t(address)));
}

const char *tfmrt::cuda::checkLaunch(tfmrt_cuda_kernel kernel, const uint32_t grid[3],
                                     const uint32_t block[3], void **args) {
  if (!kernel)
    return "tfmrt_cuda_launch: kernel is NULL";
  if (!grid || !block)
    return "tfmrt_cuda_launch: grid or block is NULL";
  for (int d = 0; d < 3; ++d)
    if (grid[d] == 0 || block[d] == 0)
      return "tfmrt_cuda_launch: a grid or block dimension is 0";
  (void)args; // NULL is valid for a kernel without parameters
  return nullptr;
}

const char *tfmrt::cuda::checkCopy(const void *host, tfmrt_cuda_ptr device, int64_t bytes) {
  if (bytes < 0)
    return "a copy of a negative number of bytes";
  if (bytes && (!host || !device))
    return host ? "the device address is 0" : "the host pointer is NULL";
  return nullptr;
}

namespace {

/// Records the run's first failure; returns the run's status.
tfmrt_status fail(tfmrt_cuda_instance *instance, tfmrt_status status, std::string message) {
  if (instance->failed == TFMRT_OK) {
    instance->failed = status;
    instance->error = std::move(message);
  }
  return instance->failed;
}

/// Makes the instance's context current, or records why it cannot.
struct InstanceScope : ContextScope {
  explicit InstanceScope(tfmrt_cuda_instance *instance)
      : ContextScope(instance->device->driver, instance->device->context) {
    if (result())
      fail(instance, TFMRT_INTERNAL,
           instance->device->driver.failure("cuCtxPushCurrent", result()));
  }
};

/// `bytes` from the instance's device arena, or its shared one; 0 with the
/// failure recorded. `api` names the entry point in messages.
tfmrt_cuda_ptr allocate(tfmrt_cuda_instance *instance, bool shared, const char *api, int64_t bytes) {
  if (!instance || instance->failed)
    return 0;
  if (bytes < 0) {
    fail(instance, TFMRT_INVALID_ARGUMENT, std::string(api) + ": " + std::to_string(bytes) + " bytes");
    return 0;
  }
  InstanceScope scope(instance);
  if (scope.result())
    return 0;
  auto takeFailure = [&] {
    return shared ? instance->pinned.takeFailure() : instance->memory.takeFailure();
  };
  takeFailure(); // a failed block regrowth is no failure of this call
  tfmrt_cuda_ptr address = (shared ? instance->sharedArena : instance->arena).allocate(bytes);
  if (!address) {
    std::string why = takeFailure();
    fail(instance, TFMRT_OUT_OF_MEMORY,
         why.empty() ? std::string(api) + ": " + std::to_string(bytes) + " bytes is too many" : why);
  }
  return address;
}

/// Records a failed driver call on the instance.
tfmrt_status check(tfmrt_cuda_instance *instance, CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return TFMRT_OK;
  tfmrt_status status = result == CUDA_ERROR_OUT_OF_MEMORY ? TFMRT_OUT_OF_MEMORY : TFMRT_INTERNAL;
  return fail(instance, status, instance->device->driver.failure(call, result));
}

/// One asynchronous copy on the instance's stream: checks the arguments
/// (`api` names the entry point), then issues `copy` (`call` names it).
template <typename CopyFn>
tfmrt_status copyAsync(tfmrt_cuda_instance *instance, const char *api, const void *host,
                       tfmrt_cuda_ptr device, int64_t bytes, const char *call, CopyFn copy) {
  if (!instance)
    return TFMRT_INVALID_ARGUMENT;
  if (instance->failed)
    return instance->failed;
  if (const char *problem = checkCopy(host, device, bytes))
    return fail(instance, TFMRT_INVALID_ARGUMENT, std::string(api) + ": " + problem);
  if (!bytes)
    return TFMRT_OK;
  InstanceScope scope(instance);
  if (scope.result())
    return TFMRT_INTERNAL;
  return check(instance, copy(instance->device->driver), call);
}

tfmrt_cuda_instance *createFailure(const char **error, const std::string &message) {
  reportCallError(error, message);
  return nullptr;
}

} // namespace

extern "C" {

tfmrt_cuda_instance *tfmrt_cuda_instance_create(tfmrt_cuda_device *device, const char **error) {
  if (error)
    *error = nullptr;
  if (!device)
    return createFailure(error, "tfmrt_cuda_instance_create: device is NULL");
  std::unique_ptr<tfmrt_cuda_instance> instance(new (std::nothrow) tfmrt_cuda_instance(device));
  if (!instance)
    return createFailure(error, "tfmrt_cuda_instance_create: out of memory");
  const Driver &driver = device->driver;
  ContextScope scope(driver, device->context);
  if (scope.result())
    return createFailure(error, driver.failure("cuCtxPushCurrent", scope.result()));
  // Non-blocking: the instance's work must not serialize with the legacy
  // default stream that other code on the device may use.
  if (CUresult result = driver.cuStreamCreate(&instance->stream, CU_STREAM_NON_BLOCKING))
    return createFailure(error, driver.failure("cuStreamCreate", result));
  return instance.release();
}

void tfmrt_cuda_instance_destroy(tfmrt_cuda_instance *instance) {
  if (!instance)
    return;
  const Driver &driver = instance->device->driver;
  {
    ContextScope scope(driver, instance->device->context);
    if (instance->stream) {
      driver.cuStreamSynchronize(instance->stream);
      driver.cuStreamDestroy(instance->stream);
    }
    instance->arena.clear(); // cuMemFree needs the context current
    instance->sharedArena.clear();
    for (auto [host, device] : instance->constants)
      driver.cuMemFree(device);
  }
  delete instance;
}

const char *tfmrt_cuda_instance_error(const tfmrt_cuda_instance *instance) {
  return instance ? instance->error.c_str() : "tfmrt_cuda_instance_error: instance is NULL";
}

tfmrt_status tfmrt_cuda_begin_run(tfmrt_cuda_instance *instance) {
  if (!instance)
    return TFMRT_INVALID_ARGUMENT;
  instance->error.clear();
  instance->failed = TFMRT_OK;
  InstanceScope scope(instance);
  if (scope.result())
    return TFMRT_INTERNAL;
  // The previous run's kernels may still read the buffers about to be reused.
  if (tfmrt_status status =
          check(instance, instance->device->driver.cuStreamSynchronize(instance->stream),
                "cuStreamSynchronize"))
    return status;
  instance->arena.beginRun();
  instance->sharedArena.beginRun();
  return TFMRT_OK;
}

tfmrt_status tfmrt_cuda_instance_status(const tfmrt_cuda_instance *instance) {
  return instance ? instance->failed : TFMRT_INVALID_ARGUMENT;
}

tfmrt_cuda_ptr tfmrt_cuda_alloc(tfmrt_cuda_instance *instance, int64_t bytes) {
  return allocate(instance, /*shared=*/false, "tfmrt_cuda_alloc", bytes);
}

tfmrt_cuda_ptr tfmrt_cuda_alloc_shared(tfmrt_cuda_instance *instance, int64_t bytes) {
  return allocate(instance, /*shared=*/true, "tfmrt_cuda_alloc_shared", bytes);
}

tfmrt_cuda_ptr tfmrt_cuda_constant(tfmrt_cuda_instance *instance, const void *host, int64_t bytes) {
  if (!instance || instance->failed)
    return 0;
  if (auto known = instance->constants.find(host); known != instance->constants.end())
    return known->second;
  if (const char *problem = checkCopy(host, 1, bytes)) {
    fail(instance, TFMRT_INVALID_ARGUMENT, std::string("tfmrt_cuda_constant: ") + problem);
    return 0;
  }
  InstanceScope scope(instance);
  if (scope.result())
    return 0;
  const Driver &driver = instance->device->driver;
  CUdeviceptr device;
  if (check(instance, driver.cuMemAlloc(&device, size_t(bytes ? bytes : 1)), "cuMemAlloc"))
    return 0;
  // The constant lives as long as the program: the copy may finish later.
  if (bytes && check(instance, driver.cuMemcpyHtoDAsync(device, host, size_t(bytes), instance->stream),
                     "cuMemcpyHtoDAsync")) {
    driver.cuMemFree(device);
    return 0;
  }
  instance->constants.emplace(host, device);
  return device;
}

void tfmrt_cuda_free(tfmrt_cuda_instance *instance, tfmrt_cuda_ptr ptr) {
  if (!instance || !ptr)
    return;
  InstanceScope scope(instance);
  if (scope.result() == CUDA_SUCCESS) {
    instance->arena.release(ptr); // each arena ignores the other's addresses
    instance->sharedArena.release(ptr);
  }
}

size_t tfmrt_cuda_instance_arena_bytes(const tfmrt_cuda_instance *instance) {
  return instance ? size_t(instance->arena.capacity()) : 0;
}

tfmrt_status tfmrt_cuda_copy_to_device(tfmrt_cuda_instance *instance, tfmrt_cuda_ptr dst,
                                       const void *src, int64_t bytes) {
  return copyAsync(instance, "tfmrt_cuda_copy_to_device", src, dst, bytes, "cuMemcpyHtoDAsync",
                   [&](const Driver &driver) {
                     return driver.cuMemcpyHtoDAsync(dst, src, size_t(bytes), instance->stream);
                   });
}

tfmrt_status tfmrt_cuda_copy_to_host(tfmrt_cuda_instance *instance, void *dst, tfmrt_cuda_ptr src,
                                     int64_t bytes) {
  return copyAsync(instance, "tfmrt_cuda_copy_to_host", dst, src, bytes, "cuMemcpyDtoHAsync",
                   [&](const Driver &driver) {
                     return driver.cuMemcpyDtoHAsync(dst, src, size_t(bytes), instance->stream);
                   });
}

tfmrt_status tfmrt_cuda_launch(tfmrt_cuda_instance *instance, tfmrt_cuda_kernel kernel,
                               const uint32_t grid[3], const uint32_t block[3],
                               uint32_t shared_bytes, void **args) {
  if (!instance)
    return TFMRT_INVALID_ARGUMENT;
  if (instance->failed)
    return instance->failed;
  if (const char *problem = checkLaunch(kernel, grid, block, args))
    return fail(instance, TFMRT_INVALID_ARGUMENT, problem);
  InstanceScope scope(instance);
  if (scope.result())
    return TFMRT_INTERNAL;
  CUresult result = instance->device->driver.cuLaunchKernel(
      reinterpret_cast<CUfunction>(kernel), grid[0], grid[1], grid[2], block[0], block[1], block[2],
      shared_bytes, instance->stream, args, nullptr);
  return check(instance, result, "cuLaunchKernel");
}

tfmrt_status tfmrt_cuda_synchronize(tfmrt_cuda_instance *instance) {
  if (!instance)
    return TFMRT_INVALID_ARGUMENT;
  InstanceScope scope(instance);
  if (scope.result())
    return TFMRT_INTERNAL;
  check(instance, instance->device->driver.cuStreamSynchronize(instance->stream),
        "cuStreamSynchronize");
  return instance->failed;
}

} // extern "C"
