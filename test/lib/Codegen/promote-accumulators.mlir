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

// A softmax's exponentials beside their running sum: the loop also stores
// into another allocation, which cannot reach the sum's element.
// CHECK-LABEL: func.func @exp_and_sum
// CHECK: %[[E:.*]] = memref.alloc() : memref<64xf32>
// CHECK: %[[SUM:.*]] = memref.alloc() : memref<1xf32>
// CHECK: %[[TOTAL:.*]] = scf.for %[[K:.*]] = %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (f32)
// CHECK: memref.store %{{.*}}, %[[E]][%[[K]]]
// CHECK: %[[NEXT:.*]] = arith.addf %{{.*}}, %[[ACC]] fastmath<reassoc>
// CHECK: scf.yield %[[NEXT]]
// CHECK: memref.store %[[TOTAL]], %[[SUM]][%{{.*}}]
func.func @exp_and_sum(%x: memref<64xf32>) -> (memref<64xf32>, memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %e = memref.alloc() : memref<64xf32>
  %sum = memref.alloc() : memref<1xf32>
  scf.for %k = %c0 to %c64 step %c1 {
    %a = memref.load %x[%k] : memref<64xf32>
    %ex = math.exp %a : f32
    memref.store %ex, %e[%k] : memref<64xf32>
    %acc = memref.load %sum[%c0] : memref<1xf32>
    %s = arith.addf %ex, %acc : f32
    memref.store %s, %sum[%c0] : memref<1xf32>
  }
  return %e, %sum : memref<64xf32>, memref<1xf32>
}

// -----

// Left alone: an output the function did not allocate (an argument may
// alias the input), a loop that also reads the output buffer elsewhere,
// indices that change inside the loop, and a loop that also stores into the
// output's buffer through a view.
// CHECK-LABEL: func.func @argument_output
// CHECK-NOT: iter_args
// CHECK-LABEL: func.func @reads_output_elsewhere
// CHECK-NOT: iter_args
// CHECK-LABEL: func.func @varying_index
// CHECK-NOT: iter_args
// CHECK-LABEL: func.func @stores_into_output
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
func.func @stores_into_output(%x: memref<64xf32>) -> memref<65xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %out = memref.alloc() : memref<65xf32>
  %tail = memref.subview %out[1] [64] [1] : memref<65xf32> to memref<64xf32, strided<[1], offset: 1>>
  scf.for %k = %c0 to %c64 step %c1 {
    %a = memref.load %x[%k] : memref<64xf32>
    memref.store %a, %tail[%k] : memref<64xf32, strided<[1], offset: 1>>
    %acc = memref.load %out[%c0] : memref<65xf32>
    %s = arith.addf %a, %acc : f32
    memref.store %s, %out[%c0] : memref<65xf32>
  }
  return %out : memref<65xf32>
}
