//===- SymbolicDim.h - symbolic tensor dimensions ---------------*- C++ -*-===//
//
// A tensor dimension is known statically (768), symbolically (batch,
// seq + 1, 2*batch*seq) or not at all. Symbolic ones are polynomials over
// named symbols with integer coefficients, kept in a canonical form so that
// two equal expressions compare equal.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_DIALECT_SYMBOLICDIM_H
#define TFMC_DIALECT_SYMBOLICDIM_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tfmc::tfm {

/// A polynomial over named symbols: sum of coeff * (product of symbols).
class SymExpr {
public:
  /// A product of symbols, sorted; empty for the constant term.
  using Monomial = std::vector<std::string>;

  SymExpr() = default;
  explicit SymExpr(int64_t value);
  static SymExpr symbol(llvm::StringRef name);
  /// Parses the form `print` writes; nullopt on anything else.
  static std::optional<SymExpr> parse(llvm::StringRef text);
  /// Turns an ONNX dim_param into a symbol name the parser accepts.
  static std::string sanitizeName(llvm::StringRef name);

  bool isConstant() const;
  /// The number of monomials (the constant term counts as one).
  size_t numTerms() const { return terms.size(); }
  /// The value of a constant expression.
  std::optional<int64_t> getConstant() const;
  std::string print() const;
  /// The value with each symbol replaced by `valueOf(symbol)`.
  double evaluate(llvm::function_ref<double(llvm::StringRef)> valueOf) const;
  /// The symbols the expression uses.
  std::vector<std::string> symbols() const;

  /// Arithmetic; nullopt when a coefficient overflows int64.
  std::optional<SymExpr> add(const SymExpr &other) const;
  std::optional<SymExpr> sub(const SymExpr &other) const;
  std::optional<SymExpr> mul(const SymExpr &other) const;
  /// Exact division by a single term (e.g. 768, 12*batch); nullopt if any
  /// term is not divisible.
  std::optional<SymExpr> divideExactly(const SymExpr &divisor) const;
  bool operator==(const SymExpr &other) const { return terms == other.terms; }
  bool operator!=(const SymExpr &other) const { return !(*this == other); }

private:
  void normalize();
  std::map<Monomial, int64_t> terms;
};

/// One dimension: a SymExpr (constant for static dims) or unknown.
class Dim {
public:
  Dim() = default; // unknown
  Dim(int64_t value) : expr(SymExpr(value)) {}
  Dim(SymExpr e) : expr(std::move(e)) {}
  static Dim unknown() { return Dim(); }

  bool isKnown() const { return expr.has_value(); }
  bool isStatic() const { return expr && expr->isConstant(); }
  /// The static size, or ShapedType::kDynamic.
  int64_t getStaticOr(int64_t dynamic) const;
  std::optional<int64_t> getStatic() const;
  const std::optional<SymExpr> &getExpr() const { return expr; }
  /// "768", "batch", "seq + 1" or "?".
  std::string print() const;

  /// Arithmetic; unknown if either side is unknown or the result is not exact.
  Dim operator+(const Dim &o) const;
  Dim operator-(const Dim &o) const;
  Dim operator*(const Dim &o) const;
  Dim divideExactly(const Dim &o) const;
  /// Floor division (static) or exact division (symbolic).
  Dim floorDiv(const Dim &o) const;
  /// True only when both are known and equal.
  bool provablyEqual(const Dim &o) const;
  /// True only when both are known and provably different. Symbolic dims
  /// are assumed positive, so `batch` differs from 0 and -1.
  bool provablyDifferent(const Dim &o) const;

private:
  std::optional<SymExpr> expr;
};

} // namespace tfmc::tfm

#endif // TFMC_DIALECT_SYMBOLICDIM_H
