//===- Convolution.cpp - convolution, pooling and batch normalization ===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;

void lowering::populateConvolutionPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns) {}
