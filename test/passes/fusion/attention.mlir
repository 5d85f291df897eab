// RUN: tfmc-opt %s --tfm-fuse --split-input-file --verify-diagnostics --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s

// BERT self-attention (zoo bert, torch 1.13, opsets 14 and 17): projections
// with biases, heads split by Reshape [0, 0, H, D] and Transpose (the keys
// straight to [B, H, D, S]), scores / sqrt(D), plus the additive mask
// (1 - mask) * -10000, context transposed back and merged by Reshape. The
// projections feed the fused op directly; its location names the nodes.
// CHECK-LABEL: func.func @bert_additive_mask
// CHECK-DAG: %[[M:.*]] = tfm.mul %{{.*}}, %{{.*}} : {{.*}}tensor<2x1x1x3xf32>
// CHECK-DAG: %[[Q:.*]] = tfm.add %{{.*}}, %arg3 {{.*}}loc("q_bias")
// CHECK-DAG: %[[K:.*]] = tfm.add %{{.*}}, %arg4 {{.*}}loc("k_bias")
// CHECK-DAG: %[[V:.*]] = tfm.add %{{.*}}, %arg5 {{.*}}loc("v_bias")
// CHECK: %[[O:.*]] = tfm.attention %[[Q]], %[[K]], %[[V]] mask %[[M]] {mask_kind = #tfm<mask_kind additive>, num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>, scale = 5.000000e-01 : f32}
// CHECK-SAME: loc(fused<"attention">["softmax", "context", "mask_add", "scale", "scores", "context_t", "merge", "q_t", "q_split", "k_t", "k_split", "v_t", "v_split"])
// CHECK-NOT: tfm.softmax
// CHECK: return %[[O]]
func.func @bert_additive_mask(%x: tensor<2x3x8xf32>, %mask: tensor<2x3xi64>, %w: tensor<8x8xf32>,
                              %bq: tensor<8xf32>, %bk: tensor<8xf32>, %bv: tensor<8xf32>)
    -> tensor<2x3x8xf32> {
  %heads = tfm.constant dense<[0, 0, 2, 4]> : tensor<4xi64>
  %hidden = tfm.constant dense<[0, 0, 8]> : tensor<3xi64>
  %sqrt_d = tfm.constant dense<2.000000e+00> : tensor<f32>
  %one = tfm.constant dense<1.000000e+00> : tensor<f32>
  %neg = tfm.constant dense<-1.000000e+04> : tensor<f32>
  %ax1 = tfm.constant dense<1> : tensor<1xi64>
  %ax2 = tfm.constant dense<2> : tensor<1xi64>
  %m0 = tfm.unsqueeze %mask, %ax1 : (tensor<2x3xi64>, tensor<1xi64>) -> tensor<2x1x3xi64>
  %m1 = tfm.unsqueeze %m0, %ax2 : (tensor<2x1x3xi64>, tensor<1xi64>) -> tensor<2x1x1x3xi64>
  %m2 = tfm.cast %m1 {to = f32} : (tensor<2x1x1x3xi64>) -> tensor<2x1x1x3xf32>
  %m3 = tfm.sub %one, %m2 : (tensor<f32>, tensor<2x1x1x3xf32>) -> tensor<2x1x1x3xf32>
  %m4 = tfm.mul %m3, %neg : (tensor<2x1x1x3xf32>, tensor<f32>) -> tensor<2x1x1x3xf32>
  %q0 = tfm.matmul %x, %w : (tensor<2x3x8xf32>, tensor<8x8xf32>) -> tensor<2x3x8xf32>
  %k0 = tfm.matmul %x, %w : (tensor<2x3x8xf32>, tensor<8x8xf32>) -> tensor<2x3x8xf32>
  %v0 = tfm.matmul %x, %w : (tensor<2x3x8xf32>, tensor<8x8xf32>) -> tensor<2x3x8xf32>
  %q1 = tfm.add %q0, %bq : (tensor<2x3x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32> loc("q_bias")
  %k1 = tfm.add %k0, %bk : (tensor<2x3x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32> loc("k_bias")
  %v1 = tfm.add %v0, %bv : (tensor<2x3x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32> loc("v_bias")
  %q2 = tfm.reshape %q1, %heads : (tensor<2x3x8xf32>, tensor<4xi64>) -> tensor<2x3x2x4xf32> loc("q_split")
  %k2 = tfm.reshape %k1, %heads : (tensor<2x3x8xf32>, tensor<4xi64>) -> tensor<2x3x2x4xf32> loc("k_split")
  %v2 = tfm.reshape %v1, %heads : (tensor<2x3x8xf32>, tensor<4xi64>) -> tensor<2x3x2x4xf32> loc("v_split")
  %q3 = tfm.transpose %q2 {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x3x2x4xf32>) -> tensor<2x2x3x4xf32> loc("q_t")
  %k3 = tfm.transpose %k2 {perm = array<i64: 0, 2, 3, 1>} : (tensor<2x3x2x4xf32>) -> tensor<2x2x4x3xf32> loc("k_t")
  %v3 = tfm.transpose %v2 {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x3x2x4xf32>) -> tensor<2x2x3x4xf32> loc("v_t")
  %s0 = tfm.matmul %q3, %k3 : (tensor<2x2x3x4xf32>, tensor<2x2x4x3xf32>) -> tensor<2x2x3x3xf32> loc("scores")
  %s1 = tfm.div %s0, %sqrt_d : (tensor<2x2x3x3xf32>, tensor<f32>) -> tensor<2x2x3x3xf32> loc("scale")
  %s2 = tfm.add %s1, %m4 : (tensor<2x2x3x3xf32>, tensor<2x1x1x3xf32>) -> tensor<2x2x3x3xf32> loc("mask_add")
  %p = tfm.softmax %s2 : (tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32> loc("softmax")
  %c0 = tfm.matmul %p, %v3 : (tensor<2x2x3x3xf32>, tensor<2x2x3x4xf32>) -> tensor<2x2x3x4xf32> loc("context")
  %c1 = tfm.transpose %c0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x2x3x4xf32>) -> tensor<2x3x2x4xf32> loc("context_t")
  %c2 = tfm.reshape %c1, %hidden : (tensor<2x3x2x4xf32>, tensor<3xi64>) -> tensor<2x3x8xf32> loc("merge")
  return %c2 : tensor<2x3x8xf32>
}

// -----

// ViT self-attention (zoo vit): no mask over a fixed number of patches.
// CHECK-LABEL: func.func @vit_no_mask
// CHECK: %[[O:.*]] = tfm.attention %arg0, %arg1, %arg2 {num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>, scale = 5.000000e-01 : f32}
// CHECK-NEXT: return %[[O]]
func.func @vit_no_mask(%q: tensor<2x5x8xf32>, %k: tensor<2x5x8xf32>, %v: tensor<2x5x8xf32>)
    -> tensor<2x5x8xf32> {
  %heads = tfm.constant dense<[0, 0, 2, 4]> : tensor<4xi64>
  %hidden = tfm.constant dense<[0, 0, 8]> : tensor<3xi64>
  %sqrt_d = tfm.constant dense<2.000000e+00> : tensor<f32>
  %q1 = tfm.reshape %q, %heads : (tensor<2x5x8xf32>, tensor<4xi64>) -> tensor<2x5x2x4xf32>
  %k1 = tfm.reshape %k, %heads : (tensor<2x5x8xf32>, tensor<4xi64>) -> tensor<2x5x2x4xf32>
  %v1 = tfm.reshape %v, %heads : (tensor<2x5x8xf32>, tensor<4xi64>) -> tensor<2x5x2x4xf32>
  %q2 = tfm.transpose %q1 {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x5x2x4xf32>) -> tensor<2x2x5x4xf32>
  %k2 = tfm.transpose %k1 {perm = array<i64: 0, 2, 3, 1>} : (tensor<2x5x2x4xf32>) -> tensor<2x2x4x5xf32>
  %v2 = tfm.transpose %v1 {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x5x2x4xf32>) -> tensor<2x2x5x4xf32>
  %s0 = tfm.matmul %q2, %k2 : (tensor<2x2x5x4xf32>, tensor<2x2x4x5xf32>) -> tensor<2x2x5x5xf32>
  %s1 = tfm.div %s0, %sqrt_d : (tensor<2x2x5x5xf32>, tensor<f32>) -> tensor<2x2x5x5xf32>
  %p = tfm.softmax %s1 : (tensor<2x2x5x5xf32>) -> tensor<2x2x5x5xf32>
  %c0 = tfm.matmul %p, %v2 : (tensor<2x2x5x5xf32>, tensor<2x2x5x4xf32>) -> tensor<2x2x5x4xf32>
  %c1 = tfm.transpose %c0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x2x5x4xf32>) -> tensor<2x5x2x4xf32>
  %c2 = tfm.reshape %c1, %hidden : (tensor<2x5x2x4xf32>, tensor<3xi64>) -> tensor<2x5x8xf32>
  return %c2 : tensor<2x5x8xf32>
}

// -----

// keras2onnx BERT (ort_tfbert_squad_keras2onnx): projections as MatMuls on
// [B * S, hidden] reshaped to [B, S, hidden] to add their biases, the scores
// divided by Sqrt(head_size) computed in the graph, and the context merged
// straight into [B * S, hidden]: the fused output is reshaped to it.
// CHECK-LABEL: func.func @keras2onnx_rows
// CHECK-DAG: %[[Q:.*]] = tfm.add %{{.*}}, %arg2
// CHECK-DAG: %[[K:.*]] = tfm.add %{{.*}}, %arg3
// CHECK-DAG: %[[V:.*]] = tfm.add %{{.*}}, %arg4
// CHECK: %[[O:.*]] = tfm.attention %[[Q]], %[[K]], %[[V]] mask %arg5 {mask_kind = #tfm<mask_kind additive>, num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>, scale = 5.000000e-01 : f32}
// CHECK: %[[ROWS:.*]] = tfm.reshape %[[O]], %{{.*}} -> tensor<?x8xf32, #tfm.dims<["3*batch_size"]>>
// CHECK-NOT: tfm.softmax
// CHECK: return %[[ROWS]]
func.func @keras2onnx_rows(%x: tensor<?x8xf32, #tfm.dims<["3*batch_size"]>>, %w: tensor<8x8xf32>, %bq: tensor<8xf32>, %bk: tensor<8xf32>,
                           %bv: tensor<8xf32>, %mask: tensor<?x1x1x3xf32, #tfm.dims<["batch_size"]>>) -> tensor<?x8xf32, #tfm.dims<["3*batch_size"]>> {
  %rows = tfm.constant dense<[-1, 8]> : tensor<2xi64>
  %batched = tfm.constant dense<[-1, 3, 8]> : tensor<3xi64>
  %heads = tfm.constant dense<[0, 3, 2, 4]> : tensor<4xi64>
  %head_size = tfm.constant dense<4.000000e+00> : tensor<f32>
  %q0 = tfm.matmul %x, %w : (tensor<?x8xf32, #tfm.dims<["3*batch_size"]>>, tensor<8x8xf32>) -> tensor<?x8xf32, #tfm.dims<["3*batch_size"]>>
  %k0 = tfm.matmul %x, %w : (tensor<?x8xf32, #tfm.dims<["3*batch_size"]>>, tensor<8x8xf32>) -> tensor<?x8xf32, #tfm.dims<["3*batch_size"]>>
  %v0 = tfm.matmul %x, %w : (tensor<?x8xf32, #tfm.dims<["3*batch_size"]>>, tensor<8x8xf32>) -> tensor<?x8xf32, #tfm.dims<["3*batch_size"]>>
  %q1 = tfm.reshape %q0, %batched : (tensor<?x8xf32, #tfm.dims<["3*batch_size"]>>, tensor<3xi64>) -> tensor<?x3x8xf32, #tfm.dims<["batch_size"]>>
  %k1 = tfm.reshape %k0, %batched : (tensor<?x8xf32, #tfm.dims<["3*batch_size"]>>, tensor<3xi64>) -> tensor<?x3x8xf32, #tfm.dims<["batch_size"]>>
  %v1 = tfm.reshape %v0, %batched : (tensor<?x8xf32, #tfm.dims<["3*batch_size"]>>, tensor<3xi64>) -> tensor<?x3x8xf32, #tfm.dims<["batch_size"]>>
  %q2 = tfm.add %q1, %bq : (tensor<?x3x8xf32, #tfm.dims<["batch_size"]>>, tensor<8xf32>) -> tensor<?x3x8xf32, #tfm.dims<["batch_size"]>>
  %k2 = tfm.add %k1, %bk : (tensor<?x3x8xf32, #tfm.dims<["batch_size"]>>, tensor<8xf32>) -> tensor<?x3x8xf32, #tfm.dims<["batch_size"]>>
  %v2 = tfm.add %v1, %bv : (tensor<?x3x8xf32, #tfm.dims<["batch_size"]>>, tensor<8xf32>) -> tensor<?x3x8xf32, #tfm.dims<["batch_size"]>>
  %q3 = tfm.reshape %q2, %heads : (tensor<?x3x8xf32, #tfm.dims<["batch_size"]>>, tensor<4xi64>) -> tensor<?x3x2x4xf32, #tfm.dims<["batch_size"]>>
  %k3 = tfm.reshape %k2, %heads : (tensor<?x3x8xf32, #tfm.dims<["batch_size"]>>, tensor<4xi64>) -> tensor<?x3x2x4xf32, #tfm.dims<["batch_size"]>>
  %v3 = tfm.reshape %v2, %heads : (tensor<?x3x8xf32, #tfm.dims<["batch_size"]>>, tensor<4xi64>) -> tensor<?x3x2x4xf32, #tfm.dims<["batch_size"]>>
  %q = tfm.transpose %q3 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x3x2x4xf32, #tfm.dims<["batch_size"]>>) -> tensor<?x2x3x4xf32, #tfm.dims<["batch_size"]>>
  %v = tfm.transpose %v3 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x3x2x4xf32, #tfm.dims<["batch_size"]>>) -> tensor<?x2x3x4xf32, #tfm.dims<["batch_size"]>>
  %kt = tfm.transpose %k3 {perm = array<i64: 0, 2, 3, 1>} : (tensor<?x3x2x4xf32, #tfm.dims<["batch_size"]>>) -> tensor<?x2x4x3xf32, #tfm.dims<["batch_size"]>>
  %s0 = tfm.matmul %q, %kt : (tensor<?x2x3x4xf32, #tfm.dims<["batch_size"]>>, tensor<?x2x4x3xf32, #tfm.dims<["batch_size"]>>) -> tensor<?x2x3x3xf32, #tfm.dims<["batch_size"]>>
  %sqrt_d = tfm.sqrt %head_size : (tensor<f32>) -> tensor<f32>
  %s1 = tfm.div %s0, %sqrt_d : (tensor<?x2x3x3xf32, #tfm.dims<["batch_size"]>>, tensor<f32>) -> tensor<?x2x3x3xf32, #tfm.dims<["batch_size"]>>
  %s2 = tfm.add %s1, %mask : (tensor<?x2x3x3xf32, #tfm.dims<["batch_size"]>>, tensor<?x1x1x3xf32, #tfm.dims<["batch_size"]>>) -> tensor<?x2x3x3xf32, #tfm.dims<["batch_size"]>>
  %p = tfm.softmax %s2 {axis = 3 : si64} : (tensor<?x2x3x3xf32, #tfm.dims<["batch_size"]>>) -> tensor<?x2x3x3xf32, #tfm.dims<["batch_size"]>>
  %c0 = tfm.matmul %p, %v : (tensor<?x2x3x3xf32, #tfm.dims<["batch_size"]>>, tensor<?x2x3x4xf32, #tfm.dims<["batch_size"]>>) -> tensor<?x2x3x4xf32, #tfm.dims<["batch_size"]>>
  %c1 = tfm.transpose %c0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x2x3x4xf32, #tfm.dims<["batch_size"]>>) -> tensor<?x3x2x4xf32, #tfm.dims<["batch_size"]>>
  %c2 = tfm.reshape %c1, %rows : (tensor<?x3x2x4xf32, #tfm.dims<["batch_size"]>>, tensor<2xi64>) -> tensor<?x8xf32, #tfm.dims<["3*batch_size"]>>
  return %c2 : tensor<?x8xf32, #tfm.dims<["3*batch_size"]>>
}

// -----

// GPT-2 with past (zoo gpt2): one packed projection split in three, keys and
// values appended to the cache (present outputs), the causal window sliced
// from the triangular `bias` buffer at [T - S, T) x [0, T), Where(window,
// scores, finfo.min), then the additive padding mask. finfo.min absorbs any
// score, so the Where is exactly the bias Where(window, 0, finfo.min); the
// cache concatenations are replaced by the present outputs.
// CHECK-LABEL: func.func @gpt2_causal_where_then_additive
// CHECK-DAG: %[[ZERO:.*]] = tfm.constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[MIN:.*]] = tfm.constant dense<-3.40282347E+38> : tensor<f32>
// CHECK-DAG: %[[M:.*]] = tfm.mul %{{.*}} : (tensor<?x1x1x?xf32, #tfm.dims<["batch", "total_sequence"]>>, tensor<f32>)
// CHECK-DAG: %[[QKV:.*]]:3 = tfm.split
// CHECK-DAG: %[[WINDOW:.*]] = tfm.slice {{.*}} -> tensor<1x1x?x?xi1, #tfm.dims<["sequence", "past_sequence + sequence"]>>
// CHECK: %[[BIAS:.*]] = tfm.where %[[WINDOW]], %[[ZERO]], %[[MIN]]
// CHECK: %[[O:.*]], %[[PK:.*]], %[[PV:.*]] = tfm.attention %[[QKV]]#0, %[[QKV]]#1, %[[QKV]]#2 mask %[[M]] past(%arg2, %arg3) bias %[[BIAS]] {mask_kind = #tfm<mask_kind additive>, num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 1, 1>, scale = 5.000000e-01 : f32}
// CHECK-NOT: tfm.softmax
// CHECK: return %[[O]], %[[PK]], %[[PV]]
func.func @gpt2_causal_where_then_additive(%x: tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>, %mask: tensor<?x?xi64, #tfm.dims<["batch", "total_sequence"]>>, %pk: tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence"]>>, %pv: tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence"]>>,
                                           %w: tensor<8x24xf32>) -> (tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>) {
  %sizes = tfm.constant dense<8> : tensor<3xi64>
  %heads = tfm.constant dense<[0, 0, 2, 4]> : tensor<4xi64>
  %hidden = tfm.constant dense<[0, 0, 8]> : tensor<3xi64>
  %sqrt_d = tfm.constant dense<2.000000e+00> : tensor<f32>
  %min = tfm.constant dense<-3.40282347E+38> : tensor<f32>
  %one = tfm.constant dense<1.000000e+00> : tensor<f32>
  %tril = tfm.constant dense<[[[[true, false, false, false, false, false, false, false], [true, true, false, false, false, false, false, false], [true, true, true, false, false, false, false, false], [true, true, true, true, false, false, false, false], [true, true, true, true, true, false, false, false], [true, true, true, true, true, true, false, false], [true, true, true, true, true, true, true, false], [true, true, true, true, true, true, true, true]]]]> : tensor<1x1x8x8xi1>
  %c0 = tfm.constant dense<0> : tensor<1xi64>
  %c1 = tfm.constant dense<1> : tensor<1xi64>
  %c2 = tfm.constant dense<2> : tensor<1xi64>
  %c3 = tfm.constant dense<3> : tensor<1xi64>
  %m0 = tfm.unsqueeze %mask, %c1 : (tensor<?x?xi64, #tfm.dims<["batch", "total_sequence"]>>, tensor<1xi64>) -> tensor<?x1x?xi64, #tfm.dims<["batch", "total_sequence"]>>
  %m1 = tfm.unsqueeze %m0, %c2 : (tensor<?x1x?xi64, #tfm.dims<["batch", "total_sequence"]>>, tensor<1xi64>) -> tensor<?x1x1x?xi64, #tfm.dims<["batch", "total_sequence"]>>
  %m2 = tfm.cast %m1 {to = f32} : (tensor<?x1x1x?xi64, #tfm.dims<["batch", "total_sequence"]>>) -> tensor<?x1x1x?xf32, #tfm.dims<["batch", "total_sequence"]>>
  %m3 = tfm.sub %one, %m2 : (tensor<f32>, tensor<?x1x1x?xf32, #tfm.dims<["batch", "total_sequence"]>>) -> tensor<?x1x1x?xf32, #tfm.dims<["batch", "total_sequence"]>>
  %m4 = tfm.mul %m3, %min : (tensor<?x1x1x?xf32, #tfm.dims<["batch", "total_sequence"]>>, tensor<f32>) -> tensor<?x1x1x?xf32, #tfm.dims<["batch", "total_sequence"]>>
  %qkv = tfm.matmul %x, %w : (tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>, tensor<8x24xf32>) -> tensor<?x?x24xf32, #tfm.dims<["batch", "sequence"]>>
  %parts:3 = tfm.split %qkv sizes %sizes {axis = 2 : si64} : (tensor<?x?x24xf32, #tfm.dims<["batch", "sequence"]>>, tensor<3xi64>) -> (tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>)
  %q0 = tfm.reshape %parts#0, %heads : (tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>, tensor<4xi64>) -> tensor<?x?x2x4xf32, #tfm.dims<["batch", "sequence"]>>
  %k0 = tfm.reshape %parts#1, %heads : (tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>, tensor<4xi64>) -> tensor<?x?x2x4xf32, #tfm.dims<["batch", "sequence"]>>
  %v0 = tfm.reshape %parts#2, %heads : (tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>, tensor<4xi64>) -> tensor<?x?x2x4xf32, #tfm.dims<["batch", "sequence"]>>
  %q = tfm.transpose %q0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x?x2x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %k = tfm.transpose %k0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x?x2x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %v = tfm.transpose %v0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x?x2x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %kc = tfm.concat %pk, %k {axis = -2 : si64} : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %vc = tfm.concat %pv, %v {axis = -2 : si64} : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %kt = tfm.transpose %kc {perm = array<i64: 0, 1, 3, 2>} : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>) -> tensor<?x2x4x?xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %s0 = tfm.matmul %q, %kt : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x2x4x?xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>) -> tensor<?x2x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>
  %s1 = tfm.div %s0, %sqrt_d : (tensor<?x2x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>, tensor<f32>) -> tensor<?x2x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>
  %ql = tfm.dim %q[2] : tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %kl = tfm.dim %kc[2] : tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %start = tfm.sub %kl, %ql : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %start1 = tfm.unsqueeze %start, %c0 : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %end1 = tfm.unsqueeze %kl, %c0 : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %rows = tfm.slice %tril[%start1, %end1 axes %c2 steps %c1] : (tensor<1x1x8x8xi1>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1x1x?x8xi1, #tfm.dims<["sequence"]>>
  %window = tfm.slice %rows[%c0, %end1 axes %c3 steps %c1] : (tensor<1x1x?x8xi1, #tfm.dims<["sequence"]>>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1x1x?x?xi1, #tfm.dims<["sequence", "past_sequence + sequence"]>>
  %s2 = tfm.where %window, %s1, %min : (tensor<1x1x?x?xi1, #tfm.dims<["sequence", "past_sequence + sequence"]>>, tensor<?x2x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>, tensor<f32>) -> tensor<?x2x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>
  %s3 = tfm.add %s2, %m4 : (tensor<?x2x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>, tensor<?x1x1x?xf32, #tfm.dims<["batch", "total_sequence"]>>) -> tensor<?x2x?x?xf32, #tfm.dims<["batch", "sequence", "?"]>>
  %p = tfm.softmax %s3 : (tensor<?x2x?x?xf32, #tfm.dims<["batch", "sequence", "?"]>>) -> tensor<?x2x?x?xf32, #tfm.dims<["batch", "sequence", "?"]>>
  %c = tfm.matmul %p, %vc : (tensor<?x2x?x?xf32, #tfm.dims<["batch", "sequence", "?"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %ct = tfm.transpose %c {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x?x2x4xf32, #tfm.dims<["batch", "sequence"]>>
  %o = tfm.reshape %ct, %hidden : (tensor<?x?x2x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<3xi64>) -> tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>
  return %o, %kc, %vc : tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
}

// -----

// GPT-2 attention with past as PyTorch 1.5 exported it (ort_attention_past_state,
// gpt2_past_pt16): keys split straight to [B, H, D, S] and appended to the
// transposed cached keys along the last axis, the present stacked from both
// concatenations, the causal window of a uint8 buffer read through Shape
// slices, Where(window, scores, -10000) with nothing added after it: causal.
// CHECK-LABEL: func.func @gpt2_keys_transposed_past
// CHECK-DAG: %[[PK:.*]] = tfm.gather %arg2, %{{.*}} : {{.*}}loc("past_k")
// CHECK-DAG: %[[PV:.*]] = tfm.gather %arg2, %{{.*}} : {{.*}}loc("past_v")
// CHECK-DAG: %[[QKV:.*]]:3 = tfm.split
// CHECK: %[[O:.*]], %[[K:.*]], %[[V:.*]] = tfm.attention %[[QKV]]#0, %[[QKV]]#1, %[[QKV]]#2 past(%[[PK]], %[[PV]]) {causal = true, num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 1, 1>, scale = 5.000000e-01 : f32}
// CHECK: %[[KT:.*]] = tfm.transpose %[[K]] {perm = array<i64: 0, 1, 3, 2>}
// CHECK: %[[KTT:.*]] = tfm.transpose %[[KT]] {perm = array<i64: 0, 1, 3, 2>}
// CHECK: %[[K1:.*]] = tfm.unsqueeze %[[KTT]]
// CHECK: %[[V1:.*]] = tfm.unsqueeze %[[V]]
// CHECK: %[[KV:.*]] = tfm.concat %[[K1]], %[[V1]] {axis = 0 : si64}
// CHECK-NOT: tfm.softmax
// CHECK: return %[[O]], %[[KV]]
func.func @gpt2_keys_transposed_past(%x: tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, %w: tensor<8x24xf32>, %past: tensor<2x?x2x?x4xf32, #tfm.dims<["batch", "past"]>>) -> (tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<2x?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>) {
  %i0 = tfm.constant dense<0> : tensor<i64>
  %i1 = tfm.constant dense<1> : tensor<i64>
  %sizes = tfm.constant dense<8> : tensor<3xi64>
  %heads = tfm.constant dense<[0, 0, 2, 4]> : tensor<4xi64>
  %hidden = tfm.constant dense<[0, 0, 8]> : tensor<3xi64>
  %sqrt_d = tfm.constant dense<2.000000e+00> : tensor<f32>
  %neg = tfm.constant dense<-1.000000e+04> : tensor<f32>
  %bias = tfm.constant dense<[[[[1, 0, 0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1, 1, 1]]]]> : tensor<1x1x8x8xui8>
  %c0 = tfm.constant dense<0> : tensor<1xi64>
  %c1 = tfm.constant dense<1> : tensor<1xi64>
  %c2 = tfm.constant dense<2> : tensor<1xi64>
  %c3 = tfm.constant dense<3> : tensor<1xi64>
  %cm1 = tfm.constant dense<-1> : tensor<1xi64>
  %cm2 = tfm.constant dense<-2> : tensor<1xi64>
  %cmax = tfm.constant dense<9223372036854775807> : tensor<1xi64>
  %pk = tfm.gather %past, %i0 : (tensor<2x?x2x?x4xf32, #tfm.dims<["batch", "past"]>>, tensor<i64>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "past"]>> loc("past_k")
  %pv = tfm.gather %past, %i1 : (tensor<2x?x2x?x4xf32, #tfm.dims<["batch", "past"]>>, tensor<i64>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "past"]>> loc("past_v")
  %pkt = tfm.transpose %pk {perm = array<i64: 0, 1, 3, 2>} : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past"]>>) -> tensor<?x2x4x?xf32, #tfm.dims<["batch", "past"]>>
  %qkv = tfm.matmul %x, %w : (tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<8x24xf32>) -> tensor<?x?x24xf32, #tfm.dims<["batch", "seq_len"]>>
  %parts:3 = tfm.split %qkv sizes %sizes {axis = 2 : si64} : (tensor<?x?x24xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<3xi64>) -> (tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>)
  %q0 = tfm.reshape %parts#0, %heads : (tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<4xi64>) -> tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %k0 = tfm.reshape %parts#1, %heads : (tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<4xi64>) -> tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %v0 = tfm.reshape %parts#2, %heads : (tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<4xi64>) -> tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %q = tfm.transpose %q0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %k = tfm.transpose %k0 {perm = array<i64: 0, 2, 3, 1>} : (tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>) -> tensor<?x2x4x?xf32, #tfm.dims<["batch", "seq_len"]>>
  %v = tfm.transpose %v0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %kc = tfm.concat %pkt, %k {axis = -1 : si64} : (tensor<?x2x4x?xf32, #tfm.dims<["batch", "past"]>>, tensor<?x2x4x?xf32, #tfm.dims<["batch", "seq_len"]>>) -> tensor<?x2x4x?xf32, #tfm.dims<["batch", "past + seq_len"]>>
  %vc = tfm.concat %pv, %v {axis = -2 : si64} : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>
  %kct = tfm.transpose %kc {perm = array<i64: 0, 1, 3, 2>} : (tensor<?x2x4x?xf32, #tfm.dims<["batch", "past + seq_len"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>
  %s0 = tfm.matmul %q, %kc : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<?x2x4x?xf32, #tfm.dims<["batch", "past + seq_len"]>>) -> tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>
  %k1 = tfm.unsqueeze %kct, %c0 : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>, tensor<1xi64>) -> tensor<1x?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>
  %v1 = tfm.unsqueeze %vc, %c0 : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>, tensor<1xi64>) -> tensor<1x?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>
  %s1 = tfm.div %s0, %sqrt_d : (tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>, tensor<f32>) -> tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>
  %present = tfm.concat %k1, %v1 {axis = 0 : si64} : (tensor<1x?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>, tensor<1x?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>) -> tensor<2x?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>
  %shape = tfm.shape %s1 : (tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>) -> tensor<4xi64>
  %ql1 = tfm.slice %shape[%cm2, %cm1 axes %c0] : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %kl1 = tfm.slice %shape[%cm1, %cmax axes %c0] : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %ql = tfm.squeeze %ql1 axes %c0 : (tensor<1xi64>, tensor<1xi64>) -> tensor<i64>
  %kl = tfm.squeeze %kl1 axes %c0 : (tensor<1xi64>, tensor<1xi64>) -> tensor<i64>
  %start = tfm.sub %kl, %ql : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %start1 = tfm.unsqueeze %start, %c0 : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %end1 = tfm.unsqueeze %kl, %c0 : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %rows = tfm.slice %bias[%start1, %end1 axes %c2 steps %c1] : (tensor<1x1x8x8xui8>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1x1x?x8xui8, #tfm.dims<["seq_len"]>>
  %window = tfm.slice %rows[%c0, %end1 axes %c3 steps %c1] : (tensor<1x1x?x8xui8, #tfm.dims<["seq_len"]>>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1x1x?x?xui8, #tfm.dims<["seq_len", "past + seq_len"]>>
  %cond = tfm.cast %window {to = i1} : (tensor<1x1x?x?xui8, #tfm.dims<["seq_len", "past + seq_len"]>>) -> tensor<1x1x?x?xi1, #tfm.dims<["seq_len", "past + seq_len"]>>
  %s2 = tfm.where %cond, %s1, %neg : (tensor<1x1x?x?xi1, #tfm.dims<["seq_len", "past + seq_len"]>>, tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>, tensor<f32>) -> tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>
  %p = tfm.softmax %s2 {axis = 3 : si64} : (tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>) -> tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>
  %c = tfm.matmul %p, %vc : (tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %ct = tfm.transpose %c {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>) -> tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %o = tfm.reshape %ct, %hidden : (tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<3xi64>) -> tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>
  return %o, %present : tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<2x?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>
}

// -----

// Megatron GPT-2 (gpt2_megatron_pt19): queries and transposed keys each
// divided by sqrt(sqrt(D)), the float mask input [B, 1, max, max] sliced to
// the cache's window and applied as scores * m - 10000 * (1 - m). Hiding
// masked keys with the lowest value keeps rows whose keys are all masked
// uniform, as -10000 everywhere does.
// CHECK-LABEL: func.func @megatron_mask
// CHECK-DAG: %[[QKV:.*]]:3 = tfm.split %{{.*}} sizes %{{.*}} {axis = 2 : si64}
// CHECK-DAG: %[[PK:.*]] = tfm.squeeze %{{.*}}#0
// CHECK-DAG: %[[PV:.*]] = tfm.squeeze %{{.*}}#1
// CHECK: %[[O:.*]], %{{.*}}, %{{.*}} = tfm.attention %[[QKV]]#0, %[[QKV]]#1, %[[QKV]]#2 mask %arg3 past(%[[PK]], %[[PV]]) {mask_filter_value = -3.40282347E+38 : f32, mask_kind = #tfm<mask_kind megatron>, num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 1, 1>, scale = 5.000000e-01 : f32}
// CHECK-NOT: tfm.softmax
// CHECK: return %[[O]]
func.func @megatron_mask(%x: tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, %w: tensor<8x24xf32>, %b: tensor<24xf32>, %mask: tensor<?x1x8x8xf32, #tfm.dims<["batch"]>>, %past: tensor<2x?x2x?x4xf32, #tfm.dims<["batch", "past"]>>) -> (tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<2x?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>) {
  %halves = tfm.constant dense<1> : tensor<2xi64>
  %sizes = tfm.constant dense<8> : tensor<3xi64>
  %heads = tfm.constant dense<[0, 0, 2, 4]> : tensor<4xi64>
  %hidden = tfm.constant dense<[0, 0, 8]> : tensor<3xi64>
  %root = tfm.constant dense<1.41421354> : tensor<f32>
  %one = tfm.constant dense<1.000000e+00> : tensor<f32>
  %big = tfm.constant dense<1.000000e+04> : tensor<f32>
  %c0 = tfm.constant dense<0> : tensor<1xi64>
  %c1 = tfm.constant dense<1> : tensor<1xi64>
  %c2 = tfm.constant dense<2> : tensor<1xi64>
  %c3 = tfm.constant dense<3> : tensor<1xi64>
  %split:2 = tfm.split %past sizes %halves : (tensor<2x?x2x?x4xf32, #tfm.dims<["batch", "past"]>>, tensor<2xi64>) -> (tensor<1x?x2x?x4xf32, #tfm.dims<["batch", "past"]>>, tensor<1x?x2x?x4xf32, #tfm.dims<["batch", "past"]>>)
  %pk = tfm.squeeze %split#0 axes %c0 : (tensor<1x?x2x?x4xf32, #tfm.dims<["batch", "past"]>>, tensor<1xi64>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "past"]>>
  %pv = tfm.squeeze %split#1 axes %c0 : (tensor<1x?x2x?x4xf32, #tfm.dims<["batch", "past"]>>, tensor<1xi64>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "past"]>>
  %qkv0 = tfm.matmul %x, %w : (tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<8x24xf32>) -> tensor<?x?x24xf32, #tfm.dims<["batch", "seq_len"]>>
  %qkv = tfm.add %qkv0, %b : (tensor<?x?x24xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<24xf32>) -> tensor<?x?x24xf32, #tfm.dims<["batch", "seq_len"]>>
  %ql = tfm.dim %x[1] : tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>
  %parts:3 = tfm.split %qkv sizes %sizes {axis = 2 : si64} : (tensor<?x?x24xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<3xi64>) -> (tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>)
  %q0 = tfm.reshape %parts#0, %heads : (tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<4xi64>) -> tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %k0 = tfm.reshape %parts#1, %heads : (tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<4xi64>) -> tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %v0 = tfm.reshape %parts#2, %heads : (tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<4xi64>) -> tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %q1 = tfm.transpose %q0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %k = tfm.transpose %k0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %v = tfm.transpose %v0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %q = tfm.div %q1, %root : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<f32>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %kc = tfm.concat %pk, %k {axis = -2 : si64} : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>
  %vc = tfm.concat %pv, %v {axis = -2 : si64} : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>
  %kt0 = tfm.transpose %kc {perm = array<i64: 0, 1, 3, 2>} : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>) -> tensor<?x2x4x?xf32, #tfm.dims<["batch", "past + seq_len"]>>
  %k1 = tfm.unsqueeze %kc, %c0 : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>, tensor<1xi64>) -> tensor<1x?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>
  %v1 = tfm.unsqueeze %vc, %c0 : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>, tensor<1xi64>) -> tensor<1x?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>
  %kt = tfm.div %kt0, %root : (tensor<?x2x4x?xf32, #tfm.dims<["batch", "past + seq_len"]>>, tensor<f32>) -> tensor<?x2x4x?xf32, #tfm.dims<["batch", "past + seq_len"]>>
  %present = tfm.concat %k1, %v1 {axis = 0 : si64} : (tensor<1x?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>, tensor<1x?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>) -> tensor<2x?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>
  %s0 = tfm.matmul %q, %kt : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<?x2x4x?xf32, #tfm.dims<["batch", "past + seq_len"]>>) -> tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>
  %kl = tfm.dim %s0[3] : tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>
  %start = tfm.sub %kl, %ql : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %end1 = tfm.unsqueeze %kl, %c0 : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %start1 = tfm.unsqueeze %start, %c0 : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %rows = tfm.slice %mask[%start1, %end1 axes %c2 steps %c1] : (tensor<?x1x8x8xf32, #tfm.dims<["batch"]>>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x1x?x8xf32, #tfm.dims<["batch", "seq_len"]>>
  %m = tfm.slice %rows[%c0, %end1 axes %c3 steps %c1] : (tensor<?x1x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x1x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>
  %kept = tfm.mul %s0, %m : (tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>, tensor<?x1x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>) -> tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>
  %hidden_keys = tfm.sub %one, %m : (tensor<f32>, tensor<?x1x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>) -> tensor<?x1x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>
  %penalty = tfm.mul %hidden_keys, %big : (tensor<?x1x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>, tensor<f32>) -> tensor<?x1x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>
  %s1 = tfm.sub %kept, %penalty : (tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>, tensor<?x1x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>) -> tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>
  %p = tfm.softmax %s1 {axis = 3 : si64} : (tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>) -> tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>
  %c = tfm.matmul %p, %vc : (tensor<?x2x?x?xf32, #tfm.dims<["batch", "seq_len", "past + seq_len"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %ct = tfm.transpose %c {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "seq_len"]>>) -> tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>
  %o = tfm.reshape %ct, %hidden : (tensor<?x?x2x4xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<3xi64>) -> tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>
  return %o, %present : tensor<?x?x8xf32, #tfm.dims<["batch", "seq_len"]>>, tensor<2x?x2x?x4xf32, #tfm.dims<["batch", "past + seq_len"]>>
}

// -----

// Llama with past (zoo llama): rotate_half rotary on queries and keys with
// cos/sin rows of a cached table gathered at position_ids, keys rotated
// before they join the cache, repeat_kv (Unsqueeze, Expand, Reshape) for
// grouped-query attention, an additive mask. Rotary becomes
// tfm.rotary_embedding on the projections with the table's first halves.
// CHECK-LABEL: func.func @llama_rotary_gqa
// CHECK-DAG: %[[Q:.*]] = tfm.matmul %arg0, %arg1
// CHECK-DAG: %[[K:.*]] = tfm.matmul %arg0, %arg2
// CHECK-DAG: %[[V:.*]] = tfm.matmul %arg0, %arg3
// CHECK-DAG: %[[COS:.*]] = tfm.constant dense<{{\[\[}}1.000000e+00, 1.000000e+00], [0.540302277, 0.999949991], {{.*}}> : tensor<8x2xf32>
// CHECK-DAG: %[[SIN:.*]] = tfm.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00], [8.414710e-01, 0.00999983306], {{.*}}> : tensor<8x2xf32>
// CHECK: %[[QR:.*]] = tfm.rotary_embedding %[[Q]] positions %arg7 cos %[[COS]] sin %[[SIN]] {num_heads = 4 : si64}
// CHECK: %[[KR:.*]] = tfm.rotary_embedding %[[K]] positions %arg7 cos %{{.*}} sin %{{.*}} {num_heads = 2 : si64}
// CHECK: %[[O:.*]], %[[PK:.*]], %[[PV:.*]] = tfm.attention %[[QR]], %[[KR]], %[[V]] mask %arg6 past(%arg4, %arg5) {kv_num_heads = 2 : si64, mask_kind = #tfm<mask_kind additive>, num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 1, 1>, scale = 5.000000e-01 : f32}
// CHECK-NOT: tfm.softmax
// CHECK: return %[[O]], %[[PK]], %[[PV]]
func.func @llama_rotary_gqa(%x: tensor<?x?x16xf32, #tfm.dims<["batch", "sequence"]>>, %wq: tensor<16x16xf32>, %wk: tensor<16x8xf32>, %wv: tensor<16x8xf32>,
                            %pk: tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence"]>>, %pv: tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence"]>>, %mask: tensor<?x1x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>, %pos: tensor<?x?xi64, #tfm.dims<["batch", "sequence"]>>) -> (tensor<?x?x16xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>) {
  %qheads = tfm.constant dense<[0, 0, 4, 4]> : tensor<4xi64>
  %kvheads = tfm.constant dense<[0, 0, 2, 4]> : tensor<4xi64>
  %merge = tfm.constant dense<[0, 4, -1, 4]> : tensor<4xi64>
  %hidden = tfm.constant dense<[0, 0, 16]> : tensor<3xi64>
  %sqrt_d = tfm.constant dense<2.000000e+00> : tensor<f32>
  %cos = tfm.constant dense<[[[[1.000000e+00, 1.000000e+00, 1.000000e+00, 1.000000e+00], [5.403023e-01, 9.999500e-01, 5.403023e-01, 9.999500e-01], [-4.161468e-01, 9.998000e-01, -4.161468e-01, 9.998000e-01], [-9.899925e-01, 9.995500e-01, -9.899925e-01, 9.995500e-01], [-6.536436e-01, 9.992001e-01, -6.536436e-01, 9.992001e-01], [2.836622e-01, 9.987503e-01, 2.836622e-01, 9.987503e-01], [9.601703e-01, 9.982005e-01, 9.601703e-01, 9.982005e-01], [7.539023e-01, 9.975510e-01, 7.539023e-01, 9.975510e-01]]]]> : tensor<1x1x8x4xf32>
  %sin = tfm.constant dense<[[[[0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [8.414710e-01, 9.999833e-03, 8.414710e-01, 9.999833e-03], [9.092974e-01, 1.999867e-02, 9.092974e-01, 1.999867e-02], [1.411200e-01, 2.999550e-02, 1.411200e-01, 2.999550e-02], [-7.568025e-01, 3.998933e-02, -7.568025e-01, 3.998933e-02], [-9.589243e-01, 4.997917e-02, -9.589243e-01, 4.997917e-02], [-2.794155e-01, 5.996401e-02, -2.794155e-01, 5.996401e-02], [6.569866e-01, 6.994285e-02, 6.569866e-01, 6.994285e-02]]]]> : tensor<1x1x8x4xf32>
  %c0 = tfm.constant dense<0> : tensor<1xi64>
  %c1 = tfm.constant dense<1> : tensor<1xi64>
  %c2 = tfm.constant dense<2> : tensor<1xi64>
  %c3 = tfm.constant dense<3> : tensor<1xi64>
  %c4 = tfm.constant dense<4> : tensor<1xi64>
  %cmax = tfm.constant dense<9223372036854775807> : tensor<1xi64>
  %q0 = tfm.matmul %x, %wq : (tensor<?x?x16xf32, #tfm.dims<["batch", "sequence"]>>, tensor<16x16xf32>) -> tensor<?x?x16xf32, #tfm.dims<["batch", "sequence"]>>
  %k0 = tfm.matmul %x, %wk : (tensor<?x?x16xf32, #tfm.dims<["batch", "sequence"]>>, tensor<16x8xf32>) -> tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>
  %v0 = tfm.matmul %x, %wv : (tensor<?x?x16xf32, #tfm.dims<["batch", "sequence"]>>, tensor<16x8xf32>) -> tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>
  %q1 = tfm.reshape %q0, %qheads : (tensor<?x?x16xf32, #tfm.dims<["batch", "sequence"]>>, tensor<4xi64>) -> tensor<?x?x4x4xf32, #tfm.dims<["batch", "sequence"]>>
  %k1 = tfm.reshape %k0, %kvheads : (tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>, tensor<4xi64>) -> tensor<?x?x2x4xf32, #tfm.dims<["batch", "sequence"]>>
  %v1 = tfm.reshape %v0, %kvheads : (tensor<?x?x8xf32, #tfm.dims<["batch", "sequence"]>>, tensor<4xi64>) -> tensor<?x?x2x4xf32, #tfm.dims<["batch", "sequence"]>>
  %q = tfm.transpose %q1 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x?x4x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x4x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %k = tfm.transpose %k1 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x?x2x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %v = tfm.transpose %v1 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x?x2x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %vc = tfm.concat %pv, %v {axis = 2 : si64} : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %kl = tfm.dim %k[2] : tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %pl = tfm.dim %pk[2] : tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence"]>>
  %tl = tfm.add %kl, %pl : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %tl1 = tfm.unsqueeze %tl, %c0 : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %cos1 = tfm.slice %cos[%c0, %tl1 axes %c2 steps %c1] : (tensor<1x1x8x4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1x1x?x4xf32, #tfm.dims<["past_sequence + sequence"]>>
  %sin1 = tfm.slice %sin[%c0, %tl1 axes %c2 steps %c1] : (tensor<1x1x8x4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1x1x?x4xf32, #tfm.dims<["past_sequence + sequence"]>>
  %cos2 = tfm.squeeze %cos1 axes %c1 : (tensor<1x1x?x4xf32, #tfm.dims<["past_sequence + sequence"]>>, tensor<1xi64>) -> tensor<1x?x4xf32, #tfm.dims<["past_sequence + sequence"]>>
  %sin2 = tfm.squeeze %sin1 axes %c1 : (tensor<1x1x?x4xf32, #tfm.dims<["past_sequence + sequence"]>>, tensor<1xi64>) -> tensor<1x?x4xf32, #tfm.dims<["past_sequence + sequence"]>>
  %cos3 = tfm.squeeze %cos2 axes %c0 : (tensor<1x?x4xf32, #tfm.dims<["past_sequence + sequence"]>>, tensor<1xi64>) -> tensor<?x4xf32, #tfm.dims<["past_sequence + sequence"]>>
  %sin3 = tfm.squeeze %sin2 axes %c0 : (tensor<1x?x4xf32, #tfm.dims<["past_sequence + sequence"]>>, tensor<1xi64>) -> tensor<?x4xf32, #tfm.dims<["past_sequence + sequence"]>>
  %cos4 = tfm.gather %cos3, %pos : (tensor<?x4xf32, #tfm.dims<["past_sequence + sequence"]>>, tensor<?x?xi64, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %sin4 = tfm.gather %sin3, %pos : (tensor<?x4xf32, #tfm.dims<["past_sequence + sequence"]>>, tensor<?x?xi64, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %cos5 = tfm.unsqueeze %cos4, %c1 : (tensor<?x?x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<1xi64>) -> tensor<?x1x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %sin5 = tfm.unsqueeze %sin4, %c1 : (tensor<?x?x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<1xi64>) -> tensor<?x1x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %qlo = tfm.slice %q[%c0, %c2 axes %c3 steps %c1] : (tensor<?x4x?x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x4x?x2xf32, #tfm.dims<["batch", "sequence"]>>
  %qhi = tfm.slice %q[%c2, %cmax axes %c3 steps %c1] : (tensor<?x4x?x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x4x?x2xf32, #tfm.dims<["batch", "sequence"]>>
  %klo = tfm.slice %k[%c0, %c2 axes %c3 steps %c1] : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x2x?x2xf32, #tfm.dims<["batch", "sequence"]>>
  %khi = tfm.slice %k[%c2, %cmax axes %c3 steps %c1] : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x2x?x2xf32, #tfm.dims<["batch", "sequence"]>>
  %qneg = tfm.neg %qhi : (tensor<?x4x?x2xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x4x?x2xf32, #tfm.dims<["batch", "sequence"]>>
  %kneg = tfm.neg %khi : (tensor<?x2x?x2xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x2x?x2xf32, #tfm.dims<["batch", "sequence"]>>
  %qrh = tfm.concat %qneg, %qlo {axis = -1 : si64} : (tensor<?x4x?x2xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x4x?x2xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x4x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %krh = tfm.concat %kneg, %klo {axis = -1 : si64} : (tensor<?x2x?x2xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x2x?x2xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %qa = tfm.mul %q, %cos5 : (tensor<?x4x?x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x1x?x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x4x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %ka = tfm.mul %k, %cos5 : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x1x?x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %qb = tfm.mul %qrh, %sin5 : (tensor<?x4x?x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x1x?x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x4x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %kb = tfm.mul %krh, %sin5 : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x1x?x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %qr = tfm.add %qa, %qb : (tensor<?x4x?x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x4x?x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x4x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %kr = tfm.add %ka, %kb : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %kc = tfm.concat %pk, %kr {axis = 2 : si64} : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %b = tfm.dim %kc[0] : tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %t = tfm.dim %kc[2] : tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %b1 = tfm.unsqueeze %b, %c0 : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %t1 = tfm.unsqueeze %t, %c0 : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %shape = tfm.concat %b1, %c2, %c2, %t1, %c4 {axis = 0 : si64} : (tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<5xi64>
  %ku = tfm.unsqueeze %kc, %c2 : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>, tensor<1xi64>) -> tensor<?x2x1x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %vu = tfm.unsqueeze %vc, %c2 : (tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>, tensor<1xi64>) -> tensor<?x2x1x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %ke = tfm.expand %ku, %shape : (tensor<?x2x1x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>, tensor<5xi64>) -> tensor<?x2x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %ve = tfm.expand %vu, %shape : (tensor<?x2x1x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>, tensor<5xi64>) -> tensor<?x2x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %krep = tfm.reshape %ke, %merge : (tensor<?x2x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>, tensor<4xi64>) -> tensor<?x4x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %vrep = tfm.reshape %ve, %merge : (tensor<?x2x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>, tensor<4xi64>) -> tensor<?x4x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %kt = tfm.transpose %krep {perm = array<i64: 0, 1, 3, 2>} : (tensor<?x4x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>) -> tensor<?x4x4x?xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
  %s0 = tfm.matmul %qr, %kt : (tensor<?x4x?x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x4x4x?xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>) -> tensor<?x4x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>
  %s1 = tfm.div %s0, %sqrt_d : (tensor<?x4x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>, tensor<f32>) -> tensor<?x4x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>
  %s2 = tfm.add %s1, %mask : (tensor<?x4x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>, tensor<?x1x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>) -> tensor<?x4x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>
  %p = tfm.softmax %s2 : (tensor<?x4x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>) -> tensor<?x4x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>
  %c = tfm.matmul %p, %vrep : (tensor<?x4x?x?xf32, #tfm.dims<["batch", "sequence", "past_sequence + sequence"]>>, tensor<?x4x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>) -> tensor<?x4x?x4xf32, #tfm.dims<["batch", "sequence"]>>
  %ct = tfm.transpose %c {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x4x?x4xf32, #tfm.dims<["batch", "sequence"]>>) -> tensor<?x?x4x4xf32, #tfm.dims<["batch", "sequence"]>>
  %o = tfm.reshape %ct, %hidden : (tensor<?x?x4x4xf32, #tfm.dims<["batch", "sequence"]>>, tensor<3xi64>) -> tensor<?x?x16xf32, #tfm.dims<["batch", "sequence"]>>
  return %o, %kc, %vc : tensor<?x?x16xf32, #tfm.dims<["batch", "sequence"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>, tensor<?x2x?x4xf32, #tfm.dims<["batch", "past_sequence + sequence"]>>
}

// -----

// The experimental-experiment exporter's Llama: projections as 2-D Gemms on
// [B * S, hidden], rotate_half through a Split, cos and sin as Cos/Sin of
// Concat(f, f) (angles computed in the graph), the matmuls batched over
// [B * H, S, D] with the scores reshaped to [B, H, S, S] around the softmax,
// and the context merged back to [B * S, hidden].
// CHECK-LABEL: func.func @batched_heads_rotary_angles
// CHECK-DAG: %[[VG:.*]] = tfm.gemm %{{.*}}, %arg3
// CHECK-DAG: %[[KG:.*]] = tfm.gemm %{{.*}}, %arg2
// CHECK-DAG: %[[QG:.*]] = tfm.gemm %{{.*}}, %arg1
// CHECK: %[[Q3:.*]] = tfm.reshape %[[QG]], %{{.*}} -> tensor<?x4x8xf32
// CHECK: %[[COS:.*]] = tfm.cos %arg5
// CHECK: %[[COS2:.*]] = tfm.reshape %[[COS]], %{{.*}} -> tensor<4x2xf32>
// CHECK: %[[SIN:.*]] = tfm.sin %arg5
// CHECK: %[[SIN2:.*]] = tfm.reshape %[[SIN]], %{{.*}} -> tensor<4x2xf32>
// CHECK: %[[QR:.*]] = tfm.rotary_embedding %[[Q3]] cos %[[COS2]] sin %[[SIN2]] {num_heads = 2 : si64}
// CHECK: %[[K3:.*]] = tfm.reshape %[[KG]], %{{.*}} -> tensor<?x4x8xf32
// CHECK: %[[KR:.*]] = tfm.rotary_embedding %[[K3]] cos
// CHECK: %[[V3:.*]] = tfm.reshape %[[VG]], %{{.*}} -> tensor<?x4x8xf32
// CHECK: %[[O:.*]] = tfm.attention %[[QR]], %[[KR]], %[[V3]] mask %arg6 {mask_kind = #tfm<mask_kind additive>, num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>, scale = 5.000000e-01 : f32}
// CHECK: %[[O2:.*]] = tfm.reshape %[[O]], %{{.*}} -> tensor<?x8xf32
// CHECK-NOT: tfm.softmax
// CHECK: return %[[O2]]
func.func @batched_heads_rotary_angles(%x: tensor<?x4x8xf32, #tfm.dims<["batch"]>>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>,
                                       %wv: tensor<8x8xf32>, %dummy: tensor<1xf32>,
                                       %angles: tensor<1x4x2xf32>, %mask: tensor<?x1x4x4xf32, #tfm.dims<["batch"]>>) -> tensor<?x8xf32, #tfm.dims<["4*batch"]>> {
  %rows = tfm.constant dense<[-1, 8]> : tensor<2xi64>
  %heads = tfm.constant dense<[-1, 4, 2, 4]> : tensor<4xi64>
  %batched = tfm.constant dense<[-1, 4, 4]> : tensor<3xi64>
  %unbatched = tfm.constant dense<[-1, 2, 4, 4]> : tensor<4xi64>
  %halves = tfm.constant dense<2> : tensor<2xi64>
  %scale = tfm.constant dense<5.000000e-01> : tensor<f32>
  %c1 = tfm.constant dense<1> : tensor<1xi64>
  %x2 = tfm.reshape %x, %rows : (tensor<?x4x8xf32, #tfm.dims<["batch"]>>, tensor<2xi64>) -> tensor<?x8xf32, #tfm.dims<["4*batch"]>>
  %vg = tfm.gemm %x2, %wv {transB = 1 : si64} : (tensor<?x8xf32, #tfm.dims<["4*batch"]>>, tensor<8x8xf32>) -> tensor<?x8xf32, #tfm.dims<["4*batch"]>>
  %kg = tfm.gemm %x2, %wk {transB = 1 : si64} : (tensor<?x8xf32, #tfm.dims<["4*batch"]>>, tensor<8x8xf32>) -> tensor<?x8xf32, #tfm.dims<["4*batch"]>>
  %qg = tfm.gemm %x2, %wq {transB = 1 : si64} : (tensor<?x8xf32, #tfm.dims<["4*batch"]>>, tensor<8x8xf32>) -> tensor<?x8xf32, #tfm.dims<["4*batch"]>>
  %cat = tfm.concat %angles, %angles {axis = -1 : si64} : (tensor<1x4x2xf32>, tensor<1x4x2xf32>) -> tensor<1x4x4xf32>
  %cos0 = tfm.cos %cat : (tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %sin0 = tfm.sin %cat : (tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %cos = tfm.unsqueeze %cos0, %c1 : (tensor<1x4x4xf32>, tensor<1xi64>) -> tensor<1x1x4x4xf32>
  %sin = tfm.unsqueeze %sin0, %c1 : (tensor<1x4x4xf32>, tensor<1xi64>) -> tensor<1x1x4x4xf32>
  %v4 = tfm.reshape %vg, %heads : (tensor<?x8xf32, #tfm.dims<["4*batch"]>>, tensor<4xi64>) -> tensor<?x4x2x4xf32, #tfm.dims<["batch"]>>
  %k4 = tfm.reshape %kg, %heads : (tensor<?x8xf32, #tfm.dims<["4*batch"]>>, tensor<4xi64>) -> tensor<?x4x2x4xf32, #tfm.dims<["batch"]>>
  %q4 = tfm.reshape %qg, %heads : (tensor<?x8xf32, #tfm.dims<["4*batch"]>>, tensor<4xi64>) -> tensor<?x4x2x4xf32, #tfm.dims<["batch"]>>
  %v = tfm.transpose %v4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x4x2x4xf32, #tfm.dims<["batch"]>>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %k = tfm.transpose %k4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x4x2x4xf32, #tfm.dims<["batch"]>>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %q = tfm.transpose %q4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x4x2x4xf32, #tfm.dims<["batch"]>>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %ks:2 = tfm.split %k sizes %halves {axis = 3 : si64} : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>, tensor<2xi64>) -> (tensor<?x2x4x2xf32, #tfm.dims<["batch"]>>, tensor<?x2x4x2xf32, #tfm.dims<["batch"]>>)
  %ka = tfm.mul %k, %cos : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>, tensor<1x1x4x4xf32>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %qs:2 = tfm.split %q sizes %halves {axis = 3 : si64} : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>, tensor<2xi64>) -> (tensor<?x2x4x2xf32, #tfm.dims<["batch"]>>, tensor<?x2x4x2xf32, #tfm.dims<["batch"]>>)
  %qa = tfm.mul %q, %cos : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>, tensor<1x1x4x4xf32>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %v3 = tfm.reshape %v, %batched : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>, tensor<3xi64>) -> tensor<?x4x4xf32, #tfm.dims<["2*batch"]>>
  %kn = tfm.neg %ks#1 : (tensor<?x2x4x2xf32, #tfm.dims<["batch"]>>) -> tensor<?x2x4x2xf32, #tfm.dims<["batch"]>>
  %qn = tfm.neg %qs#1 : (tensor<?x2x4x2xf32, #tfm.dims<["batch"]>>) -> tensor<?x2x4x2xf32, #tfm.dims<["batch"]>>
  %kh = tfm.concat %kn, %ks#0 {axis = -1 : si64} : (tensor<?x2x4x2xf32, #tfm.dims<["batch"]>>, tensor<?x2x4x2xf32, #tfm.dims<["batch"]>>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %qh = tfm.concat %qn, %qs#0 {axis = -1 : si64} : (tensor<?x2x4x2xf32, #tfm.dims<["batch"]>>, tensor<?x2x4x2xf32, #tfm.dims<["batch"]>>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %kb = tfm.mul %kh, %sin : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>, tensor<1x1x4x4xf32>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %qb = tfm.mul %qh, %sin : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>, tensor<1x1x4x4xf32>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %kr = tfm.add %ka, %kb : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>, tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %qr = tfm.add %qa, %qb : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>, tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %kt = tfm.transpose %kr {perm = array<i64: 0, 1, 3, 2>} : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %q3 = tfm.reshape %qr, %batched : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>, tensor<3xi64>) -> tensor<?x4x4xf32, #tfm.dims<["2*batch"]>>
  %k3 = tfm.reshape %kt, %batched : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>, tensor<3xi64>) -> tensor<?x4x4xf32, #tfm.dims<["2*batch"]>>
  %s3 = tfm.matmul %q3, %k3 : (tensor<?x4x4xf32, #tfm.dims<["2*batch"]>>, tensor<?x4x4xf32, #tfm.dims<["2*batch"]>>) -> tensor<?x4x4xf32, #tfm.dims<["2*batch"]>>
  %s4 = tfm.reshape %s3, %unbatched : (tensor<?x4x4xf32, #tfm.dims<["2*batch"]>>, tensor<4xi64>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %s5 = tfm.mul %s4, %scale : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>, tensor<f32>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %s6 = tfm.add %s5, %mask : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>, tensor<?x1x4x4xf32, #tfm.dims<["batch"]>>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %p = tfm.softmax %s6 : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %p3 = tfm.reshape %p, %batched : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>, tensor<3xi64>) -> tensor<?x4x4xf32, #tfm.dims<["2*batch"]>>
  %c3 = tfm.matmul %p3, %v3 : (tensor<?x4x4xf32, #tfm.dims<["2*batch"]>>, tensor<?x4x4xf32, #tfm.dims<["2*batch"]>>) -> tensor<?x4x4xf32, #tfm.dims<["2*batch"]>>
  %c4 = tfm.reshape %c3, %unbatched : (tensor<?x4x4xf32, #tfm.dims<["2*batch"]>>, tensor<4xi64>) -> tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>
  %c5 = tfm.transpose %c4 {perm = array<i64: 0, 2, 1, 3>} : (tensor<?x2x4x4xf32, #tfm.dims<["batch"]>>) -> tensor<?x4x2x4xf32, #tfm.dims<["batch"]>>
  %o = tfm.reshape %c5, %rows : (tensor<?x4x2x4xf32, #tfm.dims<["batch"]>>, tensor<2xi64>) -> tensor<?x8xf32, #tfm.dims<["4*batch"]>>
  return %o : tensor<?x8xf32, #tfm.dims<["4*batch"]>>
}

// -----

// Attention probabilities returned as an output (output_attentions) stay.
// CHECK-LABEL: func.func @probs_returned
// CHECK: tfm.softmax
// CHECK-NOT: tfm.attention
func.func @probs_returned(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x4x3xf32>, %v: tensor<1x2x3x4xf32>)
    -> (tensor<1x2x3x4xf32>, tensor<1x2x3x3xf32>) {
  %s = tfm.matmul %q, %k : (tensor<1x2x3x4xf32>, tensor<1x2x4x3xf32>) -> tensor<1x2x3x3xf32>
  // expected-remark @below {{not fused as attention: the attention probabilities have other users}}
  %p = tfm.softmax %s : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %c = tfm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  return %c, %p : tensor<1x2x3x4xf32>, tensor<1x2x3x3xf32>
}

// -----

// A Where that sets scores to -1 is not a mask.
// CHECK-LABEL: func.func @where_mild_fill
// CHECK: tfm.softmax
// CHECK-NOT: tfm.attention
func.func @where_mild_fill(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x4x3xf32>, %v: tensor<1x2x3x4xf32>,
                           %keep: tensor<1x1x3x3xi1>) -> tensor<1x2x3x4xf32> {
  %fill = tfm.constant dense<-1.000000e+00> : tensor<f32>
  %s = tfm.matmul %q, %k : (tensor<1x2x3x4xf32>, tensor<1x2x4x3xf32>) -> tensor<1x2x3x3xf32>
  %m = tfm.where %keep, %s, %fill : (tensor<1x1x3x3xi1>, tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  // expected-remark @below {{not fused as attention: masked scores are set to -1.000000, not a masking value}}
  %p = tfm.softmax %m : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %c = tfm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  return %c : tensor<1x2x3x4xf32>
}

// -----

// GPT-2 as older transformers wrote it: Where(causal, scores, -10000), then
// the additive padding mask. Rows whose visible keys are all padded see
// -10000 + mask on hidden keys, which no form of tfm.attention reproduces.
// CHECK-LABEL: func.func @causal_fill_then_additive
// CHECK: tfm.softmax
// CHECK-NOT: tfm.attention
func.func @causal_fill_then_additive(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x4x3xf32>,
                                     %v: tensor<1x2x3x4xf32>, %mask: tensor<1x1x1x3xf32>)
    -> tensor<1x2x3x4xf32> {
  %neg = tfm.constant dense<-1.000000e+04> : tensor<f32>
  %bias = tfm.constant dense<[[[[1, 0, 0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1, 1, 1]]]]> : tensor<1x1x8x8xui8>
  %c0 = tfm.constant dense<0> : tensor<2xi64>
  %c3 = tfm.constant dense<3> : tensor<2xi64>
  %axes = tfm.constant dense<[2, 3]> : tensor<2xi64>
  %s = tfm.matmul %q, %k : (tensor<1x2x3x4xf32>, tensor<1x2x4x3xf32>) -> tensor<1x2x3x3xf32>
  %window = tfm.slice %bias[%c0, %c3 axes %axes] : (tensor<1x1x8x8xui8>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<1x1x3x3xui8>
  %cond = tfm.cast %window {to = i1} : (tensor<1x1x3x3xui8>) -> tensor<1x1x3x3xi1>
  %m = tfm.where %cond, %s, %neg : (tensor<1x1x3x3xi1>, tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  %a = tfm.add %m, %mask : (tensor<1x2x3x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x2x3x3xf32>
  // expected-remark @below {{not fused as attention: the causal Where sets masked scores to -10000.000000, so the mask added after it changes them (exact only below -1e30)}}
  %p = tfm.softmax %a : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %c = tfm.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  return %c : tensor<1x2x3x4xf32>
}

// -----

// A classifier's softmax over logits is an anchor too, and says why it stays.
// CHECK-LABEL: func.func @classifier_softmax
// CHECK: tfm.softmax
func.func @classifier_softmax(%logits: tensor<2x10xf32>) -> tensor<2x10xf32> {
  // expected-remark @below {{not fused as attention: the scores are not 4-D [batch, heads, query, key]}}
  %p = tfm.softmax %logits : (tensor<2x10xf32>) -> tensor<2x10xf32>
  return %p : tensor<2x10xf32>
}

// -----

// Multi-query attention with its single key/value head repeated by Tile,
// 1/sqrt(D) as a factor on the left, the mask added on the left and an
// Identity on the probabilities: operand order and noise do not matter.
// CHECK-LABEL: func.func @mqa_tile_commuted
// CHECK: %[[O:.*]] = tfm.attention %arg0, %arg1, %arg2 mask %arg3 {kv_num_heads = 1 : si64, mask_kind = #tfm<mask_kind additive>, num_heads = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>, scale = 5.000000e-01 : f32}
// CHECK-NEXT: return %[[O]]
func.func @mqa_tile_commuted(%q: tensor<2x3x8xf32>, %k: tensor<2x3x4xf32>, %v: tensor<2x3x4xf32>,
                             %mask: tensor<2x1x1x3xf32>) -> tensor<2x3x8xf32> {
  %qheads = tfm.constant dense<[0, 0, 2, 4]> : tensor<4xi64>
  %kvheads = tfm.constant dense<[0, 0, 1, 4]> : tensor<4xi64>
  %repeats = tfm.constant dense<[1, 2, 1, 1]> : tensor<4xi64>
  %hidden = tfm.constant dense<[0, 0, 8]> : tensor<3xi64>
  %inv_sqrt_d = tfm.constant dense<5.000000e-01> : tensor<f32>
  %q1 = tfm.reshape %q, %qheads : (tensor<2x3x8xf32>, tensor<4xi64>) -> tensor<2x3x2x4xf32>
  %k1 = tfm.reshape %k, %kvheads : (tensor<2x3x4xf32>, tensor<4xi64>) -> tensor<2x3x1x4xf32>
  %v1 = tfm.reshape %v, %kvheads : (tensor<2x3x4xf32>, tensor<4xi64>) -> tensor<2x3x1x4xf32>
  %q2 = tfm.transpose %q1 {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x3x2x4xf32>) -> tensor<2x2x3x4xf32>
  %k2 = tfm.transpose %k1 {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x3x1x4xf32>) -> tensor<2x1x3x4xf32>
  %v2 = tfm.transpose %v1 {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x3x1x4xf32>) -> tensor<2x1x3x4xf32>
  %k3 = tfm.tile %k2, %repeats : (tensor<2x1x3x4xf32>, tensor<4xi64>) -> tensor<2x2x3x4xf32>
  %v3 = tfm.tile %v2, %repeats : (tensor<2x1x3x4xf32>, tensor<4xi64>) -> tensor<2x2x3x4xf32>
  %kt = tfm.transpose %k3 {perm = array<i64: 0, 1, 3, 2>} : (tensor<2x2x3x4xf32>) -> tensor<2x2x4x3xf32>
  %s0 = tfm.matmul %q2, %kt : (tensor<2x2x3x4xf32>, tensor<2x2x4x3xf32>) -> tensor<2x2x3x3xf32>
  %s1 = tfm.mul %inv_sqrt_d, %s0 : (tensor<f32>, tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
  %s2 = tfm.add %mask, %s1 : (tensor<2x1x1x3xf32>, tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
  %p0 = tfm.softmax %s2 : (tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
  %p = tfm.identity %p0 : (tensor<2x2x3x3xf32>) -> tensor<2x2x3x3xf32>
  %c0 = tfm.matmul %p, %v3 : (tensor<2x2x3x3xf32>, tensor<2x2x3x4xf32>) -> tensor<2x2x3x4xf32>
  %c1 = tfm.transpose %c0 {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x2x3x4xf32>) -> tensor<2x3x2x4xf32>
  %c2 = tfm.reshape %c1, %hidden : (tensor<2x3x2x4xf32>, tensor<3xi64>) -> tensor<2x3x8xf32>
  return %c2 : tensor<2x3x8xf32>
}
