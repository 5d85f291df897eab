//===- Driver.h - an ONNX file to compiled artifacts ------------*- C++ -*-===//
//
// What `tfmc compile` and `tfmc run` share: import, simplify, lower, emit,
// with every error reduced to one line naming the ONNX node.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_DRIVER_DRIVER_H
#define TFMC_DRIVER_DRIVER_H

#include "tfmc/Codegen/Compiler.h"

#include <string>
#include <vector>

namespace tfmc {

enum class EmitKind { Object, Library, MLIR, LLVMIR, Assembly, PTX };

struct CompileRequest {
  std::string modelPath;
  std::string outputDir;
  EmitKind emit = EmitKind::Object;
  CompileOptions options;
  /// libtfmrt.a, for EmitKind::Library.
  std::string runtimeArchive;
};

/// A C identifier from a file name: `bert-base.onnx` → `bert_base`.
std::string defaultModelName(llvm::StringRef modelPath);

/// Compiles one model; `written` receives the files created. On failure
/// `error` holds one line per problem, each naming its node.
bool compileModelFile(const CompileRequest &request, std::vector<std::string> &written,
                      std::string &error);

} // namespace tfmc

#endif // TFMC_DRIVER_DRIVER_H
