// RUN: tfmc-opt %s --split-input-file --tfm-gpu-matmul | FileCheck %s
// RUN: tfmc-opt %s --split-input-file --tfm-gpu-matmul --canonicalize | FileCheck %s --check-prefix=GRID
// RUN: tfmc-opt %s --split-input-file --tfm-gpu-matmul=precision=tf32 | FileCheck %s --check-prefix=TF32
// RUN: tfmc-opt %s --split-input-file --tfm-gpu-matmul=precision=fp16 | FileCheck %s --check-prefix=FP16
// RUN: tfmc-opt %s --split-input-file --tfm-gpu-matmul=precision=bf16 | FileCheck %s --check-prefix=BF16
// RUN: not tfmc-opt %s --split-input-file --tfm-gpu-matmul=precision=fp8 2>&1 | FileCheck %s --check-prefix=BAD

#A = affine_map<(m, n, k) -> (m, k)>
#B = affine_map<(m, n, k) -> (k, n)>
#C = affine_map<(m, n, k) -> (m, n)>

// A zero-filled [100, 70] x [70, 50] product becomes one launch: the fill
// goes (the kernel overwrites C), the grid covers ceil(100/64) x
// ceil(50/64) = 2 tiles of 64x64 on x, the batch (1) on z.
// CHECK-LABEL: func.func @matmul
// CHECK-NOT: linalg.fill
// CHECK-NOT: linalg.generic
// CHECK: memref.reinterpret_cast {{.*}} : memref<f32> to memref<?xf32, strided<[1], offset: ?>>
// CHECK: gpu.launch_func @tfm_matmul_kernels::@tfm_matmul_fp32_f32_f32
// GRID-LABEL: func.func @matmul
// GRID-DAG: %[[C1:.*]] = arith.constant 1 : index
// GRID-DAG: %[[C256:.*]] = arith.constant 256 : index
// GRID-DAG: %[[C2:.*]] = arith.constant 2 : index
// GRID: gpu.launch_func @tfm_matmul_kernels::@tfm_matmul_fp32_f32_f32 blocks in (%[[C2]], %[[C1]], %[[C1]]) threads in (%[[C256]], %[[C1]], %[[C1]])
// CHECK: gpu.module @tfm_matmul_kernels
// CHECK: gpu.func @tfm_matmul_fp32_f32_f32({{.*}}) workgroup({{.*}}: memref<64x16xf32, #gpu.address_space<workgroup>>, {{.*}}: memref<16x64xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 256, 1, 1>}
// CHECK: gpu.barrier
// CHECK: math.fma
// CHECK-NOT: nvvm.mma.sync
// CHECK: gpu.return

// tf32: m16n8k8 on tf32 operands rounded (cvt.rna) as they are staged.
// TF32-LABEL: func.func @matmul
// TF32: gpu.launch_func @tfm_matmul_kernels::@tfm_matmul_tf32_f32_f32 blocks in (%{{.*}}) threads in (%[[T:.*]], %{{.*}}, %{{.*}})
// TF32: gpu.func @tfm_matmul_tf32_f32_f32({{.*}}) workgroup({{.*}}: memref<64x20xi32, #gpu.address_space<workgroup>>, {{.*}}: memref<16x72xi32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 128, 1, 1>}
// TF32: nvvm.convert.float.to.tf32 {{.*}} {rnd = #nvvm.fp_rnd_mode<rna>}
// TF32: nvvm.mma.sync A[{{.*}}, {{.*}}, {{.*}}, {{.*}}] B[{{.*}}, {{.*}}] C[{{.*}}, {{.*}}, {{.*}}, {{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<tf32>, multiplicandBPtxType = #nvvm.mma_type<tf32>, shape = #nvvm.shape<m = 16, n = 8, k = 8>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>

// fp16: m16n8k16 on f16 pairs, operands rounded to nearest even as staged.
// FP16-LABEL: func.func @matmul
// FP16: gpu.func @tfm_matmul_fp16_f32_f32({{.*}}) workgroup({{.*}}: memref<64x40xf16, #gpu.address_space<workgroup>>, {{.*}}: memref<32x72xf16, #gpu.address_space<workgroup>>)
// FP16: arith.truncf {{.*}} : f32 to f16
// FP16: nvvm.mma.sync {{.*}} {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>

