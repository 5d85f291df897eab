// RUN: tfmc-opt --tfm-simplify-shapes --split-input-file %s | FileCheck %s
// RUN: tfmc-opt --canonicalize --split-input-file %s | FileCheck %s --check-prefix=CANON

// The exporters' shape arithmetic folds away: static values become
// constants, Gather(Shape(x), i) of a dynamic dim becomes tfm.dim, Reshape
// targets become constants with 0 (copy) and -1 (infer), and no-op Identity,
// Dropout and Expand disappear.

// Shape -> Gather -> Unsqueeze -> Concat -> Reshape: batch and seq are the
// input's own dims, so they are copied with 0.
// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: -> tensor<?x?x12x64xf32, #tfm.dims<["batch", "seq"]>>
// CHECK-NEXT: %[[T:.*]] = tfm.constant dense<[0, 0, 12, 64]> : tensor<4xi64>
// CHECK-NEXT: %[[R:.*]] = tfm.reshape %arg0, %[[T]] : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<4xi64>) -> tensor<?x?x12x64xf32, #tfm.dims<["batch", "seq"]>>
// CHECK-NEXT: return %[[R]]
// Canonicalization alone turns the gathers into tfm.dim, but without
// inferred types it cannot make the target constant.
// CANON-LABEL: func.func @reshape_chain
// CANON-DAG: %[[B:.*]] = tfm.dim %arg0[0] : tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>
// CANON-DAG: %[[S:.*]] = tfm.dim %arg0[1] : tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>
// CANON-DAG: %[[BU:.*]] = tfm.unsqueeze %[[B]]
// CANON-DAG: %[[SU:.*]] = tfm.unsqueeze %[[S]]
// CANON: %[[T:.*]] = tfm.concat %[[BU]], %[[SU]], %{{.*}} {axis = 0 : si64}
// CANON: tfm.reshape %arg0, %[[T]] : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
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

