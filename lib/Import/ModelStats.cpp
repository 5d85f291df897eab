//===- ModelStats.cpp - operator and parameter counts of an ONNX file -----===//

#include "ModelLoader.h"
#include "tfmc/Import/OnnxImporter.h"

using namespace tfmc;

namespace {

void countGraph(const onnx::GraphProto &graph, OnnxModelStats &stats) {
  for (const onnx::TensorProto &init : graph.initializer()) {
    int64_t elements = 1;
    for (int64_t dim : init.dims())
      elements *= dim;
    stats.parameters += elements;
  }
  for (const onnx::NodeProto &node : graph.node()) {
    bool standard = node.domain().empty() || node.domain() == "ai.onnx";
    ++stats.ops[standard ? node.op_type() : node.domain() + "::" + node.op_type()];
    for (const onnx::AttributeProto &attr : node.attribute()) {
      if (attr.type() == onnx::AttributeProto::GRAPH)
        countGraph(attr.g(), stats);
      for (const onnx::GraphProto &sub : attr.graphs())
        countGraph(sub, stats);
    }
  }
}

} // namespace

bool tfmc::readOnnxModelStats(llvm::StringRef path, OnnxModelStats &stats, std::string &error) {
  onnx::ModelProto model;
  if (!loadOnnxModel(path.str(), model, error)) {
    error = path.str() + ": " + error;
    return false;
  }
  countGraph(model.graph(), stats);
  return true;
}
