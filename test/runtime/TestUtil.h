//===- TestUtil.h - shared bits of the runtime's unit tests ----*- C++ -*-===//
//
// No framework: CHECK prints what failed and counts it; main returns
// failures() != 0.
//
//===----------------------------------------------------------------------===//
#ifndef TFMRT_TEST_TESTUTIL_H
#define TFMRT_TEST_TESTUTIL_H

#include "tfmrt/tfmrt.h"

#include <atomic>
#include <cstdio>
#include <cstring>

namespace test {

inline std::atomic<int> &failureCount() {
  static std::atomic<int> count{0};
  return count;
}
inline int failures() { return failureCount().load(); }

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);                \
      ++test::failureCount();                                                                      \
    }                                                                                              \
  } while (0)

#define CHECK_STR(actual, expected)                                                                \
  do {                                                                                             \
    const char *a_ = (actual), *e_ = (expected);                                                   \
    if (!a_ || std::strcmp(a_, e_) != 0) {                                                         \
      std::fprintf(stderr, "%s:%d: CHECK_STR failed:\n  got:      %s\n  expected: %s\n", __FILE__, \
                   __LINE__, a_ ? a_ : "(null)", e_);                                              \
      ++test::failureCount();                                                                      \
    }                                                                                              \
  } while (0)

inline tfmrt_tensor makeTensor(void *data, tfmrt_dtype dtype, int32_t rank, const int64_t *shape) {
  tfmrt_tensor t{};
  t.data = data;
  t.dtype = dtype;
  t.rank = rank;
  for (int32_t i = 0; i < rank; ++i)
    t.shape[i] = shape[i];
  return t;
}

inline int finish(const char *name) {
  if (failures())
    std::fprintf(stderr, "%s: %d check(s) failed\n", name, failures());
  else
    std::printf("%s: all checks passed\n", name);
  return failures() ? 1 : 0;
}

} // namespace test

#endif // TFMRT_TEST_TESTUTIL_H
