//===- MemRefWorkarounds.cpp - memref forms MLIR 22 cannot lower ----------===//
//
// Two memref patterns that upstream lowerings do not handle in LLVM 22 are
// rewritten into forms they do, just before the memref → LLVM steps.
//
//===----------------------------------------------------------------------===//

#include "tfmc/Codegen/Compiler.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;

namespace {

/// A memref.copy between strided views (a slice inserted into a padded or
/// larger buffer) lowers to a call of MLIR's C runner library, which models
/// do not link: such copies become linalg.copy, and then loops.
struct StridedCopyToLinalgPass
    : PassWrapper<StridedCopyToLinalgPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(StridedCopyToLinalgPass)

  StringRef getArgument() const override { return "tfm-strided-copy-to-linalg"; }
  StringRef getDescription() const override {
    return "Turn memref.copy between strided views into linalg.copy";
  }

  void runOnOperation() override {
    getOperation().walk([](memref::CopyOp copy) {
      auto source = dyn_cast<MemRefType>(copy.getSource().getType());
      auto target = dyn_cast<MemRefType>(copy.getTarget().getType());
      if (!source || !target ||
          (source.getLayout().isIdentity() && target.getLayout().isIdentity()))
        return;
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(), copy.getTarget());
      copy.erase();
    });
  }
};

bool hasGroupWithSeveralDynamicDims(memref::ExpandShapeOp expand) {
  MemRefType type = expand.getResultType();
  for (const ReassociationIndices &group : expand.getReassociationIndices())
    if (llvm::count_if(group, [&](int64_t d) { return type.isDynamicDim(d); }) > 1)
      return true;
  return false;
}

OpFoldResult multiply(OpBuilder &b, Location loc, OpFoldResult lhs, OpFoldResult rhs) {
  std::optional<int64_t> l = getConstantIntValue(lhs), r = getConstantIntValue(rhs);
  if (l && r)
    return b.getIndexAttr(*l * *r);
  return arith::MulIOp::create(b, loc, getValueOrCreateConstantIndexOp(b, loc, lhs),
                               getValueOrCreateConstantIndexOp(b, loc, rhs))
      .getResult();
}

/// expand-strided-metadata in LLVM 22 crashes on a memref.expand_shape whose
/// reassociation group has more than one dynamic dim ([B*S, N] → [B, S, N],
/// llvm-project issue 186830, fixed after 22). Such an expand_shape becomes
/// the reinterpret_cast that pass would build: the source's base and offset,
/// the op's output shape, and strides that multiply outward in each group.
struct ExpandShapeToReinterpretCastPass
    : PassWrapper<ExpandShapeToReinterpretCastPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ExpandShapeToReinterpretCastPass)

  StringRef getArgument() const override { return "tfm-expand-shape-to-reinterpret-cast"; }
  StringRef getDescription() const override {
    return "Rewrite expand_shape ops with several dynamic dims per group as reinterpret_cast";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect>();
  }

  void runOnOperation() override {
    getOperation().walk([](memref::ExpandShapeOp expand) {
      if (!hasGroupWithSeveralDynamicDims(expand))
        return;
      OpBuilder b(expand);
      Location loc = expand.getLoc();
      MemRefType type = expand.getResultType();
      auto source = memref::ExtractStridedMetadataOp::create(b, loc, expand.getSrc());
      SmallVector<OpFoldResult> sizes = expand.getMixedOutputShape();
      auto [staticStrides, staticOffset] = type.getStridesAndOffset();

      SmallVector<OpFoldResult> strides(type.getRank());
      for (auto [sourceDim, group] : llvm::enumerate(expand.getReassociationIndices())) {
        OpFoldResult stride = source.getStrides()[sourceDim];
        for (int64_t dim : llvm::reverse(group)) {
          strides[dim] = ShapedType::isDynamic(staticStrides[dim])
                             ? stride
                             : OpFoldResult(b.getIndexAttr(staticStrides[dim]));
          if (dim != group.front())
            stride = multiply(b, loc, stride, sizes[dim]);
        }
      }
      OpFoldResult offset = ShapedType::isDynamic(staticOffset)
                                ? OpFoldResult(source.getOffset())
                                : OpFoldResult(b.getIndexAttr(staticOffset));
      auto view = memref::ReinterpretCastOp::create(b, loc, type, source.getBaseBuffer(),
                                                    offset, sizes, strides);
      expand.replaceAllUsesWith(view.getResult());
      expand.erase();
    });
  }
};

} // namespace

std::unique_ptr<Pass> tfmc::createStridedCopyToLinalgPass() {
  return std::make_unique<StridedCopyToLinalgPass>();
}

std::unique_ptr<Pass> tfmc::createExpandShapeToReinterpretCastPass() {
  return std::make_unique<ExpandShapeToReinterpretCastPass>();
}
