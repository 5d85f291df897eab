// Two compiled models (model_a and model_b, the same network compiled under
// two names) and two instances of model_a, run from three threads at once.
// Every run must reproduce the outputs a single-threaded run gave for the
// same inputs; built with ThreadSanitizer, any data race fails the test.
#include "model_a.h"
#include "model_b.h"

#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

namespace {

struct Case {
  int64_t sequence;
  std::vector<int64_t> ids, mask;
  std::vector<float> expected;
};

tfmrt_tensor int64Tensor(std::vector<int64_t> &data, int64_t sequence) {
  tfmrt_tensor t{};
  t.data = data.data();
  t.dtype = TFMRT_DTYPE_I64;
  t.rank = 2;
  t.shape[0] = 1;
  t.shape[1] = sequence;
  return t;
}

using RunFn = tfmrt_status (*)(tfmrt_instance *, const tfmrt_tensor *, tfmrt_tensor *);

bool runCase(tfmrt_instance *instance, RunFn run, Case &c, std::vector<float> &out) {
  tfmrt_tensor inputs[2] = {int64Tensor(c.ids, c.sequence), int64Tensor(c.mask, c.sequence)};
  tfmrt_tensor outputs[1];
  if (run(instance, inputs, outputs) != TFMRT_OK)
    return false;
  const float *data = static_cast<const float *>(outputs[0].data);
  out.assign(data, data + outputs[0].shape[0] * outputs[0].shape[1] * outputs[0].shape[2]);
  return true;
}

} // namespace

int main() {
  std::vector<Case> cases;
  for (int64_t sequence : {3, 9, 5, 16}) {
    Case c{sequence, {}, std::vector<int64_t>(sequence, 1), {}};
    for (int64_t i = 0; i < sequence; ++i)
      c.ids.push_back((i * 5 + sequence) % 32);
    cases.push_back(c);
  }
  tfmrt_options options{2};
  tfmrt_instance *reference = model_a_create(&options, nullptr);
  for (Case &c : cases)
    if (!runCase(reference, model_a_run, c, c.expected)) {
      std::fprintf(stderr, "reference run failed: %s\n", model_a_error(reference));
      return 1;
    }
  model_a_destroy(reference);

  tfmrt_instance *a1 = model_a_create(&options, nullptr);
  tfmrt_instance *a2 = model_a_create(&options, nullptr);
  tfmrt_instance *b = model_b_create(&options, nullptr);
  int failures[3] = {0, 0, 0};
  auto worker = [&](int index, tfmrt_instance *instance, RunFn run) {
    std::vector<float> out;
    for (int iteration = 0; iteration < 30; ++iteration) {
      Case c = cases[(iteration + index) % cases.size()];
      if (!runCase(instance, run, c, out) || out != c.expected)
        ++failures[index];
    }
  };
  std::thread t1(worker, 0, a1, model_a_run), t2(worker, 1, a2, model_a_run),
      t3(worker, 2, b, model_b_run);
  t1.join();
  t2.join();
  t3.join();
  model_a_destroy(a1);
  model_a_destroy(a2);
  model_b_destroy(b);
  std::printf("failures: %d %d %d\n", failures[0], failures[1], failures[2]);
  return failures[0] + failures[1] + failures[2] == 0 ? 0 : 1;
}
