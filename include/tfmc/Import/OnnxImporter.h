//===- OnnxImporter.h - ONNX models into the tfm dialect --------*- C++ -*-===//

#ifndef TFMC_IMPORT_ONNXIMPORTER_H
#define TFMC_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <map>
#include <string>
#include <vector>

namespace tfmc {

struct ImportOptions {
  /// Name of the function the graph becomes.
  std::string functionName = "main_graph";
  /// Initializers with more elements become `dense_resource` blobs instead
  /// of inline `dense` attributes.
  int64_t inlineElementLimit = 16;
};

/// Imports a binary `.onnx` file, or ONNX's text syntax (`.onnxtxt`), with
/// external data resolved next to it. Returns null on failure and sets
/// `error` to one line: `<path>: node '<name>' (<op>): <message>` (or
/// `<path>: <message>` for model-level problems).
mlir::OwningOpRef<mlir::ModuleOp> importOnnxModel(llvm::StringRef path, mlir::MLIRContext &ctx,
                                                  const ImportOptions &options,
                                                  std::string &error);

/// What an ONNX file holds, counted without importing it.
struct OnnxModelStats {
  /// Nodes per operator, subgraphs included: "MatMul", "com.microsoft::Attention".
  std::map<std::string, int64_t> ops;
  /// Elements of all initializers (the weights).
  int64_t parameters = 0;
};
bool readOnnxModelStats(llvm::StringRef path, OnnxModelStats &stats, std::string &error);

/// An operator the importer accepts.
struct SupportedOnnxOp {
  std::string name;
  /// Empty for ai.onnx.
  std::string domain;
  /// The operator versions whose semantics tfmc implements.
  std::vector<int> versions;
  /// The tfm ops a node becomes.
  std::string summary;
};

/// Every operator the importer accepts, default domain first.
std::vector<SupportedOnnxOp> supportedOnnxOps();

} // namespace tfmc

#endif // TFMC_IMPORT_ONNXIMPORTER_H
