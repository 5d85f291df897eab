//===- MathOps.cpp - contractions, reductions, pooling: shapes ------------===//

#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace tfmc::tfm;

static Type elementOf(Value v) { return getElementTypeOrSelf(v.getType()); }

/// numpy matmul shapes: 1-D operands are promoted, batch dims broadcast.
static FailureOr<Dims> matmulShape(Operation *op, Value a, Value b) {
  Dims da = getDims(a.getType()), db = getDims(b.getType());
  if (da.empty() || db.empty())
    return op->emitOpError("operands must have rank >= 1");
  bool vecA = da.size() == 1, vecB = db.size() == 1;
  if (vecA)
    da.insert(da.begin(), Dim(1));
  if (vecB)
    db.push_back(Dim(1));
  const Dim &k1 = da.back(), &k2 = db[db.size() - 2];
  if (k1.isStatic() && k2.isStatic() && *k1.getStatic() != *k2.getStatic())
    return op->emitOpError("contraction dimensions differ: ")
           << k1.print() << " vs " << k2.print();
  std::optional<Dims> batch = broadcastShapes(ArrayRef<Dim>(da).drop_back(2),
                                              ArrayRef<Dim>(db).drop_back(2));
  if (!batch)
    return op->emitOpError("batch dimensions are not broadcast-compatible");
  Dims out = *batch;
  if (!vecA)
    out.push_back(da[da.size() - 2]);
  if (!vecB)
    out.push_back(db.back());
  return out;
}

LogicalResult MatMulOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  if (elementOf(getA()) != elementOf(getB()))
    return emitOpError("operands must have the same element type");
  FailureOr<Dims> dims = matmulShape(*this, getA(), getB());
  if (failed(dims))
    return failure();
  types.push_back(makeTensorType(*dims, elementOf(getA())));
  return success();
}

LogicalResult MatMulIntegerOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  if (getAZeroPoint() && elementOf(getAZeroPoint()) != elementOf(getA()))
    return emitOpError("a_zero_point must have a's element type");
  if (getBZeroPoint() && elementOf(getBZeroPoint()) != elementOf(getB()))
    return emitOpError("b_zero_point must have b's element type");
  FailureOr<Dims> dims = matmulShape(*this, getA(), getB());
  if (failed(dims))
    return failure();
  types.push_back(makeTensorType(*dims, IntegerType::get(getContext(), 32)));
  return success();
}

LogicalResult GemmOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims da = getDims(getA().getType()), db = getDims(getB().getType());
  if (da.size() != 2 || db.size() != 2)
    return emitOpError("A and B must be 2-D");
  if (elementOf(getA()) != elementOf(getB()))
    return emitOpError("operands must have the same element type");
  Dim m = da[getTransA() ? 1 : 0], k1 = da[getTransA() ? 0 : 1];
  Dim k2 = db[getTransB() ? 1 : 0], n = db[getTransB() ? 0 : 1];
  if (k1.isStatic() && k2.isStatic() && *k1.getStatic() != *k2.getStatic())
    return emitOpError("contraction dimensions differ: ") << k1.print() << " vs " << k2.print();
  Dims out{m, n};
  if (getC()) {
    Dims dc = getDims(getC().getType());
    std::optional<Dims> b = broadcastShapes(out, dc);
    if (dc.size() > 2 || !b)
      return emitOpError("C is not unidirectionally broadcastable to [M, N]");
  }
  types.push_back(makeTensorType(out, elementOf(getA())));
  return success();
}

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

