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
  addConversion([](tfm::StringType type) -> Type { return IndexType::get(type.getContext()); });
  // A sequence or optional only passes through: the address of its value.
  addConversion([](tfm::SequenceType type) -> Type {
    return LLVM::LLVMPointerType::get(type.getContext());
  });
  addConversion([](tfm::OptionalType type) -> Type {
    return LLVM::LLVMPointerType::get(type.getContext());
  });
  addConversion([this](RankedTensorType type) -> std::optional<Type> {
    Type element = convertType(type.getElementType());
    if (!element)
      return std::nullopt;
    return RankedTensorType::get(type.getShape(), element);
  });
}

void tfmc::populateTfmToLinalgPatterns(const TfmTypeConverter &converter,
                                       RewritePatternSet &patterns,
                                       const ConvertTfmToLinalgOptions &options) {
  lowering::populateElementwisePatterns(converter, patterns);
  lowering::populateContractionPatterns(converter, patterns);
  lowering::populateShapePatterns(converter, patterns);
  lowering::populateReductionPatterns(converter, patterns);
  lowering::populateConvolutionPatterns(converter, patterns);
  lowering::populateTransformerPatterns(converter, patterns, options.rowKernels);
  lowering::populateAttentionPatterns(converter, patterns, options.denseAttentionBytes,
                                      options.rowKernels);
  lowering::populateQuantPatterns(converter, patterns);
  lowering::populateDropoutPatterns(converter, patterns);
  lowering::populateControlFlowPatterns(converter, patterns);
}

namespace {

/// Ops whose lowering handles string elements: they read or make text
/// through the runtime (Cast, Equal) or only move elements (the rest).
bool acceptsStrings(Operation *op) {
  return isa<tfm::CastOp, tfm::EqualOp, tfm::IdentityOp, tfm::WhereOp, tfm::ReshapeOp,
             tfm::FlattenOp, tfm::SqueezeOp, tfm::UnsqueezeOp, tfm::TransposeOp, tfm::ConcatOp,
             tfm::SplitOp, tfm::SliceOp, tfm::GatherOp, tfm::ExpandOp, tfm::TileOp,
             tfm::ShapeOp, tfm::SizeOp, tfm::DimOp>(op);
}

/// Names every op that no pattern lowers and every string value that an op
/// cannot take, so a user learns all gaps at once, each tied to its ONNX node.
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
    auto isString = [](Value v) { return isa<tfm::StringType>(getElementTypeOrSelf(v)); };
    if (!acceptsStrings(op) &&
        (llvm::any_of(op->getOperands(), isString) || llvm::any_of(op->getResults(), isString))) {
      op->emitError() << "'" << op->getName() << "' cannot take string elements";
      ok = false;
    }
  });
  return success(ok);
}

struct ConvertTfmToLinalgPass
    : public tfmc::impl::ConvertTfmToLinalgBase<ConvertTfmToLinalgPass> {
  using ConvertTfmToLinalgBase::ConvertTfmToLinalgBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ModuleOp module = getOperation();
    TfmTypeConverter converter;
    RewritePatternSet patterns(ctx);
    populateTfmToLinalgPatterns(converter, patterns, {denseAttentionBytes, rowKernels});
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
