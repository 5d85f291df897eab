//===- Convolution.cpp - convolution, pooling and batch normalization ===//
//
// Sliding windows are linalg.generics over (batch, channels, outputs...,
// window...) reading a tensor.pad-ed input at o * stride + k * dilation.
// Padding (explicit, SAME_* or ceil mode's overhang) and output sizes are
// index arithmetic that folds to constants when the input shape is static.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;

namespace {

/// Index arithmetic on OpFoldResults: constants fold here, and ops are only
/// created for sizes known at run time.
struct IndexMath {
  OpBuilder &b;
  Location loc;

  OpFoldResult c(int64_t v) { return b.getIndexAttr(v); }
  Value value(OpFoldResult x) { return getValueOrCreateConstantIndexOp(b, loc, x); }

  template <typename OpTy>
  OpFoldResult apply(OpFoldResult x, OpFoldResult y, int64_t (*fold)(int64_t, int64_t)) {
    std::optional<int64_t> cx = getConstantIntValue(x), cy = getConstantIntValue(y);
    if (cx && cy)
      return c(fold(*cx, *cy));
    return OpTy::create(b, loc, value(x), value(y)).getResult();
  }
  OpFoldResult add(OpFoldResult x, OpFoldResult y) {
    if (isConstantIntValue(y, 0))
      return x;
    return apply<arith::AddIOp>(x, y, [](int64_t p, int64_t q) { return p + q; });
  }
  OpFoldResult sub(OpFoldResult x, OpFoldResult y) {
    if (isConstantIntValue(y, 0))
      return x;
    return apply<arith::SubIOp>(x, y, [](int64_t p, int64_t q) { return p - q; });
  }
  OpFoldResult mul(OpFoldResult x, OpFoldResult y) {
    if (isConstantIntValue(y, 1))
      return x;
    return apply<arith::MulIOp>(x, y, [](int64_t p, int64_t q) { return p * q; });
  }
  OpFoldResult div(OpFoldResult x, OpFoldResult y) {
    return apply<arith::DivSIOp>(x, y, [](int64_t p, int64_t q) { return p / q; });
  }
  OpFoldResult ceilDiv(OpFoldResult x, OpFoldResult y) {
    return apply<arith::CeilDivSIOp>(x, y, llvm::divideCeilSigned);
  }
  OpFoldResult rem(OpFoldResult x, OpFoldResult y) {
    return apply<arith::RemSIOp>(x, y, [](int64_t p, int64_t q) { return p % q; });
  }
  OpFoldResult max(OpFoldResult x, OpFoldResult y) {
    return apply<arith::MaxSIOp>(x, y, [](int64_t p, int64_t q) { return std::max(p, q); });
  }
  /// 1 when `x` >= `y` (`orEqual`) or `x` != `y`, else 0.
  OpFoldResult indicator(bool orEqual, OpFoldResult x, OpFoldResult y) {
    std::optional<int64_t> cx = getConstantIntValue(x), cy = getConstantIntValue(y);
    if (cx && cy)
      return c(orEqual ? *cx >= *cy : *cx != *cy);
    Value cond = arith::CmpIOp::create(
        b, loc, orEqual ? arith::CmpIPredicate::sge : arith::CmpIPredicate::ne, value(x), value(y));
    return arith::SelectOp::create(b, loc, cond, value(c(1)), value(c(0))).getResult();
  }
};

/// A sliding window along each spatial dim: its attributes, the padding
/// before and after (high includes ceil mode's overhang), the output sizes.
struct Window {
  SmallVector<int64_t> kernel, strides, dilations;
  SmallVector<OpFoldResult> inputSizes, low, high, output;
  /// The padding the attributes ask for, without the overhang (the extent
  /// count_include_pad counts).
  SmallVector<OpFoldResult> explicitHigh;

