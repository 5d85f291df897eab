//===- OneLineErrors.h - diagnostics as one line per node --------*- C++ -*-===//

#ifndef TFMC_LIB_DRIVER_ONELINEERRORS_H
#define TFMC_LIB_DRIVER_ONELINEERRORS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringSet.h"

#include <string>

namespace tfmc {

/// Collects error diagnostics as `<model>: node '<name>': <message>` lines.
class OneLineErrors {
public:
  OneLineErrors(mlir::MLIRContext &ctx, llvm::StringRef model)
      : handler(&ctx, [this, model = model.str()](mlir::Diagnostic &diag) {
          if (diag.getSeverity() != mlir::DiagnosticSeverity::Error)
            return mlir::success();
          std::string node;
          mlir::Location loc = diag.getLocation();
          if (auto fused = llvm::dyn_cast<mlir::FusedLoc>(loc); fused && !fused.getLocations().empty())
            loc = fused.getLocations().front();
          if (auto name = llvm::dyn_cast<mlir::NameLoc>(loc))
            node = "node '" + name.getName().str() + "': ";
          std::string line = model + ": " + node + diag.str();
          if (!seen.contains(line)) {
            seen.insert(line);
            lines += (lines.empty() ? "" : "\n") + line;
          }
          return mlir::success();
        }) {}
  std::string take(llvm::StringRef fallback) { return lines.empty() ? fallback.str() : lines; }

private:
  llvm::StringSet<> seen;
  std::string lines;
  mlir::ScopedDiagnosticHandler handler;
};

} // namespace tfmc

#endif // TFMC_LIB_DRIVER_ONELINEERRORS_H
