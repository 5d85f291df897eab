// RUN: tfmc-opt %s --tfm-fuse --split-input-file --verify-diagnostics --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s

// PyTorch's exact GELU (torch 1.13, BERT zoo model): x * (1 + erf(x / sqrt 2)), then * 0.5.
// The fused op's location names the five nodes it absorbed.
// CHECK-LABEL: func.func @gelu_erf_pytorch
// CHECK-NEXT: %[[G:.*]] = tfm.gelu %arg0 : {{.*}} loc(fused<"gelu">["div", "erf", "add", "mul", "half"])
// CHECK-NEXT: return %[[G]]
func.func @gelu_erf_pytorch(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %sqrt2 = tfm.constant dense<1.41421354> : tensor<f32> loc("c0")
  %one = tfm.constant dense<1.0> : tensor<f32> loc("c1")
  %half = tfm.constant dense<0.5> : tensor<f32> loc("c2")
  %0 = tfm.div %x, %sqrt2 : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32> loc("div")
  %1 = tfm.erf %0 : (tensor<2x8xf32>) -> tensor<2x8xf32> loc("erf")
  %2 = tfm.add %1, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32> loc("add")
  %3 = tfm.mul %x, %2 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32> loc("mul")
  %4 = tfm.mul %3, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32> loc("half")
  return %4 : tensor<2x8xf32>
}

// -----