  int64_t rank() const { return kernel.size(); }
};

/// ONNX's window geometry for `x` (N, C, spatial...), with the same output
/// sizes as shape inference.
Window computeWindow(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> kernel,
                     std::optional<ArrayRef<int64_t>> strides,
                     std::optional<ArrayRef<int64_t>> dilations,
                     std::optional<ArrayRef<int64_t>> pads, StringRef autoPad, bool ceilMode) {
  IndexMath m{b, loc};
  size_t n = kernel.size();
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = strides ? SmallVector<int64_t>(*strides) : SmallVector<int64_t>(n, 1);
  w.dilations = dilations ? SmallVector<int64_t>(*dilations) : SmallVector<int64_t>(n, 1);
  for (size_t i = 0; i < n; ++i) {
    OpFoldResult in = tensor::getMixedSize(b, loc, x, i + 2);
    OpFoldResult stride = m.c(w.strides[i]);
    OpFoldResult extent = m.c((w.kernel[i] - 1) * w.dilations[i] + 1);
    OpFoldResult low, high, out;
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      out = m.ceilDiv(in, stride);
      OpFoldResult needed = m.add(m.mul(m.sub(out, m.c(1)), stride), extent);
      OpFoldResult total = m.max(m.c(0), m.sub(needed, in));
      OpFoldResult half = m.div(total, m.c(2));
      low = autoPad == "SAME_UPPER" ? half : m.sub(total, half);
      high = m.sub(total, low);
    } else if (autoPad == "VALID") {
      low = high = m.c(0);
      out = m.add(m.div(m.sub(in, extent), stride), m.c(1));
    } else {
      low = m.c(pads ? (*pads)[i] : 0);
      high = m.c(pads ? (*pads)[i + n] : 0);
      OpFoldResult span = m.sub(m.add(m.add(in, low), high), extent);
      out = m.add(m.div(span, stride), m.c(1));
      if (ceilMode) {
        out = m.add(out, m.indicator(/*orEqual=*/false, m.rem(span, stride), m.c(0)));
        // A last window starting in the end padding is dropped.
        OpFoldResult lastStart = m.mul(m.sub(out, m.c(1)), stride);
        out = m.sub(out, m.indicator(/*orEqual=*/true, lastStart, m.add(in, low)));
      }
    }
    // Ceil mode's last window may read past the padding: pad further.
    OpFoldResult padded = m.add(m.add(in, low), high);
    OpFoldResult needed = m.add(m.mul(m.sub(out, m.c(1)), stride), extent);
    w.inputSizes.push_back(in);
    w.low.push_back(low);
    w.explicitHigh.push_back(high);
    w.high.push_back(m.add(high, m.max(m.c(0), m.sub(needed, padded))));
    w.output.push_back(out);
  }
  return w;
}

/// `x` padded along its spatial dims as `window` says, with `value`.
Value padInput(OpBuilder &b, Location loc, Value x, const Window &window, Value value) {
  SmallVector<OpFoldResult> low(2, b.getIndexAttr(0)), high(2, b.getIndexAttr(0));
  llvm::append_range(low, window.low);
  llvm::append_range(high, window.high);
  if (llvm::all_of(llvm::concat<OpFoldResult>(low, high),
                   [](OpFoldResult size) { return isConstantIntValue(size, 0); }))
    return x;
  return tensor::PadOp::create(b, loc, Type(), x, low, high, value);
}

/// The type and dynamic sizes of a (N, C, outputs...) window result.
RankedTensorType windowResultType(const Window &window, ArrayRef<OpFoldResult> leading,
                                  Type element, SmallVectorImpl<Value> &dynamicSizes, OpBuilder &b,
                                  Location loc) {
  SmallVector<int64_t> shape;
  auto addSize = [&](OpFoldResult size) {
    std::optional<int64_t> known = getConstantIntValue(size);
    shape.push_back(known ? *known : ShapedType::kDynamic);
    if (!known)
      dynamicSizes.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
  };
  for (OpFoldResult size : leading)
    addSize(size);
  for (OpFoldResult size : window.output)
    addSize(size);
  return RankedTensorType::get(shape, element);
}

/// The input position o * stride + k * dilation of each spatial dim, in
/// padded coordinates, for loops (outputs at `outputLoop`..., window at
/// `windowLoop`...).
AffineMap windowInputMap(const Window &window, ArrayRef<AffineExpr> leading, int64_t outputLoop,
                         int64_t windowLoop, int64_t numLoops, MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs(leading);
  for (int64_t i = 0; i < window.rank(); ++i)
    exprs.push_back(getAffineDimExpr(outputLoop + i, ctx) * window.strides[i] +
                    getAffineDimExpr(windowLoop + i, ctx) * window.dilations[i]);
  return AffineMap::get(numLoops, 0, exprs, ctx);
}

