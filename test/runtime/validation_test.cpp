//===- validation_test.cpp - tfmrt_instance_run's input checks ------------===//
//
// A hand-written fake model: attention_mask [batch, sequence] int64,
// input_ids [batch, sequence] int64, x [batch, ?, 8] float32; one output.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <string>
#include <thread>

namespace {

int entryCalls = 0;
int32_t entryStatus = TFMRT_OK;
int32_t outputDtype = TFMRT_DTYPE_F32;
bool reenter = false;
tfmrt_status reenterStatus = TFMRT_OK;

// Writes the sum of x into a scalar output taken from the arena.
int32_t fakeEntry(tfmrt_instance *instance, const tfmrt_tensor *inputs, tfmrt_tensor *outputs) {
  ++entryCalls;
  if (reenter) { // a second run on a running instance is refused
    tfmrt_tensor out{};
    reenterStatus = tfmrt_instance_run(instance, inputs, 3, &out, 1);
  }
  if (entryStatus != TFMRT_OK)
    return entryStatus;
  const tfmrt_tensor &x = inputs[2];
  int64_t count = x.shape[0] * x.shape[1] * x.shape[2];
  auto *sum = static_cast<float *>(tfmrt_alloc(instance, sizeof(float)));
  if (!sum)
    return TFMRT_OUT_OF_MEMORY;
  *sum = 0;
  for (int64_t i = 0; i < count; ++i)
    *sum += static_cast<const float *>(x.data)[i];
  outputs[0] = test::makeTensor(sum, tfmrt_dtype(outputDtype), 0, nullptr);
  return TFMRT_OK;
}

const int64_t maskDims[] = {-1, -1};
const int32_t maskSymbols[] = {0, 1};
const int64_t xDims[] = {-1, -1, 8};
const int32_t xSymbols[] = {0, -1, -1};
const char *const symbolNames[] = {"batch", "sequence"};
const tfmrt_tensor_desc inputDescs[] = {
    {"attention_mask", TFMRT_DTYPE_I64, 2, maskDims, maskSymbols},
    {"input_ids", TFMRT_DTYPE_I64, 2, maskDims, maskSymbols},
    {"x", TFMRT_DTYPE_F32, 3, xDims, xSymbols},
};
const tfmrt_tensor_desc outputDescs[] = {{"sum", TFMRT_DTYPE_F32, 0, nullptr, nullptr}};
const tfmrt_model model = {TFMRT_ABI_VERSION, 3, 1, 2, "fake", "test", inputDescs,
                           outputDescs, symbolNames, fakeEntry};

struct Inputs {
  int64_t ids[2 * 7] = {};
  int64_t mask[2 * 7] = {};
  float x[2 * 3 * 8] = {};
  tfmrt_tensor tensors[3];

