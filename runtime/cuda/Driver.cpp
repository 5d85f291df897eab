//===- Driver.cpp - the CUDA driver API, loaded at run time ---------------===//

#include "Driver.h"

#include <dlfcn.h>

namespace tfmrt::cuda {

// cuda.h maps names such as cuMemAlloc to versioned symbols by macros;
// stringizing after expansion gives the symbol a link would use.
#define TFMRT_CUDA_SYMBOL_NAME(name) TFMRT_CUDA_STRINGIZE(name)
#define TFMRT_CUDA_STRINGIZE(name) #name

namespace {
std::string missingSymbol(const char *path, const char *symbol) {
  return std::string("the CUDA driver ") + path + " lacks " + symbol + " (older than the CUDA " +
         std::to_string(CUDA_VERSION / 1000) + " headers?)";
}
} // namespace

Driver::~Driver() {
  if (library)
    dlclose(library);
}

std::string Driver::open(const char *path) {
  // RTLD_NODELETE: the driver keeps threads and handlers that must outlive
  // our last handle, so it is never unmapped.
  library = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!library) {
    const char *reason = dlerror();
    return std::string("cannot load the CUDA driver: ") + (reason ? reason : path);
  }
#define TFMRT_CUDA_RESOLVE(name)                                                                   \
  name = reinterpret_cast<decltype(name)>(dlsym(library, TFMRT_CUDA_SYMBOL_NAME(name)));           \
  if (!name)                                                                                       \
    return missingSymbol(path, TFMRT_CUDA_SYMBOL_NAME(name));
  TFMRT_CUDA_DRIVER_FUNCTIONS(TFMRT_CUDA_RESOLVE)
#undef TFMRT_CUDA_RESOLVE
  if (CUresult result = cuInit(0))
    return failure("cuInit", result);
  return {};
}

std::string Driver::failure(const char *call, CUresult result, const std::string &detail) const {
  const char *name = nullptr;
  if (!cuGetErrorName || cuGetErrorName(result, &name) != CUDA_SUCCESS)
    name = nullptr;
  // The toolkit's stub library cannot name even its own error.
  if (!name && result == CUDA_ERROR_STUB_LIBRARY)
    name = "CUDA_ERROR_STUB_LIBRARY";
  return formatFailure(call, result, name, detail);
}

std::string formatFailure(const char *call, int result, const char *name,
                          const std::string &detail) {
  std::string message = std::string(call) + ": ";
  message += name ? std::string(name) : "CUDA error " + std::to_string(result);
  if (!detail.empty())
    message += ": " + detail;
  return message;
}

std::string firstLine(const char *log) {
  std::string line;
  for (const char *c = log; c && *c && *c != '\n' && *c != '\r'; ++c)
    line += *c;
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
    line.pop_back();
  return line;
}

ContextScope::ContextScope(const Driver &driver, CUcontext context)
    : driver(driver), pushed(driver.cuCtxPushCurrent(context)) {}

ContextScope::~ContextScope() {
  if (pushed == CUDA_SUCCESS) {
    CUcontext popped;
    driver.cuCtxPopCurrent(&popped);
  }
}

} // namespace tfmrt::cuda
