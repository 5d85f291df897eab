//===- Buffers.h - a memref's memory and layout -----------------*- C++ -*-===//
//
// Passes that reason about which buffers an op may touch (after
// bufferization) look through views to the buffer underneath: a fresh
// allocation is memory no other buffer shares. Passes that emit vector or
// kernel code ask whether a buffer's rows are contiguous.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_LIB_CODEGEN_BUFFERS_H
#define TFMC_LIB_CODEGEN_BUFFERS_H

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace tfmc {

/// The buffer a memref views (through subviews, casts and reshapes).
inline mlir::Value rootBuffer(mlir::Value memref) {
  while (auto view = memref.getDefiningOp<mlir::ViewLikeOpInterface>())
    memref = view.getViewSource();
  return memref;
}

inline bool isFreshAllocation(mlir::Value buffer) {
  return buffer.getDefiningOp<mlir::memref::AllocOp>() ||
         buffer.getDefiningOp<mlir::memref::AllocaOp>();
}

/// Whether `type`'s innermost dim is contiguous (vector loads and the
/// runtime's kernels read its rows as they lie).
inline bool hasUnitInnerStride(mlir::MemRefType type) {
  auto [strides, offset] = type.getStridesAndOffset();
  return !strides.empty() && strides.back() == 1;
}

} // namespace tfmc

#endif // TFMC_LIB_CODEGEN_BUFFERS_H
