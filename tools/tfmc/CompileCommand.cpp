//===- CompileCommand.cpp - tfmc compile ----------------------------------===//

#include "Commands.h"

#include "tfmc/Driver/Driver.h"

#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace tfmc;

int tfmc::cli::runCompile(const char *argv0) {
  CompileRequest request;
  std::string message;
  if (!readCompileRequest(request, message)) {
    errs() << "tfmc compile: " << message << "\n";
    return 1;
  }
  request.runtimeArchive = findRuntimeArchive(argv0);
  std::vector<std::string> written;
  if (!compileModelFile(request, written, message)) {
    errs() << message << "\n";
    return 1;
  }
  for (const std::string &file : written)
    outs() << "wrote " << file << "\n";
  return 0;
}
