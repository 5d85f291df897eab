//===- Quant.cpp - quantize and dequantize ===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;

void lowering::populateQuantPatterns(const TypeConverter &converter,
                                     RewritePatternSet &patterns) {}
