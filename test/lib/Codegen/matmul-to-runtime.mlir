// RUN: tfmc-opt %s --tfm-matmul-to-runtime --split-input-file | FileCheck %s

#A = affine_map<(m, n, k) -> (m, k)>
#B = affine_map<(m, n, k) -> (k, n)>
#C = affine_map<(m, n, k) -> (m, n)>

// A zero-filled 2-D product becomes one call with batch 1; the fill goes
// (the kernel overwrites C).
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[INST:.*]]: !llvm.ptr {tfmrt.instance}
// CHECK-NOT: linalg.fill
// CHECK-NOT: linalg.generic
// CHECK: call @tfmrt_matmul_f32(%[[INST]], %{{.*}}) : (!llvm.ptr, i64, i64, i64, i64, !llvm.ptr, i64, i64, !llvm.ptr, i64, i64, !llvm.ptr, i64, i64) -> ()
// CHECK: func.func private @tfmrt_matmul_f32
func.func @matmul(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<4x8xf32>, %b: memref<8x16xf32>) -> memref<4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<4x16xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [#A, #B, #C], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return %c : memref<4x16xf32>
}

// -----

// [B, S, K] x [K, N]: the weight is shared by the batch (batch stride 0).
// CHECK-LABEL: func.func @batched_shared_weight
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[ZERO:.*]] = arith.index_cast %[[C0]] : index to i64
// CHECK: call @tfmrt_matmul_f32(%arg0, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ZERO]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
func.func @batched_shared_weight(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<?x?x8xf32>, %b: memref<8x16xf32>, %c: memref<?x?x16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<?x?x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<?x?x8xf32>, memref<8x16xf32>) outs(%c : memref<?x?x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// [B, H, S, D] x [B, H, D, T]: a loop over B around one call per H batch.
// CHECK-LABEL: func.func @four_d
// CHECK: scf.for
// CHECK: call @tfmrt_matmul_f32
// CHECK-NOT: linalg.generic
func.func @four_d(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<2x4x5x8xf32>, %b: memref<2x4x8x5xf32>, %c: memref<2x4x5x5xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<2x4x5x5xf32>)
  linalg.generic {indexing_maps = [affine_map<(b, h, m, n, k) -> (b, h, m, k)>, affine_map<(b, h, m, n, k) -> (b, h, k, n)>, affine_map<(b, h, m, n, k) -> (b, h, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x4x5x8xf32>, memref<2x4x8x5xf32>) outs(%c : memref<2x4x5x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A zero tensor that CSE shared between products is copied into C by
// bufferization: the copy goes like a fill would.
// CHECK-LABEL: func.func @copied_zero
// CHECK-NOT: memref.copy
// CHECK: call @tfmrt_matmul_f32
func.func @copied_zero(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %z = memref.alloc() : memref<4x16xf32>
  linalg.fill ins(%zero : f32) outs(%z : memref<4x16xf32>)
  memref.copy %z, %c : memref<4x16xf32> to memref<4x16xf32>
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Left alone: B read transposed (its rows are not contiguous in n), an
// accumulation into a C that was not zero-filled, and a function without
// an instance.
// CHECK-LABEL: func.func @transposed_b
// CHECK: linalg.generic
// CHECK-LABEL: func.func @accumulates
// CHECK: linalg.generic
// CHECK-LABEL: func.func @no_instance
// CHECK: linalg.fill
// CHECK: linalg.generic
// CHECK-NOT: call
func.func @transposed_b(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<4x8xf32>, %b: memref<16x8xf32>, %c: memref<4x16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<16x8xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
func.func @accumulates(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
func.func @no_instance(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A constant weight B is packed at compile time into 16-column panels (the
// 3 x 20 matrix becomes two zero-padded 3 x 16 panels), once for both
// products, and read through the packed-B kernel; the unpacked weight, read
// by nothing else, is dropped.
// CHECK: func.func private @tfmrt_matmul_f32_packed_b(!llvm.ptr, i64, i64, i64, i64, !llvm.ptr, i64, i64, !llvm.ptr, !llvm.ptr, i64, i64)
// CHECK: memref.global "private" constant @weight_packed : memref<96xf32> = dense_resource<weight_packed> {alignment = 64 : i64}
// CHECK-NOT: memref.global "private" constant @weight :
// CHECK-LABEL: func.func @constant_weight
// CHECK-NOT: linalg.generic
// CHECK: %[[PACKED:.*]] = memref.get_global @weight_packed : memref<96xf32>
// CHECK: %[[ADDRESS:.*]] = memref.extract_aligned_pointer_as_index %[[PACKED]]
// CHECK: %[[ADDRESS64:.*]] = arith.index_cast %[[ADDRESS]] : index to i64
// CHECK: %[[POINTER:.*]] = llvm.inttoptr %[[ADDRESS64]]
// CHECK: call @tfmrt_matmul_f32_packed_b(%arg0, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[POINTER]], %{{.*}}, %{{.*}}, %{{.*}})
// CHECK: memref.get_global @weight_packed
// CHECK: call @tfmrt_matmul_f32_packed_b
// CHECK-NOT: @weight_packed_0
// Panel 0 holds rows 1..16, 21..36, 41..56; panel 1 rows 17..20, 37..40,
// 57..60, each followed by 12 zeros (little-endian hex floats).
// CHECK: weight_packed: "0x400000000000803F00000040{{[0-9A-F]*}}000060420000884100009041000098410000A041{{(0{96})}}00001442
memref.global "private" constant @weight : memref<3x20xf32> = dense<[
  [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0],
  [21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0],
  [41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0]]>
func.func @constant_weight(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<?x?x3xf32>, %c: memref<?x?x20xf32>, %d: memref<4x20xf32>, %e: memref<4x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %w = memref.get_global @weight : memref<3x20xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<?x?x20xf32>)
  linalg.generic {indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<?x?x3xf32>, memref<3x20xf32>) outs(%c : memref<?x?x20xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.fill ins(%zero : f32) outs(%d : memref<4x20xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%e, %w : memref<4x3xf32>, memref<3x20xf32>) outs(%d : memref<4x20xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Not packed: a weight that each batch reads a different slice of, and a
// global that is not constant.
// CHECK-LABEL: func.func @batched_weight
// CHECK: call @tfmrt_matmul_f32(
// CHECK-LABEL: func.func @mutable_global
// CHECK: call @tfmrt_matmul_f32(
// CHECK-NOT: _packed
// CHECK: // -----
memref.global "private" constant @batched : memref<2x3x4xf32> = dense<1.0>
memref.global "private" @mutable : memref<3x4xf32> = dense<1.0>
func.func @batched_weight(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<2x5x3xf32>, %c: memref<2x5x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %w = memref.get_global @batched : memref<2x3x4xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<2x5x4xf32>)
  linalg.generic {indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<2x5x3xf32>, memref<2x3x4xf32>) outs(%c : memref<2x5x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
func.func @mutable_global(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<5x3xf32>, %c: memref<5x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %w = memref.get_global @mutable : memref<3x4xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<5x4xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<5x3xf32>, memref<3x4xf32>) outs(%c : memref<5x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A weight that other code also reads (an embedding table tied to the
// output projection) stays beside its packed copy.
// CHECK: memref.global "private" constant @tied_packed
// CHECK: memref.global "private" constant @tied : memref<2x16xf32>
// CHECK-LABEL: func.func @tied_weight
// CHECK: memref.get_global @tied :
// CHECK: memref.load
// CHECK: call @tfmrt_matmul_f32_packed_b
memref.global "private" constant @tied : memref<2x16xf32> = dense<[
  [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0],
  [17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0]]>
func.func @tied_weight(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<4x2xf32>, %c: memref<4x16xf32>, %i: index) -> f32 {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %w = memref.get_global @tied : memref<2x16xf32>
  %row = memref.load %w[%c0, %i] : memref<2x16xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<4x2xf32>, memref<2x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return %row : f32
}

// -----

// The elementwise op that first reads C runs as the product's epilogue, on
// each final block of C: bias and tanh into a buffer allocated between the
// two (the call moves to the epilogue's place). The tile function loads C
// at (batch, row, column) and the bias at the column.
// CHECK-LABEL: func.func private @bias_tanh_epilogue_0
// CHECK-SAME: (%[[CAPTURES:.*]]: !llvm.ptr, %[[BATCH:.*]]: i64, %[[ROW0:.*]]: i64, %[[ROW1:.*]]: i64, %[[COL0:.*]]: i64, %[[COL1:.*]]: i64)
// CHECK: llvm.load %[[CAPTURES]]
// CHECK: %[[B:.*]] = arith.index_cast %[[BATCH]]
// CHECK: %[[R0:.*]] = arith.index_cast %[[ROW0]]
// CHECK: %[[R1:.*]] = arith.index_cast %[[ROW1]]
// CHECK: %[[C0:.*]] = arith.index_cast %[[COL0]]
// CHECK: %[[C1:.*]] = arith.index_cast %[[COL1]]
// CHECK: scf.for %[[I:.*]] = %[[R0]] to %[[R1]]
// CHECK: scf.for %[[J:.*]] = %[[C0]] to %[[C1]]
// CHECK: %[[X:.*]] = memref.load %{{.*}}[%[[B]], %[[I]], %[[J]]] : memref<?x?x16xf32>
// CHECK: %[[Y:.*]] = memref.load %{{.*}}[%[[J]]] : memref<16xf32>
// CHECK: %[[S:.*]] = arith.addf %[[X]], %[[Y]]
// CHECK: %[[T:.*]] = math.tanh %[[S]]
// CHECK: memref.store %[[T]], %{{.*}}[%[[B]], %[[I]], %[[J]]]
// CHECK-LABEL: func.func @bias_tanh
// CHECK-NOT: linalg
// CHECK: %[[FN:.*]] = constant @bias_tanh_epilogue_0
// CHECK: call @tfmrt_matmul_f32_epilogue(%arg0, {{.*}}, %[[FN]], %{{.*}})
// CHECK-NOT: linalg
// CHECK: memref.dealloc
func.func @bias_tanh(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<?x?x8xf32>, %b: memref<8x16xf32>, %bias: memref<16xf32>) -> memref<?x?x16xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = memref.dim %a, %c0 : memref<?x?x8xf32>
  %d1 = memref.dim %a, %c1 : memref<?x?x8xf32>
  %c = memref.alloc(%d0, %d1) : memref<?x?x16xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<?x?x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<?x?x8xf32>, memref<8x16xf32>) outs(%c : memref<?x?x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  %d = memref.alloc(%d0, %d1) : memref<?x?x16xf32>
  linalg.generic {indexing_maps = [affine_map<(b, m, n) -> (b, m, n)>, affine_map<(b, m, n) -> (n)>, affine_map<(b, m, n) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%c, %bias : memref<?x?x16xf32>, memref<16xf32>) outs(%d : memref<?x?x16xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    %t = math.tanh %s : f32
    linalg.yield %t : f32
  }
  memref.dealloc %c : memref<?x?x16xf32>
  return %d : memref<?x?x16xf32>
}

// -----

// Three products of one input (an attention's Q, K and V projections), then
// their three bias adds: each product moves past the others to its own
// epilogue, which here writes C in place, and each C's zeroing goes (one
// fill, then copies of it). (Were the three C's arguments, which may be one
// buffer, the first bias add would count as reading the others' C.)
// CHECK-LABEL: func.func @projections
// CHECK-NOT: linalg
// CHECK-NOT: memref.copy
// CHECK: constant @projections_epilogue_0
// CHECK: call @tfmrt_matmul_f32_epilogue
// CHECK: constant @projections_epilogue_1
// CHECK: call @tfmrt_matmul_f32_epilogue
// CHECK: constant @projections_epilogue_2
// CHECK: call @tfmrt_matmul_f32_epilogue
// CHECK-NOT: linalg
func.func @projections(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<4x8xf32>, %w: memref<8x16xf32>, %bias: memref<16xf32>) -> (memref<4x16xf32>, memref<4x16xf32>, memref<4x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %q = memref.alloc() : memref<4x16xf32>
  %k = memref.alloc() : memref<4x16xf32>
  %v = memref.alloc() : memref<4x16xf32>
  linalg.fill ins(%zero : f32) outs(%v : memref<4x16xf32>)
  memref.copy %v, %q : memref<4x16xf32> to memref<4x16xf32>
  memref.copy %v, %k : memref<4x16xf32> to memref<4x16xf32>
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<4x8xf32>, memref<8x16xf32>) outs(%q : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<4x8xf32>, memref<8x16xf32>) outs(%k : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<4x8xf32>, memref<8x16xf32>) outs(%v : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%q, %bias : memref<4x16xf32>, memref<16xf32>) outs(%q : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%k, %bias : memref<4x16xf32>, memref<16xf32>) outs(%k : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%v, %bias : memref<4x16xf32>, memref<16xf32>) outs(%v : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  return %q, %k, %v : memref<4x16xf32>, memref<4x16xf32>, memref<4x16xf32>
}

// -----

// The same with V's bias add written over the input A (as bufferization
// reuses buffers in later layers): V's product keeps a plain call and its
// bias add, which Q's and K's products still move past to their own.
// CHECK-LABEL: func.func @projections_v_over_a
// CHECK: call @tfmrt_matmul_f32(
// CHECK: constant @projections_v_over_a_epilogue_0
// CHECK: call @tfmrt_matmul_f32_epilogue
// CHECK: constant @projections_v_over_a_epilogue_1
// CHECK: call @tfmrt_matmul_f32_epilogue
// CHECK: linalg.generic
// CHECK-SAME: outs(%arg1 :
func.func @projections_v_over_a(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<4x16xf32>, %w: memref<16x16xf32>, %bias: memref<16xf32>) -> (memref<4x16xf32>, memref<4x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %q = memref.alloc() : memref<4x16xf32>
  %k = memref.alloc() : memref<4x16xf32>
  %v = memref.alloc() : memref<4x16xf32>
  linalg.fill ins(%zero : f32) outs(%v : memref<4x16xf32>)
  memref.copy %v, %q : memref<4x16xf32> to memref<4x16xf32>
  memref.copy %v, %k : memref<4x16xf32> to memref<4x16xf32>
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<4x16xf32>, memref<16x16xf32>) outs(%q : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<4x16xf32>, memref<16x16xf32>) outs(%k : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<4x16xf32>, memref<16x16xf32>) outs(%v : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%q, %bias : memref<4x16xf32>, memref<16xf32>) outs(%q : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%k, %bias : memref<4x16xf32>, memref<16xf32>) outs(%k : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%v, %bias : memref<4x16xf32>, memref<16xf32>) outs(%a : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  return %q, %k : memref<4x16xf32>, memref<4x16xf32>
}

// -----

// No epilogue, the consumer staying a pass of its own after a plain call:
// - a residual add written over A, which other blocks still read;
// - C read transposed (another block's element);
// - an op in between that writes the consumer's other input;
// - a reduction over C.
// CHECK-LABEL: func.func @writes_a
// CHECK: call @tfmrt_matmul_f32(
// CHECK: linalg.generic
// CHECK-LABEL: func.func @reads_c_transposed
// CHECK: call @tfmrt_matmul_f32(
// CHECK: linalg.generic
// CHECK-LABEL: func.func @input_written_between
// CHECK: call @tfmrt_matmul_f32(
// CHECK: linalg.fill
// CHECK: linalg.generic
// CHECK-LABEL: func.func @reduces_c
// CHECK: call @tfmrt_matmul_f32(
// CHECK: linalg.generic
// CHECK-NOT: _epilogue
func.func @writes_a(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<4x16xf32>, %b: memref<16x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<4x16xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x16xf32>, memref<16x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<4x16xf32>) outs(%a : memref<4x16xf32>) {
  ^bb0(%x: f32, %out: f32):
    %s = arith.addf %x, %out : f32
    linalg.yield %s : f32
  }
  return
}
func.func @reads_c_transposed(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<16x8xf32>, %b: memref<8x16xf32>, %d: memref<16x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<16x16xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<16x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<16x8xf32>, memref<8x16xf32>) outs(%c : memref<16x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (n, m)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<16x16xf32>) outs(%d : memref<16x16xf32>) {
  ^bb0(%x: f32, %out: f32):
    linalg.yield %x : f32
  }
  return
}
func.func @input_written_between(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<4x8xf32>, %b: memref<8x16xf32>, %r: memref<4x16xf32>, %d: memref<4x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %c = memref.alloc() : memref<4x16xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.fill ins(%one : f32) outs(%r : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%c, %r : memref<4x16xf32>, memref<4x16xf32>) outs(%d : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  return
}
func.func @reduces_c(%inst: !llvm.ptr {tfmrt.instance}, %a: memref<4x8xf32>, %b: memref<8x16xf32>, %sum: memref<4xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<4x16xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m)>], iterator_types = ["parallel", "reduction"]}
      ins(%c : memref<4x16xf32>) outs(%sum : memref<4xf32>) {
  ^bb0(%x: f32, %out: f32):
    %s = arith.addf %x, %out : f32
    linalg.yield %s : f32
  }
  return
}
