//===- ShapeUtils.h - dims of types and values of shape tensors -*- C++ -*-===//

#ifndef TFMC_DIALECT_SHAPEUTILS_H
#define TFMC_DIALECT_SHAPEUTILS_H

#include "tfmc/Dialect/SymbolicDim.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

namespace tfmc::tfm {

using Dims = llvm::SmallVector<Dim, 6>;

/// The dims of a ranked tensor type, reading symbolic names from its
/// `#tfm.dims` encoding.
Dims getDims(mlir::Type type);
/// A ranked tensor type with these dims; symbolic ones go to the encoding.
mlir::RankedTensorType makeTensorType(llvm::ArrayRef<Dim> dims, mlir::Type elementType);
/// `type` with the encoding dropped.
mlir::RankedTensorType withoutEncoding(mlir::RankedTensorType type);

/// Numpy broadcasting of two shapes; nullopt when static dims conflict.
std::optional<Dims> broadcastShapes(llvm::ArrayRef<Dim> a, llvm::ArrayRef<Dim> b);

/// The contents of a small integer tensor (a "shape value": Shape, Dim,
/// Gather, Concat, Unsqueeze, arithmetic, Equal/Where ... over constants
/// and dims), flattened; nullopt when they cannot be followed.
std::optional<Dims> evaluateShapeValue(mlir::Value value);
/// The contents when all of them are static.
std::optional<llvm::SmallVector<int64_t>> evaluateConstantInts(mlir::Value value);
/// The integer or float contents of a constant tensor, as int64 when all are
/// integral; nullopt otherwise or when it has more than `maxElements`.
std::optional<llvm::SmallVector<int64_t>> getConstantInts(mlir::Value value,
                                                          int64_t maxElements = 4096);

/// Normalizes `axis` into [0, rank); nullopt when out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

} // namespace tfmc::tfm

#endif // TFMC_DIALECT_SHAPEUTILS_H
