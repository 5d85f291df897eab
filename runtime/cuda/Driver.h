//===- Driver.h - the CUDA driver API, loaded at run time ------*- C++ -*-===//
//
// libtfmrt_cuda.a does not link libcuda: an executable linked to the
// toolkit's stub cannot even start where no driver is installed
// (libcuda.so.1 is missing), so neither could an app that only wants to
// fall back to the CPU, nor the tests that run without a GPU. Each device
// opens the driver instead and resolves the entry points that this build's
// cuda.h names (cuMemAlloc is cuMemAlloc_v2, as a link would bind it).
//
//===----------------------------------------------------------------------===//
#ifndef TFMRT_CUDA_DRIVER_H
#define TFMRT_CUDA_DRIVER_H

#include <cuda.h>

#include <string>

namespace tfmrt::cuda {

/// Every driver function the runtime calls.
#define TFMRT_CUDA_DRIVER_FUNCTIONS(X)                                                             \
  X(cuInit)                                                                                        \
  X(cuGetErrorName)                                                                                \
  X(cuDeviceGetCount)                                                                              \
  X(cuDeviceGet)                                                                                   \
  X(cuDeviceGetName)                                                                               \
  X(cuDevicePrimaryCtxRetain)                                                                      \
  X(cuDevicePrimaryCtxRelease)                                                                     \
  X(cuCtxPushCurrent)                                                                              \
  X(cuCtxPopCurrent)                                                                               \
  X(cuModuleLoadDataEx)                                                                            \
  X(cuModuleUnload)                                                                                \
  X(cuModuleGetFunction)                                                                           \
  X(cuLaunchKernel)                                                                                \
  X(cuMemAlloc)                                                                                    \
  X(cuMemFree)                                                                                     \
  X(cuMemHostAlloc)                                                                                \
  X(cuMemFreeHost)                                                                                 \
  X(cuMemHostGetDevicePointer)                                                                     \
  X(cuMemcpyHtoDAsync)                                                                             \
  X(cuMemcpyDtoHAsync)                                                                             \
  X(cuStreamCreate)                                                                                \
  X(cuStreamDestroy)                                                                               \
  X(cuStreamSynchronize)

/// The driver's entry points. Members carry the functions' own names, so a
/// call reads `driver.cuMemAlloc(&ptr, bytes)`.
class Driver {
public:
  /// The driver apps load; tests open the toolkit's stub by its path.
  static constexpr const char *defaultLibrary = "libcuda.so.1";

  Driver() = default;
  Driver(const Driver &) = delete;
  Driver &operator=(const Driver &) = delete;
  ~Driver();

  /// Opens `library`, resolves every entry point and calls cuInit. Returns
  /// "" or why the driver is unusable.
  std::string open(const char *library);

  /// "call: CUDA_ERROR_NAME", with ": detail" when `detail` is not empty.
  std::string failure(const char *call, CUresult result, const std::string &detail = {}) const;

#define TFMRT_CUDA_DECLARE(name) decltype(&::name) name = nullptr;
  TFMRT_CUDA_DRIVER_FUNCTIONS(TFMRT_CUDA_DECLARE)
#undef TFMRT_CUDA_DECLARE

private:
  void *library = nullptr;
};

/// "call: name[: detail]"; a result the driver cannot name (0 `name`) is
/// written "CUDA error <number>".
std::string formatFailure(const char *call, int result, const char *name,
                          const std::string &detail);

/// The first line of a JIT log, without trailing blanks.
std::string firstLine(const char *log);

/// Makes a context current on the calling thread for a scope and restores
/// the previous one after: the app may use CUDA on the same thread.
class ContextScope {
public:
  ContextScope(const Driver &driver, CUcontext context);
  ContextScope(const ContextScope &) = delete;
  ContextScope &operator=(const ContextScope &) = delete;
  ~ContextScope();
  /// The push's result; nothing else may be called when it failed.
  CUresult result() const { return pushed; }

private:
  const Driver &driver;
  CUresult pushed;
};

} // namespace tfmrt::cuda

#endif // TFMRT_CUDA_DRIVER_H
