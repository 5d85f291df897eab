//===- tfmc-opt.cpp - run tfmc passes on MLIR text, like mlir-opt ---------===//

#include "tfmc/Dialect/Tfm.h"
#include "tfmc/Passes/ShapePasses.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  tfmc::tfm::registerShapePasses();

  mlir::DialectRegistry registry;
  registry.insert<tfmc::tfm::TfmDialect, mlir::func::FuncDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "tfmc optimizer driver\n", registry));
}
