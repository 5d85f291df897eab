// RUN: tfmc-opt %s --split-input-file --verify-diagnostics

// One case per diagnostic of the tfm verifiers and shape rules, grouped as
// the sources are: the #tfm.dims encoding (TfmDialect.cpp), the generic rules
// and the stored-vs-inferred check (ShapeInference.cpp), ODS constraints, then
// ElementwiseOps, MathOps, ShapeOps, QuantOps and TransformerOps.

//===----------------------------------------------------------------------===//
// #tfm.dims encoding
//===----------------------------------------------------------------------===//

// expected-error @+1 {{#tfm.dims lists 1 expressions for 2 dynamic dimensions}}
func.func @dims_count(%x: tensor<?x?xf32, #tfm.dims<["batch"]>>) {
  return
}

// -----

// A static dim is not listed.
// expected-error @+1 {{#tfm.dims lists 2 expressions for 1 dynamic dimensions}}
func.func @dims_count_static(%x: tensor<?x4xf32, #tfm.dims<["batch", "4"]>>) {
  return
}

// -----

// expected-error @+1 {{#tfm.dims: cannot parse 'batch +'}}
func.func @dims_parse(%x: tensor<?xf32, #tfm.dims<["batch +"]>>) {
  return
}

// -----

// expected-error @+1 {{#tfm.dims: cannot parse 'seq / 2'}}
func.func @dims_parse_division(%x: tensor<?xf32, #tfm.dims<["seq / 2"]>>) {
  return
}

// -----

// expected-error @+1 {{#tfm.dims: '4' is static; write it in the shape}}
func.func @dims_static(%x: tensor<?xf32, #tfm.dims<["4"]>>) {
  return
}

// -----

// An expression that cancels out is static too.
// expected-error @+1 {{#tfm.dims: 'seq - seq + 2' is static; write it in the shape}}
func.func @dims_static_cancel(%x: tensor<?xf32, #tfm.dims<["seq - seq + 2"]>>) {
  return
}

//===----------------------------------------------------------------------===//
// Generic shape rules and the stored-vs-inferred type check
//===----------------------------------------------------------------------===//

// -----

