//===- MatMulToRuntime.cpp - f32 matrix products as runtime calls ---------===//
//
// A bufferized f32 contraction (C = A x B over optional batch dims, the form
// the tfm lowering builds for MatMul and Gemm) becomes a call of the
// runtime's tuned kernel, tfmrt_matmul_f32, instead of scalar loops. The
// kernel overwrites C, so the zeroing before the contraction goes away.
// Outer batch dims become loops around one call per innermost batch.
//
// The elementwise op that first reads C (bias, GELU, residual) runs on each
// block of C as the kernel finishes it (MatMulEpilogue.h).
//
// When B is a constant weight (a whole [K, N] global that every batch
// shares), it is packed here, at compile time, into the kernel's 16-column
// panels (TFMRT_PACKED_B_PANEL): a new global, once per weight, that
// tfmrt_matmul_f32_packed_b reads without repacking on every call.
//
//===----------------------------------------------------------------------===//

#include "MatMulEpilogue.h"
#include "MatMulMatch.h"
#include "tfmc/Codegen/Compiler.h"
#include "tfmrt/tfmrt.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;
using namespace tfmc;

namespace {

constexpr llvm::StringLiteral kMatMulFunction = "tfmrt_matmul_f32";
constexpr llvm::StringLiteral kPackedMatMulFunction = "tfmrt_matmul_f32_packed_b";

func::FuncOp declareFunction(ModuleOp module, StringRef name, ArrayRef<Type> args) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder b(module.getBodyRegion());
  auto func = func::FuncOp::create(b, module.getLoc(), name,
                                   FunctionType::get(module.getContext(), args, {}));
  func.setPrivate();
  return func;
}

/// The copy of a constant [K, N] weight packed into the kernel's 16-column
/// panels, zero-padded.
memref::GlobalOp packWeight(WeightCopies &copies, memref::GlobalOp source, ArrayRef<float> b) {
  MemRefType type = source.getType();
  int64_t k = type.getDimSize(0), n = type.getDimSize(1);
  const int64_t width = TFMRT_PACKED_B_PANEL, panels = (n + width - 1) / width;
  int64_t size = std::max<int64_t>(panels * k * width, 1);
  AsmResourceBlob blob = HeapAsmResourceBlob::allocate(size * sizeof(float), 64);
  auto *out = reinterpret_cast<float *>(blob.getMutableData().data());
  std::fill(out, out + size, 0.0f);
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t row = 0; row < k; ++row)
      for (int64_t j = 0; j < width && p * width + j < n; ++j)
        out[(p * k + row) * width + j] = b[row * n + p * width + j];

  std::string name = (source.getSymName() + "_packed").str();
  auto tensorType = RankedTensorType::get({size}, type.getElementType());
  return copies.addGlobal(source, name, MemRefType::get({size}, type.getElementType()),
                          DenseF32ResourceElementsAttr::get(tensorType, name, std::move(blob)));
}

/// Emits the call(s) for `shape` at the builder's point, using the
/// function's instance; with `packedB`, of the kernel that reads that packed
/// global for B; with `epilogue`, of the variant that runs it.
void emitCalls(OpBuilder &b, Location loc, const MatMulShape &shape, Value instance,
               memref::GlobalOp packedB, std::optional<EpilogueArgs> epilogue) {
  Type i64 = b.getI64Type(), ptr = LLVM::LLVMPointerType::get(b.getContext());
  ModuleOp module = b.getInsertionBlock()->getParentOp()->getParentOfType<ModuleOp>();
  auto toI64 = [&](Value index) -> Value {
    return arith::IndexCastOp::create(b, loc, i64, index);
  };
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);

  struct Metadata {
    const OperandLayout *layout;
    memref::ExtractStridedMetadataOp meta;
    Value aligned;
  };
  auto metadata = [&](const OperandLayout &layout) -> Metadata {
    auto meta = memref::ExtractStridedMetadataOp::create(b, loc, layout.memref);
    Value aligned = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, layout.memref);
    return {&layout, meta, aligned};
  };
  Metadata a = metadata(shape.a);
  std::optional<Metadata> bm;
  if (!packedB)
    bm = metadata(shape.b);
  Metadata c = metadata(shape.c);
  // Outer batch loops (all but the innermost batch dim) iterate C's sizes.
  SmallVector<Value> outerIndices;
  int64_t outer = std::max<int64_t>(shape.batchRank - 1, 0);
  for (int64_t i = 0; i < outer; ++i) {
    Value size = c.meta.getSizes()[shape.c.batchDims[i]];
    auto loop = scf::ForOp::create(b, loc, zero, size, one);
    b.setInsertionPointToStart(loop.getBody());
    outerIndices.push_back(loop.getInductionVar());
  }

  // A pointer to an operand's element at the outer batch indices.
  auto pointer = [&](Metadata m) -> Value {
    Value elements = m.meta.getOffset();
    for (int64_t i = 0; i < outer; ++i)
      if (int64_t dim = m.layout->batchDims[i]; dim >= 0)
        elements = arith::AddIOp::create(
            b, loc, elements, arith::MulIOp::create(b, loc, outerIndices[i], m.meta.getStrides()[dim]));
    Value four = arith::ConstantIndexOp::create(b, loc, 4);
    Value address = arith::AddIOp::create(b, loc, m.aligned,
                                          arith::MulIOp::create(b, loc, elements, four));
    return LLVM::IntToPtrOp::create(b, loc, ptr, toI64(address));
  };
  auto innerBatchStride = [&](Metadata m) -> Value {
    int64_t dim = shape.batchRank > 0 ? m.layout->batchDims[shape.batchRank - 1] : -1;
    return toI64(dim >= 0 ? m.meta.getStrides()[dim] : zero);
  };
  Value batch = shape.batchRank > 0
                    ? c.meta.getSizes()[shape.c.batchDims[shape.batchRank - 1]]
                    : one;
  Value m = c.meta.getSizes()[shape.c.rowDim], n = c.meta.getSizes()[shape.c.colDim];
  Value k = a.meta.getSizes()[shape.a.colDim];
  SmallVector<Value> args{instance,
                          toI64(batch),
                          toI64(m),
                          toI64(n),
                          toI64(k),
                          pointer(a),
                          innerBatchStride(a),
                          toI64(a.meta.getStrides()[shape.a.rowDim])};
  if (packedB) {
    Value global = memref::GetGlobalOp::create(b, loc, packedB.getType(), packedB.getSymName());
    Value address = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, global);
    args.push_back(LLVM::IntToPtrOp::create(b, loc, ptr, toI64(address)));
  } else {
    args.append(
        {pointer(*bm), innerBatchStride(*bm), toI64(bm->meta.getStrides()[shape.b.rowDim])});
  }
  args.append({pointer(c), innerBatchStride(c), toI64(c.meta.getStrides()[shape.c.rowDim])});
  if (epilogue)
    args.append({epilogue->function, epilogue->captures});
  SmallVector<Type> types;
  for (Value arg : args)
    types.push_back(arg.getType());
  std::string name = (packedB ? kPackedMatMulFunction : kMatMulFunction).str();
  if (epilogue)
    name += "_epilogue";
  func::FuncOp callee = declareFunction(module, name, types);
  func::CallOp::create(b, loc, callee, args);
}

