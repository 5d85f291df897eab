//===- Polynomial.cpp - arithmetic spellings read as polynomials ----------===//

#include "Polynomial.h"
#include "FusionPattern.h"

#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>

using namespace mlir;
using namespace tfmc::tfm;
using namespace tfmc::tfm::fusion;

//===----------------------------------------------------------------------===//
// Polynomial
//===----------------------------------------------------------------------===//

Polynomial Polynomial::term(const Monomial &monomial, double coefficient) {
  Polynomial p;
  p.add(monomial, coefficient);
  return p;
}

Polynomial Polynomial::number(double value) { return term({}, value); }

Polynomial Polynomial::variable(unsigned index) {
  Monomial monomial(index + 1, 0);
  monomial[index] = 1;
  return term(monomial, 1.0);
}

void Polynomial::add(const Monomial &monomial, double coefficient) {
  double sum = (terms[monomial] += coefficient);
  // Exact cancellation only: x/s - x/s, never a tiny epsilon.
  if (sum == 0.0)
    terms.erase(monomial);
}

Polynomial Polynomial::operator+(const Polynomial &rhs) const {
  Polynomial sum = *this;
  for (const auto &[monomial, coefficient] : rhs.terms)
    sum.add(monomial, coefficient);
  return sum;
}

Polynomial Polynomial::operator-(const Polynomial &rhs) const { return *this + number(-1.0) * rhs; }

Polynomial Polynomial::operator*(const Polynomial &rhs) const {
  Polynomial product;
  for (const auto &[a, ca] : terms) {
    for (const auto &[b, cb] : rhs.terms) {
      Monomial m(std::max(a.size(), b.size()), 0);
      for (size_t i = 0; i < m.size(); ++i)
        m[i] = exponent(a, i) + exponent(b, i);
      while (!m.empty() && m.back() == 0)
        m.pop_back();
      product.add(m, ca * cb);
    }
  }
  return product;
}

Polynomial Polynomial::pow(unsigned exponent) const {
  Polynomial result = number(1.0);
  for (unsigned i = 0; i < exponent; ++i)
    result = result * *this;
  return result;
}

std::optional<double> Polynomial::getNumber() const {
  if (terms.empty())
    return 0.0;
  if (terms.size() == 1 && terms.begin()->first.empty())
    return terms.begin()->second;
  return std::nullopt;
}

int Polynomial::exponent(const Monomial &monomial, unsigned index) {
  return index < monomial.size() ? monomial[index] : 0;
}

