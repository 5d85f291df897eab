// RUN: tfmc-opt %s --tfm-to-linalg --split-input-file | FileCheck %s

// numpy matmul: loops (batch, m, n, k); the dynamic batch comes from a.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul_batch
// CHECK: %[[B0:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x3x4xf32>
// CHECK: %[[E:.*]] = tensor.empty(%[[B0]]) : tensor<?x3x5xf32>
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<?x3x5xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%arg0, %arg1 : {{.*}}) outs(%[[Z]] : tensor<?x3x5xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @matmul_batch(%a: tensor<?x3x4xf32, #tfm.dims<["b"]>>, %b: tensor<4x5xf32>) -> tensor<?x3x5xf32, #tfm.dims<["b"]>> {
  %r = tfm.matmul %a, %b : (tensor<?x3x4xf32, #tfm.dims<["b"]>>, tensor<4x5xf32>) -> tensor<?x3x5xf32, #tfm.dims<["b"]>>
  return %r : tensor<?x3x5xf32, #tfm.dims<["b"]>>
}

// -----

// Two vectors: a dot product into a 0-D result.
// CHECK-DAG: #[[V:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[S:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @matmul_vectors
// CHECK: linalg.generic {indexing_maps = [#[[V]], #[[V]], #[[S]]], iterator_types = ["reduction"]}
func.func @matmul_vectors(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<f32> {
  %r = tfm.matmul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// Transposed operands are copied row-major first and the product starts
// from zero (the form the runtime's matmul kernel takes); alpha and beta * C
// (broadcast) apply afterwards in one elementwise generic.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[BIAS:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @gemm
// CHECK: %[[AT:.*]] = linalg.transpose ins(%arg0 : tensor<4x?xf32>) outs(%{{.*}} : tensor<?x4xf32>) permutation = [1, 0]
// CHECK: %[[BT:.*]] = linalg.transpose ins(%arg1 : tensor<5x4xf32>) outs(%{{.*}} : tensor<4x5xf32>) permutation = [1, 0]
// CHECK: %[[ZERO:.*]] = linalg.fill
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[B]], {{.*}}], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[AT]], %[[BT]] : tensor<?x4xf32>, tensor<4x5xf32>) outs(%[[ZERO]] : tensor<?x5xf32>)
// CHECK: linalg.generic {indexing_maps = [{{.*}}, #[[BIAS]], {{.*}}], iterator_types = ["parallel", "parallel"]} ins(%[[P]], %arg2 : tensor<?x5xf32>, tensor<1x5xf32>)
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: arith.addf
func.func @gemm(%a: tensor<4x?xf32>, %b: tensor<5x4xf32>, %c: tensor<1x5xf32>) -> tensor<?x5xf32> {
  %r = tfm.gemm %a, %b bias %c {alpha = 2.500000e-01 : f32, beta = 3.500000e-01 : f32, transA = 1 : si64, transB = 1 : si64} : (tensor<4x?xf32>, tensor<5x4xf32>, tensor<1x5xf32>) -> tensor<?x5xf32>
  return %r : tensor<?x5xf32>
}

// -----

