// RUN: tfmc-opt %s --tfm-to-linalg --split-input-file | FileCheck %s

// Reduced dims leave the output map; keepdims restores them with
// tensor.expand_shape.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<3x5xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0 : tensor<3x4x5xf32>) outs(%[[INIT]] : tensor<3x5xf32>)
// CHECK: arith.addf
// CHECK: tensor.expand_shape %[[SUM]] {{\[}}[0, 1], [2]] output_shape [3, 1, 5] : tensor<3x5xf32> into tensor<3x1x5xf32>
func.func @reduce_sum_keepdims(%x: tensor<3x4x5xf32>) -> tensor<3x1x5xf32> {
  %axes = tfm.constant dense<1> : tensor<1xi64>
  %r = tfm.reduce_sum %x axes %axes : (tensor<3x4x5xf32>, tensor<1xi64>) -> tensor<3x1x5xf32>
  return %r : tensor<3x1x5xf32>
}

// -----

// f16 accumulates in f32; the mean divides by the dynamic reduced size.
// CHECK-LABEL: func.func @reduce_mean_f16
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%arg0 : tensor<?x8xf16>) outs(%{{.*}} : tensor<8xf32>)
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: %[[N:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x8xf16>
// CHECK: %[[N64:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK: %[[COUNT:.*]] = arith.uitofp %[[N64]] : i64 to f32
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<8xf32>) outs(%{{.*}} : tensor<8xf16>)
// CHECK: arith.divf %{{.*}}, %[[COUNT]] : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @reduce_mean_f16(%x: tensor<?x8xf16, #tfm.dims<["n"]>>) -> tensor<8xf16> {
  %axes = tfm.constant dense<0> : tensor<1xi64>
  %r = tfm.reduce_mean %x axes %axes {keepdims = 0 : si64} : (tensor<?x8xf16, #tfm.dims<["n"]>>, tensor<1xi64>) -> tensor<8xf16>
  return %r : tensor<8xf16>
}

// -----

// Runtime axes: an i1 per dim from a loop over the axes, each dim reduced
// under scf.if, then a tensor.reshape drops the reduced dims.
// CHECK-LABEL: func.func @reduce_max_runtime_axes
// CHECK: %[[MASK:.*]]:2 = scf.for {{.*}} iter_args({{.*}}) -> (i1, i1)
// CHECK: tensor.extract %arg1
// CHECK: %[[R0:.*]] = scf.if %{{.*}} -> (tensor<?x4xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK: arith.maximumf
// CHECK: } else {
// CHECK: %[[R1:.*]] = scf.if %{{.*}} -> (tensor<?x?xf32>)
// CHECK: %[[SHAPE:.*]] = tensor.from_elements %{{.*}} : tensor<1xindex>
// CHECK: tensor.reshape %[[R1]](%[[SHAPE]]) : (tensor<?x?xf32>, tensor<1xindex>) -> tensor<?xf32>
func.func @reduce_max_runtime_axes(%x: tensor<3x4xf32>, %axes: tensor<1xi64>) -> tensor<?xf32> {
  %r = tfm.reduce_max %x axes %axes {keepdims = 0 : si64} : (tensor<3x4xf32>, tensor<1xi64>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// A statically empty axes tensor reduces everything.
// CHECK-LABEL: func.func @reduce_prod_all
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]} ins(%arg0 : tensor<2x3xi32>) outs(%{{.*}} : tensor<i32>)
// CHECK: arith.muli
// CHECK: tensor.expand_shape %{{.*}} [] output_shape [1, 1] : tensor<i32> into tensor<1x1xi32>
func.func @reduce_prod_all(%x: tensor<2x3xi32>, %axes: tensor<0xi64>) -> tensor<1x1xi32> {
  %r = tfm.reduce_prod %x axes %axes : (tensor<2x3xi32>, tensor<0xi64>) -> tensor<1x1xi32>
  return %r : tensor<1x1xi32>
}

// -----

// One generic carries (value, index); select_last_index prefers later
// indices on ties.
// CHECK-LABEL: func.func @arg_max_last
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<3x4xi32>) outs(%{{.*}}, %{{.*}} : tensor<3xi32>, tensor<3xi64>)
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: arith.cmpi sgt, %{{.*}}, %{{.*}} : i32
// CHECK: arith.cmpi sgt, %{{.*}}, %{{.*}} : i64
// CHECK: return %[[R]]#1 : tensor<3xi64>
func.func @arg_max_last(%x: tensor<3x4xi32>) -> tensor<3xi64> {
  %r = tfm.arg_max %x {axis = 1 : si64, keepdims = 0 : si64, select_last_index = 1 : si64} : (tensor<3x4xi32>) -> tensor<3xi64>
  return %r : tensor<3xi64>
}

