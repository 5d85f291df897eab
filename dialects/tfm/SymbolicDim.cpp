//===- SymbolicDim.cpp - symbolic tensor dimensions -----------------------===//

#include "tfmc/Dialect/SymbolicDim.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"
#include <algorithm>
#include <limits>

using namespace tfmc::tfm;

SymExpr::SymExpr(int64_t value) {
  terms[{}] = value;
  normalize();
}

SymExpr SymExpr::symbol(llvm::StringRef name) {
  SymExpr e;
  e.terms[{name.str()}] = 1;
  return e;
}

std::string SymExpr::sanitizeName(llvm::StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (out.empty() || llvm::isDigit(out.front()))
    out.insert(out.begin(), '_');
  return out;
}

void SymExpr::normalize() {
  for (auto it = terms.begin(); it != terms.end();)
    it = it->second == 0 ? terms.erase(it) : std::next(it);
}

bool SymExpr::isConstant() const {
  return terms.empty() || (terms.size() == 1 && terms.begin()->first.empty());
}

std::optional<int64_t> SymExpr::getConstant() const {
  if (!isConstant())
    return std::nullopt;
  return terms.empty() ? 0 : terms.begin()->second;
}

double SymExpr::evaluate(llvm::function_ref<double(llvm::StringRef)> valueOf) const {
  double sum = 0;
  for (const auto &[mono, coeff] : terms) {
    double product = static_cast<double>(coeff);
    for (const std::string &name : mono)
      product *= valueOf(name);
    sum += product;
  }
  return sum;
}

std::vector<std::string> SymExpr::symbols() const {
  std::vector<std::string> names;
  for (const auto &term : terms)
    for (const std::string &name : term.first)
      if (std::find(names.begin(), names.end(), name) == names.end())
        names.push_back(name);
  return names;
}

std::string SymExpr::print() const {
  if (terms.empty())
    return "0";
  // Highest degree first, the constant last: "2*batch*seq + seq + 1".
  std::vector<std::pair<Monomial, int64_t>> ordered(terms.begin(), terms.end());
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto &a, const auto &b) {
    return a.first.size() > b.first.size();
  });
  std::string out;
  for (auto &[mono, coeff] : ordered) {
    // Unsigned: -INT64_MIN does not fit int64.
    uint64_t magnitude = coeff < 0 ? 0 - static_cast<uint64_t>(coeff) : coeff;
    if (out.empty())
      out += coeff < 0 ? "-" : "";
    else
      out += coeff < 0 ? " - " : " + ";
    std::string factor = magnitude != 1 || mono.empty() ? std::to_string(magnitude) : "";
    for (const std::string &name : mono)
      factor += (factor.empty() ? "" : "*") + name;
    out += factor;
  }
  return out;
}

std::optional<SymExpr> SymExpr::add(const SymExpr &other) const {
  SymExpr r = *this;
  for (auto &[mono, coeff] : other.terms)
    if (llvm::AddOverflow(r.terms[mono], coeff, r.terms[mono]))
      return std::nullopt;
  r.normalize();
  return r;
}

std::optional<SymExpr> SymExpr::sub(const SymExpr &other) const {
  std::optional<SymExpr> negated = other.mul(SymExpr(-1));
  return negated ? add(*negated) : std::nullopt;
}

std::optional<SymExpr> SymExpr::mul(const SymExpr &other) const {
  SymExpr r;
  for (auto &[ma, ca] : terms)
    for (auto &[mb, cb] : other.terms) {
      Monomial m = ma;
      m.insert(m.end(), mb.begin(), mb.end());
      std::sort(m.begin(), m.end());
      int64_t product;
      if (llvm::MulOverflow(ca, cb, product) ||
          llvm::AddOverflow(r.terms[m], product, r.terms[m]))
        return std::nullopt;
    }
  r.normalize();
  return r;
}

std::optional<SymExpr> SymExpr::divideExactly(const SymExpr &divisor) const {
  if (divisor.terms.size() != 1)
    return std::nullopt;
  const auto &[dMono, dCoeff] = *divisor.terms.begin();
  SymExpr r;
  for (auto &[mono, coeff] : terms) {
    // INT64_MIN / -1 overflows, and traps on x86.
    if ((coeff == std::numeric_limits<int64_t>::min() && dCoeff == -1) || coeff % dCoeff != 0)
      return std::nullopt;
    Monomial rest = mono;
    for (const std::string &name : dMono) {
      auto it = std::find(rest.begin(), rest.end(), name);
      if (it == rest.end())
        return std::nullopt;
      rest.erase(it);
    }
    r.terms[rest] += coeff / dCoeff;
  }
  r.normalize();
  return r;
}

namespace {
/// Recursive-descent parser for `term (('+'|'-') term)*`,
/// term = `factor ('*' factor)*`, factor = integer | name.
class ExprParser {
public:
  explicit ExprParser(llvm::StringRef text) : rest(text) {}