/// Inside a window generic: the padded-coordinate positions of the current
/// element along each spatial dim.
SmallVector<Value> windowPositions(OpBuilder &b, Location loc, const Window &window,
                                   int64_t outputLoop, int64_t windowLoop) {
  IndexMath m{b, loc};
  SmallVector<Value> positions;
  for (int64_t i = 0; i < window.rank(); ++i) {
    Value o = linalg::IndexOp::create(b, loc, outputLoop + i);
    Value k = linalg::IndexOp::create(b, loc, windowLoop + i);
    positions.push_back(
        m.value(m.add(m.mul(o, m.c(window.strides[i])), m.mul(k, m.c(window.dilations[i])))));
  }
  return positions;
}

/// Splits dim `dim` of `t` into (`outer`, size / `outer`).
Value splitDim(OpBuilder &b, Location loc, Value t, int64_t dim, int64_t outer) {
  IndexMath m{b, loc};
  auto type = cast<RankedTensorType>(t.getType());
  SmallVector<ReassociationIndices> groups;
  SmallVector<OpFoldResult> sizes;
  SmallVector<int64_t> shape;
  for (int64_t i = 0, j = 0; i < type.getRank(); ++i) {
    OpFoldResult size = tensor::getMixedSize(b, loc, t, i);
    if (i != dim) {
      groups.push_back({j++});
      sizes.push_back(size);
      shape.push_back(type.getDimSize(i));
      continue;
    }
    groups.push_back({j, j + 1});
    j += 2;
    sizes.append({m.c(outer), m.div(size, m.c(outer))});
    shape.append({outer, type.isDynamicDim(i) ? ShapedType::kDynamic : type.getDimSize(i) / outer});
  }
  auto result = RankedTensorType::get(shape, type.getElementType());
  return tensor::ExpandShapeOp::create(b, loc, result, t, groups, sizes);
}

SmallVector<AffineExpr> dimExprs(int64_t first, int64_t count, MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < count; ++i)
    exprs.push_back(getAffineDimExpr(first + i, ctx));
  return exprs;
}

/// The window elements of padded `x` (N, C, ...) as columns: cols (N, C *
/// prod(kernel), prod(outputs)), element (n, (c, k...), (o...)) =
/// x[n, c, o * stride + k * dilation...] (im2col).
Value windowColumns(OpBuilder &b, Location loc, Value x, const Window &window) {
  MLIRContext *ctx = b.getContext();
  auto xType = cast<RankedTensorType>(x.getType());
  int64_t spatial = window.rank(), numLoops = 2 + 2 * spatial;
  SmallVector<Value> dynamicSizes;
  SmallVector<OpFoldResult> leading{tensor::getMixedSize(b, loc, x, 0),
                                    tensor::getMixedSize(b, loc, x, 1)};
  for (int64_t k : window.kernel)
    leading.push_back(b.getIndexAttr(k));
  RankedTensorType colsType =
      windowResultType(window, leading, xType.getElementType(), dynamicSizes, b, loc);
  AffineMap xMap = windowInputMap(window, dimExprs(0, 2, ctx), /*outputLoop=*/2 + spatial,
                                  /*windowLoop=*/2, numLoops, ctx);
  Value cols = buildGeneric(b, loc, x, createEmpty(b, loc, colsType, dynamicSizes),
                            {xMap, AffineMap::getMultiDimIdentityMap(numLoops, ctx)},
                            iterators(numLoops, 0),
                            [](OpBuilder &, Location, ValueRange args) { return args[0]; });
  // Dims (n, c, k..., o...) collapse into (n, (c, k...), (o...)).
  SmallVector<ReassociationIndices> groups{{0}, {1}, {}};
  for (int64_t i = 0; i < spatial; ++i) {
    groups[1].push_back(2 + i);
    groups[2].push_back(2 + spatial + i);
  }
  return tensor::CollapseShapeOp::create(b, loc, cols, groups);
}

