//===- Gelu.cpp - GELU spellings → tfm.gelu --------------------------------===//
//
// Each GELU has a core op f (erf, tanh or sigmoid) of a polynomial in x, and
// an output that is a polynomial in x and f(...):
//   exact:   0.5 * x * (1 + erf(x / sqrt(2)))
//   tanh:    0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
//   sigmoid: x * sigmoid(1.702 * x)
// Both sides are read as polynomials (Polynomial.h), so Pow 3 or x*x*x,
// Megatron's sqrt(2/pi) * x * (1 + 0.044715 * x * x), divisors or factors and
// any product order all match. A bias added before the GELU stays an add.
//
//===----------------------------------------------------------------------===//

#include "FusionPattern.h"
#include "Polynomial.h"

#include <cmath>

using namespace mlir;
using namespace tfmc::tfm;
using namespace tfmc::tfm::fusion;

namespace {

constexpr llvm::StringLiteral kGelu = "gelu";

/// How one approximation spells GELU around its core op.
struct GeluForm {
  GeluApproximation approximation;
  /// The core op's input, over x (variable 0).
  Polynomial argument;
  /// The GELU, over x (variable 0) and the core op's result (variable 1).
  Polynomial output;
  /// The miss reasons when the input or the output does not match.
  llvm::StringLiteral badArgument, badOutput;
};

Polynomial x() { return Polynomial::variable(0); }
Polynomial f() { return Polynomial::variable(1); }
Polynomial num(double value) { return Polynomial::number(value); }

/// 0.5 * x * (1 + f)
Polynomial halfXTimesOnePlusF() { return num(0.5) * x() * (num(1.0) + f()); }

GeluForm erfForm() {
  return {GeluApproximation::none, num(M_SQRT1_2) * x(), halfXTimesOnePlusF(),
          "the erf's input is not x / sqrt(2)",
          "erf(x / sqrt(2)) is not combined into 0.5 * x * (1 + erf(x / sqrt(2)))"};
}

GeluForm tanhForm() {
  double k = std::sqrt(2.0 / M_PI);
  return {GeluApproximation::tanh, num(k) * (x() + num(0.044715) * x().pow(3)),
          halfXTimesOnePlusF(), "the tanh's input is not sqrt(2/pi) * (x + 0.044715 * x^3)",
          "tanh(sqrt(2/pi) * (x + 0.044715 * x^3)) is not combined into "
          "0.5 * x * (1 + tanh(...))"};
}

GeluForm sigmoidForm() {
  return {GeluApproximation::sigmoid, num(1.702) * x(), x() * f(),
          "the sigmoid's input is not 1.702 * x", "sigmoid(1.702 * x) is not multiplied by x"};
}

/// The x for which `argument` reads as `form` (x ranges over the values
/// `argument` is computed from), with the ops read through.
std::optional<std::pair<Value, SmallVector<Operation *>>> findInput(Value argument,
                                                                    const Polynomial &form) {
  SmallVector<Value> candidates{skipNoise(argument)};
  for (size_t i = 0; i < candidates.size() && i < 16; ++i) {
    PolynomialReader reader;
    reader.addSymbol(candidates[i]);
    std::optional<Polynomial> poly = reader.read(argument);
    if (poly && poly->approxEquals(form))
      return std::make_pair(candidates[i], reader.collectOps(argument));
    if (Operation *def = candidates[i].getDefiningOp())
      if (isa<AddOp, SubOp, MulOp, DivOp, PowOp>(def))
        for (Value operand : def->getOperands())
          if (!getScalarConstant(operand) && !llvm::is_contained(candidates, skipNoise(operand)))
            candidates.push_back(skipNoise(operand));
  }
  return std::nullopt;
}

/// Rooted at the core op: finds x in its input, then the nearest output
/// that reads as the GELU.
template <typename CoreOp>
struct GeluPattern : FusionPattern<CoreOp> {
  GeluPattern(MLIRContext *ctx, MissLog &log, GeluForm form, bool (*isAnchor)(Operation *))
      : FusionPattern<CoreOp>(ctx, log, kGelu), form(std::move(form)), isAnchor(isAnchor) {}

  LogicalResult matchAndRewrite(CoreOp core, PatternRewriter &rewriter) const override {
    if (!isAnchor(core))
      return failure();
    auto input = findInput(core.getInput(), form.argument);
    if (!input)
      return this->miss(rewriter, core, form.badArgument);
    auto [x, absorbed] = *input;

    PolynomialReader reader;
    reader.addSymbol(x);
    reader.addSymbol(core.getResult());
    for (Operation *root : forwardCandidates(core.getResult(), 4)) {
      Value result = root->getResult(0);
      std::optional<Polynomial> poly = reader.read(result);
      if (!poly || !poly->approxEquals(form.output))
        continue;
      if (result.getType() != x.getType())
        return this->miss(rewriter, core, "the GELU's result is shaped unlike its input");
      absorbed.push_back(core);
      llvm::append_range(absorbed, reader.collectOps(result));
      sortInBlockOrder(absorbed, root->getBlock());
      rewriter.setInsertionPoint(root);
      auto gelu = GeluOp::create(rewriter, this->fusedLoc(absorbed), result.getType(), x,
                                 form.approximation);
      rewriter.replaceOp(root, gelu.getResult());
      return success();
    }
    return this->miss(rewriter, core, form.badOutput);
  }

  GeluForm form;
  bool (*isAnchor)(Operation *);
};

/// Any erf: transformers use erf nowhere else.
bool isErfAnchor(Operation *op) { return isa<ErfOp>(op); }

/// A tanh followed by + 1 (a pooler's tanh is not).
bool isTanhAnchor(Operation *op) {
  if (!isa<TanhOp>(op))
    return false;
  return llvm::any_of(usersThroughNoise(op->getResult(0)), [](Operation *user) {
    return isa<AddOp>(user) &&
           matchEitherOperand(user, [](Value v) { return isScalarConstant(v, 1.0); });
  });
}

/// A sigmoid of a product with a number (SiLU's sigmoid(x) is not).
bool isSigmoidAnchor(Operation *op) {
  auto sigmoid = dyn_cast<SigmoidOp>(op);
  if (!sigmoid)
    return false;
  auto mul = dyn_cast_or_null<MulOp>(skipNoise(sigmoid.getInput()).getDefiningOp());
  return mul && matchEitherOperand(mul, [](Value v) { return getScalarConstant(v).has_value(); });
}

void populate(RewritePatternSet &patterns, MissLog &log) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<GeluPattern<ErfOp>>(ctx, log, erfForm(), isErfAnchor);
  patterns.add<GeluPattern<TanhOp>>(ctx, log, tanhForm(), isTanhAnchor);
  patterns.add<GeluPattern<SigmoidOp>>(ctx, log, sigmoidForm(), isSigmoidAnchor);
}

bool isAnchor(Operation *op) { return isErfAnchor(op) || isTanhAnchor(op) || isSigmoidAnchor(op); }

} // namespace

FusionFamily fusion::geluFamily() { return {kGelu, populate, isAnchor}; }
