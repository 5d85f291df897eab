//===- Shape.cpp - constants, shape queries and reshapes ------------------===//
//
// Reshapes become tensor.collapse_shape / expand_shape where the (symbolic)
// dims show which source dims make up which result dims, and tensor.reshape
// with a shape computed at run time otherwise. Data movement (slices,
// gathers, pads, ...) is in DataMovement.cpp.
//
//===----------------------------------------------------------------------===//

#include "ShapeLowering.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
using tfmc::tfm::Dim;
namespace tfm = tfmc::tfm;

//===----------------------------------------------------------------------===//
// Helpers shared with DataMovement.cpp
//===----------------------------------------------------------------------===//

Value IndexMath::constant(int64_t value) const {
  return arith::ConstantIndexOp::create(b, loc, value);
}
Value IndexMath::add(Value x, Value y) const { return b.createOrFold<arith::AddIOp>(loc, x, y); }
Value IndexMath::sub(Value x, Value y) const { return b.createOrFold<arith::SubIOp>(loc, x, y); }
Value IndexMath::mul(Value x, Value y) const { return b.createOrFold<arith::MulIOp>(loc, x, y); }
Value IndexMath::div(Value x, Value y) const {
  return b.createOrFold<arith::DivSIOp>(loc, x, y);
}
Value IndexMath::min(Value x, Value y) const {
  return b.createOrFold<arith::MinSIOp>(loc, x, y);
}
Value IndexMath::max(Value x, Value y) const {
  return b.createOrFold<arith::MaxSIOp>(loc, x, y);
}
Value IndexMath::clamp(Value x, Value lo, Value hi) const { return max(min(x, hi), lo); }

Value IndexMath::floorMod(Value x, Value y) const {
  Value rem = b.createOrFold<arith::RemSIOp>(loc, x, y);
  Value negative = cmp(arith::CmpIPredicate::slt, rem, constant(0));
  return select(negative, add(rem, y), rem);
}

Value IndexMath::cmp(arith::CmpIPredicate predicate, Value x, Value y) const {
  return b.createOrFold<arith::CmpIOp>(loc, predicate, x, y);
}
Value IndexMath::eq(Value x, int64_t y) const {
  return cmp(arith::CmpIPredicate::eq, x, constant(y));
}
Value IndexMath::select(Value condition, Value x, Value y) const {
  // Equal constants are distinct values, which arith.select does not fold.
  std::optional<int64_t> cx = getConstantIntValue(x);
  if (cx && cx == getConstantIntValue(y))
    return x;
  return b.createOrFold<arith::SelectOp>(loc, condition, x, y);
}
Value IndexMath::flag(bool value) const {
  return arith::ConstantOp::create(b, loc, b.getBoolAttr(value));
}
Value IndexMath::logicalOr(Value x, Value y) const {
  return b.createOrFold<arith::OrIOp>(loc, x, y);
}
Value IndexMath::wrapNegative(Value x, Value size) const {
  return select(cmp(arith::CmpIPredicate::slt, x, constant(0)), add(x, size), x);
}
Value IndexMath::dim(Value tensor, int64_t i) const {
  return b.createOrFold<tensor::DimOp>(loc, tensor, i);
}
SmallVector<Value> IndexMath::dims(Value tensor) const {
  SmallVector<Value> sizes;
  for (int64_t i = 0, e = cast<RankedTensorType>(tensor.getType()).getRank(); i < e; ++i)
    sizes.push_back(dim(tensor, i));
  return sizes;
}
Value IndexMath::product(ValueRange values) const {
  Value result = constant(1);
  for (Value v : values)
    result = mul(result, v);
  return result;
}

SmallVector<Value> lowering::readIndices(OpBuilder &b, Location loc, Value original,
                                         Value converted) {
  IndexMath m(b, loc);
  SmallVector<Value> values;
  if (std::optional<SmallVector<int64_t>> ints = tfm::getConstantInts(original)) {
    for (int64_t v : *ints)
      values.push_back(m.constant(v));
    return values;
  }
  auto type = cast<RankedTensorType>(converted.getType());
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    SmallVector<Value> at;
    if (type.getRank() == 1)
      at.push_back(m.constant(i));
    Value element = tensor::ExtractOp::create(b, loc, converted, at);
    values.push_back(arith::IndexCastOp::create(b, loc, b.getIndexType(), element));
  }
  return values;
}

