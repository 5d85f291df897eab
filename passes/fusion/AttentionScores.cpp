//===- AttentionScores.cpp - from Q K^T to the softmax --------------------===//
//
// Between the scores and the softmax, exporters scale (Div by sqrt(D), Mul by
// 1/sqrt(D)) and mask: an additive tensor ((1 - mask) * -10000 or finfo.min,
// possibly combined with causality), Where(causal window of a triangular
// buffer, scores, fill) as GPT-2 writes it, Where(mask, fill, scores)
// (masked_fill), or Megatron's scores * m - c * (1 - m). Each mask is
// expressed on tfm.attention only where the result is exactly the same,
// rows whose keys are all masked included.
//
//===----------------------------------------------------------------------===//

#include "Attention.h"

#include <cmath>
#include <deque>
#include <limits>

using namespace mlir;
using namespace tfmc::tfm;
using namespace tfmc::tfm::fusion;
using namespace tfmc::tfm::fusion::attention;

namespace {

/// Ops the scores pass through on their way to the softmax.
bool onScoresPath(Operation *op) {
  return isa_and_nonnull<AddOp, SubOp, MulOp, DivOp, WhereOp, CastOp, IdentityOp>(op) ||
         isLayoutOp(op);
}

/// The matmul nearest to `logits` along the scores path.
MatMulOp findScoresMatmul(Value logits) {
  std::deque<Value> queue{logits};
  for (unsigned visited = 0; !queue.empty() && visited < 64; ++visited) {
    Operation *def = queue.front().getDefiningOp();
    queue.pop_front();
    if (auto matmul = dyn_cast_or_null<MatMulOp>(def))
      return matmul;
    if (onScoresPath(def))
      queue.insert(queue.end(), def->operand_begin(), def->operand_end());
  }
  return nullptr;
}

/// Whether `value` is computed from `target` along the scores path.
bool reaches(Value value, Operation *target, unsigned depth = 10) {
  Operation *def = value.getDefiningOp();
  if (def == target)
    return true;
  if (!depth || !onScoresPath(def))
    return false;
  return llvm::any_of(def->getOperands(), [&](Value v) { return reaches(v, target, depth - 1); });
}

/// Megatron: scores * m - (1 - m) * c, with m a 0/1 float mask; returns the
/// scores, m and c.
std::optional<std::tuple<Value, Value, double>> matchMegatron(SubOp sub, Operation *matmul) {
  auto product = skipNoise(sub.getLhs()).getDefiningOp<MulOp>();
  auto penalty = skipNoise(sub.getRhs()).getDefiningOp<MulOp>();
  if (!product || !penalty)
    return std::nullopt;
  auto scores = matchEitherOperand(product, [&](Value v) { return reaches(v, matmul); });
  if (!scores)
    return std::nullopt;
  Value mask = skipNoise(scores->second);
  for (auto [complement, factor] : {std::pair(penalty.getLhs(), penalty.getRhs()),
                                    std::pair(penalty.getRhs(), penalty.getLhs())}) {
    auto oneMinus = skipNoise(complement).getDefiningOp<SubOp>();
    std::optional<double> c = getScalarConstant(factor);
    if (oneMinus && c && isScalarConstant(oneMinus.getLhs(), 1.0) &&
        skipNoise(oneMinus.getRhs()) == mask)
      return std::make_tuple(scores->first, mask, *c);
  }
  return std::nullopt;
}

} // namespace

