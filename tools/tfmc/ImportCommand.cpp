//===- ImportCommand.cpp - tfmc import ------------------------------------===//

#include "Commands.h"

#include "tfmc/Import/OnnxImporter.h"
#include "tfmc/Passes/ShapePasses.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

cl::SubCommand tfmc::cli::importCommand(
    "import", "Import an ONNX model and print it as MLIR in the tfm dialect");

static cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx | model.onnxtxt>"),
                                      cl::Required, cl::sub(tfmc::cli::importCommand));
static cl::opt<std::string> outputPath("o", cl::desc("Output file (default: stdout)"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::sub(tfmc::cli::importCommand));
static cl::opt<bool> noSimplify("no-simplify",
                                cl::desc("Skip shape inference and folding after import"),
                                cl::sub(tfmc::cli::importCommand));
static cl::opt<bool> keepWeights(
    "keep-weights",
    cl::desc("Print weight blobs in full (default: elide those over 1 KiB)"),
    cl::sub(tfmc::cli::importCommand));
static cl::opt<std::string> functionName("func-name", cl::desc("Name of the imported function"),
                                         cl::init("main_graph"),
                                         cl::sub(tfmc::cli::importCommand));
static cl::opt<int64_t> inlineLimit(
    "inline-elements",
    cl::desc("Initializers with more elements become dense_resource blobs"), cl::init(16),
    cl::sub(tfmc::cli::importCommand));

int tfmc::cli::runImport() {
  mlir::MLIRContext ctx;
  ImportOptions options;
  options.functionName = functionName;
  options.inlineElementLimit = inlineLimit;
  std::string error;
  mlir::OwningOpRef<mlir::ModuleOp> module = importOnnxModel(inputPath, ctx, options, error);
  if (!module) {
    errs() << error << "\n";
    return 1;
  }

  if (!noSimplify) {
    mlir::PassManager pm(&ctx);
    if (mlir::failed(mlir::applyPassManagerCLOptions(pm)))
      return 1;
    tfm::buildShapeSimplificationPipeline(pm);
    // Keep errors to one line, naming the op's node as the importer does.
    std::string firstError;
    mlir::ScopedDiagnosticHandler handler(&ctx, [&](mlir::Diagnostic &diag) {
      if (diag.getSeverity() == mlir::DiagnosticSeverity::Error && firstError.empty()) {
        std::string node;
        if (auto name = dyn_cast<mlir::NameLoc>(diag.getLocation()))
          node = "node '" + name.getName().str() + "': ";
        firstError = node + diag.str();
      }
      return mlir::success();
    });
    if (mlir::failed(pm.run(*module))) {
      errs() << inputPath << ": shape inference failed: " << firstError << "\n";
      return 1;
    }
  }

  std::string openError;
  std::unique_ptr<ToolOutputFile> out = mlir::openOutputFile(outputPath, &openError);
  if (!out) {
    errs() << outputPath << ": " << openError << "\n";
    return 1;
  }
  mlir::OpPrintingFlags flags;
  if (!keepWeights)
    flags.elideLargeResourceString(1024);
  module->print(out->os(), flags);
  out->keep();
  return 0;
}
