// RUN: tfmc-opt %s --tfm-to-linalg=dense-attention-bytes=0 --split-input-file | FileCheck %s
// RUN: tfmc-opt %s --tfm-to-linalg=dense-attention-bytes=0 --split-input-file | FileCheck %s --check-prefix=BLOCKED

// Two reductions over the normalized dims (sum, then squared deviations from
// the mean) accumulate f16 in f32; the statistics come back as [N, 1] f32.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @layer_norm_stats
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<?x8xf16>) outs(%{{.*}} : tensor<?xf32>)
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<?xf32>)
// CHECK: %[[SQ:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%arg0, %[[MEAN]] : tensor<?x8xf16>, tensor<?xf32>)
// CHECK: arith.subf
// CHECK: %[[INV:.*]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<?xf32>)
// CHECK: arith.constant 1.000000e-03 : f32
// CHECK: math.sqrt
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[COL]], #[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%arg0, %[[MEAN]], %[[INV]], %arg1, %arg2 : {{.*}}) outs(%{{.*}} : tensor<?x8xf16>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: %[[M:.*]] = tensor.expand_shape %[[MEAN]] {{\[}}[0, 1]] output_shape [%{{.*}}, 1] : tensor<?xf32> into tensor<?x1xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[INV]] {{\[}}[0, 1]] output_shape [%{{.*}}, 1] : tensor<?xf32> into tensor<?x1xf32>
// CHECK: return %[[Y]], %[[M]], %[[R]]
func.func @layer_norm_stats(%x: tensor<?x8xf16, #tfm.dims<["n"]>>, %s: tensor<8xf16>, %b: tensor<8xf16>) -> (tensor<?x8xf16, #tfm.dims<["n"]>>, tensor<?x1xf32, #tfm.dims<["n"]>>, tensor<?x1xf32, #tfm.dims<["n"]>>) {
  %y, %m, %r = tfm.layer_norm %x, %s bias %b {epsilon = 1.0e-3 : f32, resultSegmentSizes = array<i32: 1, 1, 1>} : (tensor<?x8xf16, #tfm.dims<["n"]>>, tensor<8xf16>, tensor<8xf16>) -> (tensor<?x8xf16, #tfm.dims<["n"]>>, tensor<?x1xf32, #tfm.dims<["n"]>>, tensor<?x1xf32, #tfm.dims<["n"]>>)
  return %y, %m, %r : tensor<?x8xf16, #tfm.dims<["n"]>>, tensor<?x1xf32, #tfm.dims<["n"]>>, tensor<?x1xf32, #tfm.dims<["n"]>>
}

// -----

// Axis 0: the statistics are 0-d; a [3, 4] scale broadcasts over nothing.
// CHECK-LABEL: func.func @layer_norm_axis0
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]} ins(%arg0 : tensor<3x4xf32>) outs(%{{.*}} : tensor<f32>)
// CHECK: tensor.expand_shape %{{.*}} [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
func.func @layer_norm_axis0(%x: tensor<3x4xf32>, %s: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<1x1xf32>) {
  %y, %m = tfm.layer_norm %x, %s {axis = 0 : si64, resultSegmentSizes = array<i32: 1, 1, 0>} : (tensor<3x4xf32>, tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<1x1xf32>)
  return %y, %m : tensor<3x4xf32>, tensor<1x1xf32>
}

// -----

