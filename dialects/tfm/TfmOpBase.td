//===- TfmOpBase.td - base classes and type constraints ---*- tablegen -*-===//

#ifndef TFM_OP_BASE_TD
#define TFM_OP_BASE_TD

include "TfmBase.td"
include "TfmInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Element types, as ONNX names them: signed integers are signless (i8..i64),
// unsigned ones are `ui8`..`ui64`, bool is i1.
def Tfm_FloatElt : AnyTypeOf<[F16, BF16, F32, F64]>;
def Tfm_SignedElt : AnyTypeOf<[I8, I16, I32, I64]>;
def Tfm_UnsignedElt : AnyTypeOf<[UI8, UI16, UI32, UI64]>;
def Tfm_IntElt : AnyTypeOf<[Tfm_SignedElt, Tfm_UnsignedElt]>;
def Tfm_NumericElt : AnyTypeOf<[Tfm_FloatElt, Tfm_IntElt]>;
def Tfm_AnyElt : AnyTypeOf<[Tfm_NumericElt, I1, Tfm_StringType]>;

def Tfm_FloatTensor : RankedTensorOf<[Tfm_FloatElt]>;
def Tfm_SignedTensor : RankedTensorOf<[Tfm_FloatElt, Tfm_SignedElt]>;
def Tfm_NumericTensor : RankedTensorOf<[Tfm_NumericElt]>;
def Tfm_BoolTensor : RankedTensorOf<[I1]>;
def Tfm_AnyTensor : RankedTensorOf<[Tfm_AnyElt]>;
// A value of any ONNX type tfm has: tensor, sequence or optional.
def Tfm_AnyValue : AnyTypeOf<[Tfm_AnyTensor, Tfm_SequenceType, Tfm_OptionalType]>;
def Tfm_IndexTensor : RankedTensorOf<[I32, I64]>;
def Tfm_I64Tensor : RankedTensorOf<[I64]>;
def Tfm_I64Scalar : 0DTensorOf<[I64]>,
    BuildableType<"::mlir::RankedTensorType::get({}, $_builder.getI64Type())">;
def Tfm_QuantTensor : RankedTensorOf<[I8, UI8, I16, UI16, I32]>;

// Every tfm op is pure and infers its result types. Ops that name no shape
// rule of their own use the one their marker trait selects.
class Tfm_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tfm_Dialect, mnemonic, !listconcat([Pure], traits)> {
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

class Tfm_RuleOp<string mnemonic, list<Trait> traits = []>
    : Tfm_Op<mnemonic, !listconcat([Tfm_ShapeInferenceOpInterface], traits)>;

class Tfm_InferOp<string mnemonic, list<Trait> traits = []>
    : Tfm_Op<mnemonic, !listconcat([DeclareOpInterfaceMethods<
          Tfm_ShapeInferenceOpInterface, ["inferResultTypes"]>], traits)>;

#endif // TFM_OP_BASE_TD
