/*===- tfmrt_cuda.h - the tfmc runtime's CUDA loader --------------------===*
 *
 * Loads the PTX that `tfmc compile --target=cuda` writes and runs its
 * kernels through the CUDA driver API. Built as libtfmrt_cuda.a beside
 * libtfmrt.a when the CUDA toolkit is found; it loads the driver
 * (libcuda.so.1) when a device is created, so an app linking it starts, and
 * reports why, on a machine without a GPU.
 *
 * Like tfmrt.h: no global mutable state. A device (driver + primary
 * context) may be shared by threads; modules loaded on it too. An instance
 * (a stream and a device arena) serves one thread at a time, as a
 * tfmrt_instance does. Failures name the CUDA call and the CUDA error, e.g.
 * "cuModuleLoadDataEx: CUDA_ERROR_INVALID_PTX: <the JIT log's first line>".
 *
 *===----------------------------------------------------------------------===*/
#ifndef TFMRT_TFMRT_CUDA_H
#define TFMRT_TFMRT_CUDA_H

#include "tfmrt/tfmrt.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfmrt_cuda_device tfmrt_cuda_device;
typedef struct tfmrt_cuda_module tfmrt_cuda_module;
typedef struct tfmrt_cuda_instance tfmrt_cuda_instance;
/* A kernel of a loaded module (a CUfunction), valid while its module is. */
typedef struct tfmrt_cuda_kernel_opaque *tfmrt_cuda_kernel;
/* A device address (a CUdeviceptr); 0 is none. */
typedef uint64_t tfmrt_cuda_ptr;

/* Functions below that take `const char **error` (may be NULL) store a
 * message there on failure, valid until the calling thread's next such call. */

/* The number of CUDA devices; 0 with a message when the driver cannot be
 * loaded or initialized (no GPU, or only the toolkit's stub library). */
int32_t tfmrt_cuda_device_count(const char **error);

/* Loads the driver and retains device `ordinal`'s primary context. NULL on
 * failure. */
tfmrt_cuda_device *tfmrt_cuda_device_create(int32_t ordinal, const char **error);
/* Every module and instance of the device must be destroyed first. */
void tfmrt_cuda_device_destroy(tfmrt_cuda_device *device);
const char *tfmrt_cuda_device_name(const tfmrt_cuda_device *device);

/* JIT-compiles NUL-terminated PTX text for the device. NULL on failure, the
 * message then carries the first line of the JIT's error log. */
tfmrt_cuda_module *tfmrt_cuda_module_load(tfmrt_cuda_device *device, const char *ptx,
                                          const char **error);
void tfmrt_cuda_module_destroy(tfmrt_cuda_module *module);
/* The kernel named `name` (its `.entry` in the PTX), or NULL. */
tfmrt_cuda_kernel tfmrt_cuda_module_kernel(tfmrt_cuda_module *module, const char *name,
                                           const char **error);

/* A stream and an empty device arena on `device`. NULL on failure. */
tfmrt_cuda_instance *tfmrt_cuda_instance_create(tfmrt_cuda_device *device, const char **error);
/* Waits for the instance's stream, then frees its memory. */
void tfmrt_cuda_instance_destroy(tfmrt_cuda_instance *instance);
/* The first failure of a call below on this instance since the run began
 * ("" if none). After it, the run's allocations, copies and launches do
 * nothing and return 0 or its status, so that no kernel runs on a buffer
 * that was never allocated; tfmrt_cuda_begin_run clears it. */
const char *tfmrt_cuda_instance_error(const tfmrt_cuda_instance *instance);
/* TFMRT_OK, or the status of the run's first failure (without waiting). */
tfmrt_status tfmrt_cuda_instance_status(const tfmrt_cuda_instance *instance);

/* Starts a run: waits for the stream, frees every buffer of the previous run
 * and, if that run outgrew the arena, regrows it to the run's peak (at least
 * 1.25x), so that a run no larger than one before allocates nothing from the
 * driver. */
tfmrt_status tfmrt_cuda_begin_run(tfmrt_cuda_instance *instance);
/* 256-byte aligned device memory from the instance's arena, distinct even
 * for 0 bytes; 0 when out of device memory. */
