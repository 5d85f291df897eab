//===- CompileOptions.cpp - the command lines of compile, run, bench, inspect ===//
//
// These subcommands and all their options live in this one file: cl::sub
// needs its SubCommand constructed first, which only one translation unit
// can guarantee.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "tfmc/Driver/Driver.h"
#include "tfmc/Dialect/SymbolicDim.h"
#include "tfmc/Passes/FusionPasses.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;
using namespace tfmc;

cl::SubCommand tfmc::cli::compileCommand(
    "compile", "Compile an ONNX model to an object (or library) and a C header");
cl::SubCommand tfmc::cli::runCommand(
    "run", "Compile a model (cached), run it on test-data directories and compare");
cl::SubCommand tfmc::cli::benchCommand(
    "bench", "Compile a model (cached) and time it on the inputs in a directory");
cl::SubCommand tfmc::cli::inspectCommand(
    "inspect", "Print a model's operators, parameters, FLOPs and what fused (or why not)");

static cl::OptionCategory codegenCategory("Code generation");
// Options of every subcommand that compiles.
#define TFMC_BOTH cl::sub(cli::compileCommand), cl::sub(cli::runCommand), cl::sub(cli::benchCommand)

static cl::opt<std::string> modelPath(cl::Positional, cl::desc("<model.onnx>"), cl::Required,
                                      TFMC_BOTH, cl::sub(cli::inspectCommand));
static cl::opt<std::string> outputDir("o", cl::desc("Output directory"),
                                      cl::value_desc("dir"), cl::init("."),
                                      cl::sub(cli::compileCommand));
static cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to write"), cl::init(EmitKind::Object),
    cl::values(clEnumValN(EmitKind::Object, "obj", "an object file and a C header"),
               clEnumValN(EmitKind::Library, "lib", "a shared library and a C header"),
               clEnumValN(EmitKind::MLIR, "mlir", "MLIR after lowering to linalg"),
               clEnumValN(EmitKind::LLVMIR, "llvm", "LLVM IR with the runtime ABI"),
               clEnumValN(EmitKind::Assembly, "asm", "x86-64 assembly"),
               clEnumValN(EmitKind::PTX, "ptx", "the kernels' PTX (implies --target=cuda)")),
    cl::cat(codegenCategory), cl::sub(cli::compileCommand));
static cl::opt<CompileTarget> target(
    "target", cl::desc("What to compile for"), cl::init(CompileTarget::CPU),
    cl::values(clEnumValN(CompileTarget::CPU, "cpu", "x86-64 (default)"),
               clEnumValN(CompileTarget::CUDA, "cuda", "NVIDIA GPUs: PTX kernels")),
    cl::cat(codegenCategory), TFMC_BOTH);
static cl::opt<std::string> gpuArch("gpu-arch",
                                    cl::desc("CUDA compute capability (default sm_80)"),
                                    cl::init("sm_80"), cl::cat(codegenCategory),
                                    TFMC_BOTH);
static cl::opt<std::string> cudaPath(
    "cuda-path", cl::desc("CUDA toolkit, for libdevice (default $CUDA_HOME, else /usr/local/cuda)"),
    cl::cat(codegenCategory), TFMC_BOTH);
static cl::opt<std::string> gpuMatMulPrecision(
    "gpu-matmul-precision",
    cl::desc("CUDA matrix products: fp32 (default, exact), or tensor cores with operands "
             "rounded to tf32, fp16 or bf16 (fp32 accumulation)"),
    cl::init("fp32"), cl::cat(codegenCategory), TFMC_BOTH);
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
static cl::opt<bool> rowKernels(
    "row-kernels",
    cl::desc("Lower attention and the norms as the GPU's fused row kernels on the CPU too, "
             "so that tests can check those forms without a GPU (always on for CUDA)"),
    cl::Hidden, cl::cat(codegenCategory), TFMC_BOTH);
static cl::list<std::string> noFuse(
    "no-fuse",
    cl::desc("Fusion kinds to leave alone: attention, layer_norm, rms_norm, gelu, ..., or all"),
    cl::CommaSeparated, cl::cat(codegenCategory), TFMC_BOTH, cl::sub(cli::inspectCommand));

static cl::opt<bool> printJson("json", cl::desc("Print JSON"), cl::sub(cli::inspectCommand),
                               cl::sub(cli::benchCommand));
static cl::list<std::string> dimValues(
    "dim", cl::desc("NAME=VALUE: a symbolic dim's size for the FLOP count (repeatable)"),
    cl::sub(cli::inspectCommand));
static cl::opt<int64_t> sequenceLength(
    "seq-len", cl::desc("Sequence length FLOPs are counted at (batch 1; default 128)"),
    cl::init(128), cl::sub(cli::inspectCommand));
static cl::opt<std::string> modelName(
    "name", cl::desc("C identifier prefixing the generated API (default: the file's stem)"),
    cl::cat(codegenCategory), TFMC_BOTH);

