//===- cuda_probe.cpp - is there a GPU for the tests? ---------------------===//
//
// lit.cfg.py runs this to set the cuda-gpu feature: exit 0 and the device's
// name when tfmrt_cuda can create device 0, else exit 1 and why not.
//
//===----------------------------------------------------------------------===//

#include "tfmrt/tfmrt_cuda.h"

#include <cstdio>

int main() {
  const char *error = nullptr;
  int32_t count = tfmrt_cuda_device_count(&error);
  if (count <= 0) {
    std::printf("no GPU: %s\n", error ? error : "the driver reports 0 devices");
    return 1;
  }
  tfmrt_cuda_device *device = tfmrt_cuda_device_create(0, &error);
  if (!device) {
    std::printf("no usable GPU: %s\n", error);
    return 1;
  }
  std::printf("%d GPU(s), device 0: %s\n", int(count), tfmrt_cuda_device_name(device));
  tfmrt_cuda_device_destroy(device);
  return 0;
}