Value lowering::readScalar(OpBuilder &b, Location loc, Value tensor) {
  int64_t rank = cast<RankedTensorType>(tensor.getType()).getRank();
  SmallVector<Value> zeros(rank, IndexMath(b, loc).constant(0));
  return tensor::ExtractOp::create(b, loc, tensor, zeros);
}

SmallVector<OpFoldResult> lowering::mixedSizes(RankedTensorType type,
                                               ArrayRef<Value> computed) {
  SmallVector<OpFoldResult> sizes;
  auto indexType = IndexType::get(type.getContext());
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (type.isDynamicDim(i))
      sizes.push_back(computed[i]);
    else
      sizes.push_back(IntegerAttr::get(indexType, type.getDimSize(i)));
  }
  return sizes;
}

SmallVector<Value> lowering::dynamicSizes(RankedTensorType type, ArrayRef<Value> computed) {
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      sizes.push_back(computed[i]);
  return sizes;
}

Value lowering::castTo(OpBuilder &b, Location loc, Value value, RankedTensorType type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

SmallVector<ReassociationIndices> lowering::unitDimGroups(int64_t rank,
                                                          ArrayRef<int64_t> unitDims) {
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (int64_t i = 0; i < rank; ++i) {
    pending.push_back(i);
    if (!llvm::is_contained(unitDims, i)) {
      groups.push_back(pending);
      pending.clear();
    }
  }
  if (!groups.empty())
    groups.back().append(pending);
  return groups;
}

namespace {

//===----------------------------------------------------------------------===//
// Reshapes
//===----------------------------------------------------------------------===//

SmallVector<ReassociationIndices> identityGroups(int64_t rank) {
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0; i < rank; ++i)
    groups.push_back({i});
  return groups;
}

bool isIdentity(ArrayRef<ReassociationIndices> groups, int64_t rank) {
  return static_cast<int64_t>(groups.size()) == rank &&
         llvm::all_of(groups, [](const ReassociationIndices &g) { return g.size() == 1; });
}

/// A reshape as a collapse_shape by `source` followed by an expand_shape by
/// `result`, group for group; either may be the identity.
struct DimGroups {
  SmallVector<ReassociationIndices> source, result;
};

/// Pairs runs of source dims with runs of result dims whose products are
/// provably equal (symbolic dims included); nullopt where the dims do not
/// tell.
std::optional<DimGroups> groupDims(ArrayRef<Dim> source, ArrayRef<Dim> result) {
  auto isOne = [](const Dim &d) { return d.getStatic() == 1; };
  DimGroups groups;
  if (source.empty() || result.empty()) {
    if (llvm::all_of(source, isOne) && llvm::all_of(result, isOne))
      return groups;
    return std::nullopt;
  }
  int64_t i = 0, j = 0, n = source.size(), k = result.size();
  while (i < n && j < k) {
    ReassociationIndices sourceGroup{i}, resultGroup{j};
    Dim sourceSize = source[i++], resultSize = result[j++];
    while (!sourceSize.provablyEqual(resultSize)) {
      // Grow the side whose product divides the other's; static sizes
      // compare directly.
      std::optional<int64_t> a = sourceSize.getStatic(), c = resultSize.getStatic();
      bool growSource, growResult;
      if (a && c) {
        growSource = *a < *c;
        growResult = !growSource;
      } else {
        growSource = resultSize.divideExactly(sourceSize).isKnown();
        growResult = !growSource && sourceSize.divideExactly(resultSize).isKnown();
        if (!growSource && !growResult)
          growSource = growResult = true;
      }
      if ((growSource && i == n) || (growResult && j == k))
        return std::nullopt;
      if (growSource) {
        sourceGroup.push_back(i);
        sourceSize = sourceSize * source[i++];
      }
      if (growResult) {
        resultGroup.push_back(j);
        resultSize = resultSize * result[j++];
      }
    }
    groups.source.push_back(sourceGroup);
    groups.result.push_back(resultGroup);
  }
  // Trailing unit dims join the last group.
  for (; i < n; ++i) {
    if (!isOne(source[i]))
      return std::nullopt;
    groups.source.back().push_back(i);
  }
  for (; j < k; ++j) {
    if (!isOne(result[j]))
      return std::nullopt;
    groups.result.back().push_back(j);
  }
  return groups;
}

/// Reshapes by `groups`; `resultSizes` (one per result dim) are needed only
/// where a group expands.
Value reshapeByGroups(OpBuilder &b, Location loc, Value input, const DimGroups &groups,
                      RankedTensorType resultType, ArrayRef<Value> resultSizes) {
  Value collapsed = input;
  if (!isIdentity(groups.source, cast<RankedTensorType>(input.getType()).getRank()))
    collapsed = tensor::CollapseShapeOp::create(b, loc, input, groups.source);
  if (isIdentity(groups.result, resultType.getRank()))
    return castTo(b, loc, collapsed, resultType);
  // expand_shape wants a collapsed dim static exactly when its group is.
  SmallVector<int64_t> shape;
  for (const ReassociationIndices &group : groups.result) {
    int64_t size = 1;
    for (int64_t d : group)
      size = size == ShapedType::kDynamic || resultType.isDynamicDim(d)
                 ? ShapedType::kDynamic
                 : size * resultType.getDimSize(d);
    shape.push_back(size);
  }
  collapsed = castTo(b, loc, collapsed, RankedTensorType::get(shape, resultType.getElementType()));
  return tensor::ExpandShapeOp::create(b, loc, resultType, collapsed, groups.result,
                                       mixedSizes(resultType, resultSizes));
}

/// tensor.reshape to sizes known only at run time.
Value reshapeAtRunTime(OpBuilder &b, Location loc, Value input, RankedTensorType resultType,
                       ArrayRef<Value> resultSizes) {
  IndexMath m(b, loc);
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < resultType.getRank(); ++i)
    sizes.push_back(resultType.isDynamicDim(i) ? resultSizes[i]
                                               : m.constant(resultType.getDimSize(i)));
  auto shapeType = RankedTensorType::get({resultType.getRank()}, b.getIndexType());
  Value shape = tensor::FromElementsOp::create(b, loc, shapeType, sizes);
  return tensor::ReshapeOp::create(b, loc, resultType, input, shape);
}

