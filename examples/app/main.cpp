// Runs the tiny BERT example at two sequence lengths from one compiled
// object, then shows the error a malformed input gets.
#include "tiny_bert.h"

#include <cmath>
#include <cstdio>
#include <vector>

namespace {

tfmrt_tensor int64Tensor(std::vector<int64_t> &data, int64_t batch, int64_t sequence) {
  tfmrt_tensor t{};
  t.data = data.data();
  t.dtype = TFMRT_DTYPE_I64;
  t.rank = 2;
  t.shape[0] = batch;
  t.shape[1] = sequence;
  return t;
}

/// Runs one batch; returns false (and says why) when the run fails.
bool runOnce(tfmrt_instance *model, int64_t batch, int64_t sequence) {
  std::vector<int64_t> ids(batch * sequence), mask(batch * sequence, 1);
  for (size_t i = 0; i < ids.size(); ++i)
    ids[i] = static_cast<int64_t>((i * 7 + 3) % 32);
  tfmrt_tensor inputs[tiny_bert_num_inputs] = {int64Tensor(ids, batch, sequence),
                                               int64Tensor(mask, batch, sequence)};
  tfmrt_tensor outputs[tiny_bert_num_outputs];
  if (tiny_bert_run(model, inputs, outputs) != TFMRT_OK) {
    std::fprintf(stderr, "run failed: %s\n", tiny_bert_error(model));
    return false;
  }
  const tfmrt_tensor &hidden = outputs[0];
  const float *values = static_cast<const float *>(hidden.data);
  double sum = 0;
  int64_t count = hidden.shape[0] * hidden.shape[1] * hidden.shape[2];
  for (int64_t i = 0; i < count; ++i)
    sum += values[i];
  std::printf("%s: [%lld, %lld, %lld], mean %.6f\n", tiny_bert_output_name(0),
              (long long)hidden.shape[0], (long long)hidden.shape[1],
              (long long)hidden.shape[2], sum / count);
  return hidden.shape[0] == batch && hidden.shape[1] == sequence && std::isfinite(sum);
}

} // namespace

int main() {
  std::printf("tiny_bert compiled by tfmc %s; inputs:", tiny_bert_compiler_version());
  for (size_t i = 0; i < tiny_bert_num_inputs; ++i)
    std::printf(" %s", tiny_bert_input_name(i));
  std::printf("\n");

  tfmrt_options options{/*num_threads=*/2};
  const char *error = nullptr;
  tfmrt_instance *model = tiny_bert_create(&options, &error);
  if (!model) {
    std::fprintf(stderr, "create failed: %s\n", error);
    return 1;
  }
  bool ok = runOnce(model, 1, 5) && runOnce(model, 2, 11);

  // A mask whose sequence length disagrees with the ids' is refused, by name.
  std::vector<int64_t> ids(6, 1), mask(5, 1);
  tfmrt_tensor inputs[] = {int64Tensor(ids, 1, 6), int64Tensor(mask, 1, 5)};
  tfmrt_tensor outputs[tiny_bert_num_outputs];
  bool refused = tiny_bert_run(model, inputs, outputs) == TFMRT_INVALID_ARGUMENT;
  std::printf("mismatched mask: %s\n", refused ? tiny_bert_error(model) : "accepted!");
  tiny_bert_destroy(model);
  return ok && refused ? 0 : 1;
}
