//===- AttentionLayout.cpp - axes of the tensors around attention ---------===//

#include "Attention.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace tfmc::tfm;
using namespace tfmc::tfm::fusion;
using namespace tfmc::tfm::fusion::attention;

Layout attention::singletons(ArrayRef<Axis> axes) {
  Layout layout;
  for (Axis axis : axes)
    layout.push_back({axis});
  return layout;
}

bool AxisSizes::record(Axis axis, const Dim &dim) {
  Dim &known = dims[static_cast<unsigned>(axis)];
  if (!known.isKnown()) {
    known = dim;
    return true;
  }
  return !known.provablyDifferent(dim);
}

bool AxisSizes::recordAll(const Layout &layout, ArrayRef<Dim> dims) {
  for (auto [group, dim] : llvm::zip(layout, dims))
    if (group.size() == 1 && !record(group.front(), dim))
      return false;
  return true;
}

bool attention::isLayoutOp(Operation *op) {
  return isa_and_nonnull<TransposeOp, ReshapeOp, SqueezeOp, UnsqueezeOp>(op);
}

namespace {

bool isOne(const Dim &dim) { return dim.provablyEqual(Dim(1)); }

Dim product(ArrayRef<Dim> dims) {
  Dim result(1);
  for (const Dim &dim : dims)
    result = result * dim;
  return result;
}

/// A symbol standing for the unknown dim `index` of `value`, so that it
/// still equals itself.
Dim unknownDim(Value value, size_t index) {
  return Dim(SymExpr::symbol(llvm::formatv("?{0}:{1}", value.getAsOpaquePointer(), index).str()));
}

/// The input and result dims of a reshape, with the ones the shape copies
/// (0) or infers (-1) tied to the input's and the others that are unknown
/// named.
std::pair<Dims, Dims> reshapeDims(ReshapeOp op) {
  Dims in = getDims(op.getData().getType()), out = getDims(op.getType());
  for (auto [i, dim] : llvm::enumerate(in))
    if (!dim.isKnown())
      dim = unknownDim(op.getData(), i);
  std::optional<Dims> shape = evaluateShapeValue(op.getShape());
  if (shape && shape->size() != out.size())
    shape.reset();
  std::optional<size_t> inferred;
  for (size_t j = 0; j < out.size(); ++j) {
    if (out[j].isKnown())
      continue;
    std::optional<int64_t> entry = shape ? (*shape)[j].getStatic() : std::nullopt;
    if (entry == 0 && op.getAllowzero() == 0 && j < in.size())
      out[j] = in[j];
    else if (entry == -1)
      inferred = j;
    else if (shape && (*shape)[j].isKnown())
      out[j] = (*shape)[j];
    else
      out[j] = unknownDim(op.getResult(), j);
  }
  if (inferred) {
    Dims others(out);
    others.erase(others.begin() + *inferred);
    out[*inferred] = product(in).divideExactly(product(others));
    if (!out[*inferred].isKnown())
      out[*inferred] = unknownDim(op.getResult(), *inferred);
  }
  return {in, out};
}

/// Index ranges [first, second) of two shapes.
using Range = std::pair<unsigned, unsigned>;

/// Pairs consecutive dims of `from` and `to` into ranges of equal size, the
/// way a reshape regroups them; a dim of size 1 that faces no other forms a
/// range alone.
std::optional<SmallVector<std::pair<Range, Range>>> reassociate(ArrayRef<Dim> from,
                                                                ArrayRef<Dim> to) {
  SmallVector<std::pair<Range, Range>> ranges;
  unsigned i = 0, j = 0;
  while (i < from.size() || j < to.size()) {
    bool oneFrom = i < from.size() && isOne(from[i]), oneTo = j < to.size() && isOne(to[j]);
    if (oneFrom || oneTo) {
      ranges.push_back({{i, i + oneFrom}, {j, j + oneTo}});
      i += oneFrom;
      j += oneTo;
      continue;
    }
    if (i == from.size() || j == to.size())
      return std::nullopt;
    Range a{i, i + 1}, b{j, j + 1};
    Dim sizeA = from[i++], sizeB = to[j++];
    // Extend whichever side is a proper divisor of the other.
    while (!sizeA.provablyEqual(sizeB)) {
      if (i < from.size() && !isOne(from[i]) && sizeB.divideExactly(sizeA).isKnown()) {
        sizeA = sizeA * from[i++];
        a.second = i;
      } else if (j < to.size() && !isOne(to[j]) && sizeA.divideExactly(sizeB).isKnown()) {
        sizeB = sizeB * to[j++];
        b.second = j;
      } else {
        return std::nullopt;
      }
    }
    ranges.push_back({a, b});
  }
  return ranges;
}

/// The layout of `otherDims` given the layout of `knownDims`, for a reshape
/// between them.
std::optional<Layout> regroup(const Layout &known, ArrayRef<Dim> knownDims, ArrayRef<Dim> otherDims,
                              AxisSizes &sizes) {
  if (!sizes.recordAll(known, knownDims))
    return std::nullopt;
  auto ranges = reassociate(knownDims, otherDims);
  if (!ranges)
    return std::nullopt;
  auto isUnit = [&](Axis axis) { return isOne(sizes.get(axis)); };
  Layout other(otherDims.size());
  // Axes of size 1 whose dim disappears join the next dim that stays.
  Group homeless;
  for (auto [knownRange, otherRange] : *ranges) {
    Group axes = homeless;
    homeless.clear();
    for (unsigned k = knownRange.first; k < knownRange.second; ++k)
      axes.append(known[k]);
    unsigned count = otherRange.second - otherRange.first;
    if (count == 0) {
      if (!llvm::all_of(axes, isUnit))
        return std::nullopt;
      homeless = axes;
      continue;
    }
    if (count == 1) {
      other[otherRange.first] = axes;
      continue;
    }
    // Split the axes among the dims by their sizes.
    unsigned next = 0;
    for (unsigned o = otherRange.first; o < otherRange.second; ++o) {
      Dim have(1);
      while (!have.provablyEqual(otherDims[o])) {
        if (next == axes.size() || !sizes.get(axes[next]).isKnown())
          return std::nullopt;
        have = have * sizes.get(axes[next]);
        other[o].push_back(axes[next++]);
      }
    }
    while (next < axes.size() && isUnit(axes[next]))
      other[otherRange.second - 1].push_back(axes[next++]);
    if (next != axes.size())
      return std::nullopt;
  }
  if (!homeless.empty()) {
    auto stays = llvm::find_if(llvm::reverse(other), [](const Group &g) { return !g.empty(); });
    if (stays == other.rend())
      return std::nullopt;
    stays->append(homeless);
  }
  if (!sizes.recordAll(other, otherDims))
    return std::nullopt;
  return other;
}

/// Normalized constant axes of a squeeze or unsqueeze over `rank` dims.
std::optional<SmallVector<int64_t>> constantAxes(Value axes, int64_t rank) {
  std::optional<SmallVector<int64_t>> values = getConstantInts(axes);
  if (!values)
    return std::nullopt;
  for (int64_t &axis : *values) {
    std::optional<int64_t> normalized = normalizeAxis(axis, rank);
    if (!normalized)
      return std::nullopt;
    axis = *normalized;
  }
  return values;
}

/// `known` with empty groups inserted at `axes` (the dims an unsqueeze
/// adds), or with the groups at `axes` dropped; dropped dims must hold no
/// axis.
std::optional<Layout> insertOrDropOnes(const Layout &known, ArrayRef<int64_t> axes, bool insert) {
  Layout result;
  if (insert) {
    size_t next = 0;
    for (size_t i = 0, e = known.size() + axes.size(); i < e; ++i)
      result.push_back(llvm::is_contained(axes, static_cast<int64_t>(i)) ? Group() : known[next++]);
    return result;
  }
  for (auto [i, group] : llvm::enumerate(known)) {
    if (!llvm::is_contained(axes, static_cast<int64_t>(i))) {
      result.push_back(group);
      continue;
    }
    if (!group.empty())
      return std::nullopt;
  }
  return result;
}

} // namespace

