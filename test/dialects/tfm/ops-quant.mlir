// RUN: tfmc-opt %s --split-input-file | tfmc-opt --split-input-file | FileCheck %s
// RUN: tfmc-opt %s --split-input-file --mlir-print-op-generic | tfmc-opt --split-input-file | FileCheck %s

// Round trip of the quantization ops (TfmQuantOps.td).

// The result element type is the zero point's, else output_dtype, else ui8.
// CHECK-LABEL: func.func @quantize_linear
// CHECK: tfm.quantize_linear %arg0, %arg1 : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xui8>
// CHECK: tfm.quantize_linear %arg0, %arg1 zero_point %arg2 : (tensor<2x3xf32>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
// CHECK: tfm.quantize_linear %arg0, %arg1 {output_dtype = i16, saturate = 0 : si64} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi16>
// CHECK: tfm.quantize_linear %arg0, %arg1 zero_point %arg2 {output_dtype = i8} : (tensor<2x3xf32>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
func.func @quantize_linear(%x: tensor<2x3xf32>, %s: tensor<f32>, %zp: tensor<i8>)
    -> (tensor<2x3xui8>, tensor<2x3xi8>, tensor<2x3xi16>, tensor<2x3xi8>) {
  %0 = tfm.quantize_linear %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xui8>
  %1 = tfm.quantize_linear %x, %s zero_point %zp : (tensor<2x3xf32>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
  %2 = tfm.quantize_linear %x, %s {output_dtype = i16, saturate = 0 : si64} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi16>
  %3 = tfm.quantize_linear %x, %s zero_point %zp {output_dtype = i8} : (tensor<2x3xf32>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
  return %0, %1, %2, %3 : tensor<2x3xui8>, tensor<2x3xi8>, tensor<2x3xi16>, tensor<2x3xi8>
}

// -----

// Per-axis scales are 1-D of the axis size; per-block ones have the input's
// rank with the axis dim divided by block_size (rounded up).
// CHECK-LABEL: func.func @quantize_linear_axis_block
// CHECK: tfm.quantize_linear %arg0, %arg1 zero_point %arg2 : (tensor<4x6xf32>, tensor<6xf32>, tensor<6xui8>) -> tensor<4x6xui8>
// CHECK: tfm.quantize_linear %arg0, %arg3 {axis = 0 : si64} : (tensor<4x6xf32>, tensor<4xf32>) -> tensor<4x6xui8>
// CHECK: tfm.quantize_linear %arg0, %arg4 {block_size = 4 : si64} : (tensor<4x6xf32>, tensor<4x2xf32>) -> tensor<4x6xui8>
func.func @quantize_linear_axis_block(%x: tensor<4x6xf32>, %s: tensor<6xf32>, %zp: tensor<6xui8>, %s0: tensor<4xf32>, %sb: tensor<4x2xf32>)
    -> (tensor<4x6xui8>, tensor<4x6xui8>, tensor<4x6xui8>) {
  %0 = tfm.quantize_linear %x, %s zero_point %zp : (tensor<4x6xf32>, tensor<6xf32>, tensor<6xui8>) -> tensor<4x6xui8>
  %1 = tfm.quantize_linear %x, %s0 {axis = 0 : si64} : (tensor<4x6xf32>, tensor<4xf32>) -> tensor<4x6xui8>
  %2 = tfm.quantize_linear %x, %sb {block_size = 4 : si64} : (tensor<4x6xf32>, tensor<4x2xf32>) -> tensor<4x6xui8>
  return %0, %1, %2 : tensor<4x6xui8>, tensor<4x6xui8>, tensor<4x6xui8>
}

// -----

// ceil(INT64_MAX / 2) blocks, without overflowing INT64_MAX + 1.
// CHECK-LABEL: func.func @quantize_linear_huge_block
// CHECK: tfm.quantize_linear %arg0, %arg1 {axis = 0 : si64, block_size = 2 : si64} : (tensor<9223372036854775807xf32>, tensor<4611686018427387904xf32>) -> tensor<9223372036854775807xui8>
func.func @quantize_linear_huge_block(%x: tensor<9223372036854775807xf32>, %s: tensor<4611686018427387904xf32>) -> tensor<9223372036854775807xui8> {
  %0 = tfm.quantize_linear %x, %s {axis = 0 : si64, block_size = 2 : si64} : (tensor<9223372036854775807xf32>, tensor<4611686018427387904xf32>) -> tensor<9223372036854775807xui8>
  return %0 : tensor<9223372036854775807xui8>
}

// -----

// CHECK-LABEL: func.func @quantize_linear_symbolic
// CHECK: tfm.quantize_linear %arg0, %arg1 : (tensor<?x?xbf16, #tfm.dims<["batch", "seq"]>>, tensor<bf16>) -> tensor<?x?xui8, #tfm.dims<["batch", "seq"]>>
func.func @quantize_linear_symbolic(%x: tensor<?x?xbf16, #tfm.dims<["batch", "seq"]>>, %s: tensor<bf16>)
    -> tensor<?x?xui8, #tfm.dims<["batch", "seq"]>> {
  %0 = tfm.quantize_linear %x, %s : (tensor<?x?xbf16, #tfm.dims<["batch", "seq"]>>, tensor<bf16>) -> tensor<?x?xui8, #tfm.dims<["batch", "seq"]>>
  return %0 : tensor<?x?xui8, #tfm.dims<["batch", "seq"]>>
}

// -----

// The result element type is the scale's.
// CHECK-LABEL: func.func @dequantize_linear
// CHECK: tfm.dequantize_linear %arg0, %arg1 : (tensor<2x3xi8>, tensor<f32>) -> tensor<2x3xf32>
// CHECK: tfm.dequantize_linear %arg0, %arg1 zero_point %arg2 : (tensor<2x3xi8>, tensor<f32>, tensor<i8>) -> tensor<2x3xf32>
// CHECK: tfm.dequantize_linear %arg3, %arg4 zero_point %arg5 {axis = 0 : si64} : (tensor<2x3xi32>, tensor<2xf16>, tensor<2xi32>) -> tensor<2x3xf16>
// CHECK: tfm.dequantize_linear %arg6, %arg7 {axis = -1 : si64, block_size = 2 : si64} : (tensor<2x5xui16>, tensor<2x3xf32>) -> tensor<2x5xf32>
func.func @dequantize_linear(%x: tensor<2x3xi8>, %s: tensor<f32>, %zp: tensor<i8>,
                             %x32: tensor<2x3xi32>, %s16: tensor<2xf16>, %zp32: tensor<2xi32>,
                             %xb: tensor<2x5xui16>, %sb: tensor<2x3xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf16>, tensor<2x5xf32>) {
  %0 = tfm.dequantize_linear %x, %s : (tensor<2x3xi8>, tensor<f32>) -> tensor<2x3xf32>
  %1 = tfm.dequantize_linear %x, %s zero_point %zp : (tensor<2x3xi8>, tensor<f32>, tensor<i8>) -> tensor<2x3xf32>
  %2 = tfm.dequantize_linear %x32, %s16 zero_point %zp32 {axis = 0 : si64} : (tensor<2x3xi32>, tensor<2xf16>, tensor<2xi32>) -> tensor<2x3xf16>
  %3 = tfm.dequantize_linear %xb, %sb {axis = -1 : si64, block_size = 2 : si64} : (tensor<2x5xui16>, tensor<2x3xf32>) -> tensor<2x5xf32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf16>, tensor<2x5xf32>
}

// -----

// CHECK-LABEL: func.func @dynamic_quantize_linear
// CHECK: %{{.*}}, %{{.*}}, %{{.*}} = tfm.dynamic_quantize_linear %arg0 : (tensor<?x4xf32, #tfm.dims<["seq"]>>) -> (tensor<?x4xui8, #tfm.dims<["seq"]>>, tensor<f32>, tensor<ui8>)
func.func @dynamic_quantize_linear(%x: tensor<?x4xf32, #tfm.dims<["seq"]>>)
    -> (tensor<?x4xui8, #tfm.dims<["seq"]>>, tensor<f32>, tensor<ui8>) {
  %0:3 = tfm.dynamic_quantize_linear %x : (tensor<?x4xf32, #tfm.dims<["seq"]>>) -> (tensor<?x4xui8, #tfm.dims<["seq"]>>, tensor<f32>, tensor<ui8>)
  return %0#0, %0#1, %0#2 : tensor<?x4xui8, #tfm.dims<["seq"]>>, tensor<f32>, tensor<ui8>
}
