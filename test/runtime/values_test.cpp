//===- values_test.cpp - sequence and optional inputs and outputs ---------===//
//
// A fake model with a sequence input (tensors of any rank) and an optional
// tensor input, whose entry returns both as compiled code does: the
// addresses it was given, which tfmrt_keep_value copies into the instance.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

namespace {

int32_t fakeEntry(tfmrt_instance *instance, const tfmrt_tensor *inputs, tfmrt_tensor *outputs) {
  for (int i = 0; i < 2; ++i) {
    int32_t kind = i == 0 ? TFMRT_KIND_SEQUENCE : TFMRT_KIND_OPTIONAL_TENSOR;
    if (int32_t status = tfmrt_keep_value(instance, kind, inputs[i].data, &outputs[i].data))
      return status;
    outputs[i].dtype = inputs[i].dtype;
    outputs[i].rank = inputs[i].rank;
  }
  return TFMRT_OK;
}

const int64_t optionalDims[] = {-1};
const int32_t optionalSymbols[] = {0};
const char *const symbolNames[] = {"n"};
const tfmrt_tensor_desc descs[] = {
    {"seq", TFMRT_DTYPE_F32, -1, nullptr, nullptr, TFMRT_KIND_SEQUENCE},
    {"opt", TFMRT_DTYPE_I64, 1, optionalDims, optionalSymbols, TFMRT_KIND_OPTIONAL_TENSOR},
};
const tfmrt_model model = {TFMRT_ABI_VERSION, 2, 2, 1, "values", "test", descs,
                           descs, symbolNames, fakeEntry};

void testRuns() {
  tfmrt_instance *instance = tfmrt_instance_create(&model, nullptr, nullptr);
  CHECK(instance);
  if (!instance)
    return;
  float a[4] = {1, 2, 3, 4}, b[3] = {5, 6, 7};
  int64_t aShape[2] = {2, 2}, bShape[1] = {3};
  tfmrt_tensor tensors[2] = {test::makeTensor(a, TFMRT_DTYPE_F32, 2, aShape),
                             test::makeTensor(b, TFMRT_DTYPE_F32, 1, bShape)};
  tfmrt_sequence sequence = {2, tensors};
  int64_t ids[3] = {7, 8, 9};
  tfmrt_tensor optional = test::makeTensor(ids, TFMRT_DTYPE_I64, 1, bShape);
  tfmrt_tensor inputs[2] = {test::makeTensor(&sequence, TFMRT_DTYPE_F32, -1, nullptr),
                            test::makeTensor(&optional, TFMRT_DTYPE_I64, 1, bShape)};
  tfmrt_tensor outputs[2];
  CHECK(tfmrt_instance_run(instance, inputs, 2, outputs, 2) == TFMRT_OK);
  a[0] = -1; // the outputs are copies
  ids[2] = -1;
  const auto *out = static_cast<const tfmrt_sequence *>(outputs[0].data);
  CHECK(out && out != &sequence && out->length == 2);
  if (out && out->length == 2) {
    CHECK(out->tensors[0].rank == 2 && out->tensors[0].shape[1] == 2 &&
          static_cast<const float *>(out->tensors[0].data)[0] == 1);
    CHECK(out->tensors[1].rank == 1 && static_cast<const float *>(out->tensors[1].data)[2] == 7);
  }
  const auto *kept = static_cast<const tfmrt_tensor *>(outputs[1].data);
  CHECK(kept && static_cast<const int64_t *>(kept->data)[2] == 9);

  // An absent optional is fine; a NULL sequence is not.
  inputs[1].data = nullptr;
  CHECK(tfmrt_instance_run(instance, inputs, 2, outputs, 2) == TFMRT_OK);
  CHECK(outputs[1].data == nullptr);
  inputs[1].data = &optional;

  tensors[1].dtype = TFMRT_DTYPE_I64;
  CHECK(tfmrt_instance_run(instance, inputs, 2, outputs, 2) == TFMRT_INVALID_ARGUMENT);
  CHECK_STR(tfmrt_instance_error(instance),
            "input 'seq': tensor 1: expected dtype float32, got int64");
  tensors[1].dtype = TFMRT_DTYPE_F32;

  sequence.length = -3;
  CHECK(tfmrt_instance_run(instance, inputs, 2, outputs, 2) == TFMRT_INVALID_ARGUMENT);
  CHECK_STR(tfmrt_instance_error(instance), "input 'seq': a sequence of length -3 with its tensors");
  sequence.length = 2;

  inputs[0].data = nullptr;
  CHECK(tfmrt_instance_run(instance, inputs, 2, outputs, 2) == TFMRT_INVALID_ARGUMENT);
  CHECK_STR(tfmrt_instance_error(instance), "input 'seq': data is NULL, not a tfmrt_sequence");
  inputs[0].data = &sequence;

  optional.rank = 2;
  CHECK(tfmrt_instance_run(instance, inputs, 2, outputs, 2) == TFMRT_INVALID_ARGUMENT);
  CHECK_STR(tfmrt_instance_error(instance), "input 'opt': expected rank 1, got 2");
  tfmrt_instance_destroy(instance);
}

} // namespace

int main() {
  testRuns();
  return test::finish("tfmrt-values-test");
}