LogicalResult EinsumOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  // The importer infers before verifying: required attributes may be absent.
  if (!getEquationAttr())
    return emitOpError("requires attribute 'equation'");
  std::string eq;
  for (char c : getEquation())
    if (c != ' ')
      eq.push_back(c);
  llvm::StringRef lhs = eq, rhs;
  bool explicitOutput = lhs.contains("->");
  if (explicitOutput)
    std::tie(lhs, rhs) = lhs.split("->");
  SmallVector<llvm::StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != getInputs().size())
    return emitOpError("equation has ") << terms.size() << " inputs but the op has "
                                        << getInputs().size();

  std::map<char, Dim> letterDims;
  std::map<char, int> letterCount;
  Dims ellipsis;
  for (auto [term, input] : llvm::zip(terms, getInputs())) {
    Dims dims = getDims(input.getType());
    size_t letters = llvm::count_if(term, llvm::isAlpha);
    bool hasEllipsis = term.contains("...");
    if ((!hasEllipsis && letters != dims.size()) || letters > dims.size())
      return emitOpError("term '") << term << "' does not match rank " << dims.size();
    size_t pos = 0;
    bool seenEllipsis = false;
    for (size_t i = 0; i < term.size(); ++i) {
      if (term[i] == '.') {
        // One ellipsis per term covers the dims the letters leave.
        if (!term.substr(i).starts_with("...") || seenEllipsis)
          return emitOpError("term '") << term << "' has a stray '.' or a second ellipsis";
        seenEllipsis = true;
        size_t span = dims.size() - letters;
        std::optional<Dims> b = broadcastShapes(
            ellipsis, ArrayRef<Dim>(dims).slice(pos, span));
        if (!b)
          return emitOpError("ellipsis dimensions are not broadcast-compatible");
        ellipsis = *b;
        pos += span;
        i += 2;
        continue;
      }
      if (!llvm::isAlpha(term[i]))
        return emitOpError("invalid character in equation: '") << term[i] << "'";
      char c = term[i];
      Dim d = dims[pos++];
      auto [it, inserted] = letterDims.emplace(c, d);
      if (!inserted) {
        if (it->second.getStatic() == 1)
          it->second = d;
        else if (d.getStatic() != 1 && it->second.provablyDifferent(d))
          return emitOpError("label '") << c << "' has sizes " << it->second.print()
                                        << " and " << d.print();
      }
      ++letterCount[c];
    }
  }

  Dims out;
  if (explicitOutput) {
    for (size_t i = 0; i < rhs.size(); ++i) {
      if (rhs[i] == '.') {
        if (!rhs.substr(i).starts_with("..."))
          return emitOpError("output '") << rhs << "' has a stray '.'";
        out.append(ellipsis.begin(), ellipsis.end());
        i += 2;
        continue;
      }
      auto it = letterDims.find(rhs[i]);
      if (it == letterDims.end())
        return emitOpError("output label '") << rhs[i] << "' is not in any input";
      out.push_back(it->second);
    }
  } else {
    out.append(ellipsis.begin(), ellipsis.end());
    for (auto &[c, count] : letterCount)
      if (count == 1)
        out.push_back(letterDims[c]);
  }
  types.push_back(makeTensorType(out, elementOf(getInputs().front())));
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

namespace {
struct WindowParams {
  SmallVector<int64_t> kernel, strides, dilations, pads;
  llvm::StringRef autoPad;
  bool ceilMode = false;
};
} // namespace