func.func @variadic_no_operand() -> tensor<f32> {
  // expected-error @+1 {{'tfm.max' op needs at least one operand}}
  %0 = tfm.max : () -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @variadic_no_operand_min() -> tensor<f32> {
  // expected-error @+1 {{'tfm.min' op needs at least one operand}}
  %0 = tfm.min : () -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @broadcast_element_type(%a: tensor<2x3xf32>, %b: tensor<3xf16>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tfm.add' op operands must have the same element type, got 'tensor<2x3xf32>' and 'tensor<3xf16>'}}
  %0 = tfm.add %a, %b : (tensor<2x3xf32>, tensor<3xf16>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @compare_element_type(%a: tensor<3xi64>, %b: tensor<3xi32>) -> tensor<3xi1> {
  // expected-error @+1 {{'tfm.equal' op operands must have the same element type, got 'tensor<3xi64>' and 'tensor<3xi32>'}}
  %0 = tfm.equal %a, %b : (tensor<3xi64>, tensor<3xi32>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

func.func @broadcast_shapes(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tfm.mul' op operands are not broadcast-compatible: 'tensor<2x3xf32>' and 'tensor<4xf32>'}}
  %0 = tfm.mul %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// The third input of a variadic op is checked against the first two's shape.
func.func @broadcast_variadic(%a: tensor<2x1xf32>, %b: tensor<3xf32>, %c: tensor<4x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tfm.max' op operands are not broadcast-compatible: 'tensor<2x1xf32>' and 'tensor<4x3xf32>'}}
  %0 = tfm.max %a, %b, %c : (tensor<2x1xf32>, tensor<3xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @result_type_mismatch(%a: tensor<2x3xf32>) -> tensor<3x3xf32> {
  // expected-error @+1 {{'tfm.add' op result #0 has type 'tensor<3x3xf32>' but its operands give 'tensor<2x3xf32>'}}
  %0 = tfm.add %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// Element type and rank must match too, not only the static sizes.
func.func @result_element_mismatch(%a: tensor<2x3xf32>) -> tensor<2x3xf16> {
  // expected-error @+1 {{'tfm.exp' op result #0 has type 'tensor<2x3xf16>' but its operands give 'tensor<2x3xf32>'}}
  %0 = tfm.exp %a : (tensor<2x3xf32>) -> tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// -----

func.func @result_rank_mismatch(%a: tensor<2x3xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'tfm.transpose' op result #0 has type 'tensor<?xf32>' but its operands give 'tensor<3x2xf32>'}}
  %0 = tfm.transpose %a : (tensor<2x3xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// The check covers every result.
func.func @result1_mismatch(%x: tensor<2x3xf32>) -> tensor<3x2xi1> {
  // expected-error @+1 {{'tfm.dropout' op result #1 has type 'tensor<3x2xi1>' but its operands give 'tensor<2x3xi1>'}}
  %0:2 = tfm.dropout %x : (tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<3x2xi1>)
  return %0#1 : tensor<3x2xi1>
}

// -----

// Symbolic dims: inference gives batch x 8 and the stored type says 4 x 8.
func.func @result_symbolic_mismatch(%a: tensor<?x1xf32, #tfm.dims<["batch"]>>, %b: tensor<1x8xf32>) -> tensor<4x7xf32> {
  // expected-error @+1 {{'tfm.mul' op result #0 has type 'tensor<4x7xf32>' but its operands give 'tensor<?x8xf32, #tfm.dims<["batch"]>>'}}
  %0 = tfm.mul %a, %b : (tensor<?x1xf32, #tfm.dims<["batch"]>>, tensor<1x8xf32>) -> tensor<4x7xf32>
  return %0 : tensor<4x7xf32>
}

// -----

// running_mean without running_var: inference gives both.
func.func @result_count(%x: tensor<2x3x4xf32>, %p: tensor<3xf32>) {
  // expected-error @+1 {{'tfm.batch_norm' op running_mean and running_var go together}}
  %0:2 = tfm.batch_norm %x, %p, %p, %p, %p {resultSegmentSizes = array<i32: 1, 1, 0>, training_mode = 1 : si64} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>)
  return
}

//===----------------------------------------------------------------------===//
// ODS constraints
//===----------------------------------------------------------------------===//

// -----

func.func @ods_float_operand(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'tfm.sqrt' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = tfm.sqrt %x : (tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @ods_unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'tfm.relu' op operand #0 must be ranked tensor of}}
  %0 = tfm.relu %x : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @ods_bool_operand(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'tfm.not' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xi32>'}}
  %0 = tfm.not %x : (tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @ods_string_arith(%x: tensor<4x!tfm.string>) -> tensor<4x!tfm.string> {
  // expected-error @+1 {{'tfm.add' op operand #0 must be ranked tensor of}}
  %0 = tfm.add %x, %x : (tensor<4x!tfm.string>, tensor<4x!tfm.string>) -> tensor<4x!tfm.string>
  return %0 : tensor<4x!tfm.string>
}

// -----

func.func @ods_matmul_integer(%a: tensor<2x4xf32>, %b: tensor<4x3xi8>) -> tensor<2x3xi32> {
  // expected-error @+1 {{'tfm.matmul_integer' op operand #0 must be ranked tensor of 8-bit signless integer or 8-bit unsigned integer values, but got 'tensor<2x4xf32>'}}
  %0 = tfm.matmul_integer %a, %b : (tensor<2x4xf32>, tensor<4x3xi8>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

func.func @ods_result(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.dynamic_quantize_linear' op result #0 must be ranked tensor of 8-bit unsigned integer values, but got 'tensor<2x3xi8>'}}
  %0:3 = tfm.dynamic_quantize_linear %x : (tensor<2x3xf32>) -> (tensor<2x3xi8>, tensor<f32>, tensor<ui8>)
  return
}

// -----

func.func @ods_dim_result(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'tfm.size' op result #0 must be ranked tensor of 64-bit signless integer values, but got 'tensor<i32>'}}
  %0 = tfm.size %x : (tensor<2x3xf32>) -> tensor<i32>
  return
}

// -----

func.func @ods_missing_attr(%x: tensor<2x5x64xf32>) -> tensor<2x5x64xf32> {
  // expected-error @+1 {{'tfm.attention' op requires attribute 'num_heads'}}
  %0 = tfm.attention %x, %x, %x {resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>) -> tensor<2x5x64xf32>
  return %0 : tensor<2x5x64xf32>
}

// -----

func.func @ods_attr_type(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{attribute 'axis' failed to satisfy constraint: 64-bit signed integer attribute}}
  %0 = tfm.softmax %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// ElementwiseOps.cpp
//===----------------------------------------------------------------------===//

// -----

func.func @clip_bound_elements(%x: tensor<4xf32>, %lo: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.clip' op min and max must hold one element, got 'tensor<2xf32>'}}
  %0 = tfm.clip %x min %lo : (tensor<4xf32>, tensor<2xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @clip_bound_dynamic(%x: tensor<4xf32>, %hi: tensor<?xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.clip' op min and max must hold one element, got 'tensor<?xf32>'}}
  %0 = tfm.clip %x max %hi : (tensor<4xf32>, tensor<?xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @clip_bound_type(%x: tensor<4xf32>, %hi: tensor<f16>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.clip' op min and max must have the input's element type}}
  %0 = tfm.clip %x max %hi : (tensor<4xf32>, tensor<f16>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tfm.softmax' op axis 2 is out of range for rank 2}}
  %0 = tfm.softmax %x {axis = 2 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @log_softmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tfm.log_softmax' op axis -3 is out of range for rank 2}}
  %0 = tfm.log_softmax %x {axis = -3 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @mod_float(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.mod' op fmod must be 1 for floating-point operands}}
  %0 = tfm.mod %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dropout_ratio(%x: tensor<4xf32>, %r: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.dropout' op ratio and training_mode must hold one element}}
  %0 = tfm.dropout %x ratio %r : (tensor<4xf32>, tensor<2xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dropout_training(%x: tensor<4xf32>, %t: tensor<?xi1>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.dropout' op ratio and training_mode must hold one element}}
  %0 = tfm.dropout %x training %t : (tensor<4xf32>, tensor<?xi1>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @where_element_type(%c: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<4xi32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.where' op x and y must have the same element type}}
  %0 = tfm.where %c, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<4xi32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @where_broadcast_condition(%c: tensor<3xi1>, %x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.where' op condition, x and y are not broadcast-compatible}}
  %0 = tfm.where %c, %x, %y : (tensor<3xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @where_broadcast_y(%c: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<2x3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'tfm.where' op condition, x and y are not broadcast-compatible}}
  %0 = tfm.where %c, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<2x3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

//===----------------------------------------------------------------------===//
// MathOps.cpp: contractions
//===----------------------------------------------------------------------===//

// -----

func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<4xf32>) -> tensor<f32> {
  // expected-error @+1 {{'tfm.matmul' op operands must have rank >= 1}}
  %0 = tfm.matmul %a, %b : (tensor<f32>, tensor<4xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @matmul_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'tfm.matmul' op contraction dimensions differ: 3 vs 4}}
  %0 = tfm.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x3x6xf32> {
  // expected-error @+1 {{'tfm.matmul' op batch dimensions are not broadcast-compatible}}
  %0 = tfm.matmul %a, %b : (tensor<2x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x3x6xf32>
  return %0 : tensor<2x3x6xf32>
}

// -----

func.func @matmul_element_type(%a: tensor<2x3xf32>, %b: tensor<3x5xf16>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'tfm.matmul' op operands must have the same element type}}
  %0 = tfm.matmul %a, %b : (tensor<2x3xf32>, tensor<3x5xf16>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_integer_a_zero_point(%a: tensor<2x4xui8>, %b: tensor<4x3xi8>, %az: tensor<i8>) -> tensor<2x3xi32> {
  // expected-error @+1 {{'tfm.matmul_integer' op a_zero_point must have a's element type}}
  %0 = tfm.matmul_integer %a, %b a_zero_point %az : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<i8>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

func.func @matmul_integer_b_zero_point(%a: tensor<2x4xui8>, %b: tensor<4x3xi8>, %bz: tensor<ui8>) -> tensor<2x3xi32> {
  // expected-error @+1 {{'tfm.matmul_integer' op b_zero_point must have b's element type}}
  %0 = tfm.matmul_integer %a, %b b_zero_point %bz : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<ui8>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// MatMulInteger shares MatMul's shape rule.
func.func @matmul_integer_contraction(%a: tensor<2x4xui8>, %b: tensor<5x3xi8>) -> tensor<2x3xi32> {
  // expected-error @+1 {{'tfm.matmul_integer' op contraction dimensions differ: 4 vs 5}}
  %0 = tfm.matmul_integer %a, %b : (tensor<2x4xui8>, tensor<5x3xi8>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  // expected-error @+1 {{'tfm.gemm' op A and B must be 2-D}}
  %0 = tfm.gemm %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

func.func @gemm_element_type(%a: tensor<3x4xf32>, %b: tensor<4x5xf64>) -> tensor<3x5xf32> {
  // expected-error @+1 {{'tfm.gemm' op operands must have the same element type}}
  %0 = tfm.gemm %a, %b : (tensor<3x4xf32>, tensor<4x5xf64>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// Without transB, B is [K, N] = [32, 64]: K = 64 vs 32.
func.func @gemm_contraction(%a: tensor<16x64xf32>, %b: tensor<32x64xf32>) -> tensor<16x64xf32> {
  // expected-error @+1 {{'tfm.gemm' op contraction dimensions differ: 64 vs 32}}
  %0 = tfm.gemm %a, %b : (tensor<16x64xf32>, tensor<32x64xf32>) -> tensor<16x64xf32>
  return %0 : tensor<16x64xf32>
}

// -----

func.func @gemm_bias_shape(%a: tensor<16x64xf32>, %b: tensor<64x32xf32>, %c: tensor<16xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'tfm.gemm' op C is not unidirectionally broadcastable to [M, N]}}
  %0 = tfm.gemm %a, %b bias %c : (tensor<16x64xf32>, tensor<64x32xf32>, tensor<16xf32>) -> tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

func.func @gemm_bias_rank(%a: tensor<16x64xf32>, %b: tensor<64x32xf32>, %c: tensor<1x16x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'tfm.gemm' op C is not unidirectionally broadcastable to [M, N]}}
  %0 = tfm.gemm %a, %b bias %c : (tensor<16x64xf32>, tensor<64x32xf32>, tensor<1x16x32xf32>) -> tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

//===----------------------------------------------------------------------===//
// MathOps.cpp: einsum
//===----------------------------------------------------------------------===//

// -----

func.func @einsum_inputs(%a: tensor<3x4xf32>) -> tensor<3x5xf32> {
  // expected-error @+1 {{'tfm.einsum' op equation has 2 inputs but the op has 1}}
  %0 = tfm.einsum %a {equation = "ij,jk->ik"} : (tensor<3x4xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

func.func @einsum_term_rank(%a: tensor<3x4xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'tfm.einsum' op term 'ijk' does not match rank 2}}
  %0 = tfm.einsum %a {equation = "ijk->i"} : (tensor<3x4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// With an ellipsis, the letters may not outnumber the dims.
func.func @einsum_term_rank_ellipsis(%a: tensor<3x4xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'tfm.einsum' op term '...ijk' does not match rank 2}}
  %0 = tfm.einsum %a {equation = "...ijk->i"} : (tensor<3x4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @einsum_ellipsis(%a: tensor<2x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x3x6xf32> {
  // expected-error @+1 {{'tfm.einsum' op ellipsis dimensions are not broadcast-compatible}}
  %0 = tfm.einsum %a, %b {equation = "...ij,...jk->...ik"} : (tensor<2x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x3x6xf32>
  return %0 : tensor<2x3x6xf32>
}

// -----

func.func @einsum_character(%a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'tfm.einsum' op invalid character in equation: '2'}}
  %0 = tfm.einsum %a {equation = "i2"} : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @einsum_label_sizes(%a: tensor<3x4xf32>) -> tensor<f32> {
  // expected-error @+1 {{'tfm.einsum' op label 'i' has sizes 3 and 4}}
  %0 = tfm.einsum %a {equation = "ii"} : (tensor<3x4xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @einsum_label_sizes_across(%a: tensor<3x4xf32>, %b: tensor<5x6xf32>) -> tensor<3x6xf32> {
  // expected-error @+1 {{'tfm.einsum' op label 'j' has sizes 4 and 5}}
  %0 = tfm.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<3x4xf32>, tensor<5x6xf32>) -> tensor<3x6xf32>
  return %0 : tensor<3x6xf32>
}

// -----

func.func @einsum_output_label(%a: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'tfm.einsum' op output label 'k' is not in any input}}
  %0 = tfm.einsum %a {equation = "ij->ik"} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// A second ellipsis would claim the dims the first one took.
func.func @einsum_two_ellipses(%a: tensor<2x3x4xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'tfm.einsum' op term '...i...' has a stray '.' or a second ellipsis}}
  %0 = tfm.einsum %a {equation = "...i...->i"} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @einsum_stray_dot(%a: tensor<3x4xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'tfm.einsum' op term 'i.j' has a stray '.' or a second ellipsis}}
  %0 = tfm.einsum %a {equation = "i.j->i"} : (tensor<3x4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @einsum_output_stray_dot(%a: tensor<3x4xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'tfm.einsum' op output 'i.' has a stray '.'}}
  %0 = tfm.einsum %a {equation = "ij->i."} : (tensor<3x4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

//===----------------------------------------------------------------------===//
// MathOps.cpp: convolution and pooling
//===----------------------------------------------------------------------===//

// -----

func.func @window_cover(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'tfm.conv' op kernel_shape, strides, dilations and pads must cover the 2 spatial dimensions}}
  %0 = tfm.conv %x, %w {strides = array<i64: 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @window_cover_pads(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  // expected-error @+1 {{'tfm.max_pool' op kernel_shape, strides, dilations and pads must cover the 1 spatial dimensions}}
  %0 = tfm.max_pool %x {kernel_shape = array<i64: 3>, pads = array<i64: 1>} : (tensor<1x3x8xf32>) -> tensor<1x3x8xf32>
  return %0 : tensor<1x3x8xf32>
}

// -----

func.func @window_auto_pad(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  // expected-error @+1 {{'tfm.average_pool' op unknown auto_pad 'SAME'}}
  %0 = tfm.average_pool %x {auto_pad = "SAME", kernel_shape = array<i64: 3>} : (tensor<1x3x8xf32>) -> tensor<1x3x8xf32>
  return %0 : tensor<1x3x8xf32>
}

// -----

func.func @window_positive(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'tfm.conv' op kernel, strides and dilations must be positive}}
  %0 = tfm.conv %x, %w {strides = array<i64: 1, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @window_fit(%x: tensor<1x3x3xf32>) -> tensor<1x3x1xf32> {
  // expected-error @+1 {{'tfm.max_pool' op window does not fit spatial dimension 0}}
  %0 = tfm.max_pool %x {kernel_shape = array<i64: 5>} : (tensor<1x3x3xf32>) -> tensor<1x3x1xf32>
  return %0 : tensor<1x3x1xf32>
}

// -----

// One position short of a window: (3 - 4) / 2 truncates to 0, which made
// one output.
func.func @window_fit_stride(%x: tensor<1x3x3xf32>) -> tensor<1x3x1xf32> {
  // expected-error @+1 {{'tfm.max_pool' op window does not fit spatial dimension 0}}
  %0 = tfm.max_pool %x {kernel_shape = array<i64: 4>, strides = array<i64: 2>} : (tensor<1x3x3xf32>) -> tensor<1x3x1xf32>
  return %0 : tensor<1x3x1xf32>
}

// -----

func.func @window_fit_valid(%x: tensor<1x3x3xf32>) -> tensor<1x3x1xf32> {
  // expected-error @+1 {{'tfm.max_pool' op window does not fit spatial dimension 0}}
  %0 = tfm.max_pool %x {auto_pad = "VALID", kernel_shape = array<i64: 4>, strides = array<i64: 2>} : (tensor<1x3x3xf32>) -> tensor<1x3x1xf32>
  return %0 : tensor<1x3x1xf32>
}

// -----

// dilation x (kernel - 1) + 1 does not fit int64.
func.func @window_overflow(%x: tensor<1x3x3xf32>) -> tensor<1x3x1xf32> {
  // expected-error @+1 {{'tfm.max_pool' op window size overflows in spatial dimension 0}}
  %0 = tfm.max_pool %x {kernel_shape = array<i64: 9223372036854775807>, dilations = array<i64: 2>} : (tensor<1x3x3xf32>) -> tensor<1x3x1xf32>
  return %0 : tensor<1x3x1xf32>
}

// -----

func.func @window_pads_overflow(%x: tensor<1x3x3xf32>) -> tensor<1x3x1xf32> {
  // expected-error @+1 {{'tfm.average_pool' op window size overflows in spatial dimension 0}}
  %0 = tfm.average_pool %x {kernel_shape = array<i64: 2>, pads = array<i64: 9223372036854775807, 9223372036854775807>} : (tensor<1x3x3xf32>) -> tensor<1x3x1xf32>
  return %0 : tensor<1x3x1xf32>
}

// -----

func.func @conv_rank(%x: tensor<1x3x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6xf32> {
  // expected-error @+1 {{'tfm.conv' op X and W must have the same rank >= 3}}
  %0 = tfm.conv %x, %w : (tensor<1x3x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6xf32>
  return %0 : tensor<1x4x6xf32>
}

// -----

func.func @conv_kernel_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x?x3xf32>) -> tensor<1x4x?x6xf32> {
  // expected-error @+1 {{'tfm.conv' op kernel_shape is needed when W's spatial dims are dynamic}}
  %0 = tfm.conv %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x?x3xf32>) -> tensor<1x4x?x6xf32>
  return %0 : tensor<1x4x?x6xf32>
}

// -----

func.func @conv_group(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'tfm.conv' op group must be positive}}
  %0 = tfm.conv %x, %w {group = 0 : si64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_channels(%x: tensor<1x8x8x8xf32>, %w: tensor<8x2x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'tfm.conv' op input channels 8 != W channels 2 x group 2}}
  %0 = tfm.conv %x, %w {group = 2 : si64} : (tensor<1x8x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

// 2^62 x 4 wraps around to 0.
func.func @conv_channels_overflow(%x: tensor<1x8x8x8xf32>, %w: tensor<8x4611686018427387904x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'tfm.conv' op input channels 8 != W channels 4611686018427387904 x group 4}}
  %0 = tfm.conv %x, %w {group = 4 : si64} : (tensor<1x8x8x8xf32>, tensor<8x4611686018427387904x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'tfm.conv' op B must be 1-D with one value per output channel}}
  %0 = tfm.conv %x, %w bias %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @max_pool_rank(%x: tensor<3x8xf32>) -> tensor<3x8xf32> {
  // expected-error @+1 {{'tfm.max_pool' op X must have rank >= 3}}
  %0 = tfm.max_pool %x {kernel_shape = array<i64: 2>} : (tensor<3x8xf32>) -> tensor<3x8xf32>
  return %0 : tensor<3x8xf32>
}

// -----

func.func @average_pool_rank(%x: tensor<3x8xf32>) -> tensor<3x8xf32> {
  // expected-error @+1 {{'tfm.average_pool' op X must have rank >= 3}}
  %0 = tfm.average_pool %x {kernel_shape = array<i64: 2>} : (tensor<3x8xf32>) -> tensor<3x8xf32>
  return %0 : tensor<3x8xf32>
}

// -----

func.func @global_average_pool_rank(%x: tensor<3x8xf32>) -> tensor<3x1xf32> {
  // expected-error @+1 {{'tfm.global_average_pool' op X must have rank >= 3}}
  %0 = tfm.global_average_pool %x : (tensor<3x8xf32>) -> tensor<3x1xf32>
  return %0 : tensor<3x1xf32>
}

// -----

func.func @batch_norm_rank(%x: tensor<3xf32>, %p: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'tfm.batch_norm' op X must have rank >= 2}}
  %0 = tfm.batch_norm %x, %p, %p, %p, %p {resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @batch_norm_params(%x: tensor<2x3x4xf32>, %p: tensor<3xf32>, %v: tensor<4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'tfm.batch_norm' op scale, B, input_mean and input_var must be 1-D of size C = 3}}
  %0 = tfm.batch_norm %x, %p, %p, %p, %v {resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @batch_norm_running_stats(%x: tensor<2x3x4xf32>, %p: tensor<3xf32>) {
  // expected-error @+1 {{'tfm.batch_norm' op running_mean and running_var exist only in training mode}}
  %0:3 = tfm.batch_norm %x, %p, %p, %p, %p {resultSegmentSizes = array<i32: 1, 1, 1>} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  return
}

//===----------------------------------------------------------------------===//
// MathOps.cpp: reductions, arg_max, top_k, cum_sum
//===----------------------------------------------------------------------===//

// -----

func.func @reduce_axes_length(%x: tensor<2x3xf32>, %a: tensor<?xi64>) -> tensor<?xf32> {
  // expected-error @+1 {{'tfm.reduce_sum' op non-constant axes must have a static length}}
  %0 = tfm.reduce_sum %x axes %a {keepdims = 0 : si64} : (tensor<2x3xf32>, tensor<?xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @reduce_axes_count(%x: tensor<2x3xf32>, %a: tensor<3xi64>) -> tensor<f32> {
  // expected-error @+1 {{'tfm.reduce_mean' op axes has 3 entries for rank 2}}
  %0 = tfm.reduce_mean %x axes %a {keepdims = 0 : si64} : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @reduce_axis_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = tfm.constant dense<2> : tensor<1xi64>
  // expected-error @+1 {{'tfm.reduce_max' op axis 2 is out of range for rank 2}}
  %0 = tfm.reduce_max %x axes %a : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @arg_max_axis(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  // expected-error @+1 {{'tfm.arg_max' op axis -3 is out of range for rank 2}}
  %0 = tfm.arg_max %x {axis = -3 : si64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

func.func @top_k_axis(%x: tensor<2x10xf32>, %k: tensor<1xi64>) {
  // expected-error @+1 {{'tfm.top_k' op axis 2 is out of range for rank 2}}
  %0:2 = tfm.top_k %x, %k {axis = 2 : si64} : (tensor<2x10xf32>, tensor<1xi64>) -> (tensor<2x?xf32>, tensor<2x?xi64>)
  return
}

// -----

func.func @top_k_k_elements(%x: tensor<2x10xf32>, %k: tensor<2xi64>) {
  // expected-error @+1 {{'tfm.top_k' op K must hold one element}}
  %0:2 = tfm.top_k %x, %k : (tensor<2x10xf32>, tensor<2xi64>) -> (tensor<2x?xf32>, tensor<2x?xi64>)
  return
}

// -----

// A negative K is rejected even when the axis size is not known.
func.func @top_k_negative(%x: tensor<2x?xf32>) {
  %k = tfm.constant dense<-1> : tensor<1xi64>
  // expected-error @+1 {{'tfm.top_k' op K = -1 is negative}}
  %0:2 = tfm.top_k %x, %k : (tensor<2x?xf32>, tensor<1xi64>) -> (tensor<2x?xf32>, tensor<2x?xi64>)
  return
}

// -----

func.func @top_k_exceeds(%x: tensor<2x10xf32>) {
  %k = tfm.constant dense<11> : tensor<1xi64>
  // expected-error @+1 {{'tfm.top_k' op K = 11 exceeds axis size 10}}
  %0:2 = tfm.top_k %x, %k : (tensor<2x10xf32>, tensor<1xi64>) -> (tensor<2x11xf32>, tensor<2x11xi64>)
  return
}

// -----

func.func @cum_sum_axis_shape(%x: tensor<2x3xf32>, %a: tensor<2xi64>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tfm.cum_sum' op axis must be a 0-D or one-element tensor}}
  %0 = tfm.cum_sum %x, %a : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @cum_sum_axis_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = tfm.constant dense<2> : tensor<i32>
  // expected-error @+1 {{'tfm.cum_sum' op axis 2 is out of range}}
  %0 = tfm.cum_sum %x, %a : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// ShapeOps.cpp
//===----------------------------------------------------------------------===//

// -----

func.func @dim_index(%x: tensor<2x3xf32>) -> tensor<i64> {
  // expected-error @+1 {{'tfm.dim' op index 2 is out of range for rank 2}}
  %0 = tfm.dim %x[2] : tensor<2x3xf32>
  return %0 : tensor<i64>
}

// -----

func.func @dim_negative_index(%x: tensor<2x3xf32>) -> tensor<i64> {
  // expected-error @+1 {{'tfm.dim' op index -1 is out of range for rank 2}}
  %0 = tfm.dim %x[-1] : tensor<2x3xf32>
  return %0 : tensor<i64>
}

// -----

func.func @transpose_perm_size(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'tfm.transpose' op perm has 3 entries for rank 2}}
  %0 = tfm.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_perm_repeat(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'tfm.transpose' op perm is not a permutation of [0, 2)}}
  %0 = tfm.transpose %x {perm = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @reshape_shape_length(%x: tensor<2x3xf32>, %s: tensor<?xi64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'tfm.reshape' op shape must be 1-D with a static length, got 'tensor<?xi64>'}}
  %0 = tfm.reshape %x, %s : (tensor<2x3xf32>, tensor<?xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @reshape_two_minus_one(%x: tensor<2x3xf32>) -> tensor<?x?xf32> {
  %s = tfm.constant dense<[-1, -1]> : tensor<2xi64>
  // expected-error @+1 {{'tfm.reshape' op shape has more than one -1}}
  %0 = tfm.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @reshape_copy(%x: tensor<6xf32>) -> tensor<6x1xf32> {
  %s = tfm.constant dense<[6, 0]> : tensor<2xi64>
  // expected-error @+1 {{'tfm.reshape' op shape copies dimension 1 that the input lacks}}
  %0 = tfm.reshape %x, %s : (tensor<6xf32>, tensor<2xi64>) -> tensor<6x1xf32>
  return %0 : tensor<6x1xf32>
}

// -----

func.func @reshape_invalid_dim(%x: tensor<2x3xf32>) -> tensor<?x6xf32> {
  %s = tfm.constant dense<[-2, 6]> : tensor<2xi64>
  // expected-error @+1 {{'tfm.reshape' op shape has invalid dimension -2}}
  %0 = tfm.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x6xf32>
  return %0 : tensor<?x6xf32>
}

// -----

func.func @reshape_not_multiple(%x: tensor<2x3x4xf32>) -> tensor<?x5xf32> {
  %s = tfm.constant dense<[-1, 5]> : tensor<2xi64>
  // expected-error @+1 {{'tfm.reshape' op cannot reshape 24 elements into a multiple of 5}}
  %0 = tfm.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x5xf32>
  return %0 : tensor<?x5xf32>
}

// -----

func.func @reshape_count(%x: tensor<2x3x4xf32>) -> tensor<2x5xf32> {
  %s = tfm.constant dense<[2, 5]> : tensor<2xi64>
  // expected-error @+1 {{'tfm.reshape' op cannot reshape 24 elements into 10}}
  %0 = tfm.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// Inference would build one dim per entry.
func.func @reshape_shape_too_long(%x: tensor<2x3xf32>, %s: tensor<4611686018427387904xi64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'tfm.reshape' op shape has 4611686018427387904 entries, more than the supported rank 1024}}
  %0 = tfm.reshape %x, %s : (tensor<2x3xf32>, tensor<4611686018427387904xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Whatever batch is, batch x 1024 x 16 elements are a multiple of 16384.
func.func @reshape_symbolic_multiple(%x: tensor<16x16xf32>, %ids: tensor<?xi64, #tfm.dims<["batch"]>>) -> tensor<?x1024x16xf32> {
  %b = tfm.shape %ids : (tensor<?xi64, #tfm.dims<["batch"]>>) -> tensor<1xi64>
  %c = tfm.constant dense<[1024, 16]> : tensor<2xi64>
  %s = tfm.concat %b, %c {axis = 0 : si64} : (tensor<1xi64>, tensor<2xi64>) -> tensor<3xi64>
  // expected-error @+1 {{'tfm.reshape' op cannot reshape 256 elements into a multiple of 16384}}
  %0 = tfm.reshape %x, %s : (tensor<16x16xf32>, tensor<3xi64>) -> tensor<?x1024x16xf32>
  return %0 : tensor<?x1024x16xf32>
}

// -----

// The target [-1, -n] makes the inferred dim 4n / -n = -4.
func.func @reshape_negative_inferred(%x: tensor<?x4xf32, #tfm.dims<["n"]>>) -> tensor<?x?xf32> {
  %n = tfm.shape %x {end = 1 : si64} : (tensor<?x4xf32, #tfm.dims<["n"]>>) -> tensor<1xi64>
  %m = tfm.neg %n : (tensor<1xi64>) -> tensor<1xi64>
  %c = tfm.constant dense<-1> : tensor<1xi64>
  %s = tfm.concat %c, %m {axis = 0 : si64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  // expected-error @+1 {{'tfm.reshape' op shape makes the inferred dimension -4}}
  %0 = tfm.reshape %x, %s : (tensor<?x4xf32, #tfm.dims<["n"]>>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @flatten_axis(%x: tensor<2x3xf32>) -> tensor<6x1xf32> {
  // expected-error @+1 {{'tfm.flatten' op axis 3 is out of range for rank 2}}
  %0 = tfm.flatten %x {axis = 3 : si64} : (tensor<2x3xf32>) -> tensor<6x1xf32>
  return %0 : tensor<6x1xf32>
}

// -----

func.func @squeeze_axis_range(%x: tensor<1x3xf32>) -> tensor<3xf32> {
  %a = tfm.constant dense<2> : tensor<1xi64>
  // expected-error @+1 {{'tfm.squeeze' op axis 2 is out of range for rank 2}}
  %0 = tfm.squeeze %x axes %a : (tensor<1x3xf32>, tensor<1xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @squeeze_axis_repeated(%x: tensor<1x3xf32>) -> tensor<3xf32> {
  %a = tfm.constant dense<[0, -2]> : tensor<2xi64>
  // expected-error @+1 {{'tfm.squeeze' op axis -2 is repeated}}
  %0 = tfm.squeeze %x axes %a : (tensor<1x3xf32>, tensor<2xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @squeeze_not_one(%x: tensor<1x3xf32>) -> tensor<1xf32> {
  %a = tfm.constant dense<1> : tensor<1xi64>
  // expected-error @+1 {{'tfm.squeeze' op cannot squeeze dimension 1 of size 3}}
  %0 = tfm.squeeze %x axes %a : (tensor<1x3xf32>, tensor<1xi64>) -> tensor<1xf32>
  return %0 : tensor<1xf32>
}

// -----

func.func @squeeze_axes_length(%x: tensor<1x3xf32>, %a: tensor<?xi64>) -> tensor<?xf32> {
  // expected-error @+1 {{'tfm.squeeze' op axes must be 1-D with a static length, got 'tensor<?xi64>'}}
  %0 = tfm.squeeze %x axes %a : (tensor<1x3xf32>, tensor<?xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @squeeze_axes_count(%x: tensor<1x3xf32>, %a: tensor<3xi64>) -> tensor<f32> {
  // expected-error @+1 {{'tfm.squeeze' op axes has 3 entries for rank 2}}
  %0 = tfm.squeeze %x axes %a : (tensor<1x3xf32>, tensor<3xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @unsqueeze_axes_length(%x: tensor<3xf32>, %a: tensor<i64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'tfm.unsqueeze' op axes must be 1-D with a static length, got 'tensor<i64>'}}
  %0 = tfm.unsqueeze %x, %a : (tensor<3xf32>, tensor<i64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @unsqueeze_axis_repeated(%x: tensor<3xf32>) -> tensor<1x1x3xf32> {
  %a = tfm.constant dense<[0, 0]> : tensor<2xi64>
  // expected-error @+1 {{'tfm.unsqueeze' op axis 0 is repeated}}
  %0 = tfm.unsqueeze %x, %a : (tensor<3xf32>, tensor<2xi64>) -> tensor<1x1x3xf32>
  return %0 : tensor<1x1x3xf32>
}

// -----

// The axes index the output, of rank 2 here.
func.func @unsqueeze_axis_range(%x: tensor<3xf32>) -> tensor<3x1xf32> {
  %a = tfm.constant dense<2> : tensor<1xi64>
  // expected-error @+1 {{'tfm.unsqueeze' op axis 2 is out of range for rank 2}}
  %0 = tfm.unsqueeze %x, %a : (tensor<3xf32>, tensor<1xi64>) -> tensor<3x1xf32>
  return %0 : tensor<3x1xf32>
}

// -----

func.func @concat_empty() -> tensor<2xf32> {
  // expected-error @+1 {{'tfm.concat' op needs at least one input}}
  %0 = tfm.concat {axis = 0 : si64} : () -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tfm.concat' op axis 2 is out of range for rank 2}}
  %0 = tfm.concat %a {axis = 2 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<2x3x1xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'tfm.concat' op inputs must have the same rank and element type}}
  %0 = tfm.concat %a, %b {axis = 0 : si64} : (tensor<2x3xf32>, tensor<2x3x1xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concat_element_type(%a: tensor<2x3xf32>, %b: tensor<2x3xi32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'tfm.concat' op inputs must have the same rank and element type}}
  %0 = tfm.concat %a, %b {axis = 0 : si64} : (tensor<2x3xf32>, tensor<2x3xi32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'tfm.concat' op inputs differ in dimension 1: 3 vs 4}}
  %0 = tfm.concat %a, %b {axis = 0 : si64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A symbolic dim is at least 1, so it provably differs from 0.
func.func @concat_symbolic_dims(%a: tensor<?x3xf32, #tfm.dims<["seq"]>>, %b: tensor<0x3xf32>) -> tensor<?x6xf32> {
  // expected-error @+1 {{'tfm.concat' op inputs differ in dimension 0: seq vs 0}}
  %0 = tfm.concat %a, %b {axis = 1 : si64} : (tensor<?x3xf32, #tfm.dims<["seq"]>>, tensor<0x3xf32>) -> tensor<?x6xf32>
  return %0 : tensor<?x6xf32>
}

// -----

func.func @split_axis(%x: tensor<6xf32>) {
  // expected-error @+1 {{'tfm.split' op axis 1 is out of range for rank 1}}
  %0:2 = tfm.split %x {axis = 1 : si64} : (tensor<6xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @split_no_result(%x: tensor<6xf32>) {
  // expected-error @+1 {{'tfm.split' op needs at least one result}}
  tfm.split %x : (tensor<6xf32>) -> ()
  return
}

// -----

func.func @split_sizes_length(%x: tensor<6xf32>, %s: tensor<?xi64>) {
  // expected-error @+1 {{'tfm.split' op split must be 1-D with a static length, got 'tensor<?xi64>'}}
  %0:2 = tfm.split %x sizes %s : (tensor<6xf32>, tensor<?xi64>) -> (tensor<?xf32>, tensor<?xf32>)
  return
}

// -----

func.func @split_sizes_count(%x: tensor<6xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'tfm.split' op split has 2 sizes for 3 results}}
  %0:3 = tfm.split %x sizes %s : (tensor<6xf32>, tensor<2xi64>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>)
  return
}

// -----

func.func @split_sizes_sum(%x: tensor<6xf32>) {
  %s = tfm.constant dense<[2, 3]> : tensor<2xi64>
  // expected-error @+1 {{'tfm.split' op split sizes add up to 5, not 6}}
  %0:2 = tfm.split %x sizes %s : (tensor<6xf32>, tensor<2xi64>) -> (tensor<2xf32>, tensor<3xf32>)
  return
}

// -----

// The sum is right, but a part cannot have -1 elements.
func.func @split_sizes_negative(%x: tensor<4xf32>) {
  %s = tfm.constant dense<[-1, 5]> : tensor<2xi64>
  // expected-error @+1 {{'tfm.split' op split has a negative entry -1}}
  %0:2 = tfm.split %x sizes %s : (tensor<4xf32>, tensor<2xi64>) -> (tensor<?xf32>, tensor<5xf32>)
  return
}

// -----

func.func @slice_starts_length(%x: tensor<6xf32>, %s: tensor<?xi64>) -> tensor<?xf32> {
  // expected-error @+1 {{'tfm.slice' op starts must be 1-D with a static length, got 'tensor<?xi64>'}}
  %0 = tfm.slice %x[%s, %s] : (tensor<6xf32>, tensor<?xi64>, tensor<?xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @slice_lengths(%x: tensor<6x4xf32>, %s: tensor<2xi64>, %e: tensor<1xi64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'tfm.slice' op starts, ends, axes and steps must have the same length}}
  %0 = tfm.slice %x[%s, %e] : (tensor<6x4xf32>, tensor<2xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @slice_axis_range(%x: tensor<6xf32>, %s: tensor<1xi64>) -> tensor<?xf32> {
  %a = tfm.constant dense<1> : tensor<1xi64>
  // expected-error @+1 {{'tfm.slice' op axis 1 is out of range for rank 1}}
  %0 = tfm.slice %x[%s, %s axes %a] : (tensor<6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @slice_step_zero(%x: tensor<6xf32>) -> tensor<?xf32> {
  %s = tfm.constant dense<0> : tensor<1xi64>
  %e = tfm.constant dense<6> : tensor<1xi64>
  // expected-error @+1 {{'tfm.slice' op steps must be non-zero}}
  %0 = tfm.slice %x[%s, %e axes %s steps %s] : (tensor<6xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @gather_axis(%x: tensor<6xf32>, %i: tensor<2xi64>) -> tensor<2xf32> {
  // expected-error @+1 {{'tfm.gather' op axis 1 is out of range for rank 1}}
  %0 = tfm.gather %x, %i {axis = 1 : si64} : (tensor<6xf32>, tensor<2xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @gather_elements_rank(%x: tensor<3x4xf32>, %i: tensor<3xi64>) -> tensor<3xf32> {
  // expected-error @+1 {{'tfm.gather_elements' op indices must have the data's rank 2}}
  %0 = tfm.gather_elements %x, %i : (tensor<3x4xf32>, tensor<3xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @gather_elements_axis(%x: tensor<3x4xf32>, %i: tensor<3x2xi64>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'tfm.gather_elements' op axis -3 is out of range for rank 2}}
  %0 = tfm.gather_elements %x, %i {axis = -3 : si64} : (tensor<3x4xf32>, tensor<3x2xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @constant_of_shape_input(%s: tensor<2x2xi64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'tfm.constant_of_shape' op input must be 1-D with a static length, got 'tensor<2x2xi64>'}}
  %0 = tfm.constant_of_shape %s : (tensor<2x2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @constant_of_shape_negative() -> tensor<2x?xf32> {
  %s = tfm.constant dense<[2, -3]> : tensor<2xi64>
  // expected-error @+1 {{'tfm.constant_of_shape' op shape has a negative dimension}}
  %0 = tfm.constant_of_shape %s : (tensor<2xi64>) -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// -----

func.func @constant_of_shape_value(%s: tensor<1xi64>) -> tensor<?xi64> {
  // expected-error @+1 {{'tfm.constant_of_shape' op value must hold one element}}
  %0 = tfm.constant_of_shape %s {value = dense<[1, 2]> : tensor<2xi64>} : (tensor<1xi64>) -> tensor<?xi64>
  return %0 : tensor<?xi64>
}

// -----

func.func @expand_shape_length(%x: tensor<3x1xf32>, %s: tensor<?xi64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'tfm.expand' op shape must be 1-D with a static length, got 'tensor<?xi64>'}}
  %0 = tfm.expand %x, %s : (tensor<3x1xf32>, tensor<?xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @expand_broadcast(%x: tensor<3x1xf32>) -> tensor<4x4xf32> {
  %s = tfm.constant dense<[4, 4]> : tensor<2xi64>
  // expected-error @+1 {{'tfm.expand' op input 'tensor<3x1xf32>' cannot be broadcast to the requested shape}}
  %0 = tfm.expand %x, %s : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @tile_repeats_length(%x: tensor<2x3xf32>, %r: tensor<?xi64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'tfm.tile' op repeats must be 1-D with a static length, got 'tensor<?xi64>'}}
  %0 = tfm.tile %x, %r : (tensor<2x3xf32>, tensor<?xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @tile_repeats_count(%x: tensor<2x3xf32>, %r: tensor<3xi64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'tfm.tile' op repeats has 3 entries for rank 2}}
  %0 = tfm.tile %x, %r : (tensor<2x3xf32>, tensor<3xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @pad_mode(%x: tensor<2x3xf32>, %p: tensor<4xi64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'tfm.pad' op unknown mode 'symmetric'}}
  %0 = tfm.pad %x, %p {mode = "symmetric"} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @pad_value_type(%x: tensor<2x3xf32>, %p: tensor<4xi64>, %v: tensor<i32>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'tfm.pad' op constant_value must have the data's element type}}
  %0 = tfm.pad %x, %p value %v : (tensor<2x3xf32>, tensor<4xi64>, tensor<i32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @pad_axis(%x: tensor<2x3xf32>, %p: tensor<2xi64>) -> tensor<?x?xf32> {
  %a = tfm.constant dense<2> : tensor<1xi64>
  // expected-error @+1 {{'tfm.pad' op axis 2 is out of range for rank 2}}
  %0 = tfm.pad %x, %p axes %a : (tensor<2x3xf32>, tensor<2xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @pad_pads_length(%x: tensor<2x3xf32>, %p: tensor<?xi64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'tfm.pad' op pads must be 1-D with a static length, got 'tensor<?xi64>'}}
  %0 = tfm.pad %x, %p : (tensor<2x3xf32>, tensor<?xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @pad_pads_count(%x: tensor<2x3xf32>, %p: tensor<2xi64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{'tfm.pad' op pads has 2 entries for 2 axes}}
  %0 = tfm.pad %x, %p : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @range_scalars(%a: tensor<2xi64>, %b: tensor<i64>) -> tensor<?xi64> {
  // expected-error @+1 {{'tfm.range' op start, limit and delta must be scalars}}
  %0 = tfm.range %a, %b, %b : (tensor<2xi64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return %0 : tensor<?xi64>
}

// -----

func.func @range_element_type(%a: tensor<i64>, %b: tensor<i32>) -> tensor<?xi64> {
  // expected-error @+1 {{'tfm.range' op start, limit and delta must have the same element type}}
  %0 = tfm.range %a, %b, %a : (tensor<i64>, tensor<i32>, tensor<i64>) -> tensor<?xi64>
  return %0 : tensor<?xi64>
}

// -----

func.func @range_delta_zero() -> tensor<?xi64> {
  %s = tfm.constant dense<0> : tensor<i64>
  %l = tfm.constant dense<4> : tensor<i64>
  %d = tfm.constant dense<0> : tensor<i64>
  // expected-error @+1 {{'tfm.range' op delta must be non-zero}}
  %0 = tfm.range %s, %l, %d : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return %0 : tensor<?xi64>
}

// -----

func.func @trilu_rank(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.trilu' op input must have rank >= 2}}
  %0 = tfm.trilu %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @trilu_k(%x: tensor<4x4xf32>, %k: tensor<2xi64>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'tfm.trilu' op k must be a scalar}}
  %0 = tfm.trilu %x k %k : (tensor<4x4xf32>, tensor<2xi64>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

//===----------------------------------------------------------------------===//
// QuantOps.cpp
//===----------------------------------------------------------------------===//

// -----

func.func @quant_zero_point_shape(%x: tensor<2x3xf32>, %s: tensor<f32>, %zp: tensor<1xi8>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'tfm.quantize_linear' op zero point must have the scale's shape}}
  %0 = tfm.quantize_linear %x, %s zero_point %zp : (tensor<2x3xf32>, tensor<f32>, tensor<1xi8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @quant_axis(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xui8> {
  // expected-error @+1 {{'tfm.quantize_linear' op axis 2 is out of range for rank 2}}
  %0 = tfm.quantize_linear %x, %s {axis = 2 : si64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

func.func @quant_per_axis(%x: tensor<2x3xf32>, %s: tensor<2xf32>) -> tensor<2x3xui8> {
  // expected-error @+1 {{'tfm.quantize_linear' op per-axis scale must be 1-D of size 3}}
  %0 = tfm.quantize_linear %x, %s : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

func.func @quant_block_size(%x: tensor<4x6xf32>, %s: tensor<4x3xf32>) -> tensor<4x6xui8> {
  // expected-error @+1 {{'tfm.quantize_linear' op block_size must be positive}}
  %0 = tfm.quantize_linear %x, %s {block_size = -2 : si64} : (tensor<4x6xf32>, tensor<4x3xf32>) -> tensor<4x6xui8>
  return %0 : tensor<4x6xui8>
}

// -----

func.func @quant_block_rank(%x: tensor<4x6xf32>, %s: tensor<3xf32>) -> tensor<4x6xui8> {
  // expected-error @+1 {{'tfm.quantize_linear' op per-block scale must have the input's rank}}
  %0 = tfm.quantize_linear %x, %s {block_size = 2 : si64} : (tensor<4x6xf32>, tensor<3xf32>) -> tensor<4x6xui8>
  return %0 : tensor<4x6xui8>
}

// -----

// ceil(6 / 4) = 2 blocks along axis 1.
func.func @quant_block_dim(%x: tensor<4x6xf32>, %s: tensor<4x3xf32>) -> tensor<4x6xui8> {
  // expected-error @+1 {{'tfm.quantize_linear' op per-block scale dimension 1 is 3, expected 2}}
  %0 = tfm.quantize_linear %x, %s {block_size = 4 : si64} : (tensor<4x6xf32>, tensor<4x3xf32>) -> tensor<4x6xui8>
  return %0 : tensor<4x6xui8>
}

// -----

func.func @quant_output_dtype(%x: tensor<2x3xf32>, %s: tensor<f32>, %zp: tensor<i8>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'tfm.quantize_linear' op output_dtype disagrees with the zero point's type}}
  %0 = tfm.quantize_linear %x, %s zero_point %zp {output_dtype = ui8} : (tensor<2x3xf32>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @dequant_zero_point_type(%x: tensor<2x3xi8>, %s: tensor<f32>, %zp: tensor<ui8>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tfm.dequantize_linear' op zero point must have the input's element type}}
  %0 = tfm.dequantize_linear %x, %s zero_point %zp : (tensor<2x3xi8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// DequantizeLinear shares QuantizeLinear's scale checks.
func.func @dequant_per_axis(%x: tensor<2x3xi8>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tfm.dequantize_linear' op per-axis scale must be 1-D of size 2}}
  %0 = tfm.dequantize_linear %x, %s {axis = 0 : si64} : (tensor<2x3xi8>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// TransformerOps.cpp
//===----------------------------------------------------------------------===//

// -----

func.func @layer_norm_param_type(%x: tensor<2x8xf32>, %s: tensor<8xf16>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tfm.layer_norm' op scale and bias must have the input's element type}}
  %0 = tfm.layer_norm %x, %s {resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x8xf32>, tensor<8xf16>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @layer_norm_bias_shape(%x: tensor<2x8xf32>, %s: tensor<8xf32>, %b: tensor<7xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tfm.layer_norm' op scale and bias must broadcast to the normalized dims}}
  %0 = tfm.layer_norm %x, %s bias %b {resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x8xf32>, tensor<8xf32>, tensor<7xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// A scale of higher rank than the normalized dims does not broadcast to them.
func.func @layer_norm_scale_rank(%x: tensor<2x8xf32>, %s: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tfm.layer_norm' op scale and bias must broadcast to the normalized dims}}
  %0 = tfm.layer_norm %x, %s {resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @layer_norm_axis(%x: tensor<2x8xf32>, %s: tensor<8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tfm.layer_norm' op axis 2 is out of range for rank 2}}
  %0 = tfm.layer_norm %x, %s {axis = 2 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @layer_norm_stash_type(%x: tensor<2x8xf16>, %s: tensor<8xf16>) -> tensor<2x8xf16> {
  // expected-error @+1 {{'tfm.layer_norm' op stash_type must be 1 (float32)}}
  %0 = tfm.layer_norm %x, %s {stash_type = 10 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x8xf16>, tensor<8xf16>) -> tensor<2x8xf16>
  return %0 : tensor<2x8xf16>
}

// -----

func.func @rms_norm_axis(%x: tensor<2x8xf32>, %s: tensor<8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tfm.rms_norm' op axis -3 is out of range for rank 2}}
  %0 = tfm.rms_norm %x, %s {axis = -3 : si64} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @rms_norm_scale(%x: tensor<2x8xf32>, %s: tensor<4xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tfm.rms_norm' op scale and bias must broadcast to the normalized dims}}
  %0 = tfm.rms_norm %x, %s : (tensor<2x8xf32>, tensor<4xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @swiglu_shapes(%g: tensor<2x8xf32>, %u: tensor<2x4xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tfm.swiglu' op operands are not broadcast-compatible: 'tensor<2x8xf32>' and 'tensor<2x4xf32>'}}
  %0 = tfm.swiglu %g, %u : (tensor<2x8xf32>, tensor<2x4xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @swiglu_element_type(%g: tensor<2x8xf32>, %u: tensor<2x8xf16>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tfm.swiglu' op operands must have the same element type, got 'tensor<2x8xf32>' and 'tensor<2x8xf16>'}}
  %0 = tfm.swiglu %g, %u : (tensor<2x8xf32>, tensor<2x8xf16>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @swiglu_result_shape(%g: tensor<2x8xf32>, %u: tensor<2x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'tfm.swiglu' op result #0 has type 'tensor<2x4xf32>' but its operands give 'tensor<2x8xf32>'}}
  %0 = tfm.swiglu %g, %u : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @rotary_rank(%x: tensor<5x64xf32>, %c: tensor<128x8xf32>) -> tensor<5x64xf32> {
  // expected-error @+1 {{'tfm.rotary_embedding' op input must be [B, S, H*D] or [B, H, S, D]}}
  %0 = tfm.rotary_embedding %x cos %c sin %c {num_heads = 4 : si64} : (tensor<5x64xf32>, tensor<128x8xf32>, tensor<128x8xf32>) -> tensor<5x64xf32>
  return %0 : tensor<5x64xf32>
}

// -----

func.func @rotary_num_heads(%x: tensor<2x5x64xf32>, %c: tensor<128x8xf32>) -> tensor<2x5x64xf32> {
  // expected-error @+1 {{'tfm.rotary_embedding' op num_heads is required for a 3-D input}}
  %0 = tfm.rotary_embedding %x cos %c sin %c : (tensor<2x5x64xf32>, tensor<128x8xf32>, tensor<128x8xf32>) -> tensor<2x5x64xf32>
  return %0 : tensor<2x5x64xf32>
}

// -----

func.func @rotary_cache_rank(%x: tensor<2x5x64xf32>, %c: tensor<128x8xf32>, %s: tensor<2x128x8xf32>) -> tensor<2x5x64xf32> {
  // expected-error @+1 {{'tfm.rotary_embedding' op cos_cache and sin_cache must both be 2-D or 3-D}}
  %0 = tfm.rotary_embedding %x cos %c sin %s {num_heads = 4 : si64} : (tensor<2x5x64xf32>, tensor<128x8xf32>, tensor<2x128x8xf32>) -> tensor<2x5x64xf32>
  return %0 : tensor<2x5x64xf32>
}

// -----

func.func @rotary_cache_dim(%x: tensor<2x5x64xf32>, %c: tensor<128x6xf32>) -> tensor<2x5x64xf32> {
  // expected-error @+1 {{'tfm.rotary_embedding' op cos_cache's last dim must be rotary_embedding_dim / 2 = 8}}
  %0 = tfm.rotary_embedding %x cos %c sin %c {num_heads = 4 : si64} : (tensor<2x5x64xf32>, tensor<128x6xf32>, tensor<128x6xf32>) -> tensor<2x5x64xf32>
  return %0 : tensor<2x5x64xf32>
}

// -----

func.func @attention_rank(%q: tensor<2x4x5x16xf32>) -> tensor<2x4x5x16xf32> {
  // expected-error @+1 {{'tfm.attention' op query, key and value must be [B, S, heads * head_size]}}
  %0 = tfm.attention %q, %q, %q {num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x4x5x16xf32>, tensor<2x4x5x16xf32>, tensor<2x4x5x16xf32>) -> tensor<2x4x5x16xf32>
  return %0 : tensor<2x4x5x16xf32>
}

// -----

func.func @attention_heads(%q: tensor<2x5x64xf32>) -> tensor<2x5x64xf32> {
  // expected-error @+1 {{'tfm.attention' op num_heads (4) must be a positive multiple of kv_num_heads (3)}}
  %0 = tfm.attention %q, %q, %q {num_heads = 4 : si64, kv_num_heads = 3 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>) -> tensor<2x5x64xf32>
  return %0 : tensor<2x5x64xf32>
}

// -----

func.func @attention_heads_zero(%q: tensor<2x5x64xf32>) -> tensor<2x5x64xf32> {
  // expected-error @+1 {{'tfm.attention' op num_heads (0) must be a positive multiple of kv_num_heads (0)}}
  %0 = tfm.attention %q, %q, %q {num_heads = 0 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>) -> tensor<2x5x64xf32>
  return %0 : tensor<2x5x64xf32>
}

// -----

func.func @attention_hidden(%q: tensor<2x5x60xf32>) -> tensor<2x5x60xf32> {
  // expected-error @+1 {{'tfm.attention' op query hidden size 60 is not divisible by 8 heads}}
  %0 = tfm.attention %q, %q, %q {num_heads = 8 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x60xf32>, tensor<2x5x60xf32>, tensor<2x5x60xf32>) -> tensor<2x5x60xf32>
  return %0 : tensor<2x5x60xf32>
}

// -----

func.func @attention_head_size(%q: tensor<2x5x64xf32>, %k: tensor<2x5x32xf32>) -> tensor<2x5x32xf32> {
  // expected-error @+1 {{'tfm.attention' op query and key head sizes differ: 16 vs 8}}
  %0 = tfm.attention %q, %k, %k {num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<2x5x32xf32>, tensor<2x5x32xf32>) -> tensor<2x5x32xf32>
  return %0 : tensor<2x5x32xf32>
}

// -----

func.func @attention_kv_length(%q: tensor<2x5x64xf32>, %v: tensor<2x6x64xf32>) -> tensor<2x5x64xf32> {
  // expected-error @+1 {{'tfm.attention' op key and value sequence lengths differ}}
  %0 = tfm.attention %q, %q, %v {num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x6x64xf32>) -> tensor<2x5x64xf32>
  return %0 : tensor<2x5x64xf32>
}

// -----

func.func @attention_batch(%q: tensor<2x5x64xf32>, %kv: tensor<3x5x64xf32>) -> tensor<2x5x64xf32> {
  // expected-error @+1 {{'tfm.attention' op query, key and value batch sizes differ}}
  %0 = tfm.attention %q, %kv, %kv {num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<3x5x64xf32>, tensor<3x5x64xf32>) -> tensor<2x5x64xf32>
  return %0 : tensor<2x5x64xf32>
}

// -----

// The custom syntax always has both; the generic form can drop past_value.
func.func @attention_past_pair(%q: tensor<2x5x64xf32>, %p: tensor<2x4x6x16xf32>) -> tensor<2x5x64xf32> {
  // expected-error @+1 {{'tfm.attention' op past_key and past_value go together}}
  %0 = "tfm.attention"(%q, %q, %q, %p) <{num_heads = 4 : si64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 0, 0>, resultSegmentSizes = array<i32: 1, 0, 0>}> : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x4x6x16xf32>) -> tensor<2x5x64xf32>
  return %0 : tensor<2x5x64xf32>
}

// -----

func.func @attention_mask_without_kind(%q: tensor<2x5x64xf32>, %m: tensor<2x5xi64>) -> tensor<2x5x64xf32> {
  // expected-error @+1 {{'tfm.attention' op mask and mask_kind go together}}
  %0 = tfm.attention %q, %q, %q mask %m {num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5xi64>) -> tensor<2x5x64xf32>
  return %0 : tensor<2x5x64xf32>
}

// -----

func.func @attention_kind_without_mask(%q: tensor<2x5x64xf32>) -> tensor<2x5x64xf32> {
  // expected-error @+1 {{'tfm.attention' op mask and mask_kind go together}}
  %0 = tfm.attention %q, %q, %q {mask_kind = #tfm<mask_kind additive>, num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>) -> tensor<2x5x64xf32>
  return %0 : tensor<2x5x64xf32>
}

// -----

func.func @attention_past_rank(%q: tensor<2x5x64xf32>, %p: tensor<2x6x64xf32>) -> tensor<2x5x64xf32> {
  // expected-error @+1 {{'tfm.attention' op past_key and past_value must be [B, kv_heads, P, head_size]}}
  %0 = tfm.attention %q, %q, %q past(%p, %p) {num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x6x64xf32>, tensor<2x6x64xf32>) -> tensor<2x5x64xf32>
  return %0 : tensor<2x5x64xf32>
}

// -----

func.func @attention_past_shape(%q: tensor<2x5x64xf32>, %p: tensor<2x4x6x8xf32>) -> tensor<2x5x64xf32> {
  // expected-error @+1 {{'tfm.attention' op past_key is 'tensor<2x4x6x8xf32>', expected [B, 4, P, 16]}}
  %0 = tfm.attention %q, %q, %q past(%p, %p) {num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 0, 0>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x4x6x8xf32>, tensor<2x4x6x8xf32>) -> tensor<2x5x64xf32>
  return %0 : tensor<2x5x64xf32>
}

// -----

func.func @attention_present_pair(%q: tensor<2x5x64xf32>) {
  // expected-error @+1 {{'tfm.attention' op present_key and present_value go together}}
  %0:2 = tfm.attention %q, %q, %q {num_heads = 4 : si64, resultSegmentSizes = array<i32: 1, 1, 0>} : (tensor<2x5x64xf32>, tensor<2x5x64xf32>, tensor<2x5x64xf32>) -> (tensor<2x5x64xf32>, tensor<2x4x5x16xf32>)
  return
}

// -----

// tfm.if (TfmControlFlowOps.td).

func.func @if_condition_elements(%c: tensor<2xi1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.if' op condition must hold exactly one element, got 'tensor<2xi1>'}}
  %r = tfm.if %c : tensor<2xi1> -> (tensor<4xf32>) {
    tfm.yield %x : tensor<4xf32>
  } else {
    tfm.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @if_condition_dynamic(%c: tensor<?xi1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.if' op condition must hold exactly one element, got 'tensor<?xi1>'}}
  %r = tfm.if %c : tensor<?xi1> -> (tensor<4xf32>) {
    tfm.yield %x : tensor<4xf32>
  } else {
    tfm.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @if_condition_type(%c: tensor<i64>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.if' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<i64>'}}
  %r = tfm.if %c : tensor<i64> -> (tensor<4xf32>) {
    tfm.yield %x : tensor<4xf32>
  } else {
    tfm.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @if_yield_count(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.if' op else branch yields 2 values for 1 results}}
  %r = tfm.if %c : tensor<i1> -> (tensor<4xf32>) {
    tfm.yield %x : tensor<4xf32>
  } else {
    tfm.yield %x, %x : tensor<4xf32>, tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @if_element_types(%c: tensor<i1>, %x: tensor<4xf32>, %y: tensor<4xi64>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.if' op branches yield different element types for result #0: 'tensor<4xf32>' and 'tensor<4xi64>'}}
  %r = tfm.if %c : tensor<i1> -> (tensor<4xf32>) {
    tfm.yield %x : tensor<4xf32>
  } else {
    tfm.yield %y : tensor<4xi64>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @if_ranks(%c: tensor<i1>, %x: tensor<4xf32>, %y: tensor<1x4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.if' op branches yield different ranks for result #0: 'tensor<4xf32>' and 'tensor<1x4xf32>' (the condition is not known at compile time, and ranks must be static)}}
  %r = tfm.if %c : tensor<i1> -> (tensor<4xf32>) {
    tfm.yield %x : tensor<4xf32>
  } else {
    tfm.yield %y : tensor<1x4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @if_result_type(%c: tensor<i1>, %x: tensor<4xf32>, %y: tensor<5xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.if' op result #0 has type 'tensor<4xf32>' but the else branch yields 'tensor<5xf32>'}}
  %r = tfm.if %c : tensor<i1> -> (tensor<4xf32>) {
    tfm.yield %x : tensor<4xf32>
  } else {
    tfm.yield %y : tensor<5xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @if_known_condition_result_type(%x: tensor<4xf32>, %y: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %c = tfm.constant dense<true> : tensor<1xi1>
  // expected-error @+1 {{'tfm.if' op result #0 has type 'tensor<1x4xf32>' but its operands give 'tensor<4xf32>'}}
  %r = tfm.if %c : tensor<1xi1> -> (tensor<1x4xf32>) {
    tfm.yield %x : tensor<4xf32>
  } else {
    tfm.yield %y : tensor<1x4xf32>
  }
  return %r : tensor<1x4xf32>
}

// -----

func.func @if_terminator(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.if' op then branch must end in tfm.yield}}
  %r = "tfm.if"(%c) ({
    "func.return"(%x) : (tensor<4xf32>) -> ()
  }, {
    tfm.yield %x : tensor<4xf32>
  }) : (tensor<i1>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

func.func @yield_parent(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.yield' op expects parent op 'tfm.if'}}
  tfm.yield %x : tensor<4xf32>
}

// -----

func.func @if_two_blocks(%c: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'tfm.if' op region #0 ('thenRegion') failed to verify constraint: region with 1 blocks}}
  %r = "tfm.if"(%c) ({
    tfm.yield %x : tensor<4xf32>
  ^bb1:
    tfm.yield %x : tensor<4xf32>
  }, {
    tfm.yield %x : tensor<4xf32>
  }) : (tensor<i1>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// An optional holds a tensor or a sequence, not a bare element type.
// expected-error @+1 {{an optional holds a ranked tensor or a sequence, not 'f32'}}
func.func @optional_of_scalar(%x: !tfm.optional<f32>) {
  return
}

// -----

func.func @add_sequences(%x: !tfm.sequence<tensor<2xf32>>) {
  // expected-error @+1 {{'tfm.add' op operand #0 must be ranked tensor}}
  %0 = tfm.add %x, %x : (!tfm.sequence<tensor<2xf32>>, !tfm.sequence<tensor<2xf32>>) -> !tfm.sequence<tensor<2xf32>>
  return
}
