// tfmrt_dropout_mask draws what numpy's RandomState(0).uniform draws:
// 0.5488135, 0.71518937, 0.60276338, 0.54488318, ...
#include "TestUtil.h"

#include "tfmrt/tfmrt.h"

int main() {
  uint8_t mask[4];
  tfmrt_dropout_mask(mask, 4, 0.549, 0);
  CHECK(mask[0] == 0 && mask[1] == 1 && mask[2] == 1 && mask[3] == 0);
  tfmrt_dropout_mask(mask, 4, 0.548, 0);
  CHECK(mask[0] == 1 && mask[3] == 0);
  tfmrt_dropout_mask(mask, 4, 0.0, 0);
  CHECK(mask[0] == 1 && mask[1] == 1 && mask[2] == 1 && mask[3] == 1);
  return test::finish("tfmrt-random-test");
}
