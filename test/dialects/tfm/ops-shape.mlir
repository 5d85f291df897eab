// RUN: tfmc-opt %s --split-input-file | tfmc-opt --split-input-file | FileCheck %s
// RUN: tfmc-opt %s --split-input-file --mlir-print-op-generic | tfmc-opt --split-input-file | FileCheck %s

// Round trip of the shape, data-movement and constant ops (TfmShapeOps.td).

// CHECK-LABEL: func.func @constant
// CHECK: tfm.constant dense<[1, 2]> : tensor<2xi64>
// CHECK: tfm.constant dense<5.000000e-01> : tensor<2x3xf16>
// CHECK: tfm.constant {tfm.name = "labels"} dense<["a", "bc"]> : tensor<2x!tfm.string>
// CHECK: tfm.constant dense<true> : tensor<i1>
func.func @constant() -> (tensor<2xi64>, tensor<2x3xf16>, tensor<2x!tfm.string>, tensor<i1>) {
  %0 = tfm.constant dense<[1, 2]> : tensor<2xi64>
  %1 = tfm.constant dense<0.5> : tensor<2x3xf16>
  %2 = tfm.constant {tfm.name = "labels"} dense<["a", "bc"]> : tensor<2x!tfm.string>
  %3 = tfm.constant dense<true> : tensor<i1>
  return %0, %1, %2, %3 : tensor<2xi64>, tensor<2x3xf16>, tensor<2x!tfm.string>, tensor<i1>
}

// -----

