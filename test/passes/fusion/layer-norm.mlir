// RUN: tfmc-opt %s --tfm-fuse --split-input-file --verify-diagnostics --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s

// PyTorch's LayerNorm (torch 1.13, opsets 14 and 17 spell it out alike; zoo
// gpt2/bert/vit at opset 14): ReduceMean, Sub, Pow 2, ReduceMean, Add eps,
// Sqrt, Div, Mul scale, Add bias. The epsilon is kept bit for bit (here
// 1e-5, the attribute's default, so it is not printed) and the fused op's
// location names the nine nodes.
// CHECK-LABEL: func.func @layer_norm_pytorch
// CHECK-DAG: %[[W:.*]] = tfm.constant dense<[5.000000e-01, 1.500000e+00, 2.500000e+00, 3.500000e+00]>
// CHECK-DAG: %[[B:.*]] = tfm.constant dense<[2.500000e-01, 1.250000e+00, 2.250000e+00, 3.250000e+00]>
// CHECK: %[[Y:.*]] = tfm.layer_norm %arg0, %[[W]] bias %[[B]] {resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32> loc(fused<"layer_norm">["ln_1/ReduceMean", "ln_1/Sub", "ln_1/Pow", "ln_1/ReduceMean_1", "ln_1/Add", "ln_1/Sqrt", "ln_1/Div", "ln_1/Mul", "ln_1/Add_1"])
// CHECK-NEXT: return %[[Y]]
func.func @layer_norm_pytorch(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %axes = tfm.constant dense<-1> : tensor<1xi64>
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<9.99999974E-6> : tensor<f32>
  %w = tfm.constant dense<[0.5, 1.5, 2.5, 3.5]> : tensor<4xf32>
  %b = tfm.constant dense<[0.25, 1.25, 2.25, 3.25]> : tensor<4xf32>
  %0 = tfm.reduce_mean %x axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32> loc("ln_1/ReduceMean")
  %1 = tfm.sub %x, %0 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32> loc("ln_1/Sub")
  %2 = tfm.pow %1, %two : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32> loc("ln_1/Pow")
  %3 = tfm.reduce_mean %2 axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32> loc("ln_1/ReduceMean_1")
  %4 = tfm.add %3, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32> loc("ln_1/Add")
  %5 = tfm.sqrt %4 : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32> loc("ln_1/Sqrt")
  %6 = tfm.div %1, %5 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32> loc("ln_1/Div")
  %7 = tfm.mul %6, %w : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32> loc("ln_1/Mul")
  %8 = tfm.add %7, %b : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32> loc("ln_1/Add_1")
  return %8 : tensor<2x3x4xf32>
}

// -----