// RMS norm: one reduction of squares, no mean.
// CHECK-LABEL: func.func @rms_norm
// CHECK: %[[SQ:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0 : tensor<2x3x8xf32>) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[INV:.*]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<2x3xf32>)
// CHECK: math.sqrt
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[INV]], %arg1 : tensor<2x3x8xf32>, tensor<2x3xf32>, tensor<8xf32>) outs(%{{.*}} : tensor<2x3x8xf32>)
// CHECK-NOT: arith.subf
// CHECK: linalg.yield
func.func @rms_norm(%x: tensor<2x3x8xf32>, %s: tensor<8xf32>) -> tensor<2x3x8xf32> {
  %y = tfm.rms_norm %x, %s {epsilon = 1.0e-6 : f32} : (tensor<2x3x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  return %y : tensor<2x3x8xf32>
}

// -----

// SwiGLU: one elementwise generic, gate / (1 + exp(-gate)) * up; the f16
// operands compute in f32, and the up vector broadcasts over the rows.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @swiglu
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%arg0, %arg1 : tensor<4x8xf16>, tensor<8xf16>) outs(%{{.*}} : tensor<4x8xf16>)
// CHECK: ^bb0(%[[G:.*]]: f16, %[[U:.*]]: f16, %{{.*}}: f16):
// CHECK: %[[G32:.*]] = arith.extf %[[G]] : f16 to f32
// CHECK: %[[U32:.*]] = arith.extf %[[U]] : f16 to f32
// CHECK: %[[NEG:.*]] = arith.negf %[[G32]] : f32
// CHECK: %[[EXP:.*]] = math.exp %[[NEG]] : f32
// CHECK: %[[DEN:.*]] = arith.addf %{{.*}}, %[[EXP]] : f32
// CHECK: %[[SILU:.*]] = arith.divf %[[G32]], %[[DEN]] : f32
// CHECK: %[[Y:.*]] = arith.mulf %[[SILU]], %[[U32]] : f32
// CHECK: %[[OUT:.*]] = arith.truncf %[[Y]] : f32 to f16
// CHECK: linalg.yield %[[OUT]] : f16
func.func @swiglu(%g: tensor<4x8xf16>, %u: tensor<8xf16>) -> tensor<4x8xf16> {
  %y = tfm.swiglu %g, %u : (tensor<4x8xf16>, tensor<8xf16>) -> tensor<4x8xf16>
  return %y : tensor<4x8xf16>
}

// -----

