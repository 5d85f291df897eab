//===- Strings.h - string tensors' elements --------------------*- C++ -*-===//
//
// A string tensor's elements are `const char *` (NUL-terminated UTF-8). The
// strings a run creates (Cast to string) and the strings of its outputs live
// in the instance's StringPool until the next run, as its arena buffers do.
//
//===----------------------------------------------------------------------===//
#ifndef TFMRT_STRINGS_H
#define TFMRT_STRINGS_H

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace tfmrt {

class StringPool {
public:
  StringPool() = default;
  StringPool(const StringPool &) = delete;
  StringPool &operator=(const StringPool &) = delete;
  ~StringPool();

  /// A NUL-terminated copy of text[0:length], valid until reset(); NULL when
  /// out of memory. Safe to call from several threads.
  const char *copy(const char *text, size_t length);
  /// Whether `text` is a string of this pool (one that copy() returned since
  /// the last reset()).
  bool holds(const char *text);
  /// Forgets every string; keeps one chunk for the next run.
  void reset();

private:
  struct Chunk {
    char *data;
    size_t size;
  };
  std::mutex mutex;
  std::vector<Chunk> chunks; // the last one is being filled
  size_t used = 0;
};

/// Numbers as text, locale-independent. Floats take the fewest digits that
/// read back as the same value of their own precision, positional when the
/// decimal exponent is in [-4, 16) ("0.0001", "100.0") and scientific
/// otherwise ("1e-05", "1.5e+16"), as NumPy prints them; NaN and infinities
/// are "NaN", "INF" and "-INF", the spellings ONNX's Cast reads. `out` must
/// hold 32 bytes; returns the length written (without the NUL).
size_t formatFloat(double value, bool singlePrecision, char *out);
size_t formatSigned(int64_t value, char *out);
size_t formatUnsigned(uint64_t value, char *out);

/// Text as numbers, as ONNX's Cast reads it: leading blanks and '+' are
/// skipped; "INF", "-INF", "NaN" in any case; what is not a number is NaN
/// (floats) or 0 (integers). An integer given as "2.7" or "1e3" is
/// truncated toward zero.
double parseFloat(const char *text);
int64_t parseSigned(const char *text);

} // namespace tfmrt

#endif // TFMRT_STRINGS_H
