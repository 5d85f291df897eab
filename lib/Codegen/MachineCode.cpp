//===- MachineCode.cpp - LLVM IR to x86-64 objects in-process -------------===//

#include "tfmc/Codegen/Compiler.h"
#include "tfmrt/tfmrt.h"

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace llvm;
using namespace tfmc;

static OptimizationLevel optimizationLevel(unsigned level) {
  switch (level) {
  case 0: return OptimizationLevel::O0;
  case 1: return OptimizationLevel::O1;
  case 2: return OptimizationLevel::O2;
  default: return OptimizationLevel::O3;
  }
}

/// The host's CPU and features, or a named CPU with its default features.
static std::pair<std::string, std::string> targetCpu(StringRef cpu) {
  if (cpu != "host")
    return {cpu.str(), ""};
  SubtargetFeatures features;
  for (const auto &feature : sys::getHostCPUFeatures())
    features.AddFeature(feature.getKey(), feature.getValue());
  return {sys::getHostCPUName().str(), features.getString()};
}

uint32_t tfmc::kernelIsaFor(StringRef cpu) {
  if (cpu == "host")
    return TFMRT_KERNEL_ISA_BEST;
  InitializeNativeTarget();
  std::string error;
  Triple triple(sys::getDefaultTargetTriple());
  const Target *target = TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return TFMRT_KERNEL_ISA_BEST;
  std::unique_ptr<MCSubtargetInfo> subtarget(target->createMCSubtargetInfo(triple, cpu, ""));
  if (!subtarget->isCPUStringValid(cpu))
    return TFMRT_KERNEL_ISA_BEST;
  if (subtarget->checkFeatures("+avx512f,+avx512vl,+fma"))
    return TFMRT_KERNEL_ISA_AVX512;
  if (subtarget->checkFeatures("+avx2,+fma"))
    return TFMRT_KERNEL_ISA_AVX2;
  return TFMRT_KERNEL_ISA_GENERIC;
}

bool tfmc::emitMachineCode(Module &module, const CompileOptions &options, OutputKind kind,
                           raw_pwrite_stream &os, std::string &error) {
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();
  Triple triple(sys::getDefaultTargetTriple());
  const Target *target = TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return false;
  auto [cpu, features] = targetCpu(options.cpu);
  std::unique_ptr<MCSubtargetInfo> subtarget(target->createMCSubtargetInfo(triple, "", ""));
  if (!subtarget->isCPUStringValid(cpu)) {
    error = "unknown CPU '" + cpu + "' (try host, x86-64-v3, x86-64-v4 or znver4)";
    return false;
  }
  CodeGenOptLevel codegenLevel = options.optLevel == 0   ? CodeGenOptLevel::None
                                 : options.optLevel >= 3 ? CodeGenOptLevel::Aggressive
                                                         : CodeGenOptLevel::Default;
  std::unique_ptr<TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, TargetOptions(), Reloc::PIC_, std::nullopt, codegenLevel));
  module.setTargetTriple(triple);
  module.setDataLayout(machine->createDataLayout());
  // LLVM's X86 tuning vectorizes with 256 bits on AVX-512 parts to spare
  // their clocks; the runtime's matmul kernels run 512-bit FMAs all along,
  // so the elementwise loops (GELU, LayerNorm, softmax) may as well.
  if (machine->getMCSubtargetInfo()->checkFeatures("+avx512f"))
    for (Function &function : module)
      if (!function.isDeclaration())
        function.addFnAttr("prefer-vector-width", "512");

  LoopAnalysisManager lam;
  FunctionAnalysisManager fam;
  CGSCCAnalysisManager cgam;
  ModuleAnalysisManager mam;
  PassBuilder builder(machine.get());
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  ModulePassManager passes = options.optLevel == 0
                                 ? builder.buildO0DefaultPipeline(OptimizationLevel::O0)
                                 : builder.buildPerModuleDefaultPipeline(
                                       optimizationLevel(options.optLevel));
  passes.run(module, mam);

  legacy::PassManager codegen;
  CodeGenFileType fileType =
      kind == OutputKind::Object ? CodeGenFileType::ObjectFile : CodeGenFileType::AssemblyFile;
  if (machine->addPassesToEmitFile(codegen, os, nullptr, fileType)) {
    error = "the target cannot emit this file type";
    return false;
  }
  codegen.run(module);
  return true;
}
