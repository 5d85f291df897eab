//===- RunCommand.cpp - tfmc run ------------------------------------------===//
//
// Compiles the model to a shared library (once: the cache key covers the
// model's bytes, the options and this tfmc binary), loads it, runs it on
// each test-data directory and compares with the expected outputs.
// Exit codes: 0 all match, 1 a mismatch or a run-time error, 2 the model
// does not compile.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "tfmc/Driver/Driver.h"
#include "tfmc/Runner/TensorFiles.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>
#include <unistd.h>

using namespace llvm;
using namespace tfmc;
using runner::HostTensor;

namespace {

bool isFloatDtype(int32_t dtype) {
  return dtype == TFMRT_DTYPE_F32 || dtype == TFMRT_DTYPE_F16 || dtype == TFMRT_DTYPE_F64 ||
         dtype == TFMRT_DTYPE_BF16;
}

std::string defaultCacheDir() {
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

/// Model bytes, options and the compiler binary's identity.
std::optional<std::string> cacheKey(const CompileRequest &request, const char *argv0) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> model = MemoryBuffer::getFile(request.modelPath);
  if (!model)
    return std::nullopt;
  SHA256 hash;
  hash.update((*model)->getBuffer());
  const CompileOptions &o = request.options;
  hash.update(o.modelName + "\n" + o.cpu + "\n" + std::to_string(o.optLevel) + "\n" +
              (o.externalWeights ? "external-weights\n" : ""));
  std::string exe = sys::fs::getMainExecutable(argv0, reinterpret_cast<void *>(&defaultCacheDir));
  sys::fs::file_status status;
  if (!sys::fs::status(exe, status))
    hash.update(std::to_string(status.getSize()) + ":" +
                std::to_string(status.getLastModificationTime().time_since_epoch().count()));
  std::array<uint8_t, 32> digest = hash.final();
  return toHex(ArrayRef<uint8_t>(digest).take_front(12), /*LowerCase=*/true);
}

/// The cached library, compiling it first when absent. Concurrent runs each
/// build in a private folder; the first rename wins.
bool compiledLibrary(CompileRequest request, const std::string &cacheRoot, const char *argv0,
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

/// Loads a compiled model and keeps one instance of it.
class LoadedModel {
public:
  ~LoadedModel() {
    if (instance)
      tfmrt_instance_destroy(instance);
    if (handle)
      dlclose(handle);
  }

  bool load(const std::string &library, const std::string &name, int threads,
            std::string &error) {
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
    tfmrt_options options{threads, nullptr};
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

  const tfmrt_model *model = nullptr;
  tfmrt_instance *instance = nullptr;

private:
  void *handle = nullptr;
};

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

/// Runs one test-data directory; false on a run-time error or a mismatch.
bool runDirectory(LoadedModel &loaded, const std::string &dir, const cli::RunArgs &args) {
  std::vector<HostTensor> inputs, expected;
  std::string error;
  if (!runner::readTestData(dir, inputs, expected, error)) {
    errs() << error << "\n";
    return false;
  }
  const tfmrt_model *model = loaded.model;
  orderByName(inputs, model->inputs, model->num_inputs);
  orderByName(expected, model->outputs, model->num_outputs);
  relabelBfloat16(inputs, model->inputs, model->num_inputs);
  relabelBfloat16(expected, model->outputs, model->num_outputs);
  std::vector<tfmrt_tensor> inputViews;
  for (const HostTensor &input : inputs)
    inputViews.push_back(input.view());
  std::vector<tfmrt_tensor> outputs(model->num_outputs);
  if (tfmrt_instance_run(loaded.instance, inputViews.data(), inputViews.size(), outputs.data(),
                         outputs.size()) != TFMRT_OK) {
    errs() << dir << ": " << tfmrt_instance_error(loaded.instance) << "\n";
    return false;
  }

  if (expected.empty()) {
    SmallString<256> outDir(args.outputDir);
    if (outDir.empty())
      sys::path::append(outDir, dir, "outputs");
    sys::fs::create_directories(outDir);
    bool npy = inputs.empty() || inputs.front().name.empty() ||
               sys::fs::exists(dir + "/" + inputs.front().name + ".npy");
    for (uint32_t i = 0; i < model->num_outputs; ++i) {
      HostTensor out = runner::copyFromTfmrt(outputs[i], model->outputs[i].name);
      SmallString<256> path(outDir);
      sys::path::append(path, npy ? out.name + ".npy" : "output_" + std::to_string(i) + ".pb");
      bool ok = npy ? runner::writeNpy(std::string(path), out, error)
                    : runner::writeTensorProto(std::string(path), out, error);
      if (!ok) {
        errs() << error << "\n";
        return false;
      }
      outs() << "wrote " << path << "\n";
    }
    return true;
  }

  if (expected.size() != model->num_outputs) {
    errs() << dir << ": " << expected.size() << " expected outputs for "
           << model->num_outputs << " model outputs\n";
    return false;
  }
  bool allOk = true;
  for (uint32_t i = 0; i < model->num_outputs; ++i) {
    bool exact = !isFloatDtype(outputs[i].dtype);
    runner::Comparison c = runner::compareTensors(outputs[i], expected[i],
                                                  exact ? 0.0 : args.rtol,
                                                  exact ? 0.0 : args.atol);
    outs() << dir << ": output " << i << " '" << model->outputs[i].name << "': max abs error "
           << format("%.3g", c.maxAbsError) << ", max rel error "
           << format("%.3g", c.maxRelError) << (c.ok ? "" : " MISMATCH: " + c.message) << "\n";
    allOk &= c.ok;
  }
  return allOk;
}

} // namespace

int tfmc::cli::runRun(const char *argv0) {
  CompileRequest request;
  std::string error;
  if (!readCompileRequest(request, error)) {
    errs() << "tfmc run: " << error << "\n";
    return 1;
  }
  RunArgs args = readRunArgs();
  std::string library;
  if (!compiledLibrary(request, args.cacheDir.empty() ? defaultCacheDir() : args.cacheDir,
                       argv0, library, error)) {
    errs() << error << "\n";
    return 2;
  }
  LoadedModel loaded;
  if (!loaded.load(library, request.options.modelName, args.threads, error)) {
    errs() << "tfmc run: " << error << "\n";
    return 1;
  }
  bool allOk = true;
  for (const std::string &dir : args.dataDirs)
    allOk &= runDirectory(loaded, dir, args);
  return allOk ? 0 : 1;
}