  std::optional<SymExpr> parse() {
    std::optional<SymExpr> e = parseSum();
    skipSpaces();
    if (!e || !rest.empty())
      return std::nullopt;
    return e;
  }

private:
  void skipSpaces() { rest = rest.ltrim(); }
  bool consume(char c) {
    skipSpaces();
    if (!rest.starts_with(llvm::StringRef(&c, 1)))
      return false;
    rest = rest.drop_front();
    return true;
  }

  std::optional<SymExpr> parseSum() {
    bool negate = consume('-');
    std::optional<SymExpr> sum = parseTerm();
    if (sum && negate)
      sum = sum->mul(SymExpr(-1));
    while (sum) {
      bool plus = consume('+');
      if (!plus && !consume('-'))
        return sum;
      std::optional<SymExpr> t = parseTerm();
      if (!t)
        return std::nullopt;
      sum = plus ? sum->add(*t) : sum->sub(*t);
    }
    return std::nullopt;
  }

  std::optional<SymExpr> parseTerm() {
    std::optional<SymExpr> product = parseFactor();
    while (product && consume('*')) {
      std::optional<SymExpr> f = parseFactor();
      if (!f)
        return std::nullopt;
      product = product->mul(*f);
    }
    return product;
  }

  std::optional<SymExpr> parseFactor() {
    skipSpaces();
    size_t n = 0;
    if (!rest.empty() && llvm::isDigit(rest.front())) {
      while (n < rest.size() && llvm::isDigit(rest[n]))
        ++n;
      int64_t value;
      if (rest.take_front(n).getAsInteger(10, value))
        return std::nullopt;
      rest = rest.drop_front(n);
      return SymExpr(value);
    }
    while (n < rest.size() && (llvm::isAlnum(rest[n]) || rest[n] == '_' || rest[n] == '.'))
      ++n;
    if (n == 0)
      return std::nullopt;
    SymExpr e = SymExpr::symbol(rest.take_front(n));
    rest = rest.drop_front(n);
    return e;
  }

  llvm::StringRef rest;
};
} // namespace

std::optional<SymExpr> SymExpr::parse(llvm::StringRef text) {
  return ExprParser(text).parse();
}

//===----------------------------------------------------------------------===//
// Dim
//===----------------------------------------------------------------------===//

int64_t Dim::getStaticOr(int64_t dynamic) const {
  return getStatic().value_or(dynamic);
}

std::optional<int64_t> Dim::getStatic() const {
  return expr ? expr->getConstant() : std::nullopt;
}

std::string Dim::print() const { return expr ? expr->print() : "?"; }

/// Unknown when the arithmetic overflowed.
static Dim fromResult(std::optional<SymExpr> e) { return e ? Dim(std::move(*e)) : Dim(); }

Dim Dim::operator+(const Dim &o) const {
  return expr && o.expr ? fromResult(expr->add(*o.expr)) : Dim();
}
Dim Dim::operator-(const Dim &o) const {
  return expr && o.expr ? fromResult(expr->sub(*o.expr)) : Dim();
}
Dim Dim::operator*(const Dim &o) const {
  // A product of sums has as many terms as theirs multiplied: the size of a
  // tensor concatenated along each of 20 symbolic axes would have 2^20.
  constexpr size_t kMaxTerms = 64;
  if (!expr || !o.expr || expr->numTerms() * o.expr->numTerms() > kMaxTerms)
    return Dim();
  return fromResult(expr->mul(*o.expr));
}

Dim Dim::divideExactly(const Dim &o) const {
  if (!expr || !o.expr || o.getStatic() == 0)
    return Dim();
  std::optional<SymExpr> q = expr->divideExactly(*o.expr);
  return q ? Dim(*q) : Dim();
}

Dim Dim::floorDiv(const Dim &o) const {
  std::optional<int64_t> a = getStatic(), b = o.getStatic();
  // INT64_MIN / -1 overflows, and traps on x86.
  if (a && b && *b != 0 && !(*a == std::numeric_limits<int64_t>::min() && *b == -1)) {
    int64_t q = *a / *b;
    if ((*a % *b != 0) && ((*a < 0) != (*b < 0)))
      --q;
    return Dim(q);
  }
  return divideExactly(o);
}

bool Dim::provablyEqual(const Dim &o) const { return expr && o.expr && *expr == *o.expr; }

bool Dim::provablyDifferent(const Dim &o) const {
  if (!expr || !o.expr)
    return false;
  std::optional<int64_t> a = getStatic(), b = o.getStatic();
  if (a && b)
    return *a != *b;
  // A symbolic size is at least 1.
  if (a && !b)
    return *a <= 0;
  if (b && !a)
    return *b <= 0;
  // seq and seq + 1 differ whatever seq is.
  std::optional<SymExpr> difference = expr->sub(*o.expr);
  std::optional<int64_t> diff = difference ? difference->getConstant() : std::nullopt;
  return diff && *diff != 0;
}
