//===- Shape.cpp - constants, shape queries and data movement -------------===//

#include "LoweringUtils.h"

#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;

namespace {

/// Weights keep their (possibly resource) storage; only the type changes.
struct ConstantLowering : OpConversionPattern<tfm::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::ConstantOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = convertedType(*getTypeConverter(), op.getResult());
    if (!type)
      return rewriter.notifyMatchFailure(op, "no lowering for the constant's type");
    Attribute value = op.getValue();
    if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(value))
      value = dense.bitcast(type.getElementType()).reshape(type);
    else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
      value = DenseResourceElementsAttr::get(type, resource.getRawHandle());
    else
      return rewriter.notifyMatchFailure(op, "unsupported constant attribute");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type, cast<TypedAttr>(value));
    return success();
  }
};

} // namespace

void lowering::populateShapePatterns(const TypeConverter &converter,
                                     RewritePatternSet &patterns) {
  patterns.add<ConstantLowering>(converter, patterns.getContext());
}
