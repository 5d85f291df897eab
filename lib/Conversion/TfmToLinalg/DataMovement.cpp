//===- DataMovement.cpp - transposes, slices, gathers, pads, ... ----------===//
//
// Structured ops where they fit (linalg.transpose / broadcast, tensor.concat
// / extract_slice / pad); a linalg.generic reading its input with
// tensor.extract where the source position is computed (gathers, negative
// or run-time steps, reflect/edge/wrap padding).
//
//===----------------------------------------------------------------------===//

#include "ShapeLowering.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;

namespace {

using utils::IteratorType;

/// Whether the ONNX axis `axis` (maybe negative, maybe a run-time value) is
/// dim `d` of a rank-`rank` tensor: a constant i1 when the axis is constant.
Value axisIs(IndexMath &m, Value axis, int64_t rank, int64_t d) {
  return m.eq(m.wrapNegative(axis, m.constant(rank)), d);
}

bool isFalse(Value flag) { return getConstantIntValue(flag) == 0; }

/// Offsets for tensor.extract_slice: attributes where constant, except at or
/// past the end of a static dim, which the verifier rejects even for an
/// empty slice.
SmallVector<OpFoldResult> sliceOffsets(Value source, ArrayRef<Value> offsets) {
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<OpFoldResult> result;
  for (auto [d, offset] : llvm::enumerate(offsets)) {
    std::optional<int64_t> value = getConstantIntValue(offset);
    bool atEnd = value && !type.isDynamicDim(d) && *value >= type.getDimSize(d);
    result.push_back(atEnd ? OpFoldResult(offset) : getAsOpFoldResult(offset));
  }
  return result;
}

/// A linalg.generic over a tensor of `type` (sizes `sizes`) that reads
/// `inputs` through `inputMaps` and yields what `body` builds from their
/// elements and the loop indices.
Value buildGeneric(
    OpBuilder &b, Location loc, RankedTensorType type, ArrayRef<Value> sizes,
    ValueRange inputs, ArrayRef<AffineMap> inputMaps,
    function_ref<Value(OpBuilder &, Location, ValueRange args, ValueRange indices)> body) {
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = createEmpty(b, loc, type, dynamicSizes(type, sizes));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, inputs, ValueRange{init}, maps,
      SmallVector<IteratorType>(rank, IteratorType::parallel),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        SmallVector<Value> indices;
        for (int64_t i = 0; i < rank; ++i)
          indices.push_back(linalg::IndexOp::create(nb, nloc, i));
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args.drop_back(), indices));
      });
  return generic.getResult(0);
}

/// A generic over a tensor of `type` whose element at each position is read
/// from `source` at `position(indices)`.
Value gatherFrom(OpBuilder &b, Location loc, Value source, RankedTensorType type,
                 ArrayRef<Value> sizes,
                 function_ref<SmallVector<Value>(IndexMath &, ValueRange)> position) {
  return buildGeneric(b, loc, type, sizes, {}, {},
                      [&](OpBuilder &nb, Location nloc, ValueRange, ValueRange indices) {
                        IndexMath m(nb, nloc);
                        return tensor::ExtractOp::create(nb, nloc, source,
                                                         position(m, indices));
                      });
}

//===----------------------------------------------------------------------===//
// Transpose, Concat, Split
//===----------------------------------------------------------------------===//

struct TransposeLowering : OpConversionPattern<tfm::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::TransposeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    IndexMath m(rewriter, op.getLoc());
    Value input = adaptor.getData();
    SmallVector<Value> dims = m.dims(input);
    SmallVector<int64_t> perm;
    if (std::optional<ArrayRef<int64_t>> p = op.getPerm())
      perm.assign(p->begin(), p->end());
    else
      perm = llvm::to_vector(llvm::reverse(llvm::seq<int64_t>(0, dims.size())));
    SmallVector<Value> sizes;
    for (int64_t p : perm)
      sizes.push_back(dims[p]);
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    Value init = createEmpty(rewriter, op.getLoc(), resultType, dynamicSizes(resultType, sizes));
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(), input, init, perm)
                               ->getResult(0));
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<tfm::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::ConcatOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    int64_t axis = *tfm::normalizeAxis(op.getAxis(), resultType.getRank());
    // Statically empty pieces would be inserted at the end of the result,
    // an offset the slice verifier rejects.
    SmallVector<Value> inputs = llvm::filter_to_vector(adaptor.getInputs(), [&](Value v) {
      return cast<RankedTensorType>(v.getType()).getDimSize(axis) != 0;
    });
    if (inputs.empty())
      inputs.push_back(adaptor.getInputs().front());
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, resultType, axis, inputs);
    return success();
  }
};