// bf16: the same on bf16 pairs, which nvvm.mma.sync takes as i32.
// BF16-LABEL: func.func @matmul
// BF16: gpu.func @tfm_matmul_bf16_f32_f32
// BF16: arith.truncf {{.*}} : f32 to bf16
// BF16: llvm.bitcast {{.*}} : vector<2xbf16> to i32
// BF16: nvvm.mma.sync {{.*}} multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>

// BAD: tfm-gpu-matmul: precision 'fp8' is not one of fp32, tf32, fp16, bf16
func.func @matmul(%a: memref<100x70xf32>, %b: memref<70x50xf32>) -> memref<100x50xf32> {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<100x50xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<100x50xf32>)
  linalg.generic {indexing_maps = [#A, #B, #C], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<100x70xf32>, memref<70x50xf32>) outs(%c : memref<100x50xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return %c : memref<100x50xf32>
}

// -----

// [B, H, S, D] x [B, H, D, T]: a host loop over B around one launch per
// H batch; the grid's z is min(H, 65535) (the kernel loops past it).
// CHECK-LABEL: func.func @four_d
// CHECK: %{{.*}}, %[[SIZES:[a-z0-9_]*]]:4, %{{.*}}:4 = memref.extract_strided_metadata %arg2
// CHECK: scf.for
// CHECK: %[[Z:.*]] = arith.minui %[[SIZES]]#1, %{{.*}} : index
// CHECK: gpu.launch_func @tfm_matmul_kernels::@tfm_matmul_fp32_f32_f32 blocks in (%{{.*}}, %{{.*}}, %[[Z]])
// CHECK-NOT: linalg.generic
func.func @four_d(%a: memref<?x?x5x8xf32>, %b: memref<?x?x8x5xf32>, %c: memref<?x?x5x5xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<?x?x5x5xf32>)
  linalg.generic {indexing_maps = [affine_map<(b, h, m, n, k) -> (b, h, m, k)>, affine_map<(b, h, m, n, k) -> (b, h, k, n)>, affine_map<(b, h, m, n, k) -> (b, h, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<?x?x5x8xf32>, memref<?x?x8x5xf32>) outs(%c : memref<?x?x5x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#A = affine_map<(m, n, k) -> (m, k)>
#B = affine_map<(m, n, k) -> (k, n)>
#C = affine_map<(m, n, k) -> (m, n)>

// A constant weight B is rounded at compile time for fp16 and bf16 (1.0 is
// 0x3C00 in f16, 0x3F80 in bf16; 0.1 is 0x2E66 and 0x3DCD) and the f32
// original goes; fp32 and tf32 read it as it is.
// CHECK-LABEL: func.func @weight
// CHECK: memref.get_global @w : memref<2x2xf32>
// FP16: memref.global "private" constant @w_f16 : memref<2x2xf16> = dense_resource<w_f16> {alignment = 64 : i64}
// FP16-NOT: memref.global "private" constant @w :
// FP16-LABEL: func.func @weight
// FP16: memref.get_global @w_f16 : memref<2x2xf16>
// FP16: gpu.launch_func @tfm_matmul_kernels::@tfm_matmul_fp16_f32_f16
// FP16: gpu.func @tfm_matmul_fp16_f32_f16(%{{.*}}: memref<?xf32, strided<[1], offset: ?>>, %{{.*}}: memref<?xf16, strided<[1], offset: ?>>
// FP16: w_f16: "0x40000000003C662E00BC66AE"
// BF16-LABEL: func.func @weight
// BF16: memref.get_global @w_bf16 : memref<2x2xbf16>
// BF16: w_bf16: "0x40000000803FCD3D80BFCDBD"
memref.global "private" constant @w : memref<2x2xf32> = dense<[[1.0, 0.1], [-1.0, -0.1]]> {alignment = 64 : i64}
func.func @weight(%a: memref<?x2xf32>, %c: memref<?x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %b = memref.get_global @w : memref<2x2xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<?x2xf32>)
  linalg.generic {indexing_maps = [#A, #B, #C], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<?x2xf32>, memref<2x2xf32>) outs(%c : memref<?x2xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#A = affine_map<(m, n, k) -> (m, k)>
#B = affine_map<(m, n, k) -> (k, n)>
#C = affine_map<(m, n, k) -> (m, n)>

// Without a zero fill the product accumulates into C: it stays a loop nest.
// CHECK-LABEL: func.func @accumulates
// CHECK: linalg.generic
// CHECK-NOT: gpu.launch_func
func.func @accumulates(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  linalg.generic {indexing_maps = [#A, #B, #C], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
