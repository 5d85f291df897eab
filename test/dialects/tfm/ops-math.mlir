// RUN: tfmc-opt %s --split-input-file | tfmc-opt --split-input-file | FileCheck %s
// RUN: tfmc-opt %s --split-input-file --mlir-print-op-generic | tfmc-opt --split-input-file | FileCheck %s

// Round trip of the contraction, reduction, normalization and pooling ops
// (TfmMathOps.td).

// CHECK-LABEL: func.func @matmul
// CHECK: tfm.matmul %arg0, %arg1 : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
// CHECK: tfm.matmul %arg2, %arg1 : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
// CHECK: tfm.matmul %arg0, %arg2 : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
// CHECK: tfm.matmul %arg2, %arg2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
func.func @matmul(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>, %v: tensor<4xf32>)
    -> (tensor<2x3x5xf32>, tensor<5xf32>, tensor<2x3xf32>, tensor<f32>) {
  %0 = tfm.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  %1 = tfm.matmul %v, %b : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  %2 = tfm.matmul %a, %v : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  %3 = tfm.matmul %v, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  return %0, %1, %2, %3 : tensor<2x3x5xf32>, tensor<5xf32>, tensor<2x3xf32>, tensor<f32>
}

// -----

// Batch dims broadcast, symbolic ones keep their names.
// CHECK-LABEL: func.func @matmul_symbolic
// CHECK: tfm.matmul %arg0, %arg1 : (tensor<?x1x?x64xf16, #tfm.dims<["batch", "seq"]>>, tensor<12x64x?xf16, #tfm.dims<["seq + 1"]>>) -> tensor<?x12x?x?xf16, #tfm.dims<["batch", "seq", "seq + 1"]>>
func.func @matmul_symbolic(%a: tensor<?x1x?x64xf16, #tfm.dims<["batch", "seq"]>>, %b: tensor<12x64x?xf16, #tfm.dims<["seq + 1"]>>)
    -> tensor<?x12x?x?xf16, #tfm.dims<["batch", "seq", "seq + 1"]>> {
  %0 = tfm.matmul %a, %b : (tensor<?x1x?x64xf16, #tfm.dims<["batch", "seq"]>>, tensor<12x64x?xf16, #tfm.dims<["seq + 1"]>>) -> tensor<?x12x?x?xf16, #tfm.dims<["batch", "seq", "seq + 1"]>>
  return %0 : tensor<?x12x?x?xf16, #tfm.dims<["batch", "seq", "seq + 1"]>>
}

// -----

// CHECK-LABEL: func.func @matmul_integer
// CHECK: tfm.matmul_integer %arg0, %arg1 : (tensor<2x4xui8>, tensor<4x3xi8>) -> tensor<2x3xi32>
// CHECK: tfm.matmul_integer %arg0, %arg1 a_zero_point %arg2 b_zero_point %arg3 : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<ui8>, tensor<3xi8>) -> tensor<2x3xi32>
// CHECK: tfm.matmul_integer %arg0, %arg1 b_zero_point %arg3 : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<3xi8>) -> tensor<2x3xi32>
func.func @matmul_integer(%a: tensor<2x4xui8>, %b: tensor<4x3xi8>, %az: tensor<ui8>, %bz: tensor<3xi8>)
    -> (tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>) {
  %0 = tfm.matmul_integer %a, %b : (tensor<2x4xui8>, tensor<4x3xi8>) -> tensor<2x3xi32>
  %1 = tfm.matmul_integer %a, %b a_zero_point %az b_zero_point %bz : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<ui8>, tensor<3xi8>) -> tensor<2x3xi32>
  %2 = tfm.matmul_integer %a, %b b_zero_point %bz : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<3xi8>) -> tensor<2x3xi32>
  return %0, %1, %2 : tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>
}

// -----