// batch * seq is no input dim at its position: it becomes the one -1.
// CHECK-LABEL: func.func @reshape_infer
// CHECK-NEXT: %[[T:.*]] = tfm.constant dense<[-1, 768]> : tensor<2xi64>
// CHECK-NEXT: tfm.reshape %arg0, %[[T]] : ({{.*}}) -> tensor<?x768xf32, #tfm.dims<["batch*seq"]>>
// CHECK-NEXT: return
func.func @reshape_infer(%x: tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<?x?xf32> {
  %shape = tfm.shape %x : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<3xi64>
  %c0 = tfm.constant dense<0> : tensor<i64>
  %c1 = tfm.constant dense<1> : tensor<i64>
  %b = tfm.gather %shape, %c0 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %s = tfm.gather %shape, %c1 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %bs = tfm.mul %b, %s : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %axes = tfm.constant dense<0> : tensor<1xi64>
  %bs1 = tfm.unsqueeze %bs, %axes : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %hidden = tfm.constant dense<768> : tensor<1xi64>
  %target = tfm.concat %bs1, %hidden {axis = 0 : si64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %r = tfm.reshape %x, %target : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>, tensor<2xi64>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// Gather(Shape(x), i): tfm.dim for a dynamic dim (here kept by Range), a
// constant for a static one (index -1 is 768).
// CHECK-LABEL: func.func @gather_dim
// CHECK-SAME: -> (tensor<?xi64, #tfm.dims<["seq"]>>, tensor<i64>)
// CHECK-NEXT: %[[H:.*]] = tfm.constant dense<768> : tensor<i64>
// CHECK-NEXT: %[[ZERO:.*]] = tfm.constant dense<0> : tensor<i64>
// CHECK-NEXT: %[[ONE:.*]] = tfm.constant dense<1> : tensor<i64>
// CHECK-NEXT: %[[S:.*]] = tfm.dim %arg0[1] : tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>
// CHECK-NEXT: %[[R:.*]] = tfm.range %[[ZERO]], %[[S]], %[[ONE]] : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64, #tfm.dims<["seq"]>>
// CHECK-NEXT: return %[[R]], %[[H]]
func.func @gather_dim(%x: tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>) -> (tensor<?xi64>, tensor<i64>) {
  %shape = tfm.shape %x : (tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<3xi64>
  %c1 = tfm.constant dense<1> : tensor<i64>
  %cm1 = tfm.constant dense<-1> : tensor<i64>
  %zero = tfm.constant dense<0> : tensor<i64>
  %s = tfm.gather %shape, %c1 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %h = tfm.gather %shape, %cm1 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %r = tfm.range %zero, %s, %c1 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return %r, %h : tensor<?xi64>, tensor<i64>
}

// -----

// A start below -rank is clamped to 0, as tfm.shape clamps it: element 0
// is dim 0, not dim -8.
// CHECK-LABEL: func.func @gather_dim_clamped_start
// CHECK-NEXT: %[[D:.*]] = tfm.dim %arg0[0] : tensor<?x3xf32, #tfm.dims<["n"]>>
// CHECK-NEXT: return %[[D]]
// CANON-LABEL: func.func @gather_dim_clamped_start
// CANON: tfm.dim %arg0[0] : tensor<?x3xf32, #tfm.dims<["n"]>>
func.func @gather_dim_clamped_start(%x: tensor<?x3xf32, #tfm.dims<["n"]>>) -> tensor<i64> {
  %shape = tfm.shape %x {start = -10 : si64} : (tensor<?x3xf32, #tfm.dims<["n"]>>) -> tensor<2xi64>
  %c0 = tfm.constant dense<0> : tensor<i64>
  %d = tfm.gather %shape, %c0 : (tensor<2xi64>, tensor<i64>) -> tensor<i64>
  return %d : tensor<i64>
}

// -----

// Where(Equal(shape, -1), 1, shape) on a static shape is a constant.
// CHECK-LABEL: func.func @equal_where_static
// CHECK-NEXT: %[[T:.*]] = tfm.constant dense<[2, 3, 4]> : tensor<3xi64>
// CHECK-NEXT: %[[E:.*]] = tfm.expand %arg0, %[[T]] : (tensor<1x1x4xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
// CHECK-NEXT: return %[[E]]
func.func @equal_where_static(%x: tensor<1x1x4xf32>, %y: tensor<2x3x4xf32>) -> tensor<?x?x?xf32> {
  %shape = tfm.shape %y : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %three = tfm.constant dense<3> : tensor<1xi64>
  %ones = tfm.constant_of_shape %three {value = dense<1> : tensor<1xi64>} : (tensor<1xi64>) -> tensor<3xi64>
  %m1 = tfm.constant dense<-1> : tensor<i64>
  %neg = tfm.mul %ones, %m1 : (tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
  %eq = tfm.equal %shape, %neg : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi1>
  %target = tfm.where %eq, %ones, %shape : (tensor<3xi1>, tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %e = tfm.expand %x, %target : (tensor<1x1x4xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %e : tensor<?x?x?xf32>
}

// -----

// On symbolic dims Equal(shape, -1) is still all false, and the Where
// selects the shape itself.
// CHECK-LABEL: func.func @equal_where_symbolic
// CHECK-NEXT: %[[SHAPE:.*]] = tfm.shape %arg1
// CHECK-NEXT: %[[E:.*]] = tfm.expand %arg0, %[[SHAPE]] : (tensor<?x1x4xf32, #tfm.dims<["batch"]>>, tensor<3xi64>) -> tensor<?x?x4xf32, #tfm.dims<["batch", "seq"]>>
// CHECK-NEXT: return %[[E]]
func.func @equal_where_symbolic(%x: tensor<?x1x4xf32, #tfm.dims<["batch"]>>, %y: tensor<?x?x4xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<?x?x?xf32> {
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

// -----

// Integer ConstantOfShape and Range over static values become constants; a
// Slice of a shape is evaluated too. A float ConstantOfShape stays, on a
// constant shape.
// CHECK-LABEL: func.func @constant_of_shape_range
// CHECK-SAME: -> (tensor<3xi64>, tensor<4xi64>, tensor<2x3xf32>)
// CHECK-NEXT: %[[R:.*]] = tfm.constant dense<[0, 2, 4, 6]> : tensor<4xi64>
// CHECK-NEXT: %[[BS:.*]] = tfm.constant dense<[2, 3]> : tensor<2xi64>
// CHECK-NEXT: %[[ONES:.*]] = tfm.constant dense<1> : tensor<3xi64>
// CHECK-NEXT: %[[Z:.*]] = tfm.constant_of_shape %[[BS]] : (tensor<2xi64>) -> tensor<2x3xf32>
// CHECK-NEXT: return %[[ONES]], %[[R]], %[[Z]]
func.func @constant_of_shape_range(%x: tensor<2x3x8xf32>) -> (tensor<?xi64>, tensor<?xi64>, tensor<?x?xf32>) {
  %shape = tfm.shape %x : (tensor<2x3x8xf32>) -> tensor<3xi64>
  %s0 = tfm.constant dense<0> : tensor<1xi64>
  %s1 = tfm.constant dense<1> : tensor<1xi64>
  %s2 = tfm.constant dense<2> : tensor<1xi64>
  %bs = tfm.slice %shape[%s0, %s2] : (tensor<3xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %n = tfm.slice %shape[%s1, %s2] : (tensor<3xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %ones = tfm.constant_of_shape %n {value = dense<1> : tensor<1xi64>} : (tensor<1xi64>) -> tensor<?xi64>
  %zeros = tfm.constant_of_shape %bs : (tensor<2xi64>) -> tensor<?x?xf32>
  %c0 = tfm.constant dense<0> : tensor<i64>
  %c2 = tfm.constant dense<2> : tensor<i64>
  %h = tfm.gather %shape, %c2 : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %r = tfm.range %c0, %h, %c2 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return %ones, %r, %zeros : tensor<?xi64>, tensor<?xi64>, tensor<?x?xf32>
}

// -----

// The KV cache: the total length past + seq, plus one, reaches the mask's
// type through tfm.dim and the arithmetic on it.
// CHECK-LABEL: func.func @past_plus_one
// CHECK-SAME: -> (tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>, tensor<?x?xf32, #tfm.dims<["batch", "past + seq + 1"]>>)
// CHECK-NEXT: %[[AXES:.*]] = tfm.constant dense<0> : tensor<1xi64>
// CHECK-NEXT: %[[ONE:.*]] = tfm.constant dense<1> : tensor<i64>
// CHECK-NEXT: %[[P:.*]] = tfm.concat %arg0, %arg1 {axis = 2 : si64}
// CHECK-NEXT: %[[B:.*]] = tfm.dim %[[P]][0] : tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>
// CHECK-NEXT: %[[T:.*]] = tfm.dim %[[P]][2] : tensor<?x12x?x64xf32, #tfm.dims<["batch", "past + seq"]>>
// CHECK-NEXT: %[[T1:.*]] = tfm.add %[[T]], %[[ONE]] : (tensor<i64>, tensor<i64>) -> tensor<i64>
// CHECK-NEXT: %[[BU:.*]] = tfm.unsqueeze %[[B]], %[[AXES]]
// CHECK-NEXT: %[[TU:.*]] = tfm.unsqueeze %[[T1]], %[[AXES]]
// CHECK-NEXT: %[[MS:.*]] = tfm.concat %[[BU]], %[[TU]] {axis = 0 : si64}
// CHECK-NEXT: %[[M:.*]] = tfm.constant_of_shape %[[MS]] {value = dense<1.000000e+00> : tensor<1xf32>} : (tensor<2xi64>) -> tensor<?x?xf32, #tfm.dims<["batch", "past + seq + 1"]>>
// CHECK-NEXT: return %[[P]], %[[M]]
func.func @past_plus_one(%past: tensor<?x12x?x64xf32, #tfm.dims<["batch", "past"]>>, %new: tensor<?x12x?x64xf32, #tfm.dims<["batch", "seq"]>>) -> (tensor<?x?x?x?xf32>, tensor<?x?xf32>) {
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

// Identity goes; inference-mode Dropout goes, its static mask all true.
// CHECK-LABEL: func.func @identity_dropout
// CHECK-NEXT: %[[MASK:.*]] = tfm.constant dense<true> : tensor<2x8xi1>
// CHECK-NEXT: return %arg0, %[[MASK]] : tensor<?x8xf32, #tfm.dims<["batch"]>>, tensor<2x8xi1>
// CANON-LABEL: func.func @identity_dropout
// CANON-NOT: tfm.identity
// CANON-NOT: tfm.dropout
// CANON: return
func.func @identity_dropout(%x: tensor<?x8xf32, #tfm.dims<["batch"]>>, %s: tensor<2x8xf32>) -> (tensor<?x8xf32, #tfm.dims<["batch"]>>, tensor<2x8xi1>) {
  %i = tfm.identity %x : (tensor<?x8xf32, #tfm.dims<["batch"]>>) -> tensor<?x8xf32, #tfm.dims<["batch"]>>
  %d = tfm.dropout %i : (tensor<?x8xf32, #tfm.dims<["batch"]>>) -> tensor<?x8xf32, #tfm.dims<["batch"]>>
  %ratio = tfm.constant dense<0.1> : tensor<f32>
  %false = tfm.constant dense<false> : tensor<i1>
  %o, %m = tfm.dropout %s ratio %ratio training %false : (tensor<2x8xf32>, tensor<f32>, tensor<i1>) -> (tensor<2x8xf32>, tensor<2x8xi1>)
  %r = tfm.relu %o : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %d, %m : tensor<?x8xf32, #tfm.dims<["batch"]>>, tensor<2x8xi1>
}

// -----

// A dynamic mask is filled with true at the data's shape; training mode
// keeps the dropout.
// CHECK-LABEL: func.func @dropout_dynamic_mask
// CHECK-NEXT: %[[TRUE:.*]] = tfm.constant dense<true> : tensor<i1>
// CHECK-NEXT: %[[SHAPE:.*]] = tfm.shape %arg0 : (tensor<?x8xf32, #tfm.dims<["batch"]>>) -> tensor<2xi64>
// CHECK-NEXT: %[[MASK:.*]] = tfm.constant_of_shape %[[SHAPE]] {value = dense<true> : tensor<1xi1>} : (tensor<2xi64>) -> tensor<?x8xi1, #tfm.dims<["batch"]>>
// CHECK-NEXT: %[[T:.*]] = tfm.dropout %arg0 training %[[TRUE]]
// CHECK-NEXT: return %[[MASK]], %[[T]]
func.func @dropout_dynamic_mask(%x: tensor<?x8xf32, #tfm.dims<["batch"]>>) -> (tensor<?x8xi1, #tfm.dims<["batch"]>>, tensor<?x8xf32, #tfm.dims<["batch"]>>) {
  %o, %m = tfm.dropout %x : (tensor<?x8xf32, #tfm.dims<["batch"]>>) -> (tensor<?x8xf32, #tfm.dims<["batch"]>>, tensor<?x8xi1, #tfm.dims<["batch"]>>)
  %true = tfm.constant dense<true> : tensor<i1>
  %t = tfm.dropout %x training %true : (tensor<?x8xf32, #tfm.dims<["batch"]>>, tensor<i1>) -> tensor<?x8xf32, #tfm.dims<["batch"]>>
  return %m, %t : tensor<?x8xi1, #tfm.dims<["batch"]>>, tensor<?x8xf32, #tfm.dims<["batch"]>>
}

// -----

// Expanding to the input's own shape (or to ones) is a no-op; broadcasting
// a 1 to seq is not.
// CHECK-LABEL: func.func @expand_noop
// CHECK-NEXT: %[[SHAPE:.*]] = tfm.shape %arg0
// CHECK-NEXT: %[[E:.*]] = tfm.expand %arg1, %[[SHAPE]] : (tensor<?x1x64xf32, #tfm.dims<["batch"]>>, tensor<3xi64>) -> tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>
// CHECK-NEXT: return %arg0, %arg0, %[[E]]
func.func @expand_noop(%x: tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>, %y: tensor<?x1x64xf32, #tfm.dims<["batch"]>>) -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) {
  %shape = tfm.shape %x : (tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>) -> tensor<3xi64>
  %e = tfm.expand %x, %shape : (tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %ones = tfm.constant dense<1> : tensor<3xi64>
  %e1 = tfm.expand %x, %ones : (tensor<?x?x64xf32, #tfm.dims<["batch", "seq"]>>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %e2 = tfm.expand %y, %shape : (tensor<?x1x64xf32, #tfm.dims<["batch"]>>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %e, %e1, %e2 : tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>
}

// -----

// Reshape of a Reshape reshapes the original; a same-type Cast goes.
// CHECK-LABEL: func.func @reshape_cast
// CHECK-NEXT: %[[T:.*]] = tfm.constant dense<[2, 3, 64]> : tensor<3xi64>
// CHECK-NEXT: %[[R:.*]] = tfm.reshape %arg0, %[[T]] : (tensor<6x64xf32>, tensor<3xi64>) -> tensor<2x3x64xf32>
// CHECK-NEXT: return %[[R]], %arg1
func.func @reshape_cast(%x: tensor<6x64xf32>, %ids: tensor<?x?xi64, #tfm.dims<["batch", "seq"]>>) -> (tensor<2x3x64xf32>, tensor<?x?xi64, #tfm.dims<["batch", "seq"]>>) {
  %t1 = tfm.constant dense<[-1, 32]> : tensor<2xi64>
  %r1 = tfm.reshape %x, %t1 : (tensor<6x64xf32>, tensor<2xi64>) -> tensor<12x32xf32>
  %t2 = tfm.constant dense<[2, 3, 64]> : tensor<3xi64>
  %r2 = tfm.reshape %r1, %t2 : (tensor<12x32xf32>, tensor<3xi64>) -> tensor<2x3x64xf32>
  %c = tfm.cast %ids {to = i64} : (tensor<?x?xi64, #tfm.dims<["batch", "seq"]>>) -> tensor<?x?xi64, #tfm.dims<["batch", "seq"]>>
  return %r2, %c : tensor<2x3x64xf32>, tensor<?x?xi64, #tfm.dims<["batch", "seq"]>>
}

// -----

// The Llama exporter's guarded squeeze: If(Equal(Shape(x)[1], 1), Squeeze(x, 1), x).
// Dim 1 is static, so the condition folds and the squeeze branch is inlined;
// its rank-3 result is the If's although the other branch keeps rank 4.
// CHECK-LABEL: func.func @if_guarded_squeeze
// CHECK-SAME: -> tensor<1x?x16xf32, #tfm.dims<["s"]>>
// CHECK-NEXT: %[[AXES:.*]] = tfm.constant dense<1> : tensor<1xi64>
// CHECK-NEXT: %[[SQ:.*]] = tfm.squeeze %arg0 axes %[[AXES]]
// CHECK-NEXT: return %[[SQ]]
// CANON-LABEL: func.func @if_guarded_squeeze
// CANON-NOT: tfm.if
// CANON: tfm.squeeze
// CANON-NOT: tfm.identity
func.func @if_guarded_squeeze(%x: tensor<1x1x?x16xf32, #tfm.dims<["s"]>>) -> tensor<?x?x?xf32> {
  %shape = tfm.shape %x : (tensor<1x1x?x16xf32, #tfm.dims<["s"]>>) -> tensor<4xi64>
  %i = tfm.constant dense<1> : tensor<1xi64>
  %d = tfm.gather %shape, %i : (tensor<4xi64>, tensor<1xi64>) -> tensor<1xi64>
  %one = tfm.constant dense<1> : tensor<1xi64>
  %c = tfm.equal %d, %one : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi1>
  %r = tfm.if %c : tensor<1xi1> -> (tensor<?x?x?xf32>) {
    %axes = tfm.constant dense<1> : tensor<1xi64>
    %s = tfm.squeeze %x axes %axes : (tensor<1x1x?x16xf32, #tfm.dims<["s"]>>, tensor<1xi64>) -> tensor<?x?x?xf32>
    tfm.yield %s : tensor<?x?x?xf32>
  } else {
    %id = tfm.identity %x : (tensor<1x1x?x16xf32, #tfm.dims<["s"]>>) -> tensor<1x1x?x16xf32, #tfm.dims<["s"]>>
    tfm.yield %id : tensor<1x1x?x16xf32, #tfm.dims<["s"]>>
  }
  return %r : tensor<?x?x?xf32>
}

// -----

// A false condition takes the else branch. The stored result type is less
// static than the branch's: canonicalization alone keeps it through an
// identity, which inference and folding then remove.
// CHECK-LABEL: func.func @if_false_join
// CHECK-SAME: -> tensor<5xf32>
// CHECK-NEXT: %[[N:.*]] = tfm.neg %arg1
// CHECK-NEXT: return %[[N]]
// CANON-LABEL: func.func @if_false_join
// CANON-NEXT: %[[N:.*]] = tfm.neg %arg1 : (tensor<5xf32>) -> tensor<5xf32>
// CANON-NEXT: %[[I:.*]] = tfm.identity %[[N]] : (tensor<5xf32>) -> tensor<?xf32>
// CANON-NEXT: return %[[I]]
func.func @if_false_join(%x: tensor<4xf32>, %y: tensor<5xf32>) -> tensor<?xf32> {
  %c = tfm.constant dense<false> : tensor<i1>
  %r = tfm.if %c : tensor<i1> -> (tensor<?xf32>) {
    tfm.yield %x : tensor<4xf32>
  } else {
    %n = tfm.neg %y : (tensor<5xf32>) -> tensor<5xf32>
    tfm.yield %n : tensor<5xf32>
  }
  return %r : tensor<?xf32>
}

// -----

// A condition known only at run time stays; the branches are folded inside.
// CHECK-LABEL: func.func @if_runtime
// CHECK: tfm.if %arg0 : tensor<i1> -> (tensor<?x8xf32, #tfm.dims<["n"]>>) {
// CHECK-NEXT: tfm.yield %arg1
// CHECK-NEXT: } else {
// CHECK-NEXT: %[[A:.*]] = tfm.abs %arg1
// CHECK-NEXT: tfm.yield %[[A]]
func.func @if_runtime(%c: tensor<i1>, %x: tensor<?x8xf32, #tfm.dims<["n"]>>) -> tensor<?x?xf32> {
  %r = tfm.if %c : tensor<i1> -> (tensor<?x?xf32>) {
    %id = tfm.identity %x : (tensor<?x8xf32, #tfm.dims<["n"]>>) -> tensor<?x8xf32, #tfm.dims<["n"]>>
    tfm.yield %id : tensor<?x8xf32, #tfm.dims<["n"]>>
  } else {
    %a = tfm.abs %x : (tensor<?x8xf32, #tfm.dims<["n"]>>) -> tensor<?x8xf32, #tfm.dims<["n"]>>
    tfm.yield %a : tensor<?x8xf32, #tfm.dims<["n"]>>
  }
  return %r : tensor<?x?xf32>
}
