//===- ContiguousResults.cpp - copy strided views the model returns -------===//
//
// One-shot bufferization may return a strided view (a slice of a larger
// buffer) through a memref.cast to the identity-layout result type. The
// model ABI hands results out as dense row-major tensors, so such a view is
// copied into a fresh buffer first. Runs before buffer deallocation, which
// then treats the copy as owned.
//
//===----------------------------------------------------------------------===//

#include "tfmc/Codegen/Compiler.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;

namespace {

struct ContiguousResultsPass
    : PassWrapper<ContiguousResultsPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ContiguousResultsPass)

  StringRef getArgument() const override { return "tfm-contiguous-results"; }
  StringRef getDescription() const override {
    return "Copy strided views returned by a function into dense buffers";
  }

  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      OpBuilder b(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        auto castOp = operand.get().getDefiningOp<memref::CastOp>();
        if (!castOp)
          continue;
        Value source = castOp.getSource();
        auto sourceType = cast<MemRefType>(source.getType());
        if (sourceType.getLayout().isIdentity())
          continue;
        auto resultType = cast<MemRefType>(operand.get().getType());
        SmallVector<Value> sizes;
        for (int64_t i = 0; i < resultType.getRank(); ++i)
          if (resultType.isDynamicDim(i))
            sizes.push_back(memref::DimOp::create(b, ret.getLoc(), source, i));
        Value copy = memref::AllocOp::create(b, ret.getLoc(), resultType, sizes);
        memref::CopyOp::create(b, ret.getLoc(), source, copy);
        operand.set(copy);
      }
    });
  }
};

} // namespace

std::unique_ptr<Pass> tfmc::createContiguousResultsPass() {
  return std::make_unique<ContiguousResultsPass>();
}
