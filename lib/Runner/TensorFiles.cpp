//===- TensorFiles.cpp - .pb and .npy tensor files ------------------------===//
//
// Built with -fexceptions (ONNX's protobuf headers need them); every public
// function catches everything and reports it as an error string.
//
//===----------------------------------------------------------------------===//

#include "tfmc/Runner/TensorFiles.h"

#include <onnx/onnx-data_pb.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

namespace fs = std::filesystem;
using onnx::TensorProto;

namespace tfmc::runner {

constexpr bool sameNumber(tfmrt_dtype ours, TensorProto::DataType onnx) {
  return static_cast<int>(ours) == static_cast<int>(onnx);
}
static_assert(sameNumber(TFMRT_DTYPE_F32, TensorProto::FLOAT) &&
                  sameNumber(TFMRT_DTYPE_U8, TensorProto::UINT8) &&
                  sameNumber(TFMRT_DTYPE_I8, TensorProto::INT8) &&
                  sameNumber(TFMRT_DTYPE_U16, TensorProto::UINT16) &&
                  sameNumber(TFMRT_DTYPE_I16, TensorProto::INT16) &&
                  sameNumber(TFMRT_DTYPE_I32, TensorProto::INT32) &&
                  sameNumber(TFMRT_DTYPE_I64, TensorProto::INT64) &&
                  sameNumber(TFMRT_DTYPE_BOOL, TensorProto::BOOL) &&
                  sameNumber(TFMRT_DTYPE_F16, TensorProto::FLOAT16) &&
                  sameNumber(TFMRT_DTYPE_F64, TensorProto::DOUBLE) &&
                  sameNumber(TFMRT_DTYPE_U32, TensorProto::UINT32) &&
                  sameNumber(TFMRT_DTYPE_U64, TensorProto::UINT64) &&
                  sameNumber(TFMRT_DTYPE_BF16, TensorProto::BFLOAT16),
              "tfmrt_dtype must follow onnx.TensorProto.DataType");

//===----------------------------------------------------------------------===//
// HostTensor and dtypes
//===----------------------------------------------------------------------===//

/// The product of `shape`, or -1 when a dimension is negative or it overflows.
static int64_t product(const std::vector<int64_t> &shape) {
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0 || __builtin_mul_overflow(count, d, &count))
      return -1;
  }
  return count;
}

int64_t HostTensor::numElements() const { return product(shape); }

tfmrt_tensor HostTensor::view() const {
  tfmrt_tensor t;
  std::memset(&t, 0, sizeof(t));
  t.data = data.empty() ? nullptr : const_cast<uint8_t *>(data.data());
  t.dtype = dtype;
  if (kind != TFMRT_KIND_TENSOR) {
    // The tensors' views, then the value that points at them.
    elementViews.clear();
    for (const HostTensor &element : elements)
      elementViews.push_back(element.view());
    t.rank = elements.empty() ? -1 : elementViews.front().rank;
    sequenceView = tfmrt_sequence{int64_t(elementViews.size()), elementViews.data()};
    bool isSequence = kind == TFMRT_KIND_SEQUENCE || kind == TFMRT_KIND_OPTIONAL_SEQUENCE;
    if (!present)
      t.data = nullptr;
    else if (isSequence)
      t.data = &sequenceView;
    else
      t.data = elementViews.empty() ? nullptr : &elementViews.front();
    return t;
  }
  if (isString()) {
    stringPointers.clear();
    for (const std::string &s : strings)
      stringPointers.push_back(s.c_str());
    t.data = stringPointers.empty() ? nullptr : stringPointers.data();
  }
  t.rank = static_cast<int32_t>(std::min<size_t>(shape.size(), INT32_MAX));
  for (size_t i = 0; i < shape.size() && i < TFMRT_MAX_RANK; ++i)
    t.shape[i] = shape[i];
  return t;
}

size_t dtypeSize(int32_t dtype) {
  return dtype == TFMRT_DTYPE_STRING ? 0 : tfmrt_dtype_size(dtype);
}

std::string dtypeName(int32_t dtype) {
  if (!tfmrt_dtype_size(dtype))
    return "dtype " + std::to_string(dtype);
  return tfmrt_dtype_name(dtype);
}

static std::string shapeString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

