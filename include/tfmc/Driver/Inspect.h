//===- Inspect.h - what a model holds and what fused ------------*- C++ -*-===//
//
// `tfmc inspect`: operator and parameter counts, FLOPs, the blocks the
// fusion pass turned into high-level ops and the ones it could not, with
// the reason.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_DRIVER_INSPECT_H
#define TFMC_DRIVER_INSPECT_H

#include "tfmc/Passes/FusionPasses.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tfmc {

struct InspectOptions {
  /// Fusion kinds left alone, as `tfmc compile --no-fuse` takes them.
  std::vector<std::string> disabledFusions;
  /// FLOPs are counted for one sequence: symbols given in `dims` take their
  /// value, batch dims (dim 0 of an input) 1, every other symbolic dim
  /// `sequenceLength`.
  int64_t sequenceLength = 128;
  std::map<std::string, int64_t> dims;
};

struct ModelInspection {
  /// ONNX nodes per operator and initializer elements.
  std::map<std::string, int64_t> onnxOps;
  int64_t parameters = 0;
  /// tfm ops per name after shape simplification and fusion.
  std::map<std::string, int64_t> tfmOps;
  /// Matrix products, convolutions and attention, at InspectOptions' sizes;
  /// per token when the model has a sequence dim.
  double flops = 0;
  std::optional<double> flopsPerToken;
  /// Per kind (every kind listed, 0 included), and each region.
  std::map<std::string, int64_t> fusedCounts;
  std::vector<tfm::FusedRegion> fused;
  std::vector<tfm::UnfusedBlock> unfused;
};

/// Imports, simplifies and fuses `path` and fills `result`. On failure,
/// `error` holds one line naming the model (and node).
bool inspectModelFile(llvm::StringRef path, const InspectOptions &options,
                      ModelInspection &result, std::string &error);

} // namespace tfmc

#endif // TFMC_DRIVER_INSPECT_H
