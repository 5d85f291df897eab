//===- Inspect.cpp - what a model holds and what fused --------------------===//

#include "tfmc/Driver/Inspect.h"
#include "OneLineErrors.h"
#include "tfmc/Codegen/Compiler.h"
#include "tfmc/Dialect/ShapeUtils.h"
#include "tfmc/Dialect/Tfm.h"
#include "tfmc/Import/OnnxImporter.h"
#include "tfmc/Passes/ShapePasses.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace tfmc;
using tfmc::tfm::Dim;

namespace {

/// Sizes of dims at the inspection's shape: symbols the options name take
/// their value, batch symbols (dim 0 of an input) 1, other symbols and
/// unknown dims the sequence length.
class DimSizes {
public:
  DimSizes(func::FuncOp model, const InspectOptions &options)
      : sequence(options.sequenceLength), given(options.dims) {
    for (Type type : model.getArgumentTypes()) {
      tfm::Dims dims = tfm::getDims(type);
      if (!dims.empty() && dims[0].isKnown() && !dims[0].isStatic() &&
          dims[0].getExpr()->symbols().size() == 1)
        batch.insert(dims[0].getExpr()->symbols().front());
    }
    // Tokens: the first input's dim 1 when it is symbolic ([batch, sequence]
    // ids or embeddings).
    if (model.getNumArguments() > 0) {
      tfm::Dims first = tfm::getDims(model.getArgumentTypes().front());
      if (first.size() > 1 && !first[1].isStatic())
        tokens = size(first[1]);
    }
  }

  double size(const Dim &dim) const {
    if (!dim.isKnown())
      return static_cast<double>(sequence);
    return dim.getExpr()->evaluate([&](StringRef name) {
      auto it = given.find(name.str());
      if (it != given.end())
        return static_cast<double>(it->second);
      return batch.contains(name) ? 1.0 : static_cast<double>(sequence);
    });
  }
  double size(Value value, int64_t index) const {
    tfm::Dims dims = tfm::getDims(value.getType());
    if (index < 0)
      index += dims.size();
    return index >= 0 && index < static_cast<int64_t>(dims.size()) ? size(dims[index]) : 1.0;
  }
  double elements(Value value) const {
    double product = 1;
    for (const Dim &dim : tfm::getDims(value.getType()))
      product *= size(dim);
    return product;
  }

  int64_t sequence;
  /// Query tokens per sequence, when the model has a sequence dim.
  std::optional<double> tokens;

private:
  const std::map<std::string, int64_t> &given;
  llvm::StringSet<> batch;
};

/// Multiply-adds count two FLOPs each.
double countFlops(Operation *op, const DimSizes &sizes) {
  if (auto matmul = dyn_cast<tfm::MatMulOp>(op))
    return 2 * sizes.elements(matmul.getResult()) * sizes.size(matmul.getA(), -1);
  if (auto matmul = dyn_cast<tfm::MatMulIntegerOp>(op))
    return 2 * sizes.elements(matmul.getResult()) * sizes.size(matmul.getA(), -1);
  if (auto gemm = dyn_cast<tfm::GemmOp>(op))
    return 2 * sizes.elements(gemm.getResult()) * sizes.size(gemm.getA(), gemm.getTransA() ? 0 : 1);
  if (auto conv = dyn_cast<tfm::ConvOp>(op))
    return 2 * sizes.elements(conv.getResult()) * sizes.elements(conv.getW()) /
           sizes.size(conv.getW(), 0);
  if (auto attention = dyn_cast<tfm::AttentionOp>(op)) {
    // Scores (S x keys x D per head) and their product with V (S x keys x Dv).
    double keys = sizes.size(attention.getKey(), 1);
    if (attention.getPastKey())
      keys += sizes.size(attention.getPastKey(), 2);
    double queryWidth = sizes.size(attention.getQuery(), -1);
    double valueWidth = sizes.size(attention.getValue(), -1) * attention.getNumHeads() /
                        attention.getKvHeads();
    return 2 * sizes.size(attention.getQuery(), 0) * sizes.size(attention.getQuery(), 1) * keys *
           (queryWidth + valueWidth);
  }
  return 0;
}

} // namespace

bool tfmc::inspectModelFile(StringRef path, const InspectOptions &options,
                            ModelInspection &result, std::string &error) {
  OnnxModelStats stats;
  if (!readOnnxModelStats(path, stats, error))
    return false;
  result.onnxOps = std::move(stats.ops);
  result.parameters = stats.parameters;

  MLIRContext ctx;
  OwningOpRef<ModuleOp> module = importOnnxModel(path, ctx, ImportOptions(), error);
  if (!module)
    return false;
  // Errors become one line per node; remarks (the unfused blocks) are in
  // the report already.
  OneLineErrors errors(ctx, path);
  tfm::FusionReport report;
  PassManager pm(&ctx);
  if (failed(applyPassManagerCLOptions(pm)))
    return false;
  tfm::buildShapeSimplificationPipeline(pm);
  pm.addNestedPass<func::FuncOp>(tfm::createFusionPass({options.disabledFusions, &report}));
  if (failed(pm.run(*module))) {
    error = errors.take(path.str() + ": shape inference or fusion failed");
    return false;
  }

  func::FuncOp model = getModelFunction(*module);
  if (!model) {
    error = path.str() + ": no model function";
    return false;
  }
  DimSizes sizes(model, options);
  for (StringRef kind : tfm::fusionKinds())
    result.fusedCounts[kind.str()] = 0;
  model.walk([&](Operation *op) {
    if (op->getDialect() && op->getDialect()->getNamespace() == "tfm" &&
        !isa<tfm::ConstantOp>(op))
      ++result.tfmOps[op->getName().getStringRef().str()];
    result.flops += countFlops(op, sizes);
    if (std::optional<tfm::FusedRegion> region = tfm::getFusedRegion(op)) {
      ++result.fusedCounts[region->kind];
      result.fused.push_back(std::move(*region));
    }
  });
  if (sizes.tokens && *sizes.tokens > 0)
    result.flopsPerToken = result.flops / *sizes.tokens;
  result.unfused = std::move(report.unfused);
  return true;
}
