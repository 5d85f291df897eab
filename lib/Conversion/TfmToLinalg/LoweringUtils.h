//===- LoweringUtils.h - shared pieces of the tfm lowerings -----*- C++ -*-===//

#ifndef TFMC_LIB_CONVERSION_TFMTOLINALG_LOWERINGUTILS_H
#define TFMC_LIB_CONVERSION_TFMTOLINALG_LOWERINGUTILS_H

#include "tfmc/Conversion/TfmToLinalg.h"
#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/SmallBitVector.h"

namespace tfmc::lowering {

/// Builds the scalar result of an elementwise op from its operands' scalars.
using ScalarBody =
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// The converted tensor type of an op's result.
mlir::RankedTensorType convertedType(const mlir::TypeConverter &converter, mlir::Value value);

/// True for ONNX's unsigned integers (ui8..ui64) in the original types.
bool isUnsigned(mlir::Type originalType);

/// The sizes of a converted tensor: static attributes or tensor.dim values.
llvm::SmallVector<mlir::OpFoldResult> getSizes(mlir::OpBuilder &b, mlir::Location loc,
                                               mlir::Value tensor);
/// The dynamic sizes only, as `tensor.empty` wants them.
llvm::SmallVector<mlir::Value> getDynamicSizes(mlir::OpBuilder &b, mlir::Location loc,
                                               mlir::Value tensor);

/// A linalg.generic over the numpy-broadcast shape of `operands` producing a
/// tensor of `resultType`. `original` are the tfm-typed operands: their
/// `#tfm.dims` encodings tell which dynamic dims are equal, so a broadcast
/// from a dynamic size is resolved at compile time where the symbols allow.
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::RankedTensorType resultType,
                             mlir::Type originalResultType, mlir::ValueRange original,
                             mlir::ValueRange operands, ScalarBody body);

/// A parallel linalg.generic producing `resultType` (dynamic sizes
/// `dynamicSizes`) from `inputs` read through `inputMaps`.
mlir::Value buildParallelGeneric(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::RankedTensorType resultType,
                                 mlir::ValueRange dynamicSizes,
                         mlir::ValueRange inputs, llvm::ArrayRef<mlir::AffineMap> inputMaps,
                         ScalarBody body);

/// `tensor` with each dim in `dims` spread to its extent in `extents`: a
/// dynamic size that is 1 at run time is broadcast (ONNX broadcasting that
/// the symbols could not decide at compile time); otherwise it is copied.
mlir::Value broadcastAtRunTime(mlir::OpBuilder &b, mlir::Location loc, mlir::Value tensor,
                               llvm::ArrayRef<int64_t> dims,
                               llvm::ArrayRef<mlir::OpFoldResult> extents);

/// A constant of `type` (float, integer or index) holding `value`.
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
                           double value);
/// 1 / x for a float scalar. Where x is invariant in the innermost loop
/// (a row's sum or norm), multiplying by it lets LLVM hoist the division:
/// a 512-bit divide issues once per 16 cycles.
mlir::Value reciprocal(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x);
/// Converts a scalar between element types with ONNX Cast semantics
/// (floats truncate toward zero into integers; bools are 0/1).
mlir::Value castScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                       mlir::Type to, bool fromUnsigned, bool toUnsigned);

/// f16 and bf16 compute in f32; f32 and f64 in themselves.
mlir::Type computeType(mlir::Type element);
/// `v` converted to the float type `to` (castScalar for signed sources).
mlir::Value toFloat(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, mlir::Type to);
/// Reads a scalar index (any integer or float element) as `index`.
mlir::Value toIndex(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, bool isUnsigned);
/// `size / divisor`, folded when the size is static.
mlir::OpFoldResult divideSize(mlir::OpBuilder &b, mlir::Location loc, mlir::OpFoldResult size,
                              int64_t divisor);

/// `func.func private @name` in the module of `user`, declared on first
/// use: a function of the runtime that the generated code calls.
/// `takesInstance` marks it kTakesInstanceAttr.
mlir::func::FuncOp declareRuntimeFunction(mlir::OpBuilder &b, mlir::Operation *user,
                                          llvm::StringRef name, mlir::FunctionType type,
                                          bool takesInstance = false);

/// True when `value`'s elements are strings (`!tfm.string`).
bool isStringTensor(mlir::Value value);
/// The scalar body of a tfm.cast `cast` to or from strings: `value` is the
/// converted input element, `to` the converted result element type.
mlir::Value castWithStrings(mlir::OpBuilder &b, mlir::Location loc, mlir::Operation *cast,
                            mlir::Value value, mlir::Type to);
/// Whether two string elements hold the same text (an i1).
mlir::Value stringsEqual(mlir::OpBuilder &b, mlir::Location loc, mlir::Operation *user,
                         mlir::Value lhs, mlir::Value rhs);

