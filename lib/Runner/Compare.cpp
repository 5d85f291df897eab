//===- Compare.cpp - outputs against expected tensors ---------------------===//

#include "tfmc/Runner/TensorFiles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>

namespace tfmc::runner {

double halfToDouble(uint16_t bits) {
  bool negative = bits & 0x8000;
  int exponent = (bits >> 10) & 0x1f;
  int mantissa = bits & 0x3ff;
  double value;
  if (exponent == 0)
    value = std::ldexp(double(mantissa), -24); // zero or subnormal
  else if (exponent == 31)
    value = mantissa ? std::numeric_limits<double>::quiet_NaN()
                     : std::numeric_limits<double>::infinity();
  else
    value = std::ldexp(double(mantissa | 0x400), exponent - 25);
  return negative ? -value : value;
}

double bfloat16ToDouble(uint16_t bits) {
  uint32_t wide = uint32_t(bits) << 16;
  float f;
  std::memcpy(&f, &wide, sizeof(f));
  return f;
}

namespace {
template <typename T> T load(const void *base, int64_t i) {
  T v;
  std::memcpy(&v, static_cast<const uint8_t *>(base) + i * int64_t(sizeof(T)), sizeof(T));
  return v;
}

bool isFloat(int32_t dtype) {
  return dtype == TFMRT_DTYPE_F32 || dtype == TFMRT_DTYPE_F64 || dtype == TFMRT_DTYPE_F16 ||
         dtype == TFMRT_DTYPE_BF16;
}

bool isUnsigned(int32_t dtype) {
  return dtype == TFMRT_DTYPE_U8 || dtype == TFMRT_DTYPE_U16 || dtype == TFMRT_DTYPE_U32 ||
         dtype == TFMRT_DTYPE_U64 || dtype == TFMRT_DTYPE_BOOL;
}

double loadFloat(const void *base, int32_t dtype, int64_t i) {
  switch (dtype) {
  case TFMRT_DTYPE_F32: return load<float>(base, i);
  case TFMRT_DTYPE_F64: return load<double>(base, i);
  case TFMRT_DTYPE_F16: return halfToDouble(load<uint16_t>(base, i));
  case TFMRT_DTYPE_BF16: return bfloat16ToDouble(load<uint16_t>(base, i));
  default: return 0;
  }
}

int64_t loadSigned(const void *base, int32_t dtype, int64_t i) {
  switch (dtype) {
  case TFMRT_DTYPE_I8: return load<int8_t>(base, i);
  case TFMRT_DTYPE_I16: return load<int16_t>(base, i);
  case TFMRT_DTYPE_I32: return load<int32_t>(base, i);
  case TFMRT_DTYPE_I64: return load<int64_t>(base, i);
  default: return 0;
  }
}

uint64_t loadUnsigned(const void *base, int32_t dtype, int64_t i) {
  switch (dtype) {
  case TFMRT_DTYPE_BOOL: return load<uint8_t>(base, i) != 0;
  case TFMRT_DTYPE_U8: return load<uint8_t>(base, i);
  case TFMRT_DTYPE_U16: return load<uint16_t>(base, i);
  case TFMRT_DTYPE_U32: return load<uint32_t>(base, i);
  case TFMRT_DTYPE_U64: return load<uint64_t>(base, i);
  default: return 0;
  }
}

std::string shapeString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

/// The multi-index of flat element `flat` in a row-major `shape`.
std::string indexString(const std::vector<int64_t> &shape, int64_t flat) {
  std::vector<int64_t> index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = shape[d] ? flat % shape[d] : 0;
    flat = shape[d] ? flat / shape[d] : 0;
  }
  return shapeString(index);
}

std::string number(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.9g", v);
  return buffer;
}
} // namespace

/// Strings match exactly; the errors count differing elements.
static Comparison compareStrings(const tfmrt_tensor &actual, const HostTensor &expected) {
  Comparison r;
  int64_t count = expected.numElements();
  if (count < 0 || expected.strings.size() != uint64_t(count)) {
    r.message = "expected tensor holds " + std::to_string(expected.strings.size()) +
                " strings, its shape " + shapeString(expected.shape) + " needs " +
                std::to_string(count);
    return r;
  }
  if (count > 0 && !actual.data) {
    r.message = "output has no data";
    return r;
  }
  const char *const *texts = static_cast<const char *const *>(actual.data);
  int64_t mismatches = 0, first = -1;
  for (int64_t i = 0; i < count; ++i)
    if (!texts[i] || expected.strings[i] != texts[i])
      if (mismatches++ == 0)
        first = i;
  r.maxAbsError = r.maxRelError = mismatches ? 1 : 0;
  if (!mismatches) {
    r.ok = true;
    return r;
  }
  r.message = std::to_string(mismatches) + " of " + std::to_string(count) +
              " strings differ; first at " + indexString(expected.shape, first) + ": got " +
              (texts[first] ? "\"" + std::string(texts[first]) + "\"" : "NULL") +
              ", expected \"" + expected.strings[first] + "\"";
  return r;
}

