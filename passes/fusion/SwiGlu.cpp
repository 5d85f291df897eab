//===- SwiGlu.cpp - silu(gate) * up → tfm.swiglu ---------------------------===//
//
// Llama's MLP gate: silu(gate) * up with silu(g) = g * sigmoid(g), the three
// factors in any order (read as a polynomial, Polynomial.h).
//
//===----------------------------------------------------------------------===//

#include "FusionPattern.h"
#include "Polynomial.h"

#include "tfmc/Dialect/ShapeUtils.h"

using namespace mlir;
using namespace tfmc::tfm;
using namespace tfmc::tfm::fusion;

namespace {

constexpr llvm::StringLiteral kSwiGlu = "swiglu";

/// A sigmoid that is part of silu(gate) = gate * sigmoid(gate): the gate and
/// the value equal to sigmoid(gate), shaped like the gate.
struct Silu {
  Value gate, sigmoid;
  /// The reshapes into and out of a view the sigmoid sits in, if any.
  SmallVector<Operation *, 2> view;
};

/// Whether `value` is multiplied by `gate`.
bool isMultipliedBy(Value value, Value gate) {
  return llvm::any_of(usersThroughNoise(value), [&](Operation *user) {
    return isa<MulOp>(user) &&
           matchEitherOperand(user, [&](Value v) { return skipNoise(v) == gate; });
  });
}

/// An optimizer may move the sigmoid into a view of the gate (the shared
/// tiny Llama): reshape(sigmoid(reshape(gate))) back to the gate's type is
/// sigmoid(gate), since reshapes keep the element order. With at most one
/// dim unknown, equal types mean equal shapes.
std::optional<Silu> matchSilu(Operation *op) {
  auto sigmoid = dyn_cast<SigmoidOp>(op);
  if (!sigmoid)
    return std::nullopt;
  Value input = skipNoise(sigmoid.getInput());
  if (isMultipliedBy(sigmoid.getResult(), input))
    return Silu{input, sigmoid.getResult()};

  auto reshape = input.getDefiningOp<ReshapeOp>();
  if (!reshape)
    return std::nullopt;
  Value gate = skipNoise(reshape.getData());
  if (llvm::count_if(getDims(gate.getType()), [](const Dim &d) { return !d.isKnown(); }) > 1)
    return std::nullopt;
  for (Operation *user : usersThroughNoise(sigmoid.getResult())) {
    auto back = dyn_cast<ReshapeOp>(user);
    if (back && back.getType() == gate.getType() && isMultipliedBy(back.getResult(), gate))
      return Silu{gate, back.getResult(), {reshape, back}};
  }
  return std::nullopt;
}

bool isSilu(Operation *op) { return matchSilu(op).has_value(); }

/// `up` when `value` reads as gate * sigmoid(gate) * up (variables 0, 1 and
/// an atom).
std::optional<Value> matchUp(PolynomialReader &reader, Value value) {
  std::optional<Polynomial> poly = reader.read(value);
  if (!poly || poly->getTerms().size() != 1)
    return std::nullopt;
  auto [monomial, coefficient] = *poly->getTerms().begin();
  // Trailing zeros are trimmed, so the last variable is the atom.
  if (coefficient != 1.0 || monomial.size() < 3 || monomial[0] != 1 || monomial[1] != 1 ||
      monomial.back() != 1 || static_cast<size_t>(llvm::count(monomial, 0)) + 3 != monomial.size())
    return std::nullopt;
  return reader.getVariable(monomial.size() - 1);
}

/// Rooted at the sigmoid: the nearest product that reads as gate *
/// sigmoid(gate) * up for one more value up.
struct SwiGluPattern : FusionPattern<SigmoidOp> {
  using FusionPattern::FusionPattern;

  LogicalResult matchAndRewrite(SigmoidOp sigmoid, PatternRewriter &rewriter) const override {
    std::optional<Silu> silu = matchSilu(sigmoid);
    if (!silu)
      return failure();
    PolynomialReader reader;
    reader.addSymbol(silu->gate);
    reader.addSymbol(silu->sigmoid);
    for (Operation *root : forwardCandidates(silu->sigmoid, 3)) {
      Value result = root->getResult(0);
      std::optional<Value> up = matchUp(reader, result);
      if (!up)
        continue;
      if (result.getType() != silu->gate.getType())
        return miss(rewriter, sigmoid, "the product is shaped unlike the gate");
      SmallVector<Operation *> absorbed{sigmoid};
      absorbed.append(silu->view.begin(), silu->view.end());
      llvm::append_range(absorbed, reader.collectOps(result));
      sortInBlockOrder(absorbed, root->getBlock());
      rewriter.setInsertionPoint(root);
      auto swiglu =
          SwiGluOp::create(rewriter, fusedLoc(absorbed), result.getType(), silu->gate, *up);
      rewriter.replaceOp(root, swiglu.getResult());
      return success();
    }
    return miss(rewriter, sigmoid, "silu(gate) is not multiplied by an up projection");
  }
};

void populate(RewritePatternSet &patterns, MissLog &log) {
  patterns.add<SwiGluPattern>(patterns.getContext(), log, kSwiGlu);
}

} // namespace

FusionFamily fusion::swigluFamily() { return {kSwiGlu, populate, isSilu}; }
