// RUN: tfmc-opt %s --tfm-parallel-loops-to-runtime --split-input-file | FileCheck %s
// RUN: tfmc-opt %s --tfm-parallel-loops-to-runtime --split-input-file | FileCheck %s --check-prefix=BRANCH

// An elementwise loop: its outer dims (collapsed) go to tfmrt_parallel_for,
// the innermost stays a whole loop in each iteration. The buffers travel as
// descriptors in a stack struct, the bounds as i64, the constant is cloned.
// CHECK-LABEL: func.func private @elementwise_parallel_0
// CHECK-SAME: (%[[CAPTURES:.*]]: !llvm.ptr, %[[BEGIN:.*]]: i64, %[[END:.*]]: i64)
// CHECK: %[[STRUCT:.*]] = llvm.load %[[CAPTURES]]
// CHECK: %[[XD:.*]] = llvm.extractvalue %[[STRUCT]][0]
// CHECK: %[[X:.*]] = builtin.unrealized_conversion_cast %[[XD]] : !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)> to memref<?x?x64xf32>
// CHECK: %[[YD:.*]] = llvm.extractvalue %[[STRUCT]][1]
// CHECK: %[[Y:.*]] = builtin.unrealized_conversion_cast %[[YD]]
// CHECK: %[[ROWS:.*]] = llvm.extractvalue %[[STRUCT]][3]
// CHECK: %[[ROWSI:.*]] = arith.index_cast %[[ROWS]] : i64 to index
// CHECK: %[[TWO:.*]] = arith.constant 2.0
// CHECK: %[[B:.*]] = arith.index_cast %[[BEGIN]]
// CHECK: %[[E:.*]] = arith.index_cast %[[END]]
// CHECK: scf.for %[[LIN:.*]] = %[[B]] to %[[E]]
// CHECK: %[[J:.*]] = arith.remui %[[LIN]], %[[ROWSI]]
// CHECK: %[[I:.*]] = arith.divui %[[LIN]], %[[ROWSI]]
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %{{.*}}
// CHECK: memref.load %[[X]][%[[I]], %[[J]], %[[K]]]
// CHECK: arith.mulf %{{.*}}, %[[TWO]]
// CHECK: memref.store %{{.*}}, %[[Y]][%[[I]], %[[J]], %[[K]]]
// CHECK: func.func @elementwise
// CHECK: %[[ALLOCA:.*]] = llvm.alloca
// CHECK-NOT: scf.parallel
// CHECK: llvm.store %{{.*}}, %[[ALLOCA]]
// CHECK: %[[N:.*]] = arith.muli
// CHECK: %[[FN:.*]] = constant @elementwise_parallel_0 : (!llvm.ptr, i64, i64) -> ()
// CHECK: %[[N64:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK: call @tfmrt_parallel_for(%arg0, %[[N64]], %[[FN]], %[[ALLOCA]])
func.func @elementwise(%inst: !llvm.ptr {tfmrt.instance}, %x: memref<?x?x64xf32>, %y: memref<?x?x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %two = arith.constant 2.0 : f32
  %d0 = memref.dim %x, %c0 : memref<?x?x64xf32>
  %d1 = memref.dim %x, %c1 : memref<?x?x64xf32>
  scf.parallel (%i, %j, %k) = (%c0, %c0, %c0) to (%d0, %d1, %c64) step (%c1, %c1, %c1) {
    %a = memref.load %x[%i, %j, %k] : memref<?x?x64xf32>
    %r = arith.mulf %a, %two : f32
    memref.store %r, %y[%i, %j, %k] : memref<?x?x64xf32>
    scf.reduce
  }
  return
}

// -----

// A loop with a loop inside (a reduction) distributes all its dims.
// CHECK-LABEL: func.func private @rows_parallel_0
// CHECK: scf.for %[[LIN:.*]] =
// CHECK-NOT: arith.remui
// CHECK: scf.for
// CHECK: memref.load %{{.*}}[%[[LIN]], %{{.*}}]
// CHECK-LABEL: func.func @rows
// CHECK: call @tfmrt_parallel_for(%arg0, %{{.*}}, %{{.*}}, %{{.*}})
func.func @rows(%inst: !llvm.ptr {tfmrt.instance}, %x: memref<?x64xf32>, %out: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %n = memref.dim %x, %c0 : memref<?x64xf32>
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %init = memref.load %out[%i] : memref<?xf32>
    %sum = scf.for %k = %c0 to %c64 step %c1 iter_args(%acc = %init) -> (f32) {
      %a = memref.load %x[%i, %k] : memref<?x64xf32>
      %s = arith.addf %a, %acc : f32
      scf.yield %s : f32
    }
    memref.store %sum, %out[%i] : memref<?xf32>
    scf.reduce
  }
  return
}

// -----

// Left alone: a loop nested in another loop, a body that allocates, and a
// function without an instance.
// CHECK-LABEL: func.func @nested
// CHECK: scf.for
// CHECK: scf.parallel
// CHECK-LABEL: func.func @allocates
// CHECK: scf.parallel
// CHECK-LABEL: func.func @no_instance
// CHECK: scf.parallel
// CHECK-NOT: tfmrt_parallel_for
// CHECK: // -----
func.func @nested(%inst: !llvm.ptr {tfmrt.instance}, %x: memref<8x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  scf.for %i = %c0 to %c8 step %c1 {
    scf.parallel (%k) = (%c0) to (%c64) step (%c1) {
      %a = memref.load %x[%i, %k] : memref<8x64xf32>
      %r = arith.addf %a, %a : f32
      memref.store %r, %x[%i, %k] : memref<8x64xf32>
      scf.reduce
    }
  }
  return
}
func.func @allocates(%inst: !llvm.ptr {tfmrt.instance}, %x: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%k) = (%c0) to (%c64) step (%c1) {
    %t = memref.alloc() : memref<1xf32>
    %a = memref.load %x[%k] : memref<64xf32>
    memref.store %a, %t[%c0] : memref<1xf32>
    memref.dealloc %t : memref<1xf32>
    scf.reduce
  }
  return
}
func.func @no_instance(%x: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%k) = (%c0) to (%c64) step (%c1) {
    %a = memref.load %x[%k] : memref<64xf32>
    %r = arith.addf %a, %a : f32
    memref.store %r, %x[%k] : memref<64xf32>
    scf.reduce
  }
  return
}

// -----

// A loop in an scf.if branch (attention's choice between two lowerings)
// runs once per run: it goes to the threads too.
// BRANCH-LABEL: func.func private @branch_parallel_0
// BRANCH-LABEL: func.func @branch
// BRANCH: scf.if
// BRANCH-NOT: scf.parallel
// BRANCH: call @tfmrt_parallel_for
func.func @branch(%inst: !llvm.ptr {tfmrt.instance}, %c: i1, %x: memref<64x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.if %c {
    scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c64) step (%c1, %c1) {
      memref.store %zero, %x[%i, %j] : memref<64x64xf32>
      scf.reduce
    }
  }
  return
}
