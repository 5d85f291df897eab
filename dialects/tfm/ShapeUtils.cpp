//===- ShapeUtils.cpp - dims of types and values of shape tensors ---------===//

#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace tfmc::tfm;

// Shape values are short vectors; anything longer is data, not a shape.
static constexpr int64_t kMaxShapeValueElements = 64;

Dims tfmc::tfm::getDims(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  Dims dims;
  if (!ranked)
    return dims;
  auto names = dyn_cast_or_null<DimsAttr>(ranked.getEncoding());
  unsigned dynamicIndex = 0;
  for (int64_t size : ranked.getShape()) {
    if (!ShapedType::isDynamic(size)) {
      dims.push_back(Dim(size));
      continue;
    }
    std::optional<SymExpr> expr;
    if (names && dynamicIndex < names.getExprs().size())
      expr = SymExpr::parse(names.getExprs()[dynamicIndex].getValue());
    dims.push_back(expr ? Dim(*expr) : Dim::unknown());
    ++dynamicIndex;
  }
  return dims;
}

RankedTensorType tfmc::tfm::makeTensorType(ArrayRef<Dim> dims, Type elementType) {
  MLIRContext *ctx = elementType.getContext();
  SmallVector<int64_t> shape;
  SmallVector<StringAttr> names;
  bool anySymbolic = false;
  for (const Dim &d : dims) {
    shape.push_back(d.getStaticOr(ShapedType::kDynamic));
    if (d.isStatic())
      continue;
    names.push_back(StringAttr::get(ctx, d.print()));
    anySymbolic |= d.isKnown();
  }
  Attribute encoding = anySymbolic ? DimsAttr::get(ctx, names) : Attribute();
  return RankedTensorType::get(shape, elementType, encoding);
}

RankedTensorType tfmc::tfm::withoutEncoding(RankedTensorType type) {
  return RankedTensorType::get(type.getShape(), type.getElementType());
}

std::optional<Dims> tfmc::tfm::broadcastShapes(ArrayRef<Dim> a, ArrayRef<Dim> b) {
  size_t rank = std::max(a.size(), b.size());
  Dims out(rank);
  for (size_t i = 0; i < rank; ++i) {
    Dim da = i < rank - a.size() ? Dim(1) : a[i - (rank - a.size())];
    Dim db = i < rank - b.size() ? Dim(1) : b[i - (rank - b.size())];
    std::optional<int64_t> sa = da.getStatic(), sb = db.getStatic();
    if (sa == 1)
      out[i] = db;
    else if (sb == 1)
      out[i] = da;
    else if (sa && sb && *sa != *sb)
      return std::nullopt;
    else if (da.provablyEqual(db) || (sa && !sb))
      out[i] = da; // a symbolic dim broadcast against a static one must be 1
    else if (sb && !sa)
      out[i] = db;
    else
      out[i] = Dim::unknown();
  }
  return out;
}

std::optional<int64_t> tfmc::tfm::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Constant contents
//===----------------------------------------------------------------------===//

/// Reads element `i` of raw little-endian data as int64 (or as a double
/// that must be integral).
static std::optional<int64_t> readRawElement(ArrayRef<char> data, Type elt, size_t i) {
  unsigned bits = elt.getIntOrFloatBitWidth();
  size_t bytes = bits == 1 ? 1 : bits / 8;
  if ((i + 1) * bytes > data.size())
    return std::nullopt;
  const char *p = data.data() + i * bytes;
  if (auto it = dyn_cast<IntegerType>(elt)) {
    uint64_t raw = 0;
    std::memcpy(&raw, p, bytes);
    if (bits == 1)
      return raw & 1;
    if (it.isUnsigned())
      return static_cast<int64_t>(raw);
    return llvm::SignExtend64(raw, bits);
  }
  double v;
  if (elt.isF32()) {
    float f;
    std::memcpy(&f, p, 4);
    v = f;
  } else if (elt.isF64()) {
    std::memcpy(&v, p, 8);
  } else {
    return std::nullopt;
  }
  if (v != static_cast<double>(static_cast<int64_t>(v)))
    return std::nullopt;
  return static_cast<int64_t>(v);
}

