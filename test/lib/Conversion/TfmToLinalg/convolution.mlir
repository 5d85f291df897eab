// RUN: tfmc-opt %s --tfm-to-linalg --split-input-file | FileCheck %s

// Grouped conv: x, w and the bias-initialized result split their channels
// into groups; loops (n, g, f, oh, ow, c, kh, kw) read x at o * stride +
// k * dilation of the padded input.
// CHECK-DAG: #[[BIAS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2)>
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6 * 2, d4 * 2 + d7)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv_group_bias
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 1, 0] high[0, 0, 2, 1]
// CHECK: : tensor<1x4x9x7xf32> to tensor<1x4x12x8xf32>
// CHECK: %[[XG:.*]] = tensor.expand_shape %[[P]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 12, 8]
// CHECK: %[[WG:.*]] = tensor.expand_shape %arg1 {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 2]
// CHECK: %[[BG:.*]] = tensor.expand_shape %arg2 {{\[}}[0, 1]] output_shape [2, 3]
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[BIAS]], {{.*}}]{{.*}} ins(%[[BG]] : tensor<2x3xf32>) outs(%{{.*}} : tensor<1x2x3x8x4xf32>)
// CHECK: %[[YG:.*]] = linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[Y]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[XG]], %[[WG]] : {{.*}}) outs(%[[INIT]] : tensor<1x2x3x8x4xf32>)
// CHECK: tensor.collapse_shape %[[YG]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x3x8x4xf32> into tensor<1x6x8x4xf32>
func.func @conv_group_bias(%x: tensor<1x4x9x7xf32>, %w: tensor<6x2x3x2xf32>, %b: tensor<6xf32>) -> tensor<1x6x8x4xf32> {
  %r = tfm.conv %x, %w bias %b {dilations = array<i64: 2, 1>, group = 2 : si64, pads = array<i64: 1, 0, 2, 1>, strides = array<i64: 1, 2>} : (tensor<1x4x9x7xf32>, tensor<6x2x3x2xf32>, tensor<6xf32>) -> tensor<1x6x8x4xf32>
  return %r : tensor<1x6x8x4xf32>
}

// -----

// SAME padding of a dynamic input: output ceil(in / stride), the padding
// computed at run time. Ungrouped, it becomes im2col columns (n, c, kh, kw,
// oh, ow) and a matmul of the filters (F, C*kh*kw) by them, loops
// (n, f, p, k), the form tfm-matmul-to-runtime hands to the runtime.
// CHECK-DAG: #[[COLSX:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4 * 2 + d2, d5 * 2 + d3)>
// CHECK-DAG: #[[FILT:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG: #[[COLS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @conv_same_dynamic
// CHECK: %[[H:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x1x?x?xf32>
// CHECK: %[[OH:.*]] = arith.ceildivsi %[[H]], %{{.*}} : index
// CHECK: arith.maxsi
// CHECK: %[[W:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x1x?x?xf32>
// CHECK: %[[OW:.*]] = arith.ceildivsi %[[W]], %{{.*}} : index
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, %{{.*}}, %{{.*}}] high[0, 0, %{{.*}}, %{{.*}}]
// CHECK: %[[N:.*]] = tensor.dim %[[P]], %{{.*}} : tensor<?x1x?x?xf32>
// CHECK: %[[E:.*]] = tensor.empty(%[[N]], %[[OH]], %[[OW]]) : tensor<?x1x3x3x?x?xf32>
// CHECK: %[[C6:.*]] = linalg.generic {indexing_maps = [#[[COLSX]], {{.*}}]{{.*}} ins(%[[P]] : {{.*}}) outs(%[[E]] : {{.*}})
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[C6]] {{\[}}[0], [1, 2, 3], [4, 5]] : tensor<?x1x3x3x?x?xf32> into tensor<?x9x?xf32>
// CHECK: %[[F:.*]] = tensor.collapse_shape %arg1 {{\[}}[0], [1, 2, 3]] : tensor<1x1x3x3xf32> into tensor<1x9xf32>
// CHECK: %[[Z:.*]] = linalg.fill
// CHECK: %[[YM:.*]] = linalg.generic {indexing_maps = [#[[FILT]], #[[COLS]], #[[Y]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[F]], %[[C]] : tensor<1x9xf32>, tensor<?x9x?xf32>) outs(%[[Z]] : tensor<?x1x?xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: tensor.expand_shape %[[YM]] {{\[}}[0], [1], [2, 3]] output_shape [%{{.*}}, 1, %[[OH]], %[[OW]]] : tensor<?x1x?xf32> into tensor<?x1x?x?xf32>
func.func @conv_same_dynamic(%x: tensor<?x1x?x?xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<?x1x?x?xf32> {
  %r = tfm.conv %x, %w {auto_pad = "SAME_LOWER", strides = array<i64: 2, 2>} : (tensor<?x1x?x?xf32>, tensor<1x1x3x3xf32>) -> tensor<?x1x?x?xf32>
  return %r : tensor<?x1x?x?xf32>
}

// -----

// A ViT's patch embedding (kernel = stride, no padding): no tensor.pad; the
// bias is added to the matmul's result by channel.
// CHECK-DAG: #[[BIAS:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @conv_patches_bias
// CHECK-NOT: tensor.pad
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2, 3], [4, 5]] : tensor<2x3x4x4x2x3xf32> into tensor<2x48x6xf32>
// CHECK: %[[YM:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<5x48xf32>, tensor<2x48x6xf32>) outs(%{{.*}} : tensor<2x5x6xf32>)
// CHECK: %[[YB:.*]] = linalg.generic {indexing_maps = [#[[BIAS]], #[[ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg2 : tensor<5xf32>) outs(%[[YM]] : tensor<2x5x6xf32>)
// CHECK: %[[S:.*]] = arith.addf
// CHECK: linalg.yield %[[S]]
// CHECK: tensor.expand_shape %[[YB]] {{\[}}[0], [1], [2, 3]] output_shape [2, 5, 2, 3] : tensor<2x5x6xf32> into tensor<2x5x2x3xf32>
func.func @conv_patches_bias(%x: tensor<2x3x8x12xf32>, %w: tensor<5x3x4x4xf32>, %b: tensor<5xf32>) -> tensor<2x5x2x3xf32> {
  %r = tfm.conv %x, %w bias %b {strides = array<i64: 4, 4>} : (tensor<2x3x8x12xf32>, tensor<5x3x4x4xf32>, tensor<5xf32>) -> tensor<2x5x2x3xf32>
  return %r : tensor<2x5x2x3xf32>
}

