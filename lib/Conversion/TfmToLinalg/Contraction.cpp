//===- Contraction.cpp - MatMul, Gemm and friends -------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
using tfmc::tfm::Dims;
namespace tfm = tfmc::tfm;

namespace {

/// The map from `numLoops` loops to the first `count` of them.
AffineMap leadingLoopsMap(int64_t numLoops, int64_t count, MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < count; ++i)
    exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(numLoops, 0, exprs, ctx);
}

/// The iteration space of numpy matmul over converted `a` and `b`: loops
/// (batch..., [m], [n], k) with batch dims broadcast and 1-D operands
/// promoted, the operands' maps, and the result's dynamic sizes.
struct MatMulSpace {
  int64_t numLoops;
  bool hasM, hasN;
  AffineExpr m, n;
  AffineMap aMap, bMap, resultMap;
  SmallVector<Value> dynamicSizes;

  MatMulSpace(OpBuilder &builder, Location loc, Value a, Value b, Value originalA, Value originalB,
              Value originalResult, RankedTensorType resultType) {
    MLIRContext *ctx = builder.getContext();
    auto aType = cast<RankedTensorType>(a.getType());
    auto bType = cast<RankedTensorType>(b.getType());
    int64_t ra = aType.getRank(), rb = bType.getRank();
    int64_t resultRank = resultType.getRank();
    hasM = ra > 1;
    hasN = rb > 1;
    int64_t batchRank = resultRank - (hasM ? 1 : 0) - (hasN ? 1 : 0);
    numLoops = resultRank + 1;
    AffineExpr k = getAffineDimExpr(numLoops - 1, ctx);
    m = getAffineDimExpr(batchRank, ctx);
    n = getAffineDimExpr(batchRank + (hasM ? 1 : 0), ctx);

    Dims resultDims = tfm::getDims(originalResult.getType());
    Dims aDims = tfm::getDims(originalA.getType());
    Dims bDims = tfm::getDims(originalB.getType());
    // Batch dims of one operand, right-aligned to the result's.
    auto batchExprs = [&](RankedTensorType type, int64_t operandBatch) {
      SmallVector<AffineExpr> exprs;
      for (int64_t j = 0; j < operandBatch; ++j) {
        int64_t i = j + batchRank - operandBatch;
        bool broadcast = type.getDimSize(j) == 1 && resultType.getDimSize(i) != 1;
        exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx) : getAffineDimExpr(i, ctx));
      }
      return exprs;
    };
    int64_t aBatch = std::max<int64_t>(ra - 2, 0), bBatch = std::max<int64_t>(rb - 2, 0);
    SmallVector<AffineExpr> aExprs = batchExprs(aType, aBatch);
    if (hasM)
      aExprs.push_back(m);
    aExprs.push_back(k);
    SmallVector<AffineExpr> bExprs = batchExprs(bType, bBatch);
    bExprs.push_back(k);
    if (hasN)
      bExprs.push_back(n);
    aMap = AffineMap::get(numLoops, 0, aExprs, ctx);
    bMap = AffineMap::get(numLoops, 0, bExprs, ctx);
    resultMap = leadingLoopsMap(numLoops, resultRank, ctx);

    // Dynamic result sizes, read off the operand that carries each one.
    for (int64_t i = 0; i < resultRank; ++i) {
      if (!resultType.isDynamicDim(i))
        continue;
      Value source;
      int64_t sourceDim = 0;
      if (i < batchRank) {
        for (auto [operand, dims, batch] :
             {std::tuple{a, aDims, aBatch}, std::tuple{b, bDims, bBatch}}) {
          int64_t j = i - (batchRank - batch);
          if (j < 0 || !cast<RankedTensorType>(operand.getType()).isDynamicDim(j))
            continue;
          if (!source || dims[j].provablyEqual(resultDims[i])) {
            source = operand;
            sourceDim = j;
          }
        }
      } else if (hasM && i == batchRank) {
        source = a;
        sourceDim = ra - 2;
      } else {
        source = b;
        sourceDim = rb - 1;
      }
      dynamicSizes.push_back(tensor::DimOp::create(builder, loc, source, sourceDim));
    }
  }

  SmallVector<utils::IteratorType> iterators() const {
    SmallVector<utils::IteratorType> kinds(numLoops, utils::IteratorType::parallel);
    kinds.back() = utils::IteratorType::reduction;
    return kinds;
  }
};

Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type, ValueRange dynamicSizes) {
  return createFilled(b, loc, type, dynamicSizes,
                      scalarConstant(b, loc, type.getElementType(), 0.0));
}

