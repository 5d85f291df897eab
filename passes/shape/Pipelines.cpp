//===- Pipelines.cpp - the shape simplification pipeline ------------------===//

#include "tfmc/Passes/ShapePasses.h"

#include "mlir/Transforms/Passes.h"

using namespace mlir;

void tfmc::tfm::buildShapeSimplificationPipeline(OpPassManager &pm) {
  // Inference refines types, canonicalization folds what they made static,
  // and a second inference propagates the folded constants.
  pm.addNestedPass<func::FuncOp>(createTfmInferShapes());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createTfmInferShapes());
  pm.addPass(createCanonicalizerPass());
}

void tfmc::tfm::registerShapePasses() {
  registerTfmShapePasses();
  PassPipelineRegistration<>("tfm-simplify-shapes",
                             "Infer shapes and fold shape arithmetic to a fixed point",
                             buildShapeSimplificationPipeline);
}
