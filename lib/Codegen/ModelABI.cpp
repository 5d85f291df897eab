//===- ModelABI.cpp - the tfmrt ABI around the translated model -----------===//
//
// After translation the model is an internal function taking the instance
// pointer and expanded memref descriptors, returning descriptor structs.
// This file adds what the runtime calls: an entry function converting
// tfmrt_tensor arrays to and from descriptors, and the `<name>_model`
// description; and it sends every allocation to the instance's arena. With
// external weights, large constants first leave the module (ExternalWeights).
// CudaModelABI.cpp builds the CUDA target's entry on the same base.
//
//===----------------------------------------------------------------------===//

#include "ModelABI.h"
#include "ExternalWeights.h"
#include "tfmrt/tfmrt.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

using namespace llvm;
using namespace tfmc;

#ifndef TFMC_VERSION
#define TFMC_VERSION "unknown"
#endif

ABIBuilder::ABIBuilder(Module &module, const ModelSignature &signature)
    : module(module), ctx(module.getContext()), signature(signature),
      ptr(PointerType::getUnqual(ctx)), i32(Type::getInt32Ty(ctx)), i64(Type::getInt64Ty(ctx)),
      tensorType(StructType::get(ctx, {ptr, i32, i32, ArrayType::get(i64, TFMRT_MAX_RANK)})),
      descType(StructType::get(ctx, {ptr, i32, i32, ptr, ptr, i32})) {}

bool ABIBuilder::build(Function *model, std::string &error) {
  model->setName(signature.name + "_impl");
  for (Function &f : module)
    if (!f.isDeclaration())
      f.setLinkage(GlobalValue::InternalLinkage);
  Function *entry = buildEntry(model, error);
  if (!entry)
    return false;
  buildDescription(entry);
  return true;
}

void ABIBuilder::moveWeights(Function *model, std::string *weights, StringRef getter) {
  if (!weights)
    return;
  externalizeWeights(module, model, *weights, getter);
  weightsBytes = weights->size();
  weightsChecksum = weightsBytes ? tfmc::weightsChecksum(*weights) : 0;
}

Function *ABIBuilder::createEntry() {
  auto *type = FunctionType::get(i32, {ptr, ptr, ptr}, false);
  return Function::Create(type, GlobalValue::InternalLinkage, signature.name + "_entry", module);
}

Value *ABIBuilder::shapeSlot(IRBuilder<> &b, Value *tensor, unsigned d) {
  return b.CreateGEP(tensorType, tensor, {b.getInt32(0), b.getInt32(3), b.getInt32(d)});
}

void ABIBuilder::inputShape(IRBuilder<> &b, Value *tensor, unsigned rank,
                            SmallVectorImpl<Value *> &sizes, SmallVectorImpl<Value *> &strides) {
  for (unsigned d = 0; d < rank; ++d)
    sizes.push_back(b.CreateLoad(i64, shapeSlot(b, tensor, d)));
  strides.resize(rank);
  Value *stride = b.getInt64(1);
  for (int d = static_cast<int>(rank) - 1; d >= 0; --d) {
    strides[d] = stride;
    stride = b.CreateMul(stride, sizes[d]);
  }
}

Value *ABIBuilder::outputData(IRBuilder<> &b, Value *desc, const TensorSignature &output) {
  Value *aligned = b.CreateExtractValue(desc, 1);
  Value *offset = b.CreateExtractValue(desc, 2);
  Value *byteOffset = b.CreateMul(offset, b.getInt64(tfmrt_dtype_size(output.dtype)));
  return b.CreateGEP(b.getInt8Ty(), aligned, byteOffset);
}

Value *ABIBuilder::storeOutput(IRBuilder<> &b, Value *tensor, Value *desc,
                               const TensorSignature &output, Value *data) {
  b.CreateStore(data, b.CreateStructGEP(tensorType, tensor, 0));
  b.CreateStore(b.getInt32(output.dtype), b.CreateStructGEP(tensorType, tensor, 1));
  b.CreateStore(b.getInt32(output.dims.size()), b.CreateStructGEP(tensorType, tensor, 2));
  Value *count = b.getInt64(1);
  for (unsigned d = 0; d < output.dims.size(); ++d) {
    Value *size = b.CreateExtractValue(desc, {3u, d});
    b.CreateStore(size, shapeSlot(b, tensor, d));
    count = b.CreateMul(count, size);
  }
  return count;
}

void ABIBuilder::appendTensorArgs(IRBuilder<> &b, SmallVectorImpl<Value *> &args, Value *data,
                                  ArrayRef<Value *> sizes, ArrayRef<Value *> strides) {
  args.append({data, data, b.getInt64(0)});
  args.append(sizes.begin(), sizes.end());
  args.append(strides.begin(), strides.end());
}

Value *ABIBuilder::callModel(IRBuilder<> &b, Function *entry, Function *model,
                             ArrayRef<Value *> args, std::string &error) {
  if (args.size() == model->arg_size())
    return b.CreateCall(model, args);
  error = "the model function takes " + std::to_string(model->arg_size()) +
          " values, the signature gives " + std::to_string(args.size());
  entry->eraseFromParent();
  return nullptr;
}

