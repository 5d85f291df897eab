// RUN: tfmc-opt %s --split-input-file | tfmc-opt --split-input-file | FileCheck %s
// RUN: tfmc-opt %s --split-input-file --mlir-print-op-generic | tfmc-opt --split-input-file | FileCheck %s

// Round trip of the high-level transformer ops (TfmTransformerOps.td).

// CHECK-LABEL: func.func @gelu
// CHECK: tfm.gelu %arg0 : (tensor<2x8xf32>) -> tensor<2x8xf32>
// CHECK: tfm.gelu %arg0 {approximate = #tfm<gelu_approx tanh>} : (tensor<2x8xf32>) -> tensor<2x8xf32>
// CHECK: tfm.gelu %arg0 {approximate = #tfm<gelu_approx sigmoid>} : (tensor<2x8xf32>) -> tensor<2x8xf32>
func.func @gelu(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) {
  %0 = tfm.gelu %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %1 = tfm.gelu %x {approximate = #tfm<gelu_approx tanh>} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %2 = tfm.gelu %x {approximate = #tfm<gelu_approx sigmoid>} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0, %1, %2 : tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// The explicit default approximation is elided when printed.
// CHECK-LABEL: func.func @gelu_none
// CHECK: tfm.gelu %arg0 : (tensor<?x8xf16, #tfm.dims<["n"]>>) -> tensor<?x8xf16, #tfm.dims<["n"]>>
func.func @gelu_none(%x: tensor<?x8xf16, #tfm.dims<["n"]>>) -> tensor<?x8xf16, #tfm.dims<["n"]>> {
  %0 = tfm.gelu %x {approximate = #tfm<gelu_approx none>} : (tensor<?x8xf16, #tfm.dims<["n"]>>) -> tensor<?x8xf16, #tfm.dims<["n"]>>
  return %0 : tensor<?x8xf16, #tfm.dims<["n"]>>
}

// -----

// CHECK-LABEL: func.func @layer_norm
// CHECK: tfm.layer_norm %arg0, %arg1 bias %arg2 {resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x3x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
// CHECK: tfm.layer_norm %arg0, %arg1 {epsilon = 9.99999996E-13 : f32, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x3x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
func.func @layer_norm(%x: tensor<2x3x8xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>) -> (tensor<2x3x8xf32>, tensor<2x3x8xf32>) {
  %0 = tfm.layer_norm %x, %s bias %b {resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x3x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  %1 = tfm.layer_norm %x, %s {epsilon = 1.0e-12 : f32, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x3x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  return %0, %1 : tensor<2x3x8xf32>, tensor<2x3x8xf32>
}

// -----

// Mean and inv_std_dev are f32, shaped like the input with the normalized
// axes set to 1; either may be requested alone.
// CHECK-LABEL: func.func @layer_norm_stats
// CHECK: %{{.*}}, %{{.*}}, %{{.*}} = tfm.layer_norm %arg0, %arg1 bias %arg1 {axis = 1 : si64, resultSegmentSizes = array<i32: 1, 1, 1>} : (tensor<2x3x8xf16>, tensor<3x8xf16>, tensor<3x8xf16>) -> (tensor<2x3x8xf16>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
// CHECK: %{{.*}}, %{{.*}} = tfm.layer_norm %arg0, %arg2 {resultSegmentSizes = array<i32: 1, 0, 1>} : (tensor<2x3x8xf16>, tensor<8xf16>) -> (tensor<2x3x8xf16>, tensor<2x3x1xf32>)
func.func @layer_norm_stats(%x: tensor<2x3x8xf16>, %s: tensor<3x8xf16>, %s8: tensor<8xf16>)
    -> (tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x3x1xf32>) {
  %0:3 = tfm.layer_norm %x, %s bias %s {axis = 1 : si64, resultSegmentSizes = array<i32: 1, 1, 1>} : (tensor<2x3x8xf16>, tensor<3x8xf16>, tensor<3x8xf16>) -> (tensor<2x3x8xf16>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
  %1:2 = tfm.layer_norm %x, %s8 {resultSegmentSizes = array<i32: 1, 0, 1>} : (tensor<2x3x8xf16>, tensor<8xf16>) -> (tensor<2x3x8xf16>, tensor<2x3x1xf32>)
  return %0#1, %0#2, %1#1 : tensor<2x1x1xf32>, tensor<2x1x1xf32>, tensor<2x3x1xf32>
}

// -----

// CHECK-LABEL: func.func @layer_norm_symbolic
// CHECK: tfm.layer_norm %arg0, %arg1 {resultSegmentSizes = array<i32: 1, 1, 0>} : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<768xf32>) -> (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x?x1xf32, #tfm.dims<["batch", "seq"]>>)
func.func @layer_norm_symbolic(%x: tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, %s: tensor<768xf32>)
    -> tensor<?x?x1xf32, #tfm.dims<["batch", "seq"]>> {
  %0:2 = tfm.layer_norm %x, %s {resultSegmentSizes = array<i32: 1, 1, 0>} : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<768xf32>) -> (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x?x1xf32, #tfm.dims<["batch", "seq"]>>)
  return %0#1 : tensor<?x?x1xf32, #tfm.dims<["batch", "seq"]>>
}

// -----

// CHECK-LABEL: func.func @rms_norm
// CHECK: tfm.rms_norm %arg0, %arg1 : (tensor<?x?x64xbf16, #tfm.dims<["batch", "seq"]>>, tensor<64xbf16>) -> tensor<?x?x64xbf16, #tfm.dims<["batch", "seq"]>>
// CHECK: tfm.rms_norm %arg0, %arg2 {axis = 1 : si64, epsilon = 9.99999997E-7 : f32} : (tensor<?x?x64xbf16, #tfm.dims<["batch", "seq"]>>, tensor<1x64xbf16>) -> tensor<?x?x64xbf16, #tfm.dims<["batch", "seq"]>>
func.func @rms_norm(%x: tensor<?x?x64xbf16, #tfm.dims<["batch", "seq"]>>, %s: tensor<64xbf16>, %s2: tensor<1x64xbf16>)
    -> (tensor<?x?x64xbf16, #tfm.dims<["batch", "seq"]>>, tensor<?x?x64xbf16, #tfm.dims<["batch", "seq"]>>) {
  %0 = tfm.rms_norm %x, %s : (tensor<?x?x64xbf16, #tfm.dims<["batch", "seq"]>>, tensor<64xbf16>) -> tensor<?x?x64xbf16, #tfm.dims<["batch", "seq"]>>
  %1 = tfm.rms_norm %x, %s2 {axis = 1 : si64, epsilon = 1.0e-6 : f32} : (tensor<?x?x64xbf16, #tfm.dims<["batch", "seq"]>>, tensor<1x64xbf16>) -> tensor<?x?x64xbf16, #tfm.dims<["batch", "seq"]>>
  return %0, %1 : tensor<?x?x64xbf16, #tfm.dims<["batch", "seq"]>>, tensor<?x?x64xbf16, #tfm.dims<["batch", "seq"]>>
}

// -----

// The up projection broadcasts against the gate like a binary op's operand.
// CHECK-LABEL: func.func @swiglu
// CHECK: tfm.swiglu %arg0, %arg1 : (tensor<?x5x16xf32, #tfm.dims<["batch"]>>, tensor<?x5x16xf32, #tfm.dims<["batch"]>>) -> tensor<?x5x16xf32, #tfm.dims<["batch"]>>
// CHECK: tfm.swiglu %arg0, %arg2 : (tensor<?x5x16xf32, #tfm.dims<["batch"]>>, tensor<16xf32>) -> tensor<?x5x16xf32, #tfm.dims<["batch"]>>
func.func @swiglu(%g: tensor<?x5x16xf32, #tfm.dims<["batch"]>>, %u: tensor<?x5x16xf32, #tfm.dims<["batch"]>>, %v: tensor<16xf32>)
    -> (tensor<?x5x16xf32, #tfm.dims<["batch"]>>, tensor<?x5x16xf32, #tfm.dims<["batch"]>>) {
  %0 = tfm.swiglu %g, %u : (tensor<?x5x16xf32, #tfm.dims<["batch"]>>, tensor<?x5x16xf32, #tfm.dims<["batch"]>>) -> tensor<?x5x16xf32, #tfm.dims<["batch"]>>
  %1 = tfm.swiglu %g, %v : (tensor<?x5x16xf32, #tfm.dims<["batch"]>>, tensor<16xf32>) -> tensor<?x5x16xf32, #tfm.dims<["batch"]>>
  return %0, %1 : tensor<?x5x16xf32, #tfm.dims<["batch"]>>, tensor<?x5x16xf32, #tfm.dims<["batch"]>>
}

// -----

// [B, S, H*D] with position ids gathering a [max_pos, D/2] cache.
// CHECK-LABEL: func.func @rotary_embedding
// CHECK: tfm.rotary_embedding %arg0 positions %arg1 cos %arg2 sin %arg2 {num_heads = 4 : si64} : (tensor<2x5x64xf32>, tensor<2x5xi64>, tensor<128x8xf32>, tensor<128x8xf32>) -> tensor<2x5x64xf32>
// CHECK: tfm.rotary_embedding %arg0 positions %arg1 cos %arg3 sin %arg3 {interleaved = true, num_heads = 4 : si64, rotary_embedding_dim = 8 : si64} : (tensor<2x5x64xf32>, tensor<2x5xi64>, tensor<128x4xf32>, tensor<128x4xf32>) -> tensor<2x5x64xf32>
func.func @rotary_embedding(%x: tensor<2x5x64xf32>, %pos: tensor<2x5xi64>, %cache: tensor<128x8xf32>, %half: tensor<128x4xf32>)
    -> (tensor<2x5x64xf32>, tensor<2x5x64xf32>) {
  %0 = tfm.rotary_embedding %x positions %pos cos %cache sin %cache {num_heads = 4 : si64} : (tensor<2x5x64xf32>, tensor<2x5xi64>, tensor<128x8xf32>, tensor<128x8xf32>) -> tensor<2x5x64xf32>
  %1 = tfm.rotary_embedding %x positions %pos cos %half sin %half {interleaved = true, num_heads = 4 : si64, rotary_embedding_dim = 8 : si64} : (tensor<2x5x64xf32>, tensor<2x5xi64>, tensor<128x4xf32>, tensor<128x4xf32>) -> tensor<2x5x64xf32>
  return %0, %1 : tensor<2x5x64xf32>, tensor<2x5x64xf32>
}

// -----

// [B, H, S, D] without position ids: the caches are already [B, S, D/2].
// CHECK-LABEL: func.func @rotary_embedding_bhsd
// CHECK: tfm.rotary_embedding %arg0 cos %arg1 sin %arg1 : (tensor<?x4x?x16xf16, #tfm.dims<["batch", "seq"]>>, tensor<?x?x8xf16, #tfm.dims<["batch", "seq"]>>, tensor<?x?x8xf16, #tfm.dims<["batch", "seq"]>>) -> tensor<?x4x?x16xf16, #tfm.dims<["batch", "seq"]>>
func.func @rotary_embedding_bhsd(%x: tensor<?x4x?x16xf16, #tfm.dims<["batch", "seq"]>>, %c: tensor<?x?x8xf16, #tfm.dims<["batch", "seq"]>>)
    -> tensor<?x4x?x16xf16, #tfm.dims<["batch", "seq"]>> {
  %0 = tfm.rotary_embedding %x cos %c sin %c : (tensor<?x4x?x16xf16, #tfm.dims<["batch", "seq"]>>, tensor<?x?x8xf16, #tfm.dims<["batch", "seq"]>>, tensor<?x?x8xf16, #tfm.dims<["batch", "seq"]>>) -> tensor<?x4x?x16xf16, #tfm.dims<["batch", "seq"]>>
  return %0 : tensor<?x4x?x16xf16, #tfm.dims<["batch", "seq"]>>
}

// -----

// Plain self-attention, causal with a scale, and with a key-padding mask.
// CHECK-LABEL: func.func @attention
// CHECK: tfm.attention %arg0, %arg0, %arg0 {num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>) -> tensor<2x5x64xf32>
// CHECK: tfm.attention %arg0, %arg0, %arg0 {causal = true, num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 0, 0>, scale = 1.250000e-01 : f32} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>) -> tensor<2x5x64xf32>
// CHECK: tfm.attention %arg0, %arg0, %arg0 mask %arg1 {mask_kind = #tfm<mask_kind key_padding>, num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5xi64>) -> tensor<2x5x64xf32>
func.func @attention(%x: tensor<2x5x64xf32>, %m: tensor<2x5xi64>) -> (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>) {
  %0 = tfm.attention %x, %x, %x {num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>) -> tensor<2x5x64xf32>
  %1 = tfm.attention %x, %x, %x {causal = true, num_heads = 4 : si64, scale = 0.125 : f32, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>) -> tensor<2x5x64xf32>
  %2 = tfm.attention %x, %x, %x mask %m {mask_kind = #tfm<mask_kind key_padding>, num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5xi64>) -> tensor<2x5x64xf32>
  return %0, %1, %2 : tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>
}

// -----

// Grouped-query attention with a KV cache: presents are [B, kv_heads, P + T, D].
// CHECK-LABEL: func.func @attention_gqa_past
// CHECK: %{{.*}}, %{{.*}}, %{{.*}} = tfm.attention %arg0, %arg1, %arg1 mask %arg3 past(%arg2, %arg2) {causal = true, kv_num_heads = 2 : si64, mask_kind = #tfm<mask_kind key_last_index>, num_heads = 8 : si64, resultSegmentSizes = array<i32: 1, 1, 1>} : (tensor<2x5x128xf32>, tensor<2x5x32xf32>, tensor<2x5x32xf32>, tensor<2xi32>, tensor<2x2x6x16xf32>, tensor<2x2x6x16xf32>) -> (tensor<2x5x128xf32>, tensor<2x2x11x16xf32>, tensor<2x2x11x16xf32>)
func.func @attention_gqa_past(%q: tensor<2x5x128xf32>, %kv: tensor<2x5x32xf32>, %past: tensor<2x2x6x16xf32>, %len: tensor<2xi32>)
    -> (tensor<2x5x128xf32>, tensor<2x2x11x16xf32>, tensor<2x2x11x16xf32>) {
  %0:3 = tfm.attention %q, %kv, %kv mask %len past(%past, %past) {causal = true, kv_num_heads = 2 : si64, mask_kind = #tfm<mask_kind key_last_index>, num_heads = 8 : si64, resultSegmentSizes = array<i32: 1, 1, 1>} : (tensor<2x5x128xf32>, tensor<2x5x32xf32>, tensor<2x5x32xf32>, tensor<2xi32>, tensor<2x2x6x16xf32>, tensor<2x2x6x16xf32>) -> (tensor<2x5x128xf32>, tensor<2x2x11x16xf32>, tensor<2x2x11x16xf32>)
  return %0#0, %0#1, %0#2 : tensor<2x5x128xf32>, tensor<2x2x11x16xf32>, tensor<2x2x11x16xf32>
}

// -----

// An additive bias, a value head size different from the query's, and
// presents without a past.
// CHECK-LABEL: func.func @attention_bias_presents
// CHECK: %{{.*}}, %{{.*}}, %{{.*}} = tfm.attention %arg0, %arg0, %arg1 bias %arg2 {num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 1, 1>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x128xf32>, tensor<2x4x5x5xf32>) -> (tensor<2x5x128xf32>, tensor<2x4x5x16xf32>, tensor<2x4x5x32xf32>)
func.func @attention_bias_presents(%x: tensor<2x5x64xf32>, %v: tensor<2x5x128xf32>, %bias: tensor<2x4x5x5xf32>)
    -> (tensor<2x5x128xf32>, tensor<2x4x5x16xf32>, tensor<2x4x5x32xf32>) {
  %0:3 = tfm.attention %x, %x, %v bias %bias {num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 1, 1>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x128xf32>, tensor<2x4x5x5xf32>) -> (tensor<2x5x128xf32>, tensor<2x4x5x16xf32>, tensor<2x4x5x32xf32>)
  return %0#0, %0#1, %0#2 : tensor<2x5x128xf32>, tensor<2x4x5x16xf32>, tensor<2x4x5x32xf32>
}

// -----

// A GPT-2 style decoder step over symbolic batch, sequence and past length.
// CHECK-LABEL: func.func @attention_symbolic
// CHECK: %{{.*}}, %{{.*}}, %{{.*}} = tfm.attention %arg0, %arg0, %arg0 mask %arg2 past(%arg1, %arg1) {mask_kind = #tfm<mask_kind additive>, num_heads = 12 : si64, resultSegmentSizes = array<i32: 1, 1, 1>} : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x1x?x?xf32, #tfm.dims<["batch", "seq", "past + seq"]>>, tensor<?x12x?x64xf32, #tfm.dims<["batch", "past"]>>, tensor<?x12x?x64xf32, #tfm.dims<["batch", "past"]>>) -> (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>, tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>)
func.func @attention_symbolic(%x: tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, %past: tensor<?x12x?x64xf32, #tfm.dims<["batch", "past"]>>,
                              %mask: tensor<?x1x?x?xf32, #tfm.dims<["batch", "seq", "past + seq"]>>)
    -> (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>) {
  %0:3 = tfm.attention %x, %x, %x mask %mask past(%past, %past) {mask_kind = #tfm<mask_kind additive>, num_heads = 12 : si64, resultSegmentSizes = array<i32: 1, 1, 1>} : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x1x?x?xf32, #tfm.dims<["batch", "seq", "past + seq"]>>, tensor<?x12x?x64xf32, #tfm.dims<["batch", "past"]>>, tensor<?x12x?x64xf32, #tfm.dims<["batch", "past"]>>) -> (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>, tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>)
  return %0#0, %0#1 : tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>
}
