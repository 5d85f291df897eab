//===- Norms.cpp - LayerNorm and RMSNorm spellings → tfm.layer_norm / rms_norm ===//
//
// Both norms divide by s = sqrt(mean(q) + eps) over the last axis, where q is
// (x - mean(x))^2 for LayerNorm and x^2 for RMSNorm. The statistics are
// matched op by op (they fix eps and the axis); what follows s is read as a
// polynomial in x, mean(x) and 1/s (Polynomial.h) and compared with
//   LayerNorm: (x - mean(x)) / s * scale + bias   (bias optional)
//   RMSNorm:   x / s * scale
// so Div or Reciprocal/Mul, keras2onnx's x * (scale/s) + (bias - mean *
// (scale/s)), duplicated subtractions and no-op casts all match.
//
//===----------------------------------------------------------------------===//

#include "FusionPattern.h"
#include "Polynomial.h"

#include "tfmc/Dialect/ShapeUtils.h"

using namespace mlir;
using namespace tfmc::tfm;
using namespace tfmc::tfm::fusion;

namespace {

constexpr llvm::StringLiteral kLayerNorm = "layer_norm";
constexpr llvm::StringLiteral kRmsNorm = "rms_norm";

/// Whether `mean` reduces only the last axis and keeps it.
bool isLastAxisMean(ReduceMeanOp mean) {
  if (mean.getKeepdims() != 1 || !mean.getAxes())
    return false;
  std::optional<SmallVector<int64_t>> axes = getConstantInts(mean.getAxes());
  int64_t rank = mean.getData().getType().getRank();
  return axes && axes->size() == 1 && normalizeAxis(axes->front(), rank) == rank - 1;
}

/// sqrt(variance + eps): eps and the two ops.
struct ShiftedRoot {
  double epsilon;
  Operation *add;
  SqrtOp sqrt;
};

std::optional<ShiftedRoot> matchShiftedRoot(Value variance) {
  for (Operation *user : usersThroughNoise(variance)) {
    if (!isa<AddOp>(user))
      continue;
    auto eps = matchEitherOperand(user, [](Value v) { return getScalarConstant(v).has_value(); });
    if (!eps)
      continue;
    for (Operation *next : usersThroughNoise(user->getResult(0)))
      if (auto sqrt = dyn_cast<SqrtOp>(next))
        return ShiftedRoot{*getScalarConstant(eps->first), user, sqrt};
  }
  return std::nullopt;
}

/// A scale or bias tfm's norms take: the input's element type, at most 1-D.
bool isNormParam(Value param, Value input) {
  auto type = cast<RankedTensorType>(param.getType());
  return type.getRank() <= 1 && type.getElementType() == getElementTypeOrSelf(input.getType());
}

/// The scale and (optional) bias of a norm.
struct NormParams {
  Value scale, bias;
};

/// The parameters of `poly` read as scale * (x - m) / s + bias when
/// `centered`, else as scale * x / s. x, m and s are the reader's variables
/// 0, 1, 2 (x and s are 0 and 1 without m); scale and bias are atoms.
std::optional<NormParams> matchNormOutput(const Polynomial &poly, const PolynomialReader &reader,
                                          bool centered) {
  unsigned x = 0, m = 1, s = centered ? 2 : 1;
  unsigned numSymbols = centered ? 3 : 2;
  // The atoms of a monomial (exponent 1 each), when its symbol exponents are
  // as given.
  auto atomsOf = [&](const Polynomial::Monomial &monomial, int xExp, int mExp,
                     int sExp) -> std::optional<SmallVector<unsigned>> {
    if (Polynomial::exponent(monomial, x) != xExp || Polynomial::exponent(monomial, s) != sExp ||
        (centered && Polynomial::exponent(monomial, m) != mExp))
      return std::nullopt;
    SmallVector<unsigned> atoms;
    for (unsigned i = numSymbols; i < monomial.size(); ++i) {
      if (monomial[i] == 0)
        continue;
      if (monomial[i] != 1)
        return std::nullopt;
      atoms.push_back(i);
    }
    return atoms;
  };

  std::optional<unsigned> scale, bias;
  unsigned numScaled = 0;
  for (const auto &[monomial, coefficient] : poly.getTerms()) {
    auto xTerm = atomsOf(monomial, 1, 0, -1);
    auto mTerm = centered ? atomsOf(monomial, 0, 1, -1) : std::nullopt;
    auto constTerm = atomsOf(monomial, 0, 0, 0);
    std::optional<SmallVector<unsigned>> atoms = xTerm ? xTerm : mTerm ? mTerm : constTerm;
    if (!atoms || atoms->size() != 1)
      return std::nullopt;
    if (constTerm) {
      if (bias || coefficient != 1.0)
        return std::nullopt;
      bias = atoms->front();
      continue;
    }
    if ((scale && *scale != atoms->front()) || coefficient != (xTerm ? 1.0 : -1.0))
      return std::nullopt;
    scale = atoms->front();
    ++numScaled;
  }
  if (!scale || numScaled != (centered ? 2u : 1u) || (bias && !centered))
    return std::nullopt;
  return NormParams{reader.getVariable(*scale), bias ? reader.getVariable(*bias) : Value()};
}

/// What the two norms share after their variance: sqrt(variance + eps) and
/// the nearest-to-furthest outputs that follow, read as a polynomial.
template <typename Derived>
struct NormPattern : FusionPattern<ReduceMeanOp> {
  using FusionPattern::FusionPattern;

