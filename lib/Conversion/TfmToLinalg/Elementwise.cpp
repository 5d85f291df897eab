//===- Elementwise.cpp - unary, binary, comparison and variadic ops -------===//
//
// Each op is a scalar formula; buildElementwise supplies the broadcasting
// linalg.generic around it.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include <functional>

using namespace mlir;
using namespace tfmc;
using namespace tfmc::lowering;
namespace tfm = tfmc::tfm;

namespace {

/// What a scalar formula may need to know beyond its operands.
struct ElementInfo {
  Type element;           // converted result element type
  Type operandElement;    // converted element type of the first operand
  bool isUnsigned;        // of the first operand, in ONNX terms
  bool resultUnsigned;
};

template <typename OpTy>
using Formula =
    std::function<Value(OpTy, OpBuilder &, Location, ValueRange, const ElementInfo &)>;

template <typename OpTy>
class ElementwiseLowering : public OpConversionPattern<OpTy> {
public:
  ElementwiseLowering(const TypeConverter &converter, MLIRContext *ctx, Formula<OpTy> formula)
      : OpConversionPattern<OpTy>(converter, ctx), formula(std::move(formula)) {}

  LogicalResult matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Value result = op->getResult(0);
    RankedTensorType resultType = convertedType(*this->getTypeConverter(), result);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result type has no lowering");
    ValueRange operands = adaptor.getOperands();
    ElementInfo info{resultType.getElementType(),
                     getElementTypeOrSelf(operands.front().getType()),
                     isUnsigned(op->getOperand(0).getType()), isUnsigned(result.getType())};
    Value lowered = buildElementwise(
        rewriter, op.getLoc(), resultType, result.getType(), op->getOperands(), operands,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return formula(op, b, loc, args, info);
        });
    rewriter.replaceOp(op, lowered);
    return success();
  }

private:
  Formula<OpTy> formula;
};

bool isFloat(Type t) { return isa<FloatType>(t); }

Value cst(OpBuilder &b, Location loc, Type t, double v) { return scalarConstant(b, loc, t, v); }

Value sigmoid(OpBuilder &b, Location loc, Value x) {
  Type t = x.getType();
  Value negExp = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  Value denom = arith::AddFOp::create(b, loc, cst(b, loc, t, 1.0), negExp);
  return reciprocal(b, loc, denom);
}

Value maxOf(OpBuilder &b, Location loc, Value x, Value y, bool isUnsignedInt) {
  if (isFloat(x.getType()))
    return arith::MaximumFOp::create(b, loc, x, y);
  if (isUnsignedInt)
    return arith::MaxUIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value minOf(OpBuilder &b, Location loc, Value x, Value y, bool isUnsignedInt) {
  if (isFloat(x.getType()))
    return arith::MinimumFOp::create(b, loc, x, y);
  if (isUnsignedInt)
    return arith::MinUIOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

Value compare(OpBuilder &b, Location loc, Value x, Value y, arith::CmpFPredicate fp,
              arith::CmpIPredicate signedPred, arith::CmpIPredicate unsignedPred,
              bool isUnsignedInt) {
  if (isFloat(x.getType()))
    return arith::CmpFOp::create(b, loc, fp, x, y);
  // Bools compare as unsigned (true > false).
  bool asUnsigned = isUnsignedInt || x.getType().isInteger(1);
  return arith::CmpIOp::create(b, loc, asUnsigned ? unsignedPred : signedPred, x, y);
}

Value gelu(OpBuilder &b, Location loc, Value x, tfm::GeluApproximation approximation) {
  Type t = x.getType();
  Value half = cst(b, loc, t, 0.5);
  Value one = cst(b, loc, t, 1.0);
  switch (approximation) {
  case tfm::GeluApproximation::none: {
    Value scaled = arith::MulFOp::create(b, loc, x, cst(b, loc, t, M_SQRT1_2));
    Value erf = math::ErfOp::create(b, loc, scaled);
    Value halfX = arith::MulFOp::create(b, loc, x, half);
    return arith::MulFOp::create(b, loc, halfX, arith::AddFOp::create(b, loc, one, erf));
  }
  case tfm::GeluApproximation::tanh: {
    Value cube = arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, x, x), x);
    Value inner = arith::AddFOp::create(
        b, loc, x, arith::MulFOp::create(b, loc, cube, cst(b, loc, t, 0.044715)));
    Value tanh = math::TanhOp::create(
        b, loc, arith::MulFOp::create(b, loc, inner, cst(b, loc, t, std::sqrt(2.0 / M_PI))));
    Value halfX = arith::MulFOp::create(b, loc, x, half);
    return arith::MulFOp::create(b, loc, halfX, arith::AddFOp::create(b, loc, one, tanh));
  }
  case tfm::GeluApproximation::sigmoid:
    return arith::MulFOp::create(
        b, loc, x, sigmoid(b, loc, arith::MulFOp::create(b, loc, x, cst(b, loc, t, 1.702))));
  }
  llvm_unreachable("unknown GELU approximation");
}

