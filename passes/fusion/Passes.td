//===- Passes.td - transformer block fusion ----------------*- tablegen -*-===//

#ifndef TFM_FUSION_PASSES_TD
#define TFM_FUSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def TfmFuse : Pass<"tfm-fuse", "mlir::func::FuncOp"> {
  let summary = "Fuse attention, norms, GELU and friends into high-level tfm ops";
  let description = [{
    Rewrites the decomposed spellings that exporters write (PyTorch opsets 11
    to 17, TF-Keras, ONNX Runtime's optimizer) into tfm.attention,
    tfm.layer_norm, tfm.rms_norm, tfm.gelu and the other high-level ops. The
    patterns look through Cast/Reshape/Transpose noise, commuted operands and
    folded constants. A fused op's location is a FusedLoc: its metadata is
    the fusion kind, its parts the absorbed ONNX nodes. Each anchor (a
    softmax, a mean over the last axis, an erf or tanh of a GELU shape) left
    unfused is reported with the reason the patterns gave, as a remark.
  }];
  let options = [
    ListOption<"disabled", "no-fuse", "std::string",
               "Fusion kinds to leave alone (attention, layer_norm, rms_norm, gelu, ...)">,
  ];
  let dependentDialects = ["::tfmc::tfm::TfmDialect"];
}

#endif // TFM_FUSION_PASSES_TD