// Hugging Face's spelling: 0.5 * x first, 1/sqrt(2) as a factor, operands commuted.
// CHECK-LABEL: func.func @gelu_erf_half_first
// CHECK-NEXT: %[[G:.*]] = tfm.gelu %arg0
// CHECK-NEXT: return %[[G]]
func.func @gelu_erf_half_first(%x: tensor<4xf32>) -> tensor<4xf32> {
  %inv = tfm.constant dense<0.707106769> : tensor<1xf32>
  %one = tfm.constant dense<1.0> : tensor<f32>
  %half = tfm.constant dense<0.5> : tensor<f32>
  %h = tfm.mul %half, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %0 = tfm.mul %inv, %x : (tensor<1xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = tfm.erf %0 : (tensor<4xf32>) -> tensor<4xf32>
  %2 = tfm.add %one, %1 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = tfm.mul %h, %2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %3 : tensor<4xf32>
}

// -----

// A wrong constant (x / 2) is not GELU: the erf stays and is reported.
// CHECK-LABEL: func.func @erf_not_gelu
// CHECK: tfm.erf
// CHECK-NOT: tfm.gelu
func.func @erf_not_gelu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %two = tfm.constant dense<2.0> : tensor<f32>
  %0 = tfm.div %x, %two : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  // expected-remark @below {{not fused as gelu: the erf's input is not x / sqrt(2)}}
  %1 = tfm.erf %0 : (tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// GPT-2's gelu_new (zoo gpt2, torch 1.13; ort_gpt2_past_pt16 alike): 0.5 * x
// first, Pow 3, 0.044715 and sqrt(2/pi) as the exporter rounded them.
// CHECK-LABEL: func.func @gelu_tanh_gpt2
// CHECK-NEXT: %[[G:.*]] = tfm.gelu %arg0 {approximate = #tfm<gelu_approx tanh>} : {{.*}} loc(fused<"gelu">["mlp/Mul", "mlp/Pow", "mlp/Mul_1", "mlp/Add", "mlp/Mul_2", "mlp/Tanh", "mlp/Add_1", "mlp/Mul_3"])
// CHECK-NEXT: return %[[G]]
func.func @gelu_tanh_gpt2(%x: tensor<2x3x16xf32>) -> tensor<2x3x16xf32> {
  %half = tfm.constant dense<5.000000e-01> : tensor<f32>
  %three = tfm.constant dense<3.000000e+00> : tensor<f32>
  %c = tfm.constant dense<0.0447149985> : tensor<f32>
  %k = tfm.constant dense<0.797884583> : tensor<f32>
  %one = tfm.constant dense<1.000000e+00> : tensor<f32>
  %0 = tfm.mul %x, %half : (tensor<2x3x16xf32>, tensor<f32>) -> tensor<2x3x16xf32> loc("mlp/Mul")
  %1 = tfm.pow %x, %three : (tensor<2x3x16xf32>, tensor<f32>) -> tensor<2x3x16xf32> loc("mlp/Pow")
  %2 = tfm.mul %1, %c : (tensor<2x3x16xf32>, tensor<f32>) -> tensor<2x3x16xf32> loc("mlp/Mul_1")
  %3 = tfm.add %x, %2 : (tensor<2x3x16xf32>, tensor<2x3x16xf32>) -> tensor<2x3x16xf32> loc("mlp/Add")
  %4 = tfm.mul %3, %k : (tensor<2x3x16xf32>, tensor<f32>) -> tensor<2x3x16xf32> loc("mlp/Mul_2")
  %5 = tfm.tanh %4 : (tensor<2x3x16xf32>) -> tensor<2x3x16xf32> loc("mlp/Tanh")
  %6 = tfm.add %5, %one : (tensor<2x3x16xf32>, tensor<f32>) -> tensor<2x3x16xf32> loc("mlp/Add_1")
  %7 = tfm.mul %0, %6 : (tensor<2x3x16xf32>, tensor<2x3x16xf32>) -> tensor<2x3x16xf32> loc("mlp/Mul_3")
  return %7 : tensor<2x3x16xf32>
}

// -----

// Megatron's factored spelling (ort_gpt2_megatron_pt19, torch 1.9):
// tanh(0.79788456 * x * (1 + 0.044715 * x * x)), inside no-op casts.
// CHECK-LABEL: func.func @gelu_tanh_megatron
// CHECK-NEXT: %[[G:.*]] = tfm.gelu %arg0 {approximate = #tfm<gelu_approx tanh>}
// CHECK-NEXT: return %[[G]]
func.func @gelu_tanh_megatron(%x: tensor<2x7x32xf32>) -> tensor<2x7x32xf32> {
  %half = tfm.constant dense<5.000000e-01> : tensor<f32>
  %k = tfm.constant dense<0.797884583> : tensor<f32>
  %c = tfm.constant dense<0.0447149985> : tensor<f32>
  %one = tfm.constant dense<1.000000e+00> : tensor<f32>
  %0 = tfm.cast %x {to = f32} : (tensor<2x7x32xf32>) -> tensor<2x7x32xf32> loc("Cast_124")
  %1 = tfm.mul %0, %half : (tensor<2x7x32xf32>, tensor<f32>) -> tensor<2x7x32xf32> loc("Mul_126")
  %2 = tfm.mul %0, %k : (tensor<2x7x32xf32>, tensor<f32>) -> tensor<2x7x32xf32> loc("Mul_128")
  %3 = tfm.mul %0, %c : (tensor<2x7x32xf32>, tensor<f32>) -> tensor<2x7x32xf32> loc("Mul_130")
  %4 = tfm.mul %3, %0 : (tensor<2x7x32xf32>, tensor<2x7x32xf32>) -> tensor<2x7x32xf32> loc("Mul_131")
  %5 = tfm.add %4, %one : (tensor<2x7x32xf32>, tensor<f32>) -> tensor<2x7x32xf32> loc("Add_133")
  %6 = tfm.mul %2, %5 : (tensor<2x7x32xf32>, tensor<2x7x32xf32>) -> tensor<2x7x32xf32> loc("Mul_134")
  %7 = tfm.tanh %6 : (tensor<2x7x32xf32>) -> tensor<2x7x32xf32> loc("Tanh_135")
  %8 = tfm.add %7, %one : (tensor<2x7x32xf32>, tensor<f32>) -> tensor<2x7x32xf32> loc("Add_137")
  %9 = tfm.mul %1, %8 : (tensor<2x7x32xf32>, tensor<2x7x32xf32>) -> tensor<2x7x32xf32> loc("Mul_138")
  %10 = tfm.cast %9 {to = f32} : (tensor<2x7x32xf32>) -> tensor<2x7x32xf32> loc("Cast_139")
  return %10 : tensor<2x7x32xf32>
}

// -----

// The cube as x * x * x and the products in another order.
// CHECK-LABEL: func.func @gelu_tanh_cube_by_mul
// CHECK-NEXT: %[[G:.*]] = tfm.gelu %arg0 {approximate = #tfm<gelu_approx tanh>}
// CHECK-NEXT: return %[[G]]
func.func @gelu_tanh_cube_by_mul(%x: tensor<4xf32>) -> tensor<4xf32> {
  %half = tfm.constant dense<5.000000e-01> : tensor<f32>
  %c = tfm.constant dense<0.0447149985> : tensor<f32>
  %k = tfm.constant dense<0.797884583> : tensor<f32>
  %one = tfm.constant dense<1.000000e+00> : tensor<f32>
  %0 = tfm.mul %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = tfm.mul %0, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = tfm.mul %c, %1 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = tfm.add %2, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = tfm.mul %k, %3 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %5 = tfm.tanh %4 : (tensor<4xf32>) -> tensor<4xf32>
  %6 = tfm.add %one, %5 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %7 = tfm.mul %x, %6 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %8 = tfm.mul %7, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %8 : tensor<4xf32>
}

// -----

// keras2onnx (ort_tfbert_squad_keras2onnx): sqrt(2) is a Sqrt op on a
// constant, and the dense layer's bias add stays a separate add.
// CHECK-LABEL: func.func @gelu_erf_keras2onnx
// CHECK: %[[X:.*]] = tfm.add %arg0, %{{.*}} loc("dense/BiasAdd")
// CHECK-NEXT: %[[G:.*]] = tfm.gelu %[[X]] : {{.*}} loc(fused<"gelu">["activation/Sqrt", "activation/truediv", "activation/Erf", "activation/add", "activation/mul", "activation/mul_1"])
// CHECK-NEXT: return %[[G]]
func.func @gelu_erf_keras2onnx(%h: tensor<2x7x32xf32>) -> tensor<2x7x32xf32> {
  %bias = tfm.constant dense<[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.8, 2.9, 3.0, 3.1]> : tensor<32xf32>
  %two = tfm.constant dense<2.000000e+00> : tensor<f32>
  %one = tfm.constant dense<1.000000e+00> : tensor<f32>
  %half = tfm.constant dense<5.000000e-01> : tensor<f32>
  %sqrt2 = tfm.sqrt %two : (tensor<f32>) -> tensor<f32> loc("activation/Sqrt")
  %x = tfm.add %h, %bias : (tensor<2x7x32xf32>, tensor<32xf32>) -> tensor<2x7x32xf32> loc("dense/BiasAdd")
  %0 = tfm.div %x, %sqrt2 : (tensor<2x7x32xf32>, tensor<f32>) -> tensor<2x7x32xf32> loc("activation/truediv")
  %1 = tfm.erf %0 : (tensor<2x7x32xf32>) -> tensor<2x7x32xf32> loc("activation/Erf")
  %2 = tfm.add %1, %one : (tensor<2x7x32xf32>, tensor<f32>) -> tensor<2x7x32xf32> loc("activation/add")
  %3 = tfm.mul %2, %half : (tensor<2x7x32xf32>, tensor<f32>) -> tensor<2x7x32xf32> loc("activation/mul")
  %4 = tfm.mul %x, %3 : (tensor<2x7x32xf32>, tensor<2x7x32xf32>) -> tensor<2x7x32xf32> loc("activation/mul_1")
  return %4 : tensor<2x7x32xf32>
}

// -----

// The sigmoid approximation x * sigmoid(1.702 * x) (CLIP's QuickGELU).
// CHECK-LABEL: func.func @gelu_sigmoid
// CHECK-NEXT: %[[G:.*]] = tfm.gelu %arg0 {approximate = #tfm<gelu_approx sigmoid>}
// CHECK-NEXT: return %[[G]]
func.func @gelu_sigmoid(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %c = tfm.constant dense<1.702000e+00> : tensor<f32>
  %0 = tfm.mul %x, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = tfm.sigmoid %0 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %2 = tfm.mul %x, %1 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %2 : tensor<2x8xf32>
}

// -----

// BERT's pooler tanh (ort_bert_toy_pt11) is no GELU and no anchor.
// CHECK-LABEL: func.func @pooler_tanh
// CHECK: tfm.tanh
// CHECK-NOT: tfm.gelu
func.func @pooler_tanh(%x: tensor<2x32xf32>, %w: tensor<32x32xf32>, %b: tensor<32xf32>) -> tensor<2x32xf32> {
  %0 = tfm.gemm %x, %w bias %b {transB = 1 : si64} : (tensor<2x32xf32>, tensor<32x32xf32>, tensor<32xf32>) -> tensor<2x32xf32>
  %1 = tfm.tanh %0 : (tensor<2x32xf32>) -> tensor<2x32xf32>
  return %1 : tensor<2x32xf32>
}

// -----

// A tanh of the GELU shape with a wrong cubic coefficient is reported.
// CHECK-LABEL: func.func @tanh_wrong_coefficient
// CHECK-NOT: tfm.gelu
func.func @tanh_wrong_coefficient(%x: tensor<4xf32>) -> tensor<4xf32> {
  %half = tfm.constant dense<5.000000e-01> : tensor<f32>
  %three = tfm.constant dense<3.000000e+00> : tensor<f32>
  %c = tfm.constant dense<0.0500000007> : tensor<f32>
  %k = tfm.constant dense<0.797884583> : tensor<f32>
  %one = tfm.constant dense<1.000000e+00> : tensor<f32>
  %0 = tfm.mul %x, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = tfm.pow %x, %three : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = tfm.mul %1, %c : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = tfm.add %x, %2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = tfm.mul %3, %k : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  // expected-remark @below {{not fused as gelu: the tanh's input is not sqrt(2/pi) * (x + 0.044715 * x^3)}}
  %5 = tfm.tanh %4 : (tensor<4xf32>) -> tensor<4xf32>
  %6 = tfm.add %5, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %7 = tfm.mul %0, %6 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %7 : tensor<4xf32>
}

// -----

// The right tanh without the product with x is reported too.
// CHECK-LABEL: func.func @tanh_without_x
// CHECK-NOT: tfm.gelu
func.func @tanh_without_x(%x: tensor<4xf32>) -> tensor<4xf32> {
  %half = tfm.constant dense<5.000000e-01> : tensor<f32>
  %three = tfm.constant dense<3.000000e+00> : tensor<f32>
  %c = tfm.constant dense<0.0447149985> : tensor<f32>
  %k = tfm.constant dense<0.797884583> : tensor<f32>
  %one = tfm.constant dense<1.000000e+00> : tensor<f32>
  %1 = tfm.pow %x, %three : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = tfm.mul %1, %c : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = tfm.add %x, %2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = tfm.mul %3, %k : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  // expected-remark @below {{not fused as gelu: tanh(sqrt(2/pi) * (x + 0.044715 * x^3)) is not combined into 0.5 * x * (1 + tanh(...))}}
  %5 = tfm.tanh %4 : (tensor<4xf32>) -> tensor<4xf32>
  %6 = tfm.add %5, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %7 = tfm.mul %6, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %7 : tensor<4xf32>
}

// -----

// Swish with beta 2 is not the sigmoid GELU.
// CHECK-LABEL: func.func @sigmoid_wrong_slope
// CHECK-NOT: tfm.gelu
func.func @sigmoid_wrong_slope(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %c = tfm.constant dense<2.000000e+00> : tensor<f32>
  %0 = tfm.mul %x, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  // expected-remark @below {{not fused as gelu: the sigmoid's input is not 1.702 * x}}
  %1 = tfm.sigmoid %0 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %2 = tfm.mul %x, %1 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %2 : tensor<2x8xf32>
}