// Interleaved pairs (2i, 2i+1) within heads of 8 in [B, S, H * D]; angles
// are gathered at the (clamped) positions.
// CHECK-LABEL: func.func @rotary_interleaved
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0 : tensor<?x?x16xf32>) outs(%{{.*}} : tensor<?x?x16xf32>)
// CHECK: %[[B:.*]] = linalg.index 0 : index
// CHECK: %[[S:.*]] = linalg.index 1 : index
// CHECK: %[[C:.*]] = linalg.index 2 : index
// CHECK: %[[F:.*]] = arith.remui %[[C]], %{{.*}} : index
// CHECK: arith.remui %[[F]]
// CHECK: %[[ANGLE:.*]] = arith.divui %[[F]]
// CHECK: tensor.extract %{{.*}}[%[[B]], %[[S]], %{{.*}}] : tensor<?x?x16xf32>
// CHECK: %[[P:.*]] = tensor.extract %arg1[%[[B]], %[[S]]] : tensor<?x?xi64>
// CHECK: arith.index_cast %[[P]] : i64 to index
// CHECK: arith.minsi
// CHECK: %[[POS:.*]] = arith.maxsi
// CHECK: tensor.extract %arg2[%[[POS]], %{{.*}}] : tensor<32x4xf32>
// CHECK: tensor.extract %arg3[%[[POS]], %{{.*}}] : tensor<32x4xf32>
// CHECK: arith.addf
// CHECK: arith.subf
func.func @rotary_interleaved(%x: tensor<?x?x16xf32, #tfm.dims<["b", "s"]>>, %pos: tensor<?x?xi64, #tfm.dims<["b", "s"]>>, %cos: tensor<32x4xf32>, %sin: tensor<32x4xf32>) -> tensor<?x?x16xf32, #tfm.dims<["b", "s"]>> {
  %y = tfm.rotary_embedding %x positions %pos cos %cos sin %sin {interleaved = true, num_heads = 2 : si64} : (tensor<?x?x16xf32, #tfm.dims<["b", "s"]>>, tensor<?x?xi64, #tfm.dims<["b", "s"]>>, tensor<32x4xf32>, tensor<32x4xf32>) -> tensor<?x?x16xf32, #tfm.dims<["b", "s"]>>
  return %y : tensor<?x?x16xf32, #tfm.dims<["b", "s"]>>
}

// -----

// Half-split pairs over the first 4 of 8 features of [B, H, S, D]; the
// [B, S, 2] caches are read at (b, s, i); f16 computes in f32.
// CHECK-LABEL: func.func @rotary_half_partial
// CHECK: %[[B:.*]] = linalg.index 0 : index
// CHECK: %[[S:.*]] = linalg.index 2 : index
// CHECK: %[[D:.*]] = linalg.index 3 : index
// CHECK: %[[ROT:.*]] = arith.cmpi ult, %[[D]], %{{.*}} : index
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: tensor.extract %arg1[%[[B]], %[[S]], %{{.*}}] : tensor<2x5x2xf16>
// CHECK: tensor.extract %arg2[%[[B]], %[[S]], %{{.*}}] : tensor<2x5x2xf16>
// CHECK: %[[Y:.*]] = arith.select %[[ROT]]
// CHECK: arith.truncf %[[Y]] : f32 to f16
func.func @rotary_half_partial(%x: tensor<2x3x5x8xf16>, %cos: tensor<2x5x2xf16>, %sin: tensor<2x5x2xf16>) -> tensor<2x3x5x8xf16> {
  %y = tfm.rotary_embedding %x cos %cos sin %sin {rotary_embedding_dim = 4 : si64} : (tensor<2x3x5x8xf16>, tensor<2x5x2xf16>, tensor<2x5x2xf16>) -> tensor<2x3x5x8xf16>
  return %y : tensor<2x3x5x8xf16>
}

// -----

// Grouped-query attention (4 query heads over 2 KV heads) with a KV cache,
// blocked: queries become [B, S, kvH, G, D]; keys and values [B, kvH, P + S, D]
// (the past, then the new ones) are also the present outputs, and the keys
// are transposed to [B, kvH, D, T]. One loop runs over the B * 4 heads, one
// over blocks of 64 queries and one over blocks of 64 keys, which ends at the
// block's causal limit P + s. A key block's logits [rows, cols] get the scale,
// ORT's -10000 for padded keys and the lowest float past P + s, and each row's
// maximum; then each row's running max m' and the factor exp(m - m') that
// rescales its running sum and output, the weights exp(x - m') with the new
// sums, and the output rows. They are divided by the sums after the last block.
// CHECK-DAG: #[[ROW_D:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[D_COL:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[ROW_COL:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[MASK:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @attention_gqa_cache
// CHECK: %[[Q:.*]] = tensor.expand_shape %arg0 {{\[}}[0], [1], [2, 3, 4]] output_shape [%{{.*}}, %{{.*}}, 2, 2, 16] : tensor<?x?x64xf32> into tensor<?x?x2x2x16xf32>
// CHECK: %[[K4:.*]] = tensor.expand_shape %arg1 {{\[}}[0], [1], [2, 3]] {{.*}} into tensor<?x?x2x16xf32>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[K4]] : tensor<?x?x2x16xf32>) outs(%{{.*}} : tensor<?x2x?x16xf32>) permutation = [0, 2, 1, 3]
// CHECK: %[[P:.*]] = tensor.dim %arg4, %{{.*}} : tensor<?x2x?x16xf32>
// CHECK: %[[KP:.*]] = tensor.insert_slice %arg4 into
// CHECK: %[[K:.*]] = tensor.insert_slice %[[KT]] into %[[KP]][0, 0, %[[P]], 0]
// CHECK: %[[KEYS:.*]] = linalg.transpose ins(%[[K]] : tensor<?x2x?x16xf32>) outs(%{{.*}} : tensor<?x2x16x?xf32>) permutation = [0, 1, 3, 2]
// CHECK: %[[V:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, %{{.*}}, 0]
// CHECK: %[[PAST:.*]] = tensor.dim %arg4, %{{.*}} : tensor<?x2x?x16xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[T:.*]] = tensor.dim %[[K]], %{{.*}} : tensor<?x2x?x16xf32>
// CHECK: tensor.dim %[[Q]], %{{.*}} : tensor<?x?x2x2x16xf32>
// CHECK: %[[S:.*]] = tensor.dim %[[Q]], %{{.*}} : tensor<?x?x2x2x16xf32>
// CHECK: %[[OUT0:.*]] = tensor.empty(%{{.*}}, %{{.*}}) : tensor<?x?x2x2x16xf32>
// CHECK: %[[HEADS:.*]] = arith.muli %{{.*}}, %{{.*}} : index
// CHECK: %[[RESULT:[^ ]+]] = scf.for %[[HEAD:[^ ]+]] = %{{.*}} to %[[HEADS]] step %{{.*}} iter_args(%{{.*}} = %[[OUT0]]) -> (tensor<?x?x2x2x16xf32>) {
// CHECK: %[[G:.*]] = arith.remui %[[HEAD]], %{{.*}} : index
// CHECK: %[[REST:.*]] = arith.divui %[[HEAD]], %{{.*}} : index
// CHECK: %[[KH:.*]] = arith.remui %[[REST]], %{{.*}} : index
// CHECK: %[[B:.*]] = arith.divui %[[REST]], %{{.*}} : index
// CHECK: scf.for %[[FIRST:[^ ]+]] = %{{.*}} to %[[S]] step %{{.*}} iter_args(%[[OUT:[^ ]+]] = %{{.*}}) -> (tensor<?x?x2x2x16xf32>) {
// CHECK: %[[ROWS:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK: %[[QBLOCK:.*]] = tensor.extract_slice %[[Q]][%[[B]], %[[FIRST]], %[[KH]], %[[G]], 0] [1, %[[ROWS]], 1, 1, 16] [1, 1, 1, 1, 1] : tensor<?x?x2x2x16xf32> to tensor<?x16xf32>
// CHECK: %[[QEND:.*]] = arith.addi %[[FIRST]], %[[ROWS]] : index
// CHECK: %[[LIMIT:.*]] = arith.addi %[[PAST]], %[[QEND]] : index
// CHECK: %[[END:.*]] = arith.minsi %[[LIMIT]], %[[T]] : index
// CHECK: %[[MAX0:.*]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.*}} : tensor<?xf32>)
// CHECK: %[[SUM0:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<?xf32>)
// CHECK: %[[ACC0:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<?x16xf32>)
// CHECK: %[[STATE:[^ :]+]]:3 = scf.for %[[KEY:[^ ]+]] = %{{.*}} to %[[END]] step %{{.*}} iter_args(%[[MAX:[^ ]+]] = %[[MAX0]], %[[SUM:[^ ]+]] = %[[SUM0]], %[[ACC:[^ ]+]] = %[[ACC0]]) -> (tensor<?xf32>, tensor<?xf32>, tensor<?x16xf32>) {
// CHECK: %[[COLS:.*]] = arith.minsi %{{.*}}, %{{.*}} : index
// CHECK: %[[KBLOCK:.*]] = tensor.extract_slice %[[KEYS]][%[[B]], %[[KH]], 0, %[[KEY]]] [1, 1, 16, %[[COLS]]] {{.*}} to tensor<16x?xf32>
// CHECK: %[[VBLOCK:.*]] = tensor.extract_slice %[[V]][%[[B]], %[[KH]], %[[KEY]], 0] [1, 1, %[[COLS]], 16] {{.*}} to tensor<?x16xf32>
// CHECK: tensor.empty(%[[ROWS]], %[[COLS]]) : tensor<?x?xf32>
// CHECK: %[[QK:.*]] = linalg.generic {indexing_maps = [#[[ROW_D]], #[[D_COL]], #[[ROW_COL]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[QBLOCK]], %[[KBLOCK]] : tensor<?x16xf32>, tensor<16x?xf32>) outs(%{{.*}} : tensor<?x?xf32>)
// CHECK: %[[MBLOCK:.*]] = tensor.extract_slice %arg3[%[[B]], %[[KEY]]] [1, %[[COLS]]] [1, 1] : tensor<?x?xi32> to tensor<1x?xi32>
// CHECK: %[[BLOCK_MAX0:.*]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.*}} : tensor<?xf32>)
// CHECK: %[[SCORED:[^ :]+]]:2 = linalg.generic {indexing_maps = [#[[MASK]], #[[ID2]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[MBLOCK]] : tensor<1x?xi32>) outs(%[[QK]], %[[BLOCK_MAX0]] : tensor<?x?xf32>, tensor<?xf32>)
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[QPOS:.*]] = arith.addi %[[FIRST]], %[[I]] : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[KPOS:.*]] = arith.addi %[[KEY]], %[[J]] : index
// CHECK: arith.constant -1.000000e+04 : f32
// CHECK: arith.cmpi sgt, %{{.*}}, %{{.*}} : i32
// CHECK: %[[CAUSAL:.*]] = arith.addi %[[PAST]], %[[QPOS]] : index
// CHECK: %[[HIDDEN:.*]] = arith.cmpi sgt, %[[KPOS]], %[[CAUSAL]] : index
// CHECK: %[[LOWEST:.*]] = arith.constant -3.40282347E+38 : f32
// CHECK: %[[LOGIT:.*]] = arith.select %[[HIDDEN]], %[[LOWEST]]
// CHECK: %[[BMAX:.*]] = arith.maximumf %{{.*}}, %[[LOGIT]] : f32
// CHECK: linalg.yield %[[LOGIT]], %[[BMAX]] : f32, f32
// CHECK: %[[UPDATE:[^ :]+]]:3 = linalg.generic {indexing_maps = [#[[ID1]], #[[ID1]], #[[ID1]], #[[ID1]]], iterator_types = ["parallel"]} ins(%[[SCORED]]#1 : tensor<?xf32>) outs(%[[MAX]], %[[SUM]], %{{.*}} : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>)
// CHECK: ^bb0(%[[BM:[^:]+]]: f32, %[[OLD:[^:]+]]: f32, %[[OLD_SUM:[^:]+]]: f32, %{{.*}}: f32):
// CHECK: %[[NEW:.*]] = arith.maximumf %[[OLD]], %[[BM]] : f32
// CHECK: %[[IS_INF:.*]] = arith.cmpf oeq, %[[NEW]], %[[NEG_INF]] : f32
// CHECK: %[[SAFE:.*]] = arith.select %[[IS_INF]], %[[ZERO]], %[[NEW]] : f32
// CHECK: %[[DIFF:.*]] = arith.subf %[[OLD]], %[[SAFE]] : f32
// CHECK: %[[RESCALE:.*]] = math.exp %[[DIFF]] : f32
// CHECK: %[[SCALED_SUM:.*]] = arith.mulf %[[OLD_SUM]], %[[RESCALE]] : f32
// CHECK: linalg.yield %[[NEW]], %[[SCALED_SUM]], %[[RESCALE]] : f32, f32, f32
// CHECK: %[[WEIGHTED:[^ :]+]]:2 = linalg.generic {indexing_maps = [#[[ROW]], #[[ID2]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[UPDATE]]#0 : tensor<?xf32>) outs(%[[SCORED]]#0, %[[UPDATE]]#1 : tensor<?x?xf32>, tensor<?xf32>)
// CHECK: %[[P:.*]] = math.exp
// CHECK: %[[NEXT_SUM:.*]] = arith.addf %{{.*}}, %[[P]] : f32
// CHECK: linalg.yield %[[P]], %[[NEXT_SUM]] : f32, f32
// CHECK: %[[SCALED_ACC:.*]] = linalg.generic {indexing_maps = [#[[ROW]], #[[ID2]]], {{.*}} ins(%[[UPDATE]]#2 : tensor<?xf32>) outs(%[[ACC]] : tensor<?x16xf32>)
// CHECK: %[[NEXT_ACC:.*]] = linalg.generic {indexing_maps = [#[[ROW_D]], #[[D_COL]], #[[ROW_COL]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[WEIGHTED]]#0, %[[VBLOCK]] : tensor<?x?xf32>, tensor<?x16xf32>) outs(%[[SCALED_ACC]] : tensor<?x16xf32>)
// CHECK: scf.yield %[[UPDATE]]#0, %[[WEIGHTED]]#1, %[[NEXT_ACC]] : tensor<?xf32>, tensor<?xf32>, tensor<?x16xf32>
// CHECK: %[[NORMALIZED:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]], #[[ID2]]], {{.*}} ins(%[[STATE]]#2, %[[STATE]]#1 : tensor<?x16xf32>, tensor<?xf32>)
// CHECK: arith.cmpf ogt
// CHECK: arith.divf
// CHECK: tensor.insert_slice %[[NORMALIZED]] into %[[OUT]][%[[B]], %[[FIRST]], %[[KH]], %[[G]], 0] [1, %[[ROWS]], 1, 1, 16]
// CHECK: %[[O:.*]] = tensor.collapse_shape %[[RESULT]] {{\[}}[0], [1], [2, 3, 4]] : tensor<?x?x2x2x16xf32> into tensor<?x?x64xf32>
// CHECK: return %[[O]], %[[K]], %[[V]]
// No tensor has the [S, T] logits' size.
// BLOCKED-LABEL: func.func @attention_gqa_cache
// BLOCKED-NOT: tensor.empty({{.*}}) : tensor<{{.*}}x?x?xf32>
// BLOCKED: return
func.func @attention_gqa_cache(%q: tensor<?x?x64xf32, #tfm.dims<["b", "s"]>>, %k: tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>, %v: tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>, %m: tensor<?x?xi32, #tfm.dims<["b", "p + s"]>>, %pk: tensor<?x2x?x16xf32, #tfm.dims<["b", "p"]>>, %pv: tensor<?x2x?x16xf32, #tfm.dims<["b", "p"]>>) -> (tensor<?x?x64xf32, #tfm.dims<["b", "s"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p + s"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p + s"]>>) {
  %o, %nk, %nv = tfm.attention %q, %k, %v mask %m past(%pk, %pv) {causal = true, mask_kind = #tfm<mask_kind key_padding>, num_heads = 4 : si64, kv_num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 1, 1>} : (tensor<?x?x64xf32, #tfm.dims<["b", "s"]>>, tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>, tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>, tensor<?x?xi32, #tfm.dims<["b", "p + s"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p"]>>) -> (tensor<?x?x64xf32, #tfm.dims<["b", "s"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p + s"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p + s"]>>)
  return %o, %nk, %nv : tensor<?x?x64xf32, #tfm.dims<["b", "s"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p + s"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p + s"]>>
}

// -----

// GroupQueryAttention's seqlens_k: query s of sequence b sees keys up to
// min(max(last + 1 - S, 0) + s, last); an attention_bias [1, 4, S, T] is cut
// at head kh * 2 + g to each block. A bias near the lowest float would tie
// with hidden keys, so with a bias every key block is visited.
// CHECK-DAG: #[[BIAS:map[0-9]*]] = affine_map<(d0, d1) -> (0, 0, d0, d1)>
// CHECK-DAG: #[[LAST:map[0-9]*]] = affine_map<(d0, d1) -> (0)>
// CHECK-LABEL: func.func @attention_key_last_index
// CHECK: %[[T:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<2x2x3x16xf32>
// CHECK: scf.for %[[HEAD:[^ ]+]] =
// CHECK: %[[G:.*]] = arith.remui %[[HEAD]]
// CHECK: %[[KH:.*]] = arith.remui
// CHECK: %[[B:.*]] = arith.divui
// CHECK: scf.for %[[FIRST:[^ ]+]] =
// CHECK: %[[ROWS:.*]] = arith.minsi
// CHECK: scf.for %[[KEY:[^ ]+]] = %{{.*}} to %[[T]] step
// CHECK: %[[COLS:.*]] = arith.minsi
// CHECK: %[[KH2:.*]] = arith.muli %[[KH]], %{{.*}}
// CHECK: %[[H:.*]] = arith.addi %[[KH2]], %[[G]] : index
// CHECK: %[[BIAS_BLOCK:.*]] = tensor.extract_slice %arg4[0, %[[H]], %[[FIRST]], %[[KEY]]] [1, 1, %[[ROWS]], %[[COLS]]] [1, 1, 1, 1] : tensor<1x4x3x3xf32> to tensor<1x1x?x?xf32>
// CHECK: %[[LAST_BLOCK:.*]] = tensor.extract_slice %arg3[%[[B]]] [1] [1] : tensor<2xi32> to tensor<1xi32>
// CHECK: linalg.generic {indexing_maps = [#[[BIAS]], #[[LAST]], #{{.*}}], {{.*}} ins(%[[BIAS_BLOCK]], %[[LAST_BLOCK]] : tensor<1x1x?x?xf32>, tensor<1xi32>)
// CHECK: arith.addf
// CHECK: %[[LAST_IDX:.*]] = arith.index_cast %{{.*}} : i32 to index
// CHECK: arith.subi
// CHECK: %[[PAST:.*]] = arith.maxsi
// CHECK: %[[END:.*]] = arith.addi %[[PAST]]
// CHECK: %[[LIMIT:.*]] = arith.minsi %[[END]], %[[LAST_IDX]] : index
// CHECK: arith.cmpi sgt, %{{.*}}, %[[LIMIT]] : index
// CHECK-NOT: -1.000000e+04
// CHECK: linalg.yield
func.func @attention_key_last_index(%q: tensor<2x3x64xf32>, %k: tensor<2x3x32xf32>, %v: tensor<2x3x32xf32>, %last: tensor<2xi32>, %bias: tensor<1x4x3x3xf32>) -> tensor<2x3x64xf32> {
  %o = tfm.attention %q, %k, %v mask %last bias %bias {causal = true, mask_kind = #tfm<mask_kind key_last_index>, num_heads = 4 : si64, kv_num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x3x64xf32>, tensor<2x3x32xf32>, tensor<2x3x32xf32>, tensor<2xi32>, tensor<1x4x3x3xf32>) -> tensor<2x3x64xf32>
  return %o : tensor<2x3x64xf32>
}

// -----

// Without a bias, the key blocks of sequence b end past the last key the
// query block's last row s sees, min(max(last + 1 - S, 0) + s, last), unless
// the sequence has no key (last < 0): then every key is hidden and all count.
// CHECK-LABEL: func.func @attention_key_last_index_skip
// CHECK: %[[T:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<2x2x3x16xf32>
// CHECK: scf.for %[[HEAD:[^ ]+]] =
// CHECK: arith.divui
// CHECK: %[[B:.*]] = arith.divui
// CHECK: scf.for %[[FIRST:[^ ]+]] =
// CHECK: %[[ROWS:.*]] = arith.minsi
// CHECK: %[[QEND:.*]] = arith.addi %[[FIRST]], %[[ROWS]] : index
// CHECK: %[[LAST_ROW:.*]] = arith.subi %[[QEND]], %{{.*}} : index
// CHECK: %[[LAST_I32:.*]] = tensor.extract %arg3[%[[B]]] : tensor<2xi32>
// CHECK: %[[LAST:.*]] = arith.index_cast %[[LAST_I32]] : i32 to index
// CHECK: arith.maxsi
// CHECK: %[[REACH:.*]] = arith.addi %{{.*}}, %[[LAST_ROW]] : index
// CHECK: %[[VISIBLE:.*]] = arith.minsi %[[REACH]], %[[LAST]] : index
// CHECK: %[[AFTER:.*]] = arith.addi %[[VISIBLE]], %{{.*}} : index
// CHECK: %[[CLAMPED:.*]] = arith.minsi %[[AFTER]], %[[T]] : index
// CHECK: %[[HAS_KEYS:.*]] = arith.cmpi sge, %[[LAST]], %{{.*}} : index
// CHECK: %[[KEY_END:.*]] = arith.select %[[HAS_KEYS]], %[[CLAMPED]], %[[T]] : index
// CHECK: scf.for %{{[^ ]+}} = %{{.*}} to %[[KEY_END]] step
func.func @attention_key_last_index_skip(%q: tensor<2x3x64xf32>, %k: tensor<2x3x32xf32>, %v: tensor<2x3x32xf32>, %last: tensor<2xi32>) -> tensor<2x3x64xf32> {
  %o = tfm.attention %q, %k, %v mask %last {causal = true, mask_kind = #tfm<mask_kind key_last_index>, num_heads = 4 : si64, kv_num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x3x64xf32>, tensor<2x3x32xf32>, tensor<2x3x32xf32>, tensor<2xi32>) -> tensor<2x3x64xf32>
  return %o : tensor<2x3x64xf32>
}

// -----

// A causal key_padding mask whose filter is the lowest float: a row whose
// visible keys are all padded ties with the causally hidden ones, and ORT
// averages them all, so every key block is visited.
// CHECK-LABEL: func.func @attention_causal_lowest_filter
// CHECK: %[[T:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<2x2x5x8xf32>
// CHECK-NOT: arith.minsi %{{.*}}, %[[T]]
// CHECK: scf.for %{{[^ ]+}} = %{{.*}} to %[[T]] step
func.func @attention_causal_lowest_filter(%q: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %m: tensor<2x5xi32>) -> tensor<2x5x16xf32> {
  %o = tfm.attention %q, %k, %v mask %m {causal = true, mask_kind = #tfm<mask_kind key_padding>, mask_filter_value = -3.40282347E+38 : f32, num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5xi32>) -> tensor<2x5x16xf32>
  return %o : tensor<2x5x16xf32>
}

// -----

// [2B] bounds: the ends and the starts are two [B] slices of the mask, each
// cut to its sequence per block; the filter is the op's mask_filter_value.
// CHECK-LABEL: func.func @attention_key_bounds
// CHECK: %[[ENDS:.*]] = tensor.extract_slice %arg3[%{{.*}}] [%[[B:.*]]] [1] : tensor<4xi32> to tensor<?xi32>
// CHECK: %[[STARTS:.*]] = tensor.extract_slice %arg3[%[[B]]] [%[[B]]] [1] : tensor<4xi32> to tensor<?xi32>
// CHECK: arith.divui
// CHECK: %[[SEQ:.*]] = arith.divui
// CHECK: %[[END_AT:.*]] = tensor.extract_slice %[[ENDS]][%[[SEQ]]] [1] [1] : tensor<?xi32> to tensor<1xi32>
// CHECK: %[[START_AT:.*]] = tensor.extract_slice %[[STARTS]][%[[SEQ]]] [1] [1] : tensor<?xi32> to tensor<1xi32>
// CHECK: linalg.generic {{.*}} ins(%[[END_AT]], %[[START_AT]] : tensor<1xi32>, tensor<1xi32>)
// CHECK: arith.constant -3.40282347E+38 : f32
// CHECK-DAG: %[[BEFORE_END:.*]] = arith.cmpi slt
// CHECK-DAG: %[[FROM_START:.*]] = arith.cmpi sge
// CHECK: arith.andi %[[BEFORE_END]], %[[FROM_START]]
func.func @attention_key_bounds(%q: tensor<2x5x16xf32>, %k: tensor<2x5x16xf32>, %v: tensor<2x5x16xf32>, %m: tensor<4xi32>) -> tensor<2x5x16xf32> {
  %o = tfm.attention %q, %k, %v mask %m {mask_kind = #tfm<mask_kind key_bounds>, mask_filter_value = -3.40282347E+38 : f32, num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<2x5x16xf32>, tensor<4xi32>) -> tensor<2x5x16xf32>
  return %o : tensor<2x5x16xf32>
}

// -----

// Megatron [B, 1, M, M]: rows P..P+S and columns 0..T of the mask, as
// [B, S, T], cut to each block and read at (0, row, column).
// CHECK-DAG: #[[WINDOW_MAP:map[0-9]*]] = affine_map<(d0, d1) -> (0, d0, d1)>
// CHECK-LABEL: func.func @attention_megatron
// CHECK: %[[WINDOW:.*]] = tensor.extract_slice %arg3[0, 0, %{{.*}}, 0] [2, 1, %{{.*}}, %{{.*}}] [1, 1, 1, 1] : tensor<2x1x16x16xi32> to tensor<2x?x?xi32>
// CHECK: scf.for %{{[^ ]+}} =
// CHECK: scf.for %[[FIRST:[^ ]+]] =
// CHECK: %[[ROWS:.*]] = arith.minsi
// CHECK: scf.for %[[KEY:[^ ]+]] =
// CHECK: %[[COLS:.*]] = arith.minsi
// CHECK: %[[MASK_BLOCK:.*]] = tensor.extract_slice %[[WINDOW]][%{{.*}}, %[[FIRST]], %[[KEY]]] [1, %[[ROWS]], %[[COLS]]] [1, 1, 1] : tensor<2x?x?xi32> to tensor<1x?x?xi32>
// CHECK: linalg.generic {indexing_maps = [#[[WINDOW_MAP]], #{{.*}}], {{.*}} ins(%[[MASK_BLOCK]] : tensor<1x?x?xi32>)
// BLOCKED-LABEL: func.func @attention_megatron
// BLOCKED-NOT: tensor.empty({{.*}}) : tensor<{{.*}}x?x?xf32>
// BLOCKED: return
func.func @attention_megatron(%q: tensor<2x?x16xf32, #tfm.dims<["s"]>>, %k: tensor<2x?x16xf32, #tfm.dims<["s"]>>, %v: tensor<2x?x16xf32, #tfm.dims<["s"]>>, %m: tensor<2x1x16x16xi32>, %pk: tensor<2x2x?x8xf32, #tfm.dims<["p"]>>, %pv: tensor<2x2x?x8xf32, #tfm.dims<["p"]>>) -> tensor<2x?x16xf32, #tfm.dims<["s"]>> {
  %o = tfm.attention %q, %k, %v mask %m past(%pk, %pv) {causal = true, mask_kind = #tfm<mask_kind megatron>, num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x?x16xf32, #tfm.dims<["s"]>>, tensor<2x?x16xf32, #tfm.dims<["s"]>>, tensor<2x?x16xf32, #tfm.dims<["s"]>>, tensor<2x1x16x16xi32>, tensor<2x2x?x8xf32, #tfm.dims<["p"]>>, tensor<2x2x?x8xf32, #tfm.dims<["p"]>>) -> tensor<2x?x16xf32, #tfm.dims<["s"]>>
  return %o : tensor<2x?x16xf32, #tfm.dims<["s"]>>
}