/// Ungrouped convolution as y (N, F, P) = w (F, K) x cols (N, K, P), the
/// matmul form the runtime's kernel takes, plus the bias: direct window
/// loops ran far from the machine's peak (a ViT's patch embedding took 14%
/// of its time for 0.7% of its FLOPs).
Value convAsMatMul(OpBuilder &b, Location loc, Value xPadded, Value w, Value bias,
                   const Window &window) {
  MLIRContext *ctx = b.getContext();
  auto wType = cast<RankedTensorType>(w.getType());
  Type element = wType.getElementType();
  int64_t spatial = window.rank();
  Value cols = windowColumns(b, loc, xPadded, window);
  ReassociationIndices filterDims;
  for (int64_t i = 1; i <= spatial + 1; ++i)
    filterDims.push_back(i);
  Value filters = tensor::CollapseShapeOp::create(
      b, loc, w, SmallVector<ReassociationIndices>{{0}, filterDims});
  SmallVector<OpFoldResult> ySizes{tensor::getMixedSize(b, loc, cols, 0),
                                   tensor::getMixedSize(b, loc, w, 0),
                                   tensor::getMixedSize(b, loc, cols, 2)};
  Value zero = scalarConstant(b, loc, element, 0.0);
  // Loops (n, f, p, k).
  Value y = buildGeneric(
      b, loc, ValueRange{filters, cols}, filledTensor(b, loc, ySizes, element, zero),
      {dimsMap(ctx, 4, {1, 3}), dimsMap(ctx, 4, {0, 3, 2}), dimsMap(ctx, 4, {0, 1, 2})},
      iterators(3, 1), [](OpBuilder &b, Location l, ValueRange args) -> Value {
        return arith::AddFOp::create(b, l, args[2], arith::MulFOp::create(b, l, args[0], args[1]));
      });
  if (bias)
    y = buildGeneric(b, loc, bias, y, {dimsMap(ctx, 3, {1}), dimsMap(ctx, 3, {0, 1, 2})},
                     iterators(3, 0), [](OpBuilder &b, Location l, ValueRange args) -> Value {
                       return arith::AddFOp::create(b, l, args[1], args[0]);
                     });
  SmallVector<OpFoldResult> outputSizes{ySizes[0], ySizes[1]};
  llvm::append_range(outputSizes, window.output);
  SmallVector<int64_t> shape;
  for (OpFoldResult size : outputSizes)
    shape.push_back(getConstantIntValue(size).value_or(ShapedType::kDynamic));
  ReassociationIndices outputDims;
  for (int64_t i = 2; i < 2 + spatial; ++i)
    outputDims.push_back(i);
  return tensor::ExpandShapeOp::create(b, loc, RankedTensorType::get(shape, element), y,
                                       SmallVector<ReassociationIndices>{{0}, {1}, outputDims},
                                       outputSizes);
}

