// RUN: tfmc-opt %s --tfm-to-linalg --split-input-file | FileCheck %s

// Static broadcasting: the [3] operand is read along the last loop, and the
// size-1 dim of the [2,1] operand at index 0.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @add_static_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[ROW]], #[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%arg0, %arg1 : tensor<3xf32>, tensor<2x1xf32>) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: arith.addf
func.func @add_static_broadcast(%a: tensor<3xf32>, %b: tensor<2x1xf32>) -> tensor<2x3xf32> {
  %0 = tfm.add %a, %b : (tensor<3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Dynamic dims with the result's own symbols need no run-time broadcast:
// the sizes come from the operand that has them.
// CHECK-LABEL: func.func @mul_same_symbols
// CHECK-NOT: tensor.generate
// CHECK: %[[B:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[S:.*]] = tensor.dim %arg0, %c1
// CHECK: tensor.empty(%[[B]], %[[S]]) : tensor<?x?xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<?x?xf32>, tensor<?x?xf32>)
func.func @mul_same_symbols(%a: tensor<?x?xf32, #tfm.dims<["b", "s"]>>, %b: tensor<?x?xf32, #tfm.dims<["b", "s"]>>) -> tensor<?x?xf32, #tfm.dims<["b", "s"]>> {
  %0 = tfm.mul %a, %b : (tensor<?x?xf32, #tfm.dims<["b", "s"]>>, tensor<?x?xf32, #tfm.dims<["b", "s"]>>) -> tensor<?x?xf32, #tfm.dims<["b", "s"]>>
  return %0 : tensor<?x?xf32, #tfm.dims<["b", "s"]>>
}

// -----

// A dynamic dim ("C") against a static 768 may be 1 at run time: the operand
// is spread to 768 values first, reading index 0 when it holds one.
// CHECK-LABEL: func.func @mul_broadcast_at_run_time
// CHECK: %[[LEN:.*]] = tensor.dim %arg1, %c0 : tensor<?xf32>
// CHECK: %[[ONE:.*]] = arith.cmpi eq, %[[LEN]], %c1
// CHECK: %[[SPREAD:.*]] = tensor.generate {
// CHECK: arith.select %[[ONE]]
// CHECK: } : tensor<768xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[SPREAD]] : tensor<4x768xf32>, tensor<768xf32>)
func.func @mul_broadcast_at_run_time(%a: tensor<4x768xf32>, %b: tensor<?xf32, #tfm.dims<["C"]>>) -> tensor<4x768xf32> {
  %0 = tfm.mul %a, %b : (tensor<4x768xf32>, tensor<?xf32, #tfm.dims<["C"]>>) -> tensor<4x768xf32>
  return %0 : tensor<4x768xf32>
}

// -----

// Two different symbols: the result's size is the larger, and each operand
// whose size may be 1 there is spread to it.
// CHECK-LABEL: func.func @add_unrelated_symbols
// CHECK: %[[T:.*]] = tensor.dim %arg0, %c1
// CHECK: %[[U:.*]] = tensor.dim %arg1, %c1
// CHECK: %[[MAX:.*]] = arith.maxui %[[T]], %[[U]] : index
// CHECK: %[[A:.*]] = tensor.generate %[[MAX]]
// CHECK: %[[B:.*]] = tensor.generate %[[MAX]]
// CHECK: tensor.empty(%[[MAX]]) : tensor<2x?xf32>
// CHECK: linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<2x?xf32>, tensor<2x?xf32>)
func.func @add_unrelated_symbols(%a: tensor<2x?xf32, #tfm.dims<["t"]>>, %b: tensor<2x?xf32, #tfm.dims<["u"]>>) -> tensor<2x?xf32> {
  %0 = tfm.add %a, %b : (tensor<2x?xf32, #tfm.dims<["t"]>>, tensor<2x?xf32, #tfm.dims<["u"]>>) -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}
