// RUN: tfmc-opt %s --tfm-to-linalg --split-input-file | FileCheck %s
// RUN: tfmc-opt %s --tfm-to-linalg=dense-attention-bytes=0 --split-input-file | FileCheck %s --check-prefix=BLOCKED

// Small static logits are held at once: a key head's query heads stacked as
// rows ([B, kvH, G*S, D] = [2, 2, 6, 16]), Q K^T and P V as batched matrix
// products over (b, kh, m, n, k), the mask and softmax as whole-tensor
// passes over (b, kh, g, s, t); no loop is left for the blocked kernel.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @attention_dense
// CHECK-NOT: scf.for
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3], [4]] : tensor<2x2x2x3x16xf32> into tensor<2x2x6x16xf32>
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<2x2x6x16xf32>, tensor<2x2x16x3xf32>)
// CHECK: tensor.expand_shape %{{.*}} : tensor<2x2x6x3xf32> into tensor<2x2x2x3x3xf32>
// CHECK: math.exp
// CHECK: %[[INV:.*]] = arith.divf %{{.*}}, %{{.*}} : f32
// CHECK: arith.mulf %{{.*}}, %[[INV]] : f32
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], {{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x2x6x3xf32>, tensor<2x2x3x16xf32>)
// CHECK-NOT: scf.for
// CHECK: return
// BLOCKED-LABEL: func.func @attention_dense
// BLOCKED: scf.for
func.func @attention_dense(%q: tensor<2x3x64xf32>, %k: tensor<2x3x32xf32>, %v: tensor<2x3x32xf32>, %m: tensor<2x3xi32>) -> tensor<2x3x64xf32> {
  %o = tfm.attention %q, %k, %v mask %m {mask_kind = #tfm<mask_kind key_padding>, num_heads = 4 : si64, kv_num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x3x64xf32>, tensor<2x3x32xf32>, tensor<2x3x32xf32>, tensor<2x3xi32>) -> tensor<2x3x64xf32>
  return %o : tensor<2x3x64xf32>
}

// -----

// Dynamic sizes decide at run time on the logits' bytes (8 MiB by default):
// both lowerings are built, the dense one first.
// CHECK-LABEL: func.func @attention_dynamic
// CHECK: %[[FITS:.*]] = arith.cmpi ule, %{{.*}}, %c8388608 : index
// CHECK: scf.if %[[FITS]] -> (tensor<?x?x2x1x16xf32>)
// CHECK: tensor.collapse_shape
// CHECK: } else {
// CHECK: scf.for
// BLOCKED-LABEL: func.func @attention_dynamic
// BLOCKED-NOT: scf.if
func.func @attention_dynamic(%q: tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>, %k: tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>, %v: tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>) -> tensor<?x?x32xf32, #tfm.dims<["b", "s"]>> {
  %o = tfm.attention %q, %k, %v {num_heads = 2 : si64, kv_num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>, tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>, tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>) -> tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>
  return %o : tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>
}