struct MatMulToRuntimePass : PassWrapper<MatMulToRuntimePass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(MatMulToRuntimePass)

  StringRef getArgument() const override { return "tfm-matmul-to-runtime"; }
  StringRef getDescription() const override {
    return "Call the runtime's f32 matmul kernel for bufferized matrix products";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, func::FuncDialect, LLVM::LLVMDialect,
                    memref::MemRefDialect, scf::SCFDialect>();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Dropping the packed weights' sources saves BERT-base's compilation
    // 2.15 -> 1.81 GB of peak memory.
    WeightCopies packed(module, packWeight);
    LLVMTypeConverter converter(module.getContext());
    unsigned outlined = 0;
    for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
      Value instance = tfmc::getInstanceArgument(func);
      if (!instance)
        continue;
      std::vector<std::pair<linalg::GenericOp, MatMulShape>> matches;
      func.walk([&](linalg::GenericOp op) {
        if (std::optional<MatMulShape> shape = matchMatMul(op))
          matches.push_back({op, *shape});
      });
      // The zeroing of each C goes first, in order: a buffer zero-filled for
      // one product can be copied as the zeros of earlier ones, and its fill
      // shows as the later one's zeroing once those copies are gone.
      llvm::erase_if(matches, [](auto &match) {
        Operation *zeroing = zeroingBefore(match.first, match.second.c.memref);
        if (zeroing)
          zeroing->erase();
        return !zeroing;
      });
      // Every epilogue is chosen before any call replaces a product: each
      // product that moves to its epilogue's place is checked against the
      // generics it passes, which the calls would hide.
      SmallVector<linalg::GenericOp> epilogues;
      llvm::DenseSet<Operation *> claimed;
      for (auto &[op, shape] : matches) {
        linalg::GenericOp epilogue = findEpilogue(op, shape);
        epilogues.push_back(epilogue && claimed.insert(epilogue).second ? epilogue
                                                                        : linalg::GenericOp());
      }
      for (auto [match, epilogue] : llvm::zip_equal(matches, epilogues)) {
        auto &[op, shape] = match;
        memref::GlobalOp packedB = packed.copyOf(shape.b);
        OpBuilder b(epilogue ? epilogue.getOperation() : op.getOperation());
        std::optional<EpilogueArgs> epilogueArgs;
        if (epilogue) {
          std::string name = (func.getSymName() + "_epilogue_" + Twine(outlined++)).str();
          epilogueArgs = outlineEpilogue(b, epilogue, shape, func, name, converter);
        }
        emitCalls(b, op.getLoc(), shape, instance, packedB, epilogueArgs);
        if (epilogueArgs)
          epilogue.erase();
        op.erase();
        if (auto getGlobal = shape.b.memref.getDefiningOp<memref::GetGlobalOp>();
            packedB && getGlobal.use_empty())
          getGlobal.erase();
      }
    }
    packed.eraseUnusedSources();
  }
};

} // namespace

Value tfmc::getInstanceArgument(func::FuncOp func) {
  for (BlockArgument arg : func.getArguments())
    if (func.getArgAttr(arg.getArgNumber(), kInstanceArgAttr))
      return arg;
  return Value();
}

std::unique_ptr<Pass> tfmc::createMatMulToRuntimePass() {
  return std::make_unique<MatMulToRuntimePass>();
}
