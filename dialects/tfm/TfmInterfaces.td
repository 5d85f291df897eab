//===- TfmInterfaces.td - shape inference interface -------*- tablegen -*-===//

#ifndef TFM_INTERFACES_TD
#define TFM_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Tfm_ShapeInferenceOpInterface : OpInterface<"ShapeInferenceOpInterface"> {
  let cppNamespace = "::tfmc::tfm";
  let description = [{
    Computes an op's result types (element type, rank, static and symbolic
    dimensions) from its operands and attributes, and checks the ONNX
    constraints that need shapes. The verifier compares the stored result
    types with the inferred ones; `tfm-infer-shapes` refines them.
  }];
  let methods = [
    InterfaceMethod<[{
        Appends one type per result. Emits an error on the op and fails when
        the operands or attributes break the op's constraints.
      }],
      "::llvm::LogicalResult", "inferResultTypes",
      (ins "::llvm::SmallVectorImpl<::mlir::Type> &":$types), "",
      [{ return ::tfmc::tfm::inferByTraits($_op, types); }]>,
  ];
  let verify = [{ return ::tfmc::tfm::verifyInferredTypes($_op); }];
}

// Markers that select a default shape rule (see ShapeInference.cpp).
def Tfm_SameShapeAsFirst : NativeOpTrait<"SameShapeAsFirst"> {
  let cppNamespace = "::tfmc::tfm";
}
def Tfm_Broadcasting : NativeOpTrait<"Broadcasting"> {
  let cppNamespace = "::tfmc::tfm";
}
def Tfm_BoolResult : NativeOpTrait<"BoolResult"> {
  let cppNamespace = "::tfmc::tfm";
}

#endif // TFM_INTERFACES_TD
