// RUN: tfmc-opt %s --tfm-to-linalg=row-kernels=1 --canonicalize --cse --split-input-file | FileCheck %s

// The norms as row kernels (what CUDA runs as one fused kernel): the rows
// ([2*s, 8]) in one scf.forall, each summed and summed in squares by f32
// loops, then normalized into its own row of the shared output; a [1] bias is
// broadcast along the row.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[BCAST:.*]] = affine_map<(d0) -> (0)>
// CHECK-LABEL: func.func @layer_norm_rows
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1], [2]] : tensor<2x?x8xf16> into tensor<?x8xf16>
// CHECK: scf.forall (%[[R:.*]]) in (%{{.*}}) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<?x8xf16>)
// CHECK: %[[DEST:.*]] = tensor.extract_slice %[[OUT]][%[[R]], 0] [1, 8] [1, 1]
// CHECK: %[[SUM:.*]] = scf.for {{.*}} -> (f32)
// CHECK: tensor.extract %[[ROWS]][%[[R]], %{{.*}}] : tensor<?x8xf16>
// CHECK: %[[MEAN:.*]] = arith.mulf %[[SUM]], %{{.*}} : f32
// CHECK: scf.for {{.*}} -> (f32)
// CHECK: arith.subf %{{.*}}, %[[MEAN]] : f32
// CHECK: math.sqrt
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[BCAST]], #[[ID]]], iterator_types = ["parallel"]} ins(%{{.*}}, %arg1, %arg2 : tensor<8xf16>, tensor<8xf16>, tensor<1xf16>) outs(%[[DEST]] : tensor<8xf16>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice %{{.*}} into %[[OUT]][%[[R]], 0] [1, 8] [1, 1]
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [2, %{{.*}}, 8] : tensor<?x8xf16> into tensor<2x?x8xf16>
func.func @layer_norm_rows(%x: tensor<2x?x8xf16, #tfm.dims<["s"]>>, %s: tensor<8xf16>, %b: tensor<1xf16>) -> tensor<2x?x8xf16, #tfm.dims<["s"]>> {
  %y = tfm.layer_norm %x, %s bias %b {epsilon = 1.0e-3 : f32, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x?x8xf16, #tfm.dims<["s"]>>, tensor<8xf16>, tensor<1xf16>) -> tensor<2x?x8xf16, #tfm.dims<["s"]>>
  return %y : tensor<2x?x8xf16, #tfm.dims<["s"]>>
}

// -----

// Mean and InvStdDev outputs: each row also writes its two f32 statistics
// into its element of [R] outputs, expanded to [n, 1] at the end.
// CHECK-LABEL: func.func @layer_norm_stats
// CHECK: scf.forall (%[[R:.*]]) in (%{{.*}}) shared_outs(%[[Y:.*]] = %{{.*}}, %[[M:.*]] = %{{.*}}, %[[I:.*]] = %{{.*}}) -> (tensor<?x8xf32>, tensor<?xf32>, tensor<?xf32>)
// CHECK: %[[MDEST:.*]] = tensor.extract_slice %[[M]][%[[R]]] [1] [1] : tensor<?xf32> to tensor<f32>
// CHECK: %[[IDEST:.*]] = tensor.extract_slice %[[I]][%[[R]]] [1] [1] : tensor<?xf32> to tensor<f32>
// CHECK: %[[MEAN:.*]] = arith.mulf
// CHECK: %[[INV:.*]] = arith.divf
// CHECK: tensor.insert %[[MEAN]] into %[[MDEST]][] : tensor<f32>
// CHECK: tensor.insert %[[INV]] into %[[IDEST]][] : tensor<f32>
// CHECK: scf.forall.in_parallel
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[M]][%[[R]]] [1] [1] : tensor<f32> into tensor<?xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [%{{.*}}, 1] : tensor<?xf32> into tensor<?x1xf32>
func.func @layer_norm_stats(%x: tensor<?x8xf32, #tfm.dims<["n"]>>, %s: tensor<8xf32>) -> (tensor<?x8xf32, #tfm.dims<["n"]>>, tensor<?x1xf32, #tfm.dims<["n"]>>, tensor<?x1xf32, #tfm.dims<["n"]>>) {
  %y, %m, %r = tfm.layer_norm %x, %s {resultSegmentSizes = array<i32: 1, 1, 1>} : (tensor<?x8xf32, #tfm.dims<["n"]>>, tensor<8xf32>) -> (tensor<?x8xf32, #tfm.dims<["n"]>>, tensor<?x1xf32, #tfm.dims<["n"]>>, tensor<?x1xf32, #tfm.dims<["n"]>>)
  return %y, %m, %r : tensor<?x8xf32, #tfm.dims<["n"]>>, tensor<?x1xf32, #tfm.dims<["n"]>>, tensor<?x1xf32, #tfm.dims<["n"]>>
}

// -----

// A norm over more than the last axis keeps the whole-tensor form.
// CHECK-LABEL: func.func @layer_norm_two_axes
// CHECK-NOT: scf.forall
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "reduction"]
// CHECK-NOT: scf.forall
// CHECK: return
func.func @layer_norm_two_axes(%x: tensor<2x3x8xf32>, %s: tensor<3x8xf32>) -> tensor<2x3x8xf32> {
  %y = tfm.layer_norm %x, %s {axis = 1 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x3x8xf32>, tensor<3x8xf32>) -> tensor<2x3x8xf32>
  return %y : tensor<2x3x8xf32>
}

