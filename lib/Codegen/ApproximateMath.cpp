//===- ApproximateMath.cpp - erf, exp and tanh as inline polynomials ------===//
//
// libm's erff, expf and tanhf are calls that keep LLVM from vectorizing the
// loops around them (GELU, softmax, the pooler's tanh). MLIR's polynomial
// approximations (f32 accurate to a few ulp) are plain arithmetic, so each
// loop vectorizes with the rest of its body.
//
//===----------------------------------------------------------------------===//

#include "tfmc/Codegen/Compiler.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace {

struct ApproximateMathPass : PassWrapper<ApproximateMathPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ApproximateMathPass)

  StringRef getArgument() const override { return "tfm-approximate-math"; }
  StringRef getDescription() const override {
    return "Replace f32 erf, exp and tanh with inline polynomial approximations";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, math::MathDialect, vector::VectorDialect>();
  }

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      name.consume_front("math.");
      return name == "erf" || name == "exp" || name == "tanh";
    });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass> tfmc::createApproximateMathPass() {
  return std::make_unique<ApproximateMathPass>();
}
