// RUN: tfmc-opt %s --split-input-file | tfmc-opt --split-input-file | FileCheck %s
// RUN: tfmc-opt %s --split-input-file --mlir-print-op-generic | tfmc-opt --split-input-file | FileCheck %s

// Round trip of the tfm types and attributes: !tfm.string, !tfm.sequence,
// !tfm.optional, the #tfm.dims tensor encoding and the gelu_approx /
// mask_kind enums.

// CHECK-LABEL: func.func @string_type
// CHECK-SAME: (%arg0: tensor<!tfm.string>, %arg1: tensor<2x?x!tfm.string, #tfm.dims<["n"]>>) -> tensor<2x?x!tfm.string, #tfm.dims<["n"]>>
// CHECK: tfm.identity %arg1 : (tensor<2x?x!tfm.string, #tfm.dims<["n"]>>) -> tensor<2x?x!tfm.string, #tfm.dims<["n"]>>
func.func @string_type(%s: tensor<!tfm.string>, %t: tensor<2x?x!tfm.string, #tfm.dims<["n"]>>)
    -> tensor<2x?x!tfm.string, #tfm.dims<["n"]>> {
  %0 = tfm.identity %t : (tensor<2x?x!tfm.string, #tfm.dims<["n"]>>) -> tensor<2x?x!tfm.string, #tfm.dims<["n"]>>
  return %0 : tensor<2x?x!tfm.string, #tfm.dims<["n"]>>
}

// -----

// Sequences (of ranked or unranked tensors) and optionals pass through
// Identity.
// CHECK-LABEL: func.func @sequence_and_optional
// CHECK-SAME: (%arg0: !tfm.sequence<tensor<*xf32>>, %arg1: !tfm.optional<!tfm.sequence<tensor<5xf32>>>, %arg2: !tfm.optional<tensor<2x?xi64, #tfm.dims<["n"]>>>)
// CHECK: tfm.identity %arg0 : (!tfm.sequence<tensor<*xf32>>) -> !tfm.sequence<tensor<*xf32>>
// CHECK: tfm.identity %arg1 : (!tfm.optional<!tfm.sequence<tensor<5xf32>>>) -> !tfm.optional<!tfm.sequence<tensor<5xf32>>>
func.func @sequence_and_optional(%s: !tfm.sequence<tensor<*xf32>>,
                                 %o: !tfm.optional<!tfm.sequence<tensor<5xf32>>>,
                                 %t: !tfm.optional<tensor<2x?xi64, #tfm.dims<["n"]>>>)
    -> (!tfm.sequence<tensor<*xf32>>, !tfm.optional<!tfm.sequence<tensor<5xf32>>>,
        !tfm.optional<tensor<2x?xi64, #tfm.dims<["n"]>>>) {
  %0 = tfm.identity %s : (!tfm.sequence<tensor<*xf32>>) -> !tfm.sequence<tensor<*xf32>>
  %1 = tfm.identity %o : (!tfm.optional<!tfm.sequence<tensor<5xf32>>>) -> !tfm.optional<!tfm.sequence<tensor<5xf32>>>
  return %0, %1, %t : !tfm.sequence<tensor<*xf32>>, !tfm.optional<!tfm.sequence<tensor<5xf32>>>,
                      !tfm.optional<tensor<2x?xi64, #tfm.dims<["n"]>>>
}

// -----

// The string type on its own, outside a tensor.
// CHECK-LABEL: func.func @string_attr
// CHECK-SAME: tfm.type = !tfm.string
func.func @string_attr() attributes {tfm.type = !tfm.string} {
  return
}

// -----

// One expression per dynamic dim, in order; static dims are not listed.
// CHECK-LABEL: func.func @dims_encoding
// CHECK-SAME: %arg0: tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>
// CHECK-SAME: %arg1: tensor<?x12x?x64xf16, #tfm.dims<["batch", "seq + 1"]>>
// CHECK-SAME: %arg2: tensor<?xi64, #tfm.dims<["2*batch"]>>
// CHECK-SAME: %arg3: tensor<?x4x?xi1, #tfm.dims<["2*batch*seq + seq + 1", "seq - 1"]>>
func.func @dims_encoding(%a: tensor<?x?x768xf32, #tfm.dims<["batch", "seq"]>>,
                         %b: tensor<?x12x?x64xf16, #tfm.dims<["batch", "seq + 1"]>>,
                         %c: tensor<?xi64, #tfm.dims<["2*batch"]>>,
                         %d: tensor<?x4x?xi1, #tfm.dims<["2*batch*seq + seq + 1", "seq - 1"]>>) {
  return
}

// -----

// "?" marks a dynamic dim with no known expression; names may hold dots and
// underscores (sanitized ONNX dim_params).
// CHECK-LABEL: func.func @dims_unknown_and_names
// CHECK-SAME: %arg0: tensor<?x?xf32, #tfm.dims<["?", "past_sequence_length"]>>
// CHECK-SAME: %arg1: tensor<?x?xf32, #tfm.dims<["batch_size", "_0.seq"]>>
func.func @dims_unknown_and_names(%a: tensor<?x?xf32, #tfm.dims<["?", "past_sequence_length"]>>,
                                  %b: tensor<?x?xf32, #tfm.dims<["batch_size", "_0.seq"]>>) {
  return
}

// -----

// The expressions are kept as written (only parsed to check them), so a
// spelling without spaces round-trips unchanged.
// CHECK-LABEL: func.func @dims_verbatim
// CHECK-SAME: tensor<?xf32, #tfm.dims<["seq+1"]>>
// CHECK-SAME: tensor<?xf32, #tfm.dims<["seq + 1"]>>
func.func @dims_verbatim(%a: tensor<?xf32, #tfm.dims<["seq+1"]>>, %b: tensor<?xf32, #tfm.dims<["seq + 1"]>>) {
  return
}

// -----

// Shape inference reads the encoding: the sum's name comes from its operands.
// CHECK-LABEL: func.func @dims_inferred
// CHECK: tfm.concat %arg0, %arg1 {axis = 0 : si64} : (tensor<?xf32, #tfm.dims<["2*batch"]>>, tensor<?xf32, #tfm.dims<["batch + 1"]>>) -> tensor<?xf32, #tfm.dims<["3*batch + 1"]>>
func.func @dims_inferred(%a: tensor<?xf32, #tfm.dims<["2*batch"]>>, %b: tensor<?xf32, #tfm.dims<["batch + 1"]>>)
    -> tensor<?xf32, #tfm.dims<["3*batch + 1"]>> {
  %0 = tfm.concat %a, %b {axis = 0 : si64} : (tensor<?xf32, #tfm.dims<["2*batch"]>>, tensor<?xf32, #tfm.dims<["batch + 1"]>>) -> tensor<?xf32, #tfm.dims<["3*batch + 1"]>>
  return %0 : tensor<?xf32, #tfm.dims<["3*batch + 1"]>>
}

// -----

// #tfm.dims is also an ordinary attribute.
// CHECK-LABEL: func.func @dims_attr
// CHECK-SAME: tfm.dims = #tfm.dims<["batch", "seq + 1"]>
func.func @dims_attr() attributes {tfm.dims = #tfm.dims<["batch", "seq + 1"]>} {
  return
}

// -----

// Every enumerant of the two enum attributes.
// CHECK-LABEL: func.func @enums
// CHECK-SAME: tfm.gelu = [#tfm<gelu_approx none>, #tfm<gelu_approx tanh>, #tfm<gelu_approx sigmoid>]
// CHECK-SAME: tfm.masks = [#tfm<mask_kind none>, #tfm<mask_kind key_padding>, #tfm<mask_kind key_lengths>, #tfm<mask_kind key_bounds>, #tfm<mask_kind query_key>, #tfm<mask_kind additive>, #tfm<mask_kind megatron>, #tfm<mask_kind key_last_index>]
func.func @enums() attributes {
    tfm.gelu = [#tfm<gelu_approx none>, #tfm<gelu_approx tanh>, #tfm<gelu_approx sigmoid>],
    tfm.masks = [#tfm<mask_kind none>, #tfm<mask_kind key_padding>, #tfm<mask_kind key_lengths>,
                 #tfm<mask_kind key_bounds>, #tfm<mask_kind query_key>, #tfm<mask_kind additive>,
                 #tfm<mask_kind megatron>, #tfm<mask_kind key_last_index>]} {
  return
}
