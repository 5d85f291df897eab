//===- TfmShapeOps.td - shapes, data movement, constants --*- tablegen -*-===//

#ifndef TFM_SHAPE_OPS_TD
#define TFM_SHAPE_OPS_TD

include "TfmOpBase.td"

def Tfm_ConstantOp : Tfm_InferOp<"constant", [ConstantLike]> {
  let summary = "a constant tensor (ONNX Constant and initializers)";
  let description = [{
    Initializers larger than a few elements hold a `dense_resource` blob, so
    weights are not printed inline in textual IR.
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Tfm_AnyTensor:$output);
  let assemblyFormat = ?;
  let hasCustomAssemblyFormat = 1;
  let hasFolder = 1;
}

def Tfm_DimOp : Tfm_InferOp<"dim"> {
  let summary = "one dimension of a tensor, as a 0-D i64 tensor";
  let description = [{
    Not an ONNX operator: folding rewrites `Gather(Shape(x), i)` into it, so
    the exporters' shape chains read as symbolic shape expressions.
  }];
  let arguments = (ins Tfm_AnyTensor:$input, I64Attr:$index);
  let results = (outs Tfm_I64Scalar:$output);
  let assemblyFormat = "$input `[` $index `]` attr-dict `:` type($input)";
  let hasFolder = 1;
}

def Tfm_ShapeOp : Tfm_InferOp<"shape"> {
  let summary = "ONNX Shape, with optional [start, end) slice";
  let arguments = (ins Tfm_AnyTensor:$data,
                   DefaultValuedAttr<SI64Attr, "0">:$start, OptionalAttr<SI64Attr>:$end);
  let results = (outs Tfm_I64Tensor:$shape);
}

def Tfm_SizeOp : Tfm_InferOp<"size"> {
  let summary = "ONNX Size: the element count as a 0-D i64 tensor";
  let arguments = (ins Tfm_AnyTensor:$data);
  let results = (outs Tfm_I64Tensor:$size);
}

def Tfm_TransposeOp : Tfm_InferOp<"transpose"> {
  let summary = "ONNX Transpose; no `perm` reverses the axes";
  let arguments = (ins Tfm_AnyTensor:$data, OptionalAttr<DenseI64ArrayAttr>:$perm);
  let results = (outs Tfm_AnyTensor:$transposed);
}

def Tfm_ReshapeOp : Tfm_InferOp<"reshape"> {
  let summary = "ONNX Reshape (0 copies a dim unless allowzero, -1 is inferred)";
  let arguments = (ins Tfm_AnyTensor:$data, Tfm_I64Tensor:$shape,
                   DefaultValuedAttr<SI64Attr, "0">:$allowzero);
  let results = (outs Tfm_AnyTensor:$reshaped);
  let hasCanonicalizer = 1;
}

def Tfm_FlattenOp : Tfm_InferOp<"flatten"> {
  let summary = "ONNX Flatten to 2-D at `axis`";
  let arguments = (ins Tfm_AnyTensor:$input, DefaultValuedAttr<SI64Attr, "1">:$axis);
  let results = (outs Tfm_AnyTensor:$output);
}

def Tfm_SqueezeOp : Tfm_InferOp<"squeeze"> {
  let summary = "ONNX Squeeze; no axes removes every static 1";
  let arguments = (ins Tfm_AnyTensor:$data, Optional<Tfm_I64Tensor>:$axes);
  let results = (outs Tfm_AnyTensor:$squeezed);
  let assemblyFormat = [{
    $data (`axes` $axes^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Tfm_UnsqueezeOp : Tfm_InferOp<"unsqueeze"> {
  let summary = "ONNX Unsqueeze";
  let arguments = (ins Tfm_AnyTensor:$data, Tfm_I64Tensor:$axes);
  let results = (outs Tfm_AnyTensor:$expanded);
}

def Tfm_ConcatOp : Tfm_InferOp<"concat"> {
  let summary = "ONNX Concat";
  let arguments = (ins Variadic<Tfm_AnyTensor>:$inputs, SI64Attr:$axis);
  let results = (outs Tfm_AnyTensor:$concat_result);
}

def Tfm_SplitOp : Tfm_InferOp<"split"> {
  let summary = "ONNX Split into sizes `split`, or into equal parts";
  let arguments = (ins Tfm_AnyTensor:$input, Optional<Tfm_I64Tensor>:$split,
                   DefaultValuedAttr<SI64Attr, "0">:$axis);
  let results = (outs Variadic<Tfm_AnyTensor>:$outputs);
  let assemblyFormat = [{
    $input (`sizes` $split^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Tfm_SliceOp : Tfm_InferOp<"slice", [AttrSizedOperandSegments]> {
  let summary = "ONNX Slice";
  let arguments = (ins Tfm_AnyTensor:$data, Tfm_IndexTensor:$starts, Tfm_IndexTensor:$ends,
                   Optional<Tfm_IndexTensor>:$axes, Optional<Tfm_IndexTensor>:$steps);
  let results = (outs Tfm_AnyTensor:$output);
  let assemblyFormat = [{
    $data `[` $starts `,` $ends (`axes` $axes^)? (`steps` $steps^)? `]` attr-dict `:`
    functional-type(operands, results)
  }];
}

def Tfm_GatherOp : Tfm_InferOp<"gather"> {
  let summary = "ONNX Gather along `axis`";
  let arguments = (ins Tfm_AnyTensor:$data, Tfm_IndexTensor:$indices,
                   DefaultValuedAttr<SI64Attr, "0">:$axis);
  let results = (outs Tfm_AnyTensor:$output);
  let hasCanonicalizer = 1;
}

def Tfm_GatherElementsOp : Tfm_InferOp<"gather_elements"> {
  let summary = "ONNX GatherElements";
  let arguments = (ins Tfm_AnyTensor:$data, Tfm_IndexTensor:$indices,
                   DefaultValuedAttr<SI64Attr, "0">:$axis);
  let results = (outs Tfm_AnyTensor:$output);
}

def Tfm_ConstantOfShapeOp : Tfm_InferOp<"constant_of_shape"> {
  let summary = "ONNX ConstantOfShape; `value` is a one-element tensor (0.0f if absent)";
  let arguments = (ins Tfm_I64Tensor:$input, OptionalAttr<ElementsAttr>:$value);
  let results = (outs Tfm_AnyTensor:$output);
}

def Tfm_ExpandOp : Tfm_InferOp<"expand"> {
  let summary = "ONNX Expand (bidirectional broadcast to `shape`)";
  let arguments = (ins Tfm_AnyTensor:$input, Tfm_I64Tensor:$shape);
  let results = (outs Tfm_AnyTensor:$output);
  let hasFolder = 1;
}

def Tfm_TileOp : Tfm_InferOp<"tile"> {
  let summary = "ONNX Tile";
  let arguments = (ins Tfm_AnyTensor:$input, Tfm_I64Tensor:$repeats);
  let results = (outs Tfm_AnyTensor:$output);
}

def Tfm_PadOp : Tfm_InferOp<"pad", [AttrSizedOperandSegments]> {
  let summary = "ONNX Pad (constant, reflect, edge, wrap)";
  let arguments = (ins Tfm_AnyTensor:$data, Tfm_I64Tensor:$pads,
                   Optional<Tfm_AnyTensor>:$constant_value, Optional<Tfm_IndexTensor>:$axes,
                   DefaultValuedAttr<StrAttr, "\"constant\"">:$mode);
  let results = (outs Tfm_AnyTensor:$output);
  let assemblyFormat = [{
    $data `,` $pads (`value` $constant_value^)? (`axes` $axes^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Tfm_RangeOp : Tfm_InferOp<"range"> {
  let summary = "ONNX Range: start, start + delta, ... below limit";
  let arguments = (ins Tfm_NumericTensor:$start, Tfm_NumericTensor:$limit,
                   Tfm_NumericTensor:$delta);
  let results = (outs Tfm_NumericTensor:$output);
}

def Tfm_TriluOp : Tfm_InferOp<"trilu"> {
  let summary = "ONNX Trilu: keep the upper (or lower) triangle from diagonal k";
  let arguments = (ins Tfm_AnyTensor:$input, Optional<Tfm_I64Tensor>:$k,
                   DefaultValuedAttr<SI64Attr, "1">:$upper);
  let results = (outs Tfm_AnyTensor:$output);
  let assemblyFormat = [{
    $input (`k` $k^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // TFM_SHAPE_OPS_TD