/// Checks dtype, dims and byte count of a tensor about to be written.
static bool checkWritable(const HostTensor &t, std::string &error) {
  int64_t count = t.numElements();
  if (count < 0) {
    error = "invalid shape " + shapeString(t.shape);
    return false;
  }
  if (t.isString()) {
    if (t.strings.size() == static_cast<uint64_t>(count))
      return true;
    error = "tensor holds " + std::to_string(t.strings.size()) + " strings, its shape " +
            shapeString(t.shape) + " needs " + std::to_string(count);
    return false;
  }
  size_t size = dtypeSize(t.dtype);
  if (!size) {
    error = "unsupported dtype " + std::to_string(t.dtype);
    return false;
  }
  if (t.data.size() / size != static_cast<uint64_t>(count) || t.data.size() % size) {
    error = "tensor holds " + std::to_string(t.data.size()) + " bytes, its shape " +
            shapeString(t.shape) + " of " + dtypeName(t.dtype) + " needs " +
            std::to_string(static_cast<uint64_t>(count) * size);
    return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

static bool readFile(const std::string &path, std::string &bytes, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size < 0) {
    error = path + ": cannot read";
    return false;
  }
  bytes.resize(static_cast<size_t>(size));
  if (size && !in.read(&bytes[0], size)) {
    error = path + ": cannot read: " + std::strerror(errno);
    return false;
  }
  return true;
}

static bool writeFile(const std::string &path, const std::string &head, const void *data,
                      size_t size, std::string &error) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    error = path + ": cannot create: " + std::strerror(errno);
    return false;
  }
  out.write(head.data(), static_cast<std::streamsize>(head.size()));
  if (size)
    out.write(static_cast<const char *>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) {
    error = path + ": cannot write: " + std::strerror(errno);
    return false;
  }
  return true;
}

/// Runs `body`, turning any exception into `error` (prefixed with `path`).
template <typename Fn>
static bool guarded(const std::string &path, std::string &error, Fn body) {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    error = path + ": out of memory";
  } catch (const std::exception &e) {
    error = path + ": " + e.what();
  } catch (...) {
    error = path + ": unexpected error";
  }
  return false;
}

//===----------------------------------------------------------------------===//
// onnx.TensorProto
//===----------------------------------------------------------------------===//

template <typename T, typename Values>
static void appendAs(std::vector<uint8_t> &bytes, const Values &values) {
  size_t at = bytes.size();
  bytes.resize(at + sizeof(T) * static_cast<size_t>(values.size()));
  for (auto v : values) {
    T t = static_cast<T>(v);
    std::memcpy(&bytes[at], &t, sizeof(T));
    at += sizeof(T);
  }
}

static std::string describe(const TensorProto &t) {
  return t.name().empty() ? std::string("tensor") : "tensor '" + t.name() + "'";
}

static std::string onnxTypeName(int type) {
  if (TensorProto::DataType_IsValid(type))
    return TensorProto::DataType_Name(static_cast<TensorProto::DataType>(type));
  return "data type " + std::to_string(type);
}

static bool fromTensorProto(const TensorProto &t, const std::string &path, HostTensor &out,
                            std::string &error);

/// The bytes of a proto file of at most 2 GiB.
static bool readProtoFile(const std::string &path, std::string &bytes, std::string &error) {
  if (!readFile(path, bytes, error))
    return false;
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    error = path + ": file is larger than 2 GiB, too large for a protobuf message";
    return false;
  }
  return true;
}

static bool readTensorProtoImpl(const std::string &path, HostTensor &out, std::string &error) {
  std::string bytes;
  if (!readProtoFile(path, bytes, error))
    return false;
  TensorProto t;
  if (!t.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    error = path + ": not a TensorProto";
    return false;
  }
  bytes.clear();
  bytes.shrink_to_fit();
  return fromTensorProto(t, path, out, error);
}

