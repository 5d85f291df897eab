/* Runs test_add compiled with --target=cuda (as `add`) once through the
 * generated header, exactly as for the CPU: prints the sum or the error. */
#include "add.h"

#include <stdio.h>

int main(void) {
  const char *error = NULL;
  tfmrt_instance *instance = add_create(NULL, &error);
  if (!instance) {
    printf("create failed: %s\n", error);
    return 1;
  }
  float x[60], y[60];
  for (int i = 0; i < 60; ++i) {
    x[i] = (float)i;
    y[i] = 0.5f * (float)i;
  }
  tfmrt_tensor inputs[2] = {{x, TFMRT_DTYPE_F32, 3, {3, 4, 5}}, {y, TFMRT_DTYPE_F32, 3, {3, 4, 5}}};
  tfmrt_tensor outputs[1];
  int status = 0;
  for (int run = 1; run <= 2 && status == 0; ++run) {
    status = add_run(instance, inputs, outputs);
    if (status == TFMRT_OK)
      printf("run %d: sum[59] = %g\n", run, ((const float *)outputs[0].data)[59]);
    else
      printf("run %d failed (status %d): %s\n", run, status, add_error(instance));
  }
  add_destroy(instance);
  return status;
}
