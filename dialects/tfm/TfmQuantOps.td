//===- TfmQuantOps.td - ONNX quantization operators -------*- tablegen -*-===//

#ifndef TFM_QUANT_OPS_TD
#define TFM_QUANT_OPS_TD

include "TfmOpBase.td"

def Tfm_QuantizeLinearOp : Tfm_InferOp<"quantize_linear"> {
  let summary = "ONNX QuantizeLinear (per-tensor, per-axis or per-block scales)";
  let description = [{
    The result element type is the zero point's, else `output_dtype`, else ui8.
  }];
  let arguments = (ins Tfm_FloatTensor:$x, Tfm_FloatTensor:$y_scale,
                   Optional<Tfm_QuantTensor>:$y_zero_point,
                   DefaultValuedAttr<SI64Attr, "1">:$axis,
                   DefaultValuedAttr<SI64Attr, "0">:$block_size,
                   DefaultValuedAttr<SI64Attr, "1">:$saturate,
                   OptionalAttr<TypeAttr>:$output_dtype);
  let results = (outs Tfm_QuantTensor:$y);
  let assemblyFormat = [{
    $x `,` $y_scale (`zero_point` $y_zero_point^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Tfm_DequantizeLinearOp : Tfm_InferOp<"dequantize_linear"> {
  let summary = "ONNX DequantizeLinear (per-tensor, per-axis or per-block scales)";
  let arguments = (ins Tfm_QuantTensor:$x, Tfm_FloatTensor:$x_scale,
                   Optional<Tfm_QuantTensor>:$x_zero_point,
                   DefaultValuedAttr<SI64Attr, "1">:$axis,
                   DefaultValuedAttr<SI64Attr, "0">:$block_size);
  let results = (outs Tfm_FloatTensor:$y);
  let assemblyFormat = [{
    $x `,` $x_scale (`zero_point` $x_zero_point^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Tfm_DynamicQuantizeLinearOp : Tfm_InferOp<"dynamic_quantize_linear"> {
  let summary = "ONNX DynamicQuantizeLinear: f32 to ui8 with computed scale and zero point";
  let arguments = (ins RankedTensorOf<[F32]>:$x);
  let results = (outs RankedTensorOf<[UI8]>:$y, RankedTensorOf<[F32]>:$y_scale,
                  RankedTensorOf<[UI8]>:$y_zero_point);
}

#endif // TFM_QUANT_OPS_TD