/// `t` as a HostTensor; `path` prefixes errors.
static bool fromTensorProto(const TensorProto &t, const std::string &path, HostTensor &out,
                            std::string &error) {
  if (t.data_type() == TensorProto::UNDEFINED) {
    error = path + ": not a TensorProto (no data type)";
    return false;
  }
  if (t.data_location() == TensorProto::EXTERNAL || t.external_data_size() > 0) {
    std::string location;
    for (const auto &entry : t.external_data())
      if (entry.key() == "location")
        location = entry.value();
    error = path + ": " + describe(t) + " keeps its data in an external file" +
            (location.empty() ? std::string() : " ('" + location + "')") +
            ", which is not supported";
    return false;
  }
  if (t.has_segment()) {
    // Real writers never split tensors; a SequenceProto or OptionalProto
    // (also in ONNX's backend data) parses this way.
    error = path + ": not a TensorProto (a sequence or optional?) or a segmented one, which is "
                   "not supported";
    return false;
  }
  bool isString = t.data_type() == TensorProto::STRING;
  size_t size = isString ? 1 : dtypeSize(t.data_type());
  if (!size) {
    error = path + ": " + describe(t) + " has unsupported element type " +
            onnxTypeName(t.data_type());
    return false;
  }

  HostTensor result;
  result.name = t.name();
  result.dtype = t.data_type();
  result.shape.assign(t.dims().begin(), t.dims().end());
  int64_t count = result.numElements();
  if (isString) {
    if (count < 0 || t.string_data_size() != count) {
      error = path + ": " + describe(t) + " holds " + std::to_string(t.string_data_size()) +
              " strings, its shape " + shapeString(result.shape) + " needs " +
              std::to_string(count);
      return false;
    }
    result.strings.assign(t.string_data().begin(), t.string_data().end());
    out = std::move(result);
    return true;
  }
  if (count < 0 || static_cast<uint64_t>(count) > SIZE_MAX / size) {
    error = path + ": not a valid TensorProto (" + describe(t) + " has shape " +
            shapeString(result.shape) + ")";
    return false;
  }

  std::vector<uint8_t> &data = result.data;
  if (t.has_raw_data()) {
    const std::string &raw = t.raw_data();
    data.assign(raw.begin(), raw.end());
  } else {
    switch (t.data_type()) {
    case TensorProto::FLOAT: appendAs<float>(data, t.float_data()); break;
    case TensorProto::DOUBLE: appendAs<double>(data, t.double_data()); break;
    case TensorProto::INT64: appendAs<int64_t>(data, t.int64_data()); break;
    case TensorProto::UINT32: appendAs<uint32_t>(data, t.uint64_data()); break;
    case TensorProto::UINT64: appendAs<uint64_t>(data, t.uint64_data()); break;
    case TensorProto::INT32: appendAs<int32_t>(data, t.int32_data()); break;
    case TensorProto::INT16: appendAs<int16_t>(data, t.int32_data()); break;
    case TensorProto::INT8: appendAs<int8_t>(data, t.int32_data()); break;
    case TensorProto::UINT16:
    case TensorProto::FLOAT16:
    case TensorProto::BFLOAT16: appendAs<uint16_t>(data, t.int32_data()); break;
    case TensorProto::UINT8: appendAs<uint8_t>(data, t.int32_data()); break;
    case TensorProto::BOOL: {
      data.reserve(static_cast<size_t>(t.int32_data_size()));
      for (int32_t v : t.int32_data())
        data.push_back(v != 0);
      break;
    }
    default: break; // unreachable: dtypeSize() accepted it
    }
  }
  uint64_t needed = static_cast<uint64_t>(count) * size;
  if (data.size() != needed) {
    error = path + ": " + describe(t) + " holds " + std::to_string(data.size()) +
            " bytes of data, its shape " + shapeString(result.shape) + " of " +
            dtypeName(result.dtype) + " needs " + std::to_string(needed);
    return false;
  }
  out = std::move(result);
  return true;
}

bool readTensorProto(const std::string &path, HostTensor &out, std::string &error) {
  return guarded(path, error, [&] { return readTensorProtoImpl(path, out, error); });
}

/// `tensor` (a plain one) as a TensorProto; false with `why` when it is
/// not consistent.
static bool toTensorProto(const HostTensor &tensor, TensorProto &t, std::string &why) {
  if (!checkWritable(tensor, why))
    return false;
  if (!tensor.name.empty())
    t.set_name(tensor.name);
  t.set_data_type(tensor.dtype);
  for (int64_t d : tensor.shape)
    t.add_dims(d);
  if (tensor.isString())
    for (const std::string &text : tensor.strings)
      t.add_string_data(text);
  else
    t.set_raw_data(tensor.data.data(), tensor.data.size());
  return true;
}

