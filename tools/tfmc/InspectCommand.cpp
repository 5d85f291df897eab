//===- InspectCommand.cpp - tfmc inspect ----------------------------------===//

#include "Commands.h"

#include "tfmc/Driver/Inspect.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace tfmc;

namespace {

json::Object countsToJson(const std::map<std::string, int64_t> &counts) {
  json::Object object;
  for (const auto &[name, count] : counts)
    object[name] = count;
  return object;
}

json::Value toJson(const cli::InspectArgs &args, const ModelInspection &m) {
  json::Array fused, unfused;
  for (const tfm::FusedRegion &region : m.fused)
    fused.push_back(json::Object{{"kind", region.kind}, {"nodes", json::Array(region.nodes)}});
  for (const tfm::UnfusedBlock &block : m.unfused)
    unfused.push_back(
        json::Object{{"kind", block.kind}, {"node", block.node}, {"reason", block.reason}});
  return json::Object{
      {"model", args.modelPath},
      {"ops", countsToJson(m.onnxOps)},
      {"params", m.parameters},
      {"tfm_ops", countsToJson(m.tfmOps)},
      {"sequence_length", args.options.sequenceLength},
      {"flops", m.flops},
      {"flops_per_token", m.flopsPerToken ? json::Value(*m.flopsPerToken) : json::Value(nullptr)},
      {"fused", countsToJson(m.fusedCounts)},
      {"fused_regions", std::move(fused)},
      {"unfused", std::move(unfused)},
  };
}

void printCounts(raw_ostream &os, StringRef title, const std::map<std::string, int64_t> &counts) {
  int64_t total = 0;
  for (const auto &entry : counts)
    total += entry.second;
  os << title << " (" << total << "):\n";
  for (const auto &[name, count] : counts)
    os << formatv("  {0,-40} {1,8}\n", name, count);
}

/// The first few node names of a region, then how many more.
std::string summarizeNodes(const std::vector<std::string> &nodes) {
  constexpr size_t shown = 4;
  std::vector<std::string> head(nodes.begin(), nodes.begin() + std::min(shown, nodes.size()));
  std::string text = join(head, ", ");
  if (nodes.size() > shown)
    text += formatv(", ... ({0} nodes)", nodes.size()).str();
  return text;
}

void printText(raw_ostream &os, const cli::InspectArgs &args, const ModelInspection &m) {
  os << "model: " << args.modelPath << "\n";
  os << "parameters: " << m.parameters << "\n";
  os << formatv("FLOPs (batch 1, sequence {0}", args.options.sequenceLength);
  for (const auto &[name, size] : args.options.dims)
    os << ", " << name << " " << size;
  os << formatv("): {0:e3}", m.flops);
  if (m.flopsPerToken)
    os << formatv(", per token {0:e3}", *m.flopsPerToken);
  os << "\n";
  printCounts(os, "ONNX operators", m.onnxOps);
  printCounts(os, "tfm ops after fusion", m.tfmOps);
  os << "fused:";
  for (const auto &[kind, count] : m.fusedCounts)
    os << " " << kind << " " << count << ";";
  os << "\n";
  for (const tfm::FusedRegion &region : m.fused)
    os << formatv("  {0,-12} {1}\n", region.kind, summarizeNodes(region.nodes));
  os << "not fused: " << m.unfused.size() << "\n";
  for (const tfm::UnfusedBlock &block : m.unfused)
    os << formatv("  {0,-12} node '{1}': {2}\n", block.kind, block.node, block.reason);
}

} // namespace

int tfmc::cli::runInspect() {
  InspectArgs args;
  std::string error;
  if (!readInspectArgs(args, error)) {
    errs() << "tfmc inspect: " << error << "\n";
    return 1;
  }
  ModelInspection inspection;
  if (!inspectModelFile(args.modelPath, args.options, inspection, error)) {
    errs() << error << "\n";
    return 1;
  }
  if (args.json)
    outs() << formatv("{0:2}", toJson(args, inspection)) << "\n";
  else
    printText(outs(), args, inspection);
  return 0;
}