// Megatron's and bert_toy's export (torch 1.9 / 1.1, opsets 11 and 12): x - mean
// computed twice, no-op casts around the input and the quotient (the pass
// folds the second before the norm matches), the scale multiplied first, and
// BERT's epsilon 1e-12.
// CHECK-LABEL: func.func @layer_norm_megatron
// CHECK-DAG: %[[W:.*]] = tfm.constant dense<[5.000000e-01, 1.500000e+00, 2.500000e+00, 3.500000e+00]>
// CHECK-DAG: %[[B:.*]] = tfm.constant dense<[2.500000e-01, 1.250000e+00, 2.250000e+00, 3.250000e+00]>
// CHECK: tfm.layer_norm %arg0, %[[W]] bias %[[B]] {epsilon = 9.99999996E-13 : f32, {{.*}} loc(fused<"layer_norm">["Cast_3", "ReduceMean_4", "Sub_5", "Pow_7", "ReduceMean_8", "Sub_9", "Add_11", "Sqrt_12", "Div_13", "Mul_15", "Add_16"])
// CHECK-NOT: tfm.sub
func.func @layer_norm_megatron(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %axes = tfm.constant dense<-1> : tensor<1xi64>
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<9.99999996E-13> : tensor<f32>
  %w = tfm.constant dense<[0.5, 1.5, 2.5, 3.5]> : tensor<4xf32>
  %b = tfm.constant dense<[0.25, 1.25, 2.25, 3.25]> : tensor<4xf32>
  %0 = tfm.cast %x {to = f32} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32> loc("Cast_3")
  %1 = tfm.reduce_mean %0 axes %axes {keepdims = 1 : si64} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32> loc("ReduceMean_4")
  %2 = tfm.sub %0, %1 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32> loc("Sub_5")
  %3 = tfm.pow %2, %two : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32> loc("Pow_7")
  %4 = tfm.reduce_mean %3 axes %axes {keepdims = 1 : si64} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32> loc("ReduceMean_8")
  %5 = tfm.sub %0, %1 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32> loc("Sub_9")
  %6 = tfm.add %4, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32> loc("Add_11")
  %7 = tfm.sqrt %6 : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32> loc("Sqrt_12")
  %8 = tfm.div %5, %7 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32> loc("Div_13")
  %9 = tfm.cast %8 {to = f32} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32> loc("Cast_14")
  %10 = tfm.mul %w, %9 : (tensor<4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32> loc("Mul_15")
  %11 = tfm.add %10, %b : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32> loc("Add_16")
  return %11 : tensor<2x3x4xf32>
}

// -----

// GPT-2 with past (torch 1.6, opset 11): a no-op cast between x - mean and
// Pow (folded away first).
// CHECK-LABEL: func.func @layer_norm_gpt2_past
// CHECK: tfm.layer_norm %arg0, %{{.*}} bias %{{.*}} {resultSegmentSizes = array<i32: 1, 0, 0>} {{.*}} loc(fused<"layer_norm">["ReduceMean_41", "Sub_42", "Pow_44", "ReduceMean_45", "Add_47", "Sqrt_48", "Div_49", "Mul_50", "Add_51"])
func.func @layer_norm_gpt2_past(%x: tensor<2x1x4xf32>) -> tensor<2x1x4xf32> {
  %axes = tfm.constant dense<-1> : tensor<1xi64>
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<9.99999974E-6> : tensor<f32>
  %w = tfm.constant dense<[0.5, 1.5, 2.5, 3.5]> : tensor<4xf32>
  %b = tfm.constant dense<[0.25, 1.25, 2.25, 3.25]> : tensor<4xf32>
  %0 = tfm.reduce_mean %x axes %axes : (tensor<2x1x4xf32>, tensor<1xi64>) -> tensor<2x1x1xf32> loc("ReduceMean_41")
  %1 = tfm.sub %x, %0 : (tensor<2x1x4xf32>, tensor<2x1x1xf32>) -> tensor<2x1x4xf32> loc("Sub_42")
  %2 = tfm.cast %1 {to = f32} : (tensor<2x1x4xf32>) -> tensor<2x1x4xf32> loc("Cast_43")
  %3 = tfm.pow %2, %two : (tensor<2x1x4xf32>, tensor<f32>) -> tensor<2x1x4xf32> loc("Pow_44")
  %4 = tfm.reduce_mean %3 axes %axes : (tensor<2x1x4xf32>, tensor<1xi64>) -> tensor<2x1x1xf32> loc("ReduceMean_45")
  %5 = tfm.add %4, %eps : (tensor<2x1x1xf32>, tensor<f32>) -> tensor<2x1x1xf32> loc("Add_47")
  %6 = tfm.sqrt %5 : (tensor<2x1x1xf32>) -> tensor<2x1x1xf32> loc("Sqrt_48")
  %7 = tfm.div %1, %6 : (tensor<2x1x4xf32>, tensor<2x1x1xf32>) -> tensor<2x1x4xf32> loc("Div_49")
  %8 = tfm.mul %7, %w : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32> loc("Mul_50")
  %9 = tfm.add %8, %b : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32> loc("Add_51")
  return %9 : tensor<2x1x4xf32>
}

// -----

// keras2onnx (ort_tfbert_squad_keras2onnx): the squared difference as d * d,
// Reciprocal of the Sqrt, and the affine part folded TF's way:
// x * (scale / s) + (bias - mean * (scale / s)).
// CHECK-LABEL: func.func @layer_norm_keras2onnx
// CHECK-DAG: %[[W:.*]] = tfm.constant dense<[5.000000e-01, 1.500000e+00, 2.500000e+00, 3.500000e+00]>
// CHECK-DAG: %[[B:.*]] = tfm.constant dense<[2.500000e-01, 1.250000e+00, 2.250000e+00, 3.250000e+00]>
// CHECK: %[[Y:.*]] = tfm.layer_norm %arg0, %[[W]] bias %[[B]] {epsilon = 9.99999996E-13 : f32, {{.*}} loc(fused<"layer_norm">["moments/mean", "moments/SquaredDifference_sub", "moments/SquaredDifference", "moments/variance", "batchnorm/add", "batchnorm/sqrt", "batchnorm/Rsqrt", "batchnorm/mul", "batchnorm/mul_1", "batchnorm/mul_2", "batchnorm/sub", "batchnorm/add_1"])
// CHECK-NEXT: return %[[Y]]
func.func @layer_norm_keras2onnx(%x: tensor<2x7x4xf32>) -> tensor<2x7x4xf32> {
  %axes = tfm.constant dense<2> : tensor<1xi64>
  %eps = tfm.constant dense<9.99999996E-13> : tensor<f32>
  %b = tfm.constant dense<[0.25, 1.25, 2.25, 3.25]> : tensor<4xf32>
  %w = tfm.constant dense<[0.5, 1.5, 2.5, 3.5]> : tensor<4xf32>
  %0 = tfm.reduce_mean %x axes %axes : (tensor<2x7x4xf32>, tensor<1xi64>) -> tensor<2x7x1xf32> loc("moments/mean")
  %1 = tfm.sub %x, %0 : (tensor<2x7x4xf32>, tensor<2x7x1xf32>) -> tensor<2x7x4xf32> loc("moments/SquaredDifference_sub")
  %2 = tfm.mul %1, %1 : (tensor<2x7x4xf32>, tensor<2x7x4xf32>) -> tensor<2x7x4xf32> loc("moments/SquaredDifference")
  %3 = tfm.reduce_mean %2 axes %axes : (tensor<2x7x4xf32>, tensor<1xi64>) -> tensor<2x7x1xf32> loc("moments/variance")
  %4 = tfm.add %3, %eps : (tensor<2x7x1xf32>, tensor<f32>) -> tensor<2x7x1xf32> loc("batchnorm/add")
  %5 = tfm.sqrt %4 : (tensor<2x7x1xf32>) -> tensor<2x7x1xf32> loc("batchnorm/sqrt")
  %6 = tfm.reciprocal %5 : (tensor<2x7x1xf32>) -> tensor<2x7x1xf32> loc("batchnorm/Rsqrt")
  %7 = tfm.mul %6, %w : (tensor<2x7x1xf32>, tensor<4xf32>) -> tensor<2x7x4xf32> loc("batchnorm/mul")
  %8 = tfm.mul %x, %7 : (tensor<2x7x4xf32>, tensor<2x7x4xf32>) -> tensor<2x7x4xf32> loc("batchnorm/mul_1")
  %9 = tfm.mul %0, %7 : (tensor<2x7x1xf32>, tensor<2x7x4xf32>) -> tensor<2x7x4xf32> loc("batchnorm/mul_2")
  %10 = tfm.sub %b, %9 : (tensor<4xf32>, tensor<2x7x4xf32>) -> tensor<2x7x4xf32> loc("batchnorm/sub")
  %11 = tfm.add %8, %10 : (tensor<2x7x4xf32>, tensor<2x7x4xf32>) -> tensor<2x7x4xf32> loc("batchnorm/add_1")
  return %11 : tensor<2x7x4xf32>
}

// -----

// The quotient as a product with Reciprocal(Sqrt) (the Reciprocal/Mul form
// keras2onnx writes for Rsqrt), bias as the first operand.
// CHECK-LABEL: func.func @layer_norm_reciprocal_mul
// CHECK: tfm.layer_norm %arg0, %arg1 bias %arg2 {resultSegmentSizes = array<i32: 1, 0, 0>}
// CHECK-NOT: tfm.reciprocal
func.func @layer_norm_reciprocal_mul(%x: tensor<2x3x4xf32>, %w: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %axes = tfm.constant dense<-1> : tensor<1xi64>
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<9.99999974E-6> : tensor<f32>
  %0 = tfm.reduce_mean %x axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %1 = tfm.sub %x, %0 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %2 = tfm.pow %1, %two : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  %3 = tfm.reduce_mean %2 axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %4 = tfm.add %eps, %3 : (tensor<f32>, tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  %5 = tfm.sqrt %4 : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  %6 = tfm.reciprocal %5 : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  %7 = tfm.mul %1, %6 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %8 = tfm.mul %7, %w : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %9 = tfm.add %b, %8 : (tensor<4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %9 : tensor<2x3x4xf32>
}

// -----

// Without the bias add (the PyTorch spelling above, scale only), the op has
// no bias operand. The residual add after it stays.
// CHECK-LABEL: func.func @layer_norm_no_bias
// CHECK: %[[Y:.*]] = tfm.layer_norm %arg0, %{{.*}} {resultSegmentSizes = array<i32: 1, 0, 0>}
// CHECK-NEXT: tfm.add %[[Y]], %arg0
func.func @layer_norm_no_bias(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %axes = tfm.constant dense<-1> : tensor<1xi64>
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<9.99999974E-6> : tensor<f32>
  %w = tfm.constant dense<[0.5, 1.5, 2.5, 3.5]> : tensor<4xf32>
  %0 = tfm.reduce_mean %x axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %1 = tfm.sub %x, %0 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %2 = tfm.pow %1, %two : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  %3 = tfm.reduce_mean %2 axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %4 = tfm.add %3, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32>
  %5 = tfm.sqrt %4 : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  %6 = tfm.div %1, %5 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %7 = tfm.mul %6, %w : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %8 = tfm.add %7, %x : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %8 : tensor<2x3x4xf32>
}

// -----

// An ordinary mean (pooling) is no anchor: it stays and nothing is reported.
// CHECK-LABEL: func.func @ordinary_mean
// CHECK: tfm.reduce_mean
// CHECK-NOT: tfm.layer_norm
func.func @ordinary_mean(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %axes = tfm.constant dense<1> : tensor<1xi64>
  %0 = tfm.reduce_mean %x axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  %1 = tfm.add %x, %0 : (tensor<2x3x4xf32>, tensor<2x1x4xf32>) -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// Normalizing over the sequence axis is not a LayerNorm over features.
// CHECK-LABEL: func.func @mean_not_last_axis
// CHECK-NOT: tfm.layer_norm
func.func @mean_not_last_axis(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %axes = tfm.constant dense<1> : tensor<1xi64>
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<9.99999974E-6> : tensor<f32>
  // expected-remark @below {{not fused as layer_norm: the mean is not over the last axis with keepdims}}
  %0 = tfm.reduce_mean %x axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  %1 = tfm.sub %x, %0 : (tensor<2x3x4xf32>, tensor<2x1x4xf32>) -> tensor<2x3x4xf32>
  %2 = tfm.pow %1, %two : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  %3 = tfm.reduce_mean %2 axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  %4 = tfm.add %3, %eps : (tensor<2x1x4xf32>, tensor<f32>) -> tensor<2x1x4xf32>
  %5 = tfm.sqrt %4 : (tensor<2x1x4xf32>) -> tensor<2x1x4xf32>
  %6 = tfm.div %1, %5 : (tensor<2x3x4xf32>, tensor<2x1x4xf32>) -> tensor<2x3x4xf32>
  return %6 : tensor<2x3x4xf32>
}

// -----

// Centering alone (x - mean, no variance) is reported.
// CHECK-LABEL: func.func @centering_only
// CHECK-NOT: tfm.layer_norm
func.func @centering_only(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %axes = tfm.constant dense<-1> : tensor<1xi64>
  // expected-remark @below {{not fused as layer_norm: no last-axis mean of (x - mean)^2 follows}}
  %0 = tfm.reduce_mean %x axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %1 = tfm.sub %x, %0 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// TF's older spelling sqrt(variance) + eps is another formula.
// CHECK-LABEL: func.func @eps_after_sqrt
// CHECK-NOT: tfm.layer_norm
func.func @eps_after_sqrt(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %axes = tfm.constant dense<-1> : tensor<1xi64>
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<9.99999974E-6> : tensor<f32>
  // expected-remark @below {{not fused as layer_norm: the variance is not followed by + epsilon and sqrt}}
  %0 = tfm.reduce_mean %x axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %1 = tfm.sub %x, %0 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %2 = tfm.pow %1, %two : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  %3 = tfm.reduce_mean %2 axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %4 = tfm.sqrt %3 : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  %5 = tfm.add %4, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32>
  %6 = tfm.div %1, %5 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  return %6 : tensor<2x3x4xf32>
}

// -----

// Dividing x instead of x - mean does not normalize.
// CHECK-LABEL: func.func @uncentered_quotient
// CHECK-NOT: tfm.layer_norm
func.func @uncentered_quotient(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %axes = tfm.constant dense<-1> : tensor<1xi64>
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<9.99999974E-6> : tensor<f32>
  %w = tfm.constant dense<[0.5, 1.5, 2.5, 3.5]> : tensor<4xf32>
  // expected-remark @below {{not fused as layer_norm: x - mean is not divided by sqrt(variance + epsilon), scaled and shifted}}
  %0 = tfm.reduce_mean %x axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %1 = tfm.sub %x, %0 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %2 = tfm.pow %1, %two : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  %3 = tfm.reduce_mean %2 axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %4 = tfm.add %3, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32>
  %5 = tfm.sqrt %4 : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  %6 = tfm.div %x, %5 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %7 = tfm.mul %6, %w : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %7 : tensor<2x3x4xf32>
}

// -----

// A per-position scale ([3, 4]) is not the 1-D vector tfm.layer_norm takes.
// CHECK-LABEL: func.func @scale_not_vector
// CHECK-NOT: tfm.layer_norm
func.func @scale_not_vector(%x: tensor<2x3x4xf32>, %w: tensor<3x4xf32>) -> tensor<2x3x4xf32> {
  %axes = tfm.constant dense<-1> : tensor<1xi64>
  %two = tfm.constant dense<2.0> : tensor<f32>
  %eps = tfm.constant dense<9.99999974E-6> : tensor<f32>
  // expected-remark @below {{not fused as layer_norm: the scale or bias is not a 1-D vector of the input's type}}
  %0 = tfm.reduce_mean %x axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %1 = tfm.sub %x, %0 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %2 = tfm.pow %1, %two : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  %3 = tfm.reduce_mean %2 axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %4 = tfm.add %3, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32>
  %5 = tfm.sqrt %4 : (tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  %6 = tfm.div %1, %5 : (tensor<2x3x4xf32>, tensor<2x3x1xf32>) -> tensor<2x3x4xf32>
  %7 = tfm.mul %6, %w : (tensor<2x3x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  return %7 : tensor<2x3x4xf32>
}