std::optional<ScoresTrace> attention::traceScores(Value logits, AxisSizes &sizes,
                                                  std::string &why) {
  ScoresTrace trace;
  auto matmul = findScoresMatmul(logits);
  if (!matmul) {
    why = "no Q K^T matmul before the softmax";
    return std::nullopt;
  }
  trace.matmul = matmul;
  Layout canonical = singletons({Axis::Batch, Axis::Heads, Axis::Query, Axis::Key});
  Layout layout = canonical;
  Value value = logits;
  auto scoresOperand = [&](Value a, Value b) -> std::optional<std::pair<Value, Value>> {
    if (reaches(a, matmul))
      return std::pair(a, b);
    if (reaches(b, matmul))
      return std::pair(b, a);
    return std::nullopt;
  };
  auto addMask = [&](MaskStep step, Operation *op) {
    if (layout != canonical) {
      why = "a mask is applied to scores not laid out as [batch, heads, query, key]";
      return false;
    }
    if (trace.scale != 1.0) {
      why = "the scores are scaled after they are masked";
      return false;
    }
    trace.masks.insert(trace.masks.begin(), step);
    trace.absorbed.push_back(op);
    return true;
  };
  while (true) {
    value = skipNoise(value);
    Operation *def = value.getDefiningOp();
    if (def == matmul)
      break;
    if (!def || !onScoresPath(def)) {
      why = "the scores reach the softmax through " +
            (def ? def->getName().getStringRef().str() : std::string("a block argument"));
      return std::nullopt;
    }
    Value scaled;
    if (std::optional<double> factor = matchScaling(def, scaled)) {
      trace.scale *= *factor;
      trace.absorbed.push_back(def);
      value = scaled;
      continue;
    }
    if (isLayoutOp(def)) {
      std::optional<Layout> next = layoutAcross(def, layout, /*fromResult=*/true, sizes);
      if (!next) {
        why = "the scores are reshaped in a way that mixes their axes";
        return std::nullopt;
      }
      trace.absorbed.push_back(def);
      layout = *next;
      value = def->getOperand(0);
      continue;
    }
    if (auto add = dyn_cast<AddOp>(def)) {
      auto parts = scoresOperand(add.getLhs(), add.getRhs());
      if (!parts) {
        why = "neither addend of the mask add is the scores";
        return std::nullopt;
      }
      if (cast<RankedTensorType>(parts->second.getType()).getRank() > 4 ||
          cast<RankedTensorType>(add.getType()).getShape() !=
              cast<RankedTensorType>(parts->first.getType()).getShape()) {
        why = "the additive mask broadcasts the scores to a larger shape";
        return std::nullopt;
      }
      if (!addMask({MaskStep::Additive, parts->second}, add))
        return std::nullopt;
      value = parts->first;
      continue;
    }
    if (auto where = dyn_cast<WhereOp>(def)) {
      auto parts = scoresOperand(where.getX(), where.getY());
      std::optional<double> fill = parts ? getScalarConstant(parts->second) : std::nullopt;
      if (!fill) {
        why = "the Where on the scores does not select a constant for masked scores";
        return std::nullopt;
      }
      bool keepOnTrue = parts->first == where.getX();
      if (!addMask({MaskStep::Select, where.getCondition(), *fill, keepOnTrue}, where))
        return std::nullopt;
      value = parts->first;
      continue;
    }
    if (auto sub = dyn_cast<SubOp>(def)) {
      if (auto megatron = matchMegatron(sub, matmul)) {
        auto [scores, mask, c] = *megatron;
        if (!addMask({MaskStep::Megatron, mask, c}, sub))
          return std::nullopt;
        trace.absorbed.append({sub.getLhs().getDefiningOp(), sub.getRhs().getDefiningOp()});
        value = scores;
        continue;
      }
    }
    why = "the scores reach the softmax through an unrecognised " +
          def->getName().getStringRef().str();
    return std::nullopt;
  }
  trace.layout = layout;
  trace.absorbed.push_back(matmul);
  return trace;
}

namespace {

/// Rows and columns a chain of Slice ops (steps 1) cuts out of the last two
/// dims of a rank-4 tensor.
struct Window {
  Value source;
  Dim rowStart{0}, colStart{0};
};

std::optional<Window> traceWindow(Value value) {
  Window window;
  while (auto slice = skipNoise(value).getDefiningOp<SliceOp>()) {
    int64_t rank = cast<RankedTensorType>(slice.getData().getType()).getRank();
    std::optional<Dims> starts = evaluateShapeValue(slice.getStarts());
    std::optional<SmallVector<int64_t>> axes =
        slice.getAxes() ? getConstantInts(slice.getAxes())
                        : std::optional(llvm::to_vector(llvm::seq<int64_t>(0, rank)));
    std::optional<SmallVector<int64_t>> steps =
        slice.getSteps() ? getConstantInts(slice.getSteps()) : std::nullopt;
    if (rank != 4 || !starts || !axes || starts->size() != axes->size() ||
        (slice.getSteps() && (!steps || llvm::any_of(*steps, [](int64_t s) { return s != 1; }))))
      return std::nullopt;
    for (auto [start, axis] : llvm::zip(*starts, *axes)) {
      std::optional<int64_t> dim = normalizeAxis(axis, rank);
      if (!dim || (start.getStatic() && *start.getStatic() < 0))
        return std::nullopt;
      if (*dim == 2)
        window.rowStart = window.rowStart + start;
      else if (*dim == 3)
        window.colStart = window.colStart + start;
      else if (!start.provablyEqual(Dim(0)))
        return std::nullopt;
    }
    value = slice.getData();
  }
  window.source = skipNoise(value);
  return window;
}

/// Whether `table` is a constant [1.., M, M] that is nonzero exactly on and
/// below the diagonal.
bool isLowerTriangular(Value table) {
  auto type = dyn_cast<RankedTensorType>(table.getType());
  if (!type || !type.hasStaticShape() || type.getRank() < 2)
    return false;
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rows = shape[shape.size() - 2], cols = shape.back();
  if (rows != cols || llvm::any_of(shape.drop_back(2), [](int64_t d) { return d != 1; }))
    return false;
  std::optional<SmallVector<int64_t>> values = getConstantInts(table, rows * cols);
  if (!values)
    return false;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      if (((*values)[i * cols + j] != 0) != (j <= i))
        return false;
  return true;
}

/// Whether `mask` ([.., Q, K]) has the scores' query and key lengths, so
/// that it does not broadcast along them.
bool coversScores(Value mask, const AxisSizes &sizes) {
  Dims dims = getDims(mask.getType());
  return dims.size() == 4 && dims[2].provablyEqual(sizes.get(Axis::Query)) &&
         dims[3].provablyEqual(sizes.get(Axis::Key));
}

/// Whether `condition` ([.., Q, K]) holds exactly where key k <= past + q.
bool isCausal(Value condition, const AxisSizes &sizes, const Dim &pastLength) {
  if (auto cast = skipNoise(condition).getDefiningOp<CastOp>())
    condition = cast.getInput();
  if (!coversScores(condition, sizes))
    return false;
  std::optional<Window> window = traceWindow(condition);
  return window && window->colStart.provablyEqual(Dim(0)) &&
         window->rowStart.provablyEqual(pastLength) && isLowerTriangular(window->source);
}

/// Scores set this low weigh exactly 0 after the softmax next to any
/// ordinary score (exp underflows below -104 in f32).
constexpr double kMaskingFill = -1e4;
/// Fills this low absorb any score added to them (w + fill == fill in f32),
/// so Where(c, w, fill) equals w + Where(c, 0, fill).
constexpr double kAbsorbingFill = -1e30;

} // namespace