void ABIBuilder::returnOnFailure(IRBuilder<> &b, Value *status) {
  Function *function = b.GetInsertBlock()->getParent();
  BasicBlock *failed = BasicBlock::Create(ctx, "failed", function);
  BasicBlock *next = BasicBlock::Create(ctx, "next", function);
  b.CreateCondBr(b.CreateICmpNE(status, b.getInt32(TFMRT_OK)), failed, next);
  b.SetInsertPoint(failed);
  b.CreateRet(status);
  b.SetInsertPoint(next);
}

Constant *ABIBuilder::string(StringRef text) {
  auto *init = ConstantDataArray::getString(ctx, text);
  auto *global = new GlobalVariable(module, init->getType(), true, GlobalValue::PrivateLinkage,
                                    init, "tfmrt.str");
  global->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  return global;
}

template <typename T>
Constant *ABIBuilder::array(ArrayRef<T> values, Type *element) {
  if (values.empty())
    return ConstantPointerNull::get(ptr);
  SmallVector<Constant *> items;
  for (T v : values)
    items.push_back(ConstantInt::get(element, v));
  auto *type = ArrayType::get(element, items.size());
  return new GlobalVariable(module, type, true, GlobalValue::PrivateLinkage,
                            ConstantArray::get(type, items), "tfmrt.dims");
}

Constant *ABIBuilder::tensorDescs(ArrayRef<TensorSignature> tensors) {
  SmallVector<Constant *> items;
  for (const TensorSignature &t : tensors)
    items.push_back(ConstantStruct::get(
        descType, {string(t.name), ConstantInt::get(i32, t.dtype),
                   ConstantInt::get(i32, t.ranked ? int32_t(t.dims.size()) : -1),
                   array<int64_t>(t.dims, i64), array<int32_t>(t.symbols, i32),
                   ConstantInt::get(i32, t.kind)}));
  auto *type = ArrayType::get(descType, items.size());
  return new GlobalVariable(module, type, true, GlobalValue::PrivateLinkage,
                            ConstantArray::get(type, items), "tfmrt.tensors");
}

void ABIBuilder::buildDescription(Function *entry) {
  SmallVector<Constant *> symbolNames;
  for (const std::string &s : signature.symbols)
    symbolNames.push_back(string(s));
  Constant *symbols = ConstantPointerNull::get(ptr);
  if (!symbolNames.empty()) {
    auto *type = ArrayType::get(ptr, symbolNames.size());
    symbols = new GlobalVariable(module, type, true, GlobalValue::PrivateLinkage,
                                 ConstantArray::get(type, symbolNames), "tfmrt.symbols");
  }
  auto *modelType =
      StructType::get(ctx, {i32, i32, i32, i32, ptr, ptr, ptr, ptr, ptr, ptr, i64, i64, i32});
  Constant *init = ConstantStruct::get(
      modelType,
      {ConstantInt::get(i32, TFMRT_ABI_VERSION), ConstantInt::get(i32, signature.inputs.size()),
       ConstantInt::get(i32, signature.outputs.size()),
       ConstantInt::get(i32, signature.symbols.size()), string(signature.name),
       string(TFMC_VERSION), tensorDescs(signature.inputs), tensorDescs(signature.outputs),
       symbols, entry, ConstantInt::get(i64, weightsBytes),
       ConstantInt::get(i64, weightsChecksum), ConstantInt::get(i32, signature.kernelIsa)});
  new GlobalVariable(module, modelType, true, GlobalValue::ExternalLinkage, init,
                     signature.name + "_model");
}

namespace {

/// The CPU: tensors stay where the caller has them; allocations come from
/// the instance's arena.
class CpuABIBuilder : public ABIBuilder {
public:
  CpuABIBuilder(Module &module, const ModelSignature &signature, std::string *weights)
      : ABIBuilder(module, signature), weights(weights) {}

  bool prepare(Function *model, std::string &error) {
    if (model->arg_size() == 0 || !model->getArg(0)->getType()->isPointerTy()) {
      error = "the model function has no instance argument";
      return false;
    }
    if (!routeAllocations(model, error))
      return false;
    moveWeights(model, weights, "tfmrt_weights");
    return true;
  }

private:
  /// `_mlir_memref_to_llvm_{alloc,aligned_alloc,free}` become arena calls
  /// with the instance argument of the function they are in.
  bool routeAllocations(Function *model, std::string &error) {
    FunctionCallee alloc = module.getOrInsertFunction(
        "tfmrt_alloc", FunctionType::get(ptr, {ptr, i64}, false));
    FunctionCallee release = module.getOrInsertFunction(
        "tfmrt_free", FunctionType::get(Type::getVoidTy(ctx), {ptr, ptr}, false));
    // Each block the arena hands out is fresh memory, as from malloc: knowing
    // that buffers do not alias lets LLVM keep a reduction's accumulator in a
    // register and vectorize loops that read one buffer and write another.
    if (auto *allocFn = dyn_cast<Function>(alloc.getCallee()))
      allocFn->addRetAttr(Attribute::NoAlias);
    for (StringRef name : {"_mlir_memref_to_llvm_alloc", "_mlir_memref_to_llvm_aligned_alloc",
                           "_mlir_memref_to_llvm_free"}) {
      Function *generic = module.getFunction(name);
      if (!generic)
        continue;
      for (User *user : make_early_inc_range(generic->users())) {
        auto *call = dyn_cast<CallInst>(user);
        if (!call || call->getFunction() != model) {
          error = ("an allocation outside the model function (" + name + ")").str();
          return false;
        }
        IRBuilder<> b(call);
        Value *instance = model->getArg(0);
        Value *replacement;
        if (name.ends_with("free"))
          replacement = b.CreateCall(release, {instance, call->getArgOperand(0)});
        else
          replacement =
              b.CreateCall(alloc, {instance, call->getArgOperand(call->arg_size() - 1)});
        if (!call->getType()->isVoidTy())
          call->replaceAllUsesWith(replacement);
        call->eraseFromParent();
      }
      generic->eraseFromParent();
    }
    return true;
  }