// Constant weights with transB (nn.Linear's export) are transposed at
// compile time: the product reads a [K, N] constant, with no copy per run.
// CHECK-LABEL: func.func @gemm_constant_weights
// CHECK-NOT: linalg.transpose
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-NOT: linalg.transpose
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[W]] : tensor<4x3xf32>, tensor<3x2xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: return
func.func @gemm_constant_weights(%a: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = tfm.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %r = tfm.gemm %a, %w {transB = 1 : si64} : (tensor<4x3xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

// CHECK-LABEL: func.func @gemm_int
// CHECK: linalg.fill ins(%{{.*}} : i32)
// CHECK: linalg.generic
// CHECK: arith.muli
// CHECK-NEXT: arith.addi
func.func @gemm_int(%a: tensor<2x3xi32>, %b: tensor<3x4xi32>) -> tensor<2x4xi32> {
  %r = tfm.gemm %a, %b : (tensor<2x3xi32>, tensor<3x4xi32>) -> tensor<2x4xi32>
  return %r : tensor<2x4xi32>
}

// -----

// Zero points are read in the generic: a's per row, b's as a scalar; ui8
// extends unsigned, i8 signed.
// CHECK-DAG: #[[ROWS:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1, d2) -> ()>
// CHECK-LABEL: func.func @matmul_integer
// CHECK-NOT: tensor.generate
// CHECK: linalg.generic {indexing_maps = [{{.*}}, {{.*}}, #[[ROWS]], #[[SCALAR]], {{.*}}], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg1, %arg2, %arg3 : tensor<?x4xi8>, tensor<4x3xi8>, tensor<?xi8>, tensor<i8>) outs(%{{.*}} : tensor<?x3xi32>)
// CHECK: ^bb0(%[[A:.*]]: i8, %[[B:.*]]: i8, %[[AZ:.*]]: i8, %[[BZ:.*]]: i8, %[[ACC:.*]]: i32):
// CHECK-DAG: arith.extsi %[[B]] : i8 to i32
// CHECK-DAG: arith.extsi %[[BZ]] : i8 to i32
// CHECK-DAG: arith.extui %[[A]] : i8 to i32
// CHECK-DAG: arith.extui %[[AZ]] : i8 to i32
// CHECK: arith.muli
// CHECK: arith.addi %[[ACC]]
func.func @matmul_integer(%a: tensor<?x4xui8, #tfm.dims<["m"]>>, %b: tensor<4x3xi8>, %az: tensor<?xui8, #tfm.dims<["m"]>>, %bz: tensor<i8>) -> tensor<?x3xi32, #tfm.dims<["m"]>> {
  %r = tfm.matmul_integer %a, %b a_zero_point %az b_zero_point %bz : (tensor<?x4xui8, #tfm.dims<["m"]>>, tensor<4x3xi8>, tensor<?xui8, #tfm.dims<["m"]>>, tensor<i8>) -> tensor<?x3xi32, #tfm.dims<["m"]>>
  return %r : tensor<?x3xi32, #tfm.dims<["m"]>>
}

// -----

// A zero point of a length only known at run time ([C] against 3 columns:
// C is 1 or 3) is spread to one value per column first, reading index 0
// where it holds one.
// CHECK-LABEL: func.func @matmul_integer_zero_point_length_at_run_time
// CHECK: %[[LEN:.*]] = tensor.dim %arg2, %{{.*}} : tensor<?xi8>
// CHECK: %[[ONE:.*]] = arith.cmpi eq, %[[LEN]], %c1
// CHECK: %[[SPREAD:.*]] = tensor.generate {
// CHECK: ^bb0(%[[I:.*]]: index):
// CHECK: %[[AT:.*]] = arith.select %[[ONE]], %{{.*}}, %[[I]] : index
// CHECK: tensor.extract %arg2[%[[AT]]] : tensor<?xi8>
// CHECK: } : tensor<3xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1, %[[SPREAD]] : tensor<2x4xi8>, tensor<4x3xi8>, tensor<3xi8>)
func.func @matmul_integer_zero_point_length_at_run_time(%a: tensor<2x4xui8>, %b: tensor<4x3xi8>, %bz: tensor<?xi8, #tfm.dims<["C"]>>) -> tensor<2x3xi32> {
  %r = tfm.matmul_integer %a, %b b_zero_point %bz : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<?xi8, #tfm.dims<["C"]>>) -> tensor<2x3xi32>
  return %r : tensor<2x3xi32>
}

// -----

// A repeated label reads the diagonal; the ellipsis is a loop of its own.
// CHECK-DAG: #[[DIAG:.*]] = affine_map<(d0, d1) -> (d0, d1, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @einsum_batch_diagonal
// CHECK: linalg.generic {indexing_maps = [#[[DIAG]], #[[OUT]]], iterator_types = ["parallel", "parallel"]} ins(%arg0 : tensor<3x5x5xf64>) outs(%{{.*}} : tensor<3x5xf64>)
func.func @einsum_batch_diagonal(%x: tensor<3x5x5xf64>) -> tensor<3x5xf64> {
  %r = tfm.einsum %x {equation = "...ii ->...i"} : (tensor<3x5x5xf64>) -> tensor<3x5xf64>
  return %r : tensor<3x5xf64>
}

// -----

// Implicit output: the labels used once, sorted; the rest reduce.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @einsum_implicit
// CHECK: %[[M:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x4xf32>
// CHECK: tensor.empty(%[[M]]) : tensor<?x5xf32>
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]}
func.func @einsum_implicit(%a: tensor<?x4xf32>, %b: tensor<4x5xf32>) -> tensor<?x5xf32> {
  %r = tfm.einsum %a, %b {equation = "ij,jk"} : (tensor<?x4xf32>, tensor<4x5xf32>) -> tensor<?x5xf32>
  return %r : tensor<?x5xf32>
}
