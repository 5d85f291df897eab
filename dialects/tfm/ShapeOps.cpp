//===- ShapeOps.cpp - shapes of data-movement ops -------------------------===//

#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"

#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace tfmc::tfm;

static Type elementOf(Value v) { return getElementTypeOrSelf(v.getType()); }
static Type i64Type(MLIRContext *ctx) { return IntegerType::get(ctx, 64); }

/// Shape-like operands have one entry per dimension, and inference builds
/// that many dims: a longer one is rejected rather than allocated.
static constexpr int64_t kMaxRank = 1024;

/// The static length of a 1-D operand, or failure with a message.
static FailureOr<int64_t> staticLength(Operation *op, Value v, llvm::StringRef what) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() != 1 || type.isDynamicDim(0))
    return op->emitOpError() << what << " must be 1-D with a static length, got " << type;
  if (type.getDimSize(0) > kMaxRank)
    return op->emitOpError() << what << " has " << type.getDimSize(0)
                             << " entries, more than the supported rank " << kMaxRank;
  return type.getDimSize(0);
}

/// The contents of a 1-D operand of static length: evaluated where possible,
/// unknown dims elsewhere.
static FailureOr<Dims> shapeOperand(Operation *op, Value v, llvm::StringRef what) {
  FailureOr<int64_t> n = staticLength(op, v, what);
  if (failed(n))
    return failure();
  if (std::optional<Dims> values = evaluateShapeValue(v))
    return *values;
  return Dims(*n, Dim::unknown());
}

// `tfm.constant dense<...> : tensor<...>`: the result type is the value's.
ParseResult ConstantOp::parse(OpAsmParser &parser, OperationState &result) {
  ElementsAttr value;
  if (parser.parseOptionalAttrDict(result.attributes) ||
      parser.parseAttribute(value, "value", result.attributes))
    return failure();
  result.addTypes(value.getType());
  return success();
}

void ConstantOp::print(OpAsmPrinter &printer) {
  printer.printOptionalAttrDict((*this)->getAttrs(), {"value"});
  printer << ' ';
  printer.printAttribute(getValue());
}

/// Fails on a statically negative entry of a shape-like operand.
static LogicalResult checkNonNegative(Operation *op, ArrayRef<Dim> values,
                                      llvm::StringRef what) {
  for (const Dim &d : values)
    if (d.getStatic() && *d.getStatic() < 0)
      return op->emitOpError() << what << " has a negative entry " << d.print();
  return success();
}

LogicalResult ConstantOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  types.push_back(cast<ShapedType>(getValue().getType()));
  return success();
}

LogicalResult DimOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  int64_t rank = cast<RankedTensorType>(getInput().getType()).getRank();
  // I64Attr's getter is unsigned; read it signed so that -1 is caught as such.
  int64_t index = static_cast<int64_t>(getIndex());
  if (index < 0 || index >= rank)
    return emitOpError("index ") << index << " is out of range for rank " << rank;
  types.push_back(RankedTensorType::get({}, i64Type(getContext())));
  return success();
}

LogicalResult ShapeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  int64_t rank = getData().getType().getRank();
  auto clamp = [rank](int64_t v) { return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank); };
  int64_t n = std::max<int64_t>(0, clamp(getEnd().value_or(rank)) - clamp(getStart()));
  types.push_back(RankedTensorType::get({n}, i64Type(getContext())));
  return success();
}

LogicalResult SizeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  types.push_back(RankedTensorType::get({}, i64Type(getContext())));
  return success();
}

LogicalResult TransposeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims dims = getDims(getData().getType());
  int64_t rank = dims.size();
  SmallVector<int64_t> perm;
  if (auto p = getPerm())
    perm.assign(p->begin(), p->end());
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  if (static_cast<int64_t>(perm.size()) != rank)
    return emitOpError("perm has ") << perm.size() << " entries for rank " << rank;
  llvm::SmallBitVector seen(rank);
  Dims out;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen.test(p))
      return emitOpError("perm is not a permutation of [0, ") << rank << ")";
    seen.set(p);
    out.push_back(dims[p]);
  }
  types.push_back(makeTensorType(out, elementOf(getData())));
  return success();
}

