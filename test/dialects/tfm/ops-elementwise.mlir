// RUN: tfmc-opt %s --split-input-file | tfmc-opt --split-input-file | FileCheck %s
// RUN: tfmc-opt %s --split-input-file --mlir-print-op-generic | tfmc-opt --split-input-file | FileCheck %s

// Round trip of the elementwise ops (TfmElementwiseOps.td): unary, clip,
// cast, softmax, dropout, broadcasting binary, compare, variadic and where.

// CHECK-LABEL: func.func @sqrt
// CHECK: %{{.*}} = tfm.sqrt %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @sqrt(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tfm.sqrt %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reciprocal
// CHECK: %{{.*}} = tfm.reciprocal %arg0 : (tensor<4xf16>) -> tensor<4xf16>
func.func @reciprocal(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = tfm.reciprocal %x : (tensor<4xf16>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// CHECK-LABEL: func.func @exp
// CHECK: %{{.*}} = tfm.exp %arg0 : (tensor<?x128xf32, #tfm.dims<["batch"]>>) -> tensor<?x128xf32, #tfm.dims<["batch"]>>
func.func @exp(%x: tensor<?x128xf32, #tfm.dims<["batch"]>>) -> tensor<?x128xf32, #tfm.dims<["batch"]>> {
  %0 = tfm.exp %x : (tensor<?x128xf32, #tfm.dims<["batch"]>>) -> tensor<?x128xf32, #tfm.dims<["batch"]>>
  return %0 : tensor<?x128xf32, #tfm.dims<["batch"]>>
}

// -----

// CHECK-LABEL: func.func @log
// CHECK: %{{.*}} = tfm.log %arg0 : (tensor<2x3xf64>) -> tensor<2x3xf64>
func.func @log(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %0 = tfm.log %x : (tensor<2x3xf64>) -> tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}

// -----

// CHECK-LABEL: func.func @erf
// CHECK: %{{.*}} = tfm.erf %arg0 : (tensor<2x3xbf16>) -> tensor<2x3xbf16>
func.func @erf(%x: tensor<2x3xbf16>) -> tensor<2x3xbf16> {
  %0 = tfm.erf %x : (tensor<2x3xbf16>) -> tensor<2x3xbf16>
  return %0 : tensor<2x3xbf16>
}

// -----

// CHECK-LABEL: func.func @tanh
// CHECK: %{{.*}} = tfm.tanh %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @tanh(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tfm.tanh %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @sigmoid
// CHECK: %{{.*}} = tfm.sigmoid %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @sigmoid(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tfm.sigmoid %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @relu
// CHECK: %{{.*}} = tfm.relu %arg0 : (tensor<2x3xi32>) -> tensor<2x3xi32>
func.func @relu(%x: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %0 = tfm.relu %x : (tensor<2x3xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// CHECK-LABEL: func.func @hard_swish
// CHECK: %{{.*}} = tfm.hard_swish %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @hard_swish(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tfm.hard_swish %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @softplus
// CHECK: %{{.*}} = tfm.softplus %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @softplus(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tfm.softplus %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @sin
// CHECK: %{{.*}} = tfm.sin %arg0 : (tensor<8xf32>) -> tensor<8xf32>
func.func @sin(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = tfm.sin %x : (tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @cos
// CHECK: %{{.*}} = tfm.cos %arg0 : (tensor<8xf32>) -> tensor<8xf32>
func.func @cos(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = tfm.cos %x : (tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @neg
// CHECK: %{{.*}} = tfm.neg %arg0 : (tensor<2x3xi64>) -> tensor<2x3xi64>
func.func @neg(%x: tensor<2x3xi64>) -> tensor<2x3xi64> {
  %0 = tfm.neg %x : (tensor<2x3xi64>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// CHECK-LABEL: func.func @abs
// CHECK: %{{.*}} = tfm.abs %arg0 : (tensor<2x3xui8>) -> tensor<2x3xui8>
func.func @abs(%x: tensor<2x3xui8>) -> tensor<2x3xui8> {
  %0 = tfm.abs %x : (tensor<2x3xui8>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

// CHECK-LABEL: func.func @sign
// CHECK: %{{.*}} = tfm.sign %arg0 : (tensor<2x3xi8>) -> tensor<2x3xi8>
func.func @sign(%x: tensor<2x3xi8>) -> tensor<2x3xi8> {
  %0 = tfm.sign %x : (tensor<2x3xi8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// CHECK-LABEL: func.func @floor
// CHECK: %{{.*}} = tfm.floor %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @floor(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tfm.floor %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @ceil
// CHECK: %{{.*}} = tfm.ceil %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @ceil(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tfm.ceil %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @round
// CHECK: %{{.*}} = tfm.round %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @round(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tfm.round %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @not
// CHECK: %{{.*}} = tfm.not %arg0 : (tensor<2x3xi1>) -> tensor<2x3xi1>
func.func @not(%x: tensor<2x3xi1>) -> tensor<2x3xi1> {
  %0 = tfm.not %x : (tensor<2x3xi1>) -> tensor<2x3xi1>
  return %0 : tensor<2x3xi1>
}

// -----

// CHECK-LABEL: func.func @identity
// CHECK: %{{.*}} = tfm.identity %arg0 : (tensor<3x!tfm.string>) -> tensor<3x!tfm.string>
func.func @identity(%x: tensor<3x!tfm.string>) -> tensor<3x!tfm.string> {
  %0 = tfm.identity %x : (tensor<3x!tfm.string>) -> tensor<3x!tfm.string>
  return %0 : tensor<3x!tfm.string>
}

// -----

// Default-valued attributes are elided; others are printed.
// CHECK-LABEL: func.func @leaky_relu
// CHECK: tfm.leaky_relu %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: tfm.leaky_relu %arg0 {alpha = 2.000000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @leaky_relu(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = tfm.leaky_relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = tfm.leaky_relu %x {alpha = 0.2 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @hard_sigmoid
// CHECK: tfm.hard_sigmoid %arg0 {alpha = 1.250000e-01 : f32, beta = 2.500000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @hard_sigmoid(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tfm.hard_sigmoid %x {alpha = 0.125 : f32, beta = 0.25 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Clip's min and max are both optional.
// CHECK-LABEL: func.func @clip
// CHECK: tfm.clip %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: tfm.clip %arg0 min %arg1 : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK: tfm.clip %arg0 max %arg2 : (tensor<2x3xf32>, tensor<1xf32>) -> tensor<2x3xf32>
// CHECK: tfm.clip %arg0 min %arg1 max %arg2 : (tensor<2x3xf32>, tensor<f32>, tensor<1xf32>) -> tensor<2x3xf32>
func.func @clip(%x: tensor<2x3xf32>, %lo: tensor<f32>, %hi: tensor<1xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = tfm.clip %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = tfm.clip %x min %lo : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %2 = tfm.clip %x max %hi : (tensor<2x3xf32>, tensor<1xf32>) -> tensor<2x3xf32>
  %3 = tfm.clip %x min %lo max %hi : (tensor<2x3xf32>, tensor<f32>, tensor<1xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @clip_int
// CHECK: tfm.clip %arg0 min %arg1 max %arg1 : (tensor<4xi64>, tensor<i64>, tensor<i64>) -> tensor<4xi64>
func.func @clip_int(%x: tensor<4xi64>, %b: tensor<i64>) -> tensor<4xi64> {
  %0 = tfm.clip %x min %b max %b : (tensor<4xi64>, tensor<i64>, tensor<i64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// CHECK-LABEL: func.func @cast
// CHECK: tfm.cast %arg0 {to = f16} : (tensor<2x3xf32>) -> tensor<2x3xf16>
// CHECK: tfm.cast %arg0 {saturate = false, to = i64} : (tensor<2x3xf32>) -> tensor<2x3xi64>
// CHECK: tfm.cast %arg1 {to = !tfm.string} : (tensor<?xi1, #tfm.dims<["n"]>>) -> tensor<?x!tfm.string, #tfm.dims<["n"]>>
func.func @cast(%x: tensor<2x3xf32>, %b: tensor<?xi1, #tfm.dims<["n"]>>)
    -> (tensor<2x3xf16>, tensor<2x3xi64>, tensor<?x!tfm.string, #tfm.dims<["n"]>>) {
  %0 = tfm.cast %x {to = f16} : (tensor<2x3xf32>) -> tensor<2x3xf16>
  %1 = tfm.cast %x {to = i64, saturate = false} : (tensor<2x3xf32>) -> tensor<2x3xi64>
  %2 = tfm.cast %b {to = !tfm.string} : (tensor<?xi1, #tfm.dims<["n"]>>) -> tensor<?x!tfm.string, #tfm.dims<["n"]>>
  return %0, %1, %2 : tensor<2x3xf16>, tensor<2x3xi64>, tensor<?x!tfm.string, #tfm.dims<["n"]>>
}

// -----

// CHECK-LABEL: func.func @softmax
// CHECK: tfm.softmax %arg0 : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK: tfm.softmax %arg0 {axis = 1 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK: tfm.softmax %arg0 {axis = -3 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
func.func @softmax(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %0 = tfm.softmax %x : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %1 = tfm.softmax %x {axis = 1 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %2 = tfm.softmax %x {axis = -3 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0, %1, %2 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @log_softmax
// CHECK: tfm.log_softmax %arg0 {axis = 0 : si64} : (tensor<?x16xf16, #tfm.dims<["seq"]>>) -> tensor<?x16xf16, #tfm.dims<["seq"]>>
func.func @log_softmax(%x: tensor<?x16xf16, #tfm.dims<["seq"]>>) -> tensor<?x16xf16, #tfm.dims<["seq"]>> {
  %0 = tfm.log_softmax %x {axis = 0 : si64} : (tensor<?x16xf16, #tfm.dims<["seq"]>>) -> tensor<?x16xf16, #tfm.dims<["seq"]>>
  return %0 : tensor<?x16xf16, #tfm.dims<["seq"]>>
}

// -----

// Dropout: ratio, training_mode and the mask result are optional.
// CHECK-LABEL: func.func @dropout
// CHECK: tfm.dropout %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: tfm.dropout %arg0 ratio %arg1 : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK: %{{.*}}, %{{.*}} = tfm.dropout %arg0 ratio %arg1 training %arg2 {seed = 42 : si64} : (tensor<2x3xf32>, tensor<f32>, tensor<i1>) -> (tensor<2x3xf32>, tensor<2x3xi1>)
// CHECK: %{{.*}}, %{{.*}} = tfm.dropout %arg0 training %arg2 : (tensor<2x3xf32>, tensor<i1>) -> (tensor<2x3xf32>, tensor<2x3xi1>)
func.func @dropout(%x: tensor<2x3xf32>, %r: tensor<f32>, %t: tensor<i1>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xi1>, tensor<2x3xi1>) {
  %0 = tfm.dropout %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = tfm.dropout %x ratio %r : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %2:2 = tfm.dropout %x ratio %r training %t {seed = 42 : si64} : (tensor<2x3xf32>, tensor<f32>, tensor<i1>) -> (tensor<2x3xf32>, tensor<2x3xi1>)
  %3:2 = tfm.dropout %x training %t : (tensor<2x3xf32>, tensor<i1>) -> (tensor<2x3xf32>, tensor<2x3xi1>)
  return %0, %1, %2#1, %3#1 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xi1>, tensor<2x3xi1>
}

// -----

// CHECK-LABEL: func.func @dropout_symbolic_mask
// CHECK: tfm.dropout %arg0 : (tensor<?x?xf32, #tfm.dims<["batch", "seq"]>>) -> (tensor<?x?xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x?xi1, #tfm.dims<["batch", "seq"]>>)
func.func @dropout_symbolic_mask(%x: tensor<?x?xf32, #tfm.dims<["batch", "seq"]>>)
    -> tensor<?x?xi1, #tfm.dims<["batch", "seq"]>> {
  %0:2 = tfm.dropout %x : (tensor<?x?xf32, #tfm.dims<["batch", "seq"]>>) -> (tensor<?x?xf32, #tfm.dims<["batch", "seq"]>>, tensor<?x?xi1, #tfm.dims<["batch", "seq"]>>)
  return %0#1 : tensor<?x?xi1, #tfm.dims<["batch", "seq"]>>
}

// -----

// CHECK-LABEL: func.func @add
// CHECK: tfm.add %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
func.func @add(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = tfm.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @sub
// CHECK: tfm.sub %arg0, %arg1 : (tensor<4x1xi32>, tensor<1x5xi32>) -> tensor<4x5xi32>
func.func @sub(%a: tensor<4x1xi32>, %b: tensor<1x5xi32>) -> tensor<4x5xi32> {
  %0 = tfm.sub %a, %b : (tensor<4x1xi32>, tensor<1x5xi32>) -> tensor<4x5xi32>
  return %0 : tensor<4x5xi32>
}

// -----

// A symbolic dim broadcast against 1 keeps its name.
// CHECK-LABEL: func.func @mul_symbolic
// CHECK: tfm.mul %arg0, %arg1 : (tensor<?x1xf32, #tfm.dims<["batch"]>>, tensor<1x8xf32>) -> tensor<?x8xf32, #tfm.dims<["batch"]>>
func.func @mul_symbolic(%a: tensor<?x1xf32, #tfm.dims<["batch"]>>, %b: tensor<1x8xf32>)
    -> tensor<?x8xf32, #tfm.dims<["batch"]>> {
  %0 = tfm.mul %a, %b : (tensor<?x1xf32, #tfm.dims<["batch"]>>, tensor<1x8xf32>) -> tensor<?x8xf32, #tfm.dims<["batch"]>>
  return %0 : tensor<?x8xf32, #tfm.dims<["batch"]>>
}

// -----

// CHECK-LABEL: func.func @div
// CHECK: tfm.div %arg0, %arg1 : (tensor<2x3xi64>, tensor<i64>) -> tensor<2x3xi64>
func.func @div(%a: tensor<2x3xi64>, %b: tensor<i64>) -> tensor<2x3xi64> {
  %0 = tfm.div %a, %b : (tensor<2x3xi64>, tensor<i64>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// Pow is the one broadcasting op whose operands may differ in element type.
// CHECK-LABEL: func.func @pow
// CHECK: tfm.pow %arg0, %arg1 : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
func.func @pow(%a: tensor<2x3xf32>, %b: tensor<i64>) -> tensor<2x3xf32> {
  %0 = tfm.pow %a, %b : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @and_or
// CHECK: tfm.and %arg0, %arg1 : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
// CHECK: tfm.or %arg0, %arg1 : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
func.func @and_or(%a: tensor<2x3xi1>, %b: tensor<3xi1>) -> (tensor<2x3xi1>, tensor<2x3xi1>) {
  %0 = tfm.and %a, %b : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  %1 = tfm.or %a, %b : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  return %0, %1 : tensor<2x3xi1>, tensor<2x3xi1>
}

// -----

// CHECK-LABEL: func.func @mod
// CHECK: tfm.mod %arg0, %arg1 : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
// CHECK: tfm.mod %arg2, %arg3 {fmod = 1 : si64} : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
func.func @mod(%a: tensor<4xi32>, %b: tensor<4xi32>, %c: tensor<4xf32>, %d: tensor<f32>)
    -> (tensor<4xi32>, tensor<4xf32>) {
  %0 = tfm.mod %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = tfm.mod %c, %d {fmod = 1 : si64} : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xi32>, tensor<4xf32>
}

// -----

// Comparisons return i1 of the broadcast shape.
// CHECK-LABEL: func.func @compare
// CHECK: tfm.equal %arg0, %arg1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi1>
// CHECK: tfm.less %arg0, %arg1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi1>
// CHECK: tfm.greater %arg0, %arg1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi1>
// CHECK: tfm.less_or_equal %arg2, %arg2 : (tensor<?xf32, #tfm.dims<["n"]>>, tensor<?xf32, #tfm.dims<["n"]>>) -> tensor<?xi1, #tfm.dims<["n"]>>
// CHECK: tfm.greater_or_equal %arg2, %arg2 : (tensor<?xf32, #tfm.dims<["n"]>>, tensor<?xf32, #tfm.dims<["n"]>>) -> tensor<?xi1, #tfm.dims<["n"]>>
func.func @compare(%a: tensor<2x3xi64>, %b: tensor<3xi64>, %c: tensor<?xf32, #tfm.dims<["n"]>>)
    -> (tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<?xi1, #tfm.dims<["n"]>>, tensor<?xi1, #tfm.dims<["n"]>>) {
  %0 = tfm.equal %a, %b : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi1>
  %1 = tfm.less %a, %b : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi1>
  %2 = tfm.greater %a, %b : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi1>
  %3 = tfm.less_or_equal %c, %c : (tensor<?xf32, #tfm.dims<["n"]>>, tensor<?xf32, #tfm.dims<["n"]>>) -> tensor<?xi1, #tfm.dims<["n"]>>
  %4 = tfm.greater_or_equal %c, %c : (tensor<?xf32, #tfm.dims<["n"]>>, tensor<?xf32, #tfm.dims<["n"]>>) -> tensor<?xi1, #tfm.dims<["n"]>>
  return %0, %1, %2, %3, %4 : tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<?xi1, #tfm.dims<["n"]>>, tensor<?xi1, #tfm.dims<["n"]>>
}

// -----

// CHECK-LABEL: func.func @equal_string
// CHECK: tfm.equal %arg0, %arg1 : (tensor<3x!tfm.string>, tensor<!tfm.string>) -> tensor<3xi1>
func.func @equal_string(%a: tensor<3x!tfm.string>, %b: tensor<!tfm.string>) -> tensor<3xi1> {
  %0 = tfm.equal %a, %b : (tensor<3x!tfm.string>, tensor<!tfm.string>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

// Max and Min take one or more inputs.
// CHECK-LABEL: func.func @max_min
// CHECK: tfm.max %arg0, %arg1, %arg2 : (tensor<2x3xf32>, tensor<3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
// CHECK: tfm.min %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @max_min(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<2x1xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = tfm.max %a, %b, %c : (tensor<2x3xf32>, tensor<3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %1 = tfm.min %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @where
// CHECK: tfm.where %arg0, %arg1, %arg2 : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
func.func @where(%c: tensor<2x1xi1>, %x: tensor<3xf32>, %y: tensor<f32>) -> tensor<2x3xf32> {
  %0 = tfm.where %c, %x, %y : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @where_symbolic
// CHECK: tfm.where %arg0, %arg1, %arg2 : (tensor<?x1xi1, #tfm.dims<["batch"]>>, tensor<1x?x!tfm.string, #tfm.dims<["seq"]>>, tensor<!tfm.string>) -> tensor<?x?x!tfm.string, #tfm.dims<["batch", "seq"]>>
func.func @where_symbolic(%c: tensor<?x1xi1, #tfm.dims<["batch"]>>, %x: tensor<1x?x!tfm.string, #tfm.dims<["seq"]>>, %y: tensor<!tfm.string>)
    -> tensor<?x?x!tfm.string, #tfm.dims<["batch", "seq"]>> {
  %0 = tfm.where %c, %x, %y : (tensor<?x1xi1, #tfm.dims<["batch"]>>, tensor<1x?x!tfm.string, #tfm.dims<["seq"]>>, tensor<!tfm.string>) -> tensor<?x?x!tfm.string, #tfm.dims<["batch", "seq"]>>
  return %0 : tensor<?x?x!tfm.string, #tfm.dims<["batch", "seq"]>>
}
