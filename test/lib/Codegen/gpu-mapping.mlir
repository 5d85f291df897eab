// RUN: tfmc-opt %s --split-input-file --tfm-tile-parallel-loops-for-gpu | FileCheck %s
// RUN: tfmc-opt %s --split-input-file --tfm-copies-to-linalg | FileCheck %s --check-prefix=COPY
// RUN: tfmc-opt %s --split-input-file --tfm-merge-gpu-modules | FileCheck %s --check-prefix=MERGE

// The innermost dim runs on 128 threads of a block, the rest on blocks; the
// inner loop has constant bounds and guards the tail with an scf.if.
// CHECK-LABEL: func.func @tile
// CHECK: %[[C128:.*]] = arith.constant 128 : index
// CHECK: %[[STEP:.*]] = arith.muli %{{.*}}, %[[C128]] : index
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) = ({{.*}}) to (%{{.*}}, %{{.*}}) step (%{{.*}}, %[[STEP]])
// CHECK: scf.parallel ({{.*}}) = ({{.*}}) to (%{{.*}}, %[[STEP]])
// CHECK: scf.if
// CHECK: memref.load
func.func @tile(%a: memref<3x200xf32>, %b: memref<3x200xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c200 = arith.constant 200 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c3, %c200) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<3x200xf32>
    memref.store %x, %b[%i, %j] : memref<3x200xf32>
    scf.reduce
  }
  return
}

// -----

// A loop that calls the CPU runtime stays on the host as scf.for.
// CHECK-LABEL: func.func @host_loop
// CHECK-NOT: scf.parallel
// CHECK: scf.for
// CHECK: func.call @tfmrt_parse_f64
func.func private @tfmrt_parse_f64(index) -> f64
func.func @host_loop(%a: memref<4xindex>, %b: memref<4xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %p = memref.load %a[%i] : memref<4xindex>
    %x = func.call @tfmrt_parse_f64(%p) : (index) -> f64
    memref.store %x, %b[%i] : memref<4xf64>
    scf.reduce
  }
  return
}

// -----

// COPY-LABEL: func.func @copy
// COPY-NOT: memref.copy
// COPY: linalg.copy ins(%{{.*}} : memref<2x3xf32>) outs(%{{.*}} : memref<2x3xf32>)
func.func @copy(%a: memref<2x3xf32>, %b: memref<2x3xf32>) {
  memref.copy %a, %b : memref<2x3xf32> to memref<2x3xf32>
  return
}

// -----

// Two outlined kernels end up in one module; their launches follow them.
// MERGE: gpu.module @kernels
// MERGE: gpu.func @k
// MERGE: gpu.func @k_0
// MERGE-NOT: gpu.module
// MERGE-LABEL: func.func @launch
// MERGE: gpu.launch_func @kernels::@k
// MERGE: gpu.launch_func @kernels::@k_0
module attributes {gpu.container_module} {
  gpu.module @first {
    gpu.func @k() kernel { gpu.return }
  }
  gpu.module @second {
    gpu.func @k() kernel { gpu.return }
  }
  func.func @launch() {
    %c1 = arith.constant 1 : index
    gpu.launch_func @first::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    gpu.launch_func @second::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    return
  }
}