  /// Matches everything after `variance`: fuses and returns success, or
  /// records a miss. `symbols` are x (and the mean); `absorbed` so far.
  LogicalResult fuseAfter(ReduceMeanOp anchor, ReduceMeanOp variance, ArrayRef<Value> symbols,
                          SmallVector<Operation *> absorbed, PatternRewriter &rewriter) const {
    std::optional<ShiftedRoot> root = matchShiftedRoot(variance.getReduced());
    if (!root)
      return miss(rewriter, anchor, "the variance is not followed by + epsilon and sqrt");
    Value x = symbols.front();
    bool centered = symbols.size() == 2;

    PolynomialReader reader;
    for (Value symbol : symbols)
      reader.addSymbol(symbol);
    reader.addSymbol(root->sqrt.getResult(), /*invertible=*/true);
    SmallVector<Operation *> candidates = forwardCandidates(root->sqrt.getResult(), 6);
    // The furthest match takes the bias along.
    for (Operation *out : llvm::reverse(candidates)) {
      Value result = out->getResult(0);
      std::optional<Polynomial> poly = reader.read(result);
      std::optional<NormParams> params =
          poly ? matchNormOutput(*poly, reader, centered) : std::nullopt;
      if (!params)
        continue;
      if (result.getType() != x.getType())
        return miss(rewriter, anchor, "the normalized result is shaped unlike the input");
      if (!isNormParam(params->scale, x) || (params->bias && !isNormParam(params->bias, x)))
        return miss(rewriter, anchor, "the scale or bias is not a 1-D vector of the input's type");
      llvm::append_range(absorbed, ArrayRef<Operation *>{variance, root->add, root->sqrt});
      llvm::append_range(absorbed, reader.collectOps(result));
      sortInBlockOrder(absorbed, out->getBlock());
      rewriter.setInsertionPoint(out);
      Value fused = static_cast<const Derived *>(this)->create(
          rewriter, fusedLoc(absorbed), x, *params, APFloat(static_cast<float>(root->epsilon)));
      rewriter.replaceOp(out, fused);
      return success();
    }
    return miss(rewriter, anchor, Derived::kBadOutput);
  }
};

//===----------------------------------------------------------------------===//
// layer_norm
//===----------------------------------------------------------------------===//

/// A mean whose input is also subtracted from by it: x - mean(x).
bool isLayerNormAnchor(Operation *op) {
  auto mean = dyn_cast<ReduceMeanOp>(op);
  if (!mean)
    return false;
  Value x = skipNoise(mean.getData());
  return llvm::any_of(usersThroughNoise(mean.getReduced()), [&](Operation *user) {
    auto sub = dyn_cast<SubOp>(user);
    return sub && skipNoise(sub.getLhs()) == x && skipNoise(sub.getRhs()) == mean.getReduced();
  });
}

struct LayerNormPattern : NormPattern<LayerNormPattern> {
  using NormPattern::NormPattern;
  static constexpr llvm::StringLiteral kBadOutput =
      "x - mean is not divided by sqrt(variance + epsilon), scaled and shifted";