// Large initializers are dense_resource blobs.
// CHECK-LABEL: func.func @constant_resource
// CHECK: tfm.constant dense_resource<weight> : tensor<2xf32>
// CHECK: dialect_resources
// CHECK: weight: "0x040000000000803F00000040"
func.func @constant_resource() -> tensor<2xf32> {
  %0 = tfm.constant dense_resource<weight> : tensor<2xf32>
  return %0 : tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      weight: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// CHECK-LABEL: func.func @dim
// CHECK: tfm.dim %arg0[0] : tensor<?x?x8xf32, #tfm.dims<["batch", "seq + 1"]>>
// CHECK: tfm.dim %arg0[2] : tensor<?x?x8xf32, #tfm.dims<["batch", "seq + 1"]>>
func.func @dim(%x: tensor<?x?x8xf32, #tfm.dims<["batch", "seq + 1"]>>) -> (tensor<i64>, tensor<i64>) {
  %0 = tfm.dim %x[0] : tensor<?x?x8xf32, #tfm.dims<["batch", "seq + 1"]>>
  %1 = tfm.dim %x[2] : tensor<?x?x8xf32, #tfm.dims<["batch", "seq + 1"]>>
  return %0, %1 : tensor<i64>, tensor<i64>
}

// -----

// CHECK-LABEL: func.func @shape_size
// CHECK: tfm.shape %arg0 : (tensor<2x?x4xf32>) -> tensor<3xi64>
// CHECK: tfm.shape %arg0 {start = 1 : si64} : (tensor<2x?x4xf32>) -> tensor<2xi64>
// CHECK: tfm.shape %arg0 {end = -1 : si64, start = -2 : si64} : (tensor<2x?x4xf32>) -> tensor<1xi64>
// CHECK: tfm.size %arg0 : (tensor<2x?x4xf32>) -> tensor<i64>
func.func @shape_size(%x: tensor<2x?x4xf32>) -> (tensor<3xi64>, tensor<2xi64>, tensor<1xi64>, tensor<i64>) {
  %0 = tfm.shape %x : (tensor<2x?x4xf32>) -> tensor<3xi64>
  %1 = tfm.shape %x {start = 1 : si64} : (tensor<2x?x4xf32>) -> tensor<2xi64>
  %2 = tfm.shape %x {start = -2 : si64, end = -1 : si64} : (tensor<2x?x4xf32>) -> tensor<1xi64>
  %3 = tfm.size %x : (tensor<2x?x4xf32>) -> tensor<i64>
  return %0, %1, %2, %3 : tensor<3xi64>, tensor<2xi64>, tensor<1xi64>, tensor<i64>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK: tfm.transpose %arg0 {perm = array<i64: 0, 2, 1>} : (tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<?x64x?xf32, #tfm.dims<["batch", "seq"]>>
// CHECK: tfm.transpose %arg0 : (tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<64x?x?xf32, #tfm.dims<["seq", "batch"]>>
func.func @transpose(%x: tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>)
    -> (tensor<?x64x?xf32, #tfm.dims<["batch", "seq"]>>, tensor<64x?x?xf32, #tfm.dims<["seq", "batch"]>>) {
  %0 = tfm.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<?x64x?xf32, #tfm.dims<["batch", "seq"]>>
  %1 = tfm.transpose %x : (tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<64x?x?xf32, #tfm.dims<["seq", "batch"]>>
  return %0, %1 : tensor<?x64x?xf32, #tfm.dims<["batch", "seq"]>>, tensor<64x?x?xf32, #tfm.dims<["seq", "batch"]>>
}

// -----

// CHECK-LABEL: func.func @reshape
// CHECK: tfm.reshape %arg0, %{{.*}} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
// CHECK: tfm.reshape %arg0, %arg1 {allowzero = 1 : si64} : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
func.func @reshape(%x: tensor<2x3x4xf32>, %s: tensor<3xi64>) -> (tensor<2x12xf32>, tensor<?x?x?xf32>) {
  %shape = tfm.constant dense<[0, -1]> : tensor<2xi64>
  %0 = tfm.reshape %x, %shape : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  %1 = tfm.reshape %x, %s {allowzero = 1 : si64} : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %0, %1 : tensor<2x12xf32>, tensor<?x?x?xf32>
}

// -----

// Splitting heads and merging batch and sequence keep symbolic dims.
// CHECK-LABEL: func.func @reshape_symbolic
// CHECK: tfm.reshape %arg0, %{{.*}} : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<4xi64>) -> tensor<?x?x12x64xf32, #tfm.dims<["batch", "seq"]>>
// CHECK: tfm.reshape %arg0, %{{.*}} : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<2xi64>) -> tensor<?x768xf32, #tfm.dims<["batch*seq"]>>
func.func @reshape_symbolic(%x: tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>)
    -> (tensor<?x?x12x64xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x768xf32, #tfm.dims<["batch*seq"]>>) {
  %heads = tfm.constant dense<[0, 0, 12, 64]> : tensor<4xi64>
  %flat = tfm.constant dense<[-1, 768]> : tensor<2xi64>
  %0 = tfm.reshape %x, %heads : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<4xi64>) -> tensor<?x?x12x64xf32, #tfm.dims<["batch", "seq"]>>
  %1 = tfm.reshape %x, %flat : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<2xi64>) -> tensor<?x768xf32, #tfm.dims<["batch*seq"]>>
  return %0, %1 : tensor<?x?x12x64xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x768xf32, #tfm.dims<["batch*seq"]>>
}

// -----

// CHECK-LABEL: func.func @flatten
// CHECK: tfm.flatten %arg0 : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
// CHECK: tfm.flatten %arg0 {axis = 0 : si64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
// CHECK: tfm.flatten %arg1 {axis = -1 : si64} : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<?x768xf32, #tfm.dims<["batch*seq"]>>
func.func @flatten(%x: tensor<2x3x4xf32>, %y: tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>)
    -> (tensor<2x12xf32>, tensor<1x24xf32>, tensor<?x768xf32, #tfm.dims<["batch*seq"]>>) {
  %0 = tfm.flatten %x : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %1 = tfm.flatten %x {axis = 0 : si64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
  %2 = tfm.flatten %y {axis = -1 : si64} : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<?x768xf32, #tfm.dims<["batch*seq"]>>
  return %0, %1, %2 : tensor<2x12xf32>, tensor<1x24xf32>, tensor<?x768xf32, #tfm.dims<["batch*seq"]>>
}

// -----

// CHECK-LABEL: func.func @squeeze
// CHECK: tfm.squeeze %arg0 : (tensor<1x3x1x4xf32>) -> tensor<3x4xf32>
// CHECK: tfm.squeeze %arg0 axes %{{.*}} : (tensor<1x3x1x4xf32>, tensor<1xi64>) -> tensor<3x1x4xf32>
// CHECK: tfm.squeeze %arg0 axes %arg1 : (tensor<1x3x1x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
func.func @squeeze(%x: tensor<1x3x1x4xf32>, %a: tensor<2xi64>) -> (tensor<3x4xf32>, tensor<3x1x4xf32>, tensor<?x?xf32>) {
  %axes = tfm.constant dense<0> : tensor<1xi64>
  %0 = tfm.squeeze %x : (tensor<1x3x1x4xf32>) -> tensor<3x4xf32>
  %1 = tfm.squeeze %x axes %axes : (tensor<1x3x1x4xf32>, tensor<1xi64>) -> tensor<3x1x4xf32>
  %2 = tfm.squeeze %x axes %a : (tensor<1x3x1x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<3x4xf32>, tensor<3x1x4xf32>, tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @unsqueeze
// CHECK: tfm.unsqueeze %arg0, %{{.*}} : (tensor<?x4xf32, #tfm.dims<["seq"]>>, tensor<2xi64>) -> tensor<1x?x4x1xf32, #tfm.dims<["seq"]>>
// CHECK: tfm.unsqueeze %arg0, %arg1 : (tensor<?x4xf32, #tfm.dims<["seq"]>>, tensor<1xi64>) -> tensor<?x?x?xf32>
func.func @unsqueeze(%x: tensor<?x4xf32, #tfm.dims<["seq"]>>, %a: tensor<1xi64>)
    -> (tensor<1x?x4x1xf32, #tfm.dims<["seq"]>>, tensor<?x?x?xf32>) {
  %axes = tfm.constant dense<[0, -1]> : tensor<2xi64>
  %0 = tfm.unsqueeze %x, %axes : (tensor<?x4xf32, #tfm.dims<["seq"]>>, tensor<2xi64>) -> tensor<1x?x4x1xf32, #tfm.dims<["seq"]>>
  %1 = tfm.unsqueeze %x, %a : (tensor<?x4xf32, #tfm.dims<["seq"]>>, tensor<1xi64>) -> tensor<?x?x?xf32>
  return %0, %1 : tensor<1x?x4x1xf32, #tfm.dims<["seq"]>>, tensor<?x?x?xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK: tfm.concat %arg0, %arg1 {axis = 1 : si64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
// CHECK: tfm.concat %arg0 {axis = -1 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> (tensor<2x8xf32>, tensor<2x3xf32>) {
  %0 = tfm.concat %a, %b {axis = 1 : si64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  %1 = tfm.concat %a {axis = -1 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x8xf32>, tensor<2x3xf32>
}

// -----

// The KV-cache concatenation: past + new along the sequence axis.
// CHECK-LABEL: func.func @concat_symbolic
// CHECK: tfm.concat %arg0, %arg1 {axis = 2 : si64} : (tensor<?x12x?x64xf32, #tfm.dims<["batch", "past"]>>, tensor<?x12x?x64xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>
func.func @concat_symbolic(%p: tensor<?x12x?x64xf32, #tfm.dims<["batch", "past"]>>, %n: tensor<?x12x?x64xf32, #tfm.dims<["batch", "seq"]>>)
    -> tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>> {
  %0 = tfm.concat %p, %n {axis = 2 : si64} : (tensor<?x12x?x64xf32, #tfm.dims<["batch", "past"]>>, tensor<?x12x?x64xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>
  return %0 : tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>
}

// -----

// Split has one result per part: equal, uneven (the last part smaller) and
// explicit sizes.
// CHECK-LABEL: func.func @split
// CHECK: %{{.*}}:3 = tfm.split %arg0 : (tensor<6x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
// CHECK: %{{.*}}:2 = tfm.split %arg0 sizes %{{.*}} : (tensor<6x4xf32>, tensor<2xi64>) -> (tensor<1x4xf32>, tensor<5x4xf32>)
// CHECK: %{{.*}}:3 = tfm.split %arg1 {axis = -1 : si64} : (tensor<2x7xi32>) -> (tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x1xi32>)
// CHECK: %{{.*}} = tfm.split %arg1 : (tensor<2x7xi32>) -> tensor<2x7xi32>
func.func @split(%x: tensor<6x4xf32>, %y: tensor<2x7xi32>)
    -> (tensor<2x4xf32>, tensor<5x4xf32>, tensor<2x1xi32>, tensor<2x7xi32>) {
  %sizes = tfm.constant dense<[1, 5]> : tensor<2xi64>
  %0:3 = tfm.split %x : (tensor<6x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>)
  %1:2 = tfm.split %x sizes %sizes : (tensor<6x4xf32>, tensor<2xi64>) -> (tensor<1x4xf32>, tensor<5x4xf32>)
  %2:3 = tfm.split %y {axis = -1 : si64} : (tensor<2x7xi32>) -> (tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x1xi32>)
  %3 = tfm.split %y : (tensor<2x7xi32>) -> tensor<2x7xi32>
  return %0#2, %1#1, %2#2, %3 : tensor<2x4xf32>, tensor<5x4xf32>, tensor<2x1xi32>, tensor<2x7xi32>
}

// -----

// Splitting a fused QKV-style projection of symbolic width 2*hidden.
// CHECK-LABEL: func.func @split_symbolic
// CHECK: %{{.*}}:2 = tfm.split %arg0 {axis = 1 : si64} : (tensor<?x?xf32, #tfm.dims<["batch", "2*hidden"]>>) -> (tensor<?x?xf32, #tfm.dims<["batch", "hidden"]>>, tensor<?x?xf32, #tfm.dims<["batch", "hidden"]>>)
func.func @split_symbolic(%x: tensor<?x?xf32, #tfm.dims<["batch", "2*hidden"]>>)
    -> (tensor<?x?xf32, #tfm.dims<["batch", "hidden"]>>, tensor<?x?xf32, #tfm.dims<["batch", "hidden"]>>) {
  %0:2 = tfm.split %x {axis = 1 : si64} : (tensor<?x?xf32, #tfm.dims<["batch", "2*hidden"]>>) -> (tensor<?x?xf32, #tfm.dims<["batch", "hidden"]>>, tensor<?x?xf32, #tfm.dims<["batch", "hidden"]>>)
  return %0#0, %0#1 : tensor<?x?xf32, #tfm.dims<["batch", "hidden"]>>, tensor<?x?xf32, #tfm.dims<["batch", "hidden"]>>
}

// -----

// CHECK-LABEL: func.func @slice
// CHECK: tfm.slice %arg0[%{{.*}}, %{{.*}}] : (tensor<10x20xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<5x17xf32>
// CHECK: tfm.slice %arg0[%{{.*}}, %{{.*}} axes %{{.*}} steps %{{.*}}] : (tensor<10x20xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<4x20xf32>
// CHECK: tfm.slice %arg0[%arg1, %arg1] : (tensor<10x20xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
func.func @slice(%x: tensor<10x20xf32>, %dyn: tensor<2xi64>) -> (tensor<5x17xf32>, tensor<4x20xf32>, tensor<?x?xf32>) {
  %starts = tfm.constant dense<[0, 2]> : tensor<2xi64>
  %ends = tfm.constant dense<[5, -1]> : tensor<2xi64>
  %0 = tfm.slice %x[%starts, %ends] : (tensor<10x20xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<5x17xf32>
  %s = tfm.constant dense<8> : tensor<1xi32>
  %e = tfm.constant dense<0> : tensor<1xi32>
  %a = tfm.constant dense<0> : tensor<1xi32>
  %st = tfm.constant dense<-2> : tensor<1xi32>
  %1 = tfm.slice %x[%s, %e axes %a steps %st] : (tensor<10x20xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<4x20xf32>
  %2 = tfm.slice %x[%dyn, %dyn] : (tensor<10x20xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<5x17xf32>, tensor<4x20xf32>, tensor<?x?xf32>
}

// -----

// Dropping the first token of a symbolic sequence.
// CHECK-LABEL: func.func @slice_symbolic
// CHECK: tfm.slice %arg0[%{{.*}}, %{{.*}} axes %{{.*}}] : (tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?x64xf32, #tfm.dims<["batch", "seq - 1"]>>
func.func @slice_symbolic(%x: tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<?x?x64xf32, #tfm.dims<["batch", "seq - 1"]>> {
  %s = tfm.constant dense<1> : tensor<1xi64>
  %e = tfm.constant dense<9223372036854775807> : tensor<1xi64>
  %a = tfm.constant dense<1> : tensor<1xi64>
  %0 = tfm.slice %x[%s, %e axes %a] : (tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?x64xf32, #tfm.dims<["batch", "seq - 1"]>>
  return %0 : tensor<?x?x64xf32, #tfm.dims<["batch", "seq - 1"]>>
}

// -----

// Symbolic bounds with the end 5 before the start: an empty slice, not a
// negative size.
// CHECK-LABEL: func.func @slice_symbolic_empty
// CHECK: tfm.slice %arg0[%{{.*}}, %{{.*}}] : (tensor<?xf32, #tfm.dims<["n"]>>, tensor<1xi64>, tensor<1xi64>) -> tensor<0xf32>
func.func @slice_symbolic_empty(%x: tensor<?xf32, #tfm.dims<["n"]>>) -> tensor<0xf32> {
  %n = tfm.shape %x : (tensor<?xf32, #tfm.dims<["n"]>>) -> tensor<1xi64>
  %five = tfm.constant dense<5> : tensor<1xi64>
  %s = tfm.add %n, %five : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %0 = tfm.slice %x[%s, %n] : (tensor<?xf32, #tfm.dims<["n"]>>, tensor<1xi64>, tensor<1xi64>) -> tensor<0xf32>
  return %0 : tensor<0xf32>
}

// -----

// Steps at the int64 extremes, and an empty dim read backwards: the usual
// ceil((end - start) / step) overflows there (and clamped to [0, -1]).
// CHECK-LABEL: func.func @slice_extreme_steps
// CHECK: -> tensor<1xf32>
// CHECK: -> tensor<1xf32>
// CHECK: -> tensor<0xf32>
func.func @slice_extreme_steps(%x: tensor<10xf32>, %e: tensor<0xf32>) -> (tensor<1xf32>, tensor<1xf32>, tensor<0xf32>) {
  %nine = tfm.constant dense<9> : tensor<1xi64>
  %zero = tfm.constant dense<0> : tensor<1xi64>
  %min = tfm.constant dense<-9223372036854775808> : tensor<1xi64>
  %max = tfm.constant dense<9223372036854775807> : tensor<1xi64>
  %minus_one = tfm.constant dense<-1> : tensor<1xi64>
  %0 = tfm.slice %x[%nine, %min axes %zero steps %min] : (tensor<10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xf32>
  %1 = tfm.slice %x[%zero, %max axes %zero steps %max] : (tensor<10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xf32>
  %2 = tfm.slice %e[%zero, %minus_one axes %zero steps %minus_one] : (tensor<0xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<0xf32>
  return %0, %1, %2 : tensor<1xf32>, tensor<1xf32>, tensor<0xf32>
}

// -----

// CHECK-LABEL: func.func @gather
// CHECK: tfm.gather %arg0, %arg1 : (tensor<100x64xf32>, tensor<?x?xi64, #tfm.dims<["batch", "seq"]>>) -> tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>
// CHECK: tfm.gather %arg2, %arg3 {axis = 1 : si64} : (tensor<2x3x4xf32>, tensor<i32>) -> tensor<2x4xf32>
func.func @gather(%emb: tensor<100x64xf32>, %ids: tensor<?x?xi64, #tfm.dims<["batch", "seq"]>>, %x: tensor<2x3x4xf32>, %i: tensor<i32>)
    -> (tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>, tensor<2x4xf32>) {
  %0 = tfm.gather %emb, %ids : (tensor<100x64xf32>, tensor<?x?xi64, #tfm.dims<["batch", "seq"]>>) -> tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>
  %1 = tfm.gather %x, %i {axis = 1 : si64} : (tensor<2x3x4xf32>, tensor<i32>) -> tensor<2x4xf32>
  return %0, %1 : tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>, tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @gather_elements
// CHECK: tfm.gather_elements %arg0, %arg1 {axis = 1 : si64} : (tensor<3x4xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
func.func @gather_elements(%x: tensor<3x4xf32>, %i: tensor<3x2xi64>) -> tensor<3x2xf32> {
  %0 = tfm.gather_elements %x, %i {axis = 1 : si64} : (tensor<3x4xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Without `value` the result is f32 zeros; `value` sets the element type.
// CHECK-LABEL: func.func @constant_of_shape
// CHECK: tfm.constant_of_shape %[[S:.*]] : (tensor<2xi64>) -> tensor<2x3xf32>
// CHECK: tfm.constant_of_shape %[[S]] {value = dense<1> : tensor<1xi64>} : (tensor<2xi64>) -> tensor<2x3xi64>
// CHECK: tfm.constant_of_shape %arg0 {value = dense<true> : tensor<1xi1>} : (tensor<2xi64>) -> tensor<?x?xi1>
func.func @constant_of_shape(%dyn: tensor<2xi64>) -> (tensor<2x3xf32>, tensor<2x3xi64>, tensor<?x?xi1>) {
  %s = tfm.constant dense<[2, 3]> : tensor<2xi64>
  %0 = tfm.constant_of_shape %s : (tensor<2xi64>) -> tensor<2x3xf32>
  %1 = tfm.constant_of_shape %s {value = dense<1> : tensor<1xi64>} : (tensor<2xi64>) -> tensor<2x3xi64>
  %2 = tfm.constant_of_shape %dyn {value = dense<true> : tensor<1xi1>} : (tensor<2xi64>) -> tensor<?x?xi1>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xi64>, tensor<?x?xi1>
}

// -----

// CHECK-LABEL: func.func @expand
// CHECK: tfm.expand %arg0, %{{.*}} : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
func.func @expand(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %s = tfm.constant dense<[2, 1, 4]> : tensor<3xi64>
  %0 = tfm.expand %x, %s : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// The target shape read from another tensor's Shape keeps its names.
// CHECK-LABEL: func.func @expand_symbolic
// CHECK: %[[S:.*]] = tfm.shape %arg1 : (tensor<?x?xi64, #tfm.dims<["batch", "seq"]>>) -> tensor<2xi64>
// CHECK: tfm.expand %arg0, %[[S]] : (tensor<1x1xf32>, tensor<2xi64>) -> tensor<?x?xf32, #tfm.dims<["batch", "seq"]>>
func.func @expand_symbolic(%x: tensor<1x1xf32>, %ids: tensor<?x?xi64, #tfm.dims<["batch", "seq"]>>)
    -> tensor<?x?xf32, #tfm.dims<["batch", "seq"]>> {
  %s = tfm.shape %ids : (tensor<?x?xi64, #tfm.dims<["batch", "seq"]>>) -> tensor<2xi64>
  %0 = tfm.expand %x, %s : (tensor<1x1xf32>, tensor<2xi64>) -> tensor<?x?xf32, #tfm.dims<["batch", "seq"]>>
  return %0 : tensor<?x?xf32, #tfm.dims<["batch", "seq"]>>
}

// -----

// CHECK-LABEL: func.func @tile
// CHECK: tfm.tile %arg0, %[[R:.*]] : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<6x3xf32>
// CHECK: tfm.tile %arg1, %[[R]] : (tensor<?x3xf32, #tfm.dims<["batch"]>>, tensor<2xi64>) -> tensor<?x3xf32, #tfm.dims<["3*batch"]>>
func.func @tile(%x: tensor<2x3xf32>, %y: tensor<?x3xf32, #tfm.dims<["batch"]>>)
    -> (tensor<6x3xf32>, tensor<?x3xf32, #tfm.dims<["3*batch"]>>) {
  %r = tfm.constant dense<[3, 1]> : tensor<2xi64>
  %0 = tfm.tile %x, %r : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<6x3xf32>
  %1 = tfm.tile %y, %r : (tensor<?x3xf32, #tfm.dims<["batch"]>>, tensor<2xi64>) -> tensor<?x3xf32, #tfm.dims<["3*batch"]>>
  return %0, %1 : tensor<6x3xf32>, tensor<?x3xf32, #tfm.dims<["3*batch"]>>
}

// -----

// Pad with the default constant mode, and with a value, axes and a mode.
// CHECK-LABEL: func.func @pad
// CHECK: tfm.pad %arg0, %{{.*}} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<3x6xf32>
// CHECK: tfm.pad %arg0, %{{.*}} value %arg1 axes %{{.*}} {mode = "reflect"} : (tensor<2x3xf32>, tensor<2xi64>, tensor<f32>, tensor<1xi32>) -> tensor<2x5xf32>
func.func @pad(%x: tensor<2x3xf32>, %v: tensor<f32>) -> (tensor<3x6xf32>, tensor<2x5xf32>) {
  %pads = tfm.constant dense<[1, 1, 0, 2]> : tensor<4xi64>
  %0 = tfm.pad %x, %pads : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<3x6xf32>
  %p2 = tfm.constant dense<[1, 1]> : tensor<2xi64>
  %axes = tfm.constant dense<-1> : tensor<1xi32>
  %1 = tfm.pad %x, %p2 value %v axes %axes {mode = "reflect"} : (tensor<2x3xf32>, tensor<2xi64>, tensor<f32>, tensor<1xi32>) -> tensor<2x5xf32>
  return %0, %1 : tensor<3x6xf32>, tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func.func @range
// CHECK: tfm.range %{{.*}}, %{{.*}}, %{{.*}} : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<4xi64>
// CHECK: tfm.range %arg0, %arg1, %arg2 : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
func.func @range(%a: tensor<f32>, %b: tensor<f32>, %c: tensor<f32>) -> (tensor<4xi64>, tensor<?xf32>) {
  %start = tfm.constant dense<0> : tensor<i64>
  %limit = tfm.constant dense<10> : tensor<i64>
  %delta = tfm.constant dense<3> : tensor<i64>
  %0 = tfm.range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<4xi64>
  %1 = tfm.range %a, %b, %c : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  return %0, %1 : tensor<4xi64>, tensor<?xf32>
}

// -----

// Position ids 0 .. seq - 1.
// CHECK-LABEL: func.func @range_symbolic
// CHECK: %[[N:.*]] = tfm.dim %arg0[1] : tensor<?x?xi64, #tfm.dims<["batch", "seq"]>>
// CHECK: tfm.range %{{.*}}, %[[N]], %{{.*}} : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64, #tfm.dims<["seq"]>>
func.func @range_symbolic(%ids: tensor<?x?xi64, #tfm.dims<["batch", "seq"]>>) -> tensor<?xi64, #tfm.dims<["seq"]>> {
  %zero = tfm.constant dense<0> : tensor<i64>
  %one = tfm.constant dense<1> : tensor<i64>
  %n = tfm.dim %ids[1] : tensor<?x?xi64, #tfm.dims<["batch", "seq"]>>
  %0 = tfm.range %zero, %n, %one : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64, #tfm.dims<["seq"]>>
  return %0 : tensor<?xi64, #tfm.dims<["seq"]>>
}

// -----

// Equal parts of INT64_MAX: ceil(n / 2) without computing n + 1.
// CHECK-LABEL: func.func @split_huge
// CHECK: -> (tensor<4611686018427387904xf32>, tensor<4611686018427387903xf32>)
func.func @split_huge(%x: tensor<9223372036854775807xf32>) -> (tensor<4611686018427387904xf32>, tensor<4611686018427387903xf32>) {
  %0:2 = tfm.split %x : (tensor<9223372036854775807xf32>) -> (tensor<4611686018427387904xf32>, tensor<4611686018427387903xf32>)
  return %0#0, %0#1 : tensor<4611686018427387904xf32>, tensor<4611686018427387903xf32>
}

// -----

// A shape entry that overflows is unknown, not INT64_MAX + 3 wrapped to a
// negative size.
// CHECK-LABEL: func.func @constant_of_shape_overflow
// CHECK: tfm.constant_of_shape %{{.*}} : (tensor<1xi64>) -> tensor<?xf32>
func.func @constant_of_shape_overflow() -> tensor<?xf32> {
  %max = tfm.constant dense<9223372036854775807> : tensor<1xi64>
  %three = tfm.constant dense<3> : tensor<1xi64>
  %s = tfm.add %max, %three : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %0 = tfm.constant_of_shape %s : (tensor<1xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Counts that overflow int64 are left unknown: INT64_MIN elements down by
// -1 (INT64_MIN / -1 traps), and a span wider than int64. A symbolic limit
// below the start counts no elements.
// CHECK-LABEL: func.func @range_extremes
// CHECK: tfm.range %{{.*}}, %{{.*}}, %{{.*}} : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
// CHECK: tfm.range %{{.*}}, %{{.*}}, %{{.*}} : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
// CHECK: tfm.range %{{.*}}, %{{.*}}, %{{.*}} : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<0xi64>
func.func @range_extremes(%ids: tensor<?xi64, #tfm.dims<["seq"]>>) -> (tensor<?xi64>, tensor<?xi64>, tensor<0xi64>) {
  %zero = tfm.constant dense<0> : tensor<i64>
  %min = tfm.constant dense<-9223372036854775808> : tensor<i64>
  %max = tfm.constant dense<9223372036854775807> : tensor<i64>
  %minus_one = tfm.constant dense<-1> : tensor<i64>
  %one = tfm.constant dense<1> : tensor<i64>
  %0 = tfm.range %zero, %min, %minus_one : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  %1 = tfm.range %min, %max, %one : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  %n = tfm.dim %ids[0] : tensor<?xi64, #tfm.dims<["seq"]>>
  %three = tfm.constant dense<3> : tensor<i64>
  %m = tfm.sub %n, %three : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %2 = tfm.range %n, %m, %one : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<0xi64>
  return %0, %1, %2 : tensor<?xi64>, tensor<?xi64>, tensor<0xi64>
}

// -----

// CHECK-LABEL: func.func @trilu
// CHECK: tfm.trilu %arg0 : (tensor<4x4xf32>) -> tensor<4x4xf32>
// CHECK: tfm.trilu %arg0 k %arg1 {upper = 0 : si64} : (tensor<4x4xf32>, tensor<i64>) -> tensor<4x4xf32>
func.func @trilu(%x: tensor<4x4xf32>, %k: tensor<i64>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %0 = tfm.trilu %x : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %1 = tfm.trilu %x k %k {upper = 0 : si64} : (tensor<4x4xf32>, tensor<i64>) -> tensor<4x4xf32>
  return %0, %1 : tensor<4x4xf32>, tensor<4x4xf32>
}