/// `value` as the proto its kind is written as.
static bool toProto(const HostTensor &value, std::unique_ptr<google::protobuf::Message> &proto,
                    std::string &why) {
  if (value.kind == TFMRT_KIND_TENSOR) {
    auto t = std::make_unique<TensorProto>();
    if (!toTensorProto(value, *t, why))
      return false;
    proto = std::move(t);
    return true;
  }
  auto fillSequence = [&](onnx::SequenceProto &sequence) {
    sequence.set_elem_type(onnx::SequenceProto::TENSOR);
    for (const HostTensor &element : value.elements)
      if (!toTensorProto(element, *sequence.add_tensor_values(), why))
        return false;
    return true;
  };
  if (value.kind == TFMRT_KIND_SEQUENCE) {
    auto sequence = std::make_unique<onnx::SequenceProto>();
    sequence->set_name(value.name);
    if (!fillSequence(*sequence))
      return false;
    proto = std::move(sequence);
    return true;
  }
  auto optional = std::make_unique<onnx::OptionalProto>();
  optional->set_name(value.name);
  if (value.present && value.kind == TFMRT_KIND_OPTIONAL_SEQUENCE) {
    optional->set_elem_type(onnx::OptionalProto::SEQUENCE);
    if (!fillSequence(*optional->mutable_sequence_value()))
      return false;
  } else if (value.present && !value.elements.empty()) {
    optional->set_elem_type(onnx::OptionalProto::TENSOR);
    if (!toTensorProto(value.elements.front(), *optional->mutable_tensor_value(), why))
      return false;
  }
  proto = std::move(optional);
  return true;
}

bool writeTensorProto(const std::string &path, const HostTensor &tensor, std::string &error) {
  return guarded(path, error, [&] {
    std::string why;
    std::unique_ptr<google::protobuf::Message> proto;
    if (!toProto(tensor, proto, why)) {
      error = path + ": " + why;
      return false;
    }
    if (proto->ByteSizeLong() > static_cast<size_t>(INT_MAX)) {
      error = path + ": tensor is too large for a TensorProto (2 GiB at most)";
      return false;
    }
    std::string bytes;
    if (!proto->SerializeToString(&bytes)) {
      error = path + ": cannot serialize the " + proto->GetTypeName();
      return false;
    }
    return writeFile(path, bytes, nullptr, 0, error);
  });
}

/// The tensors of `sequence` into `out.elements`.
static bool fromSequenceProto(const onnx::SequenceProto &sequence, const std::string &path,
                              HostTensor &out, std::string &error) {
  if (sequence.elem_type() != onnx::SequenceProto::TENSOR &&
      !(sequence.elem_type() == onnx::SequenceProto::UNDEFINED &&
        sequence.tensor_values_size() == 0)) {
    error = path + ": a sequence of other than tensors, which is not supported";
    return false;
  }
  for (const TensorProto &t : sequence.tensor_values()) {
    HostTensor element;
    if (!fromTensorProto(t, path, element, error))
      return false;
    out.dtype = element.dtype;
    out.elements.push_back(std::move(element));
  }
  return true;
}

static bool readValueProtoImpl(const std::string &path, int32_t kind, HostTensor &out,
                               std::string &error) {
  std::string bytes;
  if (!readProtoFile(path, bytes, error))
    return false;
  HostTensor result;
  result.kind = kind;
  if (kind == TFMRT_KIND_SEQUENCE) {
    onnx::SequenceProto sequence;
    if (!sequence.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      error = path + ": not a SequenceProto";
      return false;
    }
    result.name = sequence.name();
    if (!fromSequenceProto(sequence, path, result, error))
      return false;
    out = std::move(result);
    return true;
  }
  onnx::OptionalProto optional;
  if (!optional.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    error = path + ": not an OptionalProto";
    return false;
  }
  result.name = optional.name();
  bool wantsSequence = kind == TFMRT_KIND_OPTIONAL_SEQUENCE;
  if (optional.has_sequence_value() != wantsSequence && optional.has_sequence_value()) {
    error = path + ": an optional sequence where the model takes an optional tensor";
    return false;
  }
  if (optional.has_tensor_value() && wantsSequence) {
    error = path + ": an optional tensor where the model takes an optional sequence";
    return false;
  }
  result.present = optional.has_sequence_value() || optional.has_tensor_value();
  if (optional.has_sequence_value() &&
      !fromSequenceProto(optional.sequence_value(), path, result, error))
    return false;
  if (optional.has_tensor_value()) {
    HostTensor element;
    if (!fromTensorProto(optional.tensor_value(), path, element, error))
      return false;
    result.dtype = element.dtype;
    result.elements.push_back(std::move(element));
  }
  out = std::move(result);
  return true;
}

