//===- RunCommand.cpp - tfmc run ------------------------------------------===//
//
// Compiles the model to a shared library (cached, see CompiledModel.h),
// loads it, runs it on each test-data directory and compares with the
// expected outputs.
// Exit codes: 0 all match, 1 a mismatch or a run-time error, 2 the model
// does not compile.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"
#include "CompiledModel.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace tfmc;
using runner::HostTensor;

namespace {

bool isFloatDtype(int32_t dtype) {
  return dtype == TFMRT_DTYPE_F32 || dtype == TFMRT_DTYPE_F16 || dtype == TFMRT_DTYPE_F64 ||
         dtype == TFMRT_DTYPE_BF16;
}

/// Runs one test-data directory; false on a run-time error or a mismatch.
bool runDirectory(cli::LoadedModel &loaded, const std::string &dir, const cli::RunArgs &args) {
  std::vector<HostTensor> inputs, expected;
  std::string error;
  const tfmrt_model *model = loaded.model;
  if (!cli::readModelData(dir, model, inputs, expected, error)) {
    errs() << error << "\n";
    return false;
  }
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
      HostTensor out =
          runner::copyFromTfmrt(outputs[i], model->outputs[i].name, model->outputs[i].kind);
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
  if (!loaded.load(library, request.options.modelName, args.threads, args.device, error)) {
    errs() << "tfmc run: " << error << "\n";
    return 1;
  }
  bool allOk = true;
  for (const std::string &dir : args.dataDirs)
    allOk &= runDirectory(loaded, dir, args);
  return allOk ? 0 : 1;
}