struct SplitLowering : OpConversionPattern<tfm::SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::SplitOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    IndexMath m(rewriter, loc);
    Value input = adaptor.getInput();
    SmallVector<Value> dims = m.dims(input);
    int64_t axis = *tfm::normalizeAxis(op.getAxis(), dims.size());
    int64_t parts = op.getNumResults();
    SmallVector<Value> partSizes;
    if (op.getSplit()) {
      partSizes = readIndices(rewriter, loc, op.getSplit(), adaptor.getSplit());
    } else {
      // Equal parts of ceil(n / parts); the last one may be smaller.
      Value n = dims[axis];
      Value chunk = m.div(m.add(n, m.constant(parts - 1)), m.constant(parts));
      for (int64_t i = 0; i < parts; ++i)
        partSizes.push_back(
            m.min(chunk, m.max(m.sub(n, m.mul(chunk, m.constant(i))), m.constant(0))));
    }
    SmallVector<Value> results;
    SmallVector<Value> offsets(dims.size(), m.constant(0));
    SmallVector<OpFoldResult> strides(dims.size(), rewriter.getIndexAttr(1));
    for (auto [result, size] : llvm::zip(op.getResults(), partSizes)) {
      RankedTensorType type = convertedType(*getTypeConverter(), result);
      SmallVector<Value> sizes = dims;
      sizes[axis] = size;
      results.push_back(tensor::ExtractSliceOp::create(rewriter, loc, type, input,
                                                       sliceOffsets(input, offsets),
                                                       mixedSizes(type, sizes), strides));
      offsets[axis] = m.add(offsets[axis], size);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

/// The elements Slice takes from one dim: start, step and count.
struct Window {
  Value start, step, count;
};

/// ONNX Slice's clamping of [start, end) by `step` on a dim of size `n`.
Window sliceWindow(IndexMath &m, Value n, Value start, Value end, Value step) {
  Value zero = m.constant(0), one = m.constant(1);
  Value last = m.sub(n, one);
  Value forward = m.cmp(arith::CmpIPredicate::sgt, step, zero);
  start = m.wrapNegative(start, n);
  end = m.wrapNegative(end, n);
  start = m.select(forward, m.clamp(start, zero, n), m.clamp(start, zero, last));
  end = m.select(forward, m.clamp(end, zero, n), m.clamp(end, m.constant(-1), last));
  Value distance = m.select(forward, m.sub(end, start), m.sub(start, end));
  Value stride = m.select(forward, step, m.sub(zero, step));
  // ceil(distance / stride), which cannot overflow for a huge stride; an
  // empty dim (where the backward clamps meet) gives nothing.
  Value count = m.add(m.div(m.sub(distance, one), stride), one);
  count = m.select(m.cmp(arith::CmpIPredicate::sgt, distance, zero), count, zero);
  return {start, step, m.min(count, n)};
}

struct SliceLowering : OpConversionPattern<tfm::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::SliceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    IndexMath m(rewriter, loc);
    Value input = adaptor.getData();
    SmallVector<Value> dims = m.dims(input);
    int64_t rank = dims.size();
    SmallVector<Value> starts = readIndices(rewriter, loc, op.getStarts(), adaptor.getStarts());
    SmallVector<Value> ends = readIndices(rewriter, loc, op.getEnds(), adaptor.getEnds());
    SmallVector<Value> axes, steps;
    for (int64_t k = 0, e = starts.size(); k < e; ++k) {
      axes.push_back(m.constant(k));
      steps.push_back(m.constant(1));
    }
    if (op.getAxes())
      axes = readIndices(rewriter, loc, op.getAxes(), adaptor.getAxes());
    if (op.getSteps())
      steps = readIndices(rewriter, loc, op.getSteps(), adaptor.getSteps());

    SmallVector<Window> windows;
    for (Value n : dims)
      windows.push_back({m.constant(0), m.constant(1), n});
    for (auto [start, end, axis, step] : llvm::zip(starts, ends, axes, steps)) {
      for (int64_t d = 0; d < rank; ++d) {
        Value here = axisIs(m, axis, rank, d);
        if (isFalse(here))
          continue;
        Window w = sliceWindow(m, dims[d], start, end, step);
        windows[d] = {m.select(here, w.start, windows[d].start),
                      m.select(here, w.step, windows[d].step),
                      m.select(here, w.count, windows[d].count)};
      }
    }

    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    SmallVector<Value> counts;
    for (const Window &w : windows)
      counts.push_back(w.count);
    bool positiveSteps = llvm::all_of(windows, [](const Window &w) {
      std::optional<int64_t> step = getConstantIntValue(w.step);
      return step && *step > 0;
    });
    if (positiveSteps) {
      SmallVector<Value> offsets;
      SmallVector<OpFoldResult> strides;
      for (const Window &w : windows) {
        offsets.push_back(w.start);
        strides.push_back(getAsOpFoldResult(w.step));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(op, resultType, input,
                                                          sliceOffsets(input, offsets),
                                                          mixedSizes(resultType, counts), strides);
      return success();
    }
    // Negative or run-time steps: each element is read at start + i * step.
    rewriter.replaceOp(op, gatherFrom(rewriter, loc, input, resultType, counts,
                                      [&](IndexMath &im, ValueRange indices) {
                                        SmallVector<Value> at;
                                        for (auto [w, i] : llvm::zip(windows, indices))
                                          at.push_back(im.add(w.start, im.mul(i, w.step)));
                                        return at;
                                      }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Gather, GatherElements
//===----------------------------------------------------------------------===//

/// An ONNX index element (negative counts from the end) as an index value.
Value gatherIndex(IndexMath &m, OpBuilder &b, Location loc, Value element, Value size) {
  Value index = arith::IndexCastOp::create(b, loc, b.getIndexType(), element);
  return m.wrapNegative(index, size);
}

struct GatherLowering : OpConversionPattern<tfm::GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::GatherOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    IndexMath m(rewriter, loc);
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    SmallVector<Value> dataDims = m.dims(data), indexDims = m.dims(indices);
    int64_t axis = *tfm::normalizeAxis(op.getAxis(), dataDims.size());
    int64_t q = indexDims.size();
    // Result dims: data's before axis, the indices', data's after axis.
    SmallVector<Value> sizes(dataDims.begin(), dataDims.begin() + axis);
    sizes.append(indexDims);
    sizes.append(dataDims.begin() + axis + 1, dataDims.end());
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    int64_t rank = resultType.getRank();
    SmallVector<AffineExpr> indexExprs;
    for (int64_t i = 0; i < q; ++i)
      indexExprs.push_back(rewriter.getAffineDimExpr(axis + i));
    AffineMap indexMap = AffineMap::get(rank, 0, indexExprs, rewriter.getContext());
    Value axisSize = dataDims[axis];
    rewriter.replaceOp(
        op, buildGeneric(rewriter, loc, resultType, sizes, indices, indexMap,
                         [&](OpBuilder &b, Location l, ValueRange args, ValueRange loops) {
                           IndexMath im(b, l);
                           auto at = llvm::to_vector(loops.take_front(axis));
                           at.push_back(gatherIndex(im, b, l, args[0], axisSize));
                           at.append(loops.begin() + axis + q, loops.end());
                           return tensor::ExtractOp::create(b, l, data, at);
                         }));
    return success();
  }
};

struct GatherElementsLowering : OpConversionPattern<tfm::GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::GatherElementsOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    IndexMath m(rewriter, loc);
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    int64_t rank = resultType.getRank();
    int64_t axis = *tfm::normalizeAxis(op.getAxis(), rank);
    Value axisSize = m.dim(data, axis);
    rewriter.replaceOp(
        op, buildGeneric(rewriter, loc, resultType, m.dims(indices), indices,
                         rewriter.getMultiDimIdentityMap(rank),
                         [&](OpBuilder &b, Location l, ValueRange args, ValueRange loops) {
                           IndexMath im(b, l);
                           auto at = llvm::to_vector(loops);
                           at[axis] = gatherIndex(im, b, l, args[0], axisSize);
                           return tensor::ExtractOp::create(b, l, data, at);
                         }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// ConstantOfShape, Expand, Tile
//===----------------------------------------------------------------------===//

struct ConstantOfShapeLowering : OpConversionPattern<tfm::ConstantOfShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::ConstantOfShapeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    Type element = resultType.getElementType();
    Value value;
    if (ElementsAttr attr = op.getValueAttr()) {
      auto dense = dyn_cast<DenseIntOrFPElementsAttr>(attr);
      if (!dense)
        return rewriter.notifyMatchFailure(op, "value is not a dense attribute");
      auto scalar = dense.bitcast(element).getSplatValue<TypedAttr>();
      value = arith::ConstantOp::create(rewriter, loc, scalar);
    } else {
      value = scalarConstant(rewriter, loc, element, 0.0);
    }
    SmallVector<Value> sizes = readIndices(rewriter, loc, op.getInput(), adaptor.getInput());
    rewriter.replaceOp(op, createFilled(rewriter, loc, resultType,
                                        dynamicSizes(resultType, sizes), value));
    return success();
  }
};

/// Expand is a numpy broadcast of the input to the shape operand. Dynamic
/// input dims that may or may not be stretched at run time are read with a
/// computed index; all others make a linalg.broadcast.
struct ExpandLowering : OpConversionPattern<tfm::ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::ExpandOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    IndexMath m(rewriter, loc);
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    SmallVector<Value> dims = m.dims(input);
    SmallVector<Value> shape = readIndices(rewriter, loc, op.getShape(), adaptor.getShape());
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    int64_t rank = resultType.getRank();
    int64_t inputOffset = rank - dims.size(), shapeOffset = rank - shape.size();
    tfm::Dims inputDims = tfm::getDims(op.getInput().getType());
    tfm::Dims resultDims = tfm::getDims(op.getType());

    SmallVector<Value> sizes;
    SmallVector<int64_t> broadcastDims, stretched;
    bool exact = true;
    for (int64_t i = 0; i < rank; ++i) {
      int64_t j = i - inputOffset, k = i - shapeOffset;
      if (j < 0) {
        sizes.push_back(shape[k]);
        broadcastDims.push_back(i);
        continue;
      }
      sizes.push_back(k < 0 ? dims[j] : m.select(m.eq(shape[k], 1), dims[j], shape[k]));
      if (inputType.getDimSize(j) == 1 && resultType.getDimSize(i) != 1) {
        broadcastDims.push_back(i);
        stretched.push_back(j);
      } else if (inputType.isDynamicDim(j) && !inputDims[j].provablyEqual(resultDims[i])) {
        exact = false;
      }
    }

    if (!exact) {
      // A dynamic dim of size 1 at run time is read at index 0.
      rewriter.replaceOp(op, gatherFrom(rewriter, loc, input, resultType, sizes,
                                        [&](IndexMath &im, ValueRange indices) {
                                          SmallVector<Value> at;
                                          for (auto [j, dim] : llvm::enumerate(dims))
                                            at.push_back(im.select(
                                                im.eq(dim, 1), im.constant(0),
                                                indices[j + inputOffset]));
                                          return at;
                                        }));
      return success();
    }
    if (broadcastDims.empty()) {
      rewriter.replaceOp(op, castTo(rewriter, loc, input, resultType));
      return success();
    }
    Value squeezed = input;
    if (!stretched.empty())
      squeezed = tensor::CollapseShapeOp::create(rewriter, loc, input,
                                                 unitDimGroups(dims.size(), stretched));
    Value init = createEmpty(rewriter, loc, resultType, dynamicSizes(resultType, sizes));
    rewriter.replaceOp(
        op, linalg::BroadcastOp::create(rewriter, loc, squeezed, init, broadcastDims)
                ->getResult(0));
    return success();
  }
};