bool readValueProto(const std::string &path, int32_t kind, HostTensor &out, std::string &error) {
  if (kind == TFMRT_KIND_TENSOR)
    return readTensorProto(path, out, error);
  return guarded(path, error, [&] { return readValueProtoImpl(path, kind, out, error); });
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

namespace {
/// The few Python literals a .npy header dict holds.
struct HeaderParser {
  const std::string &s;
  size_t pos = 0;

  void skipSpace() {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
      ++pos;
  }
  bool consume(char c) {
    skipSpace();
    if (pos < s.size() && s[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    skipSpace();
    return pos < s.size() && s[pos] == c;
  }
  bool string(std::string &out) {
    skipSpace();
    if (pos >= s.size() || (s[pos] != '\'' && s[pos] != '"'))
      return false;
    char quote = s[pos++];
    size_t end = s.find(quote, pos);
    if (end == std::string::npos)
      return false;
    out = s.substr(pos, end - pos);
    pos = end + 1;
    return true;
  }
  bool word(std::string &out) {
    skipSpace();
    size_t start = pos;
    while (pos < s.size() && (std::isalnum(static_cast<unsigned char>(s[pos])) || s[pos] == '_'))
      ++pos;
    out = s.substr(start, pos - start);
    return !out.empty();
  }
  bool integer(int64_t &out) {
    skipSpace();
    size_t start = pos;
    uint64_t v = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (v > (uint64_t(INT64_MAX) - 9) / 10)
        return false;
      v = v * 10 + uint64_t(s[pos++] - '0');
    }
    if (pos == start)
      return false;
    if (pos < s.size() && (s[pos] == 'L' || s[pos] == 'l')) // Python 2 longs
      ++pos;
    out = static_cast<int64_t>(v);
    return true;
  }
  bool tuple(std::vector<int64_t> &out) {
    if (!consume('('))
      return false;
    out.clear();
    while (!consume(')')) {
      int64_t v;
      if (!integer(v))
        return false;
      out.push_back(v);
      if (!consume(',') && !peek(')'))
        return false;
    }
    return true;
  }
};

struct NpyType {
  const char *code;
  int32_t dtype;
};
constexpr NpyType npyTypes[] = {
    {"f4", TFMRT_DTYPE_F32}, {"f8", TFMRT_DTYPE_F64}, {"f2", TFMRT_DTYPE_F16},
    {"i1", TFMRT_DTYPE_I8},  {"i2", TFMRT_DTYPE_I16}, {"i4", TFMRT_DTYPE_I32},
    {"i8", TFMRT_DTYPE_I64}, {"u1", TFMRT_DTYPE_U8},  {"u2", TFMRT_DTYPE_U16},
    {"u4", TFMRT_DTYPE_U32}, {"u8", TFMRT_DTYPE_U64}, {"b1", TFMRT_DTYPE_BOOL},
};
} // namespace

/// The tfmrt_dtype of a .npy descr, or 0.
static int32_t npyDtype(const std::string &descr) {
  if (descr.size() != 3)
    return 0;
  char order = descr[0];
  std::string code = descr.substr(1);
  for (const NpyType &t : npyTypes) {
    if (code != t.code)
      continue;
    bool oneByte = dtypeSize(t.dtype) == 1;
    // This library assumes a little-endian host, as tfmrt does.
    if (order == '<' || order == '=' || (oneByte && (order == '|' || order == '>')))
      return t.dtype;
    return 0;
  }
  return 0;
}

static std::string npyDescr(int32_t dtype) {
  for (const NpyType &t : npyTypes)
    if (t.dtype == dtype)
      return std::string(dtypeSize(dtype) == 1 ? "|" : "<") + t.code;
  return {};
}

/// The width n of NumPy's little-endian UTF-32 string dtype "<U<n>", or -1.
static int64_t npyStringWidth(const std::string &descr) {
  if (descr.size() < 3 || (descr[0] != '<' && descr[0] != '=') || descr[1] != 'U' ||
      descr.size() > 12 || descr.find_first_not_of("0123456789", 2) != std::string::npos)
    return -1;
  return std::stoll(descr.substr(2));
}

static void appendUtf8(std::string &out, uint32_t c) {
  if (c < 0x80) {
    out += char(c);
  } else if (c < 0x800) {
    out += char(0xc0 | c >> 6);
    out += char(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += char(0xe0 | c >> 12);
    out += char(0x80 | (c >> 6 & 0x3f));
    out += char(0x80 | (c & 0x3f));
  } else {
    out += char(0xf0 | c >> 18);
    out += char(0x80 | (c >> 12 & 0x3f));
    out += char(0x80 | (c >> 6 & 0x3f));
    out += char(0x80 | (c & 0x3f));
  }
}

/// The code points of UTF-8 `text`; a byte that starts no valid sequence
/// is read as Latin-1.
static std::vector<uint32_t> codePoints(const std::string &text) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < text.size();) {
    auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
    uint8_t lead = byte(i);
    int extra = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
    uint32_t c = extra ? lead & (0x3f >> extra) : lead;
    bool valid = lead < 0x80 || (extra && lead < 0xf8 && i + extra < text.size());
    for (int k = 1; valid && k <= extra; ++k) {
      valid = (byte(i + k) & 0xc0) == 0x80;
      c = c << 6 | (byte(i + k) & 0x3f);
    }
    if (!valid) {
      out.push_back(lead);
      ++i;
      continue;
    }
    out.push_back(c);
    i += 1 + extra;
  }
  return out;
}

static std::string stemOf(const std::string &path) { return fs::path(path).stem().string(); }

static bool readNpyImpl(const std::string &path, HostTensor &out, std::string &error) {
  std::string bytes;
  if (!readFile(path, bytes, error))
    return false;
  static const char magic[] = "\x93NUMPY";
  if (bytes.size() < 10 || bytes.compare(0, 6, magic, 6) != 0) {
    error = path + ": not a .npy file";
    return false;
  }
  unsigned major = static_cast<uint8_t>(bytes[6]);
  size_t headerLen, headerStart;
  auto byteAt = [&](size_t i) { return static_cast<size_t>(static_cast<uint8_t>(bytes[i])); };
  if (major == 1) {
    headerLen = byteAt(8) | byteAt(9) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) {
      error = path + ": truncated .npy header";
      return false;
    }
    headerLen = byteAt(8) | byteAt(9) << 8 | byteAt(10) << 16 | byteAt(11) << 24;
    headerStart = 12;
  } else {
    error = path + ": unsupported .npy format version " + std::to_string(major) + "." +
            std::to_string(static_cast<uint8_t>(bytes[7]));
    return false;
  }
  if (headerLen > bytes.size() - headerStart) {
    error = path + ": truncated .npy header";
    return false;
  }
  std::string header = bytes.substr(headerStart, headerLen);
  size_t dataStart = headerStart + headerLen;

  std::string descr;
  bool haveDescr = false, haveOrder = false, haveShape = false, fortran = false;
  std::vector<int64_t> shape;
  HeaderParser p{header};
  bool ok = p.consume('{');
  while (ok && !p.consume('}')) {
    std::string key;
    ok = p.string(key) && p.consume(':');
    if (!ok)
      break;
    if (key == "descr") {
      ok = p.string(descr);
      if (!ok && p.peek('[')) {
        error = path + ": structured dtypes are not supported";
        return false;
      }
      haveDescr = true;
    } else if (key == "fortran_order") {
      std::string w;
      ok = p.word(w) && (w == "True" || w == "False");
      fortran = w == "True";
      haveOrder = true;
    } else if (key == "shape") {
      ok = p.tuple(shape);
      haveShape = true;
    } else {
      ok = false;
    }
    if (ok && !p.consume(',') && !p.peek('}'))
      ok = false;
  }
  if (!ok || !haveDescr || !haveOrder || !haveShape) {
    error = path + ": malformed .npy header: " + header.substr(0, header.find_last_not_of(" \n") + 1);
    return false;
  }
  if (fortran) {
    error = path + ": Fortran-order arrays are not supported (save with C order)";
    return false;
  }
  int64_t width = npyStringWidth(descr);
  int32_t dtype = width >= 0 ? int32_t(TFMRT_DTYPE_STRING) : npyDtype(descr);
  if (!dtype) {
    error = path + ": unsupported dtype '" + descr + "'";
    return false;
  }
  if (width >= 0) {
    int64_t count = product(shape);
    uint64_t needed = uint64_t(count) * uint64_t(width) * 4;
    if (count < 0 || width > (1 << 24) || bytes.size() - dataStart != needed) {
      error = path + ": holds " + std::to_string(bytes.size() - dataStart) +
              " bytes of data, shape " + shapeString(shape) + " of " + descr + " needs " +
              std::to_string(needed);
      return false;
    }
    HostTensor result;
    result.name = stemOf(path);
    result.dtype = dtype;
    result.shape = std::move(shape);
    for (int64_t i = 0; i < count; ++i) {
      std::string text;
      for (int64_t k = 0; k < width; ++k) {
        size_t at = dataStart + size_t((i * width + k) * 4);
        uint32_t c = uint32_t(byteAt(at)) | uint32_t(byteAt(at + 1)) << 8 |
                     uint32_t(byteAt(at + 2)) << 16 | uint32_t(byteAt(at + 3)) << 24;
        if (c == 0)
          break; // NumPy pads with NULs
        appendUtf8(text, c);
      }
      result.strings.push_back(std::move(text));
    }
    out = std::move(result);
    return true;
  }
  size_t size = dtypeSize(dtype);
  int64_t count = product(shape);
  if (count < 0 || static_cast<uint64_t>(count) > SIZE_MAX / size) {
    error = path + ": invalid shape " + shapeString(shape);
    return false;
  }
  uint64_t needed = static_cast<uint64_t>(count) * size;
  uint64_t have = bytes.size() - dataStart;
  if (have != needed) {
    error = path + ": holds " + std::to_string(have) + " bytes of data, shape " +
            shapeString(shape) + " of " + dtypeName(dtype) + " needs " + std::to_string(needed);
    return false;
  }
  HostTensor result;
  result.name = stemOf(path);
  result.dtype = dtype;
  result.shape = std::move(shape);
  result.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(dataStart), bytes.end());
  out = std::move(result);
  return true;
}

