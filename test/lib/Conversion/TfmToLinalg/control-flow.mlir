// RUN: tfmc-opt %s --tfm-to-linalg --split-input-file | FileCheck %s

// A condition known only at run time becomes scf.if on its one element; the
// branches' ops are lowered in place, and a branch whose shape is more static
// than the join is cast to the result type.
// CHECK-LABEL: func.func @if_runtime
// CHECK-SAME: (%[[C:.*]]: tensor<i1>, %[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<?xf32>) -> tensor<?xf32>
// CHECK: %[[FLAG:.*]] = tensor.extract %[[C]][] : tensor<i1>
// CHECK-NEXT: %[[R:.*]] = scf.if %[[FLAG]] -> (tensor<?xf32>) {
// CHECK: %[[N:.*]] = linalg.generic
// CHECK: arith.negf
// CHECK: %[[CAST:.*]] = tensor.cast %[[N]] : tensor<4xf32> to tensor<?xf32>
// CHECK-NEXT: scf.yield %[[CAST]] : tensor<?xf32>
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %[[Y]] : tensor<?xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]]
// CHECK-NOT: tfm.
func.func @if_runtime(%c: tensor<i1>, %x: tensor<4xf32>, %y: tensor<?xf32, #tfm.dims<["n"]>>) -> tensor<?xf32> {
  %r = tfm.if %c : tensor<i1> -> (tensor<?xf32>) {
    %n = tfm.neg %x : (tensor<4xf32>) -> tensor<4xf32>
    tfm.yield %n : tensor<4xf32>
  } else {
    tfm.yield %y : tensor<?xf32, #tfm.dims<["n"]>>
  }
  return %r : tensor<?xf32>
}

// -----

// A 1-element 1-D condition, unsigned results (signless after conversion)
// and an if nested in a branch.
// CHECK-LABEL: func.func @if_nested
// CHECK-SAME: (%[[C:.*]]: tensor<1xi1>, %[[D:.*]]: tensor<i1>, %[[X:.*]]: tensor<3xi8>, %[[Y:.*]]: tensor<3xi8>) -> tensor<3xi8>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[FLAG:.*]] = tensor.extract %[[C]][%[[C0]]] : tensor<1xi1>
// CHECK-NEXT: %[[R:.*]] = scf.if %[[FLAG]] -> (tensor<3xi8>) {
// CHECK-NEXT: %[[INNER:.*]] = tensor.extract %[[D]][] : tensor<i1>
// CHECK-NEXT: %[[S:.*]] = scf.if %[[INNER]] -> (tensor<3xi8>) {
// CHECK-NEXT: scf.yield %[[X]] : tensor<3xi8>
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %[[Y]] : tensor<3xi8>
// CHECK-NEXT: }
// CHECK-NEXT: scf.yield %[[S]] : tensor<3xi8>
// CHECK-NEXT: } else {
// CHECK: arith.maxui
// CHECK: scf.yield
// CHECK-NOT: tfm.
func.func @if_nested(%c: tensor<1xi1>, %d: tensor<i1>, %x: tensor<3xui8>, %y: tensor<3xui8>) -> tensor<3xui8> {
  %r = tfm.if %c : tensor<1xi1> -> (tensor<3xui8>) {
    %s = tfm.if %d : tensor<i1> -> (tensor<3xui8>) {
      tfm.yield %x : tensor<3xui8>
    } else {
      tfm.yield %y : tensor<3xui8>
    }
    tfm.yield %s : tensor<3xui8>
  } else {
    %m = tfm.max %x, %y : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
    tfm.yield %m : tensor<3xui8>
  }
  return %r : tensor<3xui8>
}
