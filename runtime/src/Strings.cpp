//===- Strings.cpp - string elements: the pool, formatting, parsing ------===//

#include "Strings.h"
#include "Instance.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>

namespace tfmrt {

namespace {
constexpr size_t kChunkBytes = 64 * 1024;

size_t put(const char *text, char *out) {
  size_t length = std::strlen(text);
  std::memcpy(out, text, length + 1);
  return length;
}

const char *skipBlanksAndPlus(const char *text) {
  while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
    ++text;
  if (*text == '+' && text[1] != '-')
    ++text;
  return text;
}
} // namespace

StringPool::~StringPool() {
  for (Chunk &chunk : chunks)
    std::free(chunk.data);
}

const char *StringPool::copy(const char *text, size_t length) {
  std::lock_guard<std::mutex> lock(mutex);
  if (chunks.empty() || chunks.back().size - used < length + 1) {
    size_t bytes = std::max(kChunkBytes, length + 1);
    char *chunk = static_cast<char *>(std::malloc(bytes));
    if (!chunk)
      return nullptr;
    chunks.push_back({chunk, bytes});
    used = 0;
  }
  char *copy = chunks.back().data + used;
  std::memcpy(copy, text, length);
  copy[length] = '\0';
  used += length + 1;
  return copy;
}

bool StringPool::holds(const char *text) {
  std::lock_guard<std::mutex> lock(mutex);
  for (const Chunk &chunk : chunks)
    if (std::less_equal<const char *>()(chunk.data, text) &&
        std::less<const char *>()(text, chunk.data + chunk.size))
      return true;
  return false;
}

void StringPool::reset() {
  std::lock_guard<std::mutex> lock(mutex);
  if (chunks.size() > 1) {
    // Keep the last chunk: it is the one being filled.
    for (size_t i = 0; i + 1 < chunks.size(); ++i)
      std::free(chunks[i].data);
    chunks.erase(chunks.begin(), chunks.end() - 1);
  }
  used = 0;
}

size_t formatFloat(double value, bool singlePrecision, char *out) {
  if (std::isnan(value))
    return put("NaN", out);
  if (std::isinf(value))
    return put(value < 0 ? "-INF" : "INF", out);
  // The shortest round-tripping digits: [-]d[.ddd]e(+|-)XX.
  char scientific[32];
  std::to_chars_result r =
      singlePrecision ? std::to_chars(scientific, scientific + sizeof scientific,
                                      static_cast<float>(value), std::chars_format::scientific)
                      : std::to_chars(scientific, scientific + sizeof scientific, value,
                                      std::chars_format::scientific);
  *r.ptr = '\0';
  const char *mark = std::strchr(scientific, 'e');
  int exponent = std::atoi(mark + 1);
  bool negative = scientific[0] == '-';
  char digits[32];
  size_t count = 0;
  for (const char *c = scientific + negative; c < mark; ++c)
    if (*c != '.')
      digits[count++] = *c;

  char *o = out;
  if (negative)
    *o++ = '-';
  if (exponent < -4 || exponent >= 16) {
    *o++ = digits[0];
    if (count > 1) {
      *o++ = '.';
      for (size_t i = 1; i < count; ++i)
        *o++ = digits[i];
    }
    o += std::strlen(std::strcpy(o, mark)); // "e-05", "e+16"
    return size_t(o - out);
  }
  if (exponent < 0) {
    *o++ = '0';
    *o++ = '.';
    for (int i = -1; i > exponent; --i)
      *o++ = '0';
    for (size_t i = 0; i < count; ++i)
      *o++ = digits[i];
  } else {
    for (int i = 0; i <= exponent; ++i)
      *o++ = size_t(i) < count ? digits[i] : '0';
    *o++ = '.';
    if (size_t(exponent) + 1 >= count)
      *o++ = '0';
    for (size_t i = size_t(exponent) + 1; i < count; ++i)
      *o++ = digits[i];
  }
  *o = '\0';
  return size_t(o - out);
}

size_t formatSigned(int64_t value, char *out) {
  char *end = std::to_chars(out, out + 31, value).ptr;
  *end = '\0';
  return size_t(end - out);
}

size_t formatUnsigned(uint64_t value, char *out) {
  char *end = std::to_chars(out, out + 31, value).ptr;
  *end = '\0';
  return size_t(end - out);
}

double parseFloat(const char *text) {
  text = skipBlanksAndPlus(text);
  double value;
  std::from_chars_result r = std::from_chars(text, text + std::strlen(text), value);
  if (r.ec == std::errc::result_out_of_range)
    return std::strtod(text, nullptr); // +-HUGE_VAL or a denormal, as C reads it
  if (r.ec != std::errc())
    return std::numeric_limits<double>::quiet_NaN();
  return value;
}

int64_t parseSigned(const char *text) {
  text = skipBlanksAndPlus(text);
  const char *end = text + std::strlen(text);
  int64_t value = 0;
  std::from_chars_result r = std::from_chars(text, end, value);
  if (r.ec == std::errc() && (r.ptr == end || !std::strchr(".eE", *r.ptr)))
    return value;
  if (r.ec == std::errc::result_out_of_range && *text != '-') {
    // Beyond int64: a uint64 target reads the bit pattern.
    uint64_t wide = 0;
    if (std::from_chars(text, end, wide).ec == std::errc())
      return static_cast<int64_t>(wide);
  }
  double real = parseFloat(text);
  if (!(std::fabs(real) < 9.2e18))
    return 0; // NaN or out of range: undefined in ONNX
  return static_cast<int64_t>(real);
}

} // namespace tfmrt

using namespace tfmrt;

namespace {
const char *keep(tfmrt_instance *instance, const char *text, size_t length) {
  return instance ? instance->strings.copy(text, length) : nullptr;
}
} // namespace

extern "C" {

const char *tfmrt_format_f32(tfmrt_instance *instance, float value) {
  char text[32];
  return keep(instance, text, formatFloat(value, /*singlePrecision=*/true, text));
}

const char *tfmrt_format_f64(tfmrt_instance *instance, double value) {
  char text[32];
  return keep(instance, text, formatFloat(value, /*singlePrecision=*/false, text));
}

const char *tfmrt_format_i64(tfmrt_instance *instance, int64_t value) {
  char text[32];
  return keep(instance, text, formatSigned(value, text));
}

const char *tfmrt_format_u64(tfmrt_instance *instance, uint64_t value) {
  char text[32];
  return keep(instance, text, formatUnsigned(value, text));
}

double tfmrt_parse_f64(const char *text) { return text ? parseFloat(text) : 0.0; }

int64_t tfmrt_parse_i64(const char *text) { return text ? parseSigned(text) : 0; }

int32_t tfmrt_strings_equal(const char *a, const char *b) {
  return a && b && std::strcmp(a, b) == 0;
}

int32_t tfmrt_keep_strings(tfmrt_instance *instance, const char **elements, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    // NULL: formatting ran out of memory.
    if (!elements[i])
      return TFMRT_OUT_OF_MEMORY;
    // Text a formatting call made this run is the instance's already.
    if (instance && instance->strings.holds(elements[i]))
      continue;
    const char *copy = keep(instance, elements[i], std::strlen(elements[i]));
    if (!copy)
      return TFMRT_OUT_OF_MEMORY;
    elements[i] = copy;
  }
  return TFMRT_OK;
}

} // extern "C"