bool readNpy(const std::string &path, HostTensor &out, std::string &error) {
  return guarded(path, error, [&] { return readNpyImpl(path, out, error); });
}

bool writeNpy(const std::string &path, const HostTensor &tensor, std::string &error) {
  return guarded(path, error, [&] {
    if (tensor.kind != TFMRT_KIND_TENSOR) {
      error = path + ": a sequence or optional has no .npy form (write a .pb instead)";
      return false;
    }
    std::string why;
    if (!checkWritable(tensor, why)) {
      error = path + ": " + why;
      return false;
    }
    std::string descr = npyDescr(tensor.dtype);
    std::string stringData;
    if (tensor.isString()) {
      std::vector<std::vector<uint32_t>> texts;
      size_t width = 1;
      for (const std::string &text : tensor.strings) {
        texts.push_back(codePoints(text));
        width = std::max(width, texts.back().size());
      }
      descr = "<U" + std::to_string(width);
      stringData.assign(texts.size() * width * 4, '\0');
      for (size_t i = 0; i < texts.size(); ++i)
        for (size_t k = 0; k < texts[i].size(); ++k)
          for (int b = 0; b < 4; ++b)
            stringData[(i * width + k) * 4 + b] = char(texts[i][k] >> (8 * b) & 0xff);
    }
    if (descr.empty()) {
      error = path + ": " + dtypeName(tensor.dtype) + " has no .npy dtype (write a .pb instead)";
      return false;
    }
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (";
    for (size_t i = 0; i < tensor.shape.size(); ++i)
      dict += (i ? ", " : "") + std::to_string(tensor.shape[i]);
    if (tensor.shape.size() == 1)
      dict += ",";
    dict += "), }";
    // Pad with spaces and a newline so the data starts 64-byte aligned.
    auto padded = [&](size_t prefix) {
      std::string h = dict;
      size_t total = prefix + h.size() + 1;
      h.append((64 - total % 64) % 64, ' ');
      h += '\n';
      return h;
    };
    std::string head = "\x93NUMPY";
    std::string header = padded(10);
    if (header.size() <= 0xffff) {
      head += '\x01';
      head += '\x00';
      head += static_cast<char>(header.size() & 0xff);
      head += static_cast<char>(header.size() >> 8);
    } else {
      header = padded(12);
      head += '\x02';
      head += '\x00';
      for (int i = 0; i < 4; ++i)
        head += static_cast<char>((header.size() >> (8 * i)) & 0xff);
    }
    head += header;
    if (tensor.isString())
      return writeFile(path, head, stringData.data(), stringData.size(), error);
    return writeFile(path, head, tensor.data.data(), tensor.data.size(), error);
  });
}

//===----------------------------------------------------------------------===//
// Test-data directories
//===----------------------------------------------------------------------===//

/// The k of "<prefix><k>.pb", or -1.
static int64_t indexedName(const std::string &file, const std::string &prefix) {
  const std::string suffix = ".pb";
  if (file.size() <= prefix.size() + suffix.size() || file.compare(0, prefix.size(), prefix) ||
      file.compare(file.size() - suffix.size(), suffix.size(), suffix))
    return -1;
  std::string digits = file.substr(prefix.size(), file.size() - prefix.size() - suffix.size());
  if (digits.size() > 9 || !std::all_of(digits.begin(), digits.end(),
                                        [](char c) { return c >= '0' && c <= '9'; }))
    return -1;
  return std::stoll(digits);
}

static bool readIndexed(const std::string &dir, const std::string &prefix,
                        const std::map<int64_t, std::string> &files,
                        const std::vector<int32_t> &kinds, std::vector<HostTensor> &out,
                        std::string &error) {
  int64_t next = 0;
  for (const auto &[index, path] : files) {
    if (index != next) {
      error = dir + ": " + prefix + std::to_string(next) + ".pb is missing (found " + prefix +
              std::to_string(index) + ".pb)";
      return false;
    }
    ++next;
    HostTensor t;
    int32_t kind = size_t(index) < kinds.size() ? kinds[size_t(index)] : TFMRT_KIND_TENSOR;
    if (!readValueProto(path, kind, t, error))
      return false;
    out.push_back(std::move(t));
  }
  return true;
}

static bool readTestDataImpl(const std::string &dir, std::vector<HostTensor> &inputs,
                             std::vector<HostTensor> &expected, std::string &error,
                             const std::vector<int32_t> &inputKinds,
                             const std::vector<int32_t> &outputKinds) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    error = dir + ": not a directory";
    return false;
  }
  std::map<int64_t, std::string> pbInputs, pbOutputs;
  std::map<std::string, std::string> npyInputs, npyExpected; // file name -> path
  fs::directory_iterator it(dir, ec), end;
  if (ec) {
    error = dir + ": cannot list: " + ec.message();
    return false;
  }
  for (; it != end; it.increment(ec)) {
    if (ec) {
      error = dir + ": cannot list: " + ec.message();
      return false;
    }
    std::error_code fileEc;
    if (!it->is_regular_file(fileEc))
      continue;
    std::string file = it->path().filename().string();
    std::string path = it->path().string();
    int64_t k;
    if ((k = indexedName(file, "input_")) >= 0)
      pbInputs[k] = path;
    else if ((k = indexedName(file, "output_")) >= 0)
      pbOutputs[k] = path;
    else if (file.size() > 4 && file.compare(file.size() - 4, 4, ".npy") == 0)
      (file.rfind("expected_", 0) == 0 ? npyExpected : npyInputs)[file] = path;
  }
  if (ec) {
    error = dir + ": cannot list: " + ec.message();
    return false;
  }

  std::vector<HostTensor> ins, outs;
  if (!pbInputs.empty() || !pbOutputs.empty()) {
    if (!readIndexed(dir, "input_", pbInputs, inputKinds, ins, error) ||
        !readIndexed(dir, "output_", pbOutputs, outputKinds, outs, error))
      return false;
  } else if (!npyInputs.empty() || !npyExpected.empty()) {
    for (const auto &entry : npyInputs) {
      HostTensor t;
      if (!readNpy(entry.second, t, error))
        return false;
      ins.push_back(std::move(t));
    }
    for (const auto &entry : npyExpected) {
      HostTensor t;
      if (!readNpy(entry.second, t, error))
        return false;
      t.name = t.name.substr(std::string("expected_").size());
      outs.push_back(std::move(t));
    }
  } else {
    error = dir + ": no input_*.pb or *.npy files";
    return false;
  }
  inputs = std::move(ins);
  expected = std::move(outs);
  return true;
}

bool readTestData(const std::string &dir, std::vector<HostTensor> &inputs,
                  std::vector<HostTensor> &expected, std::string &error,
                  const std::vector<int32_t> &inputKinds,
                  const std::vector<int32_t> &outputKinds) {
  return guarded(dir, error, [&] {
    return readTestDataImpl(dir, inputs, expected, error, inputKinds, outputKinds);
  });
}

} // namespace tfmc::runner