/// Tile broadcasts [d0, d1, ...] to [r0, d0, r1, d1, ...] and collapses the
/// pairs.
struct TileLowering : OpConversionPattern<tfm::TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::TileOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    IndexMath m(rewriter, loc);
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    if (inputType.getRank() == 0) {
      rewriter.replaceOp(op, castTo(rewriter, loc, input, resultType));
      return success();
    }
    SmallVector<Value> repeats = readIndices(rewriter, loc, op.getRepeats(), adaptor.getRepeats());
    SmallVector<int64_t> shape, repeatDims;
    SmallVector<Value> sizes;
    SmallVector<ReassociationIndices> pairs;
    for (auto [i, repeat] : llvm::enumerate(repeats)) {
      int64_t at = 2 * i;
      shape.push_back(getConstantIntValue(repeat).value_or(ShapedType::kDynamic));
      shape.push_back(inputType.getDimSize(i));
      sizes.push_back(repeat);
      sizes.push_back(m.dim(input, i));
      repeatDims.push_back(at);
      pairs.push_back({at, at + 1});
    }
    auto broadcastType = RankedTensorType::get(shape, inputType.getElementType());
    Value init = createEmpty(rewriter, loc, broadcastType, dynamicSizes(broadcastType, sizes));
    Value broadcast =
        linalg::BroadcastOp::create(rewriter, loc, input, init, repeatDims)->getResult(0);
    Value tiled = tensor::CollapseShapeOp::create(rewriter, loc, broadcast, pairs);
    rewriter.replaceOp(op, castTo(rewriter, loc, tiled, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

/// Where output index `i` (already shifted by the low pad) reads from a dim of
/// size `n` in the non-constant modes.
Value padSource(IndexMath &m, StringRef mode, Value i, Value n) {
  Value zero = m.constant(0), one = m.constant(1);
  if (mode == "edge")
    return m.clamp(i, zero, m.sub(n, one));
  if (mode == "wrap")
    return m.floorMod(i, n);
  // reflect: a triangle wave of period 2(n - 1); a single element repeats.
  Value period = m.mul(m.constant(2), m.sub(n, one));
  Value r = m.floorMod(i, m.max(period, one));
  return m.select(m.cmp(arith::CmpIPredicate::slt, r, n), r, m.sub(period, r));
}

/// Negative pads crop, before the positive ones pad (as ONNX Runtime does).
Value cropNegativePads(OpBuilder &b, Location loc, Value input, ArrayRef<Value> low,
                       ArrayRef<Value> high) {
  auto nonNegative = [](Value v) {
    std::optional<int64_t> pad = getConstantIntValue(v);
    return pad && *pad >= 0;
  };
  if (llvm::all_of(low, nonNegative) && llvm::all_of(high, nonNegative))
    return input;
  IndexMath m(b, loc);
  Value zero = m.constant(0);
  SmallVector<Value> offsets, dims = m.dims(input);
  SmallVector<OpFoldResult> sizes, strides;
  for (auto [n, l, h] : llvm::zip(dims, low, high)) {
    Value cropLow = m.max(m.sub(zero, l), zero), cropHigh = m.max(m.sub(zero, h), zero);
    offsets.push_back(cropLow);
    sizes.push_back(getAsOpFoldResult(m.sub(m.sub(n, cropLow), cropHigh)));
    strides.push_back(b.getIndexAttr(1));
  }
  return tensor::ExtractSliceOp::create(b, loc, input, sliceOffsets(input, offsets), sizes,
                                        strides);
}

/// The non-constant modes read each output element from a computed position.
Value padByIndex(OpBuilder &b, Location loc, StringRef mode, Value input, ArrayRef<Value> low,
                 ArrayRef<Value> high, RankedTensorType resultType) {
  IndexMath m(b, loc);
  SmallVector<Value> dims = m.dims(input), sizes;
  for (auto [n, l, h] : llvm::zip(dims, low, high))
    sizes.push_back(m.add(m.add(n, l), h));
  return gatherFrom(b, loc, input, resultType, sizes, [&](IndexMath &im, ValueRange indices) {
    SmallVector<Value> at;
    for (auto [i, n, l, h] : llvm::zip(indices, dims, low, high)) {
      bool unpadded = getConstantIntValue(l) == 0 && getConstantIntValue(h) == 0;
      at.push_back(unpadded ? i : padSource(im, mode, im.sub(i, l), n));
    }
    return at;
  });
}

struct PadLowering : OpConversionPattern<tfm::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::PadOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    IndexMath m(rewriter, loc);
    Value input = adaptor.getData();
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    SmallVector<Value> pads = readIndices(rewriter, loc, op.getPads(), adaptor.getPads());
    int64_t count = pads.size() / 2;
    SmallVector<Value> axes;
    for (int64_t k = 0; k < count; ++k)
      axes.push_back(m.constant(k));
    if (op.getAxes())
      axes = readIndices(rewriter, loc, op.getAxes(), adaptor.getAxes());
    SmallVector<Value> low(rank, m.constant(0)), high(rank, m.constant(0));
    for (auto [k, axis] : llvm::enumerate(axes)) {
      for (int64_t d = 0; d < rank; ++d) {
        Value here = axisIs(m, axis, rank, d);
        low[d] = m.select(here, pads[k], low[d]);
        high[d] = m.select(here, pads[k + count], high[d]);
      }
    }
    input = cropNegativePads(rewriter, loc, input, low, high);
    for (Value &pad : llvm::concat<Value>(low, high))
      pad = m.max(pad, m.constant(0));

    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    if (op.getMode() != "constant") {
      rewriter.replaceOp(op, padByIndex(rewriter, loc, op.getMode(), input, low, high,
                                        resultType));
      return success();
    }
    Value value = adaptor.getConstantValue()
                      ? readScalar(rewriter, loc, adaptor.getConstantValue())
                      : scalarConstant(rewriter, loc, resultType.getElementType(), 0.0);
    rewriter.replaceOpWithNewOp<tensor::PadOp>(op, resultType, input, getAsOpFoldResult(low),
                                               getAsOpFoldResult(high), value);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Range, Trilu
//===----------------------------------------------------------------------===//

struct RangeLowering : OpConversionPattern<tfm::RangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::RangeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    IndexMath m(rewriter, loc);
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    Type element = resultType.getElementType();
    Value start = readScalar(rewriter, loc, adaptor.getStart());
    Value limit = readScalar(rewriter, loc, adaptor.getLimit());
    Value delta = readScalar(rewriter, loc, adaptor.getDelta());
    // max(ceil((limit - start) / delta), 0) elements.
    Value count;
    if (isa<FloatType>(element)) {
      Value span = arith::SubFOp::create(rewriter, loc, limit, start);
      Value steps = math::CeilOp::create(
          rewriter, loc, arith::DivFOp::create(rewriter, loc, span, delta));
      count = arith::FPToSIOp::create(rewriter, loc, rewriter.getI64Type(), steps);
    } else {
      Value span = arith::SubIOp::create(rewriter, loc, limit, start);
      count = arith::CeilDivSIOp::create(rewriter, loc, span, delta);
    }
    count = m.max(arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(), count),
                  m.constant(0));
    rewriter.replaceOp(
        op, buildGeneric(rewriter, loc, resultType, count, {}, {},
                         [&](OpBuilder &b, Location l, ValueRange, ValueRange loops) -> Value {
                           Value i = arith::IndexCastOp::create(b, l, b.getI64Type(), loops[0]);
                           i = castScalar(b, l, i, element, false, false);
                           if (isa<FloatType>(element))
                             return arith::AddFOp::create(
                                 b, l, start, arith::MulFOp::create(b, l, i, delta));
                           return arith::AddIOp::create(b, l, start,
                                                        arith::MulIOp::create(b, l, i, delta));
                         }));
    return success();
  }
};