static Comparison compareImpl(const tfmrt_tensor &actual, const HostTensor &expected,
                              double rtol, double atol) {
  Comparison r;
  if (actual.dtype != expected.dtype) {
    r.message = "dtype mismatch: expected " + dtypeName(expected.dtype) + ", got " +
                dtypeName(actual.dtype);
    return r;
  }
  if (actual.rank < 0 || actual.rank > TFMRT_MAX_RANK) {
    r.message = "output has invalid rank " + std::to_string(actual.rank);
    return r;
  }
  std::vector<int64_t> actualShape(actual.shape, actual.shape + actual.rank);
  if (actualShape != expected.shape) {
    r.message = "shape mismatch: expected " + shapeString(expected.shape) + ", got " +
                shapeString(actualShape);
    return r;
  }
  if (expected.isString())
    return compareStrings(actual, expected);
  size_t size = dtypeSize(expected.dtype);
  if (!size) {
    r.message = "unsupported " + dtypeName(expected.dtype);
    return r;
  }
  int64_t count = expected.numElements();
  if (count < 0 || expected.data.size() != uint64_t(count) * size) {
    r.message = "expected tensor holds " + std::to_string(expected.data.size()) +
                " bytes, its shape " + shapeString(expected.shape) + " needs " +
                std::to_string(uint64_t(count) * size);
    return r;
  }
  if (count > 0 && !actual.data) {
    r.message = "output has no data";
    return r;
  }

  const void *a = actual.data;
  const void *e = expected.data.data();
  int64_t mismatches = 0, first = -1;
  std::string firstDetail;
  auto noteRelative = [&](double diff, double reference) {
    if (reference != 0)
      r.maxRelError = std::max(r.maxRelError, diff / std::fabs(reference));
  };

  if (isFloat(expected.dtype)) {
    for (int64_t i = 0; i < count; ++i) {
      double av = loadFloat(a, expected.dtype, i), ev = loadFloat(e, expected.dtype, i);
      bool pass;
      double diff;
      if (std::isnan(av) || std::isnan(ev) || std::isinf(av) || std::isinf(ev)) {
        pass = (std::isnan(av) && std::isnan(ev)) || av == ev;
        diff = pass ? 0 : std::numeric_limits<double>::infinity();
      } else {
        diff = std::fabs(av - ev);
        pass = diff <= atol + rtol * std::fabs(ev);
        noteRelative(diff, ev);
      }
      r.maxAbsError = std::max(r.maxAbsError, diff);
      if (!pass && mismatches++ == 0) {
        first = i;
        firstDetail = "got " + number(av) + ", expected " + number(ev);
        if (std::isfinite(diff))
          firstDetail += " (|diff| " + number(diff) + " > atol + rtol*|expected| = " +
                         number(atol + rtol * std::fabs(ev)) + ")";
      }
    }
  } else if (isUnsigned(expected.dtype)) {
    for (int64_t i = 0; i < count; ++i) {
      uint64_t av = loadUnsigned(a, expected.dtype, i), ev = loadUnsigned(e, expected.dtype, i);
      double diff = av > ev ? double(av - ev) : double(ev - av);
      r.maxAbsError = std::max(r.maxAbsError, diff);
      noteRelative(diff, double(ev));
      if (av != ev && mismatches++ == 0) {
        first = i;
        firstDetail = "got " + std::to_string(av) + ", expected " + std::to_string(ev);
      }
    }
  } else {
    for (int64_t i = 0; i < count; ++i) {
      int64_t av = loadSigned(a, expected.dtype, i), ev = loadSigned(e, expected.dtype, i);
      double diff = std::fabs(double(av) - double(ev));
      r.maxAbsError = std::max(r.maxAbsError, diff);
      noteRelative(diff, double(ev));
      if (av != ev && mismatches++ == 0) {
        first = i;
        firstDetail = "got " + std::to_string(av) + ", expected " + std::to_string(ev);
      }
    }
  }

  if (mismatches == 0) {
    r.ok = true;
    return r;
  }
  r.message = std::to_string(mismatches) + " of " + std::to_string(count) +
              " elements differ (max abs error " + number(r.maxAbsError) +
              ", max rel error " + number(r.maxRelError) + "); first at " +
              indexString(expected.shape, first) + ": " + firstDetail;
  return r;
}

