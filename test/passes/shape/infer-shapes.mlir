// RUN: tfmc-opt --tfm-infer-shapes --split-input-file %s | FileCheck %s

// Result types are refined from the operands, values of shape tensors are
// followed through exporter chains, and the function type follows the
// returned values. Nothing is folded.

// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: -> tensor<?x?x12x64xf32, #tfm.dims<["batch", "seq"]>>
// CHECK: %[[SHAPE:.*]] = tfm.shape %arg0
// CHECK: %[[B:.*]] = tfm.gather %[[SHAPE]]
// CHECK: %[[S:.*]] = tfm.gather %[[SHAPE]]
// CHECK: %[[TARGET:.*]] = tfm.concat
// CHECK: %[[R:.*]] = tfm.reshape %arg0, %[[TARGET]] : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<4xi64>) -> tensor<?x?x12x64xf32, #tfm.dims<["batch", "seq"]>>
// CHECK: return %[[R]] : tensor<?x?x12x64xf32, #tfm.dims<["batch", "seq"]>>
func.func @reshape_chain(%x: tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<?x?x?x?xf32> {
  %shape = tfm.shape %x : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<3xi64>
  %c0 = tfm.constant dense<0> : tensor<i64>
  %c1 = tfm.constant dense<1> : tensor<i64>
  %b = tfm.gather %shape, %c0 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %s = tfm.gather %shape, %c1 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %axes = tfm.constant dense<0> : tensor<1xi64>
  %b1 = tfm.unsqueeze %b, %axes : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %s1 = tfm.unsqueeze %s, %axes : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %heads = tfm.constant dense<[12, 64]> : tensor<2xi64>
  %target = tfm.concat %b1, %s1, %heads {axis = 0 : si64} : (tensor<1xi64>, tensor<1xi64>, tensor<2xi64>) -> tensor<4xi64>
  %r = tfm.reshape %x, %target : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return %r : tensor<?x?x?x?xf32>
}

// -----

// A target that is not a known shape value gives dims of unknown size.
// CHECK-LABEL: func.func @reshape_unknown_target
// CHECK: tfm.reshape %arg0, %arg1 : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<3xi64>) -> tensor<?x?x?xf32>{{$}}
func.func @reshape_unknown_target(%x: tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, %t: tensor<3xi64>) -> tensor<?x?x?xf32> {
  %r = tfm.reshape %x, %t : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %r : tensor<?x?x?xf32>
}

// -----

// The KV cache: past and new keys concatenated along the sequence axis.
// CHECK-LABEL: func.func @concat_past
// CHECK-SAME: -> (tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>, tensor<?x?xf32, #tfm.dims<["batch", "past + seq + 1"]>>)
// CHECK: %[[P:.*]] = tfm.concat %arg0, %arg1 {axis = 2 : si64} : ({{.*}}) -> tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>
// CHECK: tfm.shape %[[P]] : (tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>) -> tensor<4xi64>
// CHECK: %[[M:.*]] = tfm.constant_of_shape %{{.*}} {value = dense<1.000000e+00> : tensor<1xf32>} : (tensor<2xi64>) -> tensor<?x?xf32, #tfm.dims<["batch", "past + seq + 1"]>>
// CHECK: return %[[P]], %[[M]]
func.func @concat_past(%past: tensor<?x12x?x64xf32, #tfm.dims<["batch", "past"]>>, %new: tensor<?x12x?x64xf32, #tfm.dims<["batch", "seq"]>>) -> (tensor<?x?x?x?xf32>, tensor<?x?xf32>) {
  %present = tfm.concat %past, %new {axis = 2 : si64} : (tensor<?x12x?x64xf32, #tfm.dims<["batch", "past"]>>, tensor<?x12x?x64xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<?x?x?x?xf32>
  %shape = tfm.shape %present : (tensor<?x?x?x?xf32>) -> tensor<4xi64>
  %c0 = tfm.constant dense<0> : tensor<i64>
  %c2 = tfm.constant dense<2> : tensor<i64>
  %b = tfm.gather %shape, %c0 : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
  %t = tfm.gather %shape, %c2 : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
  %one = tfm.constant dense<1> : tensor<i64>
  %t1 = tfm.add %t, %one : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %axes = tfm.constant dense<0> : tensor<1xi64>
  %bu = tfm.unsqueeze %b, %axes : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %tu = tfm.unsqueeze %t1, %axes : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %mshape = tfm.concat %bu, %tu {axis = 0 : si64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %mask = tfm.constant_of_shape %mshape {value = dense<1.0> : tensor<1xf32>} : (tensor<2xi64>) -> tensor<?x?xf32>
  return %present, %mask : tensor<?x?x?x?xf32>, tensor<?x?xf32>
}

// -----

// Symbolic broadcasting and slicing.
// CHECK-LABEL: func.func @broadcast_slice
// CHECK: tfm.add %arg0, %arg1 : (tensor<?x1x1x?xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x12x?x?xf32, #tfm.dims<["batch", "seq", "seq"]>>) -> tensor<?x12x?x?xf32, #tfm.dims<["batch", "seq", "seq"]>>
// CHECK: tfm.slice {{.*}} -> tensor<?x1x1x?xf32, #tfm.dims<["batch", "seq - 1"]>>
// CHECK: tfm.slice {{.*}} -> tensor<?x1x1x2xf32, #tfm.dims<["batch"]>>
func.func @broadcast_slice(%mask: tensor<?x1x1x?xf32, #tfm.dims<["batch", "seq"]>>, %scores: tensor<?x12x?x?xf32, #tfm.dims<["batch", "seq", "seq"]>>) -> (tensor<?x?x?x?xf32>, tensor<?x1x1x?xf32>, tensor<?x1x1x?xf32>) {
  %sum = tfm.add %mask, %scores : (tensor<?x1x1x?xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x12x?x?xf32, #tfm.dims<["batch", "seq", "seq"]>>) -> tensor<?x?x?x?xf32>
  %axis = tfm.constant dense<3> : tensor<1xi64>
  %one = tfm.constant dense<1> : tensor<1xi64>
  %end = tfm.constant dense<9223372036854775807> : tensor<1xi64>
  %tail = tfm.slice %mask[%one, %end axes %axis] : (tensor<?x1x1x?xf32, #tfm.dims<["batch", "seq"]>>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x1x1x?xf32>
  %m2 = tfm.constant dense<-2> : tensor<1xi64>
  %last2 = tfm.slice %mask[%m2, %end axes %axis] : (tensor<?x1x1x?xf32, #tfm.dims<["batch", "seq"]>>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x1x1x?xf32>
  return %sum, %tail, %last2 : tensor<?x?x?x?xf32>, tensor<?x1x1x?xf32>, tensor<?x1x1x?xf32>
}

// -----

// Positions 0..seq-1 from Range over a gathered dim.
// CHECK-LABEL: func.func @range_of_dim
// CHECK: tfm.range %{{.*}}, %{{.*}}, %{{.*}} : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64, #tfm.dims<["seq"]>>
func.func @range_of_dim(%x: tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<?xi64> {
  %shape = tfm.shape %x : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<3xi64>
  %c1 = tfm.constant dense<1> : tensor<i64>
  %zero = tfm.constant dense<0> : tensor<i64>
  %s = tfm.gather %shape, %c1 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %r = tfm.range %zero, %s, %c1 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return %r : tensor<?xi64>
}

// -----

// Where(Equal(shape, -1), 1, shape): symbolic dims are never -1, so the
// expand target is the shape itself.
// CHECK-LABEL: func.func @expand_where
// CHECK: tfm.equal
// CHECK: %[[T:.*]] = tfm.where
// CHECK: tfm.expand %arg0, %[[T]] : (tensor<?x1x4xf32, #tfm.dims<["batch"]>>, tensor<3xi64>) -> tensor<?x?x4xf32, #tfm.dims<["batch", "seq"]>>
func.func @expand_where(%x: tensor<?x1x4xf32, #tfm.dims<["batch"]>>, %y: tensor<?x?x4xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<?x?x?xf32> {
  %shape = tfm.shape %y : (tensor<?x?x4xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<3xi64>
  %three = tfm.constant dense<3> : tensor<1xi64>
  %ones = tfm.constant_of_shape %three {value = dense<1> : tensor<1xi64>} : (tensor<1xi64>) -> tensor<3xi64>
  %m1 = tfm.constant dense<-1> : tensor<i64>
  %neg = tfm.mul %ones, %m1 : (tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
  %eq = tfm.equal %shape, %neg : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi1>
  %target = tfm.where %eq, %ones, %shape : (tensor<3xi1>, tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %e = tfm.expand %x, %target : (tensor<?x1x4xf32, #tfm.dims<["batch"]>>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %e : tensor<?x?x?xf32>
}
