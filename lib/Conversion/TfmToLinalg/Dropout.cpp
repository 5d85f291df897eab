//===- Dropout.cpp - inference and training-mode Dropout ------------------===//
//
// At inference Dropout is the identity with an all-true mask. In training
// mode the keep mask comes from the runtime (tfmrt_dropout_mask draws as
// ONNX's reference does) into a buffer the generated code allocates, and
// y = x * mask / (1 - ratio).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "ShapeLowering.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;

namespace {

constexpr llvm::StringLiteral kMaskFunction = "tfmrt_dropout_mask";

/// The keep mask (i8 per element, shaped like `data`) for `ratio`.
Value drawMask(OpBuilder &b, Location loc, Operation *user, Value data, Value ratio,
               int64_t seed) {
  IndexMath m(b, loc);
  auto dataType = cast<RankedTensorType>(data.getType());
  auto maskType = MemRefType::get(dataType.getShape(), b.getI8Type());
  Value buffer = memref::AllocOp::create(b, loc, maskType, dynamicSizes(dataType, m.dims(data)));
  Value address = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
  Value pointer = LLVM::IntToPtrOp::create(
      b, loc, LLVM::LLVMPointerType::get(b.getContext()),
      arith::IndexCastOp::create(b, loc, b.getI64Type(), address).getResult());
  Value count = arith::IndexCastOp::create(b, loc, b.getI64Type(), m.product(m.dims(data)));
  Value seedValue = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(seed));
  // void tfmrt_dropout_mask(uint8_t *mask, int64_t count, double ratio, int64_t seed)
  SmallVector<Value> args{pointer, count, ratio, seedValue};
  func::FuncOp maskFunction =
      declareRuntimeFunction(b, user, kMaskFunction, b.getFunctionType(ValueRange(args).getTypes(), {}));
  func::CallOp::create(b, loc, maskFunction, args);
  auto tensorType = RankedTensorType::get(dataType.getShape(), b.getI8Type());
  return bufferization::ToTensorOp::create(b, loc, tensorType, buffer, /*restrict=*/true,
                                           /*writable=*/true);
}

struct DropoutLowering : OpConversionPattern<tfm::DropoutOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::DropoutOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    auto dataType = cast<RankedTensorType>(data.getType());
    Type element = dataType.getElementType();
    IndexMath m(rewriter, loc);
    RankedTensorType maskType =
        op.getMask() ? convertedType(*getTypeConverter(), op.getMask()) : nullptr;

    std::optional<SmallVector<int64_t>> mode;
    if (Value training = op.getTrainingMode())
      mode = tfm::getConstantInts(training);
    bool inference = !op.getTrainingMode() || (mode && (*mode)[0] == 0);
    if (inference) {
      SmallVector<Value> results{data};
      if (maskType)
        results.push_back(createFilled(rewriter, loc, maskType,
                                       dynamicSizes(maskType, m.dims(data)), m.flag(true)));
      rewriter.replaceOp(op, results);
      return success();
    }

    // ratio 0 when not training keeps every element and scales by 1.
    Value f64Zero = scalarConstant(rewriter, loc, rewriter.getF64Type(), 0.0);
    Value ratio = op.getRatio()
                      ? castScalar(rewriter, loc, readScalar(rewriter, loc, adaptor.getRatio()),
                                   rewriter.getF64Type(), false, false)
                      : scalarConstant(rewriter, loc, rewriter.getF64Type(), 0.5);
    Value training = readScalar(rewriter, loc, adaptor.getTrainingMode());
    ratio = arith::SelectOp::create(rewriter, loc, training, ratio, f64Zero);
    Value keep = arith::SubFOp::create(
        rewriter, loc, scalarConstant(rewriter, loc, rewriter.getF64Type(), 1.0), ratio);
    Value scale = castScalar(
        rewriter, loc,
        arith::DivFOp::create(rewriter, loc,
                              scalarConstant(rewriter, loc, rewriter.getF64Type(), 1.0), keep),
        element, false, false);
    Value mask = drawMask(rewriter, loc, op, data, ratio,
                          op.getSeed().value_or(0));

    auto scaleBody = [&](OpBuilder &b, Location l, ValueRange args) -> Value {
      Value kept = castScalar(b, l, args[1], element, /*fromUnsigned=*/true, false);
      return arith::MulFOp::create(b, l, arith::MulFOp::create(b, l, args[0], kept), scale);
    };
    SmallVector<Value> results{buildElementwise(rewriter, loc, dataType, op.getData().getType(),
                                                ValueRange{op.getData(), op.getData()},
                                                ValueRange{data, mask}, scaleBody)};
    if (maskType)
      results.push_back(buildElementwise(
          rewriter, loc, maskType, op.getData().getType(), ValueRange{op.getData()},
          ValueRange{mask}, [](OpBuilder &b, Location l, ValueRange args) {
            return castScalar(b, l, args[0], b.getI1Type(), true, false);
          }));
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void lowering::populateDropoutPatterns(const TypeConverter &converter,
                                       RewritePatternSet &patterns) {
  patterns.add<DropoutLowering>(converter, patterns.getContext());
}