/// Spatial output sizes of a sliding window, ONNX's formula for each auto_pad.
static FailureOr<Dims> windowOutput(Operation *op, ArrayRef<Dim> spatial,
                                    const WindowParams &p) {
  size_t n = spatial.size();
  if (p.kernel.size() != n || p.strides.size() != n || p.dilations.size() != n ||
      p.pads.size() != 2 * n)
    return op->emitOpError("kernel_shape, strides, dilations and pads must cover the ")
           << n << " spatial dimensions";
  if (p.autoPad != "NOTSET" && p.autoPad != "VALID" && p.autoPad != "SAME_UPPER" &&
      p.autoPad != "SAME_LOWER")
    return op->emitOpError("unknown auto_pad '") << p.autoPad << "'";
  Dims out;
  for (size_t i = 0; i < n; ++i) {
    if (p.strides[i] <= 0 || p.dilations[i] <= 0 || p.kernel[i] <= 0)
      return op->emitOpError("kernel, strides and dilations must be positive");
    std::optional<int64_t> in = spatial[i].getStatic();
    if (!in) {
      out.push_back(Dim::unknown());
      continue;
    }
    // Extreme attributes (and pads) would overflow int64 below.
    int64_t stride = p.strides[i], extent, padded, span;
    if (llvm::MulOverflow(p.dilations[i], p.kernel[i] - 1, extent) ||
        llvm::AddOverflow(extent, int64_t(1), extent) ||
        llvm::AddOverflow(*in, p.pads[i], padded) ||
        llvm::AddOverflow(padded, p.pads[i + n], padded) ||
        llvm::SubOverflow(padded, extent, span))
      return op->emitOpError("window size overflows in spatial dimension ") << i;
    int64_t size;
    if (p.autoPad == "SAME_UPPER" || p.autoPad == "SAME_LOWER") {
      size = *in / stride + (*in % stride != 0);
    } else if (p.autoPad == "VALID") {
      size = *in < extent ? 0 : (*in - extent) / stride + 1;
    } else if (span < 0) {
      // Division truncates towards zero: -1 / 2 would make one window.
      size = 0;
    } else {
      size = span / stride + (p.ceilMode && span % stride != 0) + 1;
      // A last window that would start in the end padding is dropped.
      int64_t lastStart;
      if (p.ceilMode && (llvm::MulOverflow(size - 1, stride, lastStart) ||
                         lastStart >= *in + p.pads[i]))
        --size;
    }
    if (size <= 0)
      return op->emitOpError("window does not fit spatial dimension ") << i;
    out.push_back(Dim(size));
  }
  return out;
}

static WindowParams windowParams(size_t n, ArrayRef<int64_t> kernel,
                                 std::optional<ArrayRef<int64_t>> strides,
                                 std::optional<ArrayRef<int64_t>> dilations,
                                 std::optional<ArrayRef<int64_t>> pads,
                                 llvm::StringRef autoPad, bool ceilMode) {
  WindowParams p;
  p.kernel.assign(kernel.begin(), kernel.end());
  p.strides = strides ? SmallVector<int64_t>(*strides) : SmallVector<int64_t>(n, 1);
  p.dilations = dilations ? SmallVector<int64_t>(*dilations) : SmallVector<int64_t>(n, 1);
  p.pads = pads ? SmallVector<int64_t>(*pads) : SmallVector<int64_t>(2 * n, 0);
  p.autoPad = autoPad;
  p.ceilMode = ceilMode;
  return p;
}

LogicalResult ConvOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims x = getDims(getX().getType()), w = getDims(getW().getType());
  if (x.size() < 3 || w.size() != x.size())
    return emitOpError("X and W must have the same rank >= 3");
  size_t n = x.size() - 2;
  SmallVector<int64_t> kernel;
  if (auto ks = getKernelShape()) {
    kernel.assign(ks->begin(), ks->end());
  } else {
    for (const Dim &d : ArrayRef<Dim>(w).drop_front(2)) {
      if (!d.isStatic())
        return emitOpError("kernel_shape is needed when W's spatial dims are dynamic");
      kernel.push_back(*d.getStatic());
    }
  }
  int64_t group = getGroup();
  if (group <= 0)
    return emitOpError("group must be positive");
  int64_t channels;
  if (x[1].isStatic() && w[1].isStatic() &&
      (llvm::MulOverflow(*w[1].getStatic(), group, channels) || *x[1].getStatic() != channels))
    return emitOpError("input channels ") << x[1].print() << " != W channels "
                                          << w[1].print() << " x group " << group;
  if (getB()) {
    Dims b = getDims(getB().getType());
    if (b.size() != 1 || b[0].provablyDifferent(w[0]))
      return emitOpError("B must be 1-D with one value per output channel");
  }
  FailureOr<Dims> spatial = windowOutput(
      *this, ArrayRef<Dim>(x).drop_front(2),
      windowParams(n, kernel, getStrides(), getDilations(), getPads(), getAutoPad(), false));
  if (failed(spatial))
    return failure();
  Dims out{x[0], w[0]};
  out.append(spatial->begin(), spatial->end());
  types.push_back(makeTensorType(out, elementOf(getX())));
  return success();
}