// CHECK-LABEL: func.func @gemm
// CHECK: tfm.gemm %arg0, %arg1 {transB = 1 : si64} : (tensor<16x64xf32>, tensor<32x64xf32>) -> tensor<16x32xf32>
// CHECK: tfm.gemm %arg0, %arg1 bias %arg2 {alpha = 5.000000e-01 : f32, beta = 2.000000e+00 : f32, transB = 1 : si64} : (tensor<16x64xf32>, tensor<32x64xf32>, tensor<32xf32>) -> tensor<16x32xf32>
// CHECK: tfm.gemm %arg0, %arg0 {transA = 1 : si64} : (tensor<16x64xf32>, tensor<16x64xf32>) -> tensor<64x64xf32>
func.func @gemm(%a: tensor<16x64xf32>, %b: tensor<32x64xf32>, %c: tensor<32xf32>)
    -> (tensor<16x32xf32>, tensor<16x32xf32>, tensor<64x64xf32>) {
  %0 = tfm.gemm %a, %b {transB = 1 : si64} : (tensor<16x64xf32>, tensor<32x64xf32>) -> tensor<16x32xf32>
  %1 = tfm.gemm %a, %b bias %c {alpha = 0.5 : f32, beta = 2.0 : f32, transB = 1 : si64} : (tensor<16x64xf32>, tensor<32x64xf32>, tensor<32xf32>) -> tensor<16x32xf32>
  %2 = tfm.gemm %a, %a {transA = 1 : si64} : (tensor<16x64xf32>, tensor<16x64xf32>) -> tensor<64x64xf32>
  return %0, %1, %2 : tensor<16x32xf32>, tensor<16x32xf32>, tensor<64x64xf32>
}

// -----

// CHECK-LABEL: func.func @einsum
// CHECK: tfm.einsum %arg0, %arg1 {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
// CHECK: tfm.einsum %arg2, %arg3 {equation = "ij,jk"} : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
// CHECK: tfm.einsum %arg0 {equation = "...ij->...ji"} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
// CHECK: tfm.einsum %arg2 {equation = "ij->"} : (tensor<3x4xf32>) -> tensor<f32>
func.func @einsum(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %c: tensor<3x4xf32>, %d: tensor<4x5xf32>)
    -> (tensor<2x3x5xf32>, tensor<3x5xf32>, tensor<2x4x3xf32>, tensor<f32>) {
  %0 = tfm.einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %1 = tfm.einsum %c, %d {equation = "ij,jk"} : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  %2 = tfm.einsum %a {equation = "...ij->...ji"} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  %3 = tfm.einsum %c {equation = "ij->"} : (tensor<3x4xf32>) -> tensor<f32>
  return %0, %1, %2, %3 : tensor<2x3x5xf32>, tensor<3x5xf32>, tensor<2x4x3xf32>, tensor<f32>
}

// -----

