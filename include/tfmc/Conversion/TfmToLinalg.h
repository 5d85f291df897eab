//===- TfmToLinalg.h - lowering tfm to upstream tensor dialects -*- C++ -*-===//
//
// tfm ops become linalg, tensor, arith, math and scf ops on builtin tensors:
// the point where the CPU and the GPU (PTX) paths still share one program.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_CONVERSION_TFMTOLINALG_H
#define TFMC_CONVERSION_TFMTOLINALG_H

#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

namespace tfmc {

/// Marks a runtime function that takes the `tfmrt_instance *` as its first
/// argument. The lowering declares and calls it without (the instance is
/// not an argument of the model function yet); addInstanceArgument passes
/// it to every call.
constexpr llvm::StringLiteral kTakesInstanceAttr = "tfmrt.takes_instance";

/// Drops `#tfm.dims` encodings, maps ONNX's unsigned integers to signless
/// ones (the ops that care read the signedness off the original op),
/// strings to `index` (the address of each element's text), and sequences
/// and optionals to `!llvm.ptr` (the address of the tfmrt value).
class TfmTypeConverter : public mlir::TypeConverter {
public:
  TfmTypeConverter();
};

#define GEN_PASS_DECL
#include "Conversion/Passes.h.inc"

/// Every tfm op's lowering, one family per file in lib/Conversion/TfmToLinalg,
/// with the pass's options.
void populateTfmToLinalgPatterns(const TfmTypeConverter &converter,
                                 mlir::RewritePatternSet &patterns,
                                 const ConvertTfmToLinalgOptions &options = {});

#define GEN_PASS_REGISTRATION
#include "Conversion/Passes.h.inc"

} // namespace tfmc

#endif // TFMC_CONVERSION_TFMTOLINALG_H
