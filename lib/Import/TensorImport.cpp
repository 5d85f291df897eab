//===- TensorImport.cpp - ONNX element types and tensors ------------------===//

#include "TensorImport.h"

#include "tfmc/Dialect/Tfm.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/MathExtras.h"

#include <cstring>

using namespace mlir;
using namespace tfmc;
using onnx::TensorProto;

Type tfmc::convertElementType(MLIRContext &ctx, int dataType) {
  auto sInt = [&](unsigned w) { return IntegerType::get(&ctx, w); };
  auto uInt = [&](unsigned w) { return IntegerType::get(&ctx, w, IntegerType::Unsigned); };
  switch (dataType) {
  case TensorProto::FLOAT: return Float32Type::get(&ctx);
  case TensorProto::DOUBLE: return Float64Type::get(&ctx);
  case TensorProto::FLOAT16: return Float16Type::get(&ctx);
  case TensorProto::BFLOAT16: return BFloat16Type::get(&ctx);
  case TensorProto::INT8: return sInt(8);
  case TensorProto::INT16: return sInt(16);
  case TensorProto::INT32: return sInt(32);
  case TensorProto::INT64: return sInt(64);
  case TensorProto::UINT8: return uInt(8);
  case TensorProto::UINT16: return uInt(16);
  case TensorProto::UINT32: return uInt(32);
  case TensorProto::UINT64: return uInt(64);
  case TensorProto::BOOL: return sInt(1);
  case TensorProto::STRING: return tfm::StringType::get(&ctx);
  default: return {};
  }
}

std::string tfmc::dataTypeName(int dataType) {
  if (TensorProto::DataType_IsValid(dataType))
    return TensorProto::DataType_Name(static_cast<TensorProto::DataType>(dataType));
  // Types newer than ONNX 1.12 (float8, int4, ...).
  return "data type " + std::to_string(dataType);
}

/// How messages name a tensor; those inside Constant nodes have no name.
static std::string describe(const TensorProto &t) {
  return t.name().empty() ? std::string("the constant tensor") : "tensor '" + t.name() + "'";
}

/// Appends `values` to `bytes` as `T`, little-endian (the host order here).
template <typename T, typename Src>
static void appendAs(std::string &bytes, const Src &values) {
  for (auto v : values) {
    T t = static_cast<T>(v);
    bytes.append(reinterpret_cast<const char *>(&t), sizeof(T));
  }
}

/// The raw little-endian bytes of a tensor, from raw_data or the typed field.
static bool rawBytes(const TensorProto &t, std::string &bytes, std::string &error) {
  if (t.has_raw_data()) {
    bytes = t.raw_data();
    return true;
  }
  switch (t.data_type()) {
  case TensorProto::FLOAT: appendAs<float>(bytes, t.float_data()); return true;
  case TensorProto::DOUBLE: appendAs<double>(bytes, t.double_data()); return true;
  case TensorProto::INT64: appendAs<int64_t>(bytes, t.int64_data()); return true;
  case TensorProto::UINT32:
  case TensorProto::UINT64:
    if (t.data_type() == TensorProto::UINT32)
      appendAs<uint32_t>(bytes, t.uint64_data());
    else
      appendAs<uint64_t>(bytes, t.uint64_data());
    return true;
  case TensorProto::INT32: appendAs<int32_t>(bytes, t.int32_data()); return true;
  case TensorProto::INT16: appendAs<int16_t>(bytes, t.int32_data()); return true;
  case TensorProto::UINT16:
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16: appendAs<uint16_t>(bytes, t.int32_data()); return true;
  case TensorProto::INT8: appendAs<int8_t>(bytes, t.int32_data()); return true;
  case TensorProto::UINT8:
  case TensorProto::BOOL: appendAs<uint8_t>(bytes, t.int32_data()); return true;
  default:
    error = describe(t) + " has unsupported element type " +
            dataTypeName(t.data_type());
    return false;
  }
}

ElementsAttr tfmc::convertTensor(MLIRContext &ctx, const TensorProto &tensor,
                                 int64_t inlineLimit, std::string &error) {
  if (tensor.data_type() == TensorProto::STRING) {
    error = "string constants are not supported" +
            (tensor.name().empty() ? std::string() : " (tensor '" + tensor.name() + "')");
    return {};
  }
  Type element = convertElementType(ctx, tensor.data_type());
  if (!element) {
    error = describe(tensor) + " has unsupported element type " +
            dataTypeName(tensor.data_type());
    return {};
  }
  // The byte count is checked against the product of the dims, which must
  // not be negative (or wrap around) for that check to mean anything.
  size_t elementBytes = element.isInteger(1) ? 1 : element.getIntOrFloatBitWidth() / 8;
  int64_t count = 1, expectedBytes = elementBytes;
  for (int64_t d : tensor.dims()) {
    if (d < 0) {
      error = describe(tensor) + " has a negative dimension " + std::to_string(d);
      return {};
    }
    if (llvm::MulOverflow(count, d, count) ||
        llvm::MulOverflow(count, static_cast<int64_t>(elementBytes), expectedBytes)) {
      error = describe(tensor) + " has too many elements";
      return {};
    }
  }
  SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  auto type = RankedTensorType::get(shape, element);
  std::string bytes;
  if (!rawBytes(tensor, bytes, error))
    return {};
  if (bytes.size() != static_cast<uint64_t>(expectedBytes)) {
    error = describe(tensor) + " holds " + std::to_string(bytes.size()) +
            " bytes, expected " + std::to_string(expectedBytes);
    return {};
  }
  if (element.isInteger(1)) {
    SmallVector<bool> bits;
    for (char c : bytes)
      bits.push_back(c != 0);
    return DenseElementsAttr::get(type, bits);
  }
  if (count > inlineLimit) {
    std::string key = tensor.name().empty() ? "tensor" : tensor.name();
    // 64-byte alignment: code generated later loads weights with AVX-512.
    AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        ArrayRef<char>(bytes.data(), bytes.size()), /*align=*/64);
    return DenseResourceElementsAttr::get(type, key, std::move(blob));
  }
  bool detectedSplat = false;
  if (!DenseElementsAttr::isValidRawBuffer(type, ArrayRef<char>(bytes.data(), bytes.size()),
                                           detectedSplat)) {
    error = describe(tensor) + " has malformed data";
    return {};
  }
  return DenseElementsAttr::getFromRawBuffer(type, ArrayRef<char>(bytes.data(), bytes.size()));
}