/// `parallel` parallel iterators followed by `reduction` reduction ones.
llvm::SmallVector<mlir::utils::IteratorType> iterators(int64_t parallel, int64_t reduction);
/// The map (d0, ..., d{n-1}) -> (d{dims[0]}, d{dims[1]}, ...).
mlir::AffineMap dimsMap(mlir::MLIRContext *ctx, int64_t numDims, llvm::ArrayRef<int64_t> dims);
/// A linalg.generic with `init` as its one output; `body` gets the input
/// scalars followed by the output's and returns what to yield.
mlir::Value buildGeneric(mlir::OpBuilder &b, mlir::Location loc, mlir::ValueRange inputs,
                         mlir::Value init, llvm::ArrayRef<mlir::AffineMap> maps,
                         llvm::ArrayRef<mlir::utils::IteratorType> iteratorTypes,
                         ScalarBody body);
/// An scf.for from 0 to `upper` by `step` carrying `inits`; `body` gets the
/// induction variable and the carried values and returns their next values.
mlir::ValueRange forLoop(mlir::OpBuilder &b, mlir::Location loc, mlir::Value upper, int64_t step,
                         mlir::ValueRange inits,
                         llvm::function_ref<llvm::SmallVector<mlir::Value>(mlir::Value,
                                                                           mlir::ValueRange)>
                             body);
/// A row kernel: an scf.forall over the rows of `outs` ([R, N] or [R]
/// tensors) whose `body` gets the loop's index and the row's part of each
/// output ([N], or a 0-d tensor) and returns the row's values. Index i does
/// row `rowOf(i)` (row i by default): an order in which neighbouring GPU
/// threads read the same data. The GPU runs it as one kernel, a row per
/// thread.
llvm::SmallVector<mlir::Value>
forEachRow(mlir::OpBuilder &b, mlir::Location loc, mlir::ValueRange outs,
           llvm::function_ref<llvm::SmallVector<mlir::Value>(mlir::Value, mlir::ValueRange)> body,
           llvm::function_ref<mlir::Value(mlir::Value)> rowOf = nullptr);
/// A tensor.empty of `sizes`, filled with `value` by filledTensor.
mlir::Value emptyTensor(mlir::OpBuilder &b, mlir::Location loc,
                        llvm::ArrayRef<mlir::OpFoldResult> sizes, mlir::Type element);
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc,
                         llvm::ArrayRef<mlir::OpFoldResult> sizes, mlir::Type element,
                         mlir::Value value);

/// A tensor.empty of `type` whose dynamic sizes are `dynamicSizes`, filled
/// with `value` when given.
mlir::Value createEmpty(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type,
                        mlir::ValueRange dynamicSizes);
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type,
                         mlir::ValueRange dynamicSizes, mlir::Value value);

/// `value` as `type` (a tensor.cast, when it is not that type already).
mlir::Value castToType(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                       mlir::Type type);

/// An elementwise linalg.generic over converted `inputs` of one shape,
/// producing `resultElement`s.
mlir::Value mapElements(mlir::OpBuilder &b, mlir::Location loc, mlir::ValueRange inputs,
                        mlir::Type resultElement, ScalarBody body);

/// How a reduction combines elements; reduce_*, pooling and batch
/// normalization share it (Reduction.cpp).
enum class ReductionKind { Sum, Mean, Max, Min, Prod };

/// The value a reduction starts from (-inf or the type's minimum for Max).
mlir::Value reductionIdentity(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
                              ReductionKind kind, bool isUnsigned);
/// Folds `x` into the accumulator `acc` (Mean sums; the division comes last).
mlir::Value combineScalar(mlir::OpBuilder &b, mlir::Location loc, ReductionKind kind,
                          mlir::Value acc, mlir::Value x, bool isUnsigned);
/// Reduces a converted tensor over the dims set in `reduced`, keeping them as
/// size 1 when `keepDims`. f16/bf16 sums, means and products accumulate in f32.
mlir::Value buildReduction(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                           const llvm::SmallBitVector &reduced, ReductionKind kind,
                           bool keepDims, bool isUnsigned);

/// Adds each family's patterns (one file per family).
void populateElementwisePatterns(const mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);
void populateContractionPatterns(const mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);
void populateShapePatterns(const mlir::TypeConverter &converter,
                           mlir::RewritePatternSet &patterns);
void populateReductionPatterns(const mlir::TypeConverter &converter,
                               mlir::RewritePatternSet &patterns);
void populateConvolutionPatterns(const mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);
/// `rowKernels`: the norms and attention as forEachRow kernels (the
/// ConvertTfmToLinalg option of that name).
void populateTransformerPatterns(const mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns, bool rowKernels);
void populateAttentionPatterns(const mlir::TypeConverter &converter,
                               mlir::RewritePatternSet &patterns, int64_t denseAttentionBytes,
                               bool rowKernels);
void populateDropoutPatterns(const mlir::TypeConverter &converter,
                             mlir::RewritePatternSet &patterns);
void populateQuantPatterns(const mlir::TypeConverter &converter,
                           mlir::RewritePatternSet &patterns);
void populateControlFlowPatterns(const mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);

} // namespace tfmc::lowering

#endif // TFMC_LIB_CONVERSION_TFMTOLINALG_LOWERINGUTILS_H
