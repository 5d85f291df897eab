//===- tensor_files_test.cpp - TfmcRunner's tensor files and comparison ---===//
//
// Usage: tfmc-tensor-files-test <onnx-backend-data-dir> <scratch-dir>
// Returns non-zero when a check fails. <scratch-dir> must exist.
//
//===----------------------------------------------------------------------===//

#include "tfmc/Runner/TensorFiles.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

using namespace tfmc::runner;

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    ++checks;                                                                                      \
    if (!(cond)) {                                                                                 \
      ++failures;                                                                                  \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
    }                                                                                              \
  } while (0)

#define CHECK_MSG(cond, msg)                                                                       \
  do {                                                                                             \
    ++checks;                                                                                      \
    if (!(cond)) {                                                                                 \
      ++failures;                                                                                  \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s (%s)\n", __FILE__, __LINE__, #cond,           \
                   std::string(msg).c_str());                                                      \
    }                                                                                              \
  } while (0)

static bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

static std::string scratch;
static std::string onnxData;

static std::string at(const std::string &file) { return scratch + "/" + file; }

static void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

template <typename T> static T element(const HostTensor &t, size_t i) {
  T v;
  std::memcpy(&v, t.data.data() + i * sizeof(T), sizeof(T));
  return v;
}

template <typename T>
static HostTensor makeTensor(const std::string &name, int32_t dtype, std::vector<int64_t> shape,
                             const std::vector<T> &values) {
  HostTensor t;
  t.name = name;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.data.resize(values.size() * sizeof(T));
  if (!values.empty())
    std::memcpy(t.data.data(), values.data(), t.data.size());
  return t;
}

static const int32_t allDtypes[] = {
    TFMRT_DTYPE_F32, TFMRT_DTYPE_U8,  TFMRT_DTYPE_I8,  TFMRT_DTYPE_U16, TFMRT_DTYPE_I16,
    TFMRT_DTYPE_I32, TFMRT_DTYPE_I64, TFMRT_DTYPE_BOOL, TFMRT_DTYPE_F16, TFMRT_DTYPE_F64,
    TFMRT_DTYPE_U32, TFMRT_DTYPE_U64, TFMRT_DTYPE_BF16,
};

/// A tensor of `dtype` and `shape` with varied bytes (bools 0/1).
static HostTensor patterned(int32_t dtype, std::vector<int64_t> shape) {
  HostTensor t;
  t.name = "t_" + dtypeName(dtype);
  t.dtype = dtype;
  t.shape = std::move(shape);
  size_t bytes = size_t(t.numElements()) * dtypeSize(dtype);
  t.data.resize(bytes);
  for (size_t i = 0; i < bytes; ++i)
    t.data[i] = dtype == TFMRT_DTYPE_BOOL ? uint8_t(i % 3 == 0) : uint8_t(i * 37 + dtype);
  return t;
}

static bool same(const HostTensor &a, const HostTensor &b) {
  return a.dtype == b.dtype && a.shape == b.shape && a.data == b.data;
}

//===----------------------------------------------------------------------===//

static void testHelpers() {
  CHECK(dtypeSize(TFMRT_DTYPE_F32) == 4 && dtypeSize(TFMRT_DTYPE_BOOL) == 1 &&
        dtypeSize(TFMRT_DTYPE_BF16) == 2 && dtypeSize(TFMRT_DTYPE_U64) == 8 &&
        dtypeSize(8) == 0);
  CHECK(dtypeName(TFMRT_DTYPE_F32) == "float32" && dtypeName(99) == "dtype 99");
  CHECK(halfToDouble(0x3c00) == 1.0);
  CHECK(halfToDouble(0xc000) == -2.0);
  CHECK(halfToDouble(0x7bff) == 65504.0);
  CHECK(halfToDouble(0x0001) == std::ldexp(1.0, -24));
  CHECK(halfToDouble(0x8000) == 0.0 && std::signbit(halfToDouble(0x8000)));
  CHECK(std::isinf(halfToDouble(0x7c00)) && halfToDouble(0x7c00) > 0);
  CHECK(std::isinf(halfToDouble(0xfc00)) && halfToDouble(0xfc00) < 0);
  CHECK(std::isnan(halfToDouble(0x7e00)));
  CHECK(bfloat16ToDouble(0x3f80) == 1.0);
  CHECK(bfloat16ToDouble(0x4049) == 3.140625);
  CHECK(std::isnan(bfloat16ToDouble(0x7fc0)));

  HostTensor t = patterned(TFMRT_DTYPE_F32, {2, 3, 4});
  CHECK(t.numElements() == 24);
  HostTensor scalar = patterned(TFMRT_DTYPE_F32, {});
  CHECK(scalar.numElements() == 1);
  HostTensor bad;
  bad.shape = {2, -1};
  CHECK(bad.numElements() == -1);
  tfmrt_tensor v = t.view();
  CHECK(v.data == t.data.data() && v.dtype == TFMRT_DTYPE_F32 && v.rank == 3 && v.shape[0] == 2 &&
        v.shape[1] == 3 && v.shape[2] == 4);
  HostTensor copy = copyFromTfmrt(v, "copy");
  CHECK(copy.name == "copy" && same(copy, t));
  HostTensor empty = patterned(TFMRT_DTYPE_I64, {0, 5});
  HostTensor emptyCopy = copyFromTfmrt(empty.view(), "e");
  CHECK(same(emptyCopy, empty) && emptyCopy.data.empty());
}

static void testRoundTrips() {
  const std::vector<std::vector<int64_t>> shapes = {{}, {0}, {7}, {2, 3, 4}, {1, 1, 2, 1, 3}};
  for (int32_t dtype : allDtypes) {
    for (size_t s = 0; s < shapes.size(); ++s) {
      HostTensor t = patterned(dtype, shapes[s]);
      std::string error;
      std::string pb = at("rt_" + std::to_string(dtype) + "_" + std::to_string(s) + ".pb");
      HostTensor back;
      CHECK_MSG(writeTensorProto(pb, t, error), error);
      CHECK_MSG(readTensorProto(pb, back, error), error);
      CHECK_MSG(same(back, t) && back.name == t.name, pb);

      std::string stem = "rt_" + std::to_string(dtype) + "_" + std::to_string(s);
      std::string npy = at(stem + ".npy");
      if (dtype == TFMRT_DTYPE_BF16) {
        CHECK(!writeNpy(npy, t, error) && contains(error, "bfloat16") &&
              contains(error, npy));
        continue;
      }
      HostTensor npyBack;
      CHECK_MSG(writeNpy(npy, t, error), error);
      CHECK_MSG(readNpy(npy, npyBack, error), error);
      CHECK_MSG(same(npyBack, t) && npyBack.name == stem, npy);
    }
  }
  // Strings (UTF-8 in memory, UTF-32 in .npy), through views and copies.
  {
    HostTensor t;
    t.name = "texts";
    t.dtype = TFMRT_DTYPE_STRING;
    t.shape = {2, 2};
    t.strings = {"0.5", "", "h\xc3\xa9llo \xe2\x82\xac", "\xf0\x9f\x98\x80 four bytes"};
    std::string error;
    HostTensor back;
    CHECK_MSG(writeTensorProto(at("texts.pb"), t, error), error);
    CHECK_MSG(readTensorProto(at("texts.pb"), back, error), error);
    CHECK(back.isString() && back.shape == t.shape && back.strings == t.strings);
    CHECK_MSG(writeNpy(at("texts.npy"), t, error), error);
    CHECK_MSG(readNpy(at("texts.npy"), back, error), error);
    CHECK(back.isString() && back.shape == t.shape && back.strings == t.strings);
    std::ifstream in(at("texts.npy"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(contains(bytes, "'descr': '<U12'"));
    tfmrt_tensor v = t.view();
    CHECK(v.dtype == TFMRT_DTYPE_STRING &&
          std::strcmp(static_cast<const char *const *>(v.data)[2], t.strings[2].c_str()) == 0);
    HostTensor copy = copyFromTfmrt(v, "copy");
    CHECK(copy.strings == t.strings && compareTensors(v, t, 0, 0).ok);
    HostTensor other = t;
    other.strings[3] = "different";
    Comparison c = compareTensors(v, other, 1, 1);
    CHECK_MSG(!c.ok && contains(c.message, "1 of 4 strings differ; first at [1, 1]") &&
                  contains(c.message, "expected \"different\""),
              c.message);
  }
  // The .npy header is padded so the data starts 64-byte aligned.
  {
    std::ifstream in(at("rt_1_3.npy"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(bytes.size() == 128 + 24 * 4);
    CHECK(bytes.compare(0, 8, std::string("\x93NUMPY\x01\x00", 8)) == 0);
    CHECK(contains(bytes, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }"));
    CHECK(bytes[127] == '\n');
  }
  {
    std::ifstream in(at("rt_7_2.npy"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(contains(bytes, "'shape': (7,)"));
  }
  {
    std::ifstream in(at("rt_9_0.npy"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(contains(bytes, "'descr': '|b1'") && contains(bytes, "'shape': ()"));
  }

  // Writers check the tensor.
  std::string error;
  HostTensor wrong = patterned(TFMRT_DTYPE_F32, {2, 2});
  wrong.data.pop_back();
  CHECK(!writeTensorProto(at("wrong.pb"), wrong, error) && contains(error, "wrong.pb: ") &&
        contains(error, "needs 16"));
  CHECK(!writeNpy(at("wrong.npy"), wrong, error) && contains(error, "wrong.npy: "));
  HostTensor strings = patterned(TFMRT_DTYPE_F32, {1});
  strings.dtype = TFMRT_DTYPE_STRING;
  CHECK(!writeTensorProto(at("wrong.pb"), strings, error) &&
        contains(error, "holds 0 strings, its shape [1] needs 1"));
  HostTensor unknown = patterned(TFMRT_DTYPE_F32, {1});
  unknown.dtype = 99;
  CHECK(!writeTensorProto(at("wrong.pb"), unknown, error) && contains(error, "unsupported dtype"));
  CHECK(!writeNpy(at("no/such/dir/x.npy"), patterned(TFMRT_DTYPE_F32, {1}), error) &&
        contains(error, "cannot create"));
}

//===----------------------------------------------------------------------===//
// Hand-encoded TensorProtos (typed fields, strings, external data).

static void varint(std::string &out, uint64_t v) {
  while (v >= 0x80) {
    out += char((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += char(v);
}
static void field(std::string &out, int number, int wire) { varint(out, uint64_t(number) << 3 | wire); }
static void lengthDelimited(std::string &out, int number, const std::string &payload) {
  field(out, number, 2);
  varint(out, payload.size());
  out += payload;
}
/// TensorProto with dims, data_type and name.
static std::string protoHead(std::vector<int64_t> dims, int dataType, const std::string &name) {
  std::string out;
  for (int64_t d : dims) {
    field(out, 1, 0);
    varint(out, uint64_t(d));
  }
  field(out, 2, 0);
  varint(out, uint64_t(dataType));
  if (!name.empty())
    lengthDelimited(out, 8, name);
  return out;
}
static std::string packedVarints(const std::vector<int64_t> &values) {
  std::string p;
  for (int64_t v : values)
    varint(p, uint64_t(v));
  return p;
}
template <typename T> static std::string packedFixed(const std::vector<T> &values) {
  std::string p(values.size() * sizeof(T), '\0');
  if (!values.empty())
    std::memcpy(&p[0], values.data(), p.size());
  return p;
}

static HostTensor readProtoBytes(const std::string &file, const std::string &bytes) {
  writeBytes(at(file), bytes);
  HostTensor t;
  std::string error;
  CHECK_MSG(readTensorProto(at(file), t, error), error);
  return t;
}

static std::string readProtoError(const std::string &file, const std::string &bytes) {
  writeBytes(at(file), bytes);
  HostTensor t;
  std::string error;
  CHECK_MSG(!readTensorProto(at(file), t, error), file + " was accepted");
  CHECK_MSG(contains(error, at(file) + ": "), error);
  return error;
}

static void testTypedFields() {
  { // float_data (field 4)
    std::string b = protoHead({2}, 1, "f");
    lengthDelimited(b, 4, packedFixed<float>({1.5f, -2.0f}));
    HostTensor t = readProtoBytes("f.pb", b);
    CHECK(t.name == "f" && t.dtype == TFMRT_DTYPE_F32 && t.shape == std::vector<int64_t>{2});
    CHECK(t.data.size() == 8 && element<float>(t, 0) == 1.5f && element<float>(t, 1) == -2.0f);
  }
  { // int32_data (field 5) for int8, negative values sign-extended to 64 bits
    std::string b = protoHead({3}, 3, "i8");
    lengthDelimited(b, 5, packedVarints({-3, 5, 127}));
    HostTensor t = readProtoBytes("i8.pb", b);
    CHECK(t.dtype == TFMRT_DTYPE_I8 && t.data.size() == 3);
    CHECK(element<int8_t>(t, 0) == -3 && element<int8_t>(t, 1) == 5 && element<int8_t>(t, 2) == 127);
  }
  { // int32_data for int16 / uint16 / uint8 / int32
    std::string b = protoHead({2}, 5, "");
    lengthDelimited(b, 5, packedVarints({-300, 300}));
    HostTensor t = readProtoBytes("i16.pb", b);
    CHECK(t.name.empty() && t.dtype == TFMRT_DTYPE_I16 && element<int16_t>(t, 0) == -300 &&
          element<int16_t>(t, 1) == 300);
    b = protoHead({2}, 4, "");
    lengthDelimited(b, 5, packedVarints({65535, 7}));
    t = readProtoBytes("u16.pb", b);
    CHECK(t.dtype == TFMRT_DTYPE_U16 && element<uint16_t>(t, 0) == 65535 &&
          element<uint16_t>(t, 1) == 7);
    b = protoHead({2}, 2, "");
    lengthDelimited(b, 5, packedVarints({255, 1}));
    t = readProtoBytes("u8.pb", b);
    CHECK(t.dtype == TFMRT_DTYPE_U8 && t.data == std::vector<uint8_t>({255, 1}));
    b = protoHead({1, 2}, 6, "");
    lengthDelimited(b, 5, packedVarints({-2147483647 - 1, 2147483647}));
    t = readProtoBytes("i32.pb", b);
    CHECK(t.dtype == TFMRT_DTYPE_I32 && element<int32_t>(t, 0) == INT32_MIN &&
          element<int32_t>(t, 1) == INT32_MAX && t.shape == std::vector<int64_t>({1, 2}));
  }
  { // int32_data for bool (not packed: one varint field per element, as old writers do)
    std::string b = protoHead({3}, 9, "b");
    for (int64_t v : {1, 0, 1}) {
      field(b, 5, 0);
      varint(b, uint64_t(v));
    }
    HostTensor t = readProtoBytes("bool.pb", b);
    CHECK(t.dtype == TFMRT_DTYPE_BOOL && t.data == std::vector<uint8_t>({1, 0, 1}));
  }
  { // int32_data holding float16 / bfloat16 bit patterns
    std::string b = protoHead({2}, 10, "h");
    lengthDelimited(b, 5, packedVarints({0x3c00, 0xc000}));
    HostTensor t = readProtoBytes("f16.pb", b);
    CHECK(t.dtype == TFMRT_DTYPE_F16 && halfToDouble(element<uint16_t>(t, 0)) == 1.0 &&
          halfToDouble(element<uint16_t>(t, 1)) == -2.0);
    b = protoHead({1}, 16, "bf");
    lengthDelimited(b, 5, packedVarints({0x4049}));
    t = readProtoBytes("bf16.pb", b);
    CHECK(t.dtype == TFMRT_DTYPE_BF16 && bfloat16ToDouble(element<uint16_t>(t, 0)) == 3.140625);
  }
  { // int64_data (field 7), double_data (field 10), uint64_data (field 11)
    std::string b = protoHead({2}, 7, "");
    lengthDelimited(b, 7, packedVarints({-5, int64_t(1) << 40}));
    HostTensor t = readProtoBytes("i64.pb", b);
    CHECK(t.dtype == TFMRT_DTYPE_I64 && element<int64_t>(t, 0) == -5 &&
          element<int64_t>(t, 1) == int64_t(1) << 40);
    b = protoHead({2}, 11, "");
    lengthDelimited(b, 10, packedFixed<double>({0.1, -1e300}));
    t = readProtoBytes("f64.pb", b);
    CHECK(t.dtype == TFMRT_DTYPE_F64 && element<double>(t, 0) == 0.1 &&
          element<double>(t, 1) == -1e300);
    b = protoHead({2}, 12, "");
    lengthDelimited(b, 11, packedVarints({4000000000LL, 1}));
    t = readProtoBytes("u32.pb", b);
    CHECK(t.dtype == TFMRT_DTYPE_U32 && element<uint32_t>(t, 0) == 4000000000u &&
          element<uint32_t>(t, 1) == 1);
    b = protoHead({1}, 13, "");
    lengthDelimited(b, 11, packedVarints({int64_t(UINT64_MAX)}));
    t = readProtoBytes("u64.pb", b);
    CHECK(t.dtype == TFMRT_DTYPE_U64 && element<uint64_t>(t, 0) == UINT64_MAX);
  }
  { // A scalar and an empty tensor with no data field at all.
    std::string b = protoHead({}, 1, "s");
    lengthDelimited(b, 4, packedFixed<float>({42.0f}));
    HostTensor t = readProtoBytes("scalar.pb", b);
    CHECK(t.shape.empty() && element<float>(t, 0) == 42.0f);
    t = readProtoBytes("empty.pb", protoHead({0, 3}, 1, "e"));
    CHECK(t.shape == std::vector<int64_t>({0, 3}) && t.data.empty());
  }

  { // string_data (field 6): one entry per element.
    std::string b = protoHead({2}, 8, "s");
    lengthDelimited(b, 6, "hello");
    lengthDelimited(b, 6, "");
    HostTensor t = readProtoBytes("strings.pb", b);
    CHECK(t.isString() && t.strings == std::vector<std::string>({"hello", ""}) &&
          t.data.empty());
  }

  // Errors.
  std::string b = protoHead({2}, 8, "s");
  lengthDelimited(b, 6, "hello");
  std::string error = readProtoError("string.pb", b);
  CHECK_MSG(contains(error, "tensor 's' holds 1 strings, its shape [2] needs 2"), error);

  b = protoHead({4}, 1, "w");
  std::string entry;
  lengthDelimited(entry, 1, "location");
  lengthDelimited(entry, 2, "weights.bin");
  lengthDelimited(b, 13, entry);
  field(b, 14, 0);
  varint(b, 1);
  error = readProtoError("external.pb", b);
  CHECK_MSG(contains(error, "external") && contains(error, "weights.bin"), error);

  error = readProtoError("garbage.pb", "hello, this is text\n");
  CHECK_MSG(contains(error, "not a TensorProto"), error);
  error = readProtoError("truncated.pb", std::string("\xff\xff\xff", 3));
  CHECK_MSG(contains(error, "not a TensorProto"), error);
  error = readProtoError("nothing.pb", "");
  CHECK_MSG(contains(error, "not a TensorProto"), error);

  b = protoHead({3}, 1, "short");
  lengthDelimited(b, 4, packedFixed<float>({1.0f, 2.0f}));
  error = readProtoError("short.pb", b);
  CHECK_MSG(contains(error, "holds 8 bytes") && contains(error, "needs 12"), error);

  b = protoHead({2}, 1, "raw");
  lengthDelimited(b, 9, std::string(7, 'x'));
  error = readProtoError("raw.pb", b);
  CHECK_MSG(contains(error, "holds 7 bytes"), error);

  b = protoHead({INT64_MAX, 4}, 1, "huge");
  error = readProtoError("huge.pb", b);
  CHECK_MSG(contains(error, "huge.pb: "), error);

  error = readProtoError("c64.pb", protoHead({1}, 14, "c"));
  CHECK_MSG(contains(error, "unsupported element type COMPLEX64"), error);

  HostTensor t;
  CHECK(!readTensorProto(at("does-not-exist.pb"), t, error) && contains(error, "cannot open"));
}

//===----------------------------------------------------------------------===//
// Hand-written .npy files

static std::string npyFile(const std::string &dict, const std::string &data, int major = 1) {
  std::string header = dict;
  size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64)
    header += ' ';
  header += '\n';
  std::string out = std::string("\x93NUMPY", 6) + char(major) + '\0';
  out += char(header.size() & 0xff);
  out += char(header.size() >> 8);
  if (major != 1) {
    out += '\0';
    out += '\0';
  }
  return out + header + data;
}

static std::string readNpyError(const std::string &file, const std::string &bytes) {
  writeBytes(at(file), bytes);
  HostTensor t;
  std::string error;
  CHECK_MSG(!readNpy(at(file), t, error), file + " was accepted");
  CHECK_MSG(contains(error, at(file) + ": "), error);
  return error;
}

static void testNpy() {
  std::string error;
  HostTensor t;
  { // numpy's own spelling of a 1-byte type, a v2 and a v3 header.
    writeBytes(at("i1.npy"),
               npyFile("{'descr': '|i1', 'fortran_order': False, 'shape': (2, 2), }", "\x01\xff\x02\x03"));
    CHECK_MSG(readNpy(at("i1.npy"), t, error), error);
    CHECK(t.name == "i1" && t.dtype == TFMRT_DTYPE_I8 && t.shape == std::vector<int64_t>({2, 2}) &&
          element<int8_t>(t, 1) == -1);
    writeBytes(at("v2.npy"), npyFile("{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }",
                                     std::string("\x01\x00\x02\x00\xff\xff", 6), 2));
    CHECK_MSG(readNpy(at("v2.npy"), t, error), error);
    CHECK(t.dtype == TFMRT_DTYPE_I16 && t.shape == std::vector<int64_t>({3}) &&
          element<int16_t>(t, 2) == -1);
    writeBytes(at("v3.npy"), npyFile("{\"descr\": \"<u4\", \"shape\": (1,), \"fortran_order\": False}",
                                     std::string("\x07\x00\x00\x00", 4), 3));
    CHECK_MSG(readNpy(at("v3.npy"), t, error), error);
    CHECK(t.dtype == TFMRT_DTYPE_U32 && element<uint32_t>(t, 0) == 7);
    writeBytes(at("f2.npy"), npyFile("{'descr': '<f2', 'fortran_order': False, 'shape': (), }",
                                     std::string("\x00\x3c", 2)));
    CHECK_MSG(readNpy(at("f2.npy"), t, error), error);
    CHECK(t.dtype == TFMRT_DTYPE_F16 && t.shape.empty() && halfToDouble(element<uint16_t>(t, 0)) == 1.0);
    writeBytes(at("py2.npy"), npyFile("{'descr': '<i8', 'fortran_order': False, 'shape': (1L, 2L), }",
                                      std::string(16, '\0')));
    CHECK_MSG(readNpy(at("py2.npy"), t, error), error);
    CHECK(t.shape == std::vector<int64_t>({1, 2}));
  }

  error = readNpyError("c8.npy", npyFile("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }",
                                         std::string(8, '\0')));
  CHECK_MSG(contains(error, "c8.npy: unsupported dtype '<c8'"), error);
  error = readNpyError("be.npy", npyFile("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }",
                                         std::string(4, '\0')));
  CHECK_MSG(contains(error, "unsupported dtype '>f4'"), error);
  error = readNpyError("u.npy", npyFile("{'descr': '<U5', 'fortran_order': False, 'shape': (2,), }",
                                        std::string(20, '\0')));
  CHECK_MSG(contains(error, "holds 20 bytes of data, shape [2] of <U5 needs 40"), error);
  error = readNpyError("s.npy", npyFile("{'descr': '|S5', 'fortran_order': False, 'shape': (1,), }",
                                        std::string(5, '\0')));
  CHECK_MSG(contains(error, "unsupported dtype '|S5'"), error);
  error = readNpyError("fortran.npy", npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
                                              std::string(16, '\0')));
  CHECK_MSG(contains(error, "Fortran"), error);
  error = readNpyError("rec.npy", npyFile("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }",
                                          std::string(4, '\0')));
  CHECK_MSG(contains(error, "structured"), error);
  error = readNpyError("short.npy", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
                                            std::string(8, '\0')));
  CHECK_MSG(contains(error, "holds 8 bytes") && contains(error, "needs 12"), error);
  error = readNpyError("magic.npy", "not numpy at all, just some text");
  CHECK_MSG(contains(error, "not a .npy file"), error);
  error = readNpyError("header.npy", npyFile("{'descr': '<f4', 'shape': (1,), }", std::string(4, '\0')));
  CHECK_MSG(contains(error, "malformed .npy header"), error);
  error = readNpyError("trunc.npy", std::string("\x93NUMPY\x01\x00\xff\x00{'descr'", 17));
  CHECK_MSG(contains(error, "truncated"), error);
  error = readNpyError("v9.npy", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
                                         std::string(4, '\0'), 9));
  CHECK_MSG(contains(error, "version 9"), error);
}

//===----------------------------------------------------------------------===//
// ONNX's backend data and test-data directories

static void testOnnxData() {
  std::string error;
  HostTensor x, y, sum;
  std::string dir = onnxData + "/node/test_add/test_data_set_0";
  CHECK_MSG(readTensorProto(dir + "/input_0.pb", x, error), error);
  CHECK(x.name == "x" && x.dtype == TFMRT_DTYPE_F32 && x.shape == std::vector<int64_t>({3, 4, 5}) &&
        x.data.size() == 240);
  CHECK(std::fabs(element<float>(x, 0) - 1.7640524f) < 1e-6f);

  std::vector<HostTensor> inputs, expected;
  CHECK_MSG(readTestData(dir, inputs, expected, error), error);
  CHECK(inputs.size() == 2 && expected.size() == 1);
  if (inputs.size() == 2 && expected.size() == 1) {
    CHECK(inputs[0].name == "x" && inputs[1].name == "y" && same(inputs[0], x));
    // x + y, computed here, matches the expected output.
    HostTensor computed = inputs[0];
    for (size_t i = 0; i < 60; ++i) {
      float v = element<float>(inputs[0], i) + element<float>(inputs[1], i);
      std::memcpy(computed.data.data() + 4 * i, &v, 4);
    }
    Comparison c = compareTensors(computed.view(), expected[0], 1e-6, 1e-6);
    CHECK_MSG(c.ok && c.message.empty() && c.maxAbsError <= 1e-6, c.message);
    // x itself does not.
    c = compareTensors(inputs[0].view(), expected[0], 1e-3, 1e-3);
    CHECK(!c.ok && contains(c.message, " of 60 elements differ"));
  }

  HostTensor b, i64, f16, u8;
  CHECK_MSG(readTensorProto(onnxData + "/node/test_and2d/test_data_set_0/input_0.pb", b, error), error);
  CHECK(b.dtype == TFMRT_DTYPE_BOOL && b.shape == std::vector<int64_t>({3, 4}) && b.data.size() == 12);
  bool zeroOne = true;
  for (uint8_t v : b.data)
    zeroOne &= v <= 1;
  CHECK(zeroOne);
  CHECK_MSG(readTensorProto(onnxData + "/node/test_argmax_default_axis_example/test_data_set_0/output_0.pb",
                            i64, error),
            error);
  CHECK(i64.name == "result" && i64.dtype == TFMRT_DTYPE_I64 &&
        i64.shape == std::vector<int64_t>({1, 2}) && element<int64_t>(i64, 0) == 1 &&
        element<int64_t>(i64, 1) == 1);
  CHECK_MSG(readTensorProto(onnxData + "/node/test_cast_FLOAT_to_FLOAT16/test_data_set_0/output_0.pb",
                            f16, error),
            error);
  CHECK(f16.dtype == TFMRT_DTYPE_F16 && f16.shape == std::vector<int64_t>({3, 4}));
  CHECK_MSG(readTensorProto(onnxData + "/node/test_add_uint8/test_data_set_0/input_0.pb", u8, error),
            error);
  CHECK(u8.dtype == TFMRT_DTYPE_U8 && u8.data.size() == 60);

  // A SequenceProto is not a tensor.
  HostTensor seq;
  CHECK(!readTensorProto(onnxData + "/node/test_identity_sequence/test_data_set_0/input_0.pb", seq,
                         error) &&
        contains(error, "input_0.pb: "));

  // A whole model directory: test_data_set_0 holds more than one output.
  CHECK_MSG(readTestData(onnxData + "/node/test_split_equal_parts_1d/test_data_set_0", inputs,
                         expected, error),
            error);
  CHECK(inputs.size() == 1 && expected.size() == 3);
}

static void testTestDataDirs() {
  std::string error;
  std::vector<HostTensor> inputs, expected;
  std::string npyDir = at("npydir");
  std::string pbDir = at("pbdir");
  std::string gapDir = at("gapdir");
  std::string emptyDir = at("emptydir");
  // The scratch directory is created by the test's RUN line; subdirectories here.
  for (const std::string &d : {npyDir, pbDir, gapDir, emptyDir})
    CHECK(std::system(("mkdir -p '" + d + "'").c_str()) == 0);

  HostTensor ids = makeTensor<int64_t>("ids", TFMRT_DTYPE_I64, {1, 3}, {5, 6, 7});
  HostTensor mask = makeTensor<uint8_t>("mask", TFMRT_DTYPE_BOOL, {1, 3}, {1, 1, 0});
  HostTensor logits = makeTensor<float>("logits", TFMRT_DTYPE_F32, {1, 3, 2}, {1, 2, 3, 4, 5, 6});
  CHECK_MSG(writeNpy(npyDir + "/mask.npy", mask, error), error);
  CHECK_MSG(writeNpy(npyDir + "/ids.npy", ids, error), error);
  CHECK_MSG(writeNpy(npyDir + "/expected_logits.npy", logits, error), error);
  writeBytes(npyDir + "/README.txt", "ignored");
  CHECK_MSG(readTestData(npyDir, inputs, expected, error), error);
  CHECK(inputs.size() == 2 && expected.size() == 1);
  if (inputs.size() == 2 && expected.size() == 1) {
    CHECK(inputs[0].name == "ids" && same(inputs[0], ids));
    CHECK(inputs[1].name == "mask" && same(inputs[1], mask));
    CHECK(expected[0].name == "logits" && same(expected[0], logits));
  }

  // .pb layout sorts by number, not by name: input_10 comes after input_2.
  for (int k = 0; k <= 10; ++k) {
    HostTensor t = makeTensor<int32_t>("in" + std::to_string(k), TFMRT_DTYPE_I32, {1}, {k});
    CHECK_MSG(writeTensorProto(pbDir + "/input_" + std::to_string(k) + ".pb", t, error), error);
  }
  CHECK_MSG(writeTensorProto(pbDir + "/output_0.pb", logits, error), error);
  CHECK_MSG(writeNpy(pbDir + "/stray.npy", ids, error), error);
  CHECK_MSG(readTestData(pbDir, inputs, expected, error), error);
  CHECK(inputs.size() == 11 && expected.size() == 1);
  bool ordered = inputs.size() == 11;
  for (size_t k = 0; ordered && k < inputs.size(); ++k)
    ordered = inputs[k].name == "in" + std::to_string(k) && element<int32_t>(inputs[k], 0) == int32_t(k);
  CHECK(ordered);
  CHECK(expected.size() == 1 && expected[0].name == "logits");

  CHECK_MSG(writeTensorProto(gapDir + "/input_0.pb", ids, error), error);
  CHECK_MSG(writeTensorProto(gapDir + "/input_2.pb", ids, error), error);
  CHECK(!readTestData(gapDir, inputs, expected, error) && contains(error, "input_1.pb is missing"));

  CHECK(!readTestData(emptyDir, inputs, expected, error) &&
        error == emptyDir + ": no input_*.pb or *.npy files");
  CHECK(!readTestData(at("no-such-dir"), inputs, expected, error) &&
        contains(error, "not a directory"));
}

//===----------------------------------------------------------------------===//
// compareTensors

static void testCompare() {
  // atol + rtol*|e| boundary, in float64 where the values are exact.
  HostTensor e = makeTensor<double>("e", TFMRT_DTYPE_F64, {2}, {4.0, -4.0});
  HostTensor a = makeTensor<double>("a", TFMRT_DTYPE_F64, {2}, {5.0, -3.0});
  Comparison c = compareTensors(a.view(), e, 0.125, 0.5); // tolerance exactly 1
  CHECK_MSG(c.ok && c.maxAbsError == 1.0 && c.maxRelError == 0.25, c.message);
  a = makeTensor<double>("a", TFMRT_DTYPE_F64, {2}, {4.0, std::nextafter(-3.0, -2.0)});
  c = compareTensors(a.view(), e, 0.125, 0.5);
  CHECK(!c.ok && contains(c.message, "1 of 2 elements differ") && contains(c.message, "first at [1]"));
  c = compareTensors(a.view(), e, 0.0, 1.0 + 1e-9); // atol alone
  CHECK(c.ok);
  c = compareTensors(a.view(), e, 0.25 + 1e-9, 0.0); // rtol alone
  CHECK(c.ok);

  // float32: exact match, and a 1-ulp difference with zero tolerance.
  HostTensor ef = makeTensor<float>("e", TFMRT_DTYPE_F32, {2, 2}, {1.0f, 2.0f, 0.0f, -1.0f});
  HostTensor af = ef;
  c = compareTensors(af.view(), ef, 0, 0);
  CHECK(c.ok && c.maxAbsError == 0 && c.maxRelError == 0);
  float bumped = std::nextafter(2.0f, 3.0f);
  std::memcpy(af.data.data() + 4, &bumped, 4);
  c = compareTensors(af.view(), ef, 0, 0);
  CHECK(!c.ok && contains(c.message, "first at [0, 1]") && contains(c.message, "expected 2"));
  CHECK(compareTensors(af.view(), ef, 1e-6, 0).ok);
  // maxRelError ignores e == 0.
  HostTensor z = makeTensor<float>("e", TFMRT_DTYPE_F32, {2}, {2.0f, 0.0f});
  HostTensor zz = makeTensor<float>("a", TFMRT_DTYPE_F32, {2}, {3.0f, 1.0f});
  c = compareTensors(zz.view(), z, 0, 10);
  CHECK(c.ok && c.maxAbsError == 1.0 && c.maxRelError == 0.5);

  // NaN and infinities.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  HostTensor en = makeTensor<float>("e", TFMRT_DTYPE_F32, {3}, {nan, inf, -inf});
  HostTensor an = en;
  c = compareTensors(an.view(), en, 0, 0);
  CHECK_MSG(c.ok && c.maxAbsError == 0, c.message);
  HostTensor bad = makeTensor<float>("a", TFMRT_DTYPE_F32, {3}, {1.0f, inf, inf});
  c = compareTensors(bad.view(), en, 1e9, 1e9);
  CHECK(!c.ok && contains(c.message, "2 of 3 elements differ") && std::isinf(c.maxAbsError) &&
        contains(c.message, "first at [0]: got 1, expected nan"));
  HostTensor nanActual = makeTensor<float>("a", TFMRT_DTYPE_F32, {1}, {nan});
  HostTensor one = makeTensor<float>("e", TFMRT_DTYPE_F32, {1}, {1.0f});
  CHECK(!compareTensors(nanActual.view(), one, 1e9, 1e9).ok);
  HostTensor infActual = makeTensor<float>("a", TFMRT_DTYPE_F32, {1}, {inf});
  CHECK(!compareTensors(infActual.view(), one, 1e9, 1e9).ok);

  // float16 / bfloat16 compared in double.
  HostTensor eh = makeTensor<uint16_t>("e", TFMRT_DTYPE_F16, {1}, {0x3c00});
  HostTensor ah = makeTensor<uint16_t>("a", TFMRT_DTYPE_F16, {1}, {0x3c01}); // 1 + 2^-10
  c = compareTensors(ah.view(), eh, 0, 0);
  CHECK(!c.ok && c.maxAbsError == std::ldexp(1.0, -10));
  CHECK(compareTensors(ah.view(), eh, 0, 1e-3).ok);
  HostTensor eb = makeTensor<uint16_t>("e", TFMRT_DTYPE_BF16, {1}, {0x3f80});
  HostTensor ab = makeTensor<uint16_t>("a", TFMRT_DTYPE_BF16, {1}, {0x3f81}); // 1 + 2^-7
  CHECK(!compareTensors(ab.view(), eb, 0, 1e-3).ok && compareTensors(ab.view(), eb, 0, 1e-2).ok);

  // Integers and bool: exact, whatever the tolerance.
  HostTensor ei = makeTensor<int64_t>("e", TFMRT_DTYPE_I64, {3}, {1, 2, 3});
  HostTensor ai = makeTensor<int64_t>("a", TFMRT_DTYPE_I64, {3}, {1, 2, 4});
  c = compareTensors(ai.view(), ei, 1, 1);
  CHECK(!c.ok && c.message == "1 of 3 elements differ (max abs error 1, max rel error 0.333333333); "
                              "first at [2]: got 4, expected 3");
  CHECK(compareTensors(ei.view(), ei, 0, 0).ok);
  HostTensor big = makeTensor<int64_t>("a", TFMRT_DTYPE_I64, {1}, {(int64_t(1) << 53) + 1});
  HostTensor bigE = makeTensor<int64_t>("e", TFMRT_DTYPE_I64, {1}, {int64_t(1) << 53});
  CHECK(!compareTensors(big.view(), bigE, 0, 0).ok); // not lost in double rounding
  HostTensor eu = makeTensor<uint64_t>("e", TFMRT_DTYPE_U64, {1}, {UINT64_MAX});
  HostTensor au = makeTensor<uint64_t>("a", TFMRT_DTYPE_U64, {1}, {UINT64_MAX - 1});
  CHECK(!compareTensors(au.view(), eu, 0, 0).ok && compareTensors(eu.view(), eu, 0, 0).ok);
  HostTensor e8 = makeTensor<int8_t>("e", TFMRT_DTYPE_I8, {2}, {-1, 5});
  HostTensor a8 = makeTensor<int8_t>("a", TFMRT_DTYPE_I8, {2}, {-1, 6});
  CHECK(!compareTensors(a8.view(), e8, 0, 10).ok);
  HostTensor eb1 = makeTensor<uint8_t>("e", TFMRT_DTYPE_BOOL, {2, 1}, {1, 0});
  HostTensor ab1 = makeTensor<uint8_t>("a", TFMRT_DTYPE_BOOL, {2, 1}, {1, 1});
  c = compareTensors(ab1.view(), eb1, 0, 0);
  CHECK(!c.ok && contains(c.message, "first at [1, 0]: got 1, expected 0"));
  CHECK(compareTensors(eb1.view(), eb1, 0, 0).ok);

  // dtype and shape must match exactly.
  HostTensor s23 = makeTensor<float>("e", TFMRT_DTYPE_F32, {2, 3}, {1, 2, 3, 4, 5, 6});
  HostTensor s32 = makeTensor<float>("a", TFMRT_DTYPE_F32, {3, 2}, {1, 2, 3, 4, 5, 6});
  c = compareTensors(s32.view(), s23, 1, 1);
  CHECK_MSG(!c.ok && c.message == "shape mismatch: expected [2, 3], got [3, 2]", c.message);
  HostTensor s6 = makeTensor<float>("a", TFMRT_DTYPE_F32, {6}, {1, 2, 3, 4, 5, 6});
  c = compareTensors(s6.view(), s23, 1, 1);
  CHECK_MSG(!c.ok && c.message == "shape mismatch: expected [2, 3], got [6]", c.message);
  HostTensor d64 = makeTensor<double>("a", TFMRT_DTYPE_F64, {2, 3}, {1, 2, 3, 4, 5, 6});
  c = compareTensors(d64.view(), s23, 1, 1);
  CHECK_MSG(!c.ok && c.message == "dtype mismatch: expected float32, got float64", c.message);
  tfmrt_tensor noData = s23.view();
  noData.data = nullptr;
  CHECK(!compareTensors(noData, s23, 1, 1).ok);
  tfmrt_tensor badRank = s23.view();
  badRank.rank = 99;
  CHECK(!compareTensors(badRank, s23, 1, 1).ok);
  // Empty tensors compare equal.
  HostTensor empty = makeTensor<float>("e", TFMRT_DTYPE_F32, {0, 4}, {});
  c = compareTensors(empty.view(), empty, 0, 0);
  CHECK(c.ok && c.maxAbsError == 0);
}

//===----------------------------------------------------------------------===//
// Sequences and optionals (SequenceProto, OptionalProto)

static void testValues() {
  std::string error;
  HostTensor sequence;
  sequence.name = "seq";
  sequence.kind = TFMRT_KIND_SEQUENCE;
  sequence.dtype = TFMRT_DTYPE_F32;
  sequence.elements = {patterned(TFMRT_DTYPE_F32, {2, 2}), patterned(TFMRT_DTYPE_F32, {3})};
  HostTensor back;
  CHECK_MSG(writeTensorProto(at("seq.pb"), sequence, error), error);
  CHECK_MSG(readValueProto(at("seq.pb"), TFMRT_KIND_SEQUENCE, back, error), error);
  CHECK(back.kind == TFMRT_KIND_SEQUENCE && back.name == "seq" && back.elements.size() == 2 &&
        same(back.elements[1], sequence.elements[1]));
  tfmrt_tensor v = sequence.view();
  CHECK(compareTensors(v, back, 0, 0).ok);
  back.elements.pop_back();
  Comparison c = compareTensors(v, back, 0, 0);
  CHECK_MSG(!c.ok && contains(c.message, "a sequence of 2 tensors, expected 1"), c.message);
  HostTensor copy = copyFromTfmrt(v, "copy", TFMRT_KIND_SEQUENCE);
  CHECK(copy.elements.size() == 2 && same(copy.elements[0], sequence.elements[0]));

  HostTensor absent;
  absent.kind = TFMRT_KIND_OPTIONAL_TENSOR;
  absent.dtype = TFMRT_DTYPE_I64;
  absent.present = false;
  CHECK_MSG(writeTensorProto(at("absent.pb"), absent, error), error);
  CHECK_MSG(readValueProto(at("absent.pb"), TFMRT_KIND_OPTIONAL_TENSOR, back, error), error);
  CHECK(!back.present && back.elements.empty() && absent.view().data == nullptr);
  CHECK(!readValueProto(at("seq.pb"), TFMRT_KIND_OPTIONAL_TENSOR, back, error));
  CHECK(!writeNpy(at("seq.npy"), sequence, error) && contains(error, "no .npy form"));

  // ONNX's own: an optional sequence of one float tensor [1, 2, 3, 4, 5].
  std::string file = onnxData + "/node/test_identity_opt/test_data_set_0/input_0.pb";
  CHECK_MSG(readValueProto(file, TFMRT_KIND_OPTIONAL_SEQUENCE, back, error), error);
  CHECK(back.present && back.elements.size() == 1 && back.dtype == TFMRT_DTYPE_F32 &&
        back.elements[0].shape == std::vector<int64_t>({5}) &&
        element<float>(back.elements[0], 4) == 5.0f);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <onnx-backend-data-dir> <scratch-dir>\n", argv[0]);
    return 2;
  }
  onnxData = argv[1];
  scratch = argv[2];
  testHelpers();
  testRoundTrips();
  testTypedFields();
  testNpy();
  testOnnxData();
  testTestDataDirs();
  testCompare();
  testValues();
  std::printf("%d checks, %d failed\n", checks, failures);
  return failures ? 1 : 0;
}