template <typename PoolOp>
static FailureOr<Dims> poolShape(PoolOp op, bool ceilMode) {
  // The importer infers before verifying: required attributes may be absent.
  if (!op.getKernelShapeAttr())
    return op.emitOpError("requires attribute 'kernel_shape'");
  Dims x = getDims(op.getX().getType());
  if (x.size() < 3)
    return op.emitOpError("X must have rank >= 3");
  FailureOr<Dims> spatial = windowOutput(
      op, ArrayRef<Dim>(x).drop_front(2),
      windowParams(x.size() - 2, op.getKernelShape(), op.getStrides(), op.getDilations(),
                   op.getPads(), op.getAutoPad(), ceilMode));
  if (failed(spatial))
    return failure();
  Dims out{x[0], x[1]};
  out.append(spatial->begin(), spatial->end());
  return out;
}

LogicalResult MaxPoolOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<Dims> dims = poolShape(*this, getCeilMode() != 0);
  if (failed(dims))
    return failure();
  types.push_back(makeTensorType(*dims, elementOf(getX())));
  if (getIndices())
    types.push_back(makeTensorType(*dims, IntegerType::get(getContext(), 64)));
  return success();
}

LogicalResult AveragePoolOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  FailureOr<Dims> dims = poolShape(*this, getCeilMode() != 0);
  if (failed(dims))
    return failure();
  types.push_back(makeTensorType(*dims, elementOf(getX())));
  return success();
}

LogicalResult GlobalAveragePoolOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims x = getDims(getX().getType());
  if (x.size() < 3)
    return emitOpError("X must have rank >= 3");
  for (size_t i = 2; i < x.size(); ++i)
    x[i] = Dim(1);
  types.push_back(makeTensorType(x, elementOf(getX())));
  return success();
}

LogicalResult BatchNormOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims x = getDims(getX().getType());
  if (x.size() < 2)
    return emitOpError("X must have rank >= 2");
  for (Value param : {getScale(), getB(), getInputMean(), getInputVar()}) {
    Dims p = getDims(param.getType());
    if (p.size() != 1 || p[0].provablyDifferent(x[1]))
      return emitOpError("scale, B, input_mean and input_var must be 1-D of size C = ")
             << x[1].print();
  }
  if (!getRunningMean() != !getRunningVar())
    return emitOpError("running_mean and running_var go together");
  if (getRunningMean() && !getTrainingMode())
    return emitOpError("running_mean and running_var exist only in training mode");
  types.push_back(getX().getType());
  if (getRunningMean()) {
    types.push_back(getInputMean().getType());
    types.push_back(getInputVar().getType());
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// Shape of a reduction over `axes` (nullopt: not constant) of `dims`.
static FailureOr<Dims> reduceShape(Operation *op, Dims dims, Value axesValue,
                                   bool keepDims, bool noopWithEmptyAxes) {
  int64_t rank = dims.size();
  SmallVector<int64_t> axes;
  if (axesValue) {
    std::optional<SmallVector<int64_t>> constant = evaluateConstantInts(axesValue);
    // A statically empty axes tensor needs no values: it reduces all dims.
    auto axesType = cast<RankedTensorType>(axesValue.getType());
    if (!constant && axesType.hasStaticShape() && axesType.getNumElements() == 0)
      constant.emplace();
    if (!constant) {
      // Unknown axes: the rank is still known from their count.
      if (keepDims)
        return Dims(rank, Dim::unknown());
      if (axesType.getRank() != 1 || axesType.isDynamicDim(0))
        return op->emitOpError("non-constant axes must have a static length");
      // Also keeps the result rank below from going negative.
      if (axesType.getDimSize(0) > rank)
        return op->emitOpError("axes has ") << axesType.getDimSize(0) << " entries for rank "
                                            << rank;
      return Dims(rank - axesType.getDimSize(0), Dim::unknown());
    }
    axes = *constant;
  }
  if (axes.empty()) {
    if (noopWithEmptyAxes)
      return dims;
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  llvm::SmallBitVector reduced(rank);
  for (int64_t axis : axes) {
    std::optional<int64_t> a = normalizeAxis(axis, rank);
    if (!a)
      return op->emitOpError("axis ") << axis << " is out of range for rank " << rank;
    reduced.set(*a);
  }
  Dims out;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced.test(i))
      out.push_back(dims[i]);
    else if (keepDims)
      out.push_back(Dim(1));
  }
  return out;
}

