//===- CompileOptions.cpp - the command lines of tfmc compile and run -----===//
//
// Both subcommands and all their options live in this one file: cl::sub
// needs its SubCommand constructed first, which only one translation unit
// can guarantee.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "tfmc/Driver/Driver.h"
#include "tfmc/Passes/FusionPasses.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;
using namespace tfmc;

cl::SubCommand tfmc::cli::compileCommand(
    "compile", "Compile an ONNX model to an object (or library) and a C header");
cl::SubCommand tfmc::cli::runCommand(
    "run", "Compile a model (cached), run it on test-data directories and compare");

static cl::OptionCategory codegenCategory("Code generation");
#define TFMC_BOTH cl::sub(cli::compileCommand), cl::sub(cli::runCommand)

static cl::opt<std::string> modelPath(cl::Positional, cl::desc("<model.onnx>"), cl::Required,
                                      TFMC_BOTH);
static cl::opt<std::string> outputDir("o", cl::desc("Output directory"),
                                      cl::value_desc("dir"), cl::init("."),
                                      cl::sub(cli::compileCommand));
static cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to write"), cl::init(EmitKind::Object),
    cl::values(clEnumValN(EmitKind::Object, "obj", "an object file and a C header"),
               clEnumValN(EmitKind::Library, "lib", "a shared library and a C header"),
               clEnumValN(EmitKind::MLIR, "mlir", "MLIR after lowering to linalg"),
               clEnumValN(EmitKind::LLVMIR, "llvm", "LLVM IR with the runtime ABI"),
               clEnumValN(EmitKind::Assembly, "asm", "x86-64 assembly")),
    cl::cat(codegenCategory), cl::sub(cli::compileCommand));
static cl::opt<std::string> cpu("mcpu",
                                cl::desc("Target CPU: host (default), x86-64-v3, x86-64-v4, "
                                         "or any LLVM x86 CPU name"),
                                cl::init("host"), cl::cat(codegenCategory), TFMC_BOTH);
static cl::opt<unsigned> optLevel("O", cl::desc("Optimization level 0-3 (default 2)"),
                                  cl::Prefix, cl::init(2), cl::cat(codegenCategory),
                                  TFMC_BOTH);
static cl::opt<bool> externalWeights(
    "external-weights",
    cl::desc("Write constants over 1 KiB (the weights) to <name>.weights beside the output "
             "instead of into it; instances then need its path"),
    cl::cat(codegenCategory), TFMC_BOTH);
static cl::list<std::string> noFuse(
    "no-fuse", cl::desc("Fusion kinds to leave alone: attention, layer_norm, rms_norm, gelu, ..."),
    cl::CommaSeparated, cl::cat(codegenCategory), TFMC_BOTH);
static cl::opt<std::string> modelName(
    "name", cl::desc("C identifier prefixing the generated API (default: the file's stem)"),
    cl::cat(codegenCategory), TFMC_BOTH);

static cl::list<std::string> dataDirs(
    cl::Positional, cl::desc("<test-data dir>..."), cl::OneOrMore, cl::sub(cli::runCommand));
static cl::opt<double> relativeTolerance("rtol", cl::desc("Relative tolerance for float outputs"),
                            cl::init(1e-3), cl::sub(cli::runCommand));
static cl::opt<double> absoluteTolerance("atol", cl::desc("Absolute tolerance for float outputs"),
                            cl::init(1e-7), cl::sub(cli::runCommand));
static cl::opt<std::string> cacheDir(
    "cache-dir",
    cl::desc("Where compiled models are kept (default: $TFMC_CACHE_DIR, else "
             "$XDG_CACHE_HOME/tfmc, else ~/.cache/tfmc)"),
    cl::sub(cli::runCommand));
static cl::opt<std::string> runOutputDir(
    "output-dir", cl::desc("Where outputs are written when a directory has no expected ones "
                           "(default: <dir>/outputs)"),
    cl::sub(cli::runCommand));
static cl::opt<int> threads("threads", cl::desc("Threads (default: the machine's cores)"),
                            cl::init(0), cl::sub(cli::runCommand));

bool tfmc::cli::readCompileRequest(CompileRequest &request, std::string &error) {
  if (optLevel > 3) {
    error = "-O" + std::to_string(optLevel) + " is not a level (0 to 3)";
    return false;
  }
  request.modelPath = modelPath;
  request.outputDir = outputDir;
  request.emit = emitKind;
  request.options.cpu = cpu;
  request.options.optLevel = optLevel;
  request.options.externalWeights = externalWeights;
  request.options.disabledFusions.assign(noFuse.begin(), noFuse.end());
  for (const std::string &kind : noFuse)
    if (!llvm::is_contained(tfm::fusionKinds(), kind)) {
      error = "--no-fuse: unknown fusion kind '" + kind + "' (known: " +
              llvm::join(tfm::fusionKinds(), ", ") + ")";
      return false;
    }
  request.options.modelName =
      modelName.empty() ? defaultModelName(request.modelPath) : modelName.getValue();
  const std::string &name = request.options.modelName;
  bool valid = !name.empty() && !isdigit(static_cast<unsigned char>(name[0]));
  for (char c : name)
    valid &= isalnum(static_cast<unsigned char>(c)) || c == '_';
  if (!valid) {
    error = "--name '" + name + "' is not a C identifier";
    return false;
  }
  return true;
}

cli::RunArgs tfmc::cli::readRunArgs() {
  return RunArgs{{dataDirs.begin(), dataDirs.end()}, relativeTolerance, absoluteTolerance, cacheDir, runOutputDir,
                 threads};
}