  LogicalResult matchAndRewrite(ReduceMeanOp mean, PatternRewriter &rewriter) const override {
    if (!isLayerNormAnchor(mean))
      return failure();
    if (!isLastAxisMean(mean))
      return miss(rewriter, mean, "the mean is not over the last axis with keepdims");
    Value x = skipNoise(mean.getData());

    // The variance: a last-axis mean of (x - mean)^2 (as Pow 2, or d * d).
    PolynomialReader reader;
    reader.addSymbol(x);
    reader.addSymbol(mean.getReduced());
    Polynomial x0 = Polynomial::variable(0), m0 = Polynomial::variable(1);
    Polynomial squared = (x0 - m0) * (x0 - m0);
    for (Operation *op : forwardCandidates(mean.getReduced(), 2)) {
      for (Operation *user : usersThroughNoise(op->getResult(0))) {
        auto variance = dyn_cast<ReduceMeanOp>(user);
        if (!variance || !isLastAxisMean(variance))
          continue;
        std::optional<Polynomial> poly = reader.read(variance.getData());
        if (!poly || !poly->approxEquals(squared))
          continue;
        SmallVector<Operation *> absorbed{mean};
        llvm::append_range(absorbed, reader.collectOps(variance.getData()));
        return fuseAfter(mean, variance, {x, mean.getReduced()}, absorbed, rewriter);
      }
    }
    return miss(rewriter, mean, "no last-axis mean of (x - mean)^2 follows");
  }

  Value create(PatternRewriter &rewriter, Location loc, Value x, NormParams params,
               APFloat epsilon) const {
    return LayerNormOp::create(rewriter, loc, x.getType(), Type(), Type(), x, params.scale,
                               params.bias, /*axis=*/-1, epsilon)
        .getOutput();
  }
};

//===----------------------------------------------------------------------===//
// rms_norm
//===----------------------------------------------------------------------===//

/// The x of a mean of x^2 (Pow 2 or x * x), unless x is x' - mean(x') (a
/// LayerNorm's variance).
Value squaredInput(ReduceMeanOp mean) {
  Operation *def = skipNoise(mean.getData()).getDefiningOp();
  Value x;
  if (auto pow = dyn_cast_or_null<PowOp>(def); pow && isScalarConstant(pow.getRhs(), 2.0))
    x = skipNoise(pow.getLhs());
  else if (auto mul = dyn_cast_or_null<MulOp>(def);
           mul && skipNoise(mul.getLhs()) == skipNoise(mul.getRhs()))
    x = skipNoise(mul.getLhs());
  if (!x)
    return Value();
  if (auto sub = dyn_cast_or_null<SubOp>(x.getDefiningOp()))
    if (isa_and_nonnull<ReduceMeanOp>(skipNoise(sub.getRhs()).getDefiningOp()))
      return Value();
  return x;
}

bool isRmsNormAnchor(Operation *op) {
  auto mean = dyn_cast<ReduceMeanOp>(op);
  return mean && squaredInput(mean);
}

struct RmsNormPattern : NormPattern<RmsNormPattern> {
  using NormPattern::NormPattern;
  static constexpr llvm::StringLiteral kBadOutput =
      "x is not divided by sqrt(mean(x^2) + epsilon) and scaled";

  LogicalResult matchAndRewrite(ReduceMeanOp mean, PatternRewriter &rewriter) const override {
    Value x = squaredInput(mean);
    if (!x)
      return failure();
    if (!isLastAxisMean(mean))
      return miss(rewriter, mean, "the mean is not over the last axis with keepdims");
    SmallVector<Operation *> absorbed{skipNoise(mean.getData()).getDefiningOp()};
    return fuseAfter(mean, mean, {x}, absorbed, rewriter);
  }

  Value create(PatternRewriter &rewriter, Location loc, Value x, NormParams params,
               APFloat epsilon) const {
    return RmsNormOp::create(rewriter, loc, x.getType(), x, params.scale, /*axis=*/-1, epsilon)
        .getOutput();
  }
};

void populateLayerNorm(RewritePatternSet &patterns, MissLog &log) {
  patterns.add<LayerNormPattern>(patterns.getContext(), log, kLayerNorm);
}

void populateRmsNorm(RewritePatternSet &patterns, MissLog &log) {
  patterns.add<RmsNormPattern>(patterns.getContext(), log, kRmsNorm);
}

} // namespace

FusionFamily fusion::layerNormFamily() {
  return {kLayerNorm, populateLayerNorm, isLayerNormAnchor};
}

FusionFamily fusion::rmsNormFamily() { return {kRmsNorm, populateRmsNorm, isRmsNormAnchor}; }