#define TFM_REDUCE_INFER(OP)                                                    \
  LogicalResult OP::inferResultTypes(SmallVectorImpl<Type> &types) {           \
    FailureOr<Dims> dims = reduceShape(*this, getDims(getData().getType()),     \
                                       getAxes(), getKeepdims() != 0,           \
                                       getNoopWithEmptyAxes() != 0);            \
    if (failed(dims))                                                           \
      return failure();                                                         \
    types.push_back(makeTensorType(*dims, elementOf(getData())));               \
    return success();                                                           \
  }
TFM_REDUCE_INFER(ReduceMeanOp)
TFM_REDUCE_INFER(ReduceSumOp)
TFM_REDUCE_INFER(ReduceMaxOp)
TFM_REDUCE_INFER(ReduceMinOp)
TFM_REDUCE_INFER(ReduceProdOp)
#undef TFM_REDUCE_INFER

LogicalResult ArgMaxOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims dims = getDims(getData().getType());
  std::optional<int64_t> axis = normalizeAxis(getAxis(), dims.size());
  if (!axis)
    return emitOpError("axis ") << getAxis() << " is out of range for rank " << dims.size();
  if (getKeepdims())
    dims[*axis] = Dim(1);
  else
    dims.erase(dims.begin() + *axis);
  types.push_back(makeTensorType(dims, IntegerType::get(getContext(), 64)));
  return success();
}

LogicalResult TopKOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  Dims dims = getDims(getX().getType());
  std::optional<int64_t> axis = normalizeAxis(getAxis(), dims.size());
  if (!axis)
    return emitOpError("axis ") << getAxis() << " is out of range for rank " << dims.size();
  auto kType = getK().getType();
  if (!kType.hasStaticShape() || kType.getNumElements() != 1)
    return emitOpError("K must hold one element");
  std::optional<Dims> k = evaluateShapeValue(getK());
  // A negative K is wrong whatever the axis size, static or not.
  if (k && (*k)[0].getStatic() && *(*k)[0].getStatic() < 0)
    return emitOpError("K = ") << (*k)[0].print() << " is negative";
  if (k && (*k)[0].getStatic() && dims[*axis].getStatic() &&
      *(*k)[0].getStatic() > *dims[*axis].getStatic())
    return emitOpError("K = ") << (*k)[0].print() << " exceeds axis size "
                               << dims[*axis].print();
  dims[*axis] = k ? (*k)[0] : Dim::unknown();
  types.push_back(makeTensorType(dims, elementOf(getX())));
  types.push_back(makeTensorType(dims, IntegerType::get(getContext(), 64)));
  return success();
}

LogicalResult CumSumOp::inferResultTypes(SmallVectorImpl<Type> &types) {
  auto axisType = getAxis().getType();
  if (axisType.getRank() > 1 || !axisType.hasStaticShape() || axisType.getNumElements() != 1)
    return emitOpError("axis must be a 0-D or one-element tensor");
  if (auto axis = evaluateConstantInts(getAxis()))
    if (!normalizeAxis((*axis)[0], getX().getType().getRank()))
      return emitOpError("axis ") << (*axis)[0] << " is out of range";
  types.push_back(getX().getType());
  return success();
}