/// N-d grouped convolution. Channels split into groups: x (N, G, C/G, ...),
/// w (G, F/G, C/G, k...), y (N, G, F/G, ...), looping over
/// (n, g, f, outputs..., c, window...); the bias initializes y.
struct ConvLowering : OpConversionPattern<tfm::ConvOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::ConvOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getX(), w = adaptor.getW();
    auto wType = cast<RankedTensorType>(w.getType());
    Type element = wType.getElementType();
    int64_t spatial = wType.getRank() - 2, group = op.getGroup();
    SmallVector<int64_t> kernel(op.getKernelShape() ? *op.getKernelShape()
                                                    : wType.getShape().drop_front(2));
    Window window = computeWindow(rewriter, loc, x, kernel, op.getStrides(), op.getDilations(),
                                  op.getPads(), op.getAutoPad(), /*ceilMode=*/false);
    Value zero = scalarConstant(rewriter, loc, element, 0.0);
    Value xPadded = padInput(rewriter, loc, x, window, zero);
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getY());
    if (group == 1) {
      Value y = convAsMatMul(rewriter, loc, xPadded, w, adaptor.getB(), window);
      rewriter.replaceOp(op, castToType(rewriter, loc, y, resultType));
      return success();
    }
    Value xGroups = splitDim(rewriter, loc, xPadded, 1, group);
    Value wGroups = splitDim(rewriter, loc, w, 0, group);

    // y: (N, G, F/G, outputs...).
    SmallVector<Value> dynamicSizes;
    SmallVector<OpFoldResult> leading{tensor::getMixedSize(rewriter, loc, x, 0),
                                      rewriter.getIndexAttr(group),
                                      tensor::getMixedSize(rewriter, loc, wGroups, 1)};
    RankedTensorType groupedType =
        windowResultType(window, leading, element, dynamicSizes, rewriter, loc);
    int64_t numLoops = 4 + 2 * spatial, outputLoop = 3, channelLoop = 3 + spatial,
            windowLoop = 4 + spatial;
    AffineMap resultMap =
        AffineMap::getMultiDimIdentityMap(numLoops, ctx).getMajorSubMap(3 + spatial);
    Value init;
    if (Value bias = adaptor.getB()) {
      AffineMap biasMap = AffineMap::get(3 + spatial, 0, dimExprs(1, 2, ctx), ctx);
      init =
          linalg::GenericOp::create(
              rewriter, loc, TypeRange{groupedType},
              ValueRange{splitDim(rewriter, loc, bias, 0, group)},
              ValueRange{createEmpty(rewriter, loc, groupedType, dynamicSizes)},
              SmallVector<AffineMap>{biasMap, AffineMap::getMultiDimIdentityMap(3 + spatial, ctx)},
              SmallVector<utils::IteratorType>(3 + spatial, utils::IteratorType::parallel),
              [](OpBuilder &b, Location l, ValueRange args) {
                linalg::YieldOp::create(b, l, args[0]);
              })
              .getResult(0);
    } else {
      init = createFilled(rewriter, loc, groupedType, dynamicSizes, zero);
    }

    AffineExpr n = getAffineDimExpr(0, ctx), g = getAffineDimExpr(1, ctx),
               f = getAffineDimExpr(2, ctx), c = getAffineDimExpr(channelLoop, ctx);
    AffineMap xMap = windowInputMap(window, {n, g, c}, outputLoop, windowLoop, numLoops, ctx);
    SmallVector<AffineExpr> wExprs{g, f, c};
    wExprs.append(dimExprs(windowLoop, spatial, ctx));
    SmallVector<utils::IteratorType> iterators(numLoops, utils::IteratorType::parallel);
    std::fill(iterators.begin() + channelLoop, iterators.end(), utils::IteratorType::reduction);
    Value grouped =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{groupedType}, ValueRange{xGroups, wGroups}, ValueRange{init},
            SmallVector<AffineMap>{xMap, AffineMap::get(numLoops, 0, wExprs, ctx), resultMap},
            iterators,
            [](OpBuilder &b, Location l, ValueRange args) {
              Value product = arith::MulFOp::create(b, l, args[0], args[1]);
              linalg::YieldOp::create(b, l,
                                      ValueRange{arith::AddFOp::create(b, l, args[2], product)});
            })
            .getResult(0);

    SmallVector<ReassociationIndices> groups{{0}, {1, 2}};
    for (int64_t i = 0; i < spatial; ++i)
      groups.push_back({3 + i});
    Value y = tensor::CollapseShapeOp::create(rewriter, loc, grouped, groups);
    rewriter.replaceOp(op, castToType(rewriter, loc, y, resultType));
    return success();
  }
};

/// A pooling op's window and loops over (n, c, outputs..., window...); a
/// kernel-shaped empty tensor gives the window loops their bounds.
struct PoolSpace {
  Window window;
  int64_t outputLoop = 2, windowLoop;
  SmallVector<AffineMap> maps; // padded input, window, result
  SmallVector<utils::IteratorType> iterators;
  Value windowShape;
  /// The (N, C, outputs...) result shape.
  SmallVector<OpFoldResult> resultSizes;