// -----

// Ceil mode's last window reads one row and column past the input: -inf
// padding covers it. A kernel-shaped empty tensor bounds the window loops.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[K:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK: %[[WIN:.*]] = tensor.empty() : tensor<3x3xi8>
// CHECK: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEG]] : f32
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[K]], #[[Y]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[P]], %[[WIN]] : tensor<1x1x5x5xf32>, tensor<3x3xi8>)
// CHECK: arith.maximumf
func.func @max_pool_ceil(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %y = tfm.max_pool %x {ceil_mode = 1 : si64, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

// Indices: (n * C + c) * H * W + h + w * H (storage_order 1: column-major).
// CHECK-LABEL: func.func @max_pool_indices
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
// CHECK: %[[TAKE:.*]] = arith.cmpf ogt
// CHECK: arith.muli %{{.*}}, %c25 : index
// CHECK: arith.muli %{{.*}}, %c5 : index
// CHECK: %[[INDEX:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK: arith.select %[[TAKE]], %[[INDEX]], %{{.*}} : i64
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @max_pool_indices(%x: tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) {
  %y, %i = tfm.max_pool %x {kernel_shape = array<i64: 2, 2>, storage_order = 1 : si64, strides = array<i64: 2, 2>} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  return %y, %i : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
}

// -----

// Sums and counts in one generic (count_include_pad counts positions inside
// the explicit padding, [0, 32)), then a division.
// CHECK-LABEL: func.func @average_pool
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 2, 2] high[0, 0, 2, 2]
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} ins(%[[P]], %{{.*}} : tensor<1x3x32x32xf32>, tensor<3x3xi8>)
// CHECK: arith.cmpi sge, %{{.*}}, %c0 : index
// CHECK: arith.cmpi slt, %{{.*}}, %c32 : index
// CHECK: linalg.generic {{.*}} ins(%[[R]]#0, %[[R]]#1 : tensor<1x3x30x30xf32>, tensor<1x3x30x30xf32>)
// CHECK: arith.divf
func.func @average_pool(%x: tensor<1x3x28x28xf32>) -> tensor<1x3x30x30xf32> {
  %y = tfm.average_pool %x {count_include_pad = 1 : si64, kernel_shape = array<i64: 3, 3>, pads = array<i64: 2, 2, 2, 2>} : (tensor<1x3x28x28xf32>) -> tensor<1x3x30x30xf32>
  return %y : tensor<1x3x30x30xf32>
}

// -----

// A mean over the spatial dims, divided by their runtime product.
// CHECK-LABEL: func.func @global_average_pool
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%arg0 : tensor<?x3x?x?xf32>) outs(%{{.*}} : tensor<?x3xf32>)
// CHECK: %[[H:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x3x?x?xf32>
// CHECK: %[[W:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x3x?x?xf32>
// CHECK: arith.muli %[[H]], %[[W]] : index
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<?x3xf32>)
// CHECK: tensor.expand_shape %[[MEAN]] {{\[}}[0], [1, 2, 3]] output_shape [%{{.*}}, 3, 1, 1] : tensor<?x3xf32> into tensor<?x3x1x1xf32>
func.func @global_average_pool(%x: tensor<?x3x?x?xf32>) -> tensor<?x3x1x1xf32> {
  %y = tfm.global_average_pool %x : (tensor<?x3x?x?xf32>) -> tensor<?x3x1x1xf32>
  return %y : tensor<?x3x1x1xf32>
}

// -----

// Per-channel parameters read at d1.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[C]], #[[C]], #[[C]], #[[C]], #[[X]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK: math.sqrt
func.func @batch_norm(%x: tensor<2x3x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4xf32> {
  %y = tfm.batch_norm %x, %s, %b, %m, %v {resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// Training mode: the batch's mean and variance over (N, spatial), and the
// momentum-updated running statistics.
// CHECK-LABEL: func.func @batch_norm_training
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]}
// CHECK: linalg.generic {{.*}} ins(%arg0, %{{.*}} : tensor<2x3x4xf32>, tensor<3xf32>)
// CHECK: arith.mulf
// CHECK: iterator_types = ["reduction", "parallel", "reduction"]
// CHECK: math.sqrt
// CHECK: arith.constant 0.899999{{.*}} : f32
// CHECK: return
func.func @batch_norm_training(%x: tensor<2x3x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %rm, %rv = tfm.batch_norm %x, %s, %b, %m, %v {resultSegmentSizes = array<i32: 1, 1, 1>, training_mode = 1 : si64} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y, %rm, %rv : tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>
}
