//===- weights_test.cpp - instances of a model with a weights file --------===//
//
// A fake model "fake" compiled as if with --external-weights: 1000 bytes of
// weights, whose sum its entry returns through tfmrt_weights. Instances need
// the file by path, refuse a short or different one with a message naming
// it, and map it for their lifetime. Usage: tfmrt-weights-test <scratch dir>
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace {

constexpr size_t kBytes = 1000;

unsigned char weights[kBytes];

// The sum of the weights' bytes as a scalar float output.
int32_t fakeEntry(tfmrt_instance *instance, const tfmrt_tensor *, tfmrt_tensor *outputs) {
  auto *base = static_cast<const unsigned char *>(tfmrt_weights(instance));
  if (!base)
    return TFMRT_INTERNAL;
  auto *sum = static_cast<float *>(tfmrt_alloc(instance, sizeof(float)));
  *sum = 0;
  for (size_t i = 0; i < kBytes; ++i)
    *sum += base[i];
  outputs[0] = test::makeTensor(sum, TFMRT_DTYPE_F32, 0, nullptr);
  return TFMRT_OK;
}

const tfmrt_tensor_desc outputDescs[] = {{"sum", TFMRT_DTYPE_F32, 0, nullptr, nullptr}};

bool writeFile(const std::string &path, const unsigned char *bytes, size_t size) {
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f)
    return false;
  bool ok = std::fwrite(bytes, 1, size, f) == size;
  return std::fclose(f) == 0 && ok;
}

bool contains(const char *text, const std::string &part) {
  return text && std::string(text).find(part) != std::string::npos;
}

// Creating fails, and the message contains each of `parts`.
void expectRefused(const tfmrt_model &model, const char *path,
                   std::initializer_list<std::string> parts) {
  tfmrt_options options{1, path};
  const char *error = nullptr;
  tfmrt_instance *instance = tfmrt_instance_create(&model, &options, &error);
  CHECK(instance == nullptr);
  for (const std::string &part : parts)
    if (!contains(error, part)) {
      std::fprintf(stderr, "message '%s' lacks '%s'\n", error ? error : "(null)", part.c_str());
      CHECK(false);
    }
  tfmrt_instance_destroy(instance);
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: tfmrt-weights-test <scratch dir>\n");
    return 2;
  }
  std::string dir = argv[1];
  float expectedSum = 0;
  for (size_t i = 0; i < kBytes; ++i) {
    weights[i] = static_cast<unsigned char>(i * 7 + 3);
    expectedSum += weights[i];
  }
  tfmrt_model model = {TFMRT_ABI_VERSION, 0, 1, 0, "fake", "test", nullptr, outputDescs,
                       nullptr, fakeEntry, kBytes, tfmrt_weights_checksum(weights, kBytes)};

  std::string good = dir + "/fake.weights", shortFile = dir + "/short.weights",
              other = dir + "/other.weights", missing = dir + "/missing.weights";
  CHECK(writeFile(good, weights, kBytes));
  CHECK(writeFile(shortFile, weights, kBytes - 1));
  unsigned char changed[kBytes];
  for (size_t i = 0; i < kBytes; ++i)
    changed[i] = weights[i];
  changed[kBytes / 2] ^= 1;
  CHECK(writeFile(other, changed, kBytes));
  std::string otherTail = dir + "/other-tail.weights"; // past the last 64-byte block
  changed[kBytes / 2] ^= 1;
  changed[kBytes - 3] ^= 0x80;
  CHECK(writeFile(otherTail, changed, kBytes));

  // No path (no options, or options without one).
  const char *error = nullptr;
  CHECK(tfmrt_instance_create(&model, nullptr, &error) == nullptr);
  CHECK_STR(error, "tfmrt_instance_create: model 'fake' needs its weights file (fake.weights): "
                   "set tfmrt_options.weights_path");
  expectRefused(model, nullptr, {"needs its weights file (fake.weights)"});
  expectRefused(model, missing.c_str(), {"'fake'", missing, "No such file"});
  expectRefused(model, shortFile.c_str(), {shortFile, "999 bytes", "1000"});
  expectRefused(model, other.c_str(), {other, "does not match"});
  expectRefused(model, otherTail.c_str(), {otherTail, "does not match"});
  expectRefused(model, dir.c_str(), {dir, "not a file"});

  // The right file: mapped, 64-byte aligned, readable by the entry, and
  // independent per instance.
  tfmrt_options options{1, good.c_str()};
  tfmrt_instance *a = tfmrt_instance_create(&model, &options, &error);
  tfmrt_instance *b = tfmrt_instance_create(&model, &options, &error);
  CHECK(a && b);
  if (a && b) {
    const void *base = tfmrt_weights(a);
    CHECK(base && reinterpret_cast<uintptr_t>(base) % 64 == 0);
    CHECK(base != tfmrt_weights(b));
    tfmrt_instance_destroy(b);
    tfmrt_tensor out{};
    CHECK(tfmrt_instance_run(a, nullptr, 0, &out, 1) == TFMRT_OK);
    CHECK(out.data && *static_cast<float *>(out.data) == expectedSum);
    tfmrt_instance_destroy(a);
  }

  // A model with its weights in the object ignores weights_path.
  tfmrt_model inObject = model;
  inObject.weights_bytes = 0;
  inObject.weights_checksum = 0;
  tfmrt_options bogus{1, missing.c_str()};
  tfmrt_instance *plain = tfmrt_instance_create(&inObject, &bogus, &error);
  CHECK(plain && tfmrt_weights(plain) == nullptr);
  tfmrt_instance_destroy(plain);
  CHECK(tfmrt_weights(nullptr) == nullptr);
  return test::finish("tfmrt-weights-test");
}