/// A sequence or optional: presence, length, then tensor by tensor.
static Comparison compareValues(const tfmrt_tensor &actual, const HostTensor &expected,
                                double rtol, double atol) {
  Comparison r;
  if (!expected.present || !actual.data) {
    r.ok = !expected.present && !actual.data;
    if (!r.ok)
      r.message = expected.present ? "output is absent, a value was expected"
                                   : "output has a value, none was expected";
    return r;
  }
  bool isSequence =
      expected.kind == TFMRT_KIND_SEQUENCE || expected.kind == TFMRT_KIND_OPTIONAL_SEQUENCE;
  const tfmrt_tensor *tensors = static_cast<const tfmrt_tensor *>(actual.data);
  int64_t length = 1;
  if (isSequence) {
    const auto *sequence = static_cast<const tfmrt_sequence *>(actual.data);
    tensors = sequence->tensors;
    length = sequence->length;
  }
  if (length != int64_t(expected.elements.size())) {
    r.message = "a sequence of " + std::to_string(length) + " tensors, expected " +
                std::to_string(expected.elements.size());
    return r;
  }
  r.ok = true;
  for (int64_t i = 0; i < length; ++i) {
    Comparison c = compareImpl(tensors[i], expected.elements[size_t(i)], rtol, atol);
    r.maxAbsError = std::max(r.maxAbsError, c.maxAbsError);
    r.maxRelError = std::max(r.maxRelError, c.maxRelError);
    if (!c.ok && r.ok) {
      r.ok = false;
      r.message = (isSequence ? "tensor " + std::to_string(i) + ": " : std::string()) + c.message;
    }
  }
  return r;
}

Comparison compareTensors(const tfmrt_tensor &actual, const HostTensor &expected, double rtol,
                          double atol) {
  try {
    if (expected.kind != TFMRT_KIND_TENSOR)
      return compareValues(actual, expected, rtol, atol);
    return compareImpl(actual, expected, rtol, atol);
  } catch (const std::exception &e) {
    Comparison r;
    r.message = std::string("comparison failed: ") + e.what();
    return r;
  } catch (...) {
    Comparison r;
    r.message = "comparison failed";
    return r;
  }
}

HostTensor copyFromTfmrt(const tfmrt_tensor &t, const std::string &name, int32_t kind) {
  HostTensor out;
  if (kind != TFMRT_KIND_TENSOR) {
    out.name = name;
    out.dtype = t.dtype;
    out.kind = kind;
    out.present = t.data != nullptr;
    if (!t.data)
      return out;
    if (kind == TFMRT_KIND_OPTIONAL_TENSOR) {
      out.elements.push_back(copyFromTfmrt(*static_cast<const tfmrt_tensor *>(t.data), ""));
      return out;
    }
    const auto *sequence = static_cast<const tfmrt_sequence *>(t.data);
    for (int64_t i = 0; i < sequence->length; ++i)
      out.elements.push_back(copyFromTfmrt(sequence->tensors[i], ""));
    return out;
  }
  try {
    out.name = name;
    out.dtype = t.dtype;
    if (t.rank < 0 || t.rank > TFMRT_MAX_RANK)
      return out;
    out.shape.assign(t.shape, t.shape + t.rank);
    int64_t count = out.numElements();
    if (out.isString()) {
      const char *const *texts = static_cast<const char *const *>(t.data);
      for (int64_t i = 0; texts && i < count; ++i)
        out.strings.push_back(texts[i] ? texts[i] : "");
      return out;
    }
    size_t size = dtypeSize(t.dtype);
    if (!size || count < 0 || !t.data)
      return out;
    const uint8_t *bytes = static_cast<const uint8_t *>(t.data);
    out.data.assign(bytes, bytes + uint64_t(count) * size);
  } catch (...) {
    out.data.clear(); // out of memory: a tensor with no data
    out.strings.clear();
  }
  return out;
}

} // namespace tfmc::runner