/// Reshapes by dims where the types pair them up, else at run time.
Value reshape(OpBuilder &b, Location loc, Value input, Type originalInput, Type originalResult,
              RankedTensorType resultType, ArrayRef<Value> resultSizes) {
  if (std::optional<DimGroups> groups =
          groupDims(tfm::getDims(originalInput), tfm::getDims(originalResult)))
    return reshapeByGroups(b, loc, input, *groups, resultType, resultSizes);
  return reshapeAtRunTime(b, loc, input, resultType, resultSizes);
}

/// ONNX Reshape's target sizes: 0 copies the input's dim (unless
/// allowzero), -1 takes what the other dims leave.
SmallVector<Value> reshapeTarget(IndexMath &m, Value input, ArrayRef<Value> entries,
                                 bool allowZero) {
  SmallVector<Value> inputSizes = m.dims(input);
  SmallVector<Value> sizes, inferred;
  Value one = m.constant(1);
  Value known = one;
  for (auto [i, entry] : llvm::enumerate(entries)) {
    Value size = entry;
    if (!allowZero && i < inputSizes.size())
      size = m.select(m.eq(entry, 0), inputSizes[i], entry);
    inferred.push_back(m.eq(entry, -1));
    size = m.select(inferred.back(), one, size);
    sizes.push_back(size);
    known = m.mul(known, size);
  }
  Value rest = m.div(m.product(inputSizes), m.max(known, one));
  for (auto [size, infer] : llvm::zip(sizes, inferred))
    size = m.select(infer, rest, size);
  return sizes;
}

struct ReshapeLowering : OpConversionPattern<tfm::ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::ReshapeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    IndexMath m(rewriter, loc);
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    SmallVector<Value> entries = readIndices(rewriter, loc, op.getShape(), adaptor.getShape());
    SmallVector<Value> sizes = reshapeTarget(m, adaptor.getData(), entries, op.getAllowzero());
    rewriter.replaceOp(op, reshape(rewriter, loc, adaptor.getData(), op.getData().getType(),
                                   op.getType(), resultType, sizes));
    return success();
  }
};

