//===- strings_test.cpp - string elements: format, parse, pool, runs ------===//
//
// A fake model whose entry casts its float input to strings and passes its
// string input through, as compiled code does: formatted strings and kept
// outputs must outlive the caller's inputs until the next run.
//
//===----------------------------------------------------------------------===//

#include "Strings.h"
#include "TestUtil.h"

#include <cmath>
#include <string>

namespace {

std::string formatted(double value, bool single) {
  char text[32];
  size_t length = tfmrt::formatFloat(value, single, text);
  return std::string(text, length) == text ? text : "length mismatch";
}

void testFormat() {
  CHECK_STR(formatted(0.039187793f, true).c_str(), "0.039187793");
  CHECK_STR(formatted(0.1f, true).c_str(), "0.1");
  CHECK_STR(formatted(0.1, false).c_str(), "0.1");
  CHECK_STR(formatted(100.0, true).c_str(), "100.0");
  CHECK_STR(formatted(123.45, false).c_str(), "123.45");
  CHECK_STR(formatted(-0.0, true).c_str(), "-0.0");
  CHECK_STR(formatted(0.0, false).c_str(), "0.0");
  CHECK_STR(formatted(1e-5, false).c_str(), "1e-05");
  CHECK_STR(formatted(1.5e-7f, true).c_str(), "1.5e-07");
  CHECK_STR(formatted(0.0001, false).c_str(), "0.0001");
  CHECK_STR(formatted(1e16, false).c_str(), "1e+16");
  CHECK_STR(formatted(-3e38f, true).c_str(), "-3e+38");
  CHECK_STR(formatted(16777216.0, true).c_str(), "16777216.0");
  CHECK_STR(formatted(NAN, true).c_str(), "NaN");
  CHECK_STR(formatted(-INFINITY, false).c_str(), "-INF");
  char text[32];
  tfmrt::formatSigned(INT64_MIN, text);
  CHECK_STR(text, "-9223372036854775808");
  tfmrt::formatUnsigned(UINT64_MAX, text);
  CHECK_STR(text, "18446744073709551615");
}

void testParse() {
  CHECK(tfmrt_parse_f64("0.47892547") == 0.47892547);
  CHECK(tfmrt_parse_f64(" +1E8") == 1e8);
  CHECK(tfmrt_parse_f64("-1e-5") == -1e-5);
  CHECK(std::isinf(tfmrt_parse_f64("+INF")) && tfmrt_parse_f64("+INF") > 0);
  CHECK(std::isinf(tfmrt_parse_f64("-inf")) && tfmrt_parse_f64("-inf") < 0);
  CHECK(std::isnan(tfmrt_parse_f64("NaN")));
  CHECK(std::isnan(tfmrt_parse_f64("Hello World!")));
  CHECK(tfmrt_parse_i64("100.5") == 100);
  CHECK(tfmrt_parse_i64("-7") == -7);
  CHECK(tfmrt_parse_i64("1e3") == 1000);
  CHECK(tfmrt_parse_i64("18446744073709551615") == -1); // UINT64_MAX's bits
  CHECK(tfmrt_parse_i64("x") == 0);
  CHECK(tfmrt_strings_equal("ab", "ab") == 1);
  CHECK(tfmrt_strings_equal("ab", "abc") == 0);
}

void testPool() {
  tfmrt::StringPool pool;
  const char *a = pool.copy("first", 5);
  std::string big(100000, 'x'); // larger than a chunk
  const char *b = pool.copy(big.c_str(), big.size());
  const char *c = pool.copy("third", 5);
  CHECK(pool.holds(a) && pool.holds(b + 99999) && pool.holds(c));
  const char *outside = "outside";
  CHECK(!pool.holds(outside));
  CHECK_STR(a, "first");
  CHECK(b && big == b);
  CHECK_STR(c, "third");
  pool.reset();
  CHECK_STR(pool.copy("again", 5), "again");
}

const char *firstFormatted = nullptr;

// outputs[0] = Cast(inputs[0] f32 -> string); outputs[1] = inputs[1] (string).
int32_t fakeEntry(tfmrt_instance *instance, const tfmrt_tensor *inputs, tfmrt_tensor *outputs) {
  int64_t n = inputs[0].shape[0];
  auto *formatted = static_cast<const char **>(tfmrt_alloc(instance, n * sizeof(char *)));
  auto *passed = static_cast<const char **>(tfmrt_alloc(instance, n * sizeof(char *)));
  for (int64_t i = 0; i < n; ++i) {
    formatted[i] = tfmrt_format_f32(instance, static_cast<const float *>(inputs[0].data)[i]);
    passed[i] = static_cast<const char *const *>(inputs[1].data)[i];
  }
  firstFormatted = formatted[0];
  if (int32_t status = tfmrt_keep_strings(instance, formatted, n))
    return status;
  if (int32_t status = tfmrt_keep_strings(instance, passed, n))
    return status;
  outputs[0] = test::makeTensor(formatted, TFMRT_DTYPE_STRING, 1, &n);
  outputs[1] = test::makeTensor(passed, TFMRT_DTYPE_STRING, 1, &n);
  return TFMRT_OK;
}

const int64_t dims[] = {-1};
const int32_t symbols[] = {0};
const char *const symbolNames[] = {"n"};
const tfmrt_tensor_desc inputDescs[] = {{"x", TFMRT_DTYPE_F32, 1, dims, symbols},
                                        {"s", TFMRT_DTYPE_STRING, 1, dims, symbols}};
const tfmrt_tensor_desc outputDescs[] = {{"x_text", TFMRT_DTYPE_STRING, 1, dims, nullptr},
                                         {"s_copy", TFMRT_DTYPE_STRING, 1, dims, nullptr}};
const tfmrt_model model = {TFMRT_ABI_VERSION, 2, 2, 1, "strings", "test", inputDescs,
                           outputDescs, symbolNames, fakeEntry};

void testRuns() {
  tfmrt_instance *instance = tfmrt_instance_create(&model, nullptr, nullptr);
  CHECK(instance);
  if (!instance)
    return;
  float x[2] = {0.5f, 2.0f};
  std::string caller[2] = {"alpha", "beta"};
  const char *s[2] = {caller[0].c_str(), caller[1].c_str()};
  int64_t n = 2;
  tfmrt_tensor inputs[2] = {test::makeTensor(x, TFMRT_DTYPE_F32, 1, &n),
                            test::makeTensor(s, TFMRT_DTYPE_STRING, 1, &n)};
  tfmrt_tensor outputs[2];
  CHECK(tfmrt_instance_run(instance, inputs, 2, outputs, 2) == TFMRT_OK);
  caller[0].assign("overwritten by the caller");
  const char *const *text = static_cast<const char *const *>(outputs[0].data);
  const char *const *copy = static_cast<const char *const *>(outputs[1].data);
  CHECK_STR(text[0], "0.5");
  CHECK(text[0] == firstFormatted); // the instance's already: not copied again
  CHECK(copy[0] != s[0]);
  CHECK_STR(text[1], "2.0");
  CHECK_STR(copy[0], "alpha");
  CHECK_STR(copy[1], "beta");

  s[1] = nullptr;
  CHECK(tfmrt_instance_run(instance, inputs, 2, outputs, 2) == TFMRT_INVALID_ARGUMENT);
  CHECK_STR(tfmrt_instance_error(instance), "input 's': string element 1 is NULL");
  CHECK(tfmrt_dtype_size(TFMRT_DTYPE_STRING) == sizeof(char *));
  CHECK_STR(tfmrt_dtype_name(TFMRT_DTYPE_STRING), "string");
  tfmrt_instance_destroy(instance);
}

} // namespace

int main() {
  testFormat();
  testParse();
  testPool();
  testRuns();
  return test::finish("tfmrt-strings-test");
}
