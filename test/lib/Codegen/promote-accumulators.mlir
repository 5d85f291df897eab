// RUN: tfmc-opt %s --tfm-promote-accumulators --split-input-file | FileCheck %s

// A row sum into a buffer the function allocated: the element is loaded
// once, carried through the loop (its sum reassociable, to vectorize), and
// stored once.
// CHECK-LABEL: func.func @row_sum
// CHECK: %[[OUT:.*]] = memref.alloc
// CHECK: scf.parallel (%[[I:.*]]) =
// CHECK: %[[INIT:.*]] = memref.load %[[OUT]][%[[I]]]
// CHECK: %[[SUM:.*]] = scf.for %{{.*}} = %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (f32)
// CHECK-NOT: memref.store
// CHECK: %[[NEXT:.*]] = arith.addf %{{.*}}, %[[ACC]] fastmath<reassoc>
// CHECK: scf.yield %[[NEXT]]
// CHECK: memref.store %[[SUM]], %[[OUT]][%[[I]]]
func.func @row_sum(%x: memref<?x64xf32>, %n: index) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %out = memref.alloc(%n) : memref<?xf32>
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    scf.for %k = %c0 to %c64 step %c1 {
      %a = memref.load %x[%i, %k] : memref<?x64xf32>
      %acc = memref.load %out[%i] : memref<?xf32>
      %s = arith.addf %a, %acc : f32
      memref.store %s, %out[%i] : memref<?xf32>
    }
    scf.reduce
  }
  return %out : memref<?xf32>
}

// -----

// Left alone: an output the function did not allocate (an argument may
// alias the input), a loop that also reads the output buffer elsewhere, and
// indices that change inside the loop.
// CHECK-LABEL: func.func @argument_output
// CHECK-NOT: iter_args
// CHECK-LABEL: func.func @reads_output_elsewhere
// CHECK-NOT: iter_args
// CHECK-LABEL: func.func @varying_index
// CHECK-NOT: iter_args
func.func @argument_output(%x: memref<64xf32>, %out: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.for %k = %c0 to %c64 step %c1 {
    %a = memref.load %x[%k] : memref<64xf32>
    %acc = memref.load %out[%c0] : memref<1xf32>
    %s = arith.addf %a, %acc : f32
    memref.store %s, %out[%c0] : memref<1xf32>
  }
  return
}
func.func @reads_output_elsewhere(%x: memref<64xf32>) -> memref<64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %out = memref.alloc() : memref<64xf32>
  scf.for %k = %c0 to %c64 step %c1 {
    %a = memref.load %out[%k] : memref<64xf32>
    %acc = memref.load %out[%c0] : memref<64xf32>
    %s = arith.addf %a, %acc : f32
    memref.store %s, %out[%c0] : memref<64xf32>
  }
  return %out : memref<64xf32>
}
func.func @varying_index(%x: memref<64xf32>) -> memref<64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %out = memref.alloc() : memref<64xf32>
  scf.for %k = %c0 to %c64 step %c1 {
    %a = memref.load %x[%k] : memref<64xf32>
    %acc = memref.load %out[%k] : memref<64xf32>
    %s = arith.addf %a, %acc : f32
    memref.store %s, %out[%k] : memref<64xf32>
  }
  return %out : memref<64xf32>
}
