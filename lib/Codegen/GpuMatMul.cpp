//===- GpuMatMul.cpp - matrix products as tiled GPU kernels ---------------===//
//
// On the CUDA target, a bufferized f32 product that a zero fill precedes
// (MatMulMatch.h: C[b.., m, n] = A[b.., m, k] x B[b.., k, n]) becomes a
// launch of a tiled matmul kernel (GpuMatMulKernels.cpp) instead of one
// thread per element of C looping over K. The kernel overwrites C, so the
// zero fill goes. Outer batch dims become host loops around one launch per
// innermost batch (the grid's z), as on the CPU.
//
// With --gpu-matmul-precision=fp16 or bf16, a constant weight operand (a
// whole 2-D global, shared by every batch) is rounded to that type here, at
// compile time: a new global, half the bytes to upload and to read.
//
//===----------------------------------------------------------------------===//

#include "GpuMatMulKernels.h"
#include "MatMulMatch.h"
#include "tfmc/Codegen/Gpu.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/Pass.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace tfmc;

namespace {

/// f32 to bf16 bits, to nearest even (NaNs stay quiet NaNs).
uint16_t toBFloat16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  if ((bits & 0x7fffffff) > 0x7f800000)
    return uint16_t((bits >> 16) | 0x40);
  bits += 0x7fff + ((bits >> 16) & 1);
  return uint16_t(bits >> 16);
}

/// f32 to IEEE half bits, to nearest even: overflow to infinity, small
/// values to subnormals (the same rounding as the GPU's cvt.rn.f16.f32).
uint16_t toHalf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  uint16_t sign = uint16_t((bits >> 16) & 0x8000);
  uint32_t magnitude = bits & 0x7fffffff;
  if (magnitude > 0x7f800000)
    return sign | 0x7e00; // NaN
  if (magnitude >= 0x477ff000)
    return sign | 0x7c00; // 65520 and up round to infinity
  if (magnitude < 0x38800000) // below 2^-14: a multiple of 2^-24, exactly scaled
    return sign | uint16_t(std::nearbyint(std::fabs(value) * 16777216.0f));
  uint32_t rebased = magnitude - 0x38000000; // exponent bias 127 -> 15
  rebased += 0xfff + ((rebased >> 13) & 1);
  return sign | uint16_t(rebased >> 13);
}

/// The copy of a constant weight rounded to the kernel's operand type `to`
/// (f16 or bf16).
memref::GlobalOp roundWeight(WeightCopies &copies, memref::GlobalOp source,
                             ArrayRef<float> values, Type to) {
  AsmResourceBlob blob = HeapAsmResourceBlob::allocate(values.size() * 2, 64);
  auto *out = reinterpret_cast<uint16_t *>(blob.getMutableData().data());
  bool half = to.isF16();
  for (size_t i = 0; i < values.size(); ++i)
    out[i] = half ? toHalf(values[i]) : toBFloat16(values[i]);
  std::string name = (source.getSymName() + (half ? "_f16" : "_bf16")).str();
  auto tensorType = RankedTensorType::get(source.getType().getShape(), to);
  return copies.addGlobal(source, name, MemRefType::get(tensorType.getShape(), to),
                          DenseResourceElementsAttr::get(tensorType, name, std::move(blob)));
}

/// One operand's metadata at the launch.
struct Operand {
  const OperandLayout *layout;
  memref::ExtractStridedMetadataOp meta;
};

