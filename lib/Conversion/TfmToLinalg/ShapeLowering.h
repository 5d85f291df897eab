//===- ShapeLowering.h - helpers of the shape and data-movement lowerings -===//
//
// Shape operands (axes, starts, pads, target shapes, ...) are often graph
// inputs whose values arrive at run time. These helpers read them as index
// values and do index arithmetic that folds as it is built, so constant
// operands still give static sizes and compile-time decisions.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_LIB_CONVERSION_TFMTOLINALG_SHAPELOWERING_H
#define TFMC_LIB_CONVERSION_TFMTOLINALG_SHAPELOWERING_H

#include "LoweringUtils.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

namespace tfmc::lowering {

/// Index arithmetic that folds constants as it builds.
class IndexMath {
public:
  IndexMath(mlir::OpBuilder &b, mlir::Location loc) : b(b), loc(loc) {}

  mlir::Value constant(int64_t value) const;
  mlir::Value add(mlir::Value x, mlir::Value y) const;
  mlir::Value sub(mlir::Value x, mlir::Value y) const;
  mlir::Value mul(mlir::Value x, mlir::Value y) const;
  /// Signed division rounding toward zero.
  mlir::Value div(mlir::Value x, mlir::Value y) const;
  mlir::Value min(mlir::Value x, mlir::Value y) const;
  mlir::Value max(mlir::Value x, mlir::Value y) const;
  mlir::Value clamp(mlir::Value x, mlir::Value lo, mlir::Value hi) const;
  /// x mod y with the sign of y.
  mlir::Value floorMod(mlir::Value x, mlir::Value y) const;
  mlir::Value cmp(mlir::arith::CmpIPredicate predicate, mlir::Value x, mlir::Value y) const;
  mlir::Value eq(mlir::Value x, int64_t y) const;
  mlir::Value select(mlir::Value condition, mlir::Value x, mlir::Value y) const;
  mlir::Value flag(bool value) const;
  mlir::Value logicalOr(mlir::Value x, mlir::Value y) const;
  /// `x + size` where x is negative: ONNX's negative indices and axes.
  mlir::Value wrapNegative(mlir::Value x, mlir::Value size) const;
  /// Size `i` of `tensor`: a constant when static.
  mlir::Value dim(mlir::Value tensor, int64_t i) const;
  /// All sizes of `tensor`.
  llvm::SmallVector<mlir::Value> dims(mlir::Value tensor) const;
  mlir::Value product(mlir::ValueRange values) const;

private:
  mlir::OpBuilder &b;
  mlir::Location loc;
};

/// The entries of a 0-D or 1-D integer operand as index values: constants
/// when `original` (the tfm value) is constant, else read from `converted`.
llvm::SmallVector<mlir::Value> readIndices(mlir::OpBuilder &b, mlir::Location loc,
                                           mlir::Value original, mlir::Value converted);
/// The only element of a one-element tensor.
mlir::Value readScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value tensor);

/// The sizes of a tensor of `type`: its static dims, else `computed[i]`.
llvm::SmallVector<mlir::OpFoldResult> mixedSizes(mlir::RankedTensorType type,
                                                 mlir::ArrayRef<mlir::Value> computed);
/// Only the dynamic ones, as tensor.empty takes them.
llvm::SmallVector<mlir::Value> dynamicSizes(mlir::RankedTensorType type,
                                            mlir::ArrayRef<mlir::Value> computed);
/// `value` with a tensor.cast to `type` where its static dims differ.
mlir::Value castTo(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                   mlir::RankedTensorType type);

/// Reassociation groups between a rank-`rank` shape and the same shape
/// without its unit dims `unitDims`: each unit dim joins the next other dim,
/// trailing ones the last (none at all when every dim is a unit dim).
llvm::SmallVector<mlir::ReassociationIndices>
unitDimGroups(int64_t rank, llvm::ArrayRef<int64_t> unitDims);

/// The data-movement half of populateShapePatterns (DataMovement.cpp).
void populateDataMovementPatterns(const mlir::TypeConverter &converter,
                                  mlir::RewritePatternSet &patterns);

} // namespace tfmc::lowering

#endif // TFMC_LIB_CONVERSION_TFMTOLINALG_SHAPELOWERING_H
