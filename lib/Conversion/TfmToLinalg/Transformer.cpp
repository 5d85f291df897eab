//===- Transformer.cpp - layer_norm, rms_norm, attention and rotary embeddings ===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;

void lowering::populateTransformerPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns) {}
