//===- Passes.td - conversions out of the tfm dialect -----*- tablegen -*-===//

#ifndef TFMC_CONVERSION_PASSES_TD
#define TFMC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTfmToLinalg : Pass<"tfm-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower every tfm op to linalg, tensor, arith, math and scf";
  let description = [{
    A full conversion: afterwards no tfm op and no `#tfm.dims` encoding is
    left, and unsigned element types are signless. An op without a lowering
    is reported by name with its ONNX node, before anything is rewritten.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect", "::mlir::func::FuncDialect",
    "::mlir::bufferization::BufferizationDialect", "::mlir::memref::MemRefDialect",
    "::mlir::LLVM::LLVMDialect"
  ];
  let options = [
    Option<"denseAttentionBytes", "dense-attention-bytes", "int64_t",
           /*default=*/"8 << 20",
           "tfm.attention holds all logits at once (batched matmuls and a "
           "whole-tensor softmax) when they are static and take at most this "
           "many bytes; otherwise it runs the blocked (flash) kernel">,
    Option<"rowKernels", "row-kernels", "bool", /*default=*/"false",
           "Lower attention and the norms as row kernels: one scf.forall "
           "over rows whose body does a whole row, which the GPU runs as one "
           "fused kernel">
  ];
}

#endif // TFMC_CONVERSION_PASSES_TD