LogicalResult ReshapeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims in = getDims(getData().getType());
  FailureOr<Dims> target = shapeOperand(*this, getShape(), "shape");
  if (failed(target))
    return failure();
  Dims out = *target;
  Dim total(1), known(1);
  for (const Dim &d : in)
    total = total * d;
  // The product of the target's static dims; symbolic ones are positive
  // integers, so a static element count must be a multiple of it. Unset on
  // overflow.
  std::optional<int64_t> staticKnown = 1;
  int64_t inferIndex = -1;
  for (auto [i, d] : llvm::enumerate(out)) {
    std::optional<int64_t> v = d.getStatic();
    if (v == -1) {
      if (inferIndex >= 0)
        return emitOpError("shape has more than one -1");
      inferIndex = i;
      continue;
    }
    if (v == 0 && !getAllowzero()) {
      if (i >= in.size())
        return emitOpError("shape copies dimension ") << i << " that the input lacks";
      d = in[i];
    } else if (v && *v < -1) {
      return emitOpError("shape has invalid dimension ") << *v;
    }
    known = known * d;
    int64_t product;
    if (staticKnown && d.isStatic() &&
        !llvm::MulOverflow(*staticKnown, *d.getStatic(), product))
      staticKnown = product;
    else if (d.isStatic())
      staticKnown.reset();
  }
  if (inferIndex >= 0) {
    out[inferIndex] = total.divideExactly(known);
    // Symbolic target entries (a negated dim) can make the quotient negative.
    if (out[inferIndex].getStatic() && *out[inferIndex].getStatic() < 0)
      return emitOpError("shape makes the inferred dimension ") << out[inferIndex].print();
    if (total.isStatic() && known.isStatic() && !out[inferIndex].isKnown())
      return emitOpError("cannot reshape ") << total.print() << " elements into a multiple of "
                                           << known.print();
  } else if (total.isStatic() && known.isStatic() &&
             *total.getStatic() != *known.getStatic()) {
    return emitOpError("cannot reshape ") << total.print() << " elements into "
                                         << known.print();
  }
  if (total.isStatic() && staticKnown && *staticKnown > 0 &&
      *total.getStatic() % *staticKnown != 0)
    return emitOpError("cannot reshape ") << total.print() << " elements into a multiple of "
                                         << *staticKnown;
  types.push_back(makeTensorType(out, elementOf(getData())));
  return success();
}

LogicalResult FlattenOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims dims = getDims(getInput().getType());
  int64_t rank = dims.size();
  int64_t axis = getAxis() < 0 ? getAxis() + rank : getAxis();
  if (axis < 0 || axis > rank)
    return emitOpError("axis ") << getAxis() << " is out of range for rank " << rank;
  Dim outer(1), inner(1);
  for (int64_t i = 0; i < rank; ++i)
    (i < axis ? outer : inner) = (i < axis ? outer : inner) * dims[i];
  types.push_back(makeTensorType({outer, inner}, elementOf(getInput())));
  return success();
}

/// Normalized, sorted, distinct axes for an output of rank `rank`.
static FailureOr<SmallVector<int64_t>> normalizeAxes(Operation *op, ArrayRef<int64_t> axes,
                                                     int64_t rank) {
  SmallVector<int64_t> out;
  for (int64_t a : axes) {
    std::optional<int64_t> n = normalizeAxis(a, rank);
    if (!n)
      return op->emitOpError("axis ") << a << " is out of range for rank " << rank;
    if (llvm::is_contained(out, *n))
      return op->emitOpError("axis ") << a << " is repeated";
    out.push_back(*n);
  }
  llvm::sort(out);
  return out;
}

