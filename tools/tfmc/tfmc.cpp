//===- tfmc.cpp - the tfmc command line -----------------------------------===//

#include "Commands.h"

#include "tfmc/Codegen/Compiler.h"
#include "tfmc/Conversion/TfmToLinalg.h"
#include "tfmc/Passes/FusionPasses.h"
#include "tfmc/Passes/ShapePasses.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  // --mlir-print-ir-after-all, --mlir-timing, --mlir-elide-... pass through.
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  // Passes first: --mlir-print-ir-after=NAME resolves names when the pass
  // manager's options are registered.
  tfmc::tfm::registerShapePasses();
  tfmc::tfm::registerTfmFusionPasses();
  tfmc::registerTfmConversionPasses();
  tfmc::registerCodegenPasses();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  cl::SetVersionPrinter([](raw_ostream &os) { os << "tfmc " << TFMC_VERSION << "\n"; });
  cl::ParseCommandLineOptions(argc, argv,
                              "tfmc: an ahead-of-time compiler for transformer models\n\n"
                              "  tfmc import model.onnx   print the model as tfm MLIR\n"
                              "  tfmc compile model.onnx -o out/   object + C header\n"
                              "  tfmc run model.onnx DATA_DIR      compile, run, compare\n"
                              "  tfmc bench model.onnx INPUT_DIR   time compiled runs\n"
                              "  tfmc inspect model.onnx  operators, FLOPs, fused blocks\n"
                              "  tfmc ops                 list the supported ONNX operators\n\n"
                              "Run 'tfmc <subcommand> --help' for a subcommand's options.\n");
  if (tfmc::cli::importCommand)
    return tfmc::cli::runImport();
  if (tfmc::cli::opsCommand)
    return tfmc::cli::runOps();
  if (tfmc::cli::inspectCommand)
    return tfmc::cli::runInspect();
  if (tfmc::cli::compileCommand)
    return tfmc::cli::runCompile(argv[0]);
  if (tfmc::cli::runCommand)
    return tfmc::cli::runRun(argv[0]);
  if (tfmc::cli::benchCommand)
    return tfmc::cli::runBench(argv[0]);
  errs() << "tfmc: no subcommand given; run 'tfmc --help'\n";
  return 1;
}
