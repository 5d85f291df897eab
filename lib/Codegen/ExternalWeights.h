//===- ExternalWeights.h - weights out of the object ------------*- C++ -*-===//
//
// `tfmc compile --external-weights`: the model's large constants move from
// the object's read-only data to `<name>.weights`, which the runtime maps.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_LIB_CODEGEN_EXTERNALWEIGHTS_H
#define TFMC_LIB_CODEGEN_EXTERNALWEIGHTS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Module.h"

#include <cstdint>
#include <string>

namespace tfmc {

/// Constants with more bytes than this leave the object; smaller ones stay.
constexpr uint64_t kMinExternalWeightBytes = 1024;
/// Each weight starts at a multiple of this in the file.
constexpr uint64_t kExternalWeightAlignment = 64;

/// Removes every large constant global that only `model` uses, appending its
/// bytes to `weights` (at 64-byte aligned offsets). The model function then
/// calls `getter` on its first argument once at entry (`tfmrt_weights` of
/// the instance; `tfmrt_cuda_weights` of the CUDA instance, whose host code
/// uploads the weights) and addresses each weight as base + offset. Globals
/// of other shapes stay in the module.
void externalizeWeights(llvm::Module &module, llvm::Function *model, std::string &weights,
                        llvm::StringRef getter);

/// The checksum the runtime checks the weights file against
/// (tfmrt_weights_checksum).
uint64_t weightsChecksum(llvm::StringRef bytes);

} // namespace tfmc

#endif // TFMC_LIB_CODEGEN_EXTERNALWEIGHTS_H
