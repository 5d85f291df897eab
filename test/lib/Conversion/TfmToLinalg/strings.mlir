// RUN: tfmc-opt %s --tfm-to-linalg --split-input-file --verify-diagnostics | FileCheck %s

// A string element is the address of its text (`index`); Cast to string
// formats through the runtime, which keeps the text in the instance.
// CHECK: func.func private @tfmrt_format_f32(f32) -> !llvm.ptr attributes {tfmrt.takes_instance}
// CHECK-LABEL: func.func @float_to_string
// CHECK-SAME: (%{{.*}}: tensor<3xf32>) -> tensor<3xindex>
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: index):
// CHECK: %[[TEXT:.*]] = func.call @tfmrt_format_f32(%[[X]]) : (f32) -> !llvm.ptr
// CHECK: %[[ADDRESS:.*]] = llvm.ptrtoint %[[TEXT]] : !llvm.ptr to i64
// CHECK: %[[ELEMENT:.*]] = arith.index_cast %[[ADDRESS]] : i64 to index
// CHECK: linalg.yield %[[ELEMENT]] : index
func.func @float_to_string(%x: tensor<3xf32>) -> tensor<3x!tfm.string> {
  %0 = tfm.cast %x {to = !tfm.string} : (tensor<3xf32>) -> tensor<3x!tfm.string>
  return %0 : tensor<3x!tfm.string>
}

// -----

// f16 formats as f32; unsigned integers and bools as unsigned decimals.
// CHECK-LABEL: func.func @others_to_string
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: func.call @tfmrt_format_f32
// CHECK: arith.extui %{{.*}} : i8 to i64
// CHECK: func.call @tfmrt_format_u64
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: func.call @tfmrt_format_i64
// CHECK: func.call @tfmrt_format_f64
func.func @others_to_string(%a: tensor<2xf16>, %b: tensor<2xui8>, %c: tensor<2xi32>,
                            %d: tensor<2xf64>)
    -> (tensor<2x!tfm.string>, tensor<2x!tfm.string>, tensor<2x!tfm.string>,
        tensor<2x!tfm.string>) {
  %0 = tfm.cast %a {to = !tfm.string} : (tensor<2xf16>) -> tensor<2x!tfm.string>
  %1 = tfm.cast %b {to = !tfm.string} : (tensor<2xui8>) -> tensor<2x!tfm.string>
  %2 = tfm.cast %c {to = !tfm.string} : (tensor<2xi32>) -> tensor<2x!tfm.string>
  %3 = tfm.cast %d {to = !tfm.string} : (tensor<2xf64>) -> tensor<2x!tfm.string>
  return %0, %1, %2, %3 : tensor<2x!tfm.string>, tensor<2x!tfm.string>,
                          tensor<2x!tfm.string>, tensor<2x!tfm.string>
}

// -----

// Parsing needs no instance: floats read as f64, integers as i64.
// CHECK-DAG: func.func private @tfmrt_parse_f64(!llvm.ptr) -> f64{{$}}
// CHECK-DAG: func.func private @tfmrt_parse_i64(!llvm.ptr) -> i64{{$}}
// CHECK-LABEL: func.func @string_to_numbers
// CHECK: ^bb0(%[[S:.*]]: index, %{{.*}}: f32):
// CHECK: %[[A:.*]] = arith.index_cast %[[S]] : index to i64
// CHECK: %[[P:.*]] = llvm.inttoptr %[[A]] : i64 to !llvm.ptr
// CHECK: %[[F:.*]] = func.call @tfmrt_parse_f64(%[[P]]) : (!llvm.ptr) -> f64
// CHECK: arith.truncf %[[F]] : f64 to f32
// CHECK: func.call @tfmrt_parse_i64
// CHECK: arith.trunci %{{.*}} : i64 to i16
func.func @string_to_numbers(%s: tensor<4x!tfm.string>) -> (tensor<4xf32>, tensor<4xi16>) {
  %0 = tfm.cast %s {to = f32} : (tensor<4x!tfm.string>) -> tensor<4xf32>
  %1 = tfm.cast %s {to = i16} : (tensor<4x!tfm.string>) -> tensor<4xi16>
  return %0, %1 : tensor<4xf32>, tensor<4xi16>
}

// -----

// Equal compares text, not addresses; moving strings needs no runtime.
// CHECK-LABEL: func.func @equal_and_move
// CHECK: %[[R:.*]] = func.call @tfmrt_strings_equal(%{{.*}}, %{{.*}}) : (!llvm.ptr, !llvm.ptr) -> i32
// CHECK: arith.trunci %[[R]] : i32 to i1
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3xindex>)
func.func @equal_and_move(%a: tensor<2x3x!tfm.string>, %b: tensor<3x!tfm.string>)
    -> (tensor<2x3xi1>, tensor<3x2x!tfm.string>) {
  %0 = tfm.equal %a, %b : (tensor<2x3x!tfm.string>, tensor<3x!tfm.string>) -> tensor<2x3xi1>
  %1 = tfm.transpose %a {perm = array<i64: 1, 0>} : (tensor<2x3x!tfm.string>) -> tensor<3x2x!tfm.string>
  return %0, %1 : tensor<2x3xi1>, tensor<3x2x!tfm.string>
}

// -----

// Ordering strings has no lowering: an error, not pointer comparisons.
func.func @less_strings(%a: tensor<2x!tfm.string>, %b: tensor<2x!tfm.string>) -> tensor<2xi1> {
  // expected-error @below {{'tfm.less' cannot take string elements}}
  %0 = tfm.less %a, %b : (tensor<2x!tfm.string>, tensor<2x!tfm.string>) -> tensor<2xi1>
  return %0 : tensor<2xi1>
}