struct FlattenLowering : OpConversionPattern<tfm::FlattenOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::FlattenOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    IndexMath m(rewriter, op.getLoc());
    Value input = adaptor.getInput();
    SmallVector<Value> dims = m.dims(input);
    int64_t rank = dims.size();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    auto outer = llvm::to_vector_of<int64_t, 2>(llvm::seq<int64_t>(0, axis));
    auto inner = llvm::to_vector_of<int64_t, 2>(llvm::seq<int64_t>(axis, rank));
    DimGroups groups;
    if (axis == 0 || axis == rank) {
      // One side is empty: everything collapses, then a unit dim is added.
      if (rank > 0) {
        groups.source.push_back(axis == 0 ? inner : outer);
        groups.result.push_back({0, 1});
      }
    } else {
      groups.source = {outer, inner};
      groups.result = identityGroups(2);
    }
    SmallVector<Value> sizes{m.product(ArrayRef(dims).take_front(axis)),
                             m.product(ArrayRef(dims).drop_front(axis))};
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    rewriter.replaceOp(op,
                       reshapeByGroups(rewriter, op.getLoc(), input, groups, resultType, sizes));
    return success();
  }
};

/// Where the unit dims of a rank-`rank` shape are (at run time) and, for
/// every other dim, its position among the others.
struct UnitDims {
  SmallVector<Value> isUnit, position;
};

UnitDims unitDimsAt(IndexMath &m, ArrayRef<Value> axes, int64_t rank) {
  UnitDims dims;
  Value count = m.constant(0);
  for (int64_t d = 0; d < rank; ++d) {
    Value isUnit = m.flag(false);
    for (Value axis : axes)
      isUnit = m.logicalOr(isUnit, m.eq(m.wrapNegative(axis, m.constant(rank)), d));
    dims.isUnit.push_back(isUnit);
    dims.position.push_back(count);
    count = m.add(count, m.select(isUnit, m.constant(0), m.constant(1)));
  }
  return dims;
}

/// Normalized axes when they are constants.
std::optional<SmallVector<int64_t>> constantAxes(ArrayRef<Value> axes, int64_t rank) {
  SmallVector<int64_t> result;
  for (Value axis : axes) {
    std::optional<int64_t> a = getConstantIntValue(axis);
    if (!a)
      return std::nullopt;
    result.push_back(*a < 0 ? *a + rank : *a);
  }
  return result;
}

struct SqueezeLowering : OpConversionPattern<tfm::SqueezeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::SqueezeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    IndexMath m(rewriter, loc);
    Value input = adaptor.getData();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    SmallVector<Value> axes;
    if (op.getAxes()) {
      axes = readIndices(rewriter, loc, op.getAxes(), adaptor.getAxes());
    } else {
      for (int64_t d = 0; d < rank; ++d)
        if (inputType.getDimSize(d) == 1)
          axes.push_back(m.constant(d));
    }
    if (std::optional<SmallVector<int64_t>> known = constantAxes(axes, rank)) {
      DimGroups groups{unitDimGroups(rank, *known), identityGroups(resultType.getRank())};
      rewriter.replaceOp(op, reshapeByGroups(rewriter, loc, input, groups, resultType, {}));
      return success();
    }
    // Result dim j is the j-th input dim that is not squeezed.
    UnitDims unit = unitDimsAt(m, axes, rank);
    SmallVector<Value> sizes;
    for (int64_t j = 0; j < resultType.getRank(); ++j) {
      Value size = m.constant(0);
      for (int64_t d = 0; d < rank; ++d) {
        Value here = m.select(unit.isUnit[d], m.constant(-1), unit.position[d]);
        size = m.select(m.eq(here, j), m.dim(input, d), size);
      }
      sizes.push_back(size);
    }
    rewriter.replaceOp(op, reshapeAtRunTime(rewriter, loc, input, resultType, sizes));
    return success();
  }
};

