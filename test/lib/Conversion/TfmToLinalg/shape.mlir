// RUN: tfmc-opt %s --tfm-to-linalg --split-input-file -verify-diagnostics | FileCheck %s

// Shape queries read tensor.dim.
// CHECK-LABEL: func.func @shape_queries
// CHECK: %[[D0:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[D1:.*]] = tensor.dim %arg0, %c1
// CHECK: %[[I0:.*]] = arith.index_cast %[[D0]] : index to i64
// CHECK: %[[I1:.*]] = arith.index_cast %[[D1]] : index to i64
// CHECK: tensor.from_elements %[[I0]], %[[I1]] : tensor<2xi64>
// CHECK: %[[N:.*]] = arith.muli %{{.*}}, %{{.*}}
// CHECK: arith.muli %[[N]], %c8
// CHECK: tensor.from_elements %{{.*}} : tensor<i64>
func.func @shape_queries(%x: tensor<?x?x8xf32, #tfm.dims<["b", "s"]>>) -> (tensor<2xi64>, tensor<i64>) {
  %s = tfm.shape %x {end = -1 : si64} : (tensor<?x?x8xf32, #tfm.dims<["b", "s"]>>) -> tensor<2xi64>
  %n = tfm.size %x : (tensor<?x?x8xf32, #tfm.dims<["b", "s"]>>) -> tensor<i64>
  return %s, %n : tensor<2xi64>, tensor<i64>
}

// -----

// Splitting heads: the symbolic dims show that only the last dim expands.
// CHECK-LABEL: func.func @reshape_split_heads
// CHECK: tensor.expand_shape %arg0 {{\[}}[0], [1], [2, 3]] output_shape [%{{.*}}, %{{.*}}, 12, 64] : tensor<?x?x768xf32> into tensor<?x?x12x64xf32>
func.func @reshape_split_heads(%x: tensor<?x?x768xf32, #tfm.dims<["b", "s"]>>) -> tensor<?x?x12x64xf32, #tfm.dims<["b", "s"]>> {
  %t = tfm.constant dense<[0, 0, 12, 64]> : tensor<4xi64>
  %r = tfm.reshape %x, %t : (tensor<?x?x768xf32, #tfm.dims<["b", "s"]>>, tensor<4xi64>) -> tensor<?x?x12x64xf32, #tfm.dims<["b", "s"]>>
  return %r : tensor<?x?x12x64xf32, #tfm.dims<["b", "s"]>>
}

// -----

// Merging [b, s] into b*s collapses.
// CHECK-LABEL: func.func @reshape_merge
// CHECK: tensor.collapse_shape %arg0 {{\[}}[0, 1], [2]] : tensor<?x?x64xf32> into tensor<?x64xf32>
func.func @reshape_merge(%x: tensor<?x?x64xf32, #tfm.dims<["b", "s"]>>) -> tensor<?x64xf32, #tfm.dims<["b*s"]>> {
  %t = tfm.constant dense<[-1, 64]> : tensor<2xi64>
  %r = tfm.reshape %x, %t : (tensor<?x?x64xf32, #tfm.dims<["b", "s"]>>, tensor<2xi64>) -> tensor<?x64xf32, #tfm.dims<["b*s"]>>
  return %r : tensor<?x64xf32, #tfm.dims<["b*s"]>>
}

// -----

// A target known only at run time: 0 copies, -1 infers, then tensor.reshape.
// CHECK-LABEL: func.func @reshape_runtime
// CHECK: %[[E0:.*]] = tensor.extract %arg1[%c0]
// CHECK: arith.cmpi eq, %{{.*}}, %c0
// CHECK: arith.cmpi eq, %{{.*}}, %c-1
// CHECK: arith.divsi
// CHECK: %[[S:.*]] = tensor.from_elements %{{.*}}, %{{.*}} : tensor<2xindex>
// CHECK: tensor.reshape %arg0(%[[S]]) : (tensor<4x6xf32>, tensor<2xindex>) -> tensor<?x?xf32>
func.func @reshape_runtime(%x: tensor<4x6xf32>, %shape: tensor<2xi64>) -> tensor<?x?xf32> {
  %r = tfm.reshape %x, %shape : (tensor<4x6xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @flatten_axis0
// CHECK: %[[C:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1]] : tensor<?x3xf32> into tensor<?xf32>
// CHECK: tensor.expand_shape %[[C]] {{\[}}[0, 1]] output_shape [1, %{{.*}}] : tensor<?xf32> into tensor<1x?xf32>
func.func @flatten_axis0(%x: tensor<?x3xf32>) -> tensor<1x?xf32> {
  %r = tfm.flatten %x {axis = 0 : si64} : (tensor<?x3xf32>) -> tensor<1x?xf32>
  return %r : tensor<1x?xf32>
}

// -----

// Constant axes reshape by unit dims; run-time axes need tensor.reshape.
// CHECK-LABEL: func.func @squeeze_unsqueeze
// CHECK: tensor.collapse_shape %arg0 {{\[}}[0, 1], [2, 3]] : tensor<1x?x?x1xf32> into tensor<?x?xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [1, %{{.*}}, %{{.*}}] : tensor<?x?xf32> into tensor<1x?x?xf32>
// CHECK: tensor.reshape %arg0(%{{.*}}) : (tensor<1x?x?x1xf32>, tensor<3xindex>) -> tensor<?x?x?xf32>
func.func @squeeze_unsqueeze(%x: tensor<1x?x?x1xf32>, %axes: tensor<1xi64>) -> (tensor<1x?x?xf32>, tensor<?x?x?xf32>) {
  %a = tfm.constant dense<[0, -1]> : tensor<2xi64>
  %s = tfm.squeeze %x axes %a : (tensor<1x?x?x1xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %z = tfm.constant dense<0> : tensor<1xi64>
  %u = tfm.unsqueeze %s, %z : (tensor<?x?xf32>, tensor<1xi64>) -> tensor<1x?x?xf32>
  %r = tfm.squeeze %x axes %axes : (tensor<1x?x?x1xf32>, tensor<1xi64>) -> tensor<?x?x?xf32>
  return %u, %r : tensor<1x?x?xf32>, tensor<?x?x?xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_concat
// CHECK: %[[E:.*]] = tensor.empty(%{{.*}}) : tensor<4x?x3xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%arg0 : tensor<?x3x4xf32>) outs(%[[E]] : tensor<4x?x3xf32>) permutation = [2, 0, 1]
// CHECK: tensor.concat dim(1) %[[T]], %arg1 : (tensor<4x?x3xf32>, tensor<4x?x3xf32>) -> tensor<4x?x3xf32>
func.func @transpose_concat(%x: tensor<?x3x4xf32>, %y: tensor<4x?x3xf32>) -> tensor<4x?x3xf32> {
  %t = tfm.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<?x3x4xf32>) -> tensor<4x?x3xf32>
  %c = tfm.concat %t, %y {axis = -2 : si64} : (tensor<4x?x3xf32>, tensor<4x?x3xf32>) -> tensor<4x?x3xf32>
  return %c : tensor<4x?x3xf32>
}

// -----

// A statically empty piece is left out.
// CHECK-LABEL: func.func @concat_empty
// CHECK: tensor.concat dim(1) %arg0, %arg2 : (tensor<2x3xf32>, tensor<2x?xf32>) -> tensor<2x?xf32>
func.func @concat_empty(%x: tensor<2x3xf32>, %e: tensor<2x0xf32>, %y: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %c = tfm.concat %x, %e, %y {axis = 1 : si64} : (tensor<2x3xf32>, tensor<2x0xf32>, tensor<2x?xf32>) -> tensor<2x?xf32>
  return %c : tensor<2x?xf32>
}

// -----

// Equal parts of ceil(7 / 3) = 3, the last one smaller.
// CHECK-LABEL: func.func @split_equal
// CHECK: tensor.extract_slice %arg0[0, 0] [2, 3] [1, 1] : tensor<2x7xf32> to tensor<2x3xf32>
// CHECK: tensor.extract_slice %arg0[0, 3] [2, 3] [1, 1] : tensor<2x7xf32> to tensor<2x3xf32>
// CHECK: tensor.extract_slice %arg0[0, 6] [2, 1] [1, 1] : tensor<2x7xf32> to tensor<2x1xf32>
func.func @split_equal(%x: tensor<2x7xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1xf32>) {
  %a, %b, %c = tfm.split %x {axis = 1 : si64} : (tensor<2x7xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1xf32>)
  return %a, %b, %c : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1xf32>
}

// -----

// Positive constant steps slice; x[8:2:-3] reads at start + i * step.
// CHECK-LABEL: func.func @slice_steps
// CHECK: tensor.extract_slice %arg0[1, 0] [4, 5] [2, 1] : tensor<10x5xf32> to tensor<4x5xf32>
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<2x5xf32>)
// CHECK: %[[I:.*]] = linalg.index 0
// CHECK: %[[M:.*]] = arith.muli %[[I]], %c-3
// CHECK: %[[P:.*]] = arith.addi %[[M]], %c8
// CHECK: tensor.extract %arg0[%[[P]], %{{.*}}]
func.func @slice_steps(%x: tensor<10x5xf32>) -> (tensor<4x5xf32>, tensor<2x5xf32>) {
  %s = tfm.constant dense<1> : tensor<1xi64>
  %e = tfm.constant dense<9> : tensor<1xi64>
  %st = tfm.constant dense<2> : tensor<1xi64>
  %a = tfm.slice %x[%s, %e steps %st] : (tensor<10x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4x5xf32>
  %s2 = tfm.constant dense<8> : tensor<1xi64>
  %e2 = tfm.constant dense<2> : tensor<1xi64>
  %st2 = tfm.constant dense<-3> : tensor<1xi64>
  %b = tfm.slice %x[%s2, %e2 steps %st2] : (tensor<10x5xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2x5xf32>
  return %a, %b : tensor<4x5xf32>, tensor<2x5xf32>
}

// -----

// Starts, ends and axes at run time: the rank is all that is known.
// CHECK-LABEL: func.func @slice_runtime
// CHECK: tensor.extract %arg3[%{{.*}}] : tensor<1xi64>
// CHECK: arith.minsi
// CHECK: tensor.extract_slice %arg0[%{{.*}}, %{{.*}}] [%{{.*}}, %{{.*}}] [1, 1] : tensor<?x8xf32> to tensor<?x?xf32>
func.func @slice_runtime(%x: tensor<?x8xf32>, %s: tensor<1xi64>, %e: tensor<1xi64>, %a: tensor<1xi64>) -> tensor<?x?xf32> {
  %r = tfm.slice %x[%s, %e axes %a] : (tensor<?x8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// The indices are an input of the generic; data is read with tensor.extract
// at the index, wrapped when negative.
// CHECK: #[[IDX:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg1 : tensor<2x3xi64>) outs(%{{.*}} : tensor<4x2x3xf32>)
// CHECK: ^bb0(%[[V:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[R:.*]] = linalg.index 0
// CHECK: %[[I:.*]] = arith.index_cast %[[V]] : i64 to index
// CHECK: %[[W:.*]] = arith.addi %[[I]], %c5
// CHECK: %[[N:.*]] = arith.cmpi slt, %[[I]], %c0
// CHECK: %[[J:.*]] = arith.select %[[N]], %[[W]], %[[I]]
// CHECK: tensor.extract %arg0[%[[R]], %[[J]]] : tensor<4x5xf32>
func.func @gather(%x: tensor<4x5xf32>, %i: tensor<2x3xi64>) -> tensor<4x2x3xf32> {
  %r = tfm.gather %x, %i {axis = 1 : si64} : (tensor<4x5xf32>, tensor<2x3xi64>) -> tensor<4x2x3xf32>
  return %r : tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @gather_elements
// CHECK: linalg.generic
// CHECK-SAME: ins(%arg1 : tensor<2x3xi32>)
// CHECK: %[[C:.*]] = linalg.index 1
// CHECK: arith.index_cast %{{.*}} : i32 to index
// CHECK: tensor.extract %arg0[%{{.*}}, %[[C]]] : tensor<4x3xf32>
func.func @gather_elements(%x: tensor<4x3xf32>, %i: tensor<2x3xi32>) -> tensor<2x3xf32> {
  %r = tfm.gather_elements %x, %i : (tensor<4x3xf32>, tensor<2x3xi32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @constant_of_shape
// CHECK: %[[V:.*]] = arith.constant 7 : i32
// CHECK: %[[N:.*]] = tensor.extract %arg0[%c1] : tensor<2xi64>
// CHECK: %[[S:.*]] = arith.index_cast %[[N]] : i64 to index
// CHECK: %[[E:.*]] = tensor.empty(%[[S]]) : tensor<3x?xi32>
// CHECK: linalg.fill ins(%[[V]] : i32) outs(%[[E]] : tensor<3x?xi32>)
func.func @constant_of_shape(%s: tensor<2xi64>) -> tensor<3x?xi32> {
  %r = tfm.constant_of_shape %s {value = dense<7> : tensor<1xi32>} : (tensor<2xi64>) -> tensor<3x?xi32>
  return %r : tensor<3x?xi32>
}

// -----

// Static unit dims that stretch are collapsed away, then broadcast.
// CHECK-LABEL: func.func @expand
// CHECK: %[[C:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1, 2]] : tensor<1x1x?xf32> into tensor<?xf32>
// CHECK: %[[E:.*]] = tensor.empty(%{{.*}}, %{{.*}}) : tensor<?x4x?xf32>
// CHECK: linalg.broadcast ins(%[[C]] : tensor<?xf32>) outs(%[[E]] : tensor<?x4x?xf32>) dimensions = [0, 1]
func.func @expand(%x: tensor<1x1x?xf32, #tfm.dims<["s"]>>, %m: tensor<?x4x?xf32, #tfm.dims<["b", "s"]>>) -> tensor<?x4x?xf32, #tfm.dims<["b", "s"]>> {
  %shape = tfm.shape %m : (tensor<?x4x?xf32, #tfm.dims<["b", "s"]>>) -> tensor<3xi64>
  %r = tfm.expand %x, %shape : (tensor<1x1x?xf32, #tfm.dims<["s"]>>, tensor<3xi64>) -> tensor<?x4x?xf32, #tfm.dims<["b", "s"]>>
  return %r : tensor<?x4x?xf32, #tfm.dims<["b", "s"]>>
}

// -----

// A dynamic input dim that may be 1 at run time is read at a computed index.
// CHECK-LABEL: func.func @expand_maybe_one
// CHECK: linalg.generic
// CHECK: arith.cmpi eq, %{{.*}}, %c1
// CHECK: tensor.extract %arg0
func.func @expand_maybe_one(%x: tensor<?xf32>, %shape: tensor<2xi64>) -> tensor<?x?xf32> {
  %r = tfm.expand %x, %shape : (tensor<?xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @tile
// CHECK: %[[E:.*]] = tensor.empty(%{{.*}}) : tensor<2x?x1x3xf32>
// CHECK: %[[B:.*]] = linalg.broadcast ins(%arg0 : tensor<?x3xf32>) outs(%[[E]] : tensor<2x?x1x3xf32>) dimensions = [0, 2]
// CHECK: tensor.collapse_shape %[[B]] {{\[}}[0, 1], [2, 3]] : tensor<2x?x1x3xf32> into tensor<?x3xf32>
func.func @tile(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %r = tfm.constant dense<[2, 1]> : tensor<2xi64>
  %t = tfm.tile %x, %r : (tensor<?x3xf32>, tensor<2xi64>) -> tensor<?x3xf32>
  return %t : tensor<?x3xf32>
}

// -----

// Constant mode crops negative pads, then pads with tensor.pad.
// CHECK-LABEL: func.func @pad_constant
// CHECK: %[[S:.*]] = tensor.extract_slice %arg0[0, 1] [4, 4] [1, 1] : tensor<4x5xf32> to tensor<4x4xf32>
// CHECK: %[[V:.*]] = tensor.extract %arg1[] : tensor<f32>
// CHECK: tensor.pad %[[S]] low[1, 0] high[2, 0]
// CHECK: tensor.yield %[[V]] : f32
// CHECK: } : tensor<4x4xf32> to tensor<7x4xf32>
func.func @pad_constant(%x: tensor<4x5xf32>, %v: tensor<f32>) -> tensor<7x4xf32> {
  %p = tfm.constant dense<[1, -1, 2, 0]> : tensor<4xi64>
  %r = tfm.pad %x, %p value %v : (tensor<4x5xf32>, tensor<4xi64>, tensor<f32>) -> tensor<7x4xf32>
  return %r : tensor<7x4xf32>
}

// -----

// Reflect reads position o - low, folded into [0, n) by a triangle wave.
// CHECK-LABEL: func.func @pad_reflect
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<4x7xf32>)
// CHECK: %[[I:.*]] = linalg.index 0
// CHECK: %[[J:.*]] = linalg.index 1
// CHECK: arith.subi %[[J]], %c2
// CHECK: arith.remsi %{{.*}}, %c8
// CHECK: tensor.extract %arg0[%[[I]], %{{.*}}] : tensor<4x5xf32>
func.func @pad_reflect(%x: tensor<4x5xf32>) -> tensor<4x7xf32> {
  %p = tfm.constant dense<[0, 2, 0, 0]> : tensor<4xi64>
  %r = tfm.pad %x, %p {mode = "reflect"} : (tensor<4x5xf32>, tensor<4xi64>) -> tensor<4x7xf32>
  return %r : tensor<4x7xf32>
}

// -----

// The length max(ceil((limit - start) / delta), 0) is known at run time.
// CHECK-LABEL: func.func @range
// CHECK: %[[N:.*]] = arith.ceildivsi
// CHECK: %[[I:.*]] = arith.index_cast %[[N]] : i32 to index
// CHECK: %[[L:.*]] = arith.maxsi %[[I]], %c0
// CHECK: %[[E:.*]] = tensor.empty(%[[L]]) : tensor<?xi32>
// CHECK: linalg.generic
// CHECK: linalg.index 0
// CHECK: arith.muli
// CHECK: arith.addi
func.func @range(%s: tensor<i32>, %l: tensor<i32>, %d: tensor<i32>) -> tensor<?xi32> {
  %r = tfm.range %s, %l, %d : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// -----

// CHECK-LABEL: func.func @trilu
// CHECK: %[[K:.*]] = arith.index_cast
// CHECK: linalg.generic
// CHECK: %[[R:.*]] = linalg.index 1
// CHECK: %[[C:.*]] = linalg.index 2
// CHECK: %[[D:.*]] = arith.subi %[[C]], %[[R]]
// CHECK: %[[KEEP:.*]] = arith.cmpi sle, %[[D]], %[[K]]
// CHECK: arith.select %[[KEEP]]
func.func @trilu(%x: tensor<2x3x4xi64>, %k: tensor<i64>) -> tensor<2x3x4xi64> {
  %r = tfm.trilu %x k %k {upper = 0 : si64} : (tensor<2x3x4xi64>, tensor<i64>) -> tensor<2x3x4xi64>
  return %r : tensor<2x3x4xi64>
}

// -----

// Inference Dropout passes its input through with an all-true mask.
// CHECK-LABEL: func.func @dropout
// CHECK: %[[T:.*]] = arith.constant true
// CHECK: %[[E:.*]] = tensor.empty(%{{.*}}) : tensor<?x3xi1>
// CHECK: %[[M:.*]] = linalg.fill ins(%[[T]] : i1) outs(%[[E]] : tensor<?x3xi1>)
// CHECK: return %arg0, %[[M]]
func.func @dropout(%x: tensor<?x3xf32>, %r: tensor<f32>) -> (tensor<?x3xf32>, tensor<?x3xi1>) {
  %y, %m = tfm.dropout %x ratio %r : (tensor<?x3xf32>, tensor<f32>) -> (tensor<?x3xf32>, tensor<?x3xi1>)
  return %y, %m : tensor<?x3xf32>, tensor<?x3xi1>
}

// -----

// Training mode draws the keep mask from the runtime into a fresh buffer and
// scales the kept values by 1 / (1 - ratio); ratio is 0 when not training.
// CHECK-LABEL: func.func @dropout_training
// CHECK: arith.select
// CHECK: memref.alloc() : memref<3xi8>
// CHECK: call @tfmrt_dropout_mask
// CHECK: bufferization.to_tensor
// CHECK: linalg.generic
func.func @dropout_training(%x: tensor<3xf32>, %t: tensor<i1>) -> tensor<3xf32> {
  %y = tfm.dropout %x training %t : (tensor<3xf32>, tensor<i1>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}