static cl::list<std::string> dataDirs(cl::Positional, cl::desc("<test-data dir>..."),
                                      cl::OneOrMore, cl::sub(cli::runCommand),
                                      cl::sub(cli::benchCommand));
static cl::opt<double> relativeTolerance("rtol", cl::desc("Relative tolerance for float outputs"),
                            cl::init(1e-3), cl::sub(cli::runCommand));
static cl::opt<double> absoluteTolerance("atol", cl::desc("Absolute tolerance for float outputs"),
                            cl::init(1e-7), cl::sub(cli::runCommand));
static cl::opt<std::string> cacheDir(
    "cache-dir",
    cl::desc("Where compiled models are kept (default: $TFMC_CACHE_DIR, else "
             "$XDG_CACHE_HOME/tfmc, else ~/.cache/tfmc)"),
    cl::sub(cli::runCommand), cl::sub(cli::benchCommand));
static cl::opt<std::string> runOutputDir(
    "output-dir", cl::desc("Where outputs are written when a directory has no expected ones "
                           "(default: <dir>/outputs)"),
    cl::sub(cli::runCommand));
static cl::opt<int> threads("threads", cl::desc("Threads (default: the machine's cores)"),
                            cl::init(0), cl::sub(cli::runCommand), cl::sub(cli::benchCommand));
static cl::opt<int> device("device",
                           cl::desc("The GPU (CUDA device ordinal) for --target=cuda (default 0)"),
                           cl::init(0), cl::sub(cli::runCommand), cl::sub(cli::benchCommand));
static cl::opt<int> iterations("iters", cl::desc("Timed runs (default 20)"), cl::init(20),
                               cl::sub(cli::benchCommand));
static cl::opt<int> warmups("warmup", cl::desc("Untimed runs first (default 3)"), cl::init(3),
                            cl::sub(cli::benchCommand));

static bool readDisabledFusions(std::vector<std::string> &kinds, std::string &error) {
  for (const std::string &kind : noFuse)
    if (!tfm::isFusionKindName(kind)) {
      error = "--no-fuse: unknown fusion kind '" + kind + "' (known: " +
              llvm::join(tfm::fusionKinds(), ", ") + ", or all)";
      return false;
    }
  kinds.assign(noFuse.begin(), noFuse.end());
  return true;
}

bool tfmc::cli::readInspectArgs(InspectArgs &args, std::string &error) {
  args.modelPath = modelPath;
  args.json = printJson;
  args.options.sequenceLength = sequenceLength;
  if (sequenceLength < 1) {
    error = "--seq-len must be positive";
    return false;
  }
  for (const std::string &spec : dimValues) {
    auto [name, value] = StringRef(spec).split('=');
    int64_t size;
    if (name.empty() || value.getAsInteger(10, size) || size < 0) {
      error = "--dim " + spec + ": expected NAME=VALUE";
      return false;
    }
    args.options.dims[tfm::SymExpr::sanitizeName(name)] = size;
  }
  return readDisabledFusions(args.options.disabledFusions, error);
}

bool tfmc::cli::readCompileRequest(CompileRequest &request, std::string &error) {
  if (optLevel > 3) {
    error = "-O" + std::to_string(optLevel) + " is not a level (0 to 3)";
    return false;
  }
  request.modelPath = modelPath;
  request.outputDir = outputDir;
  request.emit = emitKind;
  request.options.cpu = cpu;
  request.options.target = emitKind == EmitKind::PTX ? CompileTarget::CUDA : target.getValue();
  request.options.gpuArch = gpuArch;
  const char *cudaHome = std::getenv("CUDA_HOME");
  request.options.cudaPath = !cudaPath.empty() ? cudaPath.getValue()
                             : cudaHome        ? std::string(cudaHome)
                                               : "/usr/local/cuda";
  if (!StringRef(gpuArch).starts_with("sm_") ||
      !llvm::all_of(StringRef(gpuArch).drop_front(3), llvm::isDigit)) {
    error = "--gpu-arch=" + gpuArch + " is not a compute capability such as sm_80 or sm_90";
    return false;
  }
  std::optional<GpuMatMulPrecision> precision = parseGpuMatMulPrecision(gpuMatMulPrecision);
  if (!precision) {
    error = "--gpu-matmul-precision=" + gpuMatMulPrecision + " is not fp32, tf32, fp16 or bf16";
    return false;
  }
  request.options.gpuMatMulPrecision = *precision;
  request.options.optLevel = optLevel;
  request.options.externalWeights = externalWeights;
  request.options.rowKernels = rowKernels;
  if (!readDisabledFusions(request.options.disabledFusions, error))
    return false;
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
                 threads, device};
}

bool tfmc::cli::readBenchArgs(BenchArgs &args, std::string &error) {
  if (dataDirs.size() != 1) {
    error = "give one directory of inputs";
    return false;
  }
  if (iterations < 1 || warmups < 0) {
    error = "--iters must be positive and --warmup not negative";
    return false;
  }
  args = BenchArgs{dataDirs.front(), cacheDir, threads, device, iterations, warmups, printJson};
  return true;
}
