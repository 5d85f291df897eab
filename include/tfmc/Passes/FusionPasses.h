//===- FusionPasses.h - transformer block fusion ----------------*- C++ -*-===//
//
// `tfm-fuse` rewrites the decomposed spellings of attention, LayerNorm,
// RMSNorm, GELU and friends (as the PyTorch, TF-Keras and ONNX Runtime
// exporters write them) into one high-level tfm op each. Every fused op's
// location is a FusedLoc whose metadata names the fusion kind and whose parts
// are the ONNX nodes it absorbed; every place that looked like a block but
// did not fuse is reported with the reason.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_PASSES_FUSIONPASSES_H
#define TFMC_PASSES_FUSIONPASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tfmc::tfm {

#define GEN_PASS_DECL
#include "fusion/Passes.h.inc"

/// The fusion kinds, as `--no-fuse` and `tfmc inspect` name them.
llvm::ArrayRef<llvm::StringLiteral> fusionKinds();

/// A place that looked like a block of `kind` (the anchor op `node`, an ONNX
/// node name) but did not fuse, and why.
struct UnfusedBlock {
  std::string kind;
  std::string node;
  std::string reason;
};

/// What one run of the fusion pass saw.
struct FusionReport {
  std::vector<UnfusedBlock> unfused;
};

/// Whether `name` is a kind `--no-fuse` accepts: one of fusionKinds(), or
/// "all".
bool isFusionKindName(llvm::StringRef name);

struct FusionOptions {
  /// Kinds left alone (names from fusionKinds(), or "all").
  std::vector<std::string> disabled;
  /// When set, receives the unfused blocks of every function.
  FusionReport *report = nullptr;
};

std::unique_ptr<mlir::Pass> createFusionPass(FusionOptions options);

/// A high-level op and what it counts as: its kind ("attention",
/// "layer_norm", ...) and the ONNX nodes it came from (from its location).
struct FusedRegion {
  std::string kind;
  std::vector<std::string> nodes;
};
/// The region `op` stands for, when it is one of the fused kinds (whether
/// the fusion pass or the importer of an ONNX Runtime contrib op made it).
std::optional<FusedRegion> getFusedRegion(mlir::Operation *op);

#define GEN_PASS_REGISTRATION
#include "fusion/Passes.h.inc"

} // namespace tfmc::tfm

#endif // TFMC_PASSES_FUSIONPASSES_H
