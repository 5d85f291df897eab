//===- Driver.cpp - an ONNX file to compiled artifacts --------------------===//

#include "tfmc/Driver/Driver.h"
#include "OneLineErrors.h"
#include "tfmc/Codegen/Gpu.h"
#include "tfmc/Import/OnnxImporter.h"
#include "tfmc/Passes/FusionPasses.h"
#include "tfmc/Passes/ShapePasses.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace llvm;
using namespace tfmc;

std::string tfmc::defaultModelName(StringRef modelPath) {
  StringRef stem = sys::path::stem(modelPath);
  std::string name;
  for (char c : stem)
    name += isAlnum(c) ? c : '_';
  if (name.empty() || isDigit(name[0]))
    name = "m_" + name;
  return name;
}

namespace {

bool writeFile(StringRef path, StringRef contents, std::string &error) {
  std::unique_ptr<ToolOutputFile> out = mlir::openOutputFile(path, &error);
  if (!out)
    return false;
  out->os() << contents;
  out->keep();
  return true;
}

/// Runs the passes `build` adds, with MLIR's command-line options
/// (--mlir-print-ir-*, ...) and --mlir-timing reporting under `timing`.
bool runPasses(mlir::ModuleOp module, mlir::TimingScope &timing,
               function_ref<void(mlir::OpPassManager &)> build) {
  mlir::PassManager pm(module.getContext());
  if (mlir::failed(mlir::applyPassManagerCLOptions(pm)))
    return false;
  pm.enableTiming(timing);
  build(pm);
  return mlir::succeeded(pm.run(module));
}

} // namespace

bool tfmc::compileModelFile(const CompileRequest &request, std::vector<std::string> &written,
                            std::string &error) {
  mlir::DialectRegistry registry;
  registerCodegenInterfaces(registry);
  registerGpuInterfaces(registry);
  mlir::MLIRContext ctx(registry);
  ctx.loadDialect<mlir::LLVM::LLVMDialect>();
  OneLineErrors errors(ctx, request.modelPath);
  // One report for the whole compilation with --mlir-timing.
  mlir::DefaultTimingManager timingManager;
  mlir::applyDefaultTimingManagerCLOptions(timingManager);
  mlir::TimingScope timing = timingManager.getRootScope();
  const CompileOptions &options = request.options;
  auto fail = [&](StringRef fallback) {
    error = errors.take(request.modelPath + ": " + fallback.str());
    return false;
  };

  ImportOptions importOptions;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      importOnnxModel(request.modelPath, ctx, importOptions, error);
  if (!module)
    return false;
  if (!runPasses(*module, timing, [&](mlir::OpPassManager &pm) {
        tfm::buildShapeSimplificationPipeline(pm);
        pm.addNestedPass<mlir::func::FuncOp>(
            tfm::createFusionPass({options.disabledFusions, nullptr}));
      }))
    return fail("shape inference or fusion failed");

  mlir::func::FuncOp model = getModelFunction(*module);
  if (!model)
    return fail("no model function");
  mlir::FailureOr<ModelSignature> signature = readSignature(model, options.modelName);
  if (mlir::failed(signature))
    return fail("unsupported model signature");
  if (options.target == CompileTarget::CPU)
    signature->kernelIsa = kernelIsaFor(options.cpu);

  if (std::error_code ec = sys::fs::create_directories(request.outputDir))
    return fail("cannot create " + request.outputDir + ": " + ec.message());
  auto outPath = [&](StringRef file) {
    SmallString<256> path(request.outputDir);
    sys::path::append(path, file);
    return std::string(path);
  };

  if (!runPasses(*module, timing, [&](mlir::OpPassManager &pm) {
        buildLowerToLinalgPipeline(pm, options);
      }))
    return fail("lowering failed");
  if (request.emit == EmitKind::MLIR) {
    std::string text;
    raw_string_ostream os(text);
    mlir::OpPrintingFlags flags;
    flags.elideLargeResourceString(1024);
    module->print(os, flags);
    std::string path = outPath(options.modelName + ".mlir");
    if (!writeFile(path, text, error))
      return false;
    written.push_back(path);
    return true;
  }

  bool cuda = options.target == CompileTarget::CUDA;
  LLVMContext llvmContext;
  std::string weights;
  std::unique_ptr<Module> llvmModule;
  if (cuda) {
    if (request.emit != EmitKind::PTX && !checkCudaSignature(*signature, error))
      return fail(error);
    if (!runPasses(*module, timing, [&](mlir::OpPassManager &pm) {
          buildLinalgToPtxPipeline(pm, options);
        }))
      return fail("lowering to PTX failed");
    if (request.emit == EmitKind::PTX) {
      std::string path = outPath(options.modelName + ".ptx");
      if (!writeFile(path, collectPtx(*module, options), error))
        return false;
      written.push_back(path);
      return true;
    }
    if (!runPasses(*module, timing, [&](mlir::OpPassManager &pm) {
          buildCudaHostPipeline(pm);
        }))
      return fail("lowering the GPU host code failed");
    llvmModule = translateWithCudaModelABI(*module, llvmContext, *signature,
                                           options.externalWeights ? &weights : nullptr, error);
  } else {
    addInstanceArgument(getModelFunction(*module));
    if (!runPasses(*module, timing, [&](mlir::OpPassManager &pm) {
          buildLinalgToLLVMPipeline(pm, options);
        }))
      return fail("lowering to LLVM failed");
    llvmModule = translateWithModelABI(*module, llvmContext, *signature,
                                       options.externalWeights ? &weights : nullptr, error);
  }
  if (!llvmModule)
    return fail(error);

  std::string header = outPath(options.modelName + ".h");
  if (!writeFile(header,
                 writeModelHeader(*signature, sys::path::filename(request.modelPath),
                                  !weights.empty()),
                 error))
    return false;
  written.push_back(header);
  // Written even when empty (no constant was large enough), so that the
  // outputs do not depend on the model; the model then needs none.
  if (options.externalWeights) {
    std::string path = outPath(options.modelName + ".weights");
    if (!writeFile(path, weights, error))
      return false;
    written.push_back(path);
  }

  if (request.emit == EmitKind::LLVMIR) {
    std::string text;
    raw_string_ostream os(text);
    llvmModule->print(os, nullptr);
    std::string path = outPath(options.modelName + ".ll");
    if (!writeFile(path, text, error))
      return false;
    written.push_back(path);
    return true;
  }

  OutputKind kind = request.emit == EmitKind::Assembly ? OutputKind::Assembly
                                                       : OutputKind::Object;
  std::string objectPath = outPath(options.modelName + (kind == OutputKind::Assembly ? ".s" : ".o"));
  {
    std::unique_ptr<ToolOutputFile> out = mlir::openOutputFile(objectPath, &error);
    if (!out)
      return false;
    if (!emitMachineCode(*llvmModule, options, kind, out->os(), error))
      return fail(error);
    out->keep();
  }
  if (request.emit != EmitKind::Library) {
    written.push_back(objectPath);
    return true;
  }
  std::string library = outPath("lib" + options.modelName + ".so");
  std::vector<std::string> archives{request.runtimeArchive};
  if (cuda)
    archives.insert(archives.begin(), siblingArchive(request.runtimeArchive, "libtfmrt_cuda.a"));
  bool linked = linkSharedLibrary(objectPath, library, archives, error);
  sys::fs::remove(objectPath);
  if (!linked)
    return false;
  written.push_back(library);
  return true;
}