std::optional<Layout> attention::layoutAcross(Operation *op, const Layout &known, bool fromResult,
                                              AxisSizes &sizes) {
  if (auto transpose = dyn_cast<TransposeOp>(op)) {
    size_t rank = known.size();
    SmallVector<int64_t> perm;
    if (std::optional<ArrayRef<int64_t>> attr = transpose.getPerm())
      perm.assign(attr->begin(), attr->end());
    else
      perm = llvm::to_vector(llvm::reverse(llvm::seq<int64_t>(0, rank)));
    if (perm.size() != rank)
      return std::nullopt;
    Layout other(rank);
    for (size_t i = 0; i < rank; ++i) {
      if (fromResult)
        other[perm[i]] = known[i];
      else
        other[i] = known[perm[i]];
    }
    return other;
  }
  if (auto reshape = dyn_cast<ReshapeOp>(op)) {
    auto [in, out] = reshapeDims(reshape);
    return fromResult ? regroup(known, out, in, sizes) : regroup(known, in, out, sizes);
  }
  if (isa<SqueezeOp, UnsqueezeOp>(op)) {
    Value axesValue =
        isa<SqueezeOp>(op) ? cast<SqueezeOp>(op).getAxes() : cast<UnsqueezeOp>(op).getAxes();
    auto wideType = cast<RankedTensorType>(
        (isa<SqueezeOp>(op) ? op->getOperand(0) : op->getResult(0)).getType());
    SmallVector<int64_t> axes;
    if (axesValue) {
      std::optional<SmallVector<int64_t>> values = constantAxes(axesValue, wideType.getRank());
      if (!values)
        return std::nullopt;
      axes = *values;
    } else {
      for (auto [i, size] : llvm::enumerate(wideType.getShape()))
        if (size == 1)
          axes.push_back(i);
    }
    // Squeezing from the result, or unsqueezing from the input, inserts.
    bool insert = isa<SqueezeOp>(op) == fromResult;
    return insertOrDropOnes(known, axes, insert);
  }
  return std::nullopt;
}