  template <typename PoolOp>
  PoolSpace(OpBuilder &b, Location loc, PoolOp op, Value x)
      : window(computeWindow(b, loc, x, op.getKernelShape(), op.getStrides(), op.getDilations(),
                             op.getPads(), op.getAutoPad(), op.getCeilMode() != 0)) {
    MLIRContext *ctx = b.getContext();
    int64_t spatial = window.rank(), numLoops = 2 + 2 * spatial;
    windowLoop = 2 + spatial;
    maps.push_back(
        windowInputMap(window, dimExprs(0, 2, ctx), outputLoop, windowLoop, numLoops, ctx));
    maps.push_back(AffineMap::get(numLoops, 0, dimExprs(windowLoop, spatial, ctx), ctx));
    maps.push_back(AffineMap::getMultiDimIdentityMap(numLoops, ctx).getMajorSubMap(windowLoop));
    iterators.assign(numLoops, utils::IteratorType::parallel);
    std::fill(iterators.begin() + windowLoop, iterators.end(), utils::IteratorType::reduction);
    windowShape = tensor::EmptyOp::create(b, loc, window.kernel, b.getI8Type());
    resultSizes = {tensor::getMixedSize(b, loc, x, 0), tensor::getMixedSize(b, loc, x, 1)};
  }

  RankedTensorType resultType(OpBuilder &b, Location loc, Type element,
                              SmallVectorImpl<Value> &dynamicSizes) const {
    return windowResultType(window, resultSizes, element, dynamicSizes, b, loc);
  }
};

/// Max pooling over -inf (the type's minimum) padding. The optional indices
/// output holds the flat input position of each maximum, first one on ties,
/// with the spatial dims row-major (storage_order 0) or column-major (1).
struct MaxPoolLowering : OpConversionPattern<tfm::MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::MaxPoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = cast<RankedTensorType>(x.getType());
    Type element = xType.getElementType();
    bool isUns = isUnsigned(op.getX().getType());
    PoolSpace space(rewriter, loc, op, x);
    const Window &window = space.window;
    Value lowest = reductionIdentity(rewriter, loc, element, ReductionKind::Max, isUns);
    Value padded = padInput(rewriter, loc, x, window, lowest);
    SmallVector<Value> dynamicSizes;
    RankedTensorType resultType = space.resultType(rewriter, loc, element, dynamicSizes);
    Value values = createFilled(rewriter, loc, resultType, dynamicSizes, lowest);
    RankedTensorType valuesType = convertedType(*getTypeConverter(), op.getY());

    if (!op.getIndices()) {
      Value result =
          linalg::GenericOp::create(
              rewriter, loc, TypeRange{resultType}, ValueRange{padded, space.windowShape},
              ValueRange{values}, space.maps, space.iterators,
              [&](OpBuilder &b, Location l, ValueRange args) {
                linalg::YieldOp::create(
                    b, l, combineScalar(b, l, ReductionKind::Max, args[2], args[0], isUns));
              })
              .getResult(0);
      rewriter.replaceOp(op, castToType(rewriter, loc, result, valuesType));
      return success();
    }

    // Strides of the flat index: channel planes, then the spatial dims.
    IndexMath m{rewriter, loc};
    OpFoldResult channels = tensor::getMixedSize(rewriter, loc, x, 1);
    OpFoldResult plane = m.c(1);
    for (OpFoldResult size : window.inputSizes)
      plane = m.mul(plane, size);
    SmallVector<OpFoldResult> spatialStrides(window.rank());
    OpFoldResult stride = m.c(1);
    bool columnMajor = op.getStorageOrder() != 0;
    for (int64_t j = 0; j < window.rank(); ++j) {
      int64_t i = columnMajor ? j : window.rank() - 1 - j;
      spatialStrides[i] = stride;
      stride = m.mul(stride, window.inputSizes[i]);
    }
    Value indices = createFilled(rewriter, loc, resultType.clone(rewriter.getI64Type()),
                                 dynamicSizes, arith::ConstantIntOp::create(rewriter, loc, 0, 64));
    SmallVector<AffineMap> maps(space.maps);
    maps.push_back(maps.back());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType, indices.getType()},
        ValueRange{padded, space.windowShape}, ValueRange{values, indices}, maps, space.iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          IndexMath im{b, l};
          Value v = args[0], best = args[2];
          Value take =
              isa<FloatType>(element)
                  ? arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, best).getResult()
                  : arith::CmpIOp::create(
                        b, l, isUns ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt, v,
                        best)
                        .getResult();
          Value n = linalg::IndexOp::create(b, l, 0), c = linalg::IndexOp::create(b, l, 1);
          OpFoldResult flat = im.mul(im.add(im.mul(n, channels), c), plane);
          SmallVector<Value> positions =
              windowPositions(b, l, window, space.outputLoop, space.windowLoop);
          for (int64_t i = 0; i < window.rank(); ++i)
            flat = im.add(flat, im.mul(im.sub(positions[i], window.low[i]), spatialStrides[i]));
          Value index = arith::IndexCastOp::create(b, l, b.getI64Type(), im.value(flat));
          linalg::YieldOp::create(b, l,
                                  ValueRange{arith::SelectOp::create(b, l, take, v, best),
                                             arith::SelectOp::create(b, l, take, index, args[3])});
        });
    RankedTensorType indicesType = convertedType(*getTypeConverter(), op.getIndices());
    rewriter.replaceOp(op, {castToType(rewriter, loc, generic.getResult(0), valuesType),
                            castToType(rewriter, loc, generic.getResult(1), indicesType)});
    return success();
  }
};

