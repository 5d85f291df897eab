//===- Objects.h - what the CUDA API's handles hold ------------*- C++ -*-===//
//
// Everything hangs off these objects (no global mutable state). A device
// owns its driver handle and primary context; modules and instances point
// at their device, which must outlive them.
//
//===----------------------------------------------------------------------===//
#ifndef TFMRT_CUDA_OBJECTS_H
#define TFMRT_CUDA_OBJECTS_H

#include "DeviceArena.h"
#include "Driver.h"
#include "tfmrt/tfmrt_cuda.h"

#include <string>
#include <unordered_map>

struct tfmrt_cuda_device {
  tfmrt::cuda::Driver driver;
  CUdevice device = 0;
  CUcontext context = nullptr; // the primary context, retained
  std::string name;
};

struct tfmrt_cuda_module {
  tfmrt_cuda_device *device;
  CUmodule module;
};

namespace tfmrt::cuda {

/// Memory from the driver for an arena, in the device's context (which the
/// API entry points make current), remembering why an allocation failed.
class DriverBackedMemory : public DeviceMemory {
public:
  explicit DriverBackedMemory(const Driver &driver) : driver(driver) {}
  /// Why the last allocation failed ("" if none did since the last take).
  std::string takeFailure() { return std::move(failure); }

protected:
  const Driver &driver;
  std::string failure;
};

/// The instance's arena memory: cuMemAlloc/cuMemFree.
class DriverMemory final : public DriverBackedMemory {
public:
  using DriverBackedMemory::DriverBackedMemory;
  uint64_t allocate(uint64_t bytes) override;
  void release(uint64_t address) override;
};

/// Page-locked host memory mapped into the device's address space at the
/// same address (unified addressing), for buffers host code reads or writes.
class PinnedMemory final : public DriverBackedMemory {
public:
  using DriverBackedMemory::DriverBackedMemory;
  uint64_t allocate(uint64_t bytes) override;
  void release(uint64_t address) override;
};

/// Stores `message` in the calling thread's buffer for failed creates and
/// loads, and points `*error` (unless NULL) at it.
void reportCallError(const char **error, const std::string &message);

/// NULL when the launch's arguments are well-formed, else why not.
const char *checkLaunch(tfmrt_cuda_kernel kernel, const uint32_t grid[3], const uint32_t block[3],
                        void **args);
/// NULL when a copy of `bytes` between `host` and `device` is well-formed.
const char *checkCopy(const void *host, tfmrt_cuda_ptr device, int64_t bytes);

} // namespace tfmrt::cuda

struct tfmrt_cuda_instance {
  explicit tfmrt_cuda_instance(tfmrt_cuda_device *device)
      : device(device), memory(device->driver), arena(memory), pinned(device->driver),
        sharedArena(pinned) {}

  tfmrt_cuda_device *device;
  CUstream stream = nullptr;
  tfmrt::cuda::DriverMemory memory;
  tfmrt::cuda::DeviceArena arena;
  /// Buffers host code touches too (tfmrt_cuda_alloc_shared).
  tfmrt::cuda::PinnedMemory pinned;
  tfmrt::cuda::DeviceArena sharedArena;
  /// The program's weights file in host memory (tfmrt_cuda_weights).
  const void *hostWeights = nullptr;
  /// Device copies of constants by host address, kept for the instance's life.
  std::unordered_map<const void *, CUdeviceptr> constants;
  /// The run's first failure (TFMRT_OK if none) and its message: later
  /// allocations, copies and launches of the run do nothing.
  tfmrt_status failed = TFMRT_OK;
  std::string error;
};

#endif // TFMRT_CUDA_OBJECTS_H
