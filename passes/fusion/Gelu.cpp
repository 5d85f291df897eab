//===- Gelu.cpp - GELU spellings → tfm.gelu --------------------------------===//
//
// Exact GELU as exporters write it: x * 0.5 * (1 + erf(x / sqrt(2))), with
// the products in any order and 1/sqrt(2) as a divisor or a factor.
//
//===----------------------------------------------------------------------===//

#include "FusionPattern.h"

#include <cmath>

using namespace mlir;
using namespace tfmc::tfm;
using namespace tfmc::tfm::fusion;

namespace {

constexpr llvm::StringLiteral kGelu = "gelu";

/// x when `value` is x / sqrt(2) or x * (1 / sqrt(2)), with its op.
std::pair<Value, Operation *> matchOverSqrt2(Value value) {
  Operation *def = skipNoise(value).getDefiningOp();
  if (auto div = dyn_cast_or_null<DivOp>(def))
    if (isScalarConstant(div.getRhs(), M_SQRT2))
      return {div.getLhs(), div};
  if (auto mul = dyn_cast_or_null<MulOp>(def))
    if (auto m = matchEitherOperand(mul, [](Value v) { return isScalarConstant(v, M_SQRT1_2); }))
      return {m->second, mul};
  return {Value(), nullptr};
}

bool isHalf(Value v) { return isScalarConstant(v, 0.5); }

/// Rooted at the erf: walks out through + 1 and the products with x and 0.5.
struct ErfGelu : FusionPattern<ErfOp> {
  using FusionPattern::FusionPattern;

  LogicalResult matchAndRewrite(ErfOp erf, PatternRewriter &rewriter) const override {
    auto [x, scale] = matchOverSqrt2(erf.getInput());
    if (!x)
      return miss(rewriter, erf, "the erf's input is not x / sqrt(2)");
    x = skipNoise(x);
    auto isX = [&](Value v) { return skipNoise(v) == x; };

    auto add = dyn_cast_or_null<AddOp>(singleUser(erf.getResult()));
    if (!add || !matchEitherOperand(add, [](Value v) { return isScalarConstant(v, 1.0); }))
      return miss(rewriter, erf, "erf(x / sqrt(2)) is not followed by + 1 (alone)");
    auto first = dyn_cast_or_null<MulOp>(singleUser(add.getResult()));
    if (!first)
      return miss(rewriter, erf, "1 + erf(x / sqrt(2)) is not multiplied (alone)");
    Value other = first.getLhs() == add.getResult() ? first.getRhs() : first.getLhs();

    SmallVector<Operation *> absorbed{scale, erf, add, first};
    Operation *root = first;
    auto halfX = dyn_cast_or_null<MulOp>(skipNoise(other).getDefiningOp());
    if (halfX && matchEitherOperand(halfX, isHalf) &&
        isX(matchEitherOperand(halfX, isHalf)->second) && halfX->hasOneUse()) {
      // (0.5 * x) * (1 + erf)
      absorbed.push_back(halfX);
    } else if (isX(other) || isHalf(other)) {
      // (x * (1 + erf)) * 0.5 or ((1 + erf) * 0.5) * x
      auto second = dyn_cast_or_null<MulOp>(singleUser(first.getResult()));
      auto rest = second ? matchEitherOperand(second, [&](Value v) { return v == first; })
                         : std::nullopt;
      if (!rest || !(isX(other) ? isHalf(rest->second) : isX(rest->second)))
        return miss(rewriter, erf, "the product of x, 0.5 and 1 + erf(x / sqrt(2)) is incomplete");
      root = second;
      absorbed.push_back(second);
    } else {
      return miss(rewriter, erf, "1 + erf(x / sqrt(2)) is not multiplied by x and 0.5");
    }

    auto gelu = GeluOp::create(rewriter, fusedLoc(absorbed), root->getResult(0).getType(), x,
                               GeluApproximation::none);
    rewriter.replaceOp(root, gelu.getResult());
    return success();
  }
};

void populate(RewritePatternSet &patterns, MissLog &log) {
  patterns.add<ErfGelu>(patterns.getContext(), log, kGelu);
}

/// Any erf left is a GELU that did not fuse: transformers use erf nowhere else.
bool isAnchor(Operation *op) { return isa<ErfOp>(op); }

} // namespace

FusionFamily fusion::geluFamily() { return {kGelu, populate, isAnchor}; }