Value add(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::AddFOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, x, y);
}

Value multiply(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::MulFOp::create(b, loc, x, y);
  return arith::MulIOp::create(b, loc, x, y);
}

/// A contraction generic adding `product` of its inputs' scalars to `init`.
Value buildContraction(OpBuilder &b, Location loc, Value init, ValueRange inputs,
                       ArrayRef<AffineMap> maps, ArrayRef<utils::IteratorType> iterators,
                       function_ref<Value(OpBuilder &, Location, ValueRange)> product) {
  auto generic =
      linalg::GenericOp::create(b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
                                iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
                                  Value term = product(nb, nloc, args.drop_back());
                                  linalg::YieldOp::create(nb, nloc,
                                                          add(nb, nloc, args.back(), term));
                                });
  return generic.getResult(0);
}

struct MatMulLowering : OpConversionPattern<tfm::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::MatMulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    MatMulSpace space(rewriter, op.getLoc(), adaptor.getA(), adaptor.getB(), op.getA(), op.getB(),
                      op.getResult(), resultType);
    Value result = buildContraction(
        rewriter, op.getLoc(), zeroFilled(rewriter, op.getLoc(), resultType, space.dynamicSizes),
        ValueRange{adaptor.getA(), adaptor.getB()}, {space.aMap, space.bMap, space.resultMap},
        space.iterators(), [](OpBuilder &b, Location loc, ValueRange args) {
          return multiply(b, loc, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// (a - a_zero_point) x (b - b_zero_point) in i32. A zero point is a scalar
/// or one value per row of a (per column of b), read in the same generic.
struct MatMulIntegerLowering : OpConversionPattern<tfm::MatMulIntegerOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::MatMulIntegerOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    MatMulSpace space(rewriter, loc, adaptor.getA(), adaptor.getB(), op.getA(), op.getB(),
                      op.getResult(), resultType);
    // A zero point with more than one value follows the row (column) loop.
    auto zeroPointMap = [&](Value zeroPoint, bool hasDim, AffineExpr dim) {
      auto type = cast<RankedTensorType>(zeroPoint.getType());
      SmallVector<AffineExpr> exprs;
      if (type.getRank() == 1)
        exprs.push_back(type.getDimSize(0) == 1 || !hasDim ? getAffineConstantExpr(0, ctx) : dim);
      return AffineMap::get(space.numLoops, 0, exprs, ctx);
    };
    SmallVector<Value> inputs{adaptor.getA(), adaptor.getB()};
    SmallVector<AffineMap> maps{space.aMap, space.bMap};
    // A zero point whose length is known only at run time holds one value or
    // one per row (column), unless its symbol says which.
    // (`fromEnd`: a's rows are its second-to-last dim, b's columns its last.)
    auto addZeroPoint = [&](Value zeroPoint, Value originalZeroPoint, bool hasDim,
                            AffineExpr dim, Value operand, Value originalOperand,
                            int64_t fromEnd) {
      auto type = cast<RankedTensorType>(zeroPoint.getType());
      int64_t operandDim = cast<RankedTensorType>(operand.getType()).getRank() - fromEnd;
      if (hasDim && type.getRank() == 1 && type.isDynamicDim(0) &&
          !tfm::getDims(originalZeroPoint.getType())[0].provablyEqual(
              tfm::getDims(originalOperand.getType())[operandDim]))
        zeroPoint = broadcastAtRunTime(rewriter, loc, zeroPoint, {0},
                                       {tensor::getMixedSize(rewriter, loc, operand, operandDim)});
      inputs.push_back(zeroPoint);
      maps.push_back(zeroPointMap(zeroPoint, hasDim, dim));
    };
    bool hasAZero = static_cast<bool>(adaptor.getAZeroPoint());
    if (hasAZero)
      addZeroPoint(adaptor.getAZeroPoint(), op.getAZeroPoint(), space.hasM, space.m,
                   adaptor.getA(), op.getA(), 2);
    if (adaptor.getBZeroPoint())
      addZeroPoint(adaptor.getBZeroPoint(), op.getBZeroPoint(), space.hasN, space.n,
                   adaptor.getB(), op.getB(), 1);
    maps.push_back(space.resultMap);
    bool aUnsigned = isUnsigned(op.getA().getType());
    bool bUnsigned = isUnsigned(op.getB().getType());
    Type i32 = resultType.getElementType();
    Value result = buildContraction(
        rewriter, loc, zeroFilled(rewriter, loc, resultType, space.dynamicSizes), inputs, maps,
        space.iterators(), [&](OpBuilder &b, Location l, ValueRange args) {
          auto centered = [&](Value x, Value zeroPoint, bool isUns) {
            x = castScalar(b, l, x, i32, isUns, false);
            if (!zeroPoint)
              return x;
            return arith::SubIOp::create(b, l, x, castScalar(b, l, zeroPoint, i32, isUns, false))
                .getResult();
          };
          Value aZero = hasAZero ? args[2] : Value();
          Value bZero = adaptor.getBZeroPoint() ? args[hasAZero ? 3 : 2] : Value();
          return multiply(b, l, centered(args[0], aZero, aUnsigned),
                          centered(args[1], bZero, bUnsigned));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The map reading a bias broadcast to the last dims of `loops`; size-1
/// dims of a larger result read index 0.
AffineMap broadcastMap(RankedTensorType type, RankedTensorType resultType, MLIRContext *ctx) {
  int64_t rank = resultType.getRank(), offset = rank - type.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t j = 0; j < type.getRank(); ++j) {
    bool broadcast = type.getDimSize(j) == 1 && resultType.getDimSize(j + offset) != 1;
    exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx) : getAffineDimExpr(j + offset, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// A constant f32 matrix `x` transposed now, at compile time; null when `x`
/// is no such constant. A Gemm's transB weights (how nn.Linear exports)
/// then reach the matmul as a [K, N] constant that the CPU packs once,
/// instead of being copied on every run.
Value transposedConstant(OpBuilder &b, Location loc, Value x) {
  ElementsAttr value;
  if (auto constant = x.getDefiningOp<tfm::ConstantOp>())
    value = constant.getValue();
  else if (auto constant = x.getDefiningOp<arith::ConstantOp>())
    value = dyn_cast<ElementsAttr>(constant.getValue());
  auto type = cast<RankedTensorType>(x.getType());
  if (!value || !type.hasStaticShape() || !type.getElementType().isF32())
    return {};
  // Inline elements are few (and may be a splat): copied out; a resource
  // blob (the weights) is read where it lies.
  SmallVector<float> inlineValues;
  ArrayRef<float> values;
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    inlineValues.assign(dense.value_begin<float>(), dense.value_end<float>());
    values = inlineValues;
  } else if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(value)) {
    if (std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef())
      values = *data;
  }
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  if (int64_t(values.size()) != rows * cols)
    return {};
  auto transposedType = RankedTensorType::get({cols, rows}, type.getElementType());
  AsmResourceBlob blob = HeapAsmResourceBlob::allocate(values.size() * sizeof(float), 64);
  auto *out = reinterpret_cast<float *>(blob.getMutableData().data());
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      out[j * rows + i] = values[i * cols + j];
  if (isa<DenseElementsAttr>(value))
    return arith::ConstantOp::create(
        b, loc, transposedType,
        DenseElementsAttr::get(transposedType, ArrayRef<float>(out, values.size())));
  return arith::ConstantOp::create(
      b, loc, transposedType,
      cast<TypedAttr>(Attribute(
          DenseF32ResourceElementsAttr::get(transposedType, "transposed", std::move(blob)))));
}

/// alpha * op(A) x op(B) + beta * C. The product starts from zero with A as
/// [M, K] and B as [K, N] row-major, the form that becomes the runtime's
/// matmul call: transposed operands are copied first (constants transposed
/// at compile time), and alpha and beta * C (broadcast) apply afterwards in
/// one elementwise generic.
struct GemmLowering : OpConversionPattern<tfm::GemmOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::GemmOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    Type element = resultType.getElementType();
    Value a = adaptor.getA(), b = adaptor.getB();
    bool transA = op.getTransA() != 0, transB = op.getTransB() != 0;
    SmallVector<Value> dynamicSizes;
    if (resultType.isDynamicDim(0))
      dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, a, transA ? 1 : 0));
    if (resultType.isDynamicDim(1))
      dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, b, transB ? 0 : 1));

    auto rowMajor = [&](Value x, bool transposed) -> Value {
      if (!transposed)
        return x;
      if (Value folded = transposedConstant(rewriter, loc, x))
        return folded;
      auto type = cast<RankedTensorType>(x.getType());
      SmallVector<Value> sizes;
      for (int64_t i : {1, 0})
        if (type.isDynamicDim(i))
          sizes.push_back(tensor::DimOp::create(rewriter, loc, x, i));
      auto transposedType =
          RankedTensorType::get({type.getDimSize(1), type.getDimSize(0)}, type.getElementType());
      Value init = createEmpty(rewriter, loc, transposedType, sizes);
      return linalg::TransposeOp::create(rewriter, loc, x, init, ArrayRef<int64_t>{1, 0})
          .getResult()[0];
    };
    AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
               k = getAffineDimExpr(2, ctx);
    SmallVector<AffineMap> maps{AffineMap::get(3, 0, {m, k}, ctx),
                                AffineMap::get(3, 0, {k, n}, ctx),
                                AffineMap::get(3, 0, {m, n}, ctx)};
    Value result = buildContraction(
        rewriter, loc, zeroFilled(rewriter, loc, resultType, dynamicSizes),
        ValueRange{rowMajor(a, transA), rowMajor(b, transB)}, maps,
        {utils::IteratorType::parallel, utils::IteratorType::parallel,
         utils::IteratorType::reduction},
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          return multiply(nb, nloc, args[0], args[1]);
        });

    double alpha = op.getAlpha().convertToDouble(), beta = op.getBeta().convertToDouble();
    bool addC = adaptor.getC() && beta != 0.0;
    if (alpha != 1.0 || addC) {
      Value alphaValue = scalarConstant(rewriter, loc, element, alpha);
      Value betaValue = scalarConstant(rewriter, loc, element, beta);
      SmallVector<Value> inputs{result};
      SmallVector<AffineMap> epilogueMaps{AffineMap::getMultiDimIdentityMap(2, ctx)};
      if (addC) {
        inputs.push_back(adaptor.getC());
        epilogueMaps.push_back(
            broadcastMap(cast<RankedTensorType>(adaptor.getC().getType()), resultType, ctx));
      }
      epilogueMaps.push_back(AffineMap::getMultiDimIdentityMap(2, ctx));
      result = linalg::GenericOp::create(
                   rewriter, loc, TypeRange{resultType}, inputs,
                   ValueRange{createEmpty(rewriter, loc, resultType, dynamicSizes)},
                   epilogueMaps,
                   SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
                   [&](OpBuilder &nb, Location nloc, ValueRange args) {
                     Value y = alpha == 1.0 ? args[0] : multiply(nb, nloc, args[0], alphaValue);
                     if (addC)
                       y = add(nb, nloc, y,
                               beta == 1.0 ? args[1] : multiply(nb, nloc, args[1], betaValue));
                     linalg::YieldOp::create(nb, nloc, y);
                   })
                   .getResult(0);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Einsum as one generic: every label is a loop, output labels first (in
/// output order), the rest are reductions. A label repeated in one term
/// reads a diagonal; an ellipsis stands for right-aligned broadcast dims.
struct EinsumLowering : OpConversionPattern<tfm::EinsumOp> {
  using OpConversionPattern::OpConversionPattern;

  /// Labels are letters; the dims an ellipsis covers are kEllipsis + i,
  /// i counted from the left of the widest ellipsis.
  static constexpr int kEllipsis = 256;

  /// The labels of one term, `ellipsisRank` wide where it has "...".
  static SmallVector<int> parseTerm(StringRef term, int64_t rank, int64_t ellipsisRank) {
    SmallVector<int> labels;
    int64_t letters = llvm::count_if(term, llvm::isAlpha);
    for (size_t i = 0; i < term.size(); ++i) {
      if (term[i] != '.') {
        labels.push_back(term[i]);
        continue;
      }
      int64_t span = rank - letters;
      for (int64_t j = ellipsisRank - span; j < ellipsisRank; ++j)
        labels.push_back(kEllipsis + j);
      i += 2;
    }
    return labels;
  }

  LogicalResult matchAndRewrite(tfm::EinsumOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    ValueRange inputs = adaptor.getInputs();
    std::string equation;
    for (char c : op.getEquation())
      if (c != ' ')
        equation.push_back(c);
    auto [lhs, rhs] = StringRef(equation).split("->");
    bool explicitOutput = StringRef(equation).contains("->");
    SmallVector<StringRef> terms;
    lhs.split(terms, ',');

    int64_t ellipsisRank = 0;
    for (auto [term, input] : llvm::zip(terms, inputs))
      if (term.contains("..."))
        ellipsisRank =
            std::max<int64_t>(ellipsisRank, cast<RankedTensorType>(input.getType()).getRank() -
                                                llvm::count_if(term, llvm::isAlpha));
    SmallVector<SmallVector<int>> inputLabels;
    for (auto [term, input] : llvm::zip(terms, inputs))
      inputLabels.push_back(
          parseTerm(term, cast<RankedTensorType>(input.getType()).getRank(), ellipsisRank));

    SmallVector<int> outputLabels;
    if (explicitOutput) {
      outputLabels = parseTerm(rhs, resultType.getRank(), ellipsisRank);
    } else {
      // Implicit output: the ellipsis, then the labels used once, sorted.
      std::map<int, int> uses;
      for (ArrayRef<int> labels : inputLabels)
        for (int label : labels)
          ++uses[label];
      for (auto [label, count] : uses)
        if (label >= kEllipsis || count == 1)
          outputLabels.push_back(label);
    }

    // Loops: output labels, then the others in order of appearance.
    SmallVector<int> loops(outputLabels);
    for (ArrayRef<int> labels : inputLabels)
      for (int label : labels)
        if (!llvm::is_contained(loops, label))
          loops.push_back(label);
    auto loopOf = [&](int label) { return llvm::find(loops, label) - loops.begin(); };
    // A label larger than 1 somewhere broadcasts its size-1 occurrences.
    llvm::DenseSet<int> wide;
    for (auto [labels, input] : llvm::zip(inputLabels, inputs))
      for (auto [j, label] : llvm::enumerate(labels))
        if (cast<RankedTensorType>(input.getType()).getDimSize(j) != 1)
          wide.insert(label);

    int64_t numLoops = loops.size();
    SmallVector<AffineMap> maps;
    for (auto [labels, input] : llvm::zip(inputLabels, inputs)) {
      auto type = cast<RankedTensorType>(input.getType());
      SmallVector<AffineExpr> exprs;
      for (auto [j, label] : llvm::enumerate(labels))
        exprs.push_back(type.getDimSize(j) == 1 && wide.contains(label)
                            ? getAffineConstantExpr(0, ctx)
                            : getAffineDimExpr(loopOf(label), ctx));
      maps.push_back(AffineMap::get(numLoops, 0, exprs, ctx));
    }
    maps.push_back(leadingLoopsMap(numLoops, outputLabels.size(), ctx));

    SmallVector<Value> dynamicSizes;
    for (auto [i, label] : llvm::enumerate(outputLabels)) {
      if (!resultType.isDynamicDim(i))
        continue;
      Value size;
      for (auto [labels, input] : llvm::zip(inputLabels, inputs))
        for (auto [j, l] : llvm::enumerate(labels))
          if (!size && l == label && cast<RankedTensorType>(input.getType()).isDynamicDim(j))
            size = tensor::DimOp::create(rewriter, loc, input, j);
      dynamicSizes.push_back(size);
    }
    SmallVector<utils::IteratorType> iterators(numLoops, utils::IteratorType::reduction);
    std::fill_n(iterators.begin(), outputLabels.size(), utils::IteratorType::parallel);
    Value result =
        buildContraction(rewriter, loc, zeroFilled(rewriter, loc, resultType, dynamicSizes), inputs,
                         maps, iterators, [](OpBuilder &b, Location l, ValueRange args) {
                           Value product = args.front();
                           for (Value x : args.drop_front())
                             product = multiply(b, l, product, x);
                           return product;
                         });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void lowering::populateContractionPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, MatMulIntegerLowering, GemmLowering, EinsumLowering>(
      converter, patterns.getContext());
}
