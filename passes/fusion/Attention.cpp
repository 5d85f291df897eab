//===- Attention.cpp - scaled dot-product attention → tfm.attention -------===//
//
// Anchored at a softmax over the last axis of [batch, heads, query, key]
// scores: softmax(mask(scale * Q K^T)) V, with the probabilities' matmul
// read forward to where the heads merge back into [batch, query, heads * D].
// The fused op takes the operands at their projections (Attention.h), the
// KV cache when keys and values are concatenated with one (its present
// outputs replace the concatenations), and tfm.rotary_embedding where
// queries and keys are rotated.
//
//===----------------------------------------------------------------------===//

#include "Attention.h"

#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace tfmc::tfm;
using namespace tfmc::tfm::fusion;
using namespace tfmc::tfm::fusion::attention;

namespace {

constexpr llvm::StringLiteral kAttention = "attention";

Layout scoresLayout() { return singletons({Axis::Batch, Axis::Heads, Axis::Query, Axis::Key}); }
Layout cacheLayout() { return singletons({Axis::Batch, Axis::Heads, Axis::Key, Axis::Feature}); }

Layout withLastTwo(ArrayRef<Group> batch, Axis second, Axis last) {
  Layout layout(batch.begin(), batch.end());
  layout.push_back({second});
  layout.push_back({last});
  return layout;
}

/// Whether `op` passes its operand on unchanged (skipNoise looks through it).
bool isNoise(Operation *op) {
  return op->getNumResults() == 1 && op->getNumOperands() == 1 &&
         skipNoise(op->getResult(0)) == op->getOperand(0);
}

/// A softmax over the last axis that is left did not fuse as attention.
bool isAnchor(Operation *op) {
  auto softmax = dyn_cast<SoftmaxOp>(op);
  if (!softmax)
    return false;
  int64_t rank = cast<RankedTensorType>(softmax.getInput().getType()).getRank();
  return normalizeAxis(softmax.getAxis(), rank) == rank - 1;
}

/// Relayouts between a KV cache concatenation and tfm.attention's caches.
struct CachePlan {
  Relayout past, present;
};

/// Everything the rewrite needs, found before the IR changes.
struct AttentionMatch {
  SmallVector<Operation *> absorbed;
  int64_t heads = 0;
  double scale = 1.0;
  /// Query, key and value.
  std::array<OperandTrace, 3> operands;
  /// For keys and values when they join a cache.
  std::array<CachePlan, 2> caches;
  MaskPlan masks;
  /// The value the fused output replaces, and how to lay the output out as
  /// it.
  Value context;
  Relayout output;
};

/// The matmul of the probabilities with the values, following the
/// probabilities through layout ops (`layout` is updated).
FailureOr<MatMulOp> findValuesMatmul(Value probs, Layout &layout, AxisSizes &sizes,
                                     SmallVectorImpl<Operation *> &absorbed, std::string &why) {
  while (Operation *user = singleUser(probs)) {
    if (auto matmul = dyn_cast<MatMulOp>(user)) {
      if (matmul.getA() != probs)
        break;
      absorbed.push_back(matmul);
      return matmul;
    }
    if (isLayoutOp(user)) {
      std::optional<Layout> next = layoutAcross(user, layout, /*fromResult=*/false, sizes);
      if (!next) {
        why = "the probabilities are reshaped in a way that mixes their axes";
        return failure();
      }
      layout = *next;
    } else if (!isNoise(user)) {
      why = "the probabilities feed " + user->getName().getStringRef().str() +
            ", not a matmul with the values";
      return failure();
    }
    absorbed.push_back(user);
    probs = user->getResult(0);
  }
  why = singleUser(probs) ? "the probabilities are the right operand of their matmul"
                          : "the attention probabilities have other users";
  return failure();
}

/// The value the fused output replaces: the first one laid out exactly as
/// [B, S, heads * D] on the single-use chain of layout ops after the
/// context, else the last one that a relayout of the output can stand for.
std::optional<std::pair<Value, Relayout>> findMerged(Value context, Layout layout, AxisSizes &sizes,
                                                     SmallVectorImpl<Operation *> &absorbed) {
  Layout fused = operandLayout(Role::Query);
  std::optional<std::pair<Value, Relayout>> merged;
  size_t mergedAbsorbed = absorbed.size();
  while (true) {
    if (std::optional<Relayout> plan = planRelayout(fused, layout, sizes)) {
      merged = {context, *plan};
      mergedAbsorbed = absorbed.size();
      if (plan->empty())
        break;
    }
    Operation *user = singleUser(context);
    if (!user || !(isLayoutOp(user) || isNoise(user)))
      break;
    if (isLayoutOp(user)) {
      std::optional<Layout> next = layoutAcross(user, layout, /*fromResult=*/false, sizes);
      if (!next)
        break;
      layout = *next;
    }
    absorbed.push_back(user);
    context = user->getResult(0);
  }
  absorbed.resize(mergedAbsorbed);
  return merged;
}

/// Plans the cache relayouts of keys and values that join a cache; false
/// when either cannot be expressed.
bool planCaches(AttentionMatch &match) {
  for (unsigned i : {0, 1}) {
    const OperandTrace &trace = match.operands[i + 1];
    AxisSizes sizes;
    sizes.set(Axis::Heads, Dim(trace.heads));
    sizes.set(Axis::Feature, trace.sizes.get(Axis::Feature));
    std::optional<Relayout> past = planRelayout(trace.pastLayout, cacheLayout(), sizes);
    std::optional<Relayout> present = planRelayout(cacheLayout(), trace.concatLayout, sizes);
    if (!past || !present)
      return false;
    match.caches[i] = {*past, *present};
  }
  return true;
}

FailureOr<AttentionMatch> matchAttention(SoftmaxOp softmax, std::string &why) {
  AttentionMatch match;
  Dims scoresDims = getDims(softmax.getInput().getType());
  if (scoresDims.size() != 4) {
    why = "the scores are not 4-D [batch, heads, query, key]";
    return failure();
  }
  std::optional<int64_t> heads = scoresDims[1].getStatic();
  if (!heads) {
    why = "the number of heads (dim 1 of the scores) is not static";
    return failure();
  }
  match.heads = *heads;
  AxisSizes sizes;
  sizes.recordAll(scoresLayout(), scoresDims);
  match.absorbed.push_back(softmax);

  Layout probsLayout = scoresLayout();
  FailureOr<MatMulOp> pv =
      findValuesMatmul(softmax.getResult(), probsLayout, sizes, match.absorbed, why);
  if (failed(pv))
    return failure();
  size_t probsRank = probsLayout.size();
  if (probsRank < 3 || probsLayout[probsRank - 2] != Group{Axis::Query} ||
      probsLayout[probsRank - 1] != Group{Axis::Key}) {
    why = "the probabilities do not end in [query, key]";
    return failure();
  }
  ArrayRef<Group> probsBatch = ArrayRef(probsLayout).drop_back(2);

  std::optional<ScoresTrace> scores = traceScores(softmax.getInput(), sizes, why);
  if (!scores)
    return failure();
  match.absorbed.append(scores->absorbed);
  auto qk = cast<MatMulOp>(scores->matmul);
  auto rankOf = [](Value v) { return cast<RankedTensorType>(v.getType()).getRank(); };
  int64_t rank = scores->layout.size();
  if (rank < 3 || scores->layout[rank - 2] != Group{Axis::Query} ||
      scores->layout[rank - 1] != Group{Axis::Key} || rankOf(qk.getA()) != rank ||
      rankOf(qk.getB()) != rank || rankOf(pv->getB()) != static_cast<int64_t>(probsRank)) {
    why = "the scores are not a batched matmul of [.., query, D] and [.., D, key]";
    return failure();
  }
  ArrayRef<Group> scoresBatch = ArrayRef(scores->layout).drop_back(2);

  // The operands, back to their projections.
  AxisSizes qkSizes = sizes, vSizes = sizes;
  qkSizes.record(Axis::Feature, getDims(qk.getA().getType()).back());
  vSizes.record(Axis::Feature, getDims(pv->getB().getType()).back());
  auto traceAll = [&](bool allowPast) {
    match.operands = {traceOperand(qk.getA(), withLastTwo(scoresBatch, Axis::Query, Axis::Feature),
                                   qkSizes, Role::Query, false),
                      traceOperand(qk.getB(), withLastTwo(scoresBatch, Axis::Feature, Axis::Key),
                                   qkSizes, Role::Key, allowPast),
                      traceOperand(pv->getB(), withLastTwo(probsBatch, Axis::Key, Axis::Feature),
                                   vSizes, Role::Value, allowPast)};
  };
  traceAll(true);
  auto &[q, k, v] = match.operands;
  // Both or neither of keys and values join a cache, in a layout the fused
  // op's caches can be turned into and back.
  if (k.concat || v.concat)
    if (!k.concat || !v.concat || !planCaches(match))
      traceAll(false);
  const char *names[] = {"query", "key", "value"};
  for (auto [trace, name] : llvm::zip(match.operands, names)) {
    if (!trace.base) {
      why = std::string("the ") + name + " cannot be laid out as [batch, seq, heads * head_size]";
      return failure();
    }
  }
  if (k.heads != v.heads) {
    why = "keys and values have different numbers of heads";
    return failure();
  }
  match.scale = scores->scale * q.scale * k.scale;

  Dim pastLength(0);
  if (k.concat) {
    auto keyAxis = llvm::find(k.pastLayout, Group{Axis::Key});
    if (keyAxis == k.pastLayout.end()) {
      why = "the key cache does not keep its sequence axis apart";
      return failure();
    }
    pastLength = getDims(k.past.getType())[keyAxis - k.pastLayout.begin()];
  }
  std::optional<MaskPlan> masks = planMasks(*scores, sizes, pastLength, why);
  if (!masks)
    return failure();
  match.masks = *masks;

  AxisSizes outSizes = sizes;
  outSizes.record(Axis::Feature, vSizes.get(Axis::Feature));
  std::optional<std::pair<Value, Relayout>> merged =
      findMerged(pv->getResult(), withLastTwo(probsBatch, Axis::Query, Axis::Feature), outSizes,
                 match.absorbed);
  if (!merged) {
    why = "the context is not laid out back as [batch, seq, heads * head_size]";
    return failure();
  }
  std::tie(match.context, match.output) = *merged;
  for (const OperandTrace &trace : match.operands)
    match.absorbed.append(trace.absorbed);
  return match;
}

/// The values the fused op and its helpers read.
SmallVector<Value> inputsOf(const AttentionMatch &match) {
  SmallVector<Value> values{match.masks.mask, match.masks.biasCondition};
  for (const OperandTrace &trace : match.operands) {
    values.append({trace.base, trace.past});
    if (trace.rotary)
      values.append({trace.rotary->positions, trace.rotary->cos.source, trace.rotary->sin.source});
  }
  return values;
}

/// Sets the insertion point right after the last of `values` defined in
/// `block`, so that the new ops see them all.
void insertAfterAll(PatternRewriter &rewriter, Block *block, ArrayRef<Value> values) {
  Operation *last = nullptr;
  for (Value value : values) {
    Operation *def = value ? value.getDefiningOp() : nullptr;
    if (def && def->getBlock() == block && (!last || last->isBeforeInBlock(def)))
      last = def;
  }
  if (last)
    rewriter.setInsertionPointAfter(last);
  else
    rewriter.setInsertionPointToStart(block);
}

/// Whether `use` is in `op`'s block after `op` (or nested in an op that is).
bool usedAfter(OpOperand &use, Operation *op) {
  Operation *owner = op->getBlock()->findAncestorOpInBlock(*use.getOwner());
  return owner && op->isBeforeInBlock(owner);
}

/// The operand `trace` describes, as [B, L, heads * D].
Value materialize(PatternRewriter &rewriter, Location loc, const OperandTrace &trace, Role role,
                  RotaryCaches &caches) {
  Value operand = emitRelayout(rewriter, loc, trace.base,
                               *planRelayout(trace.baseLayout, operandLayout(role), trace.sizes));
  if (!trace.rotary)
    return operand;
  SmallVector<Location> nodes;
  for (Operation *op : trace.rotary->absorbed)
    nodes.push_back(op->getLoc());
  return emitRotary(rewriter, FusedLoc::get(rewriter.getContext(), nodes), operand, trace.heads,
                    *trace.rotary, caches);
}

/// attention_bias = Where(condition, 0, fill) or Where(condition, fill, 0).
Value emitBias(PatternRewriter &rewriter, Location loc, const MaskPlan &masks, Type element) {
  auto type = RankedTensorType::get({}, element);
  auto constant = [&](double x) {
    return ConstantOp::create(rewriter, loc, type,
                              DenseElementsAttr::get(type, rewriter.getFloatAttr(element, x)));
  };
  Value zero = constant(0.0), fill = constant(masks.biasFill);
  return createInferred(rewriter, loc, WhereOp::getOperationName(),
                        {masks.biasCondition, masks.biasKeepOnTrue ? zero : fill,
                         masks.biasKeepOnTrue ? fill : zero})
      ->getResult(0);
}

struct SoftmaxAttention : FusionPattern<SoftmaxOp> {
  using FusionPattern::FusionPattern;

