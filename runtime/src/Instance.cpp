//===- Instance.cpp - instances, runs, input validation, dtypes -----------===//

#include "Instance.h"

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>
#include <thread>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tfmrt;

namespace {

// Sets the instance's error (a run failure is rare, so allocating is fine).
__attribute__((format(printf, 2, 3))) tfmrt_status fail(tfmrt_instance *instance,
                                                        const char *format, ...) {
  char buffer[512];
  va_list args;
  va_start(args, format);
  vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  instance->error = buffer;
  return TFMRT_INVALID_ARGUMENT;
}

const char *nameOr(const char *name, const char *fallback) { return name ? name : fallback; }

bool isSequence(int32_t kind) {
  return kind == TFMRT_KIND_SEQUENCE || kind == TFMRT_KIND_OPTIONAL_SEQUENCE;
}

// A model's descriptors are data from an object file: check them once, at
// create, so that runs can trust them. Returns a static message or NULL.
const char *checkDescs(const tfmrt_model *model, const tfmrt_tensor_desc *descs, uint32_t count) {
  if (count && !descs)
    return "tfmrt_instance_create: model has NULL tensor descriptions";
  for (uint32_t i = 0; i < count; ++i) {
    const tfmrt_tensor_desc &desc = descs[i];
    if (desc.kind < TFMRT_KIND_TENSOR || desc.kind > TFMRT_KIND_OPTIONAL_SEQUENCE)
      return "tfmrt_instance_create: model has a tensor description with an unknown kind";
    bool anyRank = desc.rank == -1 && isSequence(desc.kind);
    if (!anyRank && (desc.rank < 0 || desc.rank > TFMRT_MAX_RANK || (desc.rank && !desc.dims)))
      return "tfmrt_instance_create: model has a tensor description with a bad rank";
    if (tfmrt_dtype_size(desc.dtype) == 0)
      return "tfmrt_instance_create: model has a tensor description with an unknown dtype";
    for (int32_t d = 0; d < desc.rank; ++d) {
      if (desc.dims[d] < -1)
        return "tfmrt_instance_create: model has a tensor description with a bad dimension";
      int32_t symbol = desc.dim_symbols ? desc.dim_symbols[d] : -1;
      if (symbol < -1 || (symbol >= 0 && uint32_t(symbol) >= model->num_symbols))
        return "tfmrt_instance_create: model has a dimension symbol out of range";
    }
  }
  return nullptr;
}

const char *checkModel(const tfmrt_model *model) {
  if (!model)
    return "tfmrt_instance_create: model is NULL";
  if (model->abi_version != TFMRT_ABI_VERSION)
    return "tfmrt_instance_create: the model was compiled for another tfmrt ABI version "
           "(recompile it with a tfmc matching this runtime)";
  if (!model->entry)
    return "tfmrt_instance_create: model has no entry function";
  if (model->kernel_isa > TFMRT_KERNEL_ISA_AVX512)
    return "tfmrt_instance_create: model asks for an unknown kernel ISA";
  if (const char *error = checkDescs(model, model->inputs, model->num_inputs))
    return error;
  return checkDescs(model, model->outputs, model->num_outputs);
}

// A failed create's message when it names a file or the model: per thread,
// valid until that thread's next create (the only state outside instances).
thread_local char createError[768];

__attribute__((format(printf, 1, 2))) const char *createFailure(const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(createError, sizeof createError, format, args);
  va_end(args);
  return createError;
}

// Maps the weights file of a model compiled with --external-weights into
// the instance. Returns NULL or the reason it cannot.
const char *mapWeights(tfmrt_instance *instance, const char *path) {
  const tfmrt_model *model = instance->model;
  const char *name = nameOr(model->name, "?");
  if (!path || !*path)
    return createFailure("tfmrt_instance_create: model '%s' needs its weights file (%s.weights): "
                         "set tfmrt_options.weights_path",
                         name, name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return createFailure("tfmrt_instance_create: model '%s': cannot open its weights file '%s': %s",
                         name, path, std::strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return createFailure("tfmrt_instance_create: model '%s': weights file '%s' is not a file",
                         name, path);
  }
  if (uint64_t(st.st_size) != model->weights_bytes) {
    close(fd);
    return createFailure("tfmrt_instance_create: model '%s': weights file '%s' has %llu bytes, "
                         "the model was compiled with %llu",
                         name, path, (unsigned long long)st.st_size,
                         (unsigned long long)model->weights_bytes);
  }
  size_t size = size_t(model->weights_bytes);
  void *data = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  int mapErrno = errno;
  close(fd);
  if (data == MAP_FAILED)
    return createFailure("tfmrt_instance_create: model '%s': cannot map weights file '%s': %s",
                         name, path, std::strerror(mapErrno));
  instance->weights = data;
  instance->weightsMapped = size;
  if (tfmrt_weights_checksum(data, size) != model->weights_checksum)
    return createFailure("tfmrt_instance_create: model '%s': weights file '%s' does not match the "
                         "model (its checksum differs; recompile, or use the file compiled with it)",
                         name, path);
  return nullptr;
}

const char *symbolName(const tfmrt_model *model, int32_t symbol) {
  return model->symbol_names && model->symbol_names[symbol] ? model->symbol_names[symbol] : "?";
}

/// Checks `tensor` against `desc` (dtype, rank, static dims; any rank when
/// desc.rank is -1); binds the dims' symbols when `bindSymbols`. `what`
/// names it in messages.
tfmrt_status checkTensor(tfmrt_instance *instance, uint32_t index, const tfmrt_tensor_desc &desc,
                         const tfmrt_tensor &tensor, const char *what, bool bindSymbols) {
  const tfmrt_model *model = instance->model;
  if (tensor.dtype != desc.dtype)
    return fail(instance, "%s: expected dtype %s, got %s", what, tfmrt_dtype_name(desc.dtype),
                tfmrt_dtype_name(tensor.dtype));
  if (desc.rank >= 0 && tensor.rank != desc.rank)
    return fail(instance, "%s: expected rank %d, got %d", what, int(desc.rank), int(tensor.rank));
  if (tensor.rank < 0 || tensor.rank > TFMRT_MAX_RANK)
    return fail(instance, "%s: rank %d is out of range", what, int(tensor.rank));
  uint64_t elements = 1;
  for (int32_t d = 0; d < tensor.rank; ++d) {
    int64_t size = tensor.shape[d];
    if (size < 0)
      return fail(instance, "%s: dimension %d is %lld, a size must be >= 0", what, int(d),
                  (long long)size);
    if (desc.rank >= 0 && desc.dims[d] >= 0 && size != desc.dims[d])
      return fail(instance, "%s: expected dimension %d to be %lld, got %lld", what, int(d),
                  (long long)desc.dims[d], (long long)size);
    int32_t symbol = bindSymbols && desc.dim_symbols ? desc.dim_symbols[d] : -1;
    if (symbol >= 0) {
      int32_t boundBy = instance->symbolInputs[symbol];
      if (boundBy < 0) {
        instance->symbolValues[symbol] = size;
        instance->symbolInputs[symbol] = int32_t(index);
      } else if (instance->symbolValues[symbol] != size) {
        return fail(instance, "%s: dimension %d is %lld but '%s' is %lld from input '%s'", what,
                    int(d), (long long)size, symbolName(model, symbol),
                    (long long)instance->symbolValues[symbol],
                    nameOr(model->inputs[boundBy].name, "?"));
      }
    }
    if (__builtin_mul_overflow(elements, uint64_t(size), &elements))
      return fail(instance, "%s: too many elements", what);
  }
  uint64_t bytes;
  if (__builtin_mul_overflow(elements, uint64_t(tfmrt_dtype_size(desc.dtype)), &bytes) ||
      bytes > uint64_t(INT64_MAX))
    return fail(instance, "%s: too many elements", what);
  if (elements && !tensor.data)
    return fail(instance, "%s: data is NULL but the tensor has %llu elements", what,
                (unsigned long long)elements);
  if (desc.dtype == TFMRT_DTYPE_STRING) {
    const char *const *strings = static_cast<const char *const *>(tensor.data);
    for (uint64_t i = 0; i < elements; ++i)
      if (!strings[i])
        return fail(instance, "%s: string element %llu is NULL", what, (unsigned long long)i);
  }
  return TFMRT_OK;
}

tfmrt_status checkInput(tfmrt_instance *instance, uint32_t index, const tfmrt_tensor &input) {
  const tfmrt_tensor_desc &desc = instance->model->inputs[index];
  char what[320];
  snprintf(what, sizeof what, "input '%s'", nameOr(desc.name, "?"));
  if (desc.kind == TFMRT_KIND_TENSOR)
    return checkTensor(instance, index, desc, input, what, /*bindSymbols=*/true);
  if (input.dtype != desc.dtype)
    return fail(instance, "%s: expected dtype %s, got %s", what, tfmrt_dtype_name(desc.dtype),
                tfmrt_dtype_name(input.dtype));
  if (!input.data) {
    if (desc.kind == TFMRT_KIND_SEQUENCE)
      return fail(instance, "%s: data is NULL, not a tfmrt_sequence", what);
    return TFMRT_OK; // an absent optional
  }
  if (desc.kind == TFMRT_KIND_OPTIONAL_TENSOR)
    return checkTensor(instance, index, desc, *static_cast<const tfmrt_tensor *>(input.data), what,
                       /*bindSymbols=*/true);
  const auto &sequence = *static_cast<const tfmrt_sequence *>(input.data);
  if (sequence.length < 0 || (sequence.length && !sequence.tensors))
    return fail(instance, "%s: a sequence of length %lld with %s tensors", what,
                (long long)sequence.length, sequence.tensors ? "its" : "no");
  for (int64_t i = 0; i < sequence.length; ++i) {
    char element[352];
    snprintf(element, sizeof element, "%s: tensor %lld", what, (long long)i);
    if (tfmrt_status status = checkTensor(instance, index, desc, sequence.tensors[i], element,
                                          /*bindSymbols=*/false))
      return status;
  }
  return TFMRT_OK;
}

tfmrt_status checkInputs(tfmrt_instance *instance, const tfmrt_tensor *inputs, size_t numInputs,
                         const tfmrt_tensor *outputs, size_t numOutputs) {
  const tfmrt_model *model = instance->model;
  if (numInputs != model->num_inputs)
    return fail(instance, "expected %u input%s, got %zu", model->num_inputs,
                model->num_inputs == 1 ? "" : "s", numInputs);
  if (numOutputs != model->num_outputs)
    return fail(instance, "expected %u output%s, got %zu", model->num_outputs,
                model->num_outputs == 1 ? "" : "s", numOutputs);
  if (numInputs && !inputs)
    return fail(instance, "inputs is NULL");
  if (numOutputs && !outputs)
    return fail(instance, "outputs is NULL");
  std::fill(instance->symbolInputs.begin(), instance->symbolInputs.end(), -1);
  for (uint32_t i = 0; i < model->num_inputs; ++i)
    if (tfmrt_status status = checkInput(instance, i, inputs[i]))
      return status;
  return TFMRT_OK;
}

const char *statusName(int32_t status) {
  switch (status) {
  case TFMRT_INVALID_ARGUMENT:
    return "invalid argument";
  case TFMRT_OUT_OF_MEMORY:
    return "out of memory";
  case TFMRT_ABI_MISMATCH:
    return "ABI mismatch";
  default:
    return "internal error";
  }
}

} // namespace

tfmrt_instance::~tfmrt_instance() {
  // The extension (a device stream, say) may still use the instance's memory.
  if (destroyExtension)
    destroyExtension(extension);
  if (weights)
    munmap(const_cast<void *>(weights), weightsMapped);
}

extern "C" {

tfmrt_instance *tfmrt_instance_create(const tfmrt_model *model, const tfmrt_options *options,
                                      const char **error) {
  if (error)
    *error = nullptr;
  if (const char *message = checkModel(model)) {
    if (error)
      *error = message;
    return nullptr;
  }
  int threads = options ? options->num_threads : 0;
  if (threads <= 0)
    threads = int(std::thread::hardware_concurrency());
  if (threads <= 0)
    threads = 1;
  auto *instance = new (std::nothrow) tfmrt_instance(model, threads);
  if (!instance) {
    if (error)
      *error = "tfmrt_instance_create: out of memory";
    return nullptr;
  }
  instance->device = options ? options->device : 0;
  instance->matMulIsa = tfmrt::matMulIsaFor(model->kernel_isa);
  instance->symbolValues.assign(model->num_symbols, 0);
  instance->symbolInputs.assign(model->num_symbols, -1);
  if (model->weights_bytes) {
    if (const char *message = mapWeights(instance, options ? options->weights_path : nullptr)) {
      delete instance;
      if (error)
        *error = message;
      return nullptr;
    }
  }
  return instance;
}

void tfmrt_instance_destroy(tfmrt_instance *instance) { delete instance; }

tfmrt_status tfmrt_instance_run(tfmrt_instance *instance, const tfmrt_tensor *inputs,
                                size_t num_inputs, tfmrt_tensor *outputs, size_t num_outputs) {
  if (!instance)
    return TFMRT_INVALID_ARGUMENT;
  // Misuse (one instance, two threads): refuse, leaving the other run's
  // error message alone.
  if (instance->running.exchange(true, std::memory_order_acquire))
    return TFMRT_INVALID_ARGUMENT;
  struct Done {
    tfmrt_instance *instance;
    ~Done() { instance->running.store(false, std::memory_order_release); }
  } done{instance};
  if (tfmrt_status status = checkInputs(instance, inputs, num_inputs, outputs, num_outputs))
    return status;
  // The previous run's outputs live in the arena until now.
  instance->arena.beginRun();
  instance->strings.reset();
  for (size_t i = 0; i < num_outputs; ++i)
    outputs[i] = tfmrt_tensor{};
  instance->error.clear();
  int32_t status = instance->model->entry(instance, inputs, outputs);
  if (status != TFMRT_OK) {
    if (instance->error.empty())
      fail(instance, "model '%s' failed: %s", nameOr(instance->model->name, "?"),
           statusName(status));
    return status >= TFMRT_INVALID_ARGUMENT && status <= TFMRT_INTERNAL ? tfmrt_status(status)
                                                                        : TFMRT_INTERNAL;
  }
  // Cheap insurance against a code generation bug handing back garbage.
  for (size_t i = 0; i < num_outputs; ++i) {
    const tfmrt_tensor_desc &desc = instance->model->outputs[i];
    if (outputs[i].dtype != desc.dtype ||
        (desc.kind == TFMRT_KIND_TENSOR && outputs[i].rank != desc.rank)) {
      fail(instance, "model '%s' returned output '%s' as %s rank %d, its description says %s rank %d",
           nameOr(instance->model->name, "?"), nameOr(desc.name, "?"),
           tfmrt_dtype_name(outputs[i].dtype), int(outputs[i].rank), tfmrt_dtype_name(desc.dtype),
           int(desc.rank));
      return TFMRT_INTERNAL;
    }
  }
  return TFMRT_OK;
}

const char *tfmrt_instance_error(const tfmrt_instance *instance) {
  return instance ? instance->error.c_str() : "instance is NULL";
}

void *tfmrt_instance_extension(const tfmrt_instance *instance) {
  return instance ? instance->extension : nullptr;
}

void tfmrt_instance_set_extension(tfmrt_instance *instance, void *state,
                                  void (*destroy)(void *state)) {
  if (!instance)
    return;
  if (instance->destroyExtension)
    instance->destroyExtension(instance->extension);
  instance->extension = state;
  instance->destroyExtension = destroy;
}

int32_t tfmrt_instance_device(const tfmrt_instance *instance) {
  return instance ? instance->device : 0;
}

void tfmrt_instance_set_error(tfmrt_instance *instance, const char *message) {
  if (instance)
    instance->error = message ? message : "";
}

int32_t tfmrt_instance_num_threads(const tfmrt_instance *instance) {
  return instance ? instance->pool.size() : 0;
}

size_t tfmrt_instance_arena_bytes(const tfmrt_instance *instance) {
  return instance ? instance->arena.capacity() : 0;
}

const char *tfmrt_instance_kernel_isa(const tfmrt_instance *instance) {
  return instance ? tfmrt::matMulIsaName(instance->matMulIsa) : "";
}

size_t tfmrt_dtype_size(int32_t dtype) {
  switch (dtype) {
  case TFMRT_DTYPE_U8:
  case TFMRT_DTYPE_I8:
  case TFMRT_DTYPE_BOOL:
    return 1;
  case TFMRT_DTYPE_U16:
  case TFMRT_DTYPE_I16:
  case TFMRT_DTYPE_F16:
  case TFMRT_DTYPE_BF16:
    return 2;
  case TFMRT_DTYPE_F32:
  case TFMRT_DTYPE_I32:
  case TFMRT_DTYPE_U32:
    return 4;
  case TFMRT_DTYPE_I64:
  case TFMRT_DTYPE_F64:
  case TFMRT_DTYPE_U64:
    return 8;
  case TFMRT_DTYPE_STRING:
    return sizeof(const char *);
  default:
    return 0;
  }
}

const char *tfmrt_dtype_name(int32_t dtype) {
  switch (dtype) {
  case TFMRT_DTYPE_F32:
    return "float32";
  case TFMRT_DTYPE_U8:
    return "uint8";
  case TFMRT_DTYPE_I8:
    return "int8";
  case TFMRT_DTYPE_U16:
    return "uint16";
  case TFMRT_DTYPE_I16:
    return "int16";
  case TFMRT_DTYPE_I32:
    return "int32";
  case TFMRT_DTYPE_I64:
    return "int64";
  case TFMRT_DTYPE_STRING:
    return "string";
  case TFMRT_DTYPE_BOOL:
    return "bool";
  case TFMRT_DTYPE_F16:
    return "float16";
  case TFMRT_DTYPE_F64:
    return "float64";
  case TFMRT_DTYPE_U32:
    return "uint32";
  case TFMRT_DTYPE_U64:
    return "uint64";
  case TFMRT_DTYPE_BF16:
    return "bfloat16";
  default:
    return "unknown";
  }
}

void *tfmrt_alloc(tfmrt_instance *instance, int64_t bytes) {
  return instance ? instance->arena.allocate(bytes) : nullptr;
}

void tfmrt_free(tfmrt_instance *instance, void *ptr) {
  if (instance)
    instance->arena.release(ptr);
}

const void *tfmrt_weights(const tfmrt_instance *instance) {
  return instance ? instance->weights : nullptr;
}

// Public bodies take no worker index; up to four chunks per thread balance
// uneven ones.
namespace {
struct RangeCall {
  tfmrt_range_fn body;
  void *arg;
};
void callRange(void *arg, int64_t begin, int64_t end, int) {
  auto *call = static_cast<RangeCall *>(arg);
  call->body(call->arg, begin, end);
}
} // namespace

void tfmrt_parallel_for(tfmrt_instance *instance, int64_t n, tfmrt_range_fn body, void *arg) {
  if (n <= 0 || !body)
    return;
  if (!instance) {
    body(arg, 0, n);
    return;
  }
  int64_t chunks = int64_t(instance->pool.size()) * 4;
  RangeCall call{body, arg};
  instance->pool.parallelFor(n, (n + chunks - 1) / chunks, callRange, &call);
}

} // extern "C"
