//===- AttentionOperands.cpp - query, key and value of an attention -------===//
//
// Each operand is walked back from the matmul that reads it, through layout
// ops, scalar scales, repeat_kv (keys and values), the concatenation with a
// KV cache (keys and values) and a rotary embedding (queries and keys), in
// that order from the matmul. The walk stops where the operand is cheapest
// to lay out as [B, L, heads * D] again: ideally at the projection itself.
//
//===----------------------------------------------------------------------===//

#include "Attention.h"

using namespace mlir;
using namespace tfmc::tfm;
using namespace tfmc::tfm::fusion;
using namespace tfmc::tfm::fusion::attention;

Layout attention::operandLayout(Role role) {
  Axis seq = role == Role::Query ? Axis::Query : Axis::Key;
  return {{Axis::Batch}, {seq}, {Axis::Heads, Axis::Feature}};
}

namespace {

Layout headsFirst(Role role) {
  Axis seq = role == Role::Query ? Axis::Query : Axis::Key;
  return singletons({Axis::Batch, Axis::Heads, seq, Axis::Feature});
}

bool sameDims(Value a, ArrayRef<unsigned> aDims, Value b, ArrayRef<unsigned> bDims) {
  Dims da = getDims(a.getType()), db = getDims(b.getType());
  for (auto [i, j] : llvm::zip(aDims, bDims))
    if (!da[i].provablyEqual(db[j]))
      return false;
  return true;
}

/// repeat_kv: [B, kvH, L, D] repeated to [B, kvH * n, L, D] head by head.
struct Repeat {
  Value input;
  int64_t kvHeads;
  SmallVector<Operation *, 3> ops;
};

bool tiles(Operation *op, ArrayRef<int64_t> repeats) {
  auto tile = dyn_cast<TileOp>(op);
  return !tile || getConstantInts(tile.getRepeats()) == SmallVector<int64_t>(repeats);
}

/// Matches repeat_kv producing `value` ([B, heads, L, D]): Reshape(Expand or
/// Tile(Unsqueeze(y, 2))), or Expand/Tile of a single kv head.
std::optional<Repeat> matchRepeat(Value value, int64_t heads) {
  Operation *def = value.getDefiningOp();
  if (isa_and_nonnull<ExpandOp, TileOp>(def)) {
    Value y = skipNoise(def->getOperand(0));
    auto type = cast<RankedTensorType>(y.getType());
    if (type.getRank() != 4 || type.getShape()[1] != 1 ||
        !sameDims(y, {0, 2, 3}, value, {0, 2, 3}) || !tiles(def, {1, heads, 1, 1}))
      return std::nullopt;
    return Repeat{y, 1, {def}};
  }
  auto reshape = dyn_cast_or_null<ReshapeOp>(def);
  Operation *repeat = reshape ? skipNoise(reshape.getData()).getDefiningOp() : nullptr;
  if (!isa_and_nonnull<ExpandOp, TileOp>(repeat))
    return std::nullopt;
  Value wide = repeat->getResult(0), unsqueezed = skipNoise(repeat->getOperand(0));
  ArrayRef<int64_t> shape = cast<RankedTensorType>(wide.getType()).getShape();
  if (shape.size() != 5 || ShapedType::isDynamic(shape[1]) || ShapedType::isDynamic(shape[2]) ||
      shape[1] * shape[2] != heads || !tiles(repeat, {1, 1, shape[2], 1, 1}))
    return std::nullopt;
  auto unsqueeze = unsqueezed.getDefiningOp<UnsqueezeOp>();
  if (!unsqueeze || getConstantInts(unsqueeze.getAxes()) != SmallVector<int64_t>{2})
    return std::nullopt;
  Value y = skipNoise(unsqueeze.getData());
  if (cast<RankedTensorType>(y.getType()).getShape()[1] != shape[1] ||
      !sameDims(y, {0, 2, 3}, wide, {0, 3, 4}) || !sameDims(wide, {0, 3, 4}, value, {0, 2, 3}))
    return std::nullopt;
  return Repeat{y, shape[1], {reshape, repeat, unsqueeze}};
}

/// The number of relayout steps to `target`, or nullopt when impossible.
std::optional<size_t> relayoutCost(const Layout &from, const Layout &target,
                                   const AxisSizes &sizes) {
  std::optional<Relayout> plan = planRelayout(from, target, sizes);
  if (!plan)
    return std::nullopt;
  return plan->size();
}

/// The cached keys or values (a concat input of layout `layout`), walked
/// back through layout ops to where they are cheapest to lay out as
/// [B, kvH, P, D].
std::pair<Value, Layout> tracePast(Value value, Layout layout, AxisSizes sizes,
                                   SmallVectorImpl<Operation *> &absorbed) {
  Layout target = headsFirst(Role::Key);
  std::pair<Value, Layout> best{value, layout};
  std::optional<size_t> bestCost = relayoutCost(layout, target, sizes);
  size_t bestAbsorbed = absorbed.size();
  while (Operation *def = skipNoise(value).getDefiningOp()) {
    if (!isLayoutOp(def))
      break;
    std::optional<Layout> next = layoutAcross(def, layout, /*fromResult=*/true, sizes);
    if (!next)
      break;
    absorbed.push_back(def);
    value = def->getOperand(0);
    layout = *next;
    std::optional<size_t> cost = relayoutCost(layout, target, sizes);
    if (cost && (!bestCost || *cost <= *bestCost)) {
      best = {value, layout};
      bestCost = cost;
      bestAbsorbed = absorbed.size();
    }
  }
  absorbed.resize(bestAbsorbed);
  return best;
}

} // namespace

