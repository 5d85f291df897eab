//===- ShapePasses.h - shape inference and folding --------------*- C++ -*-===//

#ifndef TFMC_PASSES_SHAPEPASSES_H
#define TFMC_PASSES_SHAPEPASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace tfmc::tfm {

#define GEN_PASS_DECL
#include "shape/Passes.h.inc"

/// Shape inference and folding to a fixed point: infer, canonicalize, infer.
void buildShapeSimplificationPipeline(mlir::OpPassManager &pm);

#define GEN_PASS_REGISTRATION
#include "shape/Passes.h.inc"

/// Registers the passes and the `tfm-simplify-shapes` pipeline.
void registerShapePasses();

} // namespace tfmc::tfm

#endif // TFMC_PASSES_SHAPEPASSES_H
