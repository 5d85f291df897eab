// RUN: tfmc-opt %s --tfm-approximate-math --split-input-file | FileCheck %s

// erf, exp and tanh become inline arithmetic (no libm calls that would keep
// the loops around them scalar); other math ops stay.
// CHECK-LABEL: func.func @approximated
// CHECK-NOT: math.erf
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK: math.fma
// CHECK: math.sqrt
func.func @approximated(%x: f32) -> (f32, f32, f32, f32) {
  %a = math.erf %x : f32
  %b = math.exp %x : f32
  %c = math.tanh %x : f32
  %d = math.sqrt %x : f32
  return %a, %b, %c, %d : f32, f32, f32, f32
}

// -----

// f64 keeps libm's precision.
// CHECK-LABEL: func.func @double
// CHECK: math.erf
// CHECK: math.exp
func.func @double(%x: f64) -> (f64, f64) {
  %a = math.erf %x : f64
  %b = math.exp %x : f64
  return %a, %b : f64, f64
}