// CHECK-LABEL: func.func @conv
// CHECK: tfm.conv %arg0, %arg1 : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
// CHECK: tfm.conv %arg0, %arg1 bias %arg2 {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
// CHECK: tfm.conv %arg0, %arg1 {auto_pad = "SAME_UPPER", dilations = array<i64: 2, 2>, kernel_shape = array<i64: 3, 3>, strides = array<i64: 3, 3>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x11x11xf32>
func.func @conv(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>)
    -> (tensor<1x16x30x30xf32>, tensor<1x16x16x16xf32>, tensor<1x16x11x11xf32>) {
  %0 = tfm.conv %x, %w : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
  %1 = tfm.conv %x, %w bias %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
  %2 = tfm.conv %x, %w {auto_pad = "SAME_UPPER", dilations = array<i64: 2, 2>, kernel_shape = array<i64: 3, 3>, strides = array<i64: 3, 3>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x11x11xf32>
  return %0, %1, %2 : tensor<1x16x30x30xf32>, tensor<1x16x16x16xf32>, tensor<1x16x11x11xf32>
}

// -----

// Depthwise 1-D conv over a symbolic batch and length.
// CHECK-LABEL: func.func @conv_group_symbolic
// CHECK: tfm.conv %arg0, %arg1 {auto_pad = "VALID", group = 8 : si64} : (tensor<?x8x?xf32, #tfm.dims<["batch", "len"]>>, tensor<8x1x3xf32>) -> tensor<?x8x?xf32, #tfm.dims<["batch", "?"]>>
func.func @conv_group_symbolic(%x: tensor<?x8x?xf32, #tfm.dims<["batch", "len"]>>, %w: tensor<8x1x3xf32>)
    -> tensor<?x8x?xf32, #tfm.dims<["batch", "?"]>> {
  %0 = tfm.conv %x, %w {auto_pad = "VALID", group = 8 : si64} : (tensor<?x8x?xf32, #tfm.dims<["batch", "len"]>>, tensor<8x1x3xf32>) -> tensor<?x8x?xf32, #tfm.dims<["batch", "?"]>>
  return %0 : tensor<?x8x?xf32, #tfm.dims<["batch", "?"]>>
}

// -----

// Reductions: constant axes, no axes (all), noop_with_empty_axes and
// non-constant axes (rank known from their count).
// CHECK-LABEL: func.func @reduce
// CHECK: %[[AXES:.*]] = tfm.constant dense<-1> : tensor<1xi64>
// CHECK: tfm.reduce_mean %arg0 axes %[[AXES]] : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
// CHECK: tfm.reduce_sum %arg0 : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
// CHECK: tfm.reduce_max %arg0 axes %[[AXES2:.*]] {keepdims = 0 : si64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<3xf32>
// CHECK: tfm.reduce_min %arg0 {noop_with_empty_axes = 1 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK: tfm.reduce_prod %arg0 axes %arg1 {keepdims = 0 : si64} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<?x?xf32>
// CHECK: tfm.reduce_sum %arg0 axes %arg1 : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<?x?x?xf32>
func.func @reduce(%x: tensor<2x3x4xf32>, %dyn: tensor<1xi64>)
    -> (tensor<2x3x1xf32>, tensor<1x1x1xf32>, tensor<3xf32>, tensor<2x3x4xf32>, tensor<?x?xf32>, tensor<?x?x?xf32>) {
  %axes = tfm.constant dense<-1> : tensor<1xi64>
  %axes2 = tfm.constant dense<[0, 2]> : tensor<2xi64>
  %0 = tfm.reduce_mean %x axes %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %1 = tfm.reduce_sum %x : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  %2 = tfm.reduce_max %x axes %axes2 {keepdims = 0 : si64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<3xf32>
  %3 = tfm.reduce_min %x {noop_with_empty_axes = 1 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %4 = tfm.reduce_prod %x axes %dyn {keepdims = 0 : si64} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  %5 = tfm.reduce_sum %x axes %dyn : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<?x?x?xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x3x1xf32>, tensor<1x1x1xf32>, tensor<3xf32>, tensor<2x3x4xf32>, tensor<?x?xf32>, tensor<?x?x?xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_symbolic
// CHECK: tfm.reduce_mean %arg0 axes %{{.*}} : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<1xi64>) -> tensor<?x?x1xf32, #tfm.dims<["batch", "seq"]>>
func.func @reduce_symbolic(%x: tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<?x?x1xf32, #tfm.dims<["batch", "seq"]>> {
  %axes = tfm.constant dense<2> : tensor<1xi64>
  %0 = tfm.reduce_mean %x axes %axes : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<1xi64>) -> tensor<?x?x1xf32, #tfm.dims<["batch", "seq"]>>
  return %0 : tensor<?x?x1xf32, #tfm.dims<["batch", "seq"]>>
}

// -----

// CHECK-LABEL: func.func @arg_max
// CHECK: tfm.arg_max %arg0 {axis = 1 : si64} : (tensor<2x3x4xf32>) -> tensor<2x1x4xi64>
// CHECK: tfm.arg_max %arg0 {axis = -1 : si64, keepdims = 0 : si64, select_last_index = 1 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3xi64>
func.func @arg_max(%x: tensor<2x3x4xf32>) -> (tensor<2x1x4xi64>, tensor<2x3xi64>) {
  %0 = tfm.arg_max %x {axis = 1 : si64} : (tensor<2x3x4xf32>) -> tensor<2x1x4xi64>
  %1 = tfm.arg_max %x {axis = -1 : si64, keepdims = 0 : si64, select_last_index = 1 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3xi64>
  return %0, %1 : tensor<2x1x4xi64>, tensor<2x3xi64>
}

// -----

// CHECK-LABEL: func.func @top_k
// CHECK: %[[K:.*]] = tfm.constant dense<3> : tensor<1xi64>
// CHECK: %{{.*}}, %{{.*}} = tfm.top_k %arg0, %[[K]] : (tensor<2x10xf32>, tensor<1xi64>) -> (tensor<2x3xf32>, tensor<2x3xi64>)
// CHECK: %{{.*}}, %{{.*}} = tfm.top_k %arg0, %arg1 {axis = 0 : si64, largest = 0 : si64, sorted = 0 : si64} : (tensor<2x10xf32>, tensor<1xi64>) -> (tensor<?x10xf32>, tensor<?x10xi64>)
func.func @top_k(%x: tensor<2x10xf32>, %kdyn: tensor<1xi64>) -> (tensor<2x3xf32>, tensor<2x3xi64>, tensor<?x10xf32>) {
  %k = tfm.constant dense<3> : tensor<1xi64>
  %0:2 = tfm.top_k %x, %k : (tensor<2x10xf32>, tensor<1xi64>) -> (tensor<2x3xf32>, tensor<2x3xi64>)
  %1:2 = tfm.top_k %x, %kdyn {axis = 0 : si64, largest = 0 : si64, sorted = 0 : si64} : (tensor<2x10xf32>, tensor<1xi64>) -> (tensor<?x10xf32>, tensor<?x10xi64>)
  return %0#0, %0#1, %1#0 : tensor<2x3xf32>, tensor<2x3xi64>, tensor<?x10xf32>
}

// -----

// CHECK-LABEL: func.func @cum_sum
// CHECK: tfm.cum_sum %arg0, %{{.*}} : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
// CHECK: tfm.cum_sum %arg0, %arg1 {exclusive = 1 : si64, reverse = 1 : si64} : (tensor<2x3xf32>, tensor<1xi32>) -> tensor<2x3xf32>
func.func @cum_sum(%x: tensor<2x3xf32>, %axis: tensor<1xi32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %a = tfm.constant dense<1> : tensor<i64>
  %0 = tfm.cum_sum %x, %a : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  %1 = tfm.cum_sum %x, %axis {exclusive = 1 : si64, reverse = 1 : si64} : (tensor<2x3xf32>, tensor<1xi32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// The optional results of AttrSizedResultSegments ops are spelled with an
// explicit resultSegmentSizes.
// CHECK-LABEL: func.func @batch_norm
// CHECK: tfm.batch_norm %arg0, %arg1, %arg1, %arg1, %arg1 {resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x8x8xf32>
func.func @batch_norm(%x: tensor<2x3x8x8xf32>, %p: tensor<3xf32>) -> tensor<2x3x8x8xf32> {
  %0 = tfm.batch_norm %x, %p, %p, %p, %p {resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x8x8xf32>
  return %0 : tensor<2x3x8x8xf32>
}

// -----

// Training mode returns the updated running statistics.
// CHECK-LABEL: func.func @batch_norm_training
// CHECK: %[[Y:.*]], %[[MEAN:.*]], %[[VAR:.*]] = tfm.batch_norm %arg0, %arg1, %arg1, %arg1, %arg1 {epsilon = 1.000000e-03 : f32, momentum = 9.900000e-01 : f32, resultSegmentSizes = array<i32: 1, 1, 1>, training_mode = 1 : si64} : (tensor<?x3x?xf32, #tfm.dims<["batch", "len"]>>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x?xf32, #tfm.dims<["batch", "len"]>>, tensor<3xf32>, tensor<3xf32>)
func.func @batch_norm_training(%x: tensor<?x3x?xf32, #tfm.dims<["batch", "len"]>>, %p: tensor<3xf32>)
    -> (tensor<?x3x?xf32, #tfm.dims<["batch", "len"]>>, tensor<3xf32>, tensor<3xf32>) {
  %0:3 = tfm.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-3 : f32, momentum = 0.99 : f32, resultSegmentSizes = array<i32: 1, 1, 1>, training_mode = 1 : si64} : (tensor<?x3x?xf32, #tfm.dims<["batch", "len"]>>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x?xf32, #tfm.dims<["batch", "len"]>>, tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1, %0#2 : tensor<?x3x?xf32, #tfm.dims<["batch", "len"]>>, tensor<3xf32>, tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @max_pool
// CHECK: tfm.max_pool %arg0 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>) -> tensor<1x3x16x16xf32>
// CHECK: %{{.*}}, %{{.*}} = tfm.max_pool %arg0 {ceil_mode = 1 : si64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, storage_order = 1 : si64, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>) -> (tensor<1x3x17x17xf32>, tensor<1x3x17x17xi64>)
// CHECK: tfm.max_pool %arg1 {auto_pad = "SAME_LOWER", dilations = array<i64: 2>, kernel_shape = array<i64: 3>} : (tensor<2x4x10xi8>) -> tensor<2x4x10xi8>
func.func @max_pool(%x: tensor<1x3x32x32xf32>, %i: tensor<2x4x10xi8>)
    -> (tensor<1x3x16x16xf32>, tensor<1x3x17x17xf32>, tensor<1x3x17x17xi64>, tensor<2x4x10xi8>) {
  %0 = tfm.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>) -> tensor<1x3x16x16xf32>
  %1:2 = tfm.max_pool %x {ceil_mode = 1 : si64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, storage_order = 1 : si64, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>) -> (tensor<1x3x17x17xf32>, tensor<1x3x17x17xi64>)
  %2 = tfm.max_pool %i {auto_pad = "SAME_LOWER", dilations = array<i64: 2>, kernel_shape = array<i64: 3>} : (tensor<2x4x10xi8>) -> tensor<2x4x10xi8>
  return %0, %1#0, %1#1, %2 : tensor<1x3x16x16xf32>, tensor<1x3x17x17xf32>, tensor<1x3x17x17xi64>, tensor<2x4x10xi8>
}

// -----

// CHECK-LABEL: func.func @average_pool
// CHECK: tfm.average_pool %arg0 {count_include_pad = 1 : si64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x32x32xf32>) -> tensor<1x3x32x32xf32>
// CHECK: tfm.average_pool %arg1 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<?x3x?x?xf32, #tfm.dims<["batch", "h", "w"]>>) -> tensor<?x3x?x?xf32, #tfm.dims<["batch", "?", "?"]>>
func.func @average_pool(%x: tensor<1x3x32x32xf32>, %s: tensor<?x3x?x?xf32, #tfm.dims<["batch", "h", "w"]>>)
    -> (tensor<1x3x32x32xf32>, tensor<?x3x?x?xf32, #tfm.dims<["batch", "?", "?"]>>) {
  %0 = tfm.average_pool %x {count_include_pad = 1 : si64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x32x32xf32>) -> tensor<1x3x32x32xf32>
  %1 = tfm.average_pool %s {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<?x3x?x?xf32, #tfm.dims<["batch", "h", "w"]>>) -> tensor<?x3x?x?xf32, #tfm.dims<["batch", "?", "?"]>>
  return %0, %1 : tensor<1x3x32x32xf32>, tensor<?x3x?x?xf32, #tfm.dims<["batch", "?", "?"]>>
}

// -----

// CHECK-LABEL: func.func @global_average_pool
// CHECK: tfm.global_average_pool %arg0 : (tensor<?x64x7x7xf32, #tfm.dims<["batch"]>>) -> tensor<?x64x1x1xf32, #tfm.dims<["batch"]>>
func.func @global_average_pool(%x: tensor<?x64x7x7xf32, #tfm.dims<["batch"]>>) -> tensor<?x64x1x1xf32, #tfm.dims<["batch"]>> {
  %0 = tfm.global_average_pool %x : (tensor<?x64x7x7xf32, #tfm.dims<["batch"]>>) -> tensor<?x64x1x1xf32, #tfm.dims<["batch"]>>
  return %0 : tensor<?x64x1x1xf32, #tfm.dims<["batch"]>>
}
