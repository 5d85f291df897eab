//===- Random.cpp - Dropout masks as numpy's RandomState draws them -------===//
//
// ONNX's reference Dropout seeds numpy's legacy RandomState and compares
// uniform draws with the ratio; matching its test data means the same
// generator: MT19937 with init_genrand seeding and 53-bit doubles.
//
//===----------------------------------------------------------------------===//

#include "tfmrt/tfmrt.h"

#include <cstdint>

namespace {

class MersenneTwister {
public:
  explicit MersenneTwister(uint32_t seed) {
    state[0] = seed;
    for (int i = 1; i < kSize; ++i)
      state[i] = 1812433253u * (state[i - 1] ^ (state[i - 1] >> 30)) + i;
  }

  uint32_t next() {
    if (index == kSize)
      twist();
    uint32_t y = state[index++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    return y ^ (y >> 18);
  }

  /// numpy's random_standard_uniform: 27 + 26 bits.
  double nextDouble() {
    uint32_t a = next() >> 5, b = next() >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

private:
  static constexpr int kSize = 624, kShift = 397;

  void twist() {
    for (int i = 0; i < kSize; ++i) {
      uint32_t y = (state[i] & 0x80000000u) | (state[(i + 1) % kSize] & 0x7fffffffu);
      state[i] = state[(i + kShift) % kSize] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
    }
    index = 0;
  }

  uint32_t state[kSize];
  int index = kSize;
};

} // namespace

extern "C" void tfmrt_dropout_mask(uint8_t *mask, int64_t count, double ratio, int64_t seed) {
  MersenneTwister generator(static_cast<uint32_t>(seed));
  for (int64_t i = 0; i < count; ++i)
    mask[i] = generator.nextDouble() >= ratio;
}
