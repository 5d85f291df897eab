//===- CompiledModel.cpp - cached compilation and loading ----------------===//

#include "CompiledModel.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/xxhash.h"

#include <dlfcn.h>
#include <unistd.h>

using namespace llvm;
using namespace tfmc;
using runner::HostTensor;

std::string cli::defaultCacheDir() {
  if (std::optional<std::string> dir = sys::Process::GetEnv("TFMC_CACHE_DIR"))
    return *dir;
  SmallString<256> path;
  if (std::optional<std::string> xdg = sys::Process::GetEnv("XDG_CACHE_HOME"))
    path = *xdg;
  else if (std::optional<std::string> home = sys::Process::GetEnv("HOME"))
    sys::path::append(path, *home, ".cache");
  else
    path = "/tmp";
  sys::path::append(path, "tfmc");
  return std::string(path);
}

namespace {

/// Puts tensors in the order of the model's `descs` when every desc's name
/// is among theirs (.npy files are listed by name, not by position).
void orderByName(std::vector<HostTensor> &tensors, const tfmrt_tensor_desc *descs,
                 uint32_t count) {
  if (tensors.size() != count)
    return;
  std::vector<HostTensor> ordered;
  for (uint32_t i = 0; i < count; ++i) {
    auto it = llvm::find_if(tensors, [&](const HostTensor &t) {
      return descs[i].name && t.name == descs[i].name;
    });
    if (it == tensors.end())
      return;
    ordered.push_back(*it);
  }
  tensors = std::move(ordered);
}

/// ONNX 1.12's backend data stores bfloat16 tensors as uint16 ones (the
/// same bits); read them as the model's bfloat16.
void relabelBfloat16(std::vector<HostTensor> &tensors, const tfmrt_tensor_desc *descs,
                     uint32_t count) {
  for (uint32_t i = 0; i < count && i < tensors.size(); ++i)
    if (descs[i].dtype == TFMRT_DTYPE_BF16 && tensors[i].dtype == TFMRT_DTYPE_U16)
      tensors[i].dtype = TFMRT_DTYPE_BF16;
}

/// Model bytes, options and the compiler binary's identity.
std::optional<std::string> cacheKey(const CompileRequest &request, const char *argv0) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> model = MemoryBuffer::getFile(request.modelPath);
  if (!model)
    return std::nullopt;
  std::string identity = request.options.fingerprint();
  std::string exe = sys::fs::getMainExecutable(argv0, reinterpret_cast<void *>(&cli::defaultCacheDir));
  sys::fs::file_status status;
  if (!sys::fs::status(exe, status))
    identity += std::to_string(status.getSize()) + ":" +
                std::to_string(status.getLastModificationTime().time_since_epoch().count());
  // xxh3, not SHA-256: a cache key is no signature, and SHA-256 over a
  // 500 MB model took longer than running it.
  return formatv("{0:x-16}{1:x-16}", xxh3_64bits((*model)->getBuffer()), xxh3_64bits(identity))
      .str();
}

} // namespace

bool cli::compiledLibrary(CompileRequest request, const std::string &cacheRoot, const char *argv0,
                     std::string &library, std::string &error) {
  std::optional<std::string> key = cacheKey(request, argv0);
  if (!key) {
    error = request.modelPath + ": cannot read the model";
    return false;
  }
  SmallString<256> dir(cacheRoot);
  sys::path::append(dir, *key);
  SmallString<256> path(dir);
  sys::path::append(path, "lib" + request.options.modelName + ".so");
  library = std::string(path);
  if (sys::fs::exists(library))
    return true;

  request.outputDir = (dir + ".tmp" + Twine(::getpid())).str();
  request.emit = EmitKind::Library;
  request.runtimeArchive = findRuntimeArchive(argv0);
  std::vector<std::string> written;
  if (!compileModelFile(request, written, error)) {
    sys::fs::remove_directories(request.outputDir);
    return false;
  }
  if (sys::fs::rename(request.outputDir, dir))
    sys::fs::remove_directories(request.outputDir); // another run got there first
  return true;
}

cli::LoadedModel::~LoadedModel() {
  if (instance)
    tfmrt_instance_destroy(instance);
  if (handle)
    dlclose(handle);
}

bool cli::LoadedModel::load(const std::string &library, const std::string &name, int threads,
                            int device, std::string &error) {
  handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    error = dlerror();
    return false;
  }
  model = static_cast<const tfmrt_model *>(dlsym(handle, (name + "_model").c_str()));
  if (!model) {
    error = library + ": no symbol " + name + "_model";
    return false;
  }
  // With --external-weights the cache keeps <name>.weights beside the library.
  SmallString<256> weights(sys::path::parent_path(library));
  sys::path::append(weights, name + ".weights");
  tfmrt_options options{threads, nullptr, device};
  if (sys::fs::exists(weights))
    options.weights_path = weights.c_str();
  const char *message = nullptr;
  instance = tfmrt_instance_create(model, &options, &message);
  if (!instance) {
    error = message ? message : "cannot create an instance";
    return false;
  }
  return true;
}

bool cli::readModelData(const std::string &dir, const tfmrt_model *model,
                        std::vector<runner::HostTensor> &inputs,
                        std::vector<runner::HostTensor> &expected, std::string &error) {
  std::vector<int32_t> inputKinds, outputKinds;
  for (uint32_t i = 0; i < model->num_inputs; ++i)
    inputKinds.push_back(model->inputs[i].kind);
  for (uint32_t i = 0; i < model->num_outputs; ++i)
    outputKinds.push_back(model->outputs[i].kind);
  if (!runner::readTestData(dir, inputs, expected, error, inputKinds, outputKinds))
    return false;
  // An empty sequence or an absent optional has no tensor to give its dtype.
  for (size_t i = 0; i < inputs.size() && i < model->num_inputs; ++i)
    if (inputs[i].kind != TFMRT_KIND_TENSOR && inputs[i].elements.empty())
      inputs[i].dtype = model->inputs[i].dtype;
  orderByName(inputs, model->inputs, model->num_inputs);
  orderByName(expected, model->outputs, model->num_outputs);
  relabelBfloat16(inputs, model->inputs, model->num_inputs);
  relabelBfloat16(expected, model->outputs, model->num_outputs);
  return true;
}
