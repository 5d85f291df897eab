//===- ControlFlow.cpp - tfm.if to scf.if ---------------------------------===//
//
// A condition that shape folding could not decide becomes an scf.if on the
// condition's one element. The branches' ops move into it unchanged and are
// converted like any other; each yield casts to the converted result type
// where a branch's shape is more static than the join.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;

namespace {

struct IfLowering : OpConversionPattern<tfm::IfOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::IfOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    SmallVector<Type> types;
    for (Value result : op.getResults()) {
      RankedTensorType type = convertedType(*getTypeConverter(), result);
      if (!type)
        return rewriter.notifyMatchFailure(op, "result type has no lowering");
      types.push_back(type);
    }
    Location loc = op.getLoc();
    Value condition = adaptor.getCondition();
    auto condType = cast<RankedTensorType>(condition.getType());
    // One element: 0-D, or every dim 1.
    SmallVector<Value> indices;
    if (condType.getRank() > 0)
      indices.assign(condType.getRank(), arith::ConstantIndexOp::create(rewriter, loc, 0));
    Value flag = tensor::ExtractOp::create(rewriter, loc, condition, indices);
    auto ifOp = scf::IfOp::create(rewriter, loc, types, flag, /*addThenBlock=*/false,
                                  /*addElseBlock=*/false);
    rewriter.inlineRegionBefore(op.getThenRegion(), ifOp.getThenRegion(),
                                ifOp.getThenRegion().end());
    rewriter.inlineRegionBefore(op.getElseRegion(), ifOp.getElseRegion(),
                                ifOp.getElseRegion().end());
    rewriter.replaceOp(op, ifOp.getResults());
    return success();
  }
};

/// tfm.yield inside a lowered tfm.if: scf.yield of the converted values, cast
/// to the scf.if's result types.
struct YieldLowering : OpConversionPattern<tfm::YieldOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::YieldOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto parent = dyn_cast<scf::IfOp>(op->getParentOp());
    if (!parent)
      return rewriter.notifyMatchFailure(op, "its tfm.if is not lowered yet");
    SmallVector<Value> values;
    for (auto [value, type] : llvm::zip(adaptor.getValues(), parent.getResultTypes())) {
      if (value.getType() != type)
        value = tensor::CastOp::create(rewriter, op.getLoc(), type, value);
      values.push_back(value);
    }
    rewriter.replaceOpWithNewOp<scf::YieldOp>(op, values);
    return success();
  }
};

} // namespace

void lowering::populateControlFlowPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns) {
  patterns.add<IfLowering, YieldLowering>(converter, patterns.getContext());
}