  LogicalResult matchAndRewrite(SoftmaxOp softmax, PatternRewriter &rewriter) const override {
    if (!isAnchor(softmax))
      return failure();
    std::string why;
    FailureOr<AttentionMatch> match = matchAttention(softmax, why);
    if (failed(match))
      return miss(rewriter, softmax, why);
    rewrite(rewriter, softmax, *match);
    return success();
  }

  void rewrite(PatternRewriter &rewriter, SoftmaxOp softmax, const AttentionMatch &match) const {
    MLIRContext *ctx = rewriter.getContext();
    Location fusedOpLoc =
        fusedLoc(SetVector<Operation *>(match.absorbed.begin(), match.absorbed.end()).takeVector());
    // Helpers name the same nodes without the kind, so that they do not count
    // as attention blocks of their own.
    Location loc = FusedLoc::get(ctx, cast<FusedLoc>(fusedOpLoc).getLocations());
    insertAfterAll(rewriter, softmax->getBlock(), inputsOf(match));

    const auto &[q, k, v] = match.operands;
    RotaryCaches caches;
    SmallVector<Value> operands{materialize(rewriter, loc, q, Role::Query, caches),
                                materialize(rewriter, loc, k, Role::Key, caches),
                                materialize(rewriter, loc, v, Role::Value, caches)};
    SmallVector<int32_t> segments{1, 1, 1};
    auto addOptional = [&](Value value) {
      segments.push_back(value ? 1 : 0);
      if (value)
        operands.push_back(value);
    };
    addOptional(match.masks.mask);
    bool cached = k.concat;
    addOptional(cached ? emitRelayout(rewriter, loc, k.past, match.caches[0].past) : Value());
    addOptional(cached ? emitRelayout(rewriter, loc, v.past, match.caches[1].past) : Value());
    Type element = getElementTypeOrSelf(softmax.getType());
    addOptional(match.masks.biasCondition ? emitBias(rewriter, loc, match.masks, element)
                                          : Value());

    auto si64 = [&](int64_t x) {
      return IntegerAttr::get(IntegerType::get(ctx, 64, IntegerType::Signed), x);
    };
    int32_t present = cached ? 1 : 0;
    SmallVector<NamedAttribute> attrs{
        rewriter.getNamedAttr("num_heads", si64(match.heads)),
        rewriter.getNamedAttr("scale", rewriter.getF32FloatAttr(match.scale)),
        rewriter.getNamedAttr("causal", rewriter.getBoolAttr(match.masks.causal)),
        rewriter.getNamedAttr("operandSegmentSizes", rewriter.getDenseI32ArrayAttr(segments)),
        rewriter.getNamedAttr("resultSegmentSizes",
                              rewriter.getDenseI32ArrayAttr({1, present, present}))};
    if (k.heads != match.heads)
      attrs.push_back(rewriter.getNamedAttr("kv_num_heads", si64(k.heads)));
    if (match.masks.mask)
      attrs.push_back(rewriter.getNamedAttr("mask_kind", MaskKindAttr::get(ctx, match.masks.kind)));
    if (match.masks.filterValue)
      attrs.push_back(rewriter.getNamedAttr("mask_filter_value",
                                            rewriter.getF32FloatAttr(*match.masks.filterValue)));
    Operation *fused = createInferred(rewriter, fusedOpLoc, AttentionOp::getOperationName(),
                                      operands, attrs, 1 + 2 * present);

    // The concatenations' later users read the present keys and values.
    for (unsigned i = 0; cached && i < 2; ++i) {
      Value cache = emitRelayout(rewriter, loc, fused->getResult(i + 1), match.caches[i].present);
      rewriter.replaceUsesWithIf(match.operands[i + 1].concat->getResult(0), cache,
                                 [&](OpOperand &use) { return usedAfter(use, fused); });
    }
    rewriter.replaceAllUsesWith(match.context,
                                emitRelayout(rewriter, loc, fused->getResult(0), match.output));
    // Erasing the old context lets the driver erase what it leaves dead.
    if (Operation *old = match.context.getDefiningOp(); old && old->use_empty())
      rewriter.eraseOp(old);
  }
};

void populate(RewritePatternSet &patterns, MissLog &log) {
  patterns.add<SoftmaxAttention>(patterns.getContext(), log, kAttention);
}

} // namespace

FusionFamily fusion::attentionFamily() { return {kAttention, populate, isAnchor}; }
