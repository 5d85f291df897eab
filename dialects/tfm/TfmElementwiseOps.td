//===- TfmElementwiseOps.td - elementwise ONNX operators --*- tablegen -*-===//

#ifndef TFM_ELEMENTWISE_OPS_TD
#define TFM_ELEMENTWISE_OPS_TD

include "TfmOpBase.td"

//===----------------------------------------------------------------------===//
// Unary: the result has the operand's type.
//===----------------------------------------------------------------------===//

class Tfm_UnaryOp<string mnemonic, string onnxName, Type operandType,
                  list<Trait> traits = []>
    : Tfm_RuleOp<mnemonic, !listconcat([Tfm_SameShapeAsFirst], traits)> {
  let summary = "ONNX " # onnxName;
  let arguments = (ins operandType:$input);
  let results = (outs operandType:$output);
}

def Tfm_SqrtOp : Tfm_UnaryOp<"sqrt", "Sqrt", Tfm_FloatTensor>;
def Tfm_ReciprocalOp : Tfm_UnaryOp<"reciprocal", "Reciprocal", Tfm_FloatTensor>;
def Tfm_ExpOp : Tfm_UnaryOp<"exp", "Exp", Tfm_FloatTensor>;
def Tfm_LogOp : Tfm_UnaryOp<"log", "Log", Tfm_FloatTensor>;
def Tfm_ErfOp : Tfm_UnaryOp<"erf", "Erf", Tfm_NumericTensor>;
def Tfm_TanhOp : Tfm_UnaryOp<"tanh", "Tanh", Tfm_FloatTensor>;
def Tfm_SigmoidOp : Tfm_UnaryOp<"sigmoid", "Sigmoid", Tfm_FloatTensor>;
def Tfm_ReluOp : Tfm_UnaryOp<"relu", "Relu", Tfm_SignedTensor>;
def Tfm_HardSwishOp : Tfm_UnaryOp<"hard_swish", "HardSwish", Tfm_FloatTensor>;
def Tfm_SoftplusOp : Tfm_UnaryOp<"softplus", "Softplus", Tfm_FloatTensor>;
def Tfm_SinOp : Tfm_UnaryOp<"sin", "Sin", Tfm_FloatTensor>;
def Tfm_CosOp : Tfm_UnaryOp<"cos", "Cos", Tfm_FloatTensor>;
def Tfm_NegOp : Tfm_UnaryOp<"neg", "Neg", Tfm_SignedTensor>;
def Tfm_AbsOp : Tfm_UnaryOp<"abs", "Abs", Tfm_NumericTensor>;
def Tfm_SignOp : Tfm_UnaryOp<"sign", "Sign", Tfm_NumericTensor>;
def Tfm_FloorOp : Tfm_UnaryOp<"floor", "Floor", Tfm_FloatTensor>;
def Tfm_CeilOp : Tfm_UnaryOp<"ceil", "Ceil", Tfm_FloatTensor>;
def Tfm_RoundOp : Tfm_UnaryOp<"round", "Round", Tfm_FloatTensor>;
def Tfm_NotOp : Tfm_UnaryOp<"not", "Not", Tfm_BoolTensor>;

def Tfm_IdentityOp : Tfm_UnaryOp<"identity", "Identity", Tfm_AnyValue> {
  let hasFolder = 1;
}

def Tfm_LeakyReluOp : Tfm_RuleOp<"leaky_relu", [Tfm_SameShapeAsFirst]> {
  let summary = "ONNX LeakyRelu";
  let arguments = (ins Tfm_FloatTensor:$input,
                   DefaultValuedAttr<F32Attr, "0.01">:$alpha);
  let results = (outs Tfm_FloatTensor:$output);
}

def Tfm_HardSigmoidOp : Tfm_RuleOp<"hard_sigmoid", [Tfm_SameShapeAsFirst]> {
  let summary = "ONNX HardSigmoid: max(0, min(1, alpha * x + beta))";
  let arguments = (ins Tfm_FloatTensor:$input,
                   DefaultValuedAttr<F32Attr, "0.2">:$alpha,
                   DefaultValuedAttr<F32Attr, "0.5">:$beta);
  let results = (outs Tfm_FloatTensor:$output);
}

