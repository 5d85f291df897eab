//===- Commands.h - tfmc's subcommands --------------------------*- C++ -*-===//

#ifndef TFMC_TOOLS_TFMC_COMMANDS_H
#define TFMC_TOOLS_TFMC_COMMANDS_H

#include "llvm/Support/CommandLine.h"

#include <string>
#include <vector>

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

extern llvm::cl::SubCommand compileCommand;
/// `tfmc compile`: ONNX to an object or library and a C header.
int runCompile(const char *argv0);

extern llvm::cl::SubCommand runCommand;
/// `tfmc run`: compile (cached), run on a test-data directory, compare.
int runRun(const char *argv0);

/// The model and code generation options both commands share.
bool readCompileRequest(CompileRequest &request, std::string &error);

struct RunArgs {
  std::vector<std::string> dataDirs;
  double rtol, atol;
  std::string cacheDir, outputDir;
  int threads;
};
RunArgs readRunArgs();

} // namespace tfmc::cli

#endif // TFMC_TOOLS_TFMC_COMMANDS_H
