// RUN: tfmc-opt %s --tfm-to-linalg --split-input-file | FileCheck %s

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

// Grouped-query attention (4 query heads over 2 KV heads) with a KV cache:
// queries become [B, S, kvH, G, D]; keys and values [B, kvH, P + S, D] (the
// past, then the new ones) are also the present outputs. Scores
// [B, kvH, G, S, T] get the scale, ORT's -10000 for padded keys and the
// lowest float past the causal limit P + s; a stable softmax and the
// weighted values follow.
// CHECK-DAG: #[[QMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, d1, d2, d5)>
// CHECK-DAG: #[[KMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>
// CHECK-DAG: #[[SMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[MASK:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d4)>
// CHECK-DAG: #[[ID5:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[ROWS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[PMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d2, d3, d1, d5)>
// CHECK-DAG: #[[VMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d2, d5, d4)>
// CHECK-DAG: #[[SUMS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d3, d1)>
// CHECK-LABEL: func.func @attention_gqa_cache
// CHECK: %[[Q:.*]] = tensor.expand_shape %arg0 {{\[}}[0], [1], [2, 3, 4]] output_shape [%{{.*}}, %{{.*}}, 2, 2, 16] : tensor<?x?x64xf32> into tensor<?x?x2x2x16xf32>
// CHECK: %[[K4:.*]] = tensor.expand_shape %arg1 {{\[}}[0], [1], [2, 3]] {{.*}} into tensor<?x?x2x16xf32>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%[[K4]] : tensor<?x?x2x16xf32>) outs(%{{.*}} : tensor<?x2x?x16xf32>) permutation = [0, 2, 1, 3]
// CHECK: %[[P:.*]] = tensor.dim %arg4, %{{.*}} : tensor<?x2x?x16xf32>
// CHECK: %[[KP:.*]] = tensor.insert_slice %arg4 into
// CHECK: %[[K:.*]] = tensor.insert_slice %[[KT]] into %[[KP]][0, 0, %[[P]], 0]
// CHECK: %[[V:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, %{{.*}}, 0]
// CHECK: %[[PAST:.*]] = tensor.dim %arg4, %{{.*}} : tensor<?x2x?x16xf32>
// CHECK: %[[QK:.*]] = linalg.generic {indexing_maps = [#[[QMAP]], #[[KMAP]], #[[SMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[Q]], %[[K]] : tensor<?x?x2x2x16xf32>, tensor<?x2x?x16xf32>) outs(%{{.*}} : tensor<?x2x2x?x?xf32>)
// CHECK: %[[LOGITS:.*]] = linalg.generic {indexing_maps = [#[[MASK]], #[[ID5]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%arg3 : tensor<?x?xi32>) outs(%[[QK]] : tensor<?x2x2x?x?xf32>)
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: %[[T:.*]] = linalg.index 4 : index
// CHECK: %[[S:.*]] = linalg.index 3 : index
// CHECK: arith.constant -1.000000e+04 : f32
// CHECK: arith.cmpi sgt, %{{.*}}, %{{.*}} : i32
// CHECK: %[[LIMIT:.*]] = arith.addi %[[PAST]], %[[S]] : index
// CHECK: %[[HIDDEN:.*]] = arith.cmpi sgt, %[[T]], %[[LIMIT]] : index
// CHECK: %[[LOWEST:.*]] = arith.constant -3.40282347E+38 : f32
// CHECK: arith.select %[[HIDDEN]], %[[LOWEST]]
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID5]], #[[ROWS]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[LOGITS]] : tensor<?x2x2x?x?xf32>)
// CHECK: arith.maximumf
// CHECK: %[[EXP:.*]] = linalg.generic {indexing_maps = [#[[ROWS]], #[[ID5]]], {{.*}} ins(%[[MAX]] : tensor<?x2x2x?xf32>) outs(%[[LOGITS]] : tensor<?x2x2x?x?xf32>)
// CHECK: math.exp
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID5]], #[[ROWS]]], {{.*}} ins(%[[EXP]] : tensor<?x2x2x?x?xf32>)
// CHECK: %[[PV:.*]] = linalg.generic {indexing_maps = [#[[PMAP]], #[[VMAP]], #[[SMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[EXP]], %[[V]] : tensor<?x2x2x?x?xf32>, tensor<?x2x?x16xf32>) outs(%{{.*}} : tensor<?x?x2x2x16xf32>)
// CHECK: %[[OUT:.*]] = linalg.generic {indexing_maps = [#[[ID5]], #[[SUMS]], #[[ID5]]], {{.*}} ins(%[[PV]], %[[SUM]] : tensor<?x?x2x2x16xf32>, tensor<?x2x2x?xf32>)
// CHECK: arith.divf
// CHECK: %[[O:.*]] = tensor.collapse_shape %[[OUT]] {{\[}}[0], [1], [2, 3, 4]] : tensor<?x?x2x2x16xf32> into tensor<?x?x64xf32>
// CHECK: return %[[O]], %[[K]], %[[V]]
func.func @attention_gqa_cache(%q: tensor<?x?x64xf32, #tfm.dims<["b", "s"]>>, %k: tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>, %v: tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>, %m: tensor<?x?xi32, #tfm.dims<["b", "p + s"]>>, %pk: tensor<?x2x?x16xf32, #tfm.dims<["b", "p"]>>, %pv: tensor<?x2x?x16xf32, #tfm.dims<["b", "p"]>>) -> (tensor<?x?x64xf32, #tfm.dims<["b", "s"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p + s"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p + s"]>>) {
  %o, %nk, %nv = tfm.attention %q, %k, %v mask %m past(%pk, %pv) {causal = true, mask_kind = #tfm<mask_kind key_padding>, num_heads = 4 : si64, kv_num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 1, 1>} : (tensor<?x?x64xf32, #tfm.dims<["b", "s"]>>, tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>, tensor<?x?x32xf32, #tfm.dims<["b", "s"]>>, tensor<?x?xi32, #tfm.dims<["b", "p + s"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p"]>>) -> (tensor<?x?x64xf32, #tfm.dims<["b", "s"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p + s"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p + s"]>>)
  return %o, %nk, %nv : tensor<?x?x64xf32, #tfm.dims<["b", "s"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p + s"]>>, tensor<?x2x?x16xf32, #tfm.dims<["b", "p + s"]>>
}

// -----

// GroupQueryAttention's seqlens_k: query s of sequence b sees keys up to
// min(max(last + 1 - S, 0) + s, last); an attention_bias [1, 4, S, T] is read
// at head kh * 2 + g.
// CHECK-DAG: #[[BIAS:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (0, d1 * 2 + d2, d3, d4)>
// CHECK-DAG: #[[LAST:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0)>
// CHECK-LABEL: func.func @attention_key_last_index
// CHECK: linalg.generic {indexing_maps = [#[[BIAS]], #[[LAST]], #{{.*}}], {{.*}} ins(%arg4, %arg3 : tensor<1x4x3x3xf32>, tensor<2xi32>)
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

// [2B] bounds: the ends and the starts are two [B] slices of the mask; the
// filter is the op's mask_filter_value.
// CHECK-LABEL: func.func @attention_key_bounds
// CHECK: %[[ENDS:.*]] = tensor.extract_slice %arg3[%{{.*}}] [%[[B:.*]]] [1] : tensor<4xi32> to tensor<?xi32>
// CHECK: %[[STARTS:.*]] = tensor.extract_slice %arg3[%[[B]]] [%[[B]]] [1] : tensor<4xi32> to tensor<?xi32>
// CHECK: linalg.generic {{.*}} ins(%[[ENDS]], %[[STARTS]] : tensor<?xi32>, tensor<?xi32>)
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
// [B, S, T] read at (b, s, t).
// CHECK-DAG: #[[QK:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d4)>
// CHECK-LABEL: func.func @attention_megatron
// CHECK: %[[WINDOW:.*]] = tensor.extract_slice %arg3[0, 0, %{{.*}}, 0] [2, 1, %{{.*}}, %{{.*}}] [1, 1, 1, 1] : tensor<2x1x16x16xi32> to tensor<2x?x?xi32>
// CHECK: linalg.generic {indexing_maps = [#[[QK]], #{{.*}}], {{.*}} ins(%[[WINDOW]] : tensor<2x?x?xi32>)
func.func @attention_megatron(%q: tensor<2x?x16xf32, #tfm.dims<["s"]>>, %k: tensor<2x?x16xf32, #tfm.dims<["s"]>>, %v: tensor<2x?x16xf32, #tfm.dims<["s"]>>, %m: tensor<2x1x16x16xi32>, %pk: tensor<2x2x?x8xf32, #tfm.dims<["p"]>>, %pv: tensor<2x2x?x8xf32, #tfm.dims<["p"]>>) -> tensor<2x?x16xf32, #tfm.dims<["s"]>> {
  %o = tfm.attention %q, %k, %v mask %m past(%pk, %pv) {causal = true, mask_kind = #tfm<mask_kind megatron>, num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x?x16xf32, #tfm.dims<["s"]>>, tensor<2x?x16xf32, #tfm.dims<["s"]>>, tensor<2x?x16xf32, #tfm.dims<["s"]>>, tensor<2x1x16x16xi32>, tensor<2x2x?x8xf32, #tfm.dims<["p"]>>, tensor<2x2x?x8xf32, #tfm.dims<["p"]>>) -> tensor<2x?x16xf32, #tfm.dims<["s"]>>
  return %o : tensor<2x?x16xf32, #tfm.dims<["s"]>>
}