LogicalResult SqueezeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims dims = getDims(getData().getType());
  Dims out;
  if (!getAxes()) {
    for (const Dim &d : dims)
      if (d.getStatic() != 1)
        out.push_back(d);
  } else if (auto axes = evaluateConstantInts(getAxes())) {
    FailureOr<SmallVector<int64_t>> norm = normalizeAxes(*this, *axes, dims.size());
    if (failed(norm))
      return failure();
    for (auto [i, d] : llvm::enumerate(dims)) {
      if (!llvm::is_contained(*norm, static_cast<int64_t>(i))) {
        out.push_back(d);
        continue;
      }
      if (d.isStatic() && *d.getStatic() != 1)
        return emitOpError("cannot squeeze dimension ") << i << " of size " << d.print();
    }
  } else {
    FailureOr<int64_t> n = staticLength(*this, getAxes(), "axes");
    if (failed(n))
      return failure();
    // More axes than dims would make the result rank negative.
    if (*n > static_cast<int64_t>(dims.size()))
      return emitOpError("axes has ") << *n << " entries for rank " << dims.size();
    out.assign(dims.size() - *n, Dim::unknown());
  }
  types.push_back(makeTensorType(out, elementOf(getData())));
  return success();
}

LogicalResult UnsqueezeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims dims = getDims(getData().getType());
  FailureOr<int64_t> n = staticLength(*this, getAxes(), "axes");
  if (failed(n))
    return failure();
  int64_t rank = dims.size() + *n;
  auto axes = evaluateConstantInts(getAxes());
  if (!axes) {
    types.push_back(makeTensorType(Dims(rank, Dim::unknown()), elementOf(getData())));
    return success();
  }
  FailureOr<SmallVector<int64_t>> norm = normalizeAxes(*this, *axes, rank);
  if (failed(norm))
    return failure();
  Dims out;
  auto next = dims.begin();
  for (int64_t i = 0; i < rank; ++i)
    out.push_back(llvm::is_contained(*norm, i) ? Dim(1) : *next++);
  types.push_back(makeTensorType(out, elementOf(getData())));
  return success();
}

LogicalResult ConcatOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  // The importer infers before verifying: required attributes may be absent.
  if (!getAxisAttr())
    return emitOpError("requires attribute 'axis'");
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  Dims out = getDims(getInputs().front().getType());
  std::optional<int64_t> axis = normalizeAxis(getAxis(), out.size());
  if (!axis)
    return emitOpError("axis ") << getAxis() << " is out of range for rank " << out.size();
  Type element = elementOf(getInputs().front());
  for (Value v : getInputs().drop_front()) {
    Dims d = getDims(v.getType());
    if (d.size() != out.size() || elementOf(v) != element)
      return emitOpError("inputs must have the same rank and element type");
    for (size_t i = 0; i < d.size(); ++i) {
      if (static_cast<int64_t>(i) == *axis) {
        out[i] = out[i] + d[i];
      } else if (out[i].provablyDifferent(d[i])) {
        return emitOpError("inputs differ in dimension ") << i << ": " << out[i].print()
                                                         << " vs " << d[i].print();
      } else if (!out[i].isKnown() || (!out[i].isStatic() && d[i].isStatic())) {
        out[i] = d[i];
      }
    }
  }
  types.push_back(makeTensorType(out, element));
  return success();
}

