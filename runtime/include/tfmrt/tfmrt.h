/*===- tfmrt.h - the tfmc runtime's C ABI ----------------------------------===*
 *
 * What a compiled model and the app that embeds it share. The runtime has no
 * global mutable state: everything a run touches hangs off a tfmrt_instance,
 * so two instances (of one model or of two) run at once from two threads.
 *
 *===----------------------------------------------------------------------===*/
#ifndef TFMRT_TFMRT_H
#define TFMRT_TFMRT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a struct below changes layout; objects record the version
 * they were compiled against and the runtime refuses a mismatch. */
#define TFMRT_ABI_VERSION 4
#define TFMRT_MAX_RANK 12

/* Element types, numbered as ONNX's TensorProto.DataType. */
typedef enum tfmrt_dtype {
  TFMRT_DTYPE_F32 = 1,
  TFMRT_DTYPE_U8 = 2,
  TFMRT_DTYPE_I8 = 3,
  TFMRT_DTYPE_U16 = 4,
  TFMRT_DTYPE_I16 = 5,
  TFMRT_DTYPE_I32 = 6,
  TFMRT_DTYPE_I64 = 7,
  TFMRT_DTYPE_STRING = 8, /* `const char *` per element, NUL-terminated UTF-8 */
  TFMRT_DTYPE_BOOL = 9, /* one byte per element, 0 or 1 */
  TFMRT_DTYPE_F16 = 10,
  TFMRT_DTYPE_F64 = 11,
  TFMRT_DTYPE_U32 = 12,
  TFMRT_DTYPE_U64 = 13,
  TFMRT_DTYPE_BF16 = 16
} tfmrt_dtype;

typedef enum tfmrt_status {
  TFMRT_OK = 0,
  TFMRT_INVALID_ARGUMENT = 1, /* wrong count, rank, dtype or dimension */
  TFMRT_OUT_OF_MEMORY = 2,
  TFMRT_ABI_MISMATCH = 3,
  TFMRT_INTERNAL = 4
} tfmrt_status;

/* What a model input or output holds: a tensor, or one of ONNX's sequence
 * and optional types over tensors. */
typedef enum tfmrt_kind {
  TFMRT_KIND_TENSOR = 0,
  TFMRT_KIND_SEQUENCE = 1,         /* sequence(tensor) */
  TFMRT_KIND_OPTIONAL_TENSOR = 2,  /* optional(tensor) */
  TFMRT_KIND_OPTIONAL_SEQUENCE = 3 /* optional(sequence(tensor)) */
} tfmrt_kind;

/* A dense, row-major tensor. For inputs the caller owns `data`; for outputs
 * the run fills every field and `data` points into the instance's memory,
 * valid until the next run on that instance or its destruction. A string
 * tensor's `data` is an array of `const char *`; an output's strings are
 * the instance's too, with the same lifetime.
 *
 * An input or output of another kind is passed in a tfmrt_tensor too:
 * `data` points at its value (a tfmrt_sequence, or for optional(tensor) a
 * tfmrt_tensor) or is NULL for an absent optional; `dtype` and `rank` are
 * those of its tensors, as the description gives them; `shape` is unused. */
typedef struct tfmrt_tensor {
  void *data;
  int32_t dtype; /* tfmrt_dtype */
  int32_t rank;
  int64_t shape[TFMRT_MAX_RANK];
} tfmrt_tensor;

/* A sequence of tensors of one dtype. */
typedef struct tfmrt_sequence {
  int64_t length;
  tfmrt_tensor *tensors;
} tfmrt_sequence;

/* Static description of one model input or output. A dimension is a size
 * (>= 0), or -1 when it is only known at run time; `dim_symbols[i]` then
 * names the symbol (an index into tfmrt_model.symbol_names) that every
 * input sharing it must agree on, or -1 for a dimension with no symbol.
 * For kinds other than TFMRT_KIND_TENSOR, dtype, rank and dims describe
 * each tensor of the value; a sequence's tensors may have rank -1: any. */
