// RUN: tfmc-opt %s --split-input-file | tfmc-opt --split-input-file | FileCheck %s
// RUN: tfmc-opt %s --split-input-file --mlir-print-op-generic | tfmc-opt --split-input-file | FileCheck %s

// Round trip of tfm.if and tfm.yield (TfmControlFlowOps.td).

// The branches read outer values directly; a dim that differs between them
// is dynamic in the result, and symbols both share are kept.
// CHECK-LABEL: func.func @if_join
// CHECK: %[[R:.*]]:2 = tfm.if %arg0 : tensor<i1> -> (tensor<?xf32>, tensor<?x8xf32, #tfm.dims<["n"]>>) {
// CHECK-NEXT: %[[N:.*]] = tfm.neg %arg1 : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT: tfm.yield %[[N]], %arg3 : tensor<4xf32>, tensor<?x8xf32, #tfm.dims<["n"]>>
// CHECK-NEXT: } else {
// CHECK-NEXT: tfm.yield %arg2, %arg3 : tensor<5xf32>, tensor<?x8xf32, #tfm.dims<["n"]>>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]]#0, %[[R]]#1
func.func @if_join(%c: tensor<i1>, %x: tensor<4xf32>, %y: tensor<5xf32>,
                   %z: tensor<?x8xf32, #tfm.dims<["n"]>>)
    -> (tensor<?xf32>, tensor<?x8xf32, #tfm.dims<["n"]>>) {
  %r:2 = tfm.if %c : tensor<i1> -> (tensor<?xf32>, tensor<?x8xf32, #tfm.dims<["n"]>>) {
    %n = tfm.neg %x : (tensor<4xf32>) -> tensor<4xf32>
    tfm.yield %n, %z : tensor<4xf32>, tensor<?x8xf32, #tfm.dims<["n"]>>
  } else {
    tfm.yield %y, %z : tensor<5xf32>, tensor<?x8xf32, #tfm.dims<["n"]>>
  }
  return %r#0, %r#1 : tensor<?xf32>, tensor<?x8xf32, #tfm.dims<["n"]>>
}

// -----

// A one-element 1-D condition; nested ifs.
// CHECK-LABEL: func.func @if_nested
// CHECK: tfm.if %arg0 : tensor<1xi1> -> (tensor<4xf32>) {
// CHECK: tfm.if %arg1 : tensor<i1> -> (tensor<4xf32>) {
// CHECK: tfm.yield %arg2 : tensor<4xf32>
// CHECK: } else {
// CHECK: tfm.abs %arg2
// CHECK: } else {
// CHECK: tfm.yield %arg2 : tensor<4xf32>
func.func @if_nested(%c: tensor<1xi1>, %d: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = tfm.if %c : tensor<1xi1> -> (tensor<4xf32>) {
    %s = tfm.if %d : tensor<i1> -> (tensor<4xf32>) {
      tfm.yield %x : tensor<4xf32>
    } else {
      %a = tfm.abs %x : (tensor<4xf32>) -> tensor<4xf32>
      tfm.yield %a : tensor<4xf32>
    }
    tfm.yield %s : tensor<4xf32>
  } else {
    tfm.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

// A statically known condition gives the taken branch's types: the other
// branch may even yield another rank.
// CHECK-LABEL: func.func @if_known_condition
// CHECK: tfm.if %{{.*}} : tensor<1xi1> -> (tensor<4xf32>) {
// CHECK: tfm.yield %arg0 : tensor<4xf32>
// CHECK: } else {
// CHECK: tfm.yield %arg1 : tensor<1x4xf32>
func.func @if_known_condition(%x: tensor<4xf32>, %y: tensor<1x4xf32>) -> tensor<4xf32> {
  %c = tfm.constant dense<true> : tensor<1xi1>
  %r = tfm.if %c : tensor<1xi1> -> (tensor<4xf32>) {
    tfm.yield %x : tensor<4xf32>
  } else {
    tfm.yield %y : tensor<1x4xf32>
  }
  return %r : tensor<4xf32>
}
