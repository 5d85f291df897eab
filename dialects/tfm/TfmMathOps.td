//===- TfmMathOps.td - contractions, reductions, pooling --*- tablegen -*-===//

#ifndef TFM_MATH_OPS_TD
#define TFM_MATH_OPS_TD

include "TfmOpBase.td"

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def Tfm_MatMulOp : Tfm_InferOp<"matmul"> {
  let summary = "ONNX MatMul (numpy matmul: 1-D promotion, batch broadcast)";
  let arguments = (ins Tfm_NumericTensor:$a, Tfm_NumericTensor:$b);
  let results = (outs Tfm_NumericTensor:$output);
}

def Tfm_MatMulIntegerOp : Tfm_InferOp<"matmul_integer", [AttrSizedOperandSegments]> {
  let summary = "ONNX MatMulInteger: (a - a_zero_point) x (b - b_zero_point) in int32";
  let arguments = (ins RankedTensorOf<[I8, UI8]>:$a, RankedTensorOf<[I8, UI8]>:$b,
                   Optional<RankedTensorOf<[I8, UI8]>>:$a_zero_point,
                   Optional<RankedTensorOf<[I8, UI8]>>:$b_zero_point);
  let results = (outs RankedTensorOf<[I32]>:$output);
  let assemblyFormat = [{
    $a `,` $b (`a_zero_point` $a_zero_point^)? (`b_zero_point` $b_zero_point^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def Tfm_GemmOp : Tfm_InferOp<"gemm"> {
  let summary = "ONNX Gemm: alpha * op(A) x op(B) + beta * C";
  let arguments = (ins Tfm_NumericTensor:$a, Tfm_NumericTensor:$b,
                   Optional<Tfm_NumericTensor>:$c,
                   DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.0">:$beta,
                   DefaultValuedAttr<SI64Attr, "0">:$transA,
                   DefaultValuedAttr<SI64Attr, "0">:$transB);
  let results = (outs Tfm_NumericTensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`bias` $c^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Tfm_EinsumOp : Tfm_InferOp<"einsum"> {
  let summary = "ONNX Einsum";
  let arguments = (ins Variadic<Tfm_NumericTensor>:$inputs, StrAttr:$equation);
  let results = (outs Tfm_NumericTensor:$output);
}

def Tfm_ConvOp : Tfm_InferOp<"conv"> {
  let summary = "ONNX Conv (N-d, NCHW)";
  let arguments = (ins Tfm_FloatTensor:$x, Tfm_FloatTensor:$w,
                   Optional<Tfm_FloatTensor>:$b,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<SI64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs Tfm_FloatTensor:$y);
  let assemblyFormat = [{
    $x `,` $w (`bias` $b^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Tfm_ReduceOp<string mnemonic, string onnxName>
    : Tfm_InferOp<mnemonic> {
  let summary = "ONNX " # onnxName # " (opset 18 form: axes is an operand)";
  let arguments = (ins Tfm_NumericTensor:$data, Optional<Tfm_I64Tensor>:$axes,
                   DefaultValuedAttr<SI64Attr, "1">:$keepdims,
                   DefaultValuedAttr<SI64Attr, "0">:$noop_with_empty_axes);
  let results = (outs Tfm_NumericTensor:$reduced);
  let assemblyFormat = [{
    $data (`axes` $axes^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Tfm_ReduceMeanOp : Tfm_ReduceOp<"reduce_mean", "ReduceMean">;
def Tfm_ReduceSumOp : Tfm_ReduceOp<"reduce_sum", "ReduceSum">;
def Tfm_ReduceMaxOp : Tfm_ReduceOp<"reduce_max", "ReduceMax">;
def Tfm_ReduceMinOp : Tfm_ReduceOp<"reduce_min", "ReduceMin">;
def Tfm_ReduceProdOp : Tfm_ReduceOp<"reduce_prod", "ReduceProd">;

def Tfm_ArgMaxOp : Tfm_InferOp<"arg_max"> {
  let summary = "ONNX ArgMax";
  let arguments = (ins Tfm_NumericTensor:$data,
                   DefaultValuedAttr<SI64Attr, "0">:$axis,
                   DefaultValuedAttr<SI64Attr, "1">:$keepdims,
                   DefaultValuedAttr<SI64Attr, "0">:$select_last_index);
  let results = (outs Tfm_I64Tensor:$reduced);
}

def Tfm_TopKOp : Tfm_InferOp<"top_k"> {
  let summary = "ONNX TopK: the k largest (or smallest) along an axis";
  let arguments = (ins Tfm_NumericTensor:$x, Tfm_I64Tensor:$k,
                   DefaultValuedAttr<SI64Attr, "-1">:$axis,
                   DefaultValuedAttr<SI64Attr, "1">:$largest,
                   DefaultValuedAttr<SI64Attr, "1">:$sorted);
  let results = (outs Tfm_NumericTensor:$values, Tfm_I64Tensor:$indices);
}

def Tfm_CumSumOp : Tfm_InferOp<"cum_sum"> {
  let summary = "ONNX CumSum";
  let arguments = (ins Tfm_NumericTensor:$x, Tfm_IndexTensor:$axis,
                   DefaultValuedAttr<SI64Attr, "0">:$exclusive,
                   DefaultValuedAttr<SI64Attr, "0">:$reverse);
  let results = (outs Tfm_NumericTensor:$y);
}

//===----------------------------------------------------------------------===//
// Normalization and pooling
//===----------------------------------------------------------------------===//

def Tfm_BatchNormOp : Tfm_InferOp<"batch_norm", [AttrSizedResultSegments]> {
  let summary = "ONNX BatchNormalization";
  let description = [{
    With `training_mode` = 1 the batch's own statistics normalize `x`, and
    `running_mean`/`running_var` return the momentum-updated estimates.
  }];
  let arguments = (ins Tfm_FloatTensor:$x, Tfm_FloatTensor:$scale, Tfm_FloatTensor:$b,
                   Tfm_FloatTensor:$input_mean, Tfm_FloatTensor:$input_var,
                   DefaultValuedAttr<F32Attr, "1e-5">:$epsilon,
                   DefaultValuedAttr<F32Attr, "0.9">:$momentum,
                   DefaultValuedAttr<SI64Attr, "0">:$training_mode);
  let results = (outs Tfm_FloatTensor:$y, Optional<Tfm_FloatTensor>:$running_mean,
                  Optional<Tfm_FloatTensor>:$running_var);
}

class Tfm_PoolOp<string mnemonic, string onnxName> : Tfm_InferOp<mnemonic> {
  let summary = "ONNX " # onnxName # " (N-d, NCHW)";
}

def Tfm_MaxPoolOp : Tfm_PoolOp<"max_pool", "MaxPool"> {
  let arguments = (ins Tfm_NumericTensor:$x,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   DefaultValuedAttr<SI64Attr, "0">:$ceil_mode,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   DefaultValuedAttr<SI64Attr, "0">:$storage_order,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs Tfm_NumericTensor:$y, Optional<Tfm_I64Tensor>:$indices);
}

def Tfm_AveragePoolOp : Tfm_PoolOp<"average_pool", "AveragePool"> {
  let arguments = (ins Tfm_FloatTensor:$x,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   DefaultValuedAttr<SI64Attr, "0">:$ceil_mode,
                   DefaultValuedAttr<SI64Attr, "0">:$count_include_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs Tfm_FloatTensor:$y);
}

def Tfm_GlobalAveragePoolOp : Tfm_PoolOp<"global_average_pool", "GlobalAveragePool"> {
  let arguments = (ins Tfm_FloatTensor:$x);
  let results = (outs Tfm_FloatTensor:$y);
}

#endif // TFM_MATH_OPS_TD
