// RUN: tfmc-opt %s --tfm-vectorize-transposes --cse --split-input-file | FileCheck %s

// Attention's K^T ([b, s, h, d] -> [b, h, d, s]) moves the innermost dim:
// a parallel loop stepping 16 along d and s, 16 row reads along the
// source's d (row i at s + i), one 16x16 vector.transpose, 16 row writes
// along the target's s (row i at d + i). Interior tiles read and write
// whole rows; edge tiles mask each row: min(16, left) long while the tile
// has that row, empty past it.
// CHECK-LABEL: func.func @key_transpose
// CHECK-SAME: (%[[SRC:.*]]: memref<1x?x12x64xf32>, %[[DST:.*]]: memref<1x12x64x?xf32>)
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK: scf.parallel (%[[B:.*]], %[[H:.*]], %[[D:.*]], %[[T:.*]]) = {{.*}} to (%{{.*}}, %{{.*}}, %[[DN:.*]], %[[S:.*]]) step (%c1, %c1, %[[C16]], %[[C16]])
// CHECK: %[[SLEFT:.*]] = arith.subi %[[S]], %[[T]]
// CHECK: %[[ROWS:.*]] = arith.minsi %[[SLEFT]], %[[C16]]
// CHECK: %[[DLEFT:.*]] = arith.subi %[[DN]], %[[D]]
// CHECK: %[[COLS:.*]] = arith.minsi %[[DLEFT]], %[[C16]]
// CHECK-DAG: %[[FULLC:.*]] = arith.cmpi eq, %[[COLS]], %[[C16]]
// CHECK-DAG: %[[FULLR:.*]] = arith.cmpi eq, %[[ROWS]], %[[C16]]
// CHECK: %[[FULL:.*]] = arith.andi %[[FULLR]], %[[FULLC]]
// CHECK: scf.if %[[FULL]] {
// CHECK: %[[T0:.*]] = arith.addi %[[T]], %c0
// CHECK: vector.transfer_read %[[SRC]][%[[B]], %[[T0]], %[[H]], %[[D]]], %{{[^,]*}} {in_bounds = [true]} : memref<1x?x12x64xf32>, vector<16xf32>
// CHECK-COUNT-15: vector.transfer_read %[[SRC]]{{.*}}, %{{[^,]*}} {in_bounds
// CHECK: vector.transpose %{{.*}}, [1, 0] : vector<16x16xf32> to vector<16x16xf32>
// CHECK-COUNT-16: vector.transfer_write %{{.*}}, %[[DST]]{{.*}}, %{{[^,]*}} {in_bounds = [true]} : vector<16xf32>
// CHECK: } else {
// CHECK: %[[T0M:.*]] = arith.addi %[[T]], %c0
// CHECK: %[[HAS0:.*]] = arith.cmpi slt, %c0, %[[ROWS]]
// CHECK: %[[LEN0:.*]] = arith.select %[[HAS0]], %[[COLS]], %c0
// CHECK: %[[MASK0:.*]] = vector.create_mask %[[LEN0]] : vector<16xi1>
// CHECK: vector.transfer_read %[[SRC]][%[[B]], %[[T0M]], %[[H]], %[[D]]], %{{.*}}, %[[MASK0]] {in_bounds = [true]} : memref<1x?x12x64xf32>, vector<16xf32>
// CHECK: %[[T1:.*]] = arith.addi %[[T]], %c1
// CHECK: vector.transfer_read %[[SRC]][%[[B]], %[[T1]], %[[H]], %[[D]]]
// CHECK-COUNT-14: vector.transfer_read %[[SRC]]
// CHECK: %[[TILE:.*]] = vector.transpose %{{.*}}, [1, 0] : vector<16x16xf32> to vector<16x16xf32>
// CHECK: %[[D0:.*]] = arith.addi %[[D]], %c0
// CHECK: %[[HASW0:.*]] = arith.cmpi slt, %c0, %[[COLS]]
// CHECK: %[[LENW0:.*]] = arith.select %[[HASW0]], %[[ROWS]], %c0
// CHECK: %[[MASKW0:.*]] = vector.create_mask %[[LENW0]] : vector<16xi1>
// CHECK: %[[ROW0:.*]] = vector.extract %[[TILE]][0]
// CHECK: vector.transfer_write %[[ROW0]], %[[DST]][%[[B]], %[[H]], %[[D0]], %[[T]]], %[[MASKW0]] {in_bounds = [true]} : vector<16xf32>, memref<1x12x64x?xf32>
// CHECK: %[[D1:.*]] = arith.addi %[[D]], %c1
// CHECK: vector.transfer_write %{{.*}}, %[[DST]][%[[B]], %[[H]], %[[D1]], %[[T]]]
// CHECK-COUNT-14: vector.transfer_write
// CHECK-NOT: linalg.transpose
func.func @key_transpose(%src: memref<1x?x12x64xf32>, %dst: memref<1x12x64x?xf32>) {
  linalg.transpose ins(%src : memref<1x?x12x64xf32>) outs(%dst : memref<1x12x64x?xf32>)
    permutation = [0, 2, 3, 1]
  return
}

// -----

// The dims that trade places need not be the last two of the target: the
// loop steps 16 along its dim 0 (the source's innermost) and its dim 2.
// CHECK-LABEL: func.func @rotate
// CHECK: scf.parallel {{.*}} step (%[[C16:.*]], %c1, %[[C16]])
// CHECK: vector.transpose
// CHECK-NOT: linalg.transpose
func.func @rotate(%src: memref<17x9x33xf32>, %dst: memref<33x17x9xf32>) {
  linalg.transpose ins(%src : memref<17x9x33xf32>) outs(%dst : memref<33x17x9xf32>)
    permutation = [2, 0, 1]
  return
}

// -----

// A transpose that keeps the innermost dim copies whole rows: loops do that.
// CHECK-LABEL: func.func @heads_first
// CHECK-NOT: vector.
// CHECK: linalg.transpose
func.func @heads_first(%src: memref<1x?x12x64xf32>, %dst: memref<1x12x?x64xf32>) {
  linalg.transpose ins(%src : memref<1x?x12x64xf32>) outs(%dst : memref<1x12x?x64xf32>)
    permutation = [0, 2, 1, 3]
  return
}

// -----

// Dims that trade places under half a tile wide, and element types other
// than f32, stay loops.
// CHECK-LABEL: func.func @narrow
// CHECK-NOT: vector.
// CHECK: linalg.transpose
// CHECK-LABEL: func.func @integers
// CHECK-NOT: vector.
// CHECK: linalg.transpose
func.func @narrow(%src: memref<64x4xf32>, %dst: memref<4x64xf32>) {
  linalg.transpose ins(%src : memref<64x4xf32>) outs(%dst : memref<4x64xf32>) permutation = [1, 0]
  return
}
func.func @integers(%src: memref<64x64xi32>, %dst: memref<64x64xi32>) {
  linalg.transpose ins(%src : memref<64x64xi32>) outs(%dst : memref<64x64xi32>)
    permutation = [1, 0]
  return
}