/// Trilu keeps the elements on one side of diagonal k of the last two dims.
struct TriluLowering : OpConversionPattern<tfm::TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::TriluOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    IndexMath m(rewriter, loc);
    Value input = adaptor.getInput();
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    int64_t rank = resultType.getRank();
    Value k = op.getK() ? readIndices(rewriter, loc, op.getK(), adaptor.getK())[0]
                        : m.constant(0);
    Value zero = scalarConstant(rewriter, loc, resultType.getElementType(), 0.0);
    auto predicate = op.getUpper() ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle;
    rewriter.replaceOp(
        op, buildGeneric(rewriter, loc, resultType, m.dims(input), input,
                         rewriter.getMultiDimIdentityMap(rank),
                         [&](OpBuilder &b, Location l, ValueRange args, ValueRange loops) {
                           IndexMath im(b, l);
                           Value diagonal = im.sub(loops[rank - 1], loops[rank - 2]);
                           Value keep = im.cmp(predicate, diagonal, k);
                           return im.select(keep, args[0], zero);
                         }));
    return success();
  }
};

} // namespace

void lowering::populateDataMovementPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<TransposeLowering, ConcatLowering, SplitLowering, SliceLowering, GatherLowering,
               GatherElementsLowering, ConstantOfShapeLowering, ExpandLowering, TileLowering,
               PadLowering, RangeLowering, TriluLowering>(converter, patterns.getContext());
}
