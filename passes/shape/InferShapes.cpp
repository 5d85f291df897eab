//===- InferShapes.cpp - tfm-infer-shapes ---------------------------------===//

#include "tfmc/Dialect/Tfm.h"
#include "tfmc/Passes/ShapePasses.h"

namespace tfmc::tfm {
#define GEN_PASS_DEF_TFMINFERSHAPES
#include "shape/Passes.h.inc"
} // namespace tfmc::tfm

using namespace mlir;
using namespace tfmc::tfm;

namespace {
struct InferShapesPass : tfmc::tfm::impl::TfmInferShapesBase<InferShapesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Operands come before their users in a block, so one walk suffices.
    WalkResult result = func.walk([](ShapeInferenceOpInterface op) {
      SmallVector<Type> types;
      if (failed(op.inferResultTypes(types)))
        return WalkResult::interrupt();
      for (auto [value, type] : llvm::zip(op->getResults(), types))
        value.setType(type);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();

    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    func.setFunctionType(FunctionType::get(&getContext(), func.getArgumentTypes(),
                                           ret.getOperandTypes()));
  }
};
} // namespace
