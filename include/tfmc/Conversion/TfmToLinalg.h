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

/// Drops `#tfm.dims` encodings and maps ONNX's unsigned integers to signless
/// ones (the ops that care read the signedness off the original op).
class TfmTypeConverter : public mlir::TypeConverter {
public:
  TfmTypeConverter();
};

/// Every tfm op's lowering, one family per file in lib/Conversion/TfmToLinalg.
void populateTfmToLinalgPatterns(const TfmTypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);

#define GEN_PASS_DECL
#include "Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Conversion/Passes.h.inc"

} // namespace tfmc

#endif // TFMC_CONVERSION_TFMTOLINALG_H
