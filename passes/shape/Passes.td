//===- Passes.td - shape inference and folding passes -----*- tablegen -*-===//

#ifndef TFM_SHAPE_PASSES_TD
#define TFM_SHAPE_PASSES_TD

include "mlir/Pass/PassBase.td"

def TfmInferShapes : Pass<"tfm-infer-shapes", "mlir::func::FuncOp"> {
  let summary = "Infer static and symbolic result shapes of every tfm op";
  let description = [{
    Walks each function in order and replaces every tfm op's result types
    with the ones its operands give (see ShapeInferenceOpInterface), then
    sets the function's result types to the returned values' types. Values
    of shape tensors are followed through Shape/Gather/Concat/... chains, so
    Reshape and Expand targets computed by exporters still give precise
    (static or symbolic) shapes.
  }];
  let dependentDialects = ["::tfmc::tfm::TfmDialect"];
}

#endif // TFM_SHAPE_PASSES_TD
