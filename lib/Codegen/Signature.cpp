//===- Signature.cpp - the model's inputs and outputs for the ABI ---------===//

#include "tfmc/Codegen/Compiler.h"
#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"
#include "tfmrt/tfmrt.h"

using namespace mlir;
using namespace tfmc;

/// ONNX TensorProto numbering, shared with tfmrt_dtype.
static int32_t dtypeOf(Type element) {
  if (element.isF32()) return 1;
  if (element.isF16()) return 10;
  if (element.isBF16()) return 16;
  if (element.isF64()) return 11;
  if (element.isInteger(1)) return 9;
  if (isa<tfm::StringType>(element)) return 8;
  auto intType = dyn_cast<IntegerType>(element);
  if (!intType)
    return 0;
  bool u = intType.isUnsigned();
  switch (intType.getWidth()) {
  case 8: return u ? 2 : 3;
  case 16: return u ? 4 : 5;
  case 32: return u ? 12 : 6;
  case 64: return u ? 13 : 7;
  default: return 0;
  }
}

func::FuncOp tfmc::getModelFunction(ModuleOp module) {
  func::FuncOp model;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      model = func;
  return model;
}

FailureOr<ModelSignature> tfmc::readSignature(func::FuncOp model, StringRef name) {
  ModelSignature signature;
  signature.name = name.str();
  auto describe = [&](Type type, StringAttr tensorName, Twine fallback,
                      TensorSignature &out) -> LogicalResult {
    out.name = tensorName ? tensorName.str() : fallback.str();
    // Sequences and optionals are described by their tensors.
    bool optional = false;
    if (auto optionalType = dyn_cast<tfm::OptionalType>(type)) {
      optional = true;
      type = optionalType.getValueType();
    }
    out.kind = optional ? TFMRT_KIND_OPTIONAL_TENSOR : TFMRT_KIND_TENSOR;
    if (auto sequence = dyn_cast<tfm::SequenceType>(type)) {
      out.kind = optional ? TFMRT_KIND_OPTIONAL_SEQUENCE : TFMRT_KIND_SEQUENCE;
      type = sequence.getTensorType();
    }
    auto tensorType = dyn_cast<TensorType>(type);
    if (!tensorType || (out.kind != TFMRT_KIND_SEQUENCE &&
                        out.kind != TFMRT_KIND_OPTIONAL_SEQUENCE && !tensorType.hasRank()))
      return model.emitError() << "'" << out.name << "' is not a ranked tensor";
    out.dtype = dtypeOf(tensorType.getElementType());
    if (!out.dtype)
      return model.emitError() << "'" << out.name << "' has element type "
                               << tensorType.getElementType() << ", which tfmrt cannot pass";
    out.ranked = tensorType.hasRank();
    if (!out.ranked)
      return success();
    for (const tfm::Dim &dim : tfm::getDims(type)) {
      out.dims.push_back(dim.getStaticOr(-1));
      int32_t symbol = -1;
      std::string dimName;
      if (!dim.isStatic() && dim.isKnown()) {
        dimName = dim.print();
        // Only a plain symbol can be checked by the runtime before a run.
        if (*dim.getExpr() == tfm::SymExpr::symbol(dimName)) {
          auto it = llvm::find(signature.symbols, dimName);
          symbol = it - signature.symbols.begin();
          if (it == signature.symbols.end())
            signature.symbols.push_back(dimName);
        }
      }
      out.symbols.push_back(symbol);
      out.dimNames.push_back(dimName);
    }
    return success();
  };
  FunctionType type = model.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    TensorSignature input;
    if (failed(describe(type.getInput(i), model.getArgAttrOfType<StringAttr>(i, "tfm.name"),
                        "input_" + Twine(i), input)))
      return failure();
    // The runtime binds symbols from tensors, not from a sequence's tensors.
    if (input.kind == TFMRT_KIND_SEQUENCE || input.kind == TFMRT_KIND_OPTIONAL_SEQUENCE)
      input.symbols.assign(input.dims.size(), -1);
    signature.inputs.push_back(std::move(input));
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    TensorSignature output;
    if (failed(describe(type.getResult(i),
                        model.getResultAttrOfType<StringAttr>(i, "tfm.name"),
                        "output_" + Twine(i), output)))
      return failure();
    // Symbols are checked on inputs only; outputs just report their sizes.
    output.symbols.assign(output.dims.size(), -1);
    signature.outputs.push_back(std::move(output));
  }
  return signature;
}