struct UnsqueezeLowering : OpConversionPattern<tfm::UnsqueezeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::UnsqueezeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    IndexMath m(rewriter, loc);
    Value input = adaptor.getData();
    SmallVector<Value> dims = m.dims(input);
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    int64_t rank = resultType.getRank();
    SmallVector<Value> axes = readIndices(rewriter, loc, op.getAxes(), adaptor.getAxes());
    // Result dim d is 1 or the input dim at its position among the others.
    UnitDims unit = unitDimsAt(m, axes, rank);
    SmallVector<Value> sizes;
    for (int64_t d = 0; d < rank; ++d) {
      Value size = m.constant(1);
      for (auto [i, dim] : llvm::enumerate(dims))
        size = m.select(m.eq(unit.position[d], i), dim, size);
      sizes.push_back(m.select(unit.isUnit[d], m.constant(1), size));
    }
    if (std::optional<SmallVector<int64_t>> known = constantAxes(axes, rank)) {
      DimGroups groups{identityGroups(dims.size()), unitDimGroups(rank, *known)};
      rewriter.replaceOp(op, reshapeByGroups(rewriter, loc, input, groups, resultType, sizes));
      return success();
    }
    rewriter.replaceOp(op, reshapeAtRunTime(rewriter, loc, input, resultType, sizes));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Constants and shape queries
//===----------------------------------------------------------------------===//

/// Weights keep their (possibly resource) storage; only the type changes.
struct ConstantLowering : OpConversionPattern<tfm::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::ConstantOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = convertedType(*getTypeConverter(), op.getResult());
    if (!type)
      return rewriter.notifyMatchFailure(op, "no lowering for the constant's type");
    Attribute value = op.getValue();
    if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(value))
      value = dense.bitcast(type.getElementType()).reshape(type);
    else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
      value = DenseResourceElementsAttr::get(type, resource.getRawHandle());
    else
      return rewriter.notifyMatchFailure(op, "unsupported constant attribute");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type, cast<TypedAttr>(value));
    return success();
  }
};

/// An i64 tensor of `type` holding index values.
Value fromIndices(OpBuilder &b, Location loc, RankedTensorType type, ValueRange values) {
  SmallVector<Value> elements;
  for (Value v : values)
    elements.push_back(arith::IndexCastOp::create(b, loc, type.getElementType(), v));
  return tensor::FromElementsOp::create(b, loc, type, elements);
}

struct DimLowering : OpConversionPattern<tfm::DimOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::DimOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    IndexMath m(rewriter, op.getLoc());
    Value size = m.dim(adaptor.getInput(), op.getIndex());
    rewriter.replaceOp(op, fromIndices(rewriter, op.getLoc(),
                                       convertedType(*getTypeConverter(), op.getResult()), size));
    return success();
  }
};

struct ShapeOpLowering : OpConversionPattern<tfm::ShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::ShapeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    IndexMath m(rewriter, op.getLoc());
    SmallVector<Value> dims = m.dims(adaptor.getData());
    RankedTensorType resultType = convertedType(*getTypeConverter(), op.getResult());
    // The result's length already reflects the clamped [start, end).
    int64_t rank = dims.size();
    int64_t start = std::clamp<int64_t>(op.getStart() < 0 ? op.getStart() + rank : op.getStart(),
                                        0, rank);
    ArrayRef<Value> selected = ArrayRef(dims).slice(start, resultType.getDimSize(0));
    rewriter.replaceOp(op, fromIndices(rewriter, op.getLoc(), resultType, selected));
    return success();
  }
};

struct SizeLowering : OpConversionPattern<tfm::SizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::SizeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    IndexMath m(rewriter, op.getLoc());
    Value size = m.product(m.dims(adaptor.getData()));
    rewriter.replaceOp(op, fromIndices(rewriter, op.getLoc(),
                                       convertedType(*getTypeConverter(), op.getResult()), size));
    return success();
  }
};

} // namespace

void lowering::populateShapePatterns(const TypeConverter &converter,
                                     RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, DimLowering, ShapeOpLowering, SizeLowering, ReshapeLowering,
               FlattenLowering, SqueezeLowering, UnsqueezeLowering>(
      converter, patterns.getContext());
  populateDataMovementPatterns(converter, patterns);
}