std::optional<SmallVector<int64_t>> tfmc::tfm::getConstantInts(Value value,
                                                               int64_t maxElements) {
  auto cst = value.getDefiningOp<ConstantOp>();
  if (!cst)
    return std::nullopt;
  auto type = cast<ShapedType>(cst.getValue().getType());
  Type elt = type.getElementType();
  if (!type.hasStaticShape() || type.getNumElements() > maxElements ||
      !elt.isIntOrFloat())
    return std::nullopt;
  SmallVector<int64_t> out;
  if (auto dense = dyn_cast<DenseElementsAttr>(cst.getValue())) {
    if (isa<IntegerType>(elt)) {
      bool isUnsigned = elt.isUnsignedInteger() || elt.isInteger(1);
      for (const APInt &v : dense.getValues<APInt>())
        out.push_back(isUnsigned ? static_cast<int64_t>(v.getZExtValue()) : v.getSExtValue());
      return out;
    }
    for (const APFloat &v : dense.getValues<APFloat>()) {
      double d = v.convertToDouble();
      if (d != static_cast<double>(static_cast<int64_t>(d)))
        return std::nullopt;
      out.push_back(static_cast<int64_t>(d));
    }
    return out;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(cst.getValue())) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
      std::optional<int64_t> v = readRawElement(blob->getData(), elt, i);
      if (!v)
        return std::nullopt;
      out.push_back(*v);
    }
    return out;
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Shape values
//===----------------------------------------------------------------------===//

/// Applies `fn` elementwise with scalar broadcasting.
template <typename Fn>
static std::optional<Dims> zipWith(Value lhs, Value rhs, Fn fn) {
  std::optional<Dims> a = evaluateShapeValue(lhs), b = evaluateShapeValue(rhs);
  if (!a || !b || (a->size() != b->size() && a->size() != 1 && b->size() != 1))
    return std::nullopt;
  // As broadcasting has it: one element against none gives none.
  size_t n = a->size() == 1 ? b->size() : a->size();
  Dims out;
  for (size_t i = 0; i < n; ++i)
    out.push_back(fn((*a)[a->size() == 1 ? 0 : i], (*b)[b->size() == 1 ? 0 : i]));
  return out;
}

static Dim boolDim(bool known, bool value) {
  return known ? Dim(value ? 1 : 0) : Dim::unknown();
}

static std::optional<Dims> sliceShapeValue(SliceOp op) {
  std::optional<Dims> data = evaluateShapeValue(op.getData());
  auto starts = evaluateConstantInts(op.getStarts()), ends = evaluateConstantInts(op.getEnds());
  if (!data || !starts || !ends || starts->size() != 1 || ends->size() != 1)
    return std::nullopt;
  // Unit steps only: exporters slice shapes forwards.
  if (op.getSteps()) {
    auto steps = evaluateConstantInts(op.getSteps());
    if (!steps || steps->size() != 1 || (*steps)[0] != 1)
      return std::nullopt;
  }
  int64_t n = data->size();
  auto clamp = [n](int64_t v) {
    if (v < 0)
      v += n;
    return std::clamp<int64_t>(v, 0, n);
  };
  int64_t begin = clamp((*starts)[0]), end = clamp((*ends)[0]);
  if (end <= begin)
    return Dims();
  return Dims(data->begin() + begin, data->begin() + end);
}

