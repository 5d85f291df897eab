//===- tfmc-opt.cpp - run tfmc passes on MLIR text, like mlir-opt ---------===//

#include "tfmc/Codegen/Compiler.h"
#include "tfmc/Conversion/TfmToLinalg.h"
#include "tfmc/Dialect/Tfm.h"
#include "tfmc/Passes/FusionPasses.h"
#include "tfmc/Passes/ShapePasses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses();
  tfmc::tfm::registerShapePasses();
  tfmc::tfm::registerTfmFusionPasses();
  tfmc::registerTfmConversionPasses();
  tfmc::registerCodegenPasses();

  mlir::DialectRegistry registry;
  registry.insert<tfmc::tfm::TfmDialect, mlir::func::FuncDialect, mlir::arith::ArithDialect,
                  mlir::linalg::LinalgDialect, mlir::LLVM::LLVMDialect, mlir::NVVM::NVVMDialect, mlir::math::MathDialect,
                  mlir::memref::MemRefDialect, mlir::scf::SCFDialect, mlir::gpu::GPUDialect,
                  mlir::tensor::TensorDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "tfmc optimizer driver\n", registry));
}