def Tfm_ClipOp : Tfm_RuleOp<"clip", [Tfm_SameShapeAsFirst, AttrSizedOperandSegments]> {
  let summary = "ONNX Clip; min and max are optional 0-D tensors";
  let arguments = (ins Tfm_NumericTensor:$input, Optional<Tfm_NumericTensor>:$min,
                   Optional<Tfm_NumericTensor>:$max);
  let results = (outs Tfm_NumericTensor:$output);
  let assemblyFormat = [{
    $input (`min` $min^)? (`max` $max^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tfm_CastOp : Tfm_InferOp<"cast"> {
  let summary = "ONNX Cast; `to` is the result element type";
  let arguments = (ins Tfm_AnyTensor:$input, TypeAttr:$to,
                   DefaultValuedAttr<BoolAttr, "true">:$saturate);
  let results = (outs Tfm_AnyTensor:$output);
  let hasFolder = 1;
}

def Tfm_SoftmaxOp : Tfm_RuleOp<"softmax", [Tfm_SameShapeAsFirst]> {
  let summary = "ONNX Softmax (opset 13 semantics: one axis)";
  let arguments = (ins Tfm_FloatTensor:$input, DefaultValuedAttr<SI64Attr, "-1">:$axis);
  let results = (outs Tfm_FloatTensor:$output);
  let hasVerifier = 1;
}

def Tfm_LogSoftmaxOp : Tfm_RuleOp<"log_softmax", [Tfm_SameShapeAsFirst]> {
  let summary = "ONNX LogSoftmax (opset 13 semantics: one axis)";
  let arguments = (ins Tfm_FloatTensor:$input, DefaultValuedAttr<SI64Attr, "-1">:$axis);
  let results = (outs Tfm_FloatTensor:$output);
  let hasVerifier = 1;
}

def Tfm_DropoutOp : Tfm_InferOp<"dropout", [AttrSizedOperandSegments]> {
  let summary = "ONNX Dropout";
  let description = [{
    An identity at inference (no `training_mode`, or a constant false one):
    canonicalization then replaces it by its input and its mask by true.
  }];
  let arguments = (ins Tfm_FloatTensor:$data, Optional<Tfm_FloatTensor>:$ratio,
                   Optional<Tfm_BoolTensor>:$training_mode,
                   OptionalAttr<SI64Attr>:$seed);
  let results = (outs Tfm_FloatTensor:$output, Optional<Tfm_BoolTensor>:$mask);
  let assemblyFormat = [{
    $data (`ratio` $ratio^)? (`training` $training_mode^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Broadcasting binary and variadic ops (numpy rules).
//===----------------------------------------------------------------------===//

class Tfm_BinaryOp<string mnemonic, string onnxName, Type operandType,
                   Type resultType, list<Trait> traits = []>
    : Tfm_RuleOp<mnemonic, !listconcat([Tfm_Broadcasting], traits)> {
  let summary = "ONNX " # onnxName # " with multidirectional broadcasting";
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs resultType:$output);
}

def Tfm_AddOp : Tfm_BinaryOp<"add", "Add", Tfm_NumericTensor, Tfm_NumericTensor, [Commutative]>;
def Tfm_SubOp : Tfm_BinaryOp<"sub", "Sub", Tfm_NumericTensor, Tfm_NumericTensor>;
def Tfm_MulOp : Tfm_BinaryOp<"mul", "Mul", Tfm_NumericTensor, Tfm_NumericTensor, [Commutative]>;
def Tfm_DivOp : Tfm_BinaryOp<"div", "Div", Tfm_NumericTensor, Tfm_NumericTensor>;
def Tfm_PowOp : Tfm_BinaryOp<"pow", "Pow", Tfm_NumericTensor, Tfm_NumericTensor>;
def Tfm_AndOp : Tfm_BinaryOp<"and", "And", Tfm_BoolTensor, Tfm_BoolTensor, [Commutative]>;
def Tfm_OrOp : Tfm_BinaryOp<"or", "Or", Tfm_BoolTensor, Tfm_BoolTensor, [Commutative]>;

def Tfm_ModOp : Tfm_RuleOp<"mod", [Tfm_Broadcasting]> {
  let summary = "ONNX Mod; `fmod` = 1 takes the dividend's sign (C fmod)";
  let arguments = (ins Tfm_NumericTensor:$lhs, Tfm_NumericTensor:$rhs,
                   DefaultValuedAttr<SI64Attr, "0">:$fmod);
  let results = (outs Tfm_NumericTensor:$output);
  let hasVerifier = 1;
}

class Tfm_CompareOp<string mnemonic, string onnxName, list<Trait> traits = []>
    : Tfm_BinaryOp<mnemonic, onnxName, Tfm_AnyTensor, Tfm_BoolTensor,
                   !listconcat([Tfm_BoolResult], traits)>;

def Tfm_EqualOp : Tfm_CompareOp<"equal", "Equal", [Commutative]>;
def Tfm_LessOp : Tfm_CompareOp<"less", "Less">;
def Tfm_GreaterOp : Tfm_CompareOp<"greater", "Greater">;
def Tfm_LessOrEqualOp : Tfm_CompareOp<"less_or_equal", "LessOrEqual">;
def Tfm_GreaterOrEqualOp : Tfm_CompareOp<"greater_or_equal", "GreaterOrEqual">;

class Tfm_VariadicOp<string mnemonic, string onnxName>
    : Tfm_RuleOp<mnemonic, [Tfm_Broadcasting, Commutative]> {
  let summary = "ONNX " # onnxName # " over one or more broadcast inputs";
  let arguments = (ins Variadic<Tfm_NumericTensor>:$inputs);
  let results = (outs Tfm_NumericTensor:$output);
}

def Tfm_MaxOp : Tfm_VariadicOp<"max", "Max">;
def Tfm_MinOp : Tfm_VariadicOp<"min", "Min">;

def Tfm_WhereOp : Tfm_InferOp<"where"> {
  let summary = "ONNX Where: select x where condition, else y (broadcast)";
  let arguments = (ins Tfm_BoolTensor:$condition, Tfm_AnyTensor:$x, Tfm_AnyTensor:$y);
  let results = (outs Tfm_AnyTensor:$output);
}

#endif // TFM_ELEMENTWISE_OPS_TD