static std::optional<Dims> evaluateImpl(Operation *def) {
  return llvm::TypeSwitch<Operation *, std::optional<Dims>>(def)
      .Case([](ConstantOp op) -> std::optional<Dims> {
        auto ints = getConstantInts(op, kMaxShapeValueElements);
        if (!ints)
          return std::nullopt;
        return Dims(ints->begin(), ints->end());
      })
      .Case([](ShapeOp op) -> std::optional<Dims> {
        Dims dims = getDims(op.getData().getType());
        int64_t rank = dims.size();
        auto clamp = [rank](int64_t v) {
          return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank);
        };
        int64_t start = clamp(op.getStart()), end = clamp(op.getEnd().value_or(rank));
        if (end <= start)
          return Dims();
        return Dims(dims.begin() + start, dims.begin() + end);
      })
      .Case([](DimOp op) -> std::optional<Dims> {
        Dims dims = getDims(op.getInput().getType());
        return Dims{dims[op.getIndex()]};
      })
      .Case([](SizeOp op) -> std::optional<Dims> {
        Dim n(1);
        for (const Dim &d : getDims(op.getData().getType()))
          n = n * d;
        return Dims{n};
      })
      .Case([](GatherOp op) -> std::optional<Dims> {
        std::optional<Dims> data = evaluateShapeValue(op.getData());
        auto idx = getConstantInts(op.getIndices(), kMaxShapeValueElements);
        if (!data || !idx || cast<RankedTensorType>(op.getData().getType()).getRank() != 1)
          return std::nullopt;
        Dims out;
        for (int64_t i : *idx) {
          std::optional<int64_t> k = normalizeAxis(i, data->size());
          if (!k)
            return std::nullopt;
          out.push_back((*data)[*k]);
        }
        return out;
      })
      .Case<UnsqueezeOp, SqueezeOp, ReshapeOp, IdentityOp, CastOp, FlattenOp, ExpandOp>(
          [](Operation *op) -> std::optional<Dims> {
            auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
            std::optional<Dims> in = evaluateShapeValue(op->getOperand(0));
            // Expand may replicate; only a no-op expand keeps the contents.
            if (!in || (resultType.hasStaticShape() &&
                        resultType.getNumElements() != static_cast<int64_t>(in->size())))
              return std::nullopt;
            return in;
          })
      .Case([](ConcatOp op) -> std::optional<Dims> {
        Dims out;
        for (Value v : op.getInputs()) {
          std::optional<Dims> part = evaluateShapeValue(v);
          if (!part)
            return std::nullopt;
          out.append(part->begin(), part->end());
        }
        return out;
      })
      .Case([](SliceOp op) { return sliceShapeValue(op); })
      .Case([](AddOp op) {
        return zipWith(op.getLhs(), op.getRhs(), [](Dim a, Dim b) { return a + b; });
      })
      .Case([](SubOp op) {
        return zipWith(op.getLhs(), op.getRhs(), [](Dim a, Dim b) { return a - b; });
      })
      .Case([](MulOp op) {
        return zipWith(op.getLhs(), op.getRhs(), [](Dim a, Dim b) { return a * b; });
      })
      .Case([](DivOp op) -> std::optional<Dims> {
        if (!isa<IntegerType>(getElementTypeOrSelf(op.getType())))
          return std::nullopt;
        return zipWith(op.getLhs(), op.getRhs(), [](Dim a, Dim b) { return a.floorDiv(b); });
      })
      .Case([](EqualOp op) {
        return zipWith(op.getLhs(), op.getRhs(), [](Dim a, Dim b) {
          bool eq = a.provablyEqual(b);
          return boolDim(eq || a.provablyDifferent(b), eq);
        });
      })
      .Case([](NegOp op) -> std::optional<Dims> {
        std::optional<Dims> in = evaluateShapeValue(op.getInput());
        if (!in)
          return std::nullopt;
        for (Dim &d : *in)
          d = Dim(0) - d;
        return in;
      })
      .Case([](NotOp op) -> std::optional<Dims> {
        std::optional<Dims> in = evaluateShapeValue(op.getInput());
        if (!in)
          return std::nullopt;
        for (Dim &d : *in)
          d = d.getStatic() ? Dim(*d.getStatic() == 0 ? 1 : 0) : Dim::unknown();
        return in;
      })
      .Case([](WhereOp op) -> std::optional<Dims> {
        std::optional<Dims> c = evaluateShapeValue(op.getCondition());
        std::optional<Dims> x = evaluateShapeValue(op.getX());
        std::optional<Dims> y = evaluateShapeValue(op.getY());
        if (!c || !x || !y)
          return std::nullopt;
        size_t n = std::max({c->size(), x->size(), y->size()});
        auto at = [n](const Dims &d, size_t i) -> std::optional<Dim> {
          if (d.size() == n)
            return d[i];
          if (d.size() == 1)
            return d[0];
          return std::nullopt;
        };
        Dims out;
        for (size_t i = 0; i < n; ++i) {
          std::optional<Dim> ci = at(*c, i), xi = at(*x, i), yi = at(*y, i);
          if (!ci || !xi || !yi)
            return std::nullopt;
          std::optional<int64_t> cv = ci->getStatic();
          out.push_back(!cv ? Dim::unknown() : *cv ? *xi : *yi);
        }
        return out;
      })
      .Case<MaxOp, MinOp>([](Operation *op) -> std::optional<Dims> {
        bool isMax = isa<MaxOp>(op);
        std::optional<Dims> acc;
        for (Value v : op->getOperands()) {
          std::optional<Dims> next = evaluateShapeValue(v);
          if (!next)
            return std::nullopt;
          if (!acc) {
            acc = next;
            continue;
          }
          if (acc->size() != next->size())
            return std::nullopt;
          for (size_t i = 0; i < acc->size(); ++i) {
            auto a = (*acc)[i].getStatic(), b = (*next)[i].getStatic();
            (*acc)[i] = a && b ? Dim(isMax ? std::max(*a, *b) : std::min(*a, *b))
                               : Dim::unknown();
          }
        }
        return acc;
      })
      .Case([](ReduceProdOp op) -> std::optional<Dims> {
        std::optional<Dims> in = evaluateShapeValue(op.getData());
        if (!in || cast<RankedTensorType>(op.getData().getType()).getRank() != 1)
          return std::nullopt;
        Dim p(1);
        for (const Dim &d : *in)
          p = p * d;
        return Dims{p};
      })
      .Case([](ConstantOfShapeOp op) -> std::optional<Dims> {
        auto shape = evaluateConstantInts(op.getInput());
        if (!shape || shape->size() > 1)
          return std::nullopt;
        int64_t n = shape->empty() ? 1 : (*shape)[0];
        if (n > kMaxShapeValueElements)
          return std::nullopt;
        int64_t fill = 0;
        if (auto v = op.getValueAttr()) {
          auto dense = dyn_cast<DenseElementsAttr>(v);
          if (!dense || !isa<IntegerType>(dense.getElementType()))
            return std::nullopt;
          fill = (*dense.getValues<APInt>().begin()).getSExtValue();
        }
        return Dims(n, Dim(fill));
      })
      .Case([](RangeOp op) -> std::optional<Dims> {
        auto s = evaluateConstantInts(op.getStart()), l = evaluateConstantInts(op.getLimit()),
             d = evaluateConstantInts(op.getDelta());
        if (!s || !l || !d || (*d)[0] == 0)
          return std::nullopt;
        Dims out;
        for (int64_t v = (*s)[0]; (*d)[0] > 0 ? v < (*l)[0] : v > (*l)[0];) {
          if (static_cast<int64_t>(out.size()) >= kMaxShapeValueElements)
            return std::nullopt;
          out.push_back(Dim(v));
          if (llvm::AddOverflow(v, (*d)[0], v))
            break;
        }
        return out;
      })
      .Default([](Operation *) { return std::nullopt; });
}

std::optional<Dims> tfmc::tfm::evaluateShapeValue(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() > 1 || !type.getElementType().isIntOrFloat())
    return std::nullopt;
  if (type.hasStaticShape() && type.getNumElements() > kMaxShapeValueElements)
    return std::nullopt;
  Operation *def = value.getDefiningOp();
  if (!def || def->getNumResults() != 1)
    return std::nullopt;
  std::optional<Dims> contents = evaluateImpl(def);
  // Callers index the contents by the length the type gives.
  if (contents && type.hasStaticShape() &&
      static_cast<int64_t>(contents->size()) != type.getNumElements())
    return std::nullopt;
  return contents;
}

std::optional<SmallVector<int64_t>> tfmc::tfm::evaluateConstantInts(Value value) {
  std::optional<Dims> dims = evaluateShapeValue(value);
  if (!dims)
    return std::nullopt;
  SmallVector<int64_t> out;
  for (const Dim &d : *dims) {
    if (!d.isStatic())
      return std::nullopt;
    out.push_back(*d.getStatic());
  }
  return out;
}