LogicalResult SplitOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims dims = getDims(getInput().getType());
  std::optional<int64_t> axis = normalizeAxis(getAxis(), dims.size());
  if (!axis)
    return emitOpError("axis ") << getAxis() << " is out of range for rank " << dims.size();
  int64_t parts = getNumResults();
  if (parts == 0)
    return emitOpError("needs at least one result");
  Dims sizes;
  if (getSplit()) {
    FailureOr<Dims> split = shapeOperand(*this, getSplit(), "split");
    if (failed(split) || failed(checkNonNegative(*this, *split, "split")))
      return failure();
    if (static_cast<int64_t>(split->size()) != parts)
      return emitOpError("split has ") << split->size() << " sizes for " << parts << " results";
    sizes = *split;
    Dim total(0);
    for (const Dim &d : sizes)
      total = total + d;
    if (total.provablyDifferent(dims[*axis]))
      return emitOpError("split sizes add up to ") << total.print() << ", not "
                                                   << dims[*axis].print();
  } else {
    // Equal parts; with an uneven split the last part is smaller (opset 18).
    Dim whole = dims[*axis];
    std::optional<int64_t> left = whole.getStatic();
    int64_t chunk = left ? *left / parts + (*left % parts != 0) : 0;
    for (int64_t i = 0; i < parts; ++i) {
      if (!left) {
        sizes.push_back(whole.divideExactly(Dim(parts)));
        continue;
      }
      int64_t size = std::min(chunk, *left);
      sizes.push_back(Dim(size));
      *left -= size;
    }
  }
  for (const Dim &size : sizes) {
    Dims part = dims;
    part[*axis] = size;
    types.push_back(makeTensorType(part, elementOf(getInput())));
  }
  return success();
}

/// The size of slicing `[start, end)` by `step` from a static dim, with
/// ONNX's clamping.
static int64_t staticSliceSize(int64_t n, int64_t start, int64_t end, int64_t step) {
  if (n == 0)
    return 0;
  auto clamp = [&](int64_t v, int64_t lo, int64_t hi) {
    return std::clamp(v < 0 ? v + n : v, lo, hi);
  };
  int64_t s = step > 0 ? clamp(start, 0, n) : clamp(start, 0, n - 1);
  int64_t e = step > 0 ? clamp(end, 0, n) : clamp(end, -1, n - 1);
  int64_t distance = step > 0 ? e - s : s - e;
  if (distance <= 0)
    return 0;
  // ceil(distance / |step|), which (distance + |step| - 1) / |step| would
  // overflow for a huge step; |INT64_MIN| only fits unsigned.
  uint64_t stride = step > 0 ? step : 0 - static_cast<uint64_t>(step);
  return (static_cast<uint64_t>(distance) - 1) / stride + 1;
}

/// Where a unit-step slice bound lands on `dim`. Symbolic bounds are taken
/// to lie within the dim, as exporters write them (`bias[:, :, p:p+s, :p+s]`
/// of a causal mask, `x[k:]`, `x[:-k]`).
static Dim slicePosition(const Dim &dim, const Dim &bound, bool isEnd) {
  constexpr int64_t kBig = std::numeric_limits<int32_t>::max();
  std::optional<int64_t> b = bound.getStatic();
  if (!b)
    return bound;
  if (*b >= kBig)
    return dim;
  if (*b <= -kBig)
    return Dim(0);
  if (*b < 0)
    return dim + Dim(*b);
  if (std::optional<int64_t> n = dim.getStatic())
    return Dim(std::min(*b, *n));
  // min(b, dim) for an end; a start is taken to lie within the dim.
  return isEnd ? Dim::unknown() : Dim(*b);
}