  Function *buildEntry(Function *model, std::string &error) override {
    Function *entry = createEntry();
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", entry));
    SmallVector<Value *> args{entry->getArg(0)};
    for (auto [i, input] : llvm::enumerate(signature.inputs)) {
      Value *tensor = b.CreateConstGEP1_64(tensorType, entry->getArg(1), i);
      Value *data = b.CreateLoad(ptr, b.CreateStructGEP(tensorType, tensor, 0));
      // A sequence or optional is the address of its value.
      if (input.kind != TFMRT_KIND_TENSOR) {
        args.push_back(data);
        continue;
      }
      SmallVector<Value *> sizes, strides;
      inputShape(b, tensor, input.dims.size(), sizes, strides);
      appendTensorArgs(b, args, data, sizes, strides);
    }
    Value *result = callModel(b, entry, model, args, error);
    if (!result)
      return nullptr;
    for (auto [j, output] : llvm::enumerate(signature.outputs)) {
      Value *desc = signature.outputs.size() == 1 ? result : b.CreateExtractValue(result, j);
      Value *tensor = b.CreateConstGEP1_64(tensorType, entry->getArg(2), j);
      if (output.kind != TFMRT_KIND_TENSOR) {
        FunctionCallee keepValue = module.getOrInsertFunction(
            "tfmrt_keep_value", FunctionType::get(i32, {ptr, i32, ptr, ptr}, false));
        returnOnFailure(b, b.CreateCall(keepValue, {entry->getArg(0), b.getInt32(output.kind), desc,
                                                    b.CreateStructGEP(tensorType, tensor, 0)}));
        b.CreateStore(b.getInt32(output.dtype), b.CreateStructGEP(tensorType, tensor, 1));
        b.CreateStore(b.getInt32(output.ranked ? output.dims.size() : -1),
                      b.CreateStructGEP(tensorType, tensor, 2));
        continue;
      }
      Value *data = outputData(b, desc, output);
      Value *count = storeOutput(b, tensor, desc, output, data);
      // A string output may point at an input's text: the instance keeps
      // copies, as it keeps every output.
      if (output.dtype == TFMRT_DTYPE_STRING) {
        FunctionCallee keepStrings = module.getOrInsertFunction(
            "tfmrt_keep_strings", FunctionType::get(i32, {ptr, ptr, i64}, false));
        returnOnFailure(b, b.CreateCall(keepStrings, {entry->getArg(0), data, count}));
      }
    }
    b.CreateRet(b.getInt32(0));
    return entry;
  }

  std::string *weights;
};

} // namespace

std::unique_ptr<Module> tfmc::translateModel(mlir::ModuleOp module, LLVMContext &llvmContext,
                                             Function *&model, std::string &error) {
  mlir::DialectRegistry registry;
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  module->getContext()->appendDialectRegistry(registry);

  // The model function is the module's public, defined LLVM function.
  std::string modelName;
  for (auto func : module.getOps<mlir::LLVM::LLVMFuncOp>())
    if (!func.isExternal() && func.getLinkage() == mlir::LLVM::Linkage::External &&
        !func.isPrivate())
      modelName = func.getName().str();
  std::unique_ptr<Module> llvmModule = mlir::translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule) {
    error = "translation to LLVM IR failed";
    return nullptr;
  }
  model = llvmModule->getFunction(modelName);
  if (!model) {
    error = "no model function after lowering";
    return nullptr;
  }
  return llvmModule;
}

std::unique_ptr<Module> tfmc::translateWithModelABI(mlir::ModuleOp module,
                                                    LLVMContext &llvmContext,
                                                    const ModelSignature &signature,
                                                    std::string *weights,
                                                    std::string &error) {
  Function *model;
  std::unique_ptr<Module> llvmModule = translateModel(module, llvmContext, model, error);
  if (!llvmModule)
    return nullptr;
  CpuABIBuilder builder(*llvmModule, signature, weights);
  if (!builder.prepare(model, error) || !builder.build(model, error))
    return nullptr;
  return llvmModule;
}
