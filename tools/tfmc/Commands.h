//===- Commands.h - tfmc's subcommands --------------------------*- C++ -*-===//

#ifndef TFMC_TOOLS_TFMC_COMMANDS_H
#define TFMC_TOOLS_TFMC_COMMANDS_H

#include "llvm/Support/CommandLine.h"

#include <string>
#include <vector>

#include "tfmc/Driver/Inspect.h"

namespace tfmc {
struct CompileRequest;
} // namespace tfmc

namespace tfmc::cli {

extern llvm::cl::SubCommand importCommand;
/// `tfmc import`: ONNX to tfm MLIR. Returns the process exit code.
int runImport();

extern llvm::cl::SubCommand opsCommand;
/// `tfmc ops`: the supported ONNX operators and versions.
int runOps();

extern llvm::cl::SubCommand inspectCommand;
/// `tfmc inspect`: operators, parameters, FLOPs, fused and unfused blocks.
int runInspect();

struct InspectArgs {
  std::string modelPath;
  bool json = false;
  InspectOptions options;
};
bool readInspectArgs(InspectArgs &args, std::string &error);

extern llvm::cl::SubCommand compileCommand;
/// `tfmc compile`: ONNX to an object or library and a C header.
int runCompile(const char *argv0);

extern llvm::cl::SubCommand runCommand;
/// `tfmc run`: compile (cached), run on a test-data directory, compare.
int runRun(const char *argv0);

extern llvm::cl::SubCommand benchCommand;
/// `tfmc bench`: compile (cached) and time runs on one input directory.
int runBench(const char *argv0);

struct BenchArgs {
  std::string dataDir, cacheDir;
  int threads, device, iterations, warmups;
  bool json;
};
bool readBenchArgs(BenchArgs &args, std::string &error);

/// The model and code generation options the compiling commands share.
bool readCompileRequest(CompileRequest &request, std::string &error);

struct RunArgs {
  std::vector<std::string> dataDirs;
  double rtol, atol;
  std::string cacheDir, outputDir;
  int threads, device;
};
RunArgs readRunArgs();

} // namespace tfmc::cli

#endif // TFMC_TOOLS_TFMC_COMMANDS_H