// -----

// k selection passes, each after the previous pick, inserted at column j.
// CHECK-LABEL: func.func @top_k
// CHECK: %[[K:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: %[[V:.*]] = tensor.empty(%[[K]]) : tensor<3x?xf32>
// CHECK: %[[I:.*]] = tensor.empty(%[[K]]) : tensor<3x?xi64>
// CHECK: %[[LOOP:.*]]:4 = scf.for %[[J:.*]] = %{{.*}} to %[[K]] step %{{.*}} iter_args(%[[VA:.*]] = %[[V]], %[[IA:.*]] = %[[I]], %[[PV:.*]] = %{{.*}}, %[[PI:.*]] = %{{.*}})
// CHECK: %[[BEST:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%arg0, %[[PV]], %[[PI]] : tensor<3x4xf32>, tensor<3xf32>, tensor<3xi64>)
// CHECK: tensor.insert_slice %[[BEST]]#0 into %[[VA]][0, %[[J]]] [3, 1] [1, 1] : tensor<3xf32> into tensor<3x?xf32>
// CHECK: tensor.insert_slice %[[BEST]]#1 into %[[IA]][0, %[[J]]] [3, 1] [1, 1] : tensor<3xi64> into tensor<3x?xi64>
// CHECK: linalg.copy ins(%[[BEST]]#0 : tensor<3xf32>) outs(%[[PV]] : tensor<3xf32>)
// CHECK: return %[[LOOP]]#0, %[[LOOP]]#1
func.func @top_k(%x: tensor<3x4xf32>, %k: tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>) {
  %v, %i = tfm.top_k %x, %k {axis = 1 : si64} : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x?xf32>, tensor<3x?xi64>)
  return %v, %i : tensor<3x?xf32>, tensor<3x?xi64>
}

// -----

// A runtime axis switches between one running-sum loop per axis; exclusive
// inserts the sum before adding the slice.
// CHECK-LABEL: func.func @cum_sum_runtime_axis
// CHECK: %[[R:.*]] = scf.index_switch %{{.*}} -> tensor<2x3xf64>
// CHECK: case 0 {
// CHECK: scf.for {{.*}} -> (tensor<2x3xf64>, tensor<3xf64>)
// CHECK: tensor.extract_slice %arg0[%{{.*}}, 0] [1, 3] [1, 1] : tensor<2x3xf64> to tensor<3xf64>
// CHECK: tensor.insert_slice
// CHECK: linalg.generic
// CHECK: default {
// CHECK: tensor.extract_slice %arg0[0, %{{.*}}] [2, 1] [1, 1] : tensor<2x3xf64> to tensor<2xf64>
// CHECK: return %[[R]]
func.func @cum_sum_runtime_axis(%x: tensor<2x3xf64>, %axis: tensor<i32>) -> tensor<2x3xf64> {
  %r = tfm.cum_sum %x, %axis {exclusive = 1 : si64} : (tensor<2x3xf64>, tensor<i32>) -> tensor<2x3xf64>
  return %r : tensor<2x3xf64>
}

// -----

// max, then the sum of exp(x - max), then the normalized values.
// CHECK-DAG: #[[FULL:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[FULL]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[FULL]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%arg0, %[[MAX]] : tensor<2x?xf32>, tensor<2xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: %[[N:.*]] = tensor.dim %arg0, %{{.*}} : tensor<2x?xf32>
// CHECK: %[[INIT:.*]] = tensor.empty(%[[N]]) : tensor<2x?xf32>
// CHECK: linalg.generic {indexing_maps = [#[[FULL]], #[[ROW]], #[[ROW]], #[[FULL]]], iterator_types = ["parallel", "parallel"]} ins(%arg0, %[[MAX]], %[[SUM]] : {{.*}}) outs(%[[INIT]] : tensor<2x?xf32>)
// CHECK: %[[INV:.*]] = arith.divf %{{.*}}, %{{.*}} : f32
// CHECK: %[[E:.*]] = math.exp
// CHECK: arith.mulf %[[E]], %[[INV]] : f32
func.func @softmax(%x: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %r = tfm.softmax %x : (tensor<2x?xf32>) -> tensor<2x?xf32>
  return %r : tensor<2x?xf32>
}

// -----

// CHECK-LABEL: func.func @log_softmax
// CHECK: iterator_types = ["reduction", "parallel"]
// CHECK: iterator_types = ["reduction", "parallel"]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: %[[LOG:.*]] = math.log
// CHECK: arith.subf %{{.*}}, %[[LOG]] : f32
func.func @log_softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %r = tfm.log_softmax %x {axis = 0 : si64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %r : tensor<2x5xf32>
}
