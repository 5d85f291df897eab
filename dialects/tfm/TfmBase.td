//===- TfmBase.td - the tfm dialect, its types and attributes -*- tablegen -*-===//
//
// tfm models a transformer graph as ONNX describes it, one op per ONNX operator
// (latest-opset semantics), plus the high-level ops that fusion produces and
// that ONNX Runtime's contrib ops map onto (attention, layer_norm, rms_norm,
// gelu, rotary_embedding).
//
//===----------------------------------------------------------------------===//

#ifndef TFM_BASE_TD
#define TFM_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/TensorEncoding.td"

def Tfm_Dialect : Dialect {
  let name = "tfm";
  let cppNamespace = "::tfmc::tfm";
  let summary = "Transformer graphs as imported from ONNX";
  let description = [{
    Values are builtin ranked tensors. A dynamic dimension may carry a
    symbolic name (`batch`, `sequence + 1`) in a `#tfm.dims` encoding, so
    shape inference can prove that two dynamic dimensions are equal.
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasCanonicalizer = 1;
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    void registerTypes();
    void registerAttributes();
  }];
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

class Tfm_Type<string name, string typeMnemonic> : TypeDef<Tfm_Dialect, name> {
  let mnemonic = typeMnemonic;
}

def Tfm_StringType : Tfm_Type<"String", "string"> {
  let summary = "ONNX string element type";
  let description = [{
    Element type of ONNX `tensor(string)`. Only data movement, Cast and Equal
    accept it.
  }];
}

def Tfm_SequenceType : Tfm_Type<"Sequence", "sequence"> {
  let summary = "ONNX sequence(tensor): any number of tensors of one type";
  let description = [{
    `!tfm.sequence<tensor<5xf32>>`, `!tfm.sequence<tensor<*xf32>>`. Only
    Identity (and graph inputs and outputs) take sequences. The tensors of
    one sequence share the element type; their shapes may differ where the
    type is dynamic or unranked.
  }];
  let parameters = (ins "::mlir::TensorType":$tensorType);
  let assemblyFormat = "`<` $tensorType `>`";
}

def Tfm_OptionalType : Tfm_Type<"Optional", "optional"> {
  let summary = "ONNX optional(T): a tensor or a sequence, or none";
  let description = [{
    `!tfm.optional<tensor<3xf32>>` or `!tfm.optional<!tfm.sequence<...>>`.
  }];
  let parameters = (ins "::mlir::Type":$valueType);
  let assemblyFormat = "`<` $valueType `>`";
  let genVerifyDecl = 1;
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

class Tfm_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Tfm_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Tfm_DimsAttr : Tfm_Attr<"Dims", "dims",
    [DeclareAttrInterfaceMethods<VerifiableTensorEncoding>]> {
  let summary = "symbolic names of a tensor's dynamic dimensions";
  let description = [{
    A tensor encoding listing, for each dynamic (`?`) dimension in order, its
    symbolic expression: a polynomial over named symbols with integer
    coefficients (`batch`, `seq + 1`, `2*batch*heads`). `?` marks a dimension
    with no known expression.

    ```mlir
    tensor<?x?x768xf32, #tfm.dims<["batch", "sequence"]>>
    ```
  }];
  let parameters = (ins ArrayRefParameter<"::mlir::StringAttr">:$exprs);
  let assemblyFormat = "`<` `[` $exprs `]` `>`";
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Tfm_GeluApprox : I32EnumAttr<"GeluApproximation", "GELU formula", [
    I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"tanh", 1>,
    I32EnumAttrCase<"sigmoid", 2>]> {
  let cppNamespace = "::tfmc::tfm";
  let genSpecializedAttr = 0;
}

def Tfm_MaskKind : I32EnumAttr<"MaskKind", "how tfm.attention reads its mask", [
    I32EnumAttrCase<"none", 0>,
    // [B, T] of 1 (attend) / 0 (skip), any integer or float type.
    I32EnumAttrCase<"key_padding", 1>,
    // [B] valid key count per batch (right padding).
    I32EnumAttrCase<"key_lengths", 2>,
    // [2B]: end positions then start positions (left and right padding).
    I32EnumAttrCase<"key_bounds", 3>,
    // [B, S, T] of 1/0.
    I32EnumAttrCase<"query_key", 4>,
    // Float tensor broadcastable to [B, H, S, T], added to the scores.
    I32EnumAttrCase<"additive", 5>,
    // [B, 1, M, M] of 1/0 (Megatron style), sliced to the past/current window.
    I32EnumAttrCase<"megatron", 6>,
    // [B] int32 index of the last valid key (GroupQueryAttention's seqlens_k).
    I32EnumAttrCase<"key_last_index", 7>]> {
  let cppNamespace = "::tfmc::tfm";
  let genSpecializedAttr = 0;
}

def Tfm_GeluApproxAttr : EnumAttr<Tfm_Dialect, Tfm_GeluApprox, "gelu_approx">;
def Tfm_MaskKindAttr : EnumAttr<Tfm_Dialect, Tfm_MaskKind, "mask_kind">;

#endif // TFM_BASE_TD