/// Python-style integer modulo: the result takes the divisor's sign.
Value floorMod(OpBuilder &b, Location loc, Value x, Value y) {
  Value rem = arith::RemSIOp::create(b, loc, x, y);
  Value zero = cst(b, loc, x.getType(), 0);
  Value nonZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, rem, zero);
  Value remNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, rem, zero);
  Value divNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, y, zero);
  Value signsDiffer = arith::XOrIOp::create(b, loc, remNeg, divNeg);
  Value fix = arith::AndIOp::create(b, loc, nonZero, signsDiffer);
  return arith::SelectOp::create(b, loc, fix, arith::AddIOp::create(b, loc, rem, y), rem);
}

Value power(OpBuilder &b, Location loc, Value base, Value exponent, bool baseUnsigned) {
  Type baseType = base.getType();
  if (isFloat(baseType)) {
    Value e = castScalar(b, loc, exponent, baseType, false, false);
    return math::PowFOp::create(b, loc, base, e);
  }
  if (!isFloat(exponent.getType())) {
    Value e = castScalar(b, loc, exponent, baseType, false, false);
    return math::IPowIOp::create(b, loc, base, e);
  }
  // Integer base, float exponent: computed in the exponent's type.
  Value f = castScalar(b, loc, base, exponent.getType(), baseUnsigned, false);
  return castScalar(b, loc, math::PowFOp::create(b, loc, f, exponent), baseType, false,
                    baseUnsigned);
}

class PatternAdder {
public:
  PatternAdder(const TypeConverter &converter, RewritePatternSet &patterns)
      : converter(converter), patterns(patterns) {}

  template <typename OpTy>
  PatternAdder &add(Formula<OpTy> formula) {
    patterns.add<ElementwiseLowering<OpTy>>(converter, patterns.getContext(),
                                            std::move(formula));
    return *this;
  }

  /// A float-only unary op given by one scalar builder.
  template <typename OpTy, typename MathOp>
  PatternAdder &unary() {
    return add<OpTy>([](OpTy, OpBuilder &b, Location loc, ValueRange a, const ElementInfo &) {
      return MathOp::create(b, loc, a[0]).getResult();
    });
  }

  /// A binary op with one float and one integer form (signed, unsigned).
  template <typename OpTy, typename FloatOp, typename SignedOp, typename UnsignedOp>
  PatternAdder &binary() {
    return add<OpTy>(
        [](OpTy, OpBuilder &b, Location loc, ValueRange a, const ElementInfo &info) -> Value {
          if (isFloat(a[0].getType()))
            return FloatOp::create(b, loc, a[0], a[1]);
          if (info.isUnsigned)
            return UnsignedOp::create(b, loc, a[0], a[1]);
          return SignedOp::create(b, loc, a[0], a[1]);
        });
  }

  template <typename OpTy>
  PatternAdder &comparison(arith::CmpFPredicate fp, arith::CmpIPredicate s,
                           arith::CmpIPredicate u) {
    return add<OpTy>([=](OpTy, OpBuilder &b, Location loc, ValueRange a,
                         const ElementInfo &info) {
      return compare(b, loc, a[0], a[1], fp, s, u, info.isUnsigned);
    });
  }

private:
  const TypeConverter &converter;
  RewritePatternSet &patterns;
};

/// Identity: no computation at all.
struct IdentityLowering : OpConversionPattern<tfm::IdentityOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(tfm::IdentityOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

} // namespace

