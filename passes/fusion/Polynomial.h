//===- Polynomial.h - arithmetic spellings read as polynomials --*- C++ -*-===//
//
// Exporters spell one formula many ways: x*x*x or Pow(x, 3), (x - m) / s or
// x * (1/s) - m * (1/s), products in any order, no-op casts in between.
// Reading the elementwise ops between a block's inputs and a candidate output
// as a polynomial over those inputs lets a pattern compare the formula, not
// the spelling. The identities hold elementwise, so they survive broadcasting.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_PASSES_FUSION_POLYNOMIAL_H
#define TFMC_PASSES_FUSION_POLYNOMIAL_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <map>
#include <optional>

namespace tfmc::tfm::fusion {

/// A Laurent polynomial with real coefficients over numbered variables.
class Polynomial {
public:
  /// A product of variables: the exponent of each variable by index, without
  /// trailing zeros (the empty monomial is 1).
  using Monomial = llvm::SmallVector<int, 4>;

  static Polynomial term(const Monomial &monomial, double coefficient);
  static Polynomial number(double value);
  static Polynomial variable(unsigned index);

  Polynomial operator+(const Polynomial &rhs) const;
  Polynomial operator-(const Polynomial &rhs) const;
  Polynomial operator*(const Polynomial &rhs) const;
  /// This to the power `exponent` (>= 0).
  Polynomial pow(unsigned exponent) const;

  const std::map<Monomial, double> &getTerms() const { return terms; }
  /// The number, when the polynomial is one.
  std::optional<double> getNumber() const;
  /// The exponent of variable `index` in `monomial`.
  static int exponent(const Monomial &monomial, unsigned index);

  /// Same monomials, each coefficient within 1e-3 relative (exporters round
  /// constants like sqrt(2/pi) differently).
  bool approxEquals(const Polynomial &other) const;

private:
  void add(const Monomial &monomial, double coefficient);

  std::map<Monomial, double> terms;
};

/// Reads float values as polynomials over declared symbols. Numbers are
/// one-element constants and arithmetic on them (sqrt(2) as an op). It looks
/// through Add, Sub, Mul, Neg, Pow by 0..4, Div and Reciprocal by nonzero
/// numbers and invertible symbols, and no-op noise. Any other value, or one
/// that depends on no symbol, is an opaque variable of its own (an atom: a
/// weight, a bias, a value the reader cannot see into), so every identity it
/// finds is sound.
class PolynomialReader {
public:
  /// Declares `value` (looking through noise) a symbol and returns its
  /// variable index. Divisions by invertible symbols are read through.
  unsigned addSymbol(mlir::Value value, bool invertible = false);

  /// `value` as a polynomial; nullopt when it is not a float tensor.
  std::optional<Polynomial> read(mlir::Value value);

  /// The value that variable `index` stands for.
  mlir::Value getVariable(unsigned index) const { return variables[index]; }

  /// The ops `root` was read through, noise included (see sortInBlockOrder).
  llvm::SmallVector<mlir::Operation *> collectOps(mlir::Value root) const;

private:
  std::optional<Polynomial> expand(mlir::Operation *op);
  unsigned atom(mlir::Value value);
  bool usesSymbol(const Polynomial &poly) const;
  /// The inverse of a nonzero number times invertible symbols.
  std::optional<Polynomial> invert(const Polynomial &poly) const;

  llvm::SmallVector<mlir::Value> variables;
  llvm::DenseSet<unsigned> invertible;
  unsigned numSymbols = 0;
  llvm::DenseMap<mlir::Value, Polynomial> memo;
  /// Values read through their defining op.
  llvm::DenseSet<mlir::Value> expanded;
  /// Ops left to read through; bounds the work on long residual chains.
  unsigned budget = 256;
};

/// Users of `value`, looking through no-op noise.
llvm::SmallVector<mlir::Operation *> usersThroughNoise(mlir::Value value);

/// The elementwise arithmetic ops reachable from `value` within `depth` steps
/// (noise not counted), nearest first: the candidate outputs of a block.
llvm::SmallVector<mlir::Operation *> forwardCandidates(mlir::Value value, unsigned depth);

/// Deduplicates `ops` and sorts them in `block`'s order, ops of enclosing
/// blocks first: the absorbed ops as a fused location lists them.
void sortInBlockOrder(llvm::SmallVectorImpl<mlir::Operation *> &ops, mlir::Block *block);

} // namespace tfmc::tfm::fusion

#endif // TFMC_PASSES_FUSION_POLYNOMIAL_H
