//===- ConvertTfmToLinalg.cpp - the tfm-to-linalg pass --------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/StringSet.h"

namespace tfmc {
#define GEN_PASS_DEF_CONVERTTFMTOLINALG
#include "Conversion/Passes.h.inc"
} // namespace tfmc

using namespace mlir;
using namespace tfmc;

TfmTypeConverter::TfmTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](IntegerType type) -> Type {
    if (type.isUnsigned())
      return IntegerType::get(type.getContext(), type.getWidth());
    return type;
  });
  addConversion([](tfm::StringType) -> std::optional<Type> { return std::nullopt; });
  addConversion([this](RankedTensorType type) -> std::optional<Type> {
    Type element = convertType(type.getElementType());
    if (!element || isa<tfm::StringType>(element))
      return std::nullopt;
    return RankedTensorType::get(type.getShape(), element);
  });
}

void tfmc::populateTfmToLinalgPatterns(const TfmTypeConverter &converter,
                                       RewritePatternSet &patterns) {
  lowering::populateElementwisePatterns(converter, patterns);
  lowering::populateContractionPatterns(converter, patterns);
  lowering::populateShapePatterns(converter, patterns);
  lowering::populateReductionPatterns(converter, patterns);
  lowering::populateConvolutionPatterns(converter, patterns);
  lowering::populateTransformerPatterns(converter, patterns);
  lowering::populateAttentionPatterns(converter, patterns);
  lowering::populateQuantPatterns(converter, patterns);
  lowering::populateDropoutPatterns(converter, patterns);
  lowering::populateControlFlowPatterns(converter, patterns);
}

namespace {

/// Names every op that no pattern lowers and every string-typed value, so a
/// user learns all gaps at once, each tied to its ONNX node.
LogicalResult checkLowerable(ModuleOp module, RewritePatternSet &patterns) {
  llvm::StringSet<> lowered;
  for (const std::unique_ptr<RewritePattern> &pattern : patterns.getNativePatterns())
    if (std::optional<OperationName> root = pattern->getRootKind())
      lowered.insert(root->getStringRef());
  bool ok = true;
  module.walk([&](Operation *op) {
    if (!isa<tfm::TfmDialect>(op->getDialect()))
      return;
    if (!lowered.contains(op->getName().getStringRef())) {
      op->emitError() << "'" << op->getName() << "' has no code generation yet";
      ok = false;
      return;
    }
    for (Type type : op->getResultTypes())
      if (isa<tfm::StringType>(getElementTypeOrSelf(type))) {
        op->emitError() << "string tensors cannot be compiled";
        ok = false;
        return;
      }
  });
  return success(ok);
}

struct ConvertTfmToLinalgPass
    : public tfmc::impl::ConvertTfmToLinalgBase<ConvertTfmToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ModuleOp module = getOperation();
    TfmTypeConverter converter;
    RewritePatternSet patterns(ctx);
    populateTfmToLinalgPatterns(converter, patterns);
    if (failed(checkLowerable(module, patterns)))
      return signalPassFailure();

    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*ctx);
    target.addLegalDialect<arith::ArithDialect, bufferization::BufferizationDialect,
                           linalg::LinalgDialect, LLVM::LLVMDialect, math::MathDialect,
                           memref::MemRefDialect, scf::SCFDialect, tensor::TensorDialect>();
    target.addLegalOp<ModuleOp>();
    target.addIllegalDialect<tfm::TfmDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    if (failed(applyFullConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
