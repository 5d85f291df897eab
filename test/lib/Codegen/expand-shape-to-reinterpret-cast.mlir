// RUN: tfmc-opt %s --tfm-expand-shape-to-reinterpret-cast --split-input-file | FileCheck %s

// [B*S, 2304] → [B, S, 2304]: two dynamic dims in one group, which LLVM 22's
// expand-strided-metadata crashes on. The view is rebuilt from the source's
// metadata: stride(S) = stride(B*S), stride(B) = that times S.
// CHECK-LABEL: func.func @two_dynamic_dims_in_a_group
// CHECK-SAME: (%[[SRC:.*]]: memref<?x2304xf32>, %[[B:.*]]: index, %[[S:.*]]: index)
// CHECK: %[[BASE:.*]], %[[OFFSET:.*]], %[[SIZES:.*]]:2, %[[STRIDES:.*]]:2 = memref.extract_strided_metadata %[[SRC]]
// CHECK: %[[OUTER:.*]] = arith.muli %[[STRIDES]]#0, %[[S]] : index
// CHECK: %[[VIEW:.*]] = memref.reinterpret_cast %[[BASE]] to offset: [0], sizes: [%[[B]], %[[S]], 2304], strides: [%[[OUTER]], 2304, 1]
// CHECK-NOT: memref.expand_shape
// CHECK: return %[[VIEW]]
func.func @two_dynamic_dims_in_a_group(%src: memref<?x2304xf32>, %b: index, %s: index) -> memref<?x?x2304xf32> {
  %e = memref.expand_shape %src [[0, 1], [2]] output_shape [%b, %s, 2304] : memref<?x2304xf32> into memref<?x?x2304xf32>
  return %e : memref<?x?x2304xf32>
}

// -----

// A strided source keeps its dynamic offset and outer stride.
// CHECK-LABEL: func.func @strided_source
// CHECK: %[[BASE:.*]], %[[OFFSET:.*]], %[[SIZES:.*]]:2, %[[STRIDES:.*]]:2 = memref.extract_strided_metadata %arg0
// CHECK: %[[OUTER:.*]] = arith.muli %[[STRIDES]]#0, %arg2
// CHECK: memref.reinterpret_cast %[[BASE]] to offset: [%[[OFFSET]]], sizes: [%arg1, %arg2, 768], strides: [%[[OUTER]], %[[STRIDES]]#0, 1]
func.func @strided_source(%src: memref<?x768xf32, strided<[?, 1], offset: ?>>, %b: index, %s: index) -> memref<?x?x768xf32, strided<[?, ?, 1], offset: ?>> {
  %e = memref.expand_shape %src [[0, 1], [2]] output_shape [%b, %s, 768] : memref<?x768xf32, strided<[?, 1], offset: ?>> into memref<?x?x768xf32, strided<[?, ?, 1], offset: ?>>
  return %e : memref<?x?x768xf32, strided<[?, ?, 1], offset: ?>>
}

// -----

// One dynamic dim per group is left to expand-strided-metadata.
// CHECK-LABEL: func.func @one_dynamic_dim_per_group
// CHECK: memref.expand_shape
// CHECK-NOT: memref.reinterpret_cast
func.func @one_dynamic_dim_per_group(%src: memref<?x768xf32>, %b: index) -> memref<?x12x64xf32> {
  %e = memref.expand_shape %src [[0], [1, 2]] output_shape [%b, 12, 64] : memref<?x768xf32> into memref<?x12x64xf32>
  return %e : memref<?x12x64xf32>
}