/// Emits the launch(es) of `kernel` for `shape` before `op`; `a` and `b`
/// replace the operands' buffers when they were rounded at compile time.
void emitLaunches(linalg::GenericOp op, const MatMulShape &shape, gpu::GPUFuncOp kernel,
                  GpuMatMulPrecision precision, const OperandLayout &aLayout,
                  const OperandLayout &bLayout) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto index = [&](int64_t value) -> Value { return arith::ConstantIndexOp::create(b, loc, value); };
  Value zero = index(0), one = index(1);
  auto operand = [&](const OperandLayout &layout) {
    return Operand{&layout, memref::ExtractStridedMetadataOp::create(b, loc, layout.memref)};
  };
  Operand a = operand(aLayout), bo = operand(bLayout), c = operand(shape.c);

  SmallVector<Value> outerIndices;
  int64_t outer = std::max<int64_t>(shape.batchRank - 1, 0);
  for (int64_t i = 0; i < outer; ++i) {
    auto loop = scf::ForOp::create(b, loc, zero, c.meta.getSizes()[shape.c.batchDims[i]], one);
    b.setInsertionPointToStart(loop.getBody());
    outerIndices.push_back(loop.getInductionVar());
  }
  int64_t inner = shape.batchRank - 1; // the innermost batch loop, if any
  auto innerBatchDim = [&](Operand m) -> int64_t {
    return inner >= 0 ? m.layout->batchDims[inner] : -1;
  };
  // The operand as a 1-D view from its matrix at the outer batch indices,
  // spanning the innermost batch's matrices.
  auto view = [&](Operand m) -> Value {
    Value offset = m.meta.getOffset();
    for (int64_t i = 0; i < outer; ++i)
      if (int64_t dim = m.layout->batchDims[i]; dim >= 0)
        offset = arith::AddIOp::create(
            b, loc, offset,
            arith::MulIOp::create(b, loc, outerIndices[i], m.meta.getStrides()[dim]));
    Value span = one;
    SmallVector<int64_t> dims{m.layout->rowDim, m.layout->colDim};
    if (innerBatchDim(m) >= 0)
      dims.push_back(innerBatchDim(m));
    for (int64_t dim : dims) {
      Value last = arith::SubIOp::create(b, loc, m.meta.getSizes()[dim], one);
      span = arith::AddIOp::create(b, loc, span,
                                   arith::MulIOp::create(b, loc, last, m.meta.getStrides()[dim]));
    }
    span = arith::MaxSIOp::create(b, loc, span, zero); // an empty matrix launches nothing
    Type element = cast<MemRefType>(m.layout->memref.getType()).getElementType();
    auto type = MemRefType::get({ShapedType::kDynamic}, element,
                                StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic, {1}));
    return memref::ReinterpretCastOp::create(b, loc, type, m.meta.getBaseBuffer(),
                                             OpFoldResult(offset), {OpFoldResult(span)},
                                             {OpFoldResult(b.getIndexAttr(1))});
  };
  auto batchStride = [&](Operand m) -> Value {
    int64_t dim = innerBatchDim(m);
    return dim >= 0 ? m.meta.getStrides()[dim] : zero;
  };
  auto rowStride = [&](Operand m) -> Value { return m.meta.getStrides()[m.layout->rowDim]; };

  Value batch = inner >= 0 ? c.meta.getSizes()[shape.c.batchDims[inner]] : one;
  Value m = c.meta.getSizes()[shape.c.rowDim], n = c.meta.getSizes()[shape.c.colDim];
  Value k = a.meta.getSizes()[aLayout.colDim];
  SmallVector<Value> args{view(a),         view(bo),     view(c),           m,
                          n,               k,            batch,             batchStride(a),
                          rowStride(a),    batchStride(bo), rowStride(bo), batchStride(c),
                          rowStride(c)};
  Value tiles = arith::MulIOp::create(
      b, loc, arith::CeilDivUIOp::create(b, loc, m, index(kMatMulTileM)),
      arith::CeilDivUIOp::create(b, loc, n, index(kMatMulTileN)));
  Value zBlocks = arith::MinUIOp::create(b, loc, batch, index(65535));
  gpu::LaunchFuncOp::create(b, loc, kernel, gpu::KernelDim3{tiles, one, zBlocks},
                            gpu::KernelDim3{index(matMulThreads(precision)), one, one},
                            Value(), args);
}