namespace {

Group flatten(const Layout &layout) {
  Group axes;
  for (const Group &group : layout)
    axes.append(group);
  return axes;
}

bool allSingletons(const Layout &layout) {
  return llvm::all_of(layout, [](const Group &group) { return group.size() == 1; });
}

/// Constant reshape dims producing `to` from a tensor of layout `from`: the
/// static size, 0 where `from` has the same group at the same index, else -1
/// (once).
std::optional<SmallVector<int64_t>> reshapeValues(const Layout &from, const Layout &to,
                                                  const AxisSizes &sizes) {
  SmallVector<int64_t> values;
  bool inferred = false;
  for (auto [i, group] : llvm::enumerate(to)) {
    Dim size(1);
    for (Axis axis : group)
      size = size * sizes.get(axis);
    if (std::optional<int64_t> value = size.getStatic()) {
      values.push_back(*value);
    } else if (i < from.size() && from[i] == group) {
      values.push_back(0);
    } else if (!inferred) {
      values.push_back(-1);
      inferred = true;
    } else {
      return std::nullopt;
    }
  }
  return values;
}

} // namespace

std::optional<Relayout> attention::planRelayout(const Layout &from, const Layout &to,
                                                const AxisSizes &sizes) {
  Relayout steps;
  if (from == to)
    return steps;
  Group fromAxes = flatten(from), toAxes = flatten(to);
  if (fromAxes.size() != toAxes.size() ||
      !llvm::all_of(toAxes, [&](Axis a) { return llvm::is_contained(fromAxes, a); }))
    return std::nullopt;
  // Same axis order: one reshape regroups them.
  if (fromAxes == toAxes) {
    std::optional<SmallVector<int64_t>> values = reshapeValues(from, to, sizes);
    if (!values)
      return std::nullopt;
    steps.push_back({false, *values});
    return steps;
  }
  Layout current = from;
  if (!allSingletons(current)) {
    Layout split = singletons(fromAxes);
    std::optional<SmallVector<int64_t>> values = reshapeValues(current, split, sizes);
    if (!values)
      return std::nullopt;
    steps.push_back({false, *values});
    current = split;
  }
  SmallVector<int64_t> perm;
  for (Axis axis : toAxes)
    perm.push_back(llvm::find(fromAxes, axis) - fromAxes.begin());
  steps.push_back({true, perm});
  current = singletons(toAxes);
  if (current != to) {
    std::optional<SmallVector<int64_t>> values = reshapeValues(current, to, sizes);
    if (!values)
      return std::nullopt;
    steps.push_back({false, *values});
  }
  return steps;
}

Value attention::emitRelayout(PatternRewriter &rewriter, Location loc, Value value,
                              const Relayout &steps) {
  for (const RelayoutStep &step : steps) {
    if (step.transpose) {
      value = createInferred(
                  rewriter, loc, TransposeOp::getOperationName(), {value},
                  {rewriter.getNamedAttr("perm", rewriter.getDenseI64ArrayAttr(step.values))})
                  ->getResult(0);
      continue;
    }
    auto type =
        RankedTensorType::get({static_cast<int64_t>(step.values.size())}, rewriter.getI64Type());
    Value shape = ConstantOp::create(rewriter, loc, type,
                                     DenseElementsAttr::get(type, ArrayRef(step.values)));
    value =
        createInferred(rewriter, loc, ReshapeOp::getOperationName(), {value, shape})->getResult(0);
  }
  return value;
}

std::optional<double> attention::matchScaling(Operation *op, Value &value) {
  auto oneElement = [](Value v) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    return type && type.hasStaticShape() && type.getNumElements() == 1;
  };
  auto scaled = [&](Value x, Value factor) {
    return oneElement(factor) && cast<ShapedType>(x.getType()).getShape() ==
                                     cast<ShapedType>(op->getResult(0).getType()).getShape();
  };
  if (auto div = dyn_cast<DivOp>(op)) {
    std::optional<double> divisor = foldScalar(div.getRhs());
    if (!divisor || *divisor == 0.0 || !scaled(div.getLhs(), div.getRhs()))
      return std::nullopt;
    value = div.getLhs();
    return 1.0 / *divisor;
  }
  if (auto mul = dyn_cast<MulOp>(op)) {
    for (auto [x, factor] :
         {std::pair(mul.getLhs(), mul.getRhs()), std::pair(mul.getRhs(), mul.getLhs())}) {
      std::optional<double> f = foldScalar(factor);
      if (f && scaled(x, factor)) {
        value = x;
        return *f;
      }
    }
  }
  return std::nullopt;
}
