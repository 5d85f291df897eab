// RUN: tfmc-opt %s --tfm-to-linalg --split-input-file | FileCheck %s

// Per tensor: the scale and zero point are read at (); x / scale rounds half
// to even, adds the (unsigned) zero point and saturates to [0, 255].
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ONE:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @quantize_per_tensor
// CHECK: %[[DIM:.*]] = tensor.dim %arg0
// CHECK: %[[INIT:.*]] = tensor.empty(%[[DIM]]) : tensor<?x4xi8>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ONE]], #[[ONE]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%arg0, %arg1, %arg2 : tensor<?x4xf32>, tensor<f32>, tensor<i8>) outs(%[[INIT]] : tensor<?x4xi8>)
// CHECK: arith.divf
// CHECK: math.roundeven
// CHECK: arith.uitofp %{{.*}} : i8 to f64
// CHECK: arith.maxnumf %{{.*}}, %{{.*}} : f64
// CHECK: arith.constant 2.550000e+02 : f64
// CHECK: arith.minnumf
// CHECK: arith.fptoui %{{.*}} : f64 to i8
func.func @quantize_per_tensor(%x: tensor<?x4xf32, #tfm.dims<["n"]>>, %s: tensor<f32>, %z: tensor<ui8>) -> tensor<?x4xui8, #tfm.dims<["n"]>> {
  %y = tfm.quantize_linear %x, %s zero_point %z : (tensor<?x4xf32, #tfm.dims<["n"]>>, tensor<f32>, tensor<ui8>) -> tensor<?x4xui8, #tfm.dims<["n"]>>
  return %y : tensor<?x4xui8, #tfm.dims<["n"]>>
}

// -----

// Without a zero point the result is ui8; a [1] scale is per tensor too.
// CHECK-DAG: #[[FIRST:.*]] = affine_map<(d0, d1, d2) -> (0)>
// CHECK-LABEL: func.func @quantize_default_type
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[FIRST]], #{{.*}}], {{.*}} ins(%arg0, %arg1 : tensor<2x3x4xf32>, tensor<1xf32>) outs(%{{.*}} : tensor<2x3x4xi8>)
// CHECK-NOT: arith.addf
// CHECK: arith.fptoui
func.func @quantize_default_type(%x: tensor<2x3x4xf32>, %s: tensor<1xf32>) -> tensor<2x3x4xui8> {
  %y = tfm.quantize_linear %x, %s : (tensor<2x3x4xf32>, tensor<1xf32>) -> tensor<2x3x4xui8>
  return %y : tensor<2x3x4xui8>
}

// -----

// Per block of 4 along axis 1: scale[i, j floordiv 4]; signed i16 saturates
// to [-32768, 32767].
// CHECK-DAG: #[[BLOCK:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 4)>
// CHECK-LABEL: func.func @quantize_per_block
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[BLOCK]], #[[BLOCK]], #{{.*}}], {{.*}} ins(%arg0, %arg1, %arg2 : tensor<4x8xf32>, tensor<4x2xf32>, tensor<4x2xi16>)
// CHECK: arith.sitofp %{{.*}} : i16 to f64
// CHECK: arith.constant -3.276800e+04 : f64
// CHECK: arith.constant 3.276700e+04 : f64
// CHECK: arith.fptosi %{{.*}} : f64 to i16
func.func @quantize_per_block(%x: tensor<4x8xf32>, %s: tensor<4x2xf32>, %z: tensor<4x2xi16>) -> tensor<4x8xi16> {
  %y = tfm.quantize_linear %x, %s zero_point %z {axis = 1 : si64, block_size = 4 : si64} : (tensor<4x8xf32>, tensor<4x2xf32>, tensor<4x2xi16>) -> tensor<4x8xi16>
  return %y : tensor<4x8xi16>
}

// -----

