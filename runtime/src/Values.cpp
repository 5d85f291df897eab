//===- Values.cpp - sequence and optional outputs -------------------------===//
//
// Compiled code hands back a sequence or optional output as the address of
// its value, which may be an input's: the instance keeps a deep copy, as it
// keeps every output, until its next run.
//
//===----------------------------------------------------------------------===//

#include "Instance.h"

#include <cstring>

namespace {

/// `from` with its data copied into the instance (strings too).
bool copyTensor(tfmrt_instance *instance, const tfmrt_tensor &from, tfmrt_tensor &to) {
  to = from;
  if (from.rank < 0 || from.rank > TFMRT_MAX_RANK)
    return false;
  int64_t elements = 1;
  for (int32_t d = 0; d < from.rank; ++d)
    elements *= from.shape[d];
  int64_t bytes = elements * int64_t(tfmrt_dtype_size(from.dtype));
  void *data = tfmrt_alloc(instance, bytes);
  if (!data)
    return false;
  if (bytes)
    std::memcpy(data, from.data, size_t(bytes));
  to.data = data;
  if (from.dtype == TFMRT_DTYPE_STRING)
    return tfmrt_keep_strings(instance, static_cast<const char **>(data), elements) == TFMRT_OK;
  return true;
}

} // namespace

extern "C" int32_t tfmrt_keep_value(tfmrt_instance *instance, int32_t kind, const void *value,
                                    void **copy) {
  *copy = nullptr;
  if (!value)
    return TFMRT_OK; // an absent optional
  if (kind == TFMRT_KIND_OPTIONAL_TENSOR) {
    auto *tensor = static_cast<tfmrt_tensor *>(tfmrt_alloc(instance, sizeof(tfmrt_tensor)));
    if (!tensor || !copyTensor(instance, *static_cast<const tfmrt_tensor *>(value), *tensor))
      return TFMRT_OUT_OF_MEMORY;
    *copy = tensor;
    return TFMRT_OK;
  }
  const auto &from = *static_cast<const tfmrt_sequence *>(value);
  auto *sequence = static_cast<tfmrt_sequence *>(tfmrt_alloc(instance, sizeof(tfmrt_sequence)));
  auto *tensors = static_cast<tfmrt_tensor *>(
      tfmrt_alloc(instance, from.length * int64_t(sizeof(tfmrt_tensor))));
  if (!sequence || !tensors)
    return TFMRT_OUT_OF_MEMORY;
  for (int64_t i = 0; i < from.length; ++i)
    if (!copyTensor(instance, from.tensors[i], tensors[i]))
      return TFMRT_OUT_OF_MEMORY;
  sequence->length = from.length;
  sequence->tensors = tensors;
  *copy = sequence;
  return TFMRT_OK;
}
