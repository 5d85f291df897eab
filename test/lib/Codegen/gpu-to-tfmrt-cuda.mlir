// RUN: tfmc-opt %s --split-input-file --verify-diagnostics --tfm-gpu-to-tfmrt-cuda | FileCheck %s

// A launch: the kernel from the table by index, grid and block as i32
// triples, and one 8-byte slot per NVVM kernel parameter (an index operand,
// then the memref as allocated and aligned pointers, offset, size, stride),
// whose addresses the argument array holds, filled once at entry.
// CHECK: module attributes {tfmrt.cuda_kernel_names = ["first", "second"]}
// CHECK: llvm.mlir.global internal constant @tfmrt_cuda_ptx("//ptx\00") {addr_space = 0 : i32, section = ".tfmrt_ptx"}
// CHECK-LABEL: func.func @launch
// CHECK-SAME: (%[[CUDA:.*]]: !llvm.ptr {tfmrt.cuda_instance}, %[[KERNELS:.*]]: !llvm.ptr {tfmrt.cuda_kernels}, %[[X:.*]]: memref<8xf32>)
// CHECK: %[[DESC:.*]] = builtin.unrealized_conversion_cast %[[X]] : memref<8xf32> to !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
// CHECK: %[[GRID:.*]] = llvm.alloca %{{.*}} x i32
// CHECK: %[[BLOCK:.*]] = llvm.alloca %{{.*}} x i32
// CHECK: %[[SLOTS:.*]] = llvm.alloca %{{.*}} x i64
// CHECK: %[[ARGV:.*]] = llvm.alloca %{{.*}} x !llvm.ptr
// CHECK: %[[A0:.*]] = llvm.getelementptr %[[ARGV]][0]
// CHECK: %[[S0:.*]] = llvm.getelementptr %[[SLOTS]][0]
// CHECK: llvm.store %[[S0]], %[[A0]] : !llvm.ptr, !llvm.ptr
// CHECK: %[[A5:.*]] = llvm.getelementptr %[[ARGV]][5]
// CHECK: %[[S5:.*]] = llvm.getelementptr %[[SLOTS]][5]
// CHECK: llvm.store %[[S5]], %[[A5]] : !llvm.ptr, !llvm.ptr
// CHECK: llvm.getelementptr %[[KERNELS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: llvm.call @tfmrt_cuda_launch
// CHECK: %[[K:.*]] = llvm.getelementptr %[[KERNELS]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[KERNEL:.*]] = llvm.load %[[K]] : !llvm.ptr -> !llvm.ptr
// CHECK: llvm.getelementptr %[[GRID]][0] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK: llvm.trunc %{{.*}} : i64 to i32
// CHECK: llvm.getelementptr %[[BLOCK]][0] : (!llvm.ptr) -> !llvm.ptr, i32
// CHECK: %[[ALLOCATED:.*]] = llvm.extractvalue %[[DESC]][0]
// CHECK: %[[P0:.*]] = llvm.getelementptr %[[SLOTS]][0]
// CHECK: llvm.store %[[ALLOCATED]], %[[P0]] : !llvm.ptr, !llvm.ptr
// CHECK: %[[ALIGNED:.*]] = llvm.extractvalue %[[DESC]][1]
// CHECK: %[[P1:.*]] = llvm.getelementptr %[[SLOTS]][1]
// CHECK: llvm.store %[[ALIGNED]], %[[P1]] : !llvm.ptr, !llvm.ptr
// CHECK: llvm.extractvalue %[[DESC]][2]
// CHECK: llvm.extractvalue %[[DESC]][3, 0]
// CHECK: llvm.extractvalue %[[DESC]][4, 0]
// CHECK: %[[P5:.*]] = llvm.getelementptr %[[SLOTS]][5]
// CHECK: llvm.store %{{.*}}, %[[P5]] : i64, !llvm.ptr
// CHECK: %[[SHARED:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK: llvm.call @tfmrt_cuda_launch(%[[CUDA]], %[[KERNEL]], %[[GRID]], %[[BLOCK]], %[[SHARED]], %[[ARGV]]) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i32, !llvm.ptr) -> i32
// CHECK: llvm.getelementptr %[[KERNELS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NOT: gpu.
module attributes {gpu.container_module} {
  gpu.binary @m_kernels [#gpu.object<#nvvm.target<chip = "sm_90">, assembly = "//ptx">]
  func.func @launch(%cuda: !llvm.ptr {tfmrt.cuda_instance}, %kernels: !llvm.ptr {tfmrt.cuda_kernels}, %x: memref<8xf32>) {
    %c1 = arith.constant 1 : index
    %c128 = arith.constant 128 : index
    gpu.launch_func @m_kernels::@first blocks in (%c1, %c1, %c1) threads in (%c128, %c1, %c1) args(%c1 : index, %x : memref<8xf32>)
    gpu.launch_func @m_kernels::@second blocks in (%c1, %c1, %c1) threads in (%c128, %c1, %c1) args(%x : memref<8xf32>, %c1 : index)
    gpu.launch_func @m_kernels::@first blocks in (%c1, %c1, %c1) threads in (%c128, %c1, %c1) args(%c1 : index, %x : memref<8xf32>)
    return
  }
}

// -----

// Allocations: device or shared, the byte count from the shape; free takes
// the allocated pointer.
// CHECK-LABEL: func.func @alloc
// CHECK-SAME: (%[[CUDA:.*]]: !llvm.ptr {tfmrt.cuda_instance}, %{{.*}}: !llvm.ptr {tfmrt.cuda_kernels}, %{{.*}}: index)
// CHECK: %[[BYTES:.*]] = llvm.ptrtoint
// CHECK: %[[A:.*]] = llvm.call @tfmrt_cuda_alloc(%[[CUDA]], %[[BYTES]]) : (!llvm.ptr, i64) -> i64
// CHECK: %[[P:.*]] = llvm.inttoptr %[[A]] : i64 to !llvm.ptr
// CHECK: llvm.insertvalue %[[P]], %{{.*}}[0]
// CHECK: llvm.insertvalue %[[P]], %{{.*}}[1]
// CHECK: llvm.call @tfmrt_cuda_alloc_shared(%[[CUDA]], %{{.*}}) : (!llvm.ptr, i64) -> i64
// CHECK: %[[FREED:.*]] = llvm.extractvalue %{{.*}}[0]
// CHECK: %[[ADDRESS:.*]] = llvm.ptrtoint %[[FREED]] : !llvm.ptr to i64
// CHECK: llvm.call @tfmrt_cuda_free(%[[CUDA]], %[[ADDRESS]]) : (!llvm.ptr, i64) -> ()
module attributes {gpu.container_module} {
  func.func @alloc(%cuda: !llvm.ptr {tfmrt.cuda_instance}, %kernels: !llvm.ptr {tfmrt.cuda_kernels}, %n: index) -> memref<?x4xf32> {
    %a = gpu.alloc (%n) : memref<?x4xf32>
    %b = gpu.alloc host_shared () : memref<2xi64>
    gpu.dealloc %b : memref<2xi64>
    return %a : memref<?x4xf32>
  }
}

// -----

// A wait synchronizes; after a failure the function returns at once.
// CHECK-LABEL: func.func @wait
// CHECK: %[[STATUS:.*]] = llvm.call @tfmrt_cuda_synchronize(%{{.*}}) : (!llvm.ptr) -> i32
// CHECK: %[[OK:.*]] = llvm.icmp "eq" %[[STATUS]], %{{.*}} : i32
// CHECK: cf.cond_br %[[OK]], ^[[NEXT:.*]], ^[[FAILED:.*]]
// CHECK: ^[[NEXT]]:
// CHECK: memref.load
// CHECK: ^[[FAILED]]:
// CHECK: %[[POISON:.*]] = ub.poison : i64
// CHECK: return %[[POISON]] : i64
module attributes {gpu.container_module} {
  func.func @wait(%cuda: !llvm.ptr {tfmrt.cuda_instance}, %kernels: !llvm.ptr {tfmrt.cuda_kernels}, %m: memref<2xi64>) -> i64 {
    %c0 = arith.constant 0 : index
    gpu.wait
    %x = memref.load %m[%c0] : memref<2xi64>
    return %x : i64
  }
}

// -----

// A constant kernels read: its device copy, uploaded on first use.
// CHECK-LABEL: func.func @constant
// CHECK: %[[HOST:.*]] = memref.get_global @w : memref<4xf32>
// CHECK: %[[DESC:.*]] = builtin.unrealized_conversion_cast %[[HOST]]
// CHECK: %[[ADDR:.*]] = llvm.extractvalue %[[DESC]][1]
// CHECK: %[[D:.*]] = llvm.call @tfmrt_cuda_constant(%{{.*}}, %[[ADDR]], %{{.*}}) : (!llvm.ptr, !llvm.ptr, i64) -> i64
// CHECK: llvm.inttoptr %[[D]]
module attributes {gpu.container_module} {
  memref.global "private" constant @w : memref<4xf32> = dense<1.0>
  func.func @constant(%cuda: !llvm.ptr {tfmrt.cuda_instance}, %kernels: !llvm.ptr {tfmrt.cuda_kernels}) -> memref<4xf32> {
    %w = memref.get_global @w : memref<4xf32> {tfmrt.cuda_constant}
    return %w : memref<4xf32>
  }
}

// -----

module attributes {gpu.container_module} {
  // expected-error @+1 {{'func.func' op has GPU operations but no CUDA instance and kernels arguments}}
  func.func @no_runtime_arguments() {
    gpu.wait
    return
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.binary @a [#gpu.object<#nvvm.target<chip = "sm_90">, assembly = "//a">]
  // expected-error @+1 {{'gpu.binary' op is not the one PTX object the CUDA target expects}}
  gpu.binary @b [#gpu.object<#nvvm.target<chip = "sm_90">, assembly = "//b">]
}
