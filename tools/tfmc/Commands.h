//===- Commands.h - tfmc's subcommands --------------------------*- C++ -*-===//

#ifndef TFMC_TOOLS_TFMC_COMMANDS_H
#define TFMC_TOOLS_TFMC_COMMANDS_H

#include "llvm/Support/CommandLine.h"

namespace tfmc::cli {

extern llvm::cl::SubCommand importCommand;
/// `tfmc import`: ONNX to tfm MLIR. Returns the process exit code.
int runImport();

extern llvm::cl::SubCommand opsCommand;
/// `tfmc ops`: the supported ONNX operators and versions.
int runOps();

} // namespace tfmc::cli

#endif // TFMC_TOOLS_TFMC_COMMANDS_H