tfmrt_cuda_ptr tfmrt_cuda_alloc(tfmrt_cuda_instance *instance, int64_t bytes);
/* The same from a second arena of page-locked host memory mapped into the
 * device at the same address: for the few small buffers (shapes) that host
 * code reads or writes as well as kernels. The host may touch them only
 * after tfmrt_cuda_synchronize. */
tfmrt_cuda_ptr tfmrt_cuda_alloc_shared(tfmrt_cuda_instance *instance, int64_t bytes);
/* 0 is a no-op; so is an address neither arena gave. */
void tfmrt_cuda_free(tfmrt_cuda_instance *instance, tfmrt_cuda_ptr ptr);
/* The device copy of `bytes` of constant host memory at `host` (a model's
 * weight): uploaded on the first call for that address, then kept until the
 * instance is destroyed. 0 on failure. */
tfmrt_cuda_ptr tfmrt_cuda_constant(tfmrt_cuda_instance *instance, const void *host, int64_t bytes);
/* Device bytes the arena's block holds now (grows to the largest run seen). */
size_t tfmrt_cuda_instance_arena_bytes(const tfmrt_cuda_instance *instance);

/* Copies queued on the instance's stream: host memory must stay valid (and
 * a copy's destination unread) until tfmrt_cuda_synchronize. */
tfmrt_status tfmrt_cuda_copy_to_device(tfmrt_cuda_instance *instance, tfmrt_cuda_ptr dst,
                                       const void *src, int64_t bytes);
tfmrt_status tfmrt_cuda_copy_to_host(tfmrt_cuda_instance *instance, void *dst,
                                     tfmrt_cuda_ptr src, int64_t bytes);
/* Queues `kernel` on the instance's stream over grid x block threads (each
 * dimension >= 1); args[i] points at the kernel's i-th parameter. */
tfmrt_status tfmrt_cuda_launch(tfmrt_cuda_instance *instance, tfmrt_cuda_kernel kernel,
                               const uint32_t grid[3], const uint32_t block[3],
                               uint32_t shared_bytes, void **args);
/* Waits until everything queued on the instance's stream is done; a kernel's
 * failure shows here, named by the CUDA error. Returns the run's status. */
tfmrt_status tfmrt_cuda_synchronize(tfmrt_cuda_instance *instance);

/* --- Models compiled with tfmc --target=cuda --------------------------- */

/* What tfmc embeds in such a model's object: its kernels' PTX and the
 * kernels its host code launches, by index. */
typedef struct tfmrt_cuda_program {
  const char *ptx; /* NUL-terminated; NULL when there are no kernels */
  uint32_t num_kernels;
  const char *const *kernel_names;
} tfmrt_cuda_program;

/* Called by the model's entry at the start of each run. On the instance's
 * first run it creates the device (tfmrt_options.device), loads the program,
 * looks up its kernels and creates a CUDA instance, and keeps them in the
 * instance's extension slot (destroyed with it; a failed first run leaves
 * nothing, so the next run tries again). Then tfmrt_cuda_begin_run. Sets
 * *cuda, and *kernels to the program's kernels in order. On failure the
 * instance's error names the CUDA call, and its status is returned. */
tfmrt_status tfmrt_cuda_run_start(tfmrt_instance *instance, const tfmrt_cuda_program *program,
                                  tfmrt_cuda_instance **cuda, const tfmrt_cuda_kernel **kernels);
/* The weights file of the tfmrt_instance that `instance` runs a program for
 * (tfmrt_weights; NULL without one): host code of a model compiled with
 * --external-weights uploads its constants (tfmrt_cuda_constant) from it. */
const void *tfmrt_cuda_weights(const tfmrt_cuda_instance *instance);
/* Called at the end of each run: waits for the run's work and returns its
 * status; on failure the instance's error is the CUDA instance's. */
tfmrt_status tfmrt_cuda_run_finish(tfmrt_instance *instance, tfmrt_cuda_instance *cuda);

#ifdef __cplusplus
}
#endif

#endif /* TFMRT_TFMRT_CUDA_H */
