//===- TensorFiles.h - tensor files for `tfmc run` --------------*- C++ -*-===//
//
// Reads and writes the tensors `tfmc run` feeds a compiled model and checks
// its outputs against: serialized onnx.TensorProto files (`.pb`, ONNX's
// backend test layout) and NumPy `.npy` files. Plain C++17; no function here
// throws: every failure comes back as `false` (or a failed Comparison) with
// a one-line message that names the file.
//
//===----------------------------------------------------------------------===//

#ifndef TFMC_RUNNER_TENSORFILES_H
#define TFMC_RUNNER_TENSORFILES_H

#include "tfmrt/tfmrt.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tfmc::runner {

/// A host tensor that owns its elements (row-major, dense, little-endian).
/// Bool is 1 byte per element (0 or 1). String elements (UTF-8) are in
/// `strings`, `data` then stays empty.
///
/// It also holds ONNX's sequence and optional values (`kind`): their
/// tensors are `elements` (one for a present optional tensor, none for an
/// absent optional), and `dtype` is theirs.
struct HostTensor {
  std::string name;  // ONNX tensor name (may be empty) or .npy stem
  int32_t dtype = 0; // tfmrt_dtype
  std::vector<int64_t> shape;
  std::vector<uint8_t> data; // 64-byte aligned storage is NOT required
  std::vector<std::string> strings;
  int32_t kind = TFMRT_KIND_TENSOR;
  bool present = true; // optionals: false when absent
  std::vector<HostTensor> elements;

  bool isString() const { return dtype == TFMRT_DTYPE_STRING; }
  /// The product of the dimensions (1 for a scalar); -1 when a dimension is
  /// negative or the product overflows.
  int64_t numElements() const;
  /// A view for tfmrt: data pointer, dtype, rank and shape, valid while this
  /// tensor lives unchanged. When the rank exceeds TFMRT_MAX_RANK only the
  /// first TFMRT_MAX_RANK dimensions are copied but `rank` still says the
  /// real rank, so the runtime rejects it.
  tfmrt_tensor view() const;

private:
  /// What a view points at: each element's text (strings); the tensors'
  /// views and the sequence (other kinds).
  mutable std::vector<const char *> stringPointers;
  mutable std::vector<tfmrt_tensor> elementViews;
  mutable tfmrt_sequence sequenceView{};
};

/// Bytes per element in HostTensor::data; 0 for strings and unknown dtypes.
size_t dtypeSize(int32_t dtype);
/// "float32", "int64", "string", ... (tfmrt_dtype_name); "dtype <n>" for an
/// unknown one.
std::string dtypeName(int32_t dtype);
/// IEEE binary16 / bfloat16 bit patterns to double (exact).
double halfToDouble(uint16_t bits);
double bfloat16ToDouble(uint16_t bits);

/// Reads a serialized onnx.TensorProto (.pb): raw_data or the typed fields
/// (float_data; int32_data for int8/int16/uint8/uint16/bool/float16/bfloat16
/// as ONNX stores them; int64_data; double_data; uint64_data for
/// uint32/uint64; string_data for strings). Rejects external data and
/// element types tfmrt lacks. `out.name` is the proto's name (possibly empty).
bool readTensorProto(const std::string &path, HostTensor &out, std::string &error);
/// Writes `tensor` as an onnx.TensorProto with raw_data (string_data for
/// strings); a sequence as an onnx.SequenceProto, an optional as an
/// onnx.OptionalProto.
bool writeTensorProto(const std::string &path, const HostTensor &tensor, std::string &error);
/// Reads a serialized onnx.SequenceProto (`kind` a sequence) or
/// onnx.OptionalProto (an optional) of tensors.
bool readValueProto(const std::string &path, int32_t kind, HostTensor &out, std::string &error);

/// Reads a .npy file (format v1/v2/v3) with one of the little-endian dtypes
/// <f4 <f8 <f2 <i1 <i2 <i4 <i8 |u1 <u2 <u4 <u8 |b1 ('|', '<' and '=' are all
/// accepted for one-byte types) or <U<n> (NumPy's UTF-32 strings, read as
/// UTF-8), C order only. `out.name` is the file stem.
bool readNpy(const std::string &path, HostTensor &out, std::string &error);
/// Writes `tensor` as a .npy file (format v1, v2 when the header needs it).
/// bfloat16 has no .npy dtype and is refused; strings are written as <U<n>.
bool writeNpy(const std::string &path, const HostTensor &tensor, std::string &error);

/// Reads a test-data directory, in one of two layouts:
///  - ONNX backend layout: input_0.pb, input_1.pb, ... and output_0.pb, ...
///    (sorted by index, which must run 0..n-1 without gaps). Chosen when any
///    input_<k>.pb or output_<k>.pb exists.
///  - .npy layout: every `<name>.npy` not starting with "expected_" is an
///    input named <name>; `expected_<name>.npy` is the expected output named
///    <name>. Both lists are sorted by file name.
/// `expected` may come back empty. In the ONNX layout, file k is read as
/// the value of kind `inputKinds[k]` (`outputKinds[k]`): tensors where the
/// lists are shorter.
bool readTestData(const std::string &dir, std::vector<HostTensor> &inputs,
                  std::vector<HostTensor> &expected, std::string &error,
                  const std::vector<int32_t> &inputKinds = {},
                  const std::vector<int32_t> &outputKinds = {});

/// Comparison result of one output.
struct Comparison {
  bool ok = false;
  double maxAbsError = 0;
  double maxRelError = 0;
  /// Empty when ok; otherwise one line saying what differs.
  std::string message;
};

/// Compares `actual` (a tfmrt_tensor output: data/dtype/rank/shape) with
/// `expected`; a sequence or optional tensor by tensor, after its length
/// or presence. dtype and shape must match exactly. Floats (f16/bf16/f32/f64,
/// compared in double) pass when |a-e| <= atol + rtol*|e| for every element;
/// NaN matches NaN at the same place and infinities match same-signed
/// infinities. Integers, bool and strings must be exactly equal. maxAbsError is the
/// largest |a-e| (infinite for a NaN/infinity mismatch); maxRelError the
/// largest |a-e|/|e| over the elements with e != 0 (0 if none).
Comparison compareTensors(const tfmrt_tensor &actual, const HostTensor &expected, double rtol,
                          double atol);

/// Copies a tfmrt_tensor output of `kind` into a HostTensor (for writing
/// outputs). An unknown dtype or a rank outside [0, TFMRT_MAX_RANK] gives a
/// tensor with no data.
HostTensor copyFromTfmrt(const tfmrt_tensor &t, const std::string &name,
                         int32_t kind = TFMRT_KIND_TENSOR);

} // namespace tfmc::runner

#endif // TFMC_RUNNER_TENSORFILES_H