/// Average pooling: one generic sums the window over zero padding and counts
/// the positions that are inside the input (count_include_pad = 0) or inside
/// the explicit padding (1); a second divides. f16/bf16 sum in f32.
struct AveragePoolLowering : OpConversionPattern<tfm::AveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::AveragePoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    Type element = cast<RankedTensorType>(x.getType()).getElementType();
    Type accType = element.isF16() || element.isBF16() ? rewriter.getF32Type() : element;
    PoolSpace space(rewriter, loc, op, x);
    const Window &window = space.window;
    Value zero = scalarConstant(rewriter, loc, element, 0.0);
    Value padded = padInput(rewriter, loc, x, window, zero);
    SmallVector<Value> dynamicSizes;
    RankedTensorType sumType = space.resultType(rewriter, loc, accType, dynamicSizes);
    Value accZero = scalarConstant(rewriter, loc, accType, 0.0);
    Value sums = createFilled(rewriter, loc, sumType, dynamicSizes, accZero);
    Value counts = createFilled(rewriter, loc, sumType, dynamicSizes, accZero);

    // Counted positions lie in [begin, end) in padded coordinates.
    IndexMath m{rewriter, loc};
    bool includePad = op.getCountIncludePad() != 0;
    SmallVector<Value> begin, end;
    for (int64_t i = 0; i < window.rank(); ++i) {
      OpFoldResult inputEnd = m.add(window.low[i], window.inputSizes[i]);
      begin.push_back(m.value(includePad ? m.c(0) : window.low[i]));
      end.push_back(m.value(includePad ? m.add(inputEnd, window.explicitHigh[i]) : inputEnd));
    }
    SmallVector<AffineMap> maps(space.maps);
    maps.push_back(maps.back());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{sumType, sumType}, ValueRange{padded, space.windowShape},
        ValueRange{sums, counts}, maps, space.iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> positions =
              windowPositions(b, l, window, space.outputLoop, space.windowLoop);
          Value inside;
          for (int64_t i = 0; i < window.rank(); ++i) {
            Value after =
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, positions[i], begin[i]);
            Value before =
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, positions[i], end[i]);
            Value here = arith::AndIOp::create(b, l, after, before);
            inside = inside ? arith::AndIOp::create(b, l, inside, here).getResult() : here;
          }
          Value one = scalarConstant(b, l, accType, 1.0);
          Value count = arith::AddFOp::create(b, l, args[3],
                                              arith::SelectOp::create(b, l, inside, one, accZero));
          Value sum = arith::AddFOp::create(b, l, args[2],
                                            castScalar(b, l, args[0], accType, false, false));
          linalg::YieldOp::create(b, l, ValueRange{sum, count});
        });
    Value result = mapElements(rewriter, loc, generic.getResults(), element,
                               [&](OpBuilder &b, Location l, ValueRange args) {
                                 Value mean = arith::DivFOp::create(b, l, args[0], args[1]);
                                 return castScalar(b, l, mean, element, false, false);
                               });
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getY());
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

struct GlobalAveragePoolLowering : OpConversionPattern<tfm::GlobalAveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::GlobalAveragePoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Value x = adaptor.getX();
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    llvm::SmallBitVector spatial(rank, true);
    spatial.reset(0, 2);
    Value mean = buildReduction(rewriter, op.getLoc(), x, spatial, ReductionKind::Mean,
                                /*keepDims=*/true, /*isUnsigned=*/false);
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getY());
    rewriter.replaceOp(op, castToType(rewriter, op.getLoc(), mean, resultType));
    return success();
  }
};