LogicalResult SliceOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims dims = getDims(getData().getType());
  int64_t rank = dims.size();
  FailureOr<int64_t> n = staticLength(*this, getStarts(), "starts");
  if (failed(n))
    return failure();
  for (Value v : {getEnds(), getAxes(), getSteps()})
    if (v && cast<RankedTensorType>(v.getType()).getShape() != ArrayRef<int64_t>{*n})
      return emitOpError("starts, ends, axes and steps must have the same length");
  std::optional<Dims> starts = evaluateShapeValue(getStarts()),
                      ends = evaluateShapeValue(getEnds());
  std::optional<SmallVector<int64_t>> axes, steps;
  axes = getAxes() ? evaluateConstantInts(getAxes())
                   : llvm::to_vector(llvm::seq<int64_t>(0, *n));
  steps = getSteps() ? evaluateConstantInts(getSteps()) : SmallVector<int64_t>(*n, 1);
  if (!axes) {
    types.push_back(makeTensorType(Dims(rank, Dim::unknown()), elementOf(getData())));
    return success();
  }
  FailureOr<SmallVector<int64_t>> norm = normalizeAxes(*this, *axes, rank);
  if (failed(norm))
    return failure();
  Dims out = dims;
  for (int64_t i = 0; i < *n; ++i) {
    int64_t axis = *normalizeAxis((*axes)[i], rank);
    if (!starts || !ends || !steps) {
      out[axis] = Dim::unknown();
      continue;
    }
    int64_t step = (*steps)[i];
    if (step == 0)
      return emitOpError("steps must be non-zero");
    const Dim &start = (*starts)[i], &end = (*ends)[i];
    std::optional<int64_t> size = dims[axis].getStatic();
    if (size && start.isStatic() && end.isStatic())
      out[axis] = Dim(staticSliceSize(*size, *start.getStatic(), *end.getStatic(), step));
    else if (step == 1) {
      Dim size =
          slicePosition(dims[axis], end, true) - slicePosition(dims[axis], start, false);
      // An end before the start selects nothing.
      out[axis] = size.getStatic() && *size.getStatic() < 0 ? Dim(0) : size;
    } else
      out[axis] = Dim::unknown();
  }
  types.push_back(makeTensorType(out, elementOf(getData())));
  return success();
}

LogicalResult GatherOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims data = getDims(getData().getType());
  std::optional<int64_t> axis = normalizeAxis(getAxis(), data.size());
  if (!axis)
    return emitOpError("axis ") << getAxis() << " is out of range for rank " << data.size();
  Dims out(data.begin(), data.begin() + *axis);
  Dims idx = getDims(getIndices().getType());
  out.append(idx.begin(), idx.end());
  out.append(data.begin() + *axis + 1, data.end());
  types.push_back(makeTensorType(out, elementOf(getData())));
  return success();
}

LogicalResult GatherElementsOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  int64_t rank = getData().getType().getRank();
  if (getIndices().getType().getRank() != rank)
    return emitOpError("indices must have the data's rank ") << rank;
  if (!normalizeAxis(getAxis(), rank))
    return emitOpError("axis ") << getAxis() << " is out of range for rank " << rank;
  types.push_back(makeTensorType(getDims(getIndices().getType()), elementOf(getData())));
  return success();
}

LogicalResult ConstantOfShapeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<Dims> dims = shapeOperand(*this, getInput(), "input");
  if (failed(dims))
    return failure();
  for (const Dim &d : *dims)
    if (d.getStatic() && *d.getStatic() < 0)
      return emitOpError("shape has a negative dimension");
  Type element = Float32Type::get(getContext());
  if (auto value = getValueAttr()) {
    auto type = cast<ShapedType>(value.getType());
    if (!type.hasStaticShape() || type.getNumElements() != 1)
      return emitOpError("value must hold one element");
    element = type.getElementType();
  }
  types.push_back(makeTensorType(*dims, element));
  return success();
}

LogicalResult ExpandOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<Dims> shape = shapeOperand(*this, getShape(), "shape");
  if (failed(shape) || failed(checkNonNegative(*this, *shape, "shape")))
    return failure();
  std::optional<Dims> out = broadcastShapes(getDims(getInput().getType()), *shape);
  if (!out)
    return emitOpError("input ") << getInput().getType()
                                 << " cannot be broadcast to the requested shape";
  types.push_back(makeTensorType(*out, elementOf(getInput())));
  return success();
}

