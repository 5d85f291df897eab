//===- Program.cpp - the CUDA state of a compiled model's instance --------===//
//
// A model compiled with --target=cuda calls tfmrt_cuda_run_start and
// tfmrt_cuda_run_finish around each run. Its device, module, kernels and
// stream live in the tfmrt_instance's extension slot, so libtfmrt itself
// never needs CUDA.
//
//===----------------------------------------------------------------------===//

#include "Objects.h"

#include <memory>
#include <new>
#include <vector>

namespace {

struct ProgramState {
  ~ProgramState() {
    // Instance and module first: both need the device's context.
    tfmrt_cuda_instance_destroy(instance);
    tfmrt_cuda_module_destroy(module);
    tfmrt_cuda_device_destroy(device);
  }

  const tfmrt_cuda_program *program = nullptr;
  tfmrt_cuda_device *device = nullptr;
  tfmrt_cuda_module *module = nullptr;
  tfmrt_cuda_instance *instance = nullptr;
  std::vector<tfmrt_cuda_kernel> kernels;
};

void destroyState(void *state) { delete static_cast<ProgramState *>(state); }

/// Sets the instance's error to "what: message"; returns `status`.
tfmrt_status failRun(tfmrt_instance *instance, tfmrt_status status, const char *what,
                     const char *message) {
  std::string text = std::string(what) + (message ? message : "unknown failure");
  tfmrt_instance_set_error(instance, text.c_str());
  return status;
}

/// The device, module, kernels and CUDA instance for `program`, or NULL with
/// the instance's error set.
ProgramState *createState(tfmrt_instance *instance, const tfmrt_cuda_program *program) {
  std::unique_ptr<ProgramState> state(new (std::nothrow) ProgramState);
  if (!state) {
    failRun(instance, TFMRT_OUT_OF_MEMORY, "", "tfmrt_cuda_run_start: out of memory");
    return nullptr;
  }
  state->program = program;
  const char *error = nullptr;
  int32_t ordinal = tfmrt_instance_device(instance);
  std::string device = "CUDA device " + std::to_string(ordinal) + ": ";
  // A model without kernels (it only reshapes) loads no module.
  if (!(state->device = tfmrt_cuda_device_create(ordinal, &error)) ||
      (program->num_kernels &&
       !(state->module = tfmrt_cuda_module_load(state->device, program->ptx, &error))) ||
      !(state->instance = tfmrt_cuda_instance_create(state->device, &error))) {
    failRun(instance, TFMRT_INTERNAL, device.c_str(), error);
    return nullptr;
  }
  state->instance->hostWeights = tfmrt_weights(instance);
  state->kernels.resize(program->num_kernels);
  for (uint32_t i = 0; i < program->num_kernels; ++i)
    if (!(state->kernels[i] =
              tfmrt_cuda_module_kernel(state->module, program->kernel_names[i], &error))) {
      failRun(instance, TFMRT_INTERNAL, device.c_str(), error);
      return nullptr;
    }
  return state.release();
}

} // namespace

extern "C" {

const void *tfmrt_cuda_weights(const tfmrt_cuda_instance *instance) {
  return instance ? instance->hostWeights : nullptr;
}

tfmrt_status tfmrt_cuda_run_start(tfmrt_instance *instance, const tfmrt_cuda_program *program,
                                  tfmrt_cuda_instance **cuda, const tfmrt_cuda_kernel **kernels) {
  if (!instance || !program || (program->num_kernels && (!program->ptx || !program->kernel_names)) ||
      !cuda || !kernels)
    return instance ? failRun(instance, TFMRT_INVALID_ARGUMENT, "",
                              "tfmrt_cuda_run_start: a NULL argument or program field")
                    : TFMRT_INVALID_ARGUMENT;
  auto *state = static_cast<ProgramState *>(tfmrt_instance_extension(instance));
  if (state && state->program != program)
    return failRun(instance, TFMRT_INVALID_ARGUMENT, "",
                   "tfmrt_cuda_run_start: the instance runs another CUDA program");
  if (!state) {
    if (!(state = createState(instance, program)))
      return TFMRT_INTERNAL;
    tfmrt_instance_set_extension(instance, state, destroyState);
  }
  if (tfmrt_status status = tfmrt_cuda_begin_run(state->instance))
    return failRun(instance, status, "", tfmrt_cuda_instance_error(state->instance));
  *cuda = state->instance;
  *kernels = state->kernels.data();
  return TFMRT_OK;
}

tfmrt_status tfmrt_cuda_run_finish(tfmrt_instance *instance, tfmrt_cuda_instance *cuda) {
  if (!instance || !cuda)
    return TFMRT_INVALID_ARGUMENT;
  tfmrt_status status = tfmrt_cuda_synchronize(cuda);
  if (status != TFMRT_OK)
    tfmrt_instance_set_error(instance, tfmrt_cuda_instance_error(cuda));
  return status;
}

} // extern "C"
