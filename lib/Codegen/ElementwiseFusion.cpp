//===- ElementwiseFusion.cpp - fuse elementwise producers without recompute -===//
//
// Upstream's elementwise fusion pass fuses an elementwise producer into any
// consumer and pushes reshapes through generics. Into a matmul that means
// the producer (a GELU, a transpose) is recomputed for every column of the
// product; a producer with several users is copied into each of them, so a
// LayerNorm's output, read by the residual add and then by the next
// LayerNorm's reductions, is recomputed there and in every later layer. And
// reshapes turn matmuls into many-dimensional contractions the runtime kernel
// does not take. Here a producer fuses only into its single user, and only
// where that user reads each of its elements once per iteration (a
// permutation map); reshapes stay where they are.
//
//===----------------------------------------------------------------------===//

#include "tfmc/Codegen/Compiler.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace {

struct ElementwiseFusionPass
    : PassWrapper<ElementwiseFusionPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ElementwiseFusionPass)

  StringRef getArgument() const override { return "tfm-elementwise-fusion"; }
  StringRef getDescription() const override {
    return "Fuse elementwise linalg producers into consumers that read each element once";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<linalg::LinalgDialect>();
  }

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, [](OpOperand *fused) {
      auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
      return consumer && fused->get().hasOneUse() &&
             consumer.getMatchingIndexingMap(fused).isPermutation();
    });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass> tfmc::createElementwiseFusionPass() {
  return std::make_unique<ElementwiseFusionPass>();
}
