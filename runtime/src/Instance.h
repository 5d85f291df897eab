//===- Instance.h - what one tfmrt_instance holds --------------*- C++ -*-===//
//
// Everything a run touches hangs off its instance (no global mutable state),
// so instances run concurrently; one instance runs one call at a time.
//
//===----------------------------------------------------------------------===//
#ifndef TFMRT_INSTANCE_H
#define TFMRT_INSTANCE_H

#include "Arena.h"
#include "MatMul.h"
#include "Strings.h"
#include "ThreadPool.h"
#include "tfmrt/tfmrt.h"

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

struct tfmrt_instance {
  tfmrt_instance(const tfmrt_model *model, int numThreads)
      : model(model), pool(numThreads), scratch(new tfmrt::ScratchBuffer[pool.size()]) {}
  ~tfmrt_instance();
  tfmrt_instance(const tfmrt_instance &) = delete;
  tfmrt_instance &operator=(const tfmrt_instance &) = delete;

  const tfmrt_model *model;
  /// The model's weights file, mapped read-only (MAP_PRIVATE) by this
  /// instance; NULL when the weights are in the object.
  const void *weights = nullptr;
  size_t weightsMapped = 0;
  tfmrt::Arena arena;
  /// The strings of the current run (and of the last run's outputs).
  tfmrt::StringPool strings;
  tfmrt::ThreadPool pool;
  /// Per pool thread, indexed by ThreadPool's worker index (matmul packing).
  std::unique_ptr<tfmrt::ScratchBuffer[]> scratch;
  tfmrt::MatMulIsa matMulIsa = tfmrt::bestMatMulIsa();

  /// Per symbol during validation: its value and the input that bound it.
  std::vector<int64_t> symbolValues;
  std::vector<int32_t> symbolInputs;
  /// tfmrt_options.device; an accelerator runtime's state and its destructor.
  int32_t device = 0;
  void *extension = nullptr;
  void (*destroyExtension)(void *) = nullptr;
  /// The last run's failure; empty after a success.
  std::string error;
  /// Set while a run is in progress: a second, concurrent run on the same
  /// instance is refused instead of corrupting the arena.
  std::atomic<bool> running{false};
};

#endif // TFMRT_INSTANCE_H
