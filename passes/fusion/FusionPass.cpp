//===- FusionPass.cpp - tfm-fuse -------------------------------------------===//

#include "FusionPattern.h"
#include "tfmc/Passes/FusionPasses.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/StringExtras.h"

namespace tfmc::tfm {
#define GEN_PASS_DEF_TFMFUSE
#include "fusion/Passes.h.inc"
} // namespace tfmc::tfm

using namespace mlir;
using namespace tfmc::tfm;
using namespace tfmc::tfm::fusion;

namespace {

/// Every family, in the order their kinds are listed.
SmallVector<FusionFamily> allFamilies() {
  return {attentionFamily(), layerNormFamily(), rmsNormFamily(), geluFamily(), swigluFamily()};
}

/// Which kind a high-level op counts as when nothing else says (an ONNX
/// Runtime contrib op the importer mapped straight onto it).
std::optional<StringRef> kindOfOp(Operation *op) {
  if (isa<AttentionOp>(op))
    return StringRef("attention");
  if (isa<LayerNormOp>(op))
    return StringRef("layer_norm");
  if (isa<RmsNormOp>(op))
    return StringRef("rms_norm");
  if (isa<GeluOp>(op))
    return StringRef("gelu");
  if (isa<SwiGluOp>(op))
    return StringRef("swiglu");
  return std::nullopt;
}

struct FusePass : tfmc::tfm::impl::TfmFuseBase<FusePass> {
  using TfmFuseBase::TfmFuseBase;
  FusePass(FusionOptions options) : report(options.report) {
    disabled = options.disabled;
  }

  LogicalResult initialize(MLIRContext *ctx) override {
    for (const std::string &kind : disabled)
      if (!isFusionKindName(kind))
        return emitError(UnknownLoc::get(ctx))
               << "unknown fusion kind '" << kind << "' (known: "
               << llvm::join(fusionKinds(), ", ") << ", or all)";
    return success();
  }

  void runOnOperation() override {
    MissLog log;
    RewritePatternSet patterns(&getContext());
    SmallVector<FusionFamily> families;
    for (const FusionFamily &family : allFamilies()) {
      if (llvm::is_contained(disabled, family.kind.str()) || llvm::is_contained(disabled, "all"))
        continue;
      family.populate(patterns, log);
      families.push_back(family);
    }
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();

    getOperation().walk([&](Operation *op) {
      for (const FusionFamily &family : families) {
        if (!family.isAnchor(op))
          continue;
        std::string reason =
            log.reason(op, family.kind).value_or("no " + family.kind.str() + " pattern matched");
        op->emitRemark() << "not fused as " << family.kind << ": " << reason;
        if (report)
          report->unfused.push_back({family.kind.str(), nodeName(op), reason});
      }
    });
  }

  FusionReport *report = nullptr;
};

} // namespace

ArrayRef<StringLiteral> tfmc::tfm::fusionKinds() {
  static const StringLiteral kinds[] = {"attention", "layer_norm", "rms_norm", "gelu", "swiglu"};
  return kinds;
}

bool tfmc::tfm::isFusionKindName(StringRef name) {
  return name == "all" || llvm::is_contained(fusionKinds(), name);
}

std::unique_ptr<Pass> tfmc::tfm::createFusionPass(FusionOptions options) {
  return std::make_unique<FusePass>(std::move(options));
}

std::optional<FusedRegion> tfmc::tfm::getFusedRegion(Operation *op) {
  std::optional<StringRef> kind = kindOfOp(op);
  auto fused = dyn_cast<FusedLoc>(op->getLoc());
  if (fused)
    if (auto tag = dyn_cast_or_null<StringAttr>(fused.getMetadata()))
      kind = tag.getValue();
  if (!kind)
    return std::nullopt;
  FusedRegion region{kind->str(), {}};
  Location loc = op->getLoc();
  ArrayRef<Location> parts = fused ? fused.getLocations() : ArrayRef<Location>(loc);
  for (Location part : parts)
    if (auto name = dyn_cast<NameLoc>(part))
      if (!llvm::is_contained(region.nodes, name.getName().str()))
        region.nodes.push_back(name.getName().str());
  return region;
}
