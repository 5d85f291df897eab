// RUN: tfmc-opt %s --tfm-fuse --split-input-file --verify-diagnostics --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s

// Llama's MLP (zoo llama, torch 1.13): act_fn = SiLU as gate * sigmoid(gate),
// then times the up projection.
// CHECK-LABEL: func.func @swiglu_llama
// CHECK-NEXT: %[[Y:.*]] = tfm.swiglu %arg0, %arg1 : (tensor<2x3x16xf32>, tensor<2x3x16xf32>) -> tensor<2x3x16xf32> loc(fused<"swiglu">["act_fn/Sigmoid", "act_fn/Mul", "mlp/Mul"])
// CHECK-NEXT: return %[[Y]]
func.func @swiglu_llama(%gate: tensor<2x3x16xf32>, %up: tensor<2x3x16xf32>) -> tensor<2x3x16xf32> {
  %0 = tfm.sigmoid %gate : (tensor<2x3x16xf32>) -> tensor<2x3x16xf32> loc("act_fn/Sigmoid")
  %1 = tfm.mul %gate, %0 : (tensor<2x3x16xf32>, tensor<2x3x16xf32>) -> tensor<2x3x16xf32> loc("act_fn/Mul")
  %2 = tfm.mul %1, %up : (tensor<2x3x16xf32>, tensor<2x3x16xf32>) -> tensor<2x3x16xf32> loc("mlp/Mul")
  return %2 : tensor<2x3x16xf32>
}

// -----

// The shared tiny Llama (a custom exporter's graph optimizer): the gate is
// [B*S, F], the sigmoid runs on a [B, S, F] view of it and is reshaped back
// before the products. Reshapes keep the element order, so it is
// silu(gate) * up on the [B*S, F] tensors.
// CHECK-LABEL: func.func @swiglu_view
// CHECK-NEXT: %[[Y:.*]] = tfm.swiglu %arg0, %arg1 : (tensor<?x16xf32, #tfm.dims<["1024*batch"]>>, tensor<?x16xf32, #tfm.dims<["1024*batch"]>>) -> tensor<?x16xf32, #tfm.dims<["1024*batch"]>> loc(fused<"swiglu">["view21", "silu", "Reshape2Of3Pattern--silu2", "Reshape2Of3Pattern--silu22", "Reshape2Of3Pattern--mul282"])
// CHECK-NEXT: return %[[Y]]
func.func @swiglu_view(%gate: tensor<?x16xf32, #tfm.dims<["1024*batch"]>>, %up: tensor<?x16xf32, #tfm.dims<["1024*batch"]>>) -> tensor<?x16xf32, #tfm.dims<["1024*batch"]>> {
  %view = tfm.constant dense<[-1, 1024, 16]> : tensor<3xi64>
  %flat = tfm.constant dense<[-1, 16]> : tensor<2xi64>
  %0 = tfm.reshape %gate, %view : (tensor<?x16xf32, #tfm.dims<["1024*batch"]>>, tensor<3xi64>) -> tensor<?x1024x16xf32, #tfm.dims<["batch"]>> loc("view21")
  %1 = tfm.sigmoid %0 : (tensor<?x1024x16xf32, #tfm.dims<["batch"]>>) -> tensor<?x1024x16xf32, #tfm.dims<["batch"]>> loc("silu")
  %2 = tfm.reshape %1, %flat : (tensor<?x1024x16xf32, #tfm.dims<["batch"]>>, tensor<2xi64>) -> tensor<?x16xf32, #tfm.dims<["1024*batch"]>> loc("Reshape2Of3Pattern--silu2")
  %3 = tfm.mul %gate, %2 : (tensor<?x16xf32, #tfm.dims<["1024*batch"]>>, tensor<?x16xf32, #tfm.dims<["1024*batch"]>>) -> tensor<?x16xf32, #tfm.dims<["1024*batch"]>> loc("Reshape2Of3Pattern--silu22")
  %4 = tfm.mul %3, %up : (tensor<?x16xf32, #tfm.dims<["1024*batch"]>>, tensor<?x16xf32, #tfm.dims<["1024*batch"]>>) -> tensor<?x16xf32, #tfm.dims<["1024*batch"]>> loc("Reshape2Of3Pattern--mul282")
  return %4 : tensor<?x16xf32, #tfm.dims<["1024*batch"]>>
}

// -----

// A view reshaped back to another shape is not sigmoid(gate): no anchor.
// CHECK-LABEL: func.func @view_other_shape
// CHECK-NOT: tfm.swiglu
func.func @view_other_shape(%gate: tensor<4x16xf32>, %up: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %view = tfm.constant dense<[2, 2, 16]> : tensor<3xi64>
  %other = tfm.constant dense<[8, 8]> : tensor<2xi64>
  %0 = tfm.reshape %gate, %view : (tensor<4x16xf32>, tensor<3xi64>) -> tensor<2x2x16xf32>
  %1 = tfm.sigmoid %0 : (tensor<2x2x16xf32>) -> tensor<2x2x16xf32>
  %2 = tfm.reshape %1, %other : (tensor<2x2x16xf32>, tensor<2xi64>) -> tensor<8x8xf32>
  %3 = tfm.reshape %gate, %other : (tensor<4x16xf32>, tensor<2xi64>) -> tensor<8x8xf32>
  %4 = tfm.mul %3, %2 : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  %5 = tfm.mul %4, %up : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  return %5 : tensor<8x8xf32>
}

// -----

// SiLU alone (no up projection) is reported.
// CHECK-LABEL: func.func @silu_alone
// CHECK: tfm.sigmoid
// CHECK-NOT: tfm.swiglu
func.func @silu_alone(%gate: tensor<2x16xf32>, %w: tensor<16x4xf32>) -> tensor<2x4xf32> {
  // expected-remark @below {{not fused as swiglu: silu(gate) is not multiplied by an up projection}}
  %0 = tfm.sigmoid %gate : (tensor<2x16xf32>) -> tensor<2x16xf32>
  %1 = tfm.mul %gate, %0 : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  %2 = tfm.matmul %1, %w : (tensor<2x16xf32>, tensor<16x4xf32>) -> tensor<2x4xf32>
  return %2 : tensor<2x4xf32>
}
