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
