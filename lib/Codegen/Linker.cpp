//===- Linker.cpp - shared libraries through the system compiler driver ---===//

#include "tfmc/Codegen/Compiler.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace llvm;

std::string tfmc::findRuntimeArchive(const char *argv0) {
  std::string exe = sys::fs::getMainExecutable(argv0, reinterpret_cast<void *>(&findRuntimeArchive));
  SmallString<256> path(sys::path::parent_path(sys::path::parent_path(exe)));
  sys::path::append(path, "lib", "libtfmrt.a");
  return std::string(path);
}

std::string tfmc::siblingArchive(StringRef runtimeArchive, StringRef name) {
  SmallString<256> path(sys::path::parent_path(runtimeArchive));
  sys::path::append(path, name);
  return std::string(path);
}

bool tfmc::linkSharedLibrary(StringRef objectPath, StringRef libraryPath,
                             ArrayRef<std::string> runtimeArchives, std::string &error) {
  ErrorOr<std::string> driver = sys::findProgramByName("cc");
  if (!driver) {
    error = "no C compiler driver ('cc') on PATH to link a shared library";
    return false;
  }
  for (const std::string &archive : runtimeArchives)
    if (!sys::fs::exists(archive)) {
      error = "runtime library not found: " + archive;
      return false;
    }
  // The runtime goes inside, hidden: the library exports only the model.
  SmallVector<StringRef> args{*driver, "-shared", "-o", libraryPath, objectPath};
  args.append(runtimeArchives.begin(), runtimeArchives.end());
  // -ldl: the CUDA loader opens the driver at run time.
  args.append({"-Wl,--exclude-libs,ALL", "-lstdc++", "-lm", "-lpthread", "-ldl"});
  std::string message;
  int rc = sys::ExecuteAndWait(*driver, args, std::nullopt, {}, 0, 0, &message);
  if (rc != 0) {
    error = "linking " + libraryPath.str() + " failed" + (message.empty() ? "" : ": " + message);
    return false;
  }
  return true;
}
