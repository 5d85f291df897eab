// RUN: tfmc-opt %s --split-input-file --tfm-place-gpu-buffers --verify-diagnostics | FileCheck %s

// Buffers only kernels and outputs use go to the device; a constant only
// kernels read is marked for upload; the leading arguments are added.
// CHECK-LABEL: func.func @device
// CHECK-SAME: (%[[CUDA:.*]]: !llvm.ptr {tfmrt.cuda_instance}, %[[KERNELS:.*]]: !llvm.ptr {tfmrt.cuda_kernels}, %[[X:.*]]: memref<4xf32>)
// CHECK: %[[W:.*]] = memref.get_global @w : memref<4xf32> {tfmrt.cuda_constant}
// CHECK: %[[OUT:.*]] = gpu.alloc  () : memref<4xf32>
// CHECK: gpu.launch_func  @k::@k {{.*}} args(%[[X]] : memref<4xf32>, %[[W]] : memref<4xf32>, %[[OUT]] : memref<4xf32>)
// CHECK-NOT: gpu.wait
// CHECK: return %[[OUT]]
module attributes {gpu.container_module} {
  memref.global "private" constant @w : memref<4xf32> = dense<1.0>
  gpu.module @k {
    gpu.func @k(%a: memref<4xf32>, %b: memref<4xf32>, %c: memref<4xf32>) kernel { gpu.return }
  }
  func.func @device(%x: memref<4xf32>) -> memref<4xf32> {
    %c1 = arith.constant 1 : index
    %w = memref.get_global @w : memref<4xf32>
    %out = memref.alloc() : memref<4xf32>
    gpu.launch_func @k::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%x : memref<4xf32>, %w : memref<4xf32>, %out : memref<4xf32>)
    return %out : memref<4xf32>
  }
}

// -----

// Shape arithmetic: the host writes a buffer a kernel reads, then reads
// what a kernel wrote through a view; both buffers are shared, and the host
// waits before it touches them (once per run of accesses).
// CHECK-LABEL: func.func @shared
// CHECK: %[[A:.*]] = gpu.alloc  host_shared () : memref<2xi64>
// CHECK-NEXT: gpu.wait
// CHECK-NEXT: memref.store
// CHECK-NEXT: memref.store
// CHECK: %[[B:.*]] = gpu.alloc  host_shared () : memref<2xi64>
// CHECK: gpu.launch_func
// CHECK: gpu.wait
// CHECK-NEXT: memref.load
// CHECK-NOT: gpu.wait
// CHECK: memref.load
// CHECK: gpu.dealloc %[[B]]
module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @k(%a: memref<2xi64>, %b: memref<2xi64>) kernel { gpu.return }
  }
  func.func @shared(%n: i64) -> i64 {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %a = memref.alloc() : memref<2xi64>
    memref.store %n, %a[%c0] : memref<2xi64>
    memref.store %n, %a[%c1] : memref<2xi64>
    %b = memref.alloc() : memref<2xi64>
    gpu.launch_func @k::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<2xi64>, %b : memref<2xi64>)
    %view = memref.subview %b[1] [1] [1] : memref<2xi64> to memref<1xi64, strided<[1], offset: 1>>
    %x = memref.load %b[%c0] : memref<2xi64>
    %y = memref.load %view[%c0] : memref<1xi64, strided<[1], offset: 1>>
    %s = arith.addi %x, %y : i64
    memref.dealloc %b : memref<2xi64>
    return %s : i64
  }
}

// -----

// An input host code reads is recorded for the entry to put in shared
// memory; a launch whose grid is known only at run time runs when it has
// blocks; a constant both sides use is copied into shared memory.
// CHECK: module attributes {gpu.container_module, tfmrt.cuda_shared_inputs = array<i32: 0>}
// CHECK-LABEL: func.func @input
// CHECK: %[[G:.*]] = memref.get_global @shape
// CHECK-NEXT: %[[S:.*]] = gpu.alloc  host_shared () : memref<1xindex>
// CHECK-NEXT: gpu.wait
// CHECK-NEXT: memref.copy %[[G]], %[[S]]
// CHECK: %[[EMPTY:.*]] = arith.cmpi eq, %{{.*}}, %c0
// CHECK: %[[GO:.*]] = arith.xori %[[EMPTY]], %true
// CHECK: scf.if %[[GO]] {
// CHECK-NEXT: gpu.launch_func
module attributes {gpu.container_module} {
  memref.global "private" constant @shape : memref<1xindex> = dense<3>
  gpu.module @k {
    gpu.func @k(%a: memref<1xi64>, %b: memref<1xindex>) kernel { gpu.return }
  }
  func.func @input(%x: memref<1xi64>) -> memref<1xi64> {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %shape = memref.get_global @shape : memref<1xindex>
    %v = memref.load %x[%c0] : memref<1xi64>
    %n = arith.index_cast %v : i64 to index
    %m = memref.load %shape[%c0] : memref<1xindex>
    gpu.launch_func @k::@k blocks in (%n, %c1, %c1) threads in (%m, %c1, %c1) args(%x : memref<1xi64>, %shape : memref<1xindex>)
    return %x : memref<1xi64>
  }
}

// -----

module attributes {gpu.container_module} {
  func.func private @tfmrt_parse_f64(memref<2xf64>) -> f64
  func.func @runtime_call(%x: memref<2xf64>) -> f64 {
    // expected-error @+1 {{'func.call' op uses a buffer on the host, which GPU host code does not support yet}}
    %r = func.call @tfmrt_parse_f64(%x) : (memref<2xf64>) -> f64
    return %r : f64
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @k(%a: memref<2xf32>) kernel { gpu.return }
  }
  func.func @stack() {
    %c1 = arith.constant 1 : index
    // expected-error @+1 {{'memref.alloca' op is a host stack buffer that a kernel or output uses}}
    %a = memref.alloca() : memref<2xf32>
    gpu.launch_func @k::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<2xf32>)
    return
  }
}
