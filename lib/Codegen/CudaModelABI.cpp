//===- CudaModelABI.cpp - the tfmrt ABI around a CUDA model's host code ---===//
//
// The same `<name>_model` and entry as for the CPU, with host tensors in and
// out (as ONNX Runtime's CUDA provider with host I/O). The entry starts the
// run (tfmrt_cuda_run_start: device, module and kernels on the first run),
// copies each input to a device buffer, calls the host code with the CUDA
// instance and kernel table, copies each output into the instance's arena
// and finishes the run, which waits and reports the first failure. The
// embedded PTX and kernel names become the `tfmrt_cuda_program`.
//
//===----------------------------------------------------------------------===//

#include "ModelABI.h"
#include "tfmc/Codegen/Gpu.h"
#include "tfmrt/tfmrt.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace llvm;
using namespace tfmc;

namespace {

class CudaABIBuilder : public ABIBuilder {
public:
  CudaABIBuilder(Module &module, const ModelSignature &signature,
                 ArrayRef<std::string> kernelNames, ArrayRef<int32_t> sharedInputs)
      : ABIBuilder(module, signature), kernelNames(kernelNames), sharedInputs(sharedInputs) {}

private:
  FunctionCallee runtime(StringRef name, Type *result, ArrayRef<Type *> params) {
    return module.getOrInsertFunction(name, FunctionType::get(result, params, false));
  }

  /// tfmrt_cuda_program { ptx, num_kernels, kernel_names }
  Constant *program() {
    Constant *ptx = ConstantPointerNull::get(ptr);
    if (GlobalVariable *text = module.getGlobalVariable(kCudaPtxGlobal, /*AllowInternal=*/true))
      ptx = text;
    Constant *names = ConstantPointerNull::get(ptr);
    if (!kernelNames.empty()) {
      SmallVector<Constant *> strings;
      for (const std::string &name : kernelNames)
        strings.push_back(string(name));
      auto *type = ArrayType::get(ptr, strings.size());
      names = new GlobalVariable(module, type, true, GlobalValue::PrivateLinkage,
                                 ConstantArray::get(type, strings), "tfmrt.kernels");
    }
    auto *type = StructType::get(ctx, {ptr, i32, ptr});
    return new GlobalVariable(
        module, type, true, GlobalValue::PrivateLinkage,
        ConstantStruct::get(type, {ptx, ConstantInt::get(i32, kernelNames.size()), names}),
        "tfmrt.cuda_program");
  }

  Value *byteCount(IRBuilder<> &b, Value *elements, int32_t dtype) {
    return b.CreateMul(elements, b.getInt64(tfmrt_dtype_size(dtype)));
  }