typedef struct tfmrt_tensor_desc {
  const char *name;
  int32_t dtype;
  int32_t rank;
  const int64_t *dims;
  const int32_t *dim_symbols;
  int32_t kind; /* tfmrt_kind */
} tfmrt_tensor_desc;

typedef struct tfmrt_instance tfmrt_instance;

/* The compiled code: reads `inputs` (already checked against the model's
 * description), writes every output. Returns a tfmrt_status. */
typedef int32_t (*tfmrt_entry_fn)(tfmrt_instance *instance, const tfmrt_tensor *inputs,
                                  tfmrt_tensor *outputs);

/* The widest vector instructions the runtime's kernels may use for a model
 * (tfmrt_model.kernel_isa). A model compiled for a named CPU (`tfmc compile
 * --mcpu=x86-64-v3`) runs that CPU's kernels even on a wider machine, so a
 * portable object computes and performs the same everywhere; one compiled
 * for the host takes the best the machine has. */
typedef enum tfmrt_kernel_isa {
  TFMRT_KERNEL_ISA_BEST = 0,
  TFMRT_KERNEL_ISA_GENERIC = 1, /* plain C++ */
  TFMRT_KERNEL_ISA_AVX2 = 2,    /* AVX2 + FMA (x86-64-v3) */
  TFMRT_KERNEL_ISA_AVX512 = 3   /* AVX-512 F + VL (x86-64-v4) */
} tfmrt_kernel_isa;

/* What tfmc emits for each model, as read-only data in its object. */
typedef struct tfmrt_model {
  uint32_t abi_version;
  uint32_t num_inputs;
  uint32_t num_outputs;
  uint32_t num_symbols;
  const char *name;
  const char *compiler_version;
  const tfmrt_tensor_desc *inputs;
  const tfmrt_tensor_desc *outputs;
  const char *const *symbol_names;
  tfmrt_entry_fn entry;
  /* Compiled with `tfmc compile --external-weights`: the weights live in
   * `<name>.weights` beside the object, of exactly weights_bytes bytes whose
   * tfmrt_weights_checksum is weights_checksum, and every instance needs
   * tfmrt_options.weights_path. 0 and 0: the weights are in the object. */
  uint64_t weights_bytes;
  uint64_t weights_checksum;
  uint32_t kernel_isa; /* a tfmrt_kernel_isa */
} tfmrt_model;

typedef struct tfmrt_options {
  int32_t num_threads; /* <= 0: the machine's cores */
  /* The model's weights file (`<name>.weights`), mapped read-only by each
   * instance for its lifetime. Required by models compiled with
   * --external-weights, ignored by others; NULL: none. */
  const char *weights_path;
  /* The GPU (CUDA device ordinal) that a model compiled with --target=cuda
   * runs on; 0 (the default) is the first. Ignored by CPU models. */
  int32_t device;
} tfmrt_options;

/* The checksum of a weights file, as tfmc records it and the runtime checks
 * it: 64-bit FNV-1a made fast for big files. Eight lanes each take one
 * little-endian 8-byte word of every 64-byte block (h = (h ^ word) * prime;
 * h ^= h >> 29); FNV-1a then hashes the lanes' bytes and the final partial
 * block's bytes. */
static inline uint64_t tfmrt_weights_checksum(const void *data, size_t size) {
  const uint64_t basis = 0xcbf29ce484222325ull, prime = 0x100000001b3ull;
  const unsigned char *bytes = (const unsigned char *)data;
  uint64_t lanes[8], hash = basis;
  size_t i = 0;
  int k, b;
  for (k = 0; k < 8; ++k)
    lanes[k] = basis;
  for (; i + 64 <= size; i += 64)
    for (k = 0; k < 8; ++k) {
      uint64_t word = 0, h;
      for (b = 0; b < 8; ++b)
        word |= (uint64_t)bytes[i + 8 * k + b] << (8 * b);
      h = (lanes[k] ^ word) * prime;
      lanes[k] = h ^ (h >> 29);
    }
  for (k = 0; k < 8; ++k)
    for (b = 0; b < 8; ++b)
      hash = (hash ^ ((lanes[k] >> (8 * b)) & 0xff)) * prime;
  for (; i < size; ++i)
    hash = (hash ^ bytes[i]) * prime;
  return hash;
}