struct GpuMatMul : PassWrapper<GpuMatMul, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(GpuMatMul)
  GpuMatMul() = default;
  GpuMatMul(const GpuMatMul &other) : PassWrapper(other) {}
  explicit GpuMatMul(GpuMatMulPrecision value) { precision = toString(value).str(); }

  StringRef getArgument() const override { return "tfm-gpu-matmul"; }
  StringRef getDescription() const override {
    return "Launch tiled matmul kernels (SIMT fp32, or mma.sync) for bufferized matrix products";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, gpu::GPUDialect, LLVM::LLVMDialect, math::MathDialect,
                    memref::MemRefDialect, NVVM::NVVMDialect, scf::SCFDialect>();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<GpuMatMulPrecision> parsed = parseGpuMatMulPrecision(precision);
    if (!parsed) {
      module.emitError("tfm-gpu-matmul: precision '")
          << precision << "' is not one of fp32, tf32, fp16, bf16";
      return signalPassFailure();
    }
    std::vector<std::pair<linalg::GenericOp, MatMulShape>> matches;
    for (auto func : module.getOps<func::FuncOp>())
      func.walk([&](linalg::GenericOp op) {
        if (std::optional<MatMulShape> shape = matchMatMul(op))
          matches.push_back({op, *shape});
      });
    if (matches.empty())
      return;

    Type operandType = matMulOperandType(&getContext(), *parsed);
    bool rounds = !operandType.isF32();
    WeightCopies weights(module, [&](WeightCopies &copies, memref::GlobalOp source,
                                     ArrayRef<float> values) {
      return roundWeight(copies, source, values, operandType);
    });
    gpu::GPUModuleOp kernels;
    for (auto &[op, shape] : matches) {
      Operation *zeroing = zeroingBefore(op, shape.c.memref);
      if (!zeroing)
        continue; // accumulates into C: stays a loop nest
      if (!kernels)
        kernels = kernelModule(module);
      // Constant operands rounded at compile time; the kernel reads them as is.
      OperandLayout a = shape.a, b = shape.b;
      SmallVector<Operation *> replaced;
      for (OperandLayout *layout : {&a, &b}) {
        memref::GlobalOp global = rounds ? weights.copyOf(*layout) : nullptr;
        if (!global)
          continue;
        OpBuilder builder(op);
        replaced.push_back(layout->memref.getDefiningOp());
        layout->memref =
            memref::GetGlobalOp::create(builder, op.getLoc(), global.getType(), global.getSymName());
      }
      auto elementOf = [](const OperandLayout &layout) {
        return cast<MemRefType>(layout.memref.getType()).getElementType();
      };
      gpu::GPUFuncOp kernel =
          getOrBuildMatMulKernel(kernels, *parsed, elementOf(a), elementOf(b));
      emitLaunches(op, shape, kernel, *parsed, a, b);
      zeroing->erase();
      op.erase();
      for (Operation *getGlobal : replaced)
        if (getGlobal->use_empty())
          getGlobal->erase();
    }
    weights.eraseUnusedSources();
  }

  /// The gpu.module the kernels go to (tfm-merge-gpu-modules later joins it
  /// with the outlined ones).
  static gpu::GPUModuleOp kernelModule(ModuleOp module) {
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(), UnitAttr::get(module.getContext()));
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    auto kernels = gpu::GPUModuleOp::create(b, module.getLoc(), "tfm_matmul_kernels");
    SymbolTable(module).insert(kernels);
    return kernels;
  }

  Option<std::string> precision{*this, "precision",
                                llvm::cl::desc("fp32 (exact, SIMT), tf32, fp16 or bf16 (mma.sync)"),
                                llvm::cl::init("fp32")};
};

} // namespace

StringRef tfmc::toString(GpuMatMulPrecision precision) {
  switch (precision) {
  case GpuMatMulPrecision::FP32:
    return "fp32";
  case GpuMatMulPrecision::TF32:
    return "tf32";
  case GpuMatMulPrecision::FP16:
    return "fp16";
  case GpuMatMulPrecision::BF16:
    return "bf16";
  }
  llvm_unreachable("precision");
}

std::optional<GpuMatMulPrecision> tfmc::parseGpuMatMulPrecision(StringRef name) {
  for (GpuMatMulPrecision precision : {GpuMatMulPrecision::FP32, GpuMatMulPrecision::TF32,
                                       GpuMatMulPrecision::FP16, GpuMatMulPrecision::BF16})
    if (name == toString(precision))
      return precision;
  return std::nullopt;
}

std::unique_ptr<Pass> tfmc::createGpuMatMulPass(GpuMatMulPrecision precision) {
  return std::make_unique<GpuMatMul>(precision);
}
