//===- SymbolicDim.cpp - symbolic tensor dimensions -----------------------===//

#include "tfmc/Dialect/SymbolicDim.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
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
    int64_t magnitude = coeff < 0 ? -coeff : coeff;
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

SymExpr SymExpr::operator+(const SymExpr &other) const {
  SymExpr r = *this;
  for (auto &[mono, coeff] : other.terms)
    r.terms[mono] += coeff;
  r.normalize();
  return r;
}

SymExpr SymExpr::operator-(const SymExpr &other) const {
  return *this + other * SymExpr(-1);
}

SymExpr SymExpr::operator*(const SymExpr &other) const {
  SymExpr r;
  for (auto &[ma, ca] : terms)
    for (auto &[mb, cb] : other.terms) {
      Monomial m = ma;
      m.insert(m.end(), mb.begin(), mb.end());
      std::sort(m.begin(), m.end());
      r.terms[m] += ca * cb;
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
    if (!sum)
      return std::nullopt;
    if (negate)
      sum = *sum * SymExpr(-1);
    while (true) {
      bool plus = consume('+');
      if (!plus && !consume('-'))
        return sum;
      std::optional<SymExpr> t = parseTerm();
      if (!t)
        return std::nullopt;
      sum = plus ? *sum + *t : *sum - *t;
    }
  }

  std::optional<SymExpr> parseTerm() {
    std::optional<SymExpr> product = parseFactor();
    while (product && consume('*')) {
      std::optional<SymExpr> f = parseFactor();
      if (!f)
        return std::nullopt;
      product = *product * *f;
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

Dim Dim::operator+(const Dim &o) const {
  return expr && o.expr ? Dim(*expr + *o.expr) : Dim();
}
Dim Dim::operator-(const Dim &o) const {
  return expr && o.expr ? Dim(*expr - *o.expr) : Dim();
}
Dim Dim::operator*(const Dim &o) const {
  return expr && o.expr ? Dim(*expr * *o.expr) : Dim();
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
  std::optional<int64_t> diff = (*expr - *o.expr).getConstant();
  return diff && *diff != 0;
}
