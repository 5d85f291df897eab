//===- TfmControlFlowOps.td - ONNX If ---------------------*- tablegen -*-===//
//
// ONNX subgraphs read outer-scope values by name, so the regions here are not
// isolated from above: an op in a branch may use any value that dominates the
// `tfm.if`.
//
//===----------------------------------------------------------------------===//

#ifndef TFM_CONTROL_FLOW_OPS_TD
#define TFM_CONTROL_FLOW_OPS_TD

include "TfmOpBase.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Tfm_IfOp : Op<Tfm_Dialect, "if", [
    DeclareOpInterfaceMethods<Tfm_ShapeInferenceOpInterface, ["inferResultTypes"]>,
    DeclareOpInterfaceMethods<RegionBranchOpInterface, ["areTypesCompatible"]>,
    RecursiveMemoryEffects, RecursivelySpeculatable, NoRegionArguments]> {
  let summary = "ONNX If: runs one of two single-block regions";
  let description = [{
    `condition` is a one-element bool tensor (0-D, or all dims 1). Each region
    is one block ending in `tfm.yield`, with as many values as the op has
    results. When the condition is statically known (a constant or a shape
    value that folds), the results have the taken branch's types and the
    other branch may yield anything; otherwise the branches must agree on
    element types and ranks, and a dimension that differs between them is
    dynamic in the result. Canonicalization inlines the taken branch of a
    known condition.

    ```mlir
    %r = tfm.if %c : tensor<i1> -> (tensor<?xf32>) {
      tfm.yield %x : tensor<4xf32>
    } else {
      %n = tfm.neg %y : (tensor<5xf32>) -> tensor<5xf32>
      tfm.yield %n : tensor<5xf32>
    }
    ```
  }];
  let arguments = (ins Tfm_BoolTensor:$condition);
  let results = (outs Variadic<Tfm_AnyTensor>:$results);
  let regions = (region SizedRegion<1>:$thenRegion, SizedRegion<1>:$elseRegion);
  let assemblyFormat = [{
    $condition `:` type($condition) (`->` `(` type($results)^ `)`)?
    $thenRegion `else` $elseRegion attr-dict
  }];
  let hasCanonicalizer = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The terminators of the two branches (null while a region is empty or
    /// ends in something else).
    YieldOp thenYield();
    YieldOp elseYield();
    /// The condition's value when it is statically known.
    std::optional<bool> getStaticCondition();
  }];
}

def Tfm_YieldOp : Op<Tfm_Dialect, "yield", [
    Pure, Terminator, ReturnLike, HasParent<"IfOp">]> {
  let summary = "the values a tfm.if branch produces (its subgraph's outputs)";
  let arguments = (ins Variadic<Tfm_AnyTensor>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

#endif // TFM_CONTROL_FLOW_OPS_TD
