//===- MatMulEpilogue.h - elementwise consumers run on C's blocks -*- C++ -*-===//
//
// A product is mostly read first by an elementwise op: a bias add, the bias
// and GELU of an MLP, a residual add. The runtime's matmul can run such an
// op on each block of C as soon as the block is final, while it is still in
// cache (tfmrt_tile_fn), instead of in a pass of its own over all of C.
// This finds such an op and outlines it as that tile function.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_LIB_CODEGEN_MATMULEPILOGUE_H
#define TFMC_LIB_CODEGEN_MATMULEPILOGUE_H

#include "MatMulMatch.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace tfmc {

/// The op that can run as `matmul`'s epilogue, or null: the first op after
/// it that touches C, when that is an all-parallel generic over C's
/// iteration space reading C element for element, writing one buffer that
/// no other block reads, and every op in between could run after both.
/// (The product moves to the epilogue's place.) Products with at most one
/// batch dim, C's rows and columns last.
mlir::linalg::GenericOp findEpilogue(mlir::linalg::GenericOp matmul, const MatMulShape &shape);

/// What a matmul call passes for its epilogue: the tile function and the
/// address of its captures.
struct EpilogueArgs {
  mlir::Value function, captures;
};

/// `epilogue` as a tile function beside `parent`, and at the builder's
/// point the values a matmul call passes for it. None when something it
/// reads cannot be captured.
std::optional<EpilogueArgs>
outlineEpilogue(mlir::OpBuilder &b, mlir::linalg::GenericOp epilogue, const MatMulShape &shape,
                mlir::func::FuncOp parent, llvm::StringRef name,
                const mlir::LLVMTypeConverter &converter);

} // namespace tfmc

#endif // TFMC_LIB_CODEGEN_MATMULEPILOGUE_H