/// y = (x - mean) / sqrt(var + epsilon) * scale + b per channel (dim 1).
/// Training mode normalizes with the batch's own mean and (biased) variance
/// and returns the momentum-updated running statistics.
struct BatchNormLowering : OpConversionPattern<tfm::BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(tfm::BatchNormOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getX();
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t rank = xType.getRank();
    Type element = xType.getElementType();
    AffineMap full = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx), ctx);
    SmallVector<utils::IteratorType> parallel(rank, utils::IteratorType::parallel);
    auto perChannel = [&](ValueRange params, ScalarBody body) {
      SmallVector<Value> inputs{x};
      inputs.append(params.begin(), params.end());
      SmallVector<AffineMap> maps{full};
      maps.append(params.size(), channel);
      maps.push_back(full);
      Value init = createEmpty(rewriter, loc, xType, getDynamicSizes(rewriter, loc, x));
      return linalg::GenericOp::create(
                 rewriter, loc, TypeRange{xType}, inputs, ValueRange{init}, maps, parallel,
                 [&](OpBuilder &b, Location l, ValueRange args) {
                   SmallVector<Value> scalars;
                   for (Value arg : args.drop_back())
                     scalars.push_back(castScalar(b, l, arg, element, false, false));
                   linalg::YieldOp::create(b, l, body(b, l, scalars));
                 })
          .getResult(0);
    };

    Value mean = adaptor.getInputMean(), var = adaptor.getInputVar();
    bool training = op.getTrainingMode() != 0;
    if (training) {
      llvm::SmallBitVector notChannel(rank, true);
      notChannel.reset(1);
      mean = buildReduction(rewriter, loc, x, notChannel, ReductionKind::Mean, false, false);
      Value squares = perChannel(mean, [](OpBuilder &b, Location l, ValueRange a) -> Value {
        Value d = arith::SubFOp::create(b, l, a[0], a[1]);
        return arith::MulFOp::create(b, l, d, d);
      });
      var = buildReduction(rewriter, loc, squares, notChannel, ReductionKind::Mean, false, false);
    }
    double epsilon = op.getEpsilon().convertToDouble();
    Value y = perChannel(ValueRange{adaptor.getScale(), adaptor.getB(), mean, var},
                         [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                           Value eps = scalarConstant(b, l, element, epsilon);
                           Value norm = arith::DivFOp::create(
                               b, l, arith::SubFOp::create(b, l, a[0], a[3]),
                               math::SqrtOp::create(b, l, arith::AddFOp::create(b, l, a[4], eps)));
                           return arith::AddFOp::create(
                               b, l, arith::MulFOp::create(b, l, norm, a[1]), a[2]);
                         });
    SmallVector<Value> results{y};
    if (op.getRunningMean()) {
      double momentum = op.getMomentum().convertToDouble();
      // running = input * momentum + batch * (1 - momentum)
      auto update = [&](Value input, Value batch) {
        Type t = getElementTypeOrSelf(input.getType());
        return mapElements(
            rewriter, loc, ValueRange{input, batch}, t,
            [&](OpBuilder &b, Location l, ValueRange a) -> Value {
              Value stat = castScalar(b, l, a[1], t, false, false);
              Value kept = arith::MulFOp::create(b, l, a[0], scalarConstant(b, l, t, momentum));
              Value added =
                  arith::MulFOp::create(b, l, stat, scalarConstant(b, l, t, 1.0 - momentum));
              return arith::AddFOp::create(b, l, kept, added);
            });
      };
      results.push_back(update(adaptor.getInputMean(), mean));
      results.push_back(update(adaptor.getInputVar(), var));
    }
    for (auto [result, original] : llvm::zip(results, op.getResults()))
      result = castToType(rewriter, loc, result, convertedType(*getTypeConverter(), original));
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void lowering::populateConvolutionPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns) {
  patterns.add<ConvLowering, MaxPoolLowering, AveragePoolLowering, GlobalAveragePoolLowering,
               BatchNormLowering>(converter, patterns.getContext());
}
