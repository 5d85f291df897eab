//===- OpsCommand.cpp - tfmc ops ------------------------------------------===//

#include "Commands.h"

#include "tfmc/Import/OnnxImporter.h"

#include "llvm/Support/raw_ostream.h"

using namespace llvm;

cl::SubCommand tfmc::cli::opsCommand(
    "ops", "List the ONNX operators tfmc imports, with their supported versions");

static cl::opt<bool> markdown("markdown", cl::desc("Print a Markdown table"),
                              cl::sub(tfmc::cli::opsCommand));

int tfmc::cli::runOps() {
  std::vector<SupportedOnnxOp> ops = supportedOnnxOps();
  if (markdown)
    outs() << "| operator | domain | versions | becomes |\n|---|---|---|---|\n";
  for (const SupportedOnnxOp &op : ops) {
    std::string versions;
    for (int v : op.versions)
      versions += (versions.empty() ? "" : ", ") + std::to_string(v);
    std::string domain = op.domain.empty() ? "ai.onnx" : op.domain;
    if (markdown)
      outs() << "| " << op.name << " | " << domain << " | " << versions << " | "
             << op.summary << " |\n";
    else
      outs() << domain << "::" << op.name << " [" << versions << "]\n";
  }
  return 0;
}