bool Polynomial::approxEquals(const Polynomial &other) const {
  if (terms.size() != other.terms.size())
    return false;
  for (const auto &[monomial, coefficient] : terms) {
    auto it = other.terms.find(monomial);
    if (it == other.terms.end() || std::abs(coefficient - it->second) >
                                       1e-3 * std::max(std::abs(coefficient), std::abs(it->second)))
      return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// PolynomialReader
//===----------------------------------------------------------------------===//

/// Whether `op` is no-op noise (skipNoise looks through it).
static bool isNoise(Operation *op) {
  return op->getNumResults() == 1 && skipNoise(op->getResult(0)) != op->getResult(0);
}

static bool isFloatTensor(Value value) {
  return isa<FloatType>(getElementTypeOrSelf(value.getType()));
}

unsigned PolynomialReader::addSymbol(Value value, bool isInvertible) {
  assert(variables.size() == numSymbols && "symbols are declared before any read");
  value = skipNoise(value);
  unsigned index = numSymbols++;
  variables.push_back(value);
  if (isInvertible)
    invertible.insert(index);
  memo[value] = Polynomial::variable(index);
  return index;
}

unsigned PolynomialReader::atom(Value value) {
  variables.push_back(value);
  return variables.size() - 1;
}

bool PolynomialReader::usesSymbol(const Polynomial &poly) const {
  for (const auto &term : poly.getTerms())
    for (unsigned i = 0; i < numSymbols; ++i)
      if (Polynomial::exponent(term.first, i) != 0)
        return true;
  return false;
}

std::optional<Polynomial> PolynomialReader::invert(const Polynomial &poly) const {
  // A zero polynomial has no term, so the coefficient is never 0.
  if (poly.getTerms().size() != 1)
    return std::nullopt;
  auto [monomial, coefficient] = *poly.getTerms().begin();
  Polynomial::Monomial inverse(monomial);
  for (size_t i = 0; i < inverse.size(); ++i) {
    if (inverse[i] != 0 && !invertible.contains(i))
      return std::nullopt;
    inverse[i] = -inverse[i];
  }
  return Polynomial::term(inverse, 1.0 / coefficient);
}

std::optional<Polynomial> PolynomialReader::read(Value value) {
  value = skipNoise(value);
  if (!isFloatTensor(value))
    return std::nullopt;
  if (auto it = memo.find(value); it != memo.end())
    return it->second;
  Polynomial result;
  std::optional<double> number = getScalarConstant(value);
  // A splat of several elements broadcasts like a tensor: it is an atom.
  if (number && cast<ShapedType>(value.getType()).getNumElements() == 1) {
    result = Polynomial::number(*number);
  } else {
    std::optional<Polynomial> read;
    if (Operation *def = value.getDefiningOp(); def && budget > 0) {
      --budget;
      read = expand(def);
      // Products of long sums of atoms grow exponentially; no block needs them.
      if (read && read->getTerms().size() > 64)
        read.reset();
    }
    // Arithmetic on numbers (sqrt(2) as an op) folds to a number.
    if (read && (usesSymbol(*read) || read->getNumber())) {
      result = *read;
      expanded.insert(value);
    } else {
      result = Polynomial::variable(atom(value));
    }
  }
  memo[value] = result;
  return result;
}

std::optional<Polynomial> PolynomialReader::expand(Operation *op) {
  auto operand = [&](unsigned i) { return read(op->getOperand(i)); };
  if (isa<AddOp, SubOp, MulOp, DivOp>(op)) {
    std::optional<Polynomial> lhs = operand(0), rhs = operand(1);
    if (!lhs || !rhs)
      return std::nullopt;
    if (isa<AddOp>(op))
      return *lhs + *rhs;
    if (isa<SubOp>(op))
      return *lhs - *rhs;
    if (isa<MulOp>(op))
      return *lhs * *rhs;
    std::optional<Polynomial> inverse = invert(*rhs);
    if (!inverse)
      return std::nullopt;
    return *lhs * *inverse;
  }
  if (isa<NegOp>(op)) {
    if (std::optional<Polynomial> input = operand(0))
      return Polynomial::number(-1.0) * *input;
    return std::nullopt;
  }
  if (isa<SqrtOp>(op)) {
    std::optional<Polynomial> input = operand(0);
    std::optional<double> number = input ? input->getNumber() : std::nullopt;
    if (!number || *number < 0)
      return std::nullopt;
    return Polynomial::number(std::sqrt(*number));
  }
  if (isa<ReciprocalOp>(op)) {
    if (std::optional<Polynomial> input = operand(0))
      return invert(*input);
    return std::nullopt;
  }
  if (auto pow = dyn_cast<PowOp>(op)) {
    std::optional<double> exponent = getScalarConstant(pow.getRhs());
    std::optional<Polynomial> base = operand(0);
    if (!base || !exponent || *exponent < 0 || *exponent > 4 || *exponent != std::floor(*exponent))
      return std::nullopt;
    return base->pow(static_cast<unsigned>(*exponent));
  }
  return std::nullopt;
}

SmallVector<Operation *> PolynomialReader::collectOps(Value root) const {
  SmallVector<Operation *> ops;
  DenseSet<Operation *> seen;
  SmallVector<Value> worklist{root};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    Operation *def = value.getDefiningOp();
    for (; def && isNoise(def); def = value.getDefiningOp()) {
      if (seen.insert(def).second)
        ops.push_back(def);
      value = def->getOperand(0);
    }
    if (!def || !expanded.contains(value) || !seen.insert(def).second)
      continue;
    ops.push_back(def);
    llvm::append_range(worklist, def->getOperands());
  }
  return ops;
}

//===----------------------------------------------------------------------===//
// Walking forward
//===----------------------------------------------------------------------===//

SmallVector<Operation *> fusion::usersThroughNoise(Value value) {
  SmallVector<Operation *> users;
  for (Operation *user : value.getUsers()) {
    if (isNoise(user))
      llvm::append_range(users, usersThroughNoise(user->getResult(0)));
    else if (!llvm::is_contained(users, user))
      users.push_back(user);
  }
  return users;
}

SmallVector<Operation *> fusion::forwardCandidates(Value value, unsigned depth) {
  SmallVector<Operation *> candidates;
  SmallVector<Value> frontier{value};
  for (unsigned step = 0; step < depth && !frontier.empty(); ++step) {
    SmallVector<Value> next;
    for (Value v : frontier) {
      for (Operation *user : usersThroughNoise(v)) {
        if (!isa<AddOp, SubOp, MulOp, DivOp, NegOp, ReciprocalOp, PowOp>(user) ||
            !isFloatTensor(user->getResult(0)) || llvm::is_contained(candidates, user))
          continue;
        candidates.push_back(user);
        next.push_back(user->getResult(0));
      }
    }
    frontier = std::move(next);
  }
  return candidates;
}

void fusion::sortInBlockOrder(SmallVectorImpl<Operation *> &ops, Block *block) {
  llvm::SetVector<Operation *> unique(ops.begin(), ops.end());
  ops.assign(unique.begin(), unique.end());
  // Ops of enclosing blocks (read from inside a region) dominate the rest.
  llvm::stable_sort(ops, [&](Operation *a, Operation *b) {
    bool aIn = a->getBlock() == block, bIn = b->getBlock() == block;
    if (aIn != bIn)
      return bIn;
    return aIn && a->isBeforeInBlock(b);
  });
}
