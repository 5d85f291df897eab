//===- Reduction.cpp - reductions, softmax, arg max, top-k, cumulative sums ===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;

void lowering::populateReductionPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns) {}