// Per axis 0: (x - zero point) * scale in f32, then back to the scale's f16.
// CHECK-DAG: #[[AXIS:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @dequantize_per_axis
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[AXIS]], #[[AXIS]], #{{.*}}], {{.*}} ins(%arg0, %arg1, %arg2 : tensor<3x4xi8>, tensor<3xf16>, tensor<3xi8>) outs(%{{.*}} : tensor<3x4xf16>)
// CHECK: %[[X:.*]] = arith.uitofp %{{.*}} : i8 to f32
// CHECK: %[[Z:.*]] = arith.uitofp %{{.*}} : i8 to f32
// CHECK: %[[D:.*]] = arith.subf %[[X]], %[[Z]] : f32
// CHECK: %[[S:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: %[[Y:.*]] = arith.mulf %[[D]], %[[S]] : f32
// CHECK: arith.truncf %[[Y]] : f32 to f16
func.func @dequantize_per_axis(%x: tensor<3x4xui8>, %s: tensor<3xf16>, %z: tensor<3xui8>) -> tensor<3x4xf16> {
  %y = tfm.dequantize_linear %x, %s zero_point %z {axis = 0 : si64} : (tensor<3x4xui8>, tensor<3xf16>, tensor<3xui8>) -> tensor<3x4xf16>
  return %y : tensor<3x4xf16>
}

// -----

// Signed int32 input without a zero point.
// CHECK-LABEL: func.func @dequantize_i32
// CHECK: arith.sitofp %{{.*}} : i32 to f32
// CHECK-NOT: arith.subf
// CHECK: arith.mulf
func.func @dequantize_i32(%x: tensor<5xi32>, %s: tensor<f32>) -> tensor<5xf32> {
  %y = tfm.dequantize_linear %x, %s : (tensor<5xi32>, tensor<f32>) -> tensor<5xf32>
  return %y : tensor<5xf32>
}

// -----

// Min and max from 0 in one reduction over every dim; scale and zero point
// are scalars, and x is quantized with them.
// CHECK-DAG: #[[ALL:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @dynamic_quantize
// CHECK: %[[RANGE:.*]]:2 = linalg.generic {indexing_maps = [#{{.*}}, #[[ALL]], #[[ALL]]], iterator_types = ["reduction", "reduction"]} ins(%arg0 : tensor<?x5xf32>) outs(%{{.*}}, %{{.*}} : tensor<f32>, tensor<f32>)
// CHECK: arith.minimumf
// CHECK: arith.maximumf
// CHECK: %[[MIN:.*]] = tensor.extract %[[RANGE]]#0[] : tensor<f32>
// CHECK: %[[MAX:.*]] = tensor.extract %[[RANGE]]#1[] : tensor<f32>
// CHECK: %[[RANGE_F:.*]] = arith.subf %[[MAX]], %[[MIN]] : f32
// CHECK: %[[SCALE:.*]] = arith.divf %[[RANGE_F]], %{{.*}} : f32
// CHECK: math.roundeven
// CHECK: %[[ZP:.*]] = arith.fptoui %{{.*}} : f32 to i8
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<?x5xf32>) outs(%{{.*}} : tensor<?x5xi8>)
// CHECK: arith.divf %{{.*}}, %[[SCALE]] : f32
// CHECK: arith.uitofp %[[ZP]] : i8 to f64
// CHECK: %[[S:.*]] = tensor.from_elements %[[SCALE]] : tensor<f32>
// CHECK: %[[Z:.*]] = tensor.from_elements %[[ZP]] : tensor<i8>
// CHECK: return %[[Y]], %[[S]], %[[Z]]
func.func @dynamic_quantize(%x: tensor<?x5xf32, #tfm.dims<["n"]>>) -> (tensor<?x5xui8, #tfm.dims<["n"]>>, tensor<f32>, tensor<ui8>) {
  %y, %s, %z = tfm.dynamic_quantize_linear %x : (tensor<?x5xf32, #tfm.dims<["n"]>>) -> (tensor<?x5xui8, #tfm.dims<["n"]>>, tensor<f32>, tensor<ui8>)
  return %y, %s, %z : tensor<?x5xui8, #tfm.dims<["n"]>>, tensor<f32>, tensor<ui8>
}
