//===- CompiledModel.h - cached compilation and loading ---------*- C++ -*-===//
//
// What `tfmc run` and `tfmc bench` share: compile a model to a shared library
// once (the cache key covers the model's bytes, the options and this tfmc
// binary), load it and keep one instance.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_TOOLS_TFMC_COMPILEDMODEL_H
#define TFMC_TOOLS_TFMC_COMPILEDMODEL_H

#include "tfmc/Driver/Driver.h"
#include "tfmc/Runner/TensorFiles.h"

#include "tfmrt/tfmrt.h"

#include <string>
#include <vector>

namespace tfmc::cli {

/// $TFMC_CACHE_DIR, else $XDG_CACHE_HOME/tfmc, else ~/.cache/tfmc.
std::string defaultCacheDir();

/// The cached library for `request`, compiling it first when absent.
/// Concurrent calls each build in a private folder; the first rename wins.
bool compiledLibrary(CompileRequest request, const std::string &cacheRoot, const char *argv0,
                     std::string &library, std::string &error);

/// A loaded model library and one instance of its model.
class LoadedModel {
public:
  ~LoadedModel();
  /// `device`: the GPU of a model compiled with --target=cuda.
  bool load(const std::string &library, const std::string &name, int threads, int device,
            std::string &error);

  const tfmrt_model *model = nullptr;
  tfmrt_instance *instance = nullptr;

private:
  void *handle = nullptr;
};

/// A test-data directory's inputs and expected outputs (possibly none), in
/// the model's order (.npy files are matched by name), with bfloat16 data
/// that ONNX 1.12 stores as uint16 read as bfloat16.
bool readModelData(const std::string &dir, const tfmrt_model *model,
                   std::vector<runner::HostTensor> &inputs,
                   std::vector<runner::HostTensor> &expected, std::string &error);

} // namespace tfmc::cli

#endif // TFMC_TOOLS_TFMC_COMPILEDMODEL_H