OperandTrace attention::traceOperand(Value value, Layout layout, AxisSizes sizes, Role role,
                                     bool allowPast) {
  OperandTrace trace;
  trace.heads = *sizes.get(Axis::Heads).getStatic();
  Layout target = operandLayout(role), canonical = headsFirst(role);
  bool seenRepeat = false, seenConcat = false, seenRotary = false;
  // The best place to stop so far, with what the walk absorbed up to it.
  std::optional<OperandTrace> stop;
  size_t stopCost = 0;
  bool forceStop = true; // a step that must be kept was just taken
  while (true) {
    value = skipNoise(value);
    std::optional<size_t> cost = relayoutCost(layout, target, sizes);
    if (cost && (forceStop || !stop || *cost <= stopCost)) {
      stop = trace;
      stop->base = value;
      stop->baseLayout = layout;
      stop->sizes = sizes;
      stopCost = *cost;
      forceStop = false;
    }
    Operation *def = value.getDefiningOp();
    if (layout == target || !def)
      break;
    if (role != Role::Query && !seenRepeat && !seenConcat && !seenRotary && layout == canonical) {
      if (std::optional<Repeat> repeat = matchRepeat(value, trace.heads)) {
        trace.heads = repeat->kvHeads;
        sizes.set(Axis::Heads, Dim(repeat->kvHeads));
        trace.absorbed.append(repeat->ops.begin(), repeat->ops.end());
        value = repeat->input;
        seenRepeat = forceStop = true;
        continue;
      }
    }
    if (isLayoutOp(def)) {
      std::optional<Layout> next = layoutAcross(def, layout, /*fromResult=*/true, sizes);
      if (!next)
        break;
      trace.absorbed.push_back(def);
      value = def->getOperand(0);
      layout = *next;
      continue;
    }
    Value scaled;
    std::optional<double> factor = role != Role::Value ? matchScaling(def, scaled) : std::nullopt;
    if (factor) {
      trace.scale *= *factor;
      trace.absorbed.push_back(def);
      value = scaled;
      continue;
    }
    if (auto concat = dyn_cast<ConcatOp>(def)) {
      std::optional<int64_t> axis = normalizeAxis(concat.getAxis(), layout.size());
      if (role == Role::Query || !allowPast || seenConcat || seenRotary ||
          concat.getInputs().size() != 2 || !axis || layout[*axis] != Group{Axis::Key} || !cost)
        break;
      // The cache and the new rows have lengths of their own.
      sizes.set(Axis::Key, Dim());
      trace.concat = concat;
      trace.concatLayout = layout;
      std::tie(trace.past, trace.pastLayout) =
          tracePast(concat.getInputs()[0], layout, sizes, trace.absorbed);
      trace.absorbed.push_back(concat);
      value = concat.getInputs()[1];
      seenConcat = forceStop = true;
      continue;
    }
    if (role != Role::Value && !seenRotary && layout == canonical) {
      if (std::optional<RotaryMatch> rotary = matchRotary(value)) {
        trace.absorbed.append(rotary->absorbed.begin(), rotary->absorbed.end());
        value = rotary->input;
        trace.rotary = std::move(rotary);
        seenRotary = forceStop = true;
        continue;
      }
    }
    break;
  }
  return stop ? *stop : trace;
}