std::optional<MaskPlan> attention::planMasks(const ScoresTrace &scores, const AxisSizes &sizes,
                                             const Dim &pastLength, std::string &why) {
  MaskPlan plan;
  ArrayRef<MaskStep> masks = scores.masks;
  if (!masks.empty() && masks.front().kind == MaskStep::Select) {
    const MaskStep &select = masks.front();
    std::string fill = std::to_string(select.fill);
    if (select.fill > kMaskingFill) {
      why = "masked scores are set to " + fill + ", not a masking value";
      return std::nullopt;
    }
    // Causality hides keys entirely, which equals selecting the fill only
    // when nothing is added to the fill afterwards.
    bool causal = select.keepOnTrue && isCausal(select.mask, sizes, pastLength);
    if (causal && masks.size() == 1) {
      plan.causal = true;
    } else if (select.fill <= kAbsorbingFill) {
      plan.biasCondition = select.mask;
      plan.biasFill = select.fill;
      plan.biasKeepOnTrue = select.keepOnTrue;
    } else {
      why = causal ? "the causal Where sets masked scores to " + fill +
                         ", so the mask added after it changes them (exact only below -1e30)"
                   : "the Where is not a causal window at the cache's length and sets masked "
                     "scores to " +
                         fill + " (exact as a bias only below -1e30)";
      return std::nullopt;
    }
    masks = masks.drop_front();
  }
  if (masks.empty())
    return plan;
  if (masks.size() > 1) {
    why = "more than one mask follows the scores";
    return std::nullopt;
  }
  const MaskStep &step = masks.front();
  switch (step.kind) {
  case MaskStep::Additive:
    plan.kind = MaskKind::additive;
    plan.mask = step.mask;
    return plan;
  case MaskStep::Megatron: {
    // With m 0/1 (ORT's contract for Megatron masks) masked scores get -c
    // exactly; hiding them with the lowest value gives the same softmax, also
    // in rows where every key is masked.
    std::optional<Window> window = traceWindow(step.mask);
    auto type = window ? dyn_cast<RankedTensorType>(window->source.getType()) : nullptr;
    if (!type || !coversScores(step.mask, sizes) ||
        !getDims(step.mask.getType())[0].provablyEqual(sizes.get(Axis::Batch)) ||
        type.getRank() != 4 || type.getShape()[1] != 1 ||
        !getDims(type)[0].provablyEqual(sizes.get(Axis::Batch)) ||
        !window->colStart.provablyEqual(Dim(0)) || !window->rowStart.provablyEqual(pastLength) ||
        !isa<FloatType>(type.getElementType())) {
      why = "the Megatron mask is not [batch, 1, max, max] sliced to the cache's window";
      return std::nullopt;
    }
    if (step.fill >= -kMaskingFill) {
      plan.kind = MaskKind::megatron;
      plan.mask = window->source;
      plan.filterValue = std::numeric_limits<float>::lowest();
      return plan;
    }
    why = "the Megatron mask subtracts " + std::to_string(step.fill) + ", not a masking value";
    return std::nullopt;
  }
  case MaskStep::Select:
    why = "a Where on the scores follows an additive mask";
    return std::nullopt;
  }
  return std::nullopt;
}
