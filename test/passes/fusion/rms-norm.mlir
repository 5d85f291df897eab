// RUN: tfmc-opt %s --tfm-fuse --split-input-file --verify-diagnostics --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s

// Llama's RMSNorm (zoo llama, opsets 14 and 17): a no-op cast to float32,
// Pow 2, ReduceMean, Add eps, Sqrt, 1 / Sqrt as a Div, x * that, weight * it.
// CHECK-LABEL: func.func @rms_norm_llama
// CHECK: %[[W:.*]] = tfm.constant dense<[5.000000e-01, 1.500000e+00, 2.500000e+00, 3.500000e+00]>
// CHECK-NEXT: %[[Y:.*]] = tfm.rms_norm %arg0, %[[W]] {epsilon = 9.99999997E-7 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32> loc(fused<"rms_norm">["input_layernorm/Cast", "input_layernorm/Pow", "input_layernorm/ReduceMean", "input_layernorm/Add", "input_layernorm/Sqrt", "input_layernorm/Div", "input_layernorm/Mul", "input_layernorm/Mul_1"])
// CHECK-NEXT: return %[[Y]]
func.func @rms_norm_llama(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %axes = tfm.constant dense<-1> : tensor<1xi64>
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<9.99999997E-7> : tensor<f32>
  %one = tfm.constant dense<1.0> : tensor<f32>
  %w = tfm.constant dense<[0.5, 1.5, 2.5, 3.5]> : tensor<4xf32>
  %0 = tfm.cast %x {to = f32} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32> loc("input_layernorm/Cast")
  %1 = tfm.pow %0, %two : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32> loc("input_layernorm/Pow")
  %2 = tfm.reduce_mean %1 axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32> loc("input_layernorm/ReduceMean")
  %3 = tfm.add %2, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32> loc("input_layernorm/Add")
  %4 = tfm.sqrt %3 : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32> loc("input_layernorm/Sqrt")
  %5 = tfm.div %one, %4 : (tensor<f32>, tensor<2x3x1xf32>) -> tensor<2x3x1xf32> loc("input_layernorm/Div")
  %6 = tfm.mul %0, %5 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32> loc("input_layernorm/Mul")
  %7 = tfm.mul %w, %6 : (tensor<4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32> loc("input_layernorm/Mul_1")
  return %7 : tensor<2x3x4xf32>
}

// -----

// The square as x * x and the inverse as Reciprocal, weight last.
// CHECK-LABEL: func.func @rms_norm_mul_reciprocal
// CHECK: tfm.rms_norm %arg0, %arg1 {epsilon = 9.99999997E-7 : f32}
// CHECK-NOT: tfm.reciprocal
func.func @rms_norm_mul_reciprocal(%x: tensor<2x3x4xf32>, %w: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %axes = tfm.constant dense<2> : tensor<1xi64>
  %eps = tfm.constant dense<9.99999997E-7> : tensor<f32>
  %0 = tfm.mul %x, %x : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %1 = tfm.reduce_mean %0 axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %2 = tfm.add %eps, %1 : (tensor<f32>, tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  %3 = tfm.sqrt %2 : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  %4 = tfm.reciprocal %3 : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  %5 = tfm.mul %x, %4 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %6 = tfm.mul %5, %w : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %6 : tensor<2x3x4xf32>
}

// -----

// Without a weight there is no scale for tfm.rms_norm: reported.
// CHECK-LABEL: func.func @rms_norm_no_weight
// CHECK-NOT: tfm.rms_norm
func.func @rms_norm_no_weight(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %axes = tfm.constant dense<-1> : tensor<1xi64>
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<9.99999997E-7> : tensor<f32>
  %0 = tfm.pow %x, %two : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  // expected-remark @below {{not fused as rms_norm: x is not divided by sqrt(mean(x^2) + epsilon) and scaled}}
  %1 = tfm.reduce_mean %0 axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %2 = tfm.add %1, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32>
  %3 = tfm.sqrt %2 : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  %4 = tfm.div %x, %3 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  return %4 : tensor<2x3x4xf32>
}

// -----

// A mean of squares over the batch axis is reported, not fused.
// CHECK-LABEL: func.func @rms_norm_first_axis
// CHECK-NOT: tfm.rms_norm
func.func @rms_norm_first_axis(%x: tensor<2x3x4xf32>, %w: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %axes = tfm.constant dense<0> : tensor<1xi64>
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<9.99999997E-7> : tensor<f32>
  %0 = tfm.pow %x, %two : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  // expected-remark @below {{not fused as rms_norm: the mean is not over the last axis with keepdims}}
  %1 = tfm.reduce_mean %0 axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<1x3x4xf32>
  %2 = tfm.add %1, %eps : (tensor<1x3x4xf32>, tensor<f32>) -> tensor<1x3x4xf32>
  %3 = tfm.sqrt %2 : (tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %4 = tfm.div %x, %3 : (tensor<2x3x4xf32>, tensor<1x3x4xf32>) -> tensor<2x3x4xf32>
  %5 = tfm.mul %4, %w : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %5 : tensor<2x3x4xf32>
}