/* --- Instances ---------------------------------------------------------- */

/* NULL when out of memory, when the model's ABI version differs, or when its
 * weights file is needed but not given, missing, or not the one it was
 * compiled with; `error` (may be NULL) then receives a message, valid until
 * the calling thread's next tfmrt_instance_create. */
tfmrt_instance *tfmrt_instance_create(const tfmrt_model *model, const tfmrt_options *options,
                                      const char **error);
void tfmrt_instance_destroy(tfmrt_instance *instance);

/* Checks the inputs (count, dtype, rank, static dims, symbols two inputs
 * share), then runs. On failure, tfmrt_instance_error names the input. */
tfmrt_status tfmrt_instance_run(tfmrt_instance *instance, const tfmrt_tensor *inputs,
                                size_t num_inputs, tfmrt_tensor *outputs, size_t num_outputs);
const char *tfmrt_instance_error(const tfmrt_instance *instance);
int32_t tfmrt_instance_num_threads(const tfmrt_instance *instance);
/* Bytes the instance's arena holds now (grows to the largest run seen). */
size_t tfmrt_instance_arena_bytes(const tfmrt_instance *instance);
/* The instruction set of the kernels the instance runs: "avx512", "avx2" or
 * "generic" (the CPU's best within the model's kernel_isa). */
const char *tfmrt_instance_kernel_isa(const tfmrt_instance *instance);

size_t tfmrt_dtype_size(int32_t dtype);
const char *tfmrt_dtype_name(int32_t dtype);

/* --- For accelerator runtimes ------------------------------------------ */

/* One slot per instance for an accelerator runtime's state (libtfmrt_cuda
 * keeps a CUDA model's device, module, kernels and stream there, created on
 * its first run): NULL until set. Setting it again first destroys the
 * previous state; tfmrt_instance_destroy calls `destroy(state)` (may be NULL)
 * before anything else. */
void *tfmrt_instance_extension(const tfmrt_instance *instance);
void tfmrt_instance_set_extension(tfmrt_instance *instance, void *state,
                                  void (*destroy)(void *state));
/* tfmrt_options.device as given to tfmrt_instance_create (0 without options). */
int32_t tfmrt_instance_device(const tfmrt_instance *instance);
/* Sets the message tfmrt_instance_error returns after a failed run. */
void tfmrt_instance_set_error(tfmrt_instance *instance, const char *message);

/* --- Called by compiled code ------------------------------------------- */

/* 64-byte aligned memory from the instance's arena; freed when its last use
 * ends, so later buffers reuse it. NULL only when the system is out of memory. */
void *tfmrt_alloc(tfmrt_instance *instance, int64_t bytes);
void tfmrt_free(tfmrt_instance *instance, void *ptr);
/* The start of the instance's mapped weights file (64-byte aligned; compiled
 * code adds each weight's offset), or NULL for a model without one. */
const void *tfmrt_weights(const tfmrt_instance *instance);

/* Runs body(arg, begin, end) over [0, n) split into chunks on the
 * instance's threads; returns when all are done. */
typedef void (*tfmrt_range_fn)(void *arg, int64_t begin, int64_t end);
void tfmrt_parallel_for(tfmrt_instance *instance, int64_t n, tfmrt_range_fn body, void *arg);

/* Training-mode Dropout's keep mask, bit for bit as ONNX's reference draws
 * it: mask[i] = uniform[0, 1) >= ratio from numpy's RandomState(seed)
 * (MT19937, 53-bit doubles). One byte (0 or 1) per element. */
void tfmrt_dropout_mask(uint8_t *mask, int64_t count, double ratio, int64_t seed);

/* C[b] = A[b] x B[b] for b in [0, batch), row-major f32 with leading
 * dimensions lda/ldb/ldc and batch strides (0 broadcasts an operand). */
void tfmrt_matmul_f32(tfmrt_instance *instance, int64_t batch, int64_t m, int64_t n, int64_t k,
                      const float *a, int64_t a_batch_stride, int64_t lda, const float *b,
                      int64_t b_batch_stride, int64_t ldb, float *c, int64_t c_batch_stride,
                      int64_t ldc);