LogicalResult TileOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims dims = getDims(getInput().getType());
  FailureOr<Dims> repeats = shapeOperand(*this, getRepeats(), "repeats");
  if (failed(repeats) || failed(checkNonNegative(*this, *repeats, "repeats")))
    return failure();
  if (repeats->size() != dims.size())
    return emitOpError("repeats has ") << repeats->size() << " entries for rank "
                                       << dims.size();
  for (size_t i = 0; i < dims.size(); ++i)
    dims[i] = dims[i] * (*repeats)[i];
  types.push_back(makeTensorType(dims, elementOf(getInput())));
  return success();
}

LogicalResult PadOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims dims = getDims(getData().getType());
  int64_t rank = dims.size();
  llvm::StringRef mode = getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge" && mode != "wrap")
    return emitOpError("unknown mode '") << mode << "'";
  if (getConstantValue() && elementOf(getConstantValue()) != elementOf(getData()))
    return emitOpError("constant_value must have the data's element type");
  SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  if (getAxes()) {
    auto constAxes = evaluateConstantInts(getAxes());
    if (!constAxes) {
      types.push_back(makeTensorType(Dims(rank, Dim::unknown()), elementOf(getData())));
      return success();
    }
    axes.clear();
    for (int64_t a : *constAxes) {
      std::optional<int64_t> n = normalizeAxis(a, rank);
      if (!n)
        return emitOpError("axis ") << a << " is out of range for rank " << rank;
      axes.push_back(*n);
    }
  }
  FailureOr<Dims> pads = shapeOperand(*this, getPads(), "pads");
  if (failed(pads))
    return failure();
  if (pads->size() != 2 * axes.size())
    return emitOpError("pads has ") << pads->size() << " entries for " << axes.size()
                                    << " axes";
  for (auto [i, axis] : llvm::enumerate(axes)) {
    dims[axis] = dims[axis] + (*pads)[i] + (*pads)[i + axes.size()];
    if (dims[axis].getStatic() && *dims[axis].getStatic() < 0)
      return emitOpError("pads make dimension ") << axis << " negative";
  }
  types.push_back(makeTensorType(dims, elementOf(getData())));
  return success();
}

LogicalResult RangeOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  for (Value v : {getStart(), getLimit(), getDelta()}) {
    auto t = cast<RankedTensorType>(v.getType());
    if (!t.hasStaticShape() || t.getNumElements() != 1)
      return emitOpError("start, limit and delta must be scalars");
    if (t.getElementType() != elementOf(getStart()))
      return emitOpError("start, limit and delta must have the same element type");
  }
  Dim count = Dim::unknown();
  std::optional<Dims> s = evaluateShapeValue(getStart()), l = evaluateShapeValue(getLimit()),
                      d = evaluateShapeValue(getDelta());
  if (s && l && d) {
    std::optional<int64_t> step = (*d)[0].getStatic();
    if (step == 0)
      return emitOpError("delta must be non-zero");
    std::optional<int64_t> start = (*s)[0].getStatic(), limit = (*l)[0].getStatic();
    int64_t span;
    if (start && limit && step) {
      // ceil(span / step), or none when they differ in sign. A span that
      // overflows, or INT64_MIN / -1, leaves the count unknown.
      if (!llvm::SubOverflow(*limit, *start, span) &&
          !(span == std::numeric_limits<int64_t>::min() && *step == -1))
        count = Dim((span > 0) != (*step > 0) ? 0 : span / *step + (span % *step != 0));
    } else if (step == 1) {
      count = (*l)[0] - (*s)[0];
      if (count.getStatic() && *count.getStatic() < 0)
        count = Dim(0);
    }
  }
  types.push_back(makeTensorType({count}, elementOf(getStart())));
  return success();
}

LogicalResult TriluOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  if (getInput().getType().getRank() < 2)
    return emitOpError("input must have rank >= 2");
  if (getK()) {
    auto t = getK().getType();
    if (!t.hasStaticShape() || t.getNumElements() != 1)
      return emitOpError("k must be a scalar");
  }
  types.push_back(getInput().getType());
  return success();
}
