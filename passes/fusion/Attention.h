//===- Attention.h - pieces of the attention fusion -------------*- C++ -*-===//
//
// Scaled dot-product attention is recognised around its softmax: the scores
// are traced back to the Q K^T matmul through masks and scales, each operand
// back to a [batch, seq, heads * head_size] value through head splits,
// transposes, the KV cache concatenation, repeat_kv and rotary embeddings,
// and the context forward to where the heads merge again. Tensors are read
// as groups of named axes, so a reshape that merges batch with heads, or
// batch with sequence rows, is followed like any other.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_PASSES_FUSION_ATTENTION_H
#define TFMC_PASSES_FUSION_ATTENTION_H

#include "FusionPattern.h"

#include "tfmc/Dialect/ShapeUtils.h"

#include <array>

namespace tfmc::tfm::fusion::attention {

//===----------------------------------------------------------------------===//
// Layouts (AttentionLayout.cpp)
//===----------------------------------------------------------------------===//

/// The axes of the tensors around attention: scores are [Batch, Heads, Query,
/// Key], the query [Batch, Query, Heads * Feature], keys and values [Batch,
/// Key, Heads * Feature].
enum class Axis : uint8_t { Batch, Heads, Query, Key, Feature };
constexpr unsigned kNumAxes = 5;

/// The axes one dim holds, outermost first; a dim of size 1 may hold none.
using Group = llvm::SmallVector<Axis, 2>;
/// The groups of a tensor's dims, outermost first.
using Layout = llvm::SmallVector<Group, 4>;

/// One axis per dim, in the order given.
Layout singletons(llvm::ArrayRef<Axis> axes);

/// What is known of each axis's size, learnt from dims that hold one axis.
class AxisSizes {
public:
  Dim get(Axis axis) const { return dims[static_cast<unsigned>(axis)]; }
  void set(Axis axis, Dim dim) { dims[static_cast<unsigned>(axis)] = std::move(dim); }
  /// Records that a dim holding only `axis` has size `dim`; false when that
  /// contradicts what is known.
  bool record(Axis axis, const Dim &dim);
  /// Records the sizes of the dims of `layout` that hold one axis.
  bool recordAll(const Layout &layout, llvm::ArrayRef<Dim> dims);

private:
  std::array<Dim, kNumAxes> dims;
};

/// Whether `op` only moves elements: transpose, reshape, squeeze, unsqueeze.
bool isLayoutOp(mlir::Operation *op);

/// The layout on the other side of a layout op: of its input from its
/// result's (`fromResult`), or of its result from its input's. nullopt when
/// the op splits an axis whose size is unknown or mixes axes.
std::optional<Layout> layoutAcross(mlir::Operation *op, const Layout &known, bool fromResult,
                                   AxisSizes &sizes);

/// A transpose (`values` is the permutation) or a reshape to constant dims
/// (0 copies the input's dim, -1 is inferred).
struct RelayoutStep {
  bool transpose;
  llvm::SmallVector<int64_t> values;
};
using Relayout = llvm::SmallVector<RelayoutStep, 3>;

/// The steps turning a tensor of layout `from` into layout `to` (the same
/// axes); nullopt when a constant reshape cannot express them.
std::optional<Relayout> planRelayout(const Layout &from, const Layout &to, const AxisSizes &sizes);
mlir::Value emitRelayout(mlir::PatternRewriter &rewriter, mlir::Location loc, mlir::Value value,
                         const Relayout &steps);

/// The factor when `op` multiplies or divides `value` by a one-element
/// constant expression (result = value * factor), with `value` set.
std::optional<double> matchScaling(mlir::Operation *op, mlir::Value &value);

//===----------------------------------------------------------------------===//
// Rotary embeddings (AttentionRotary.cpp)
//===----------------------------------------------------------------------===//

/// Where rotary cos or sin values come from: a constant table [..., M, D]
/// whose two halves are equal (read at `positions`, or at the sequence index
/// without them), or angles f with cos = Cos(Concat(f, f)).
struct RotaryCache {
  mlir::Value source;
  bool fromAngles = false;
};

/// x * cos + rotate_half(x) * sin on a [B, H, L, D] value.
struct RotaryMatch {
  mlir::Value input;
  /// [B or 1, L] positions the tables are read at, or null.
  mlir::Value positions;
  RotaryCache cos, sin;
  llvm::SmallVector<mlir::Operation *> absorbed;
};

/// Matches a half-split rotary embedding producing `value` ([B, H, L, D]).
/// Other rotations (interleaved pairs) stay outside the fused op.
std::optional<RotaryMatch> matchRotary(mlir::Value value);

/// The [rows, D/2] caches emitted so far, by source.
struct RotaryCaches {
  llvm::DenseMap<mlir::Value, mlir::Value> cos, sin;
};

/// tfm.rotary_embedding of `input` ([B, L, heads * D]) as `match` says,
/// sharing the caches in `caches`.
mlir::Value emitRotary(mlir::PatternRewriter &rewriter, mlir::Location loc, mlir::Value input,
                       int64_t heads, const RotaryMatch &match, RotaryCaches &caches);

//===----------------------------------------------------------------------===//
// Operands (AttentionOperands.cpp)
//===----------------------------------------------------------------------===//

enum class Role { Query, Key, Value };

/// Where one attention operand comes from. The operand is `base` relaid out
/// to [B, L, heads * D], then rotated when `rotary` is set; with `concat`,
/// the keys or values attended are `past` followed by the operand.
struct OperandTrace {
  mlir::Value base;
  Layout baseLayout;
  /// The product of the scalar factors met on the way.
  double scale = 1.0;
  std::optional<RotaryMatch> rotary;
  mlir::Operation *concat = nullptr;
  Layout concatLayout;
  mlir::Value past;
  Layout pastLayout;
  /// Heads of `base`: fewer than the query's after repeat_kv.
  int64_t heads = 0;
  AxisSizes sizes;
  llvm::SmallVector<mlir::Operation *> absorbed;
};

/// The layout an operand of `role` is fused as: [B, L, heads * D].
Layout operandLayout(Role role);

/// Traces the operand `value` of layout `layout` back as far as it goes.
/// `allowPast` lets keys and values absorb a concatenation with a cache.
OperandTrace traceOperand(mlir::Value value, Layout layout, AxisSizes sizes, Role role,
                          bool allowPast);

//===----------------------------------------------------------------------===//
// Scores and masks (AttentionScores.cpp)
//===----------------------------------------------------------------------===//

/// One op between the Q K^T product and the softmax that masks scores.
struct MaskStep {
  enum Kind { Additive, Select, Megatron } kind;
  /// Additive: the tensor added; Select: the condition; Megatron: the 0/1
  /// factor.
  mlir::Value mask;
  /// Select: the value masked scores get; Megatron: what masked scores get
  /// subtracted.
  double fill = 0.0;
  /// Select: whether the scores are kept where the condition holds.
  bool keepOnTrue = true;
};

/// The scores from the Q K^T matmul to the softmax.
struct ScoresTrace {
  mlir::Operation *matmul = nullptr;
  /// The layout of the matmul's result.
  Layout layout;
  double scale = 1.0;
  /// In program order.
  llvm::SmallVector<MaskStep, 2> masks;
  llvm::SmallVector<mlir::Operation *> absorbed;
};

/// Traces the softmax input `logits` ([B, H, Q, K]) back to Q K^T; fails
/// with `why` set.
std::optional<ScoresTrace> traceScores(mlir::Value logits, AxisSizes &sizes, std::string &why);

/// How the masks are expressed on tfm.attention.
struct MaskPlan {
  MaskKind kind = MaskKind::none;
  mlir::Value mask;
  std::optional<float> filterValue;
  bool causal = false;
  /// attention_bias = Where(biasCondition, 0, biasFill), or Where(cond,
  /// biasFill, 0) without `biasKeepOnTrue`.
  mlir::Value biasCondition;
  double biasFill = 0.0;
  bool biasKeepOnTrue = true;
};

/// Expresses `scores.masks` on tfm.attention, whose keys start `pastLength`
/// positions in; fails with `why` set when no exact form exists.
std::optional<MaskPlan> planMasks(const ScoresTrace &scores, const AxisSizes &sizes,
                                  const Dim &pastLength, std::string &why);

} // namespace tfmc::tfm::fusion::attention

#endif // TFMC_PASSES_FUSION_ATTENTION_H