/* B packed for tfmrt_matmul_f32_packed_b: a k x n matrix stored as
 * ceil(n / 16) panels one after the other, panel p holding columns
 * [16p, 16p + 16) as k rows of 16 floats (zero past column n), 64-byte
 * aligned. tfmc packs constant weights so at compile time. */
#define TFMRT_PACKED_B_PANEL 16

/* tfmrt_matmul_f32 with B packed as above, shared by every batch. */
void tfmrt_matmul_f32_packed_b(tfmrt_instance *instance, int64_t batch, int64_t m, int64_t n,
                               int64_t k, const float *a, int64_t a_batch_stride, int64_t lda,
                               const float *packed_b, float *c, int64_t c_batch_stride,
                               int64_t ldc);

/* The _epilogue variants call epilogue(arg, b, row_begin, row_end,
 * col_begin, col_end) on each block of C[b] once it is final (all of K
 * done), from the thread that computed it, while the block is in its cache.
 * The blocks cover C once; compiled code runs the elementwise op that reads
 * the product there (bias, GELU, residual) instead of in a pass of its own. */
typedef void (*tfmrt_tile_fn)(void *arg, int64_t batch, int64_t row_begin, int64_t row_end,
                              int64_t col_begin, int64_t col_end);
void tfmrt_matmul_f32_epilogue(tfmrt_instance *instance, int64_t batch, int64_t m, int64_t n,
                               int64_t k, const float *a, int64_t a_batch_stride, int64_t lda,
                               const float *b, int64_t b_batch_stride, int64_t ldb, float *c,
                               int64_t c_batch_stride, int64_t ldc, tfmrt_tile_fn epilogue,
                               void *arg);
void tfmrt_matmul_f32_packed_b_epilogue(tfmrt_instance *instance, int64_t batch, int64_t m,
                                        int64_t n, int64_t k, const float *a,
                                        int64_t a_batch_stride, int64_t lda,
                                        const float *packed_b, float *c, int64_t c_batch_stride,
                                        int64_t ldc, tfmrt_tile_fn epilogue, void *arg);

/* String elements, for Cast to and from string. Formatting gives the
 * fewest digits that read back as the same value of the source type
 * ("0.1", "1e-05", "NaN", "INF", "-INF"), in strings that live in the
 * instance until its next run; NULL when out of memory. Parsing reads what
 * ONNX's Cast reads ("3.14", "1E8", "+INF", "nan"; an integer from "2.7" is
 * 2); text that is no number gives NaN, or 0 for integers. */
const char *tfmrt_format_f32(tfmrt_instance *instance, float value);
const char *tfmrt_format_f64(tfmrt_instance *instance, double value);
const char *tfmrt_format_i64(tfmrt_instance *instance, int64_t value);
const char *tfmrt_format_u64(tfmrt_instance *instance, uint64_t value);
double tfmrt_parse_f64(const char *text);
/* Above INT64_MAX: the uint64 value's bit pattern. */
int64_t tfmrt_parse_i64(const char *text);
/* 1 when the strings are equal, else 0. */
int32_t tfmrt_strings_equal(const char *a, const char *b);
/* Copies a sequence or optional output (`kind`, at `value`) into the
 * instance, with its tensors' data, and stores the copy in `*copy` (NULL
 * for an absent optional). TFMRT_OUT_OF_MEMORY or TFMRT_OK. */
int32_t tfmrt_keep_value(tfmrt_instance *instance, int32_t kind, const void *value, void **copy);
/* Replaces each of `count` strings that the instance does not hold yet by
 * its copy, so that a string output outlives the inputs it came from.
 * TFMRT_OUT_OF_MEMORY when a copy (or an earlier formatting) failed, else
 * TFMRT_OK. */
int32_t tfmrt_keep_strings(tfmrt_instance *instance, const char **elements, int64_t count);

#ifdef __cplusplus
}
#endif

#endif /* TFMRT_TFMRT_H */