// -----

// RMS: one loop per row, of squares only.
// CHECK-LABEL: func.func @rms_norm_rows
// CHECK: scf.forall (%{{.*}}) in (6) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<6x8xf32>)
// CHECK-COUNT-1: scf.for
// CHECK-NOT: scf.for
// CHECK: math.sqrt
// CHECK: scf.forall.in_parallel
func.func @rms_norm_rows(%x: tensor<2x3x8xf32>, %s: tensor<8xf32>) -> tensor<2x3x8xf32> {
  %y = tfm.rms_norm %x, %s {epsilon = 1.0e-6 : f32} : (tensor<2x3x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  return %y : tensor<2x3x8xf32>
}

// -----

// Attention as a row kernel: each row of [B*S*kvH*G, Dv] = [24, 16] is query
// s of head (kh, g) of sequence b, at ((b * S + s) * kvH + kh) * G + g; the
// loop's index i = ((b * kvH + kh) * G + g) * S + s puts one head's queries
// side by side, as neighbouring GPU threads. A row's loop over keys dots the
// query with key t, applies the scale and the padding mask, updates the
// running maximum and sum, and accumulates the value row into the row's own
// output; the row is normalized at the end.
// CHECK-LABEL: func.func @attention_rows
// CHECK: scf.forall (%[[I:.*]]) in (24) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<24x16xf32>)
// CHECK: %[[S:.*]] = arith.remui %[[I]], %c3 : index
// CHECK: %[[REST:.*]] = arith.divui %[[I]], %c3 : index
// CHECK: %[[G:.*]] = arith.remui %[[REST]], %c2 : index
// CHECK: %[[REST2:.*]] = arith.divui %[[REST]], %c2 : index
// CHECK: %[[KH:.*]] = arith.remui %[[REST2]], %c2 : index
// CHECK: %[[B:.*]] = arith.divui %[[REST2]], %c2 : index
// CHECK: %[[BS:.*]] = arith.muli %[[B]], %c3 : index
// CHECK: %[[ROW1:.*]] = arith.addi %[[BS]], %[[S]] : index
// CHECK: %[[ROW2:.*]] = arith.muli %[[ROW1]], %c2 : index
// CHECK: %[[ROW3:.*]] = arith.addi %[[ROW2]], %[[KH]] : index
// CHECK: %[[ROW4:.*]] = arith.muli %[[ROW3]], %c2 : index
// CHECK: %[[ROW:.*]] = arith.addi %[[ROW4]], %[[G]] : index
// CHECK: %[[DEST:.*]] = tensor.extract_slice %[[OUT]][%[[ROW]], 0] [1, 16] [1, 1]
// CHECK: %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[DEST]] : tensor<16xf32>)
// CHECK: %[[STATE:.*]]:3 = scf.for %[[T:.*]] = %c0 to %c3 step %c1 iter_args(%[[M:.*]] = %{{.*}}, %[[L:.*]] = %{{.*}}, %[[ACC:.*]] = %[[ZERO]]) -> (f32, f32, tensor<16xf32>)
// CHECK: scf.for {{.*}} -> (f32)
// CHECK: tensor.extract %{{.*}}[%[[B]], %[[S]], %[[KH]], %[[G]], %{{.*}}] : tensor<2x3x2x2x16xf32>
// CHECK: tensor.extract %{{.*}}[%[[B]], %[[KH]], %[[T]], %{{.*}}] : tensor<2x2x3x16xf32>
// CHECK: tensor.extract %arg3[%[[B]], %[[T]]] : tensor<2x3xi32>
// CHECK: %[[X:.*]] = arith.select
// CHECK: %[[MAX:.*]] = arith.maximumf %[[M]], %[[X]] : f32
// CHECK: math.exp
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} outs(%[[ACC]] : tensor<16xf32>)
// CHECK: scf.yield %[[MAX]], %{{.*}}, %{{.*}} : f32, f32, tensor<16xf32>
// CHECK: linalg.generic {{.*}} outs(%[[STATE]]#2 : tensor<16xf32>)
// CHECK: arith.divf %{{.*}}, %[[STATE]]#1 : f32
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice %{{.*}} into %[[OUT]][%[[ROW]], 0] [1, 16] [1, 1]
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1, 2, 3], [4]] output_shape [2, 3, 2, 2, 16] : tensor<24x16xf32> into tensor<2x3x2x2x16xf32>
func.func @attention_rows(%q: tensor<2x3x64xf32>, %k: tensor<2x3x32xf32>, %v: tensor<2x3x32xf32>, %m: tensor<2x3xi32>) -> tensor<2x3x64xf32> {
  %o = tfm.attention %q, %k, %v mask %m {mask_kind = #tfm<mask_kind key_padding>, num_heads = 4 : si64, kv_num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x3x64xf32>, tensor<2x3x32xf32>, tensor<2x3x32xf32>, tensor<2x3xi32>) -> tensor<2x3x64xf32>
  return %o : tensor<2x3x64xf32>
}
