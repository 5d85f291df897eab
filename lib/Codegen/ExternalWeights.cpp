//===- ExternalWeights.cpp - large constants to a side file ---------------===//
//
// After translation a weight is a private constant global (from a
// memref.global) that the model function addresses directly or through
// constant expressions. With --external-weights each large one becomes an
// offset into the weights file: its bytes are appended to the blob and its
// uses read `tfmrt_weights(instance) + offset`, the base fetched once at the
// model function's entry.
//
//===----------------------------------------------------------------------===//

#include "ExternalWeights.h"

#include "tfmrt/tfmrt.h"

#include "llvm/ADT/APInt.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/ReplaceConstant.h"
#include "llvm/Support/MathExtras.h"

using namespace llvm;
using namespace tfmc;

namespace {

/// Appends `bits` little-endian, padded with zeros to `size` bytes.
void appendInteger(const APInt &bits, uint64_t size, std::string &out) {
  for (uint64_t i = 0; i < size; ++i)
    out.push_back(i * 8 < bits.getBitWidth()
                      ? static_cast<char>(bits.extractBitsAsZExtValue(
                            std::min<unsigned>(8, bits.getBitWidth() - i * 8), i * 8))
                      : '\0');
}

/// Appends the bytes `c` has in memory on a little-endian target; false for
/// anything but plain numbers, arrays of them and zeros.
bool appendBytes(const DataLayout &layout, const Constant *c, std::string &out) {
  uint64_t size = layout.getTypeAllocSize(c->getType());
  if (isa<ConstantAggregateZero>(c)) {
    out.append(size, '\0');
    return true;
  }
  if (auto *data = dyn_cast<ConstantDataSequential>(c)) {
    StringRef raw = data->getRawDataValues();
    if (raw.size() != size)
      return false;
    out.append(raw.data(), raw.size());
    return true;
  }
  if (auto *array = dyn_cast<ConstantArray>(c)) {
    for (const Use &element : array->operands())
      if (!appendBytes(layout, cast<Constant>(element.get()), out))
        return false;
    return true;
  }
  if (auto *integer = dyn_cast<ConstantInt>(c)) {
    if (integer->getBitWidth() != 1 && integer->getBitWidth() % 8 != 0)
      return false;
    appendInteger(integer->getValue(), size, out);
    return true;
  }
  if (auto *fp = dyn_cast<ConstantFP>(c)) {
    appendInteger(fp->getValueAPF().bitcastToAPInt(), size, out);
    return true;
  }
  return false;
}

/// Whether every use of `global` is an instruction in `model`.
bool onlyUsedBy(GlobalVariable &global, Function *model) {
  return all_of(global.users(), [&](User *user) {
    auto *inst = dyn_cast<Instruction>(user);
    return inst && inst->getFunction() == model;
  });
}

} // namespace

uint64_t tfmc::weightsChecksum(StringRef bytes) {
  return tfmrt_weights_checksum(bytes.data(), bytes.size());
}

void tfmc::externalizeWeights(Module &module, Function *model, std::string &weights,
                              StringRef getter) {
  const DataLayout &layout = module.getDataLayout();
  SmallVector<GlobalVariable *> candidates;
  for (GlobalVariable &global : module.globals())
    if (global.isConstant() && global.hasInitializer() && global.hasLocalLinkage() &&
        global.getAddressSpace() == 0 &&
        layout.getTypeAllocSize(global.getValueType()) > kMinExternalWeightBytes &&
        global.getAlign().valueOrOne().value() <= 4096) // the mapping is page aligned
      candidates.push_back(&global);
  if (candidates.empty())
    return;

  LLVMContext &ctx = module.getContext();
  PointerType *ptr = PointerType::getUnqual(ctx);
  Function *getWeights = cast<Function>(
      module.getOrInsertFunction(getter, FunctionType::get(ptr, {ptr}, false))
          .getCallee());
  getWeights->setDoesNotThrow();
  getWeights->setWillReturn();
  getWeights->setOnlyReadsMemory();
  getWeights->setOnlyAccessesArgMemory();
  getWeights->addRetAttr(Attribute::getWithAlignment(ctx, Align(kExternalWeightAlignment)));

  // The base and the weights' addresses come first in the entry block (after
  // its allocas), where they dominate every use.
  BasicBlock &entry = model->getEntryBlock();
  BasicBlock::iterator at = entry.getFirstInsertionPt();
  while (at != entry.end() && isa<AllocaInst>(*at))
    ++at;
  IRBuilder<> b(&entry, at);
  Value *base = nullptr;

  for (GlobalVariable *global : candidates) {
    // Constant expressions (a GEP into the weight, a ptrtoint) become
    // instructions so that each use can take a value computed at run time.
    convertUsersOfConstantsToInstructions({global});
    if (global->use_empty() || !onlyUsedBy(*global, model))
      continue;
    size_t start = weights.size();
    uint64_t alignment = std::max<uint64_t>(kExternalWeightAlignment,
                                            global->getAlign().valueOrOne().value());
    weights.resize(alignTo(start, alignment), '\0');
    uint64_t offset = weights.size();
    if (!appendBytes(layout, global->getInitializer(), weights)) {
      weights.resize(start);
      continue;
    }
    if (!base)
      base = b.CreateCall(getWeights, {model->getArg(0)}, "weights");
    Value *address = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), base, offset,
                                                  global->getName());
    global->replaceAllUsesWith(address);
    global->eraseFromParent();
  }
  if (!base)
    getWeights->eraseFromParent();
}
