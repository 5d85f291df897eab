//===- ModelABI.h - what the CPU and CUDA model ABIs share ------*- C++ -*-===//
//
// Both targets wrap the translated model function in the same tfmrt ABI: an
// entry function (tfmrt_entry_fn) that turns tfmrt_tensor arrays into memref
// descriptors and back, and the `<name>_model` description. They differ in
// where the entry puts the tensors' data: the CPU passes the caller's
// memory, the CUDA target copies to and from the device.
//
//===----------------------------------------------------------------------===//
#ifndef TFMC_CODEGEN_MODELABI_H
#define TFMC_CODEGEN_MODELABI_H

#include "tfmc/Codegen/Compiler.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

namespace tfmc {

class ABIBuilder {
public:
  ABIBuilder(llvm::Module &module, const ModelSignature &signature);
  virtual ~ABIBuilder() = default;

  /// Makes every defined function but the entry internal, builds the entry
  /// and `<name>_model`.
  bool build(llvm::Function *model, std::string &error);

  /// With `weights`, moves `model`'s large constants there, read through
  /// `getter` (externalizeWeights), and records the file's size and checksum.
  void moveWeights(llvm::Function *model, std::string *weights, llvm::StringRef getter);

protected:
  /// int32_t <name>_entry(tfmrt_instance *, const tfmrt_tensor *in, tfmrt_tensor *out)
  virtual llvm::Function *buildEntry(llvm::Function *model, std::string &error) = 0;

  llvm::Function *createEntry();
  /// &tensor->shape[d]
  llvm::Value *shapeSlot(llvm::IRBuilder<> &b, llvm::Value *tensor, unsigned d);
  /// The sizes of input `tensor` and their row-major strides.
  void inputShape(llvm::IRBuilder<> &b, llvm::Value *tensor, unsigned rank,
                  llvm::SmallVectorImpl<llvm::Value *> &sizes,
                  llvm::SmallVectorImpl<llvm::Value *> &strides);
  /// Fills output `tensor` from `desc` with its data at `data`; returns its
  /// element count.
  llvm::Value *storeOutput(llvm::IRBuilder<> &b, llvm::Value *tensor, llvm::Value *desc,
                           const TensorSignature &output, llvm::Value *data);
  /// The address of the first element of an output descriptor.
  llvm::Value *outputData(llvm::IRBuilder<> &b, llvm::Value *desc, const TensorSignature &output);
  /// Appends a tensor as the model function takes it: allocated and aligned
  /// pointer (both `data`), offset 0, sizes, strides.
  static void appendTensorArgs(llvm::IRBuilder<> &b, llvm::SmallVectorImpl<llvm::Value *> &args,
                               llvm::Value *data, llvm::ArrayRef<llvm::Value *> sizes,
                               llvm::ArrayRef<llvm::Value *> strides);
  /// Calls `model` with `args` from `entry`; null, with `entry` erased, when
  /// the model takes another number of values.
  llvm::Value *callModel(llvm::IRBuilder<> &b, llvm::Function *entry, llvm::Function *model,
                         llvm::ArrayRef<llvm::Value *> args, std::string &error);
  /// Returns `status` from the function being built when it is not TFMRT_OK.
  void returnOnFailure(llvm::IRBuilder<> &b, llvm::Value *status);
  llvm::Constant *string(llvm::StringRef text);
  /// Extra fields' hook: `<name>_model` records the weights file here.
  uint64_t weightsBytes = 0, weightsChecksum = 0;

  llvm::Module &module;
  llvm::LLVMContext &ctx;
  const ModelSignature &signature;
  llvm::PointerType *ptr;
  llvm::IntegerType *i32, *i64;
  llvm::StructType *tensorType, *descType;

private:
  template <typename T>
  llvm::Constant *array(llvm::ArrayRef<T> values, llvm::Type *element);
  llvm::Constant *tensorDescs(llvm::ArrayRef<TensorSignature> tensors);
  void buildDescription(llvm::Function *entry);
};

/// Translates an MLIR module whose model function is in the LLVM dialect.
std::unique_ptr<llvm::Module> translateModel(mlir::ModuleOp module,
                                             llvm::LLVMContext &llvmContext,
                                             llvm::Function *&model, std::string &error);

} // namespace tfmc

#endif // TFMC_CODEGEN_MODELABI_H