  // Valid inputs for batch 2, sequence 5, x's second dimension 3.
  Inputs() {
    for (int i = 0; i < 48; ++i)
      x[i] = 0.5f;
    int64_t ms[] = {2, 5}, xs[] = {2, 3, 8};
    tensors[0] = test::makeTensor(mask, TFMRT_DTYPE_I64, 2, ms);
    tensors[1] = test::makeTensor(ids, TFMRT_DTYPE_I64, 2, ms);
    tensors[2] = test::makeTensor(x, TFMRT_DTYPE_F32, 3, xs);
  }
};

// Runs and checks the status and error message; the entry must not run.
void expectError(tfmrt_instance *instance, Inputs &in, size_t numInputs, size_t numOutputs,
                 const char *message) {
  tfmrt_tensor outputs[2] = {};
  int before = entryCalls;
  tfmrt_status status = tfmrt_instance_run(instance, in.tensors, numInputs, outputs, numOutputs);
  CHECK(status == TFMRT_INVALID_ARGUMENT);
  CHECK(entryCalls == before);
  CHECK_STR(tfmrt_instance_error(instance), message);
}

void testRunValidation() {
  const char *error = "unset";
  tfmrt_options options{1};
  tfmrt_instance *instance = tfmrt_instance_create(&model, &options, &error);
  CHECK(instance && error == nullptr);
  if (!instance)
    return;
  CHECK_STR(tfmrt_instance_error(instance), "");

  {
    Inputs in;
    tfmrt_tensor out{};
    CHECK(tfmrt_instance_run(instance, in.tensors, 3, &out, 1) == TFMRT_OK);
    CHECK(out.dtype == TFMRT_DTYPE_F32 && out.rank == 0 && out.data &&
          *static_cast<float *>(out.data) == 24.0f);
    CHECK_STR(tfmrt_instance_error(instance), "");
  }
  {
    Inputs in;
    expectError(instance, in, 1, 1, "expected 3 inputs, got 1");
    expectError(instance, in, 3, 2, "expected 1 output, got 2");
  }
  {
    Inputs in;
    in.tensors[2].dtype = TFMRT_DTYPE_I64;
    expectError(instance, in, 3, 1, "input 'x': expected dtype float32, got int64");
    in.tensors[2].dtype = 99;
    expectError(instance, in, 3, 1, "input 'x': expected dtype float32, got unknown");
  }
  {
    Inputs in;
    in.tensors[2].rank = 2;
    expectError(instance, in, 3, 1, "input 'x': expected rank 3, got 2");
  }
  {
    Inputs in;
    in.tensors[2].shape[2] = 7;
    expectError(instance, in, 3, 1, "input 'x': expected dimension 2 to be 8, got 7");
  }
  {
    Inputs in;
    in.tensors[1].shape[1] = 7;
    expectError(instance, in, 3, 1,
                "input 'input_ids': dimension 1 is 7 but 'sequence' is 5 from input "
                "'attention_mask'");
    // The same symbol across different dimensions of different inputs.
    Inputs in2;
    in2.tensors[2].shape[0] = 1;
    expectError(instance, in2, 3, 1,
                "input 'x': dimension 0 is 1 but 'batch' is 2 from input 'attention_mask'");
  }
  {
    Inputs in;
    in.tensors[0].shape[0] = -2;
    expectError(instance, in, 3, 1, "input 'attention_mask': dimension 0 is -2, a size must be >= 0");
  }
  {
    Inputs in;
    in.tensors[2].data = nullptr;
    expectError(instance, in, 3, 1, "input 'x': data is NULL but the tensor has 48 elements");
  }
  {
    // NULL data is fine for an empty tensor.
    Inputs in;
    in.tensors[0].shape[1] = in.tensors[1].shape[1] = 0;
    in.tensors[0].data = in.tensors[1].data = nullptr;
    tfmrt_tensor out{};
    CHECK(tfmrt_instance_run(instance, in.tensors, 3, &out, 1) == TFMRT_OK);
  }
  {
    Inputs in;
    CHECK(tfmrt_instance_run(instance, nullptr, 3, nullptr, 1) == TFMRT_INVALID_ARGUMENT);
    CHECK_STR(tfmrt_instance_error(instance), "inputs is NULL");
    CHECK(tfmrt_instance_run(instance, in.tensors, 3, nullptr, 1) == TFMRT_INVALID_ARGUMENT);
    CHECK_STR(tfmrt_instance_error(instance), "outputs is NULL");
  }
  {
    // A failing entry, and an entry that returns an output unlike its description.
    Inputs in;
    tfmrt_tensor out{};
    entryStatus = TFMRT_OUT_OF_MEMORY;
    CHECK(tfmrt_instance_run(instance, in.tensors, 3, &out, 1) == TFMRT_OUT_OF_MEMORY);
    CHECK_STR(tfmrt_instance_error(instance), "model 'fake' failed: out of memory");
    entryStatus = TFMRT_OK;
    outputDtype = TFMRT_DTYPE_I32;
    CHECK(tfmrt_instance_run(instance, in.tensors, 3, &out, 1) == TFMRT_INTERNAL);
    CHECK_STR(tfmrt_instance_error(instance),
              "model 'fake' returned output 'sum' as int32 rank 0, its description says float32 "
              "rank 0");
    outputDtype = TFMRT_DTYPE_F32;
    CHECK(tfmrt_instance_run(instance, in.tensors, 3, &out, 1) == TFMRT_OK);
    CHECK_STR(tfmrt_instance_error(instance), "");
  }
  {
    Inputs in;
    tfmrt_tensor out{};
    reenter = true;
    int before = entryCalls;
    CHECK(tfmrt_instance_run(instance, in.tensors, 3, &out, 1) == TFMRT_OK);
    CHECK(reenterStatus == TFMRT_INVALID_ARGUMENT && entryCalls == before + 1);
    reenter = false;
    CHECK(*static_cast<float *>(out.data) == 24.0f);
  }
  tfmrt_instance_destroy(instance);
}

void testCreate() {
  const char *error = nullptr;
  tfmrt_model old = model;
  old.abi_version = TFMRT_ABI_VERSION + 1;
  CHECK(tfmrt_instance_create(&old, nullptr, &error) == nullptr);
  CHECK(error && std::string(error).find("ABI version") != std::string::npos);
  CHECK(tfmrt_instance_create(&old, nullptr, nullptr) == nullptr); // error may be NULL
  error = nullptr;
  CHECK(tfmrt_instance_create(nullptr, nullptr, &error) == nullptr && error);

  tfmrt_model noEntry = model;
  noEntry.entry = nullptr;
  error = nullptr;
  CHECK(tfmrt_instance_create(&noEntry, nullptr, &error) == nullptr && error);

  // A model's kernel ISA caps the kernels (generic runs everywhere); an
  // unknown one is refused.
  tfmrt_model generic = model;
  generic.kernel_isa = TFMRT_KERNEL_ISA_GENERIC;
  tfmrt_instance *capped = tfmrt_instance_create(&generic, nullptr, nullptr);
  CHECK(capped && std::string(tfmrt_instance_kernel_isa(capped)) == "generic");
  tfmrt_instance_destroy(capped);
  tfmrt_model unknownIsa = model;
  unknownIsa.kernel_isa = 99;
  error = nullptr;
  CHECK(tfmrt_instance_create(&unknownIsa, nullptr, &error) == nullptr && error &&
        std::string(error).find("kernel ISA") != std::string::npos);

  static const int32_t badSymbols[] = {0, 5};
  tfmrt_tensor_desc descs[3] = {inputDescs[0], inputDescs[1], inputDescs[2]};
  descs[1].dim_symbols = badSymbols;
  tfmrt_model badSymbol = model;
  badSymbol.inputs = descs;
  error = nullptr;
  CHECK(tfmrt_instance_create(&badSymbol, nullptr, &error) == nullptr && error);

  // Thread counts: as asked, or the machine's cores.
  tfmrt_options three{3};
  tfmrt_instance *instance = tfmrt_instance_create(&model, &three, nullptr);
  CHECK(instance && tfmrt_instance_num_threads(instance) == 3);
  tfmrt_instance_destroy(instance);
  tfmrt_options zero{0};
  instance = tfmrt_instance_create(&model, &zero, nullptr);
  CHECK(instance &&
        tfmrt_instance_num_threads(instance) == int(std::thread::hardware_concurrency()));
  tfmrt_instance_destroy(instance);
  instance = tfmrt_instance_create(&model, nullptr, nullptr);
  CHECK(instance && tfmrt_instance_num_threads(instance) >= 1);
  tfmrt_instance_destroy(instance);
  tfmrt_instance_destroy(nullptr);
}

void testDtypes() {
  struct {
    int32_t dtype;
    size_t size;
    const char *name;
  } table[] = {{TFMRT_DTYPE_F32, 4, "float32"}, {TFMRT_DTYPE_U8, 1, "uint8"},
               {TFMRT_DTYPE_I8, 1, "int8"},     {TFMRT_DTYPE_U16, 2, "uint16"},
               {TFMRT_DTYPE_I16, 2, "int16"},   {TFMRT_DTYPE_I32, 4, "int32"},
               {TFMRT_DTYPE_I64, 8, "int64"},   {TFMRT_DTYPE_BOOL, 1, "bool"},
               {TFMRT_DTYPE_F16, 2, "float16"}, {TFMRT_DTYPE_F64, 8, "float64"},
               {TFMRT_DTYPE_U32, 4, "uint32"},  {TFMRT_DTYPE_U64, 8, "uint64"},
               {TFMRT_DTYPE_BF16, 2, "bfloat16"}, {TFMRT_DTYPE_STRING, sizeof(char *), "string"},
               {0, 0, "unknown"},                 {14, 0, "unknown"},
               {-1, 0, "unknown"}};
  for (const auto &row : table) {
    CHECK(tfmrt_dtype_size(row.dtype) == row.size);
    CHECK_STR(tfmrt_dtype_name(row.dtype), row.name);
  }
}

// The accelerator runtimes' hooks: the extension slot destroys what it held
// when replaced and with the instance; the device option; the error setter.
void testExtension() {
  static int destroyed[2];
  auto destroy = [](void *state) { ++destroyed[*static_cast<int *>(state)]; };
  static int first = 0, second = 1;
  tfmrt_options options{1, nullptr, 3};
  tfmrt_instance *instance = tfmrt_instance_create(&model, &options, nullptr);
  CHECK(instance);
  if (!instance)
    return;
  CHECK(tfmrt_instance_device(instance) == 3);
  CHECK(tfmrt_instance_extension(instance) == nullptr);
  tfmrt_instance_set_extension(instance, &first, destroy);
  CHECK(tfmrt_instance_extension(instance) == &first);
  tfmrt_instance_set_extension(instance, &second, destroy);
  CHECK(destroyed[0] == 1 && destroyed[1] == 0);
  tfmrt_instance_set_error(instance, "CUDA device 3: no such device");
  CHECK_STR(tfmrt_instance_error(instance), "CUDA device 3: no such device");
  tfmrt_instance_destroy(instance);
  CHECK(destroyed[0] == 1 && destroyed[1] == 1);

  instance = tfmrt_instance_create(&model, nullptr, nullptr);
  CHECK(instance && tfmrt_instance_device(instance) == 0);
  tfmrt_instance_destroy(instance);
  CHECK(tfmrt_instance_extension(nullptr) == nullptr);
  tfmrt_instance_set_extension(nullptr, &first, destroy);
  tfmrt_instance_set_error(nullptr, "ignored");
}

} // namespace

int main() {
  testRunValidation();
  testCreate();
  testDtypes();
  testExtension();
  return test::finish("tfmrt-validation-test");
}