void lowering::populateElementwisePatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns) {
  using A = arith::CmpFPredicate;
  using I = arith::CmpIPredicate;
  using B = OpBuilder;
  using V = ValueRange;
  using E = const ElementInfo &;
  patterns.add<IdentityLowering>(converter, patterns.getContext());
  PatternAdder adder(converter, patterns);
  adder.unary<tfm::SqrtOp, math::SqrtOp>()
      .unary<tfm::ExpOp, math::ExpOp>()
      .unary<tfm::LogOp, math::LogOp>()
      .unary<tfm::TanhOp, math::TanhOp>()
      .unary<tfm::SinOp, math::SinOp>()
      .unary<tfm::CosOp, math::CosOp>()
      .unary<tfm::FloorOp, math::FloorOp>()
      .unary<tfm::CeilOp, math::CeilOp>()
      .unary<tfm::RoundOp, math::RoundEvenOp>();
  adder.binary<tfm::AddOp, arith::AddFOp, arith::AddIOp, arith::AddIOp>()
      .binary<tfm::SubOp, arith::SubFOp, arith::SubIOp, arith::SubIOp>()
      .binary<tfm::MulOp, arith::MulFOp, arith::MulIOp, arith::MulIOp>()
      .binary<tfm::DivOp, arith::DivFOp, arith::DivSIOp, arith::DivUIOp>()
      .binary<tfm::AndOp, arith::AndIOp, arith::AndIOp, arith::AndIOp>()
      .binary<tfm::OrOp, arith::OrIOp, arith::OrIOp, arith::OrIOp>();
  adder.add<tfm::EqualOp>([](tfm::EqualOp op, B &b, Location loc, V a, E info) {
    if (isStringTensor(op.getLhs()))
      return stringsEqual(b, loc, op, a[0], a[1]);
    return compare(b, loc, a[0], a[1], A::OEQ, I::eq, I::eq, info.isUnsigned);
  });
  adder.comparison<tfm::LessOp>(A::OLT, I::slt, I::ult)
      .comparison<tfm::GreaterOp>(A::OGT, I::sgt, I::ugt)
      .comparison<tfm::LessOrEqualOp>(A::OLE, I::sle, I::ule)
      .comparison<tfm::GreaterOrEqualOp>(A::OGE, I::sge, I::uge);

  adder.add<tfm::ErfOp>([](tfm::ErfOp, B &b, Location loc, V a, E info) -> Value {
    if (isFloat(a[0].getType()))
      return math::ErfOp::create(b, loc, a[0]);
    // Integer Erf: computed in f32 and rounded back, as ONNX's reference does.
    Value f = castScalar(b, loc, a[0], b.getF32Type(), info.isUnsigned, false);
    Value r = math::RoundEvenOp::create(b, loc, math::ErfOp::create(b, loc, f));
    return castScalar(b, loc, r, a[0].getType(), false, info.isUnsigned);
  });
  adder.add<tfm::ReciprocalOp>([](tfm::ReciprocalOp, B &b, Location loc, V a, E) -> Value {
    return reciprocal(b, loc, a[0]);
  });
  adder.add<tfm::SigmoidOp>(
      [](tfm::SigmoidOp, B &b, Location loc, V a, E) { return sigmoid(b, loc, a[0]); });
  adder.add<tfm::ReluOp>([](tfm::ReluOp, B &b, Location loc, V a, E) {
    return maxOf(b, loc, a[0], cst(b, loc, a[0].getType(), 0), false);
  });
  adder.add<tfm::NegOp>([](tfm::NegOp, B &b, Location loc, V a, E) -> Value {
    if (isFloat(a[0].getType()))
      return arith::NegFOp::create(b, loc, a[0]);
    return arith::SubIOp::create(b, loc, cst(b, loc, a[0].getType(), 0), a[0]);
  });
  adder.add<tfm::AbsOp>([](tfm::AbsOp, B &b, Location loc, V a, E info) -> Value {
    if (isFloat(a[0].getType()))
      return math::AbsFOp::create(b, loc, a[0]);
    if (info.isUnsigned)
      return a[0];
    return math::AbsIOp::create(b, loc, a[0]);
  });
  adder.add<tfm::SignOp>([](tfm::SignOp, B &b, Location loc, V a, E info) -> Value {
    Type t = a[0].getType();
    Value zero = cst(b, loc, t, 0);
    Value pos = compare(b, loc, a[0], zero, A::OGT, I::sgt, I::ugt, info.isUnsigned);
    Value neg = compare(b, loc, a[0], zero, A::OLT, I::slt, I::ult, info.isUnsigned);
    Value sign = arith::SelectOp::create(b, loc, neg, cst(b, loc, t, -1), zero);
    return arith::SelectOp::create(b, loc, pos, cst(b, loc, t, 1), sign);
  });
  adder.add<tfm::NotOp>([](tfm::NotOp, B &b, Location loc, V a, E) -> Value {
    return arith::XOrIOp::create(b, loc, a[0], cst(b, loc, a[0].getType(), 1));
  });
  adder.add<tfm::HardSwishOp>([](tfm::HardSwishOp, B &b, Location loc, V a, E) -> Value {
    Type t = a[0].getType();
    Value gate = arith::AddFOp::create(
        b, loc, arith::MulFOp::create(b, loc, a[0], cst(b, loc, t, 1.0 / 6.0)),
        cst(b, loc, t, 0.5));
    gate = arith::MinimumFOp::create(b, loc, gate, cst(b, loc, t, 1.0));
    gate = arith::MaximumFOp::create(b, loc, gate, cst(b, loc, t, 0.0));
    return arith::MulFOp::create(b, loc, a[0], gate);
  });
  adder.add<tfm::SoftplusOp>([](tfm::SoftplusOp, B &b, Location loc, V a, E) -> Value {
    // max(x, 0) + log1p(exp(-|x|)): exact for large |x| where exp overflows.
    Type t = a[0].getType();
    Value absX = math::AbsFOp::create(b, loc, a[0]);
    Value tail = math::Log1pOp::create(
        b, loc, math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, absX)));
    return arith::AddFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, a[0], cst(b, loc, t, 0.0)), tail);
  });
  adder.add<tfm::LeakyReluOp>([](tfm::LeakyReluOp op, B &b, Location loc, V a, E) -> Value {
    Type t = a[0].getType();
    Value neg = arith::CmpFOp::create(b, loc, A::OLT, a[0], cst(b, loc, t, 0.0));
    Value scaled =
        arith::MulFOp::create(b, loc, a[0], cst(b, loc, t, op.getAlpha().convertToFloat()));
    return arith::SelectOp::create(b, loc, neg, scaled, a[0]);
  });
  adder.add<tfm::HardSigmoidOp>([](tfm::HardSigmoidOp op, B &b, Location loc, V a,
                                   E) -> Value {
    Type t = a[0].getType();
    Value y = arith::AddFOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, a[0], cst(b, loc, t, op.getAlpha().convertToFloat())),
        cst(b, loc, t, op.getBeta().convertToFloat()));
    y = arith::MinimumFOp::create(b, loc, y, cst(b, loc, t, 1.0));
    return arith::MaximumFOp::create(b, loc, y, cst(b, loc, t, 0.0));
  });
  adder.add<tfm::ClipOp>([](tfm::ClipOp op, B &b, Location loc, V a, E info) -> Value {
    Value y = a[0];
    unsigned next = 1;
    if (op.getMin())
      y = maxOf(b, loc, y, a[next++], info.isUnsigned);
    if (op.getMax())
      y = minOf(b, loc, y, a[next], info.isUnsigned);
    return y;
  });
  adder.add<tfm::CastOp>([](tfm::CastOp op, B &b, Location loc, V a, E info) {
    if (isStringTensor(op.getInput()) || isStringTensor(op.getOutput()))
      return castWithStrings(b, loc, op, a[0], info.element);
    return castScalar(b, loc, a[0], info.element, info.isUnsigned, info.resultUnsigned);
  });
  adder.add<tfm::GeluOp>([](tfm::GeluOp op, B &b, Location loc, V a, E) {
    return gelu(b, loc, a[0], op.getApproximate());
  });
  adder.add<tfm::PowOp>([](tfm::PowOp, B &b, Location loc, V a, E info) {
    return power(b, loc, a[0], a[1], info.isUnsigned);
  });
  adder.add<tfm::ModOp>([](tfm::ModOp op, B &b, Location loc, V a, E info) -> Value {
    if (isFloat(a[0].getType()))
      return arith::RemFOp::create(b, loc, a[0], a[1]);
    if (info.isUnsigned)
      return arith::RemUIOp::create(b, loc, a[0], a[1]);
    if (op.getFmod())
      return arith::RemSIOp::create(b, loc, a[0], a[1]);
    return floorMod(b, loc, a[0], a[1]);
  });
  adder.add<tfm::MaxOp>([](tfm::MaxOp, B &b, Location loc, V a, E info) {
    Value y = a[0];
    for (Value x : a.drop_front())
      y = maxOf(b, loc, y, x, info.isUnsigned);
    return y;
  });
  adder.add<tfm::MinOp>([](tfm::MinOp, B &b, Location loc, V a, E info) {
    Value y = a[0];
    for (Value x : a.drop_front())
      y = minOf(b, loc, y, x, info.isUnsigned);
    return y;
  });
  adder.add<tfm::WhereOp>([](tfm::WhereOp, B &b, Location loc, V a, E) -> Value {
    return arith::SelectOp::create(b, loc, a[0], a[1], a[2]);
  });
}
