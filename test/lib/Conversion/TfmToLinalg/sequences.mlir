// RUN: tfmc-opt %s --tfm-to-linalg --split-input-file | FileCheck %s

// A sequence or optional is the address of its tfmrt value: Identity
// passes it through (the runtime copies outputs).
// CHECK-LABEL: func.func @identity_sequence
// CHECK-SAME: (%[[S:.*]]: !llvm.ptr, %[[O:.*]]: !llvm.ptr) -> (!llvm.ptr, !llvm.ptr)
// CHECK-NEXT: return %[[S]], %[[O]] : !llvm.ptr, !llvm.ptr
func.func @identity_sequence(%s: !tfm.sequence<tensor<*xf32>>,
                             %o: !tfm.optional<tensor<3xi64>>)
    -> (!tfm.sequence<tensor<*xf32>>, !tfm.optional<tensor<3xi64>>) {
  %0 = tfm.identity %s : (!tfm.sequence<tensor<*xf32>>) -> !tfm.sequence<tensor<*xf32>>
  %1 = tfm.identity %o : (!tfm.optional<tensor<3xi64>>) -> !tfm.optional<tensor<3xi64>>
  return %0, %1 : !tfm.sequence<tensor<*xf32>>, !tfm.optional<tensor<3xi64>>
}