  Function *buildEntry(Function *model, std::string &error) override {
    Function *entry = createEntry();
    Value *instance = entry->getArg(0);
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", entry));
    Value *cudaSlot = b.CreateAlloca(ptr), *kernelsSlot = b.CreateAlloca(ptr);
    returnOnFailure(b, b.CreateCall(runtime("tfmrt_cuda_run_start", i32, {ptr, ptr, ptr, ptr}),
                                    {instance, program(), cudaSlot, kernelsSlot}));
    Value *cuda = b.CreateLoad(ptr, cudaSlot);
    FunctionCallee alloc = runtime("tfmrt_cuda_alloc", i64, {ptr, i64});
    FunctionCallee allocShared = runtime("tfmrt_cuda_alloc_shared", i64, {ptr, i64});
    FunctionCallee toDevice = runtime("tfmrt_cuda_copy_to_device", i32, {ptr, i64, ptr, i64});
    FunctionCallee toHost = runtime("tfmrt_cuda_copy_to_host", i32, {ptr, ptr, i64, i64});
    FunctionCallee finish = runtime("tfmrt_cuda_run_finish", i32, {ptr, ptr});

    // A failed allocation or copy makes the run's later ones do nothing, so
    // their statuses wait for tfmrt_cuda_run_finish.
    SmallVector<Value *> args{cuda, b.CreateLoad(ptr, kernelsSlot)};
    for (auto [i, input] : llvm::enumerate(signature.inputs)) {
      Value *tensor = b.CreateConstGEP1_64(tensorType, entry->getArg(1), i);
      Value *data = b.CreateLoad(ptr, b.CreateStructGEP(tensorType, tensor, 0));
      SmallVector<Value *> sizes, strides;
      inputShape(b, tensor, input.dims.size(), sizes, strides);
      Value *elements = b.getInt64(1);
      for (Value *size : sizes)
        elements = b.CreateMul(elements, size);
      Value *bytes = byteCount(b, elements, input.dtype);
      bool shared = llvm::is_contained(sharedInputs, int32_t(i));
      Value *address = b.CreateCall(shared ? allocShared : alloc, {cuda, bytes});
      b.CreateCall(toDevice, {cuda, address, data, bytes});
      appendTensorArgs(b, args, b.CreateIntToPtr(address, ptr), sizes, strides);
    }
    Value *result = callModel(b, entry, model, args, error);
    if (!result)
      return nullptr;
    // After a failure the results are poison: report it instead.
    Function *status = cast<Function>(
        runtime("tfmrt_cuda_instance_status", i32, {ptr}).getCallee());
    BasicBlock *failed = BasicBlock::Create(ctx, "failed", entry);
    BasicBlock *outputs = BasicBlock::Create(ctx, "outputs", entry);
    b.CreateCondBr(b.CreateICmpNE(b.CreateCall(status, {cuda}), b.getInt32(TFMRT_OK)), failed,
                   outputs);
    b.SetInsertPoint(failed);
    b.CreateRet(b.CreateCall(finish, {instance, cuda}));
    b.SetInsertPoint(outputs);
    FunctionCallee hostAlloc = runtime("tfmrt_alloc", ptr, {ptr, i64});
    for (auto [j, output] : llvm::enumerate(signature.outputs)) {
      Value *desc = signature.outputs.size() == 1 ? result : b.CreateExtractValue(result, j);
      Value *tensor = b.CreateConstGEP1_64(tensorType, entry->getArg(2), j);
      Value *device = b.CreatePtrToInt(outputData(b, desc, output), i64);
      Value *elements = b.getInt64(1);
      for (unsigned d = 0; d < output.dims.size(); ++d)
        elements = b.CreateMul(elements, b.CreateExtractValue(desc, {3u, d}));
      Value *bytes = byteCount(b, elements, output.dtype);
      Value *host = b.CreateCall(hostAlloc, {instance, bytes});
      b.CreateCall(toHost, {cuda, host, device, bytes});
      storeOutput(b, tensor, desc, output, host);
    }
    b.CreateRet(b.CreateCall(finish, {instance, cuda}));
    return entry;
  }

  ArrayRef<std::string> kernelNames;
  ArrayRef<int32_t> sharedInputs;
};

} // namespace

bool tfmc::checkCudaSignature(const ModelSignature &signature, std::string &error) {
  for (const auto *tensors : {&signature.inputs, &signature.outputs})
    for (const TensorSignature &tensor : *tensors)
      if (tensor.kind != TFMRT_KIND_TENSOR || tensor.dtype == TFMRT_DTYPE_STRING) {
        error = "'" + tensor.name + "' is a " +
                (tensor.kind != TFMRT_KIND_TENSOR ? "sequence or optional" : "string tensor") +
                ": --target=cuda passes only numeric tensors so far";
        return false;
      }
  return true;
}

std::unique_ptr<Module> tfmc::translateWithCudaModelABI(mlir::ModuleOp module,
                                                        LLVMContext &llvmContext,
                                                        const ModelSignature &signature,
                                                        std::string *weights,
                                                        std::string &error) {
  if (!checkCudaSignature(signature, error))
    return nullptr;
  // What the host lowering recorded for the entry, read before translation.
  std::vector<std::string> kernelNames;
  if (auto names = module->getAttrOfType<mlir::ArrayAttr>(kCudaKernelNamesAttr))
    for (mlir::Attribute name : names)
      kernelNames.push_back(cast<mlir::StringAttr>(name).str());
  std::vector<int32_t> sharedInputs;
  if (auto shared = module->getAttrOfType<mlir::DenseI32ArrayAttr>(kCudaSharedInputsAttr))
    sharedInputs.assign(shared.asArrayRef().begin(), shared.asArrayRef().end());
  module->removeAttr(kCudaKernelNamesAttr);
  module->removeAttr(kCudaSharedInputsAttr);

  Function *model;
  std::unique_ptr<Module> llvmModule = translateModel(module, llvmContext, model, error);
  if (!llvmModule)
    return nullptr;
  for (StringRef generic : {"_mlir_memref_to_llvm_alloc", "_mlir_memref_to_llvm_aligned_alloc",
                            "_mlir_memref_to_llvm_free"})
    if (llvmModule->getFunction(generic)) {
      error = "the GPU host code allocates or frees host memory (" + generic.str() + ")";
      return nullptr;
    }
  CudaABIBuilder builder(*llvmModule, signature, kernelNames, sharedInputs);
  builder.moveWeights(model, weights, "tfmrt_cuda_weights");
  if (!builder.build(model, error))
    return nullptr;
  return llvmModule;
}
