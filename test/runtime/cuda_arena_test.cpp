//===- cuda_arena_test.cpp - the CUDA device arena's bookkeeping ----------===//
//
// DeviceArena against host memory posing as device memory: the policy
// (reuse, growth only after a larger run, overflow, alignment) is tested
// where no GPU is, and the fake counts what the arena takes and returns.
//
//===----------------------------------------------------------------------===//

#include "DeviceArena.h"
#include "TestUtil.h"

#include <cstdlib>
#include <map>
#include <random>
#include <vector>

using tfmrt::cuda::DeviceArena;

namespace {

class FakeMemory final : public tfmrt::cuda::DeviceMemory {
public:
  ~FakeMemory() override { CHECK(live.empty()); }
  uint64_t allocate(uint64_t bytes) override {
    if (bytes > limit)
      return 0;
    ++allocations;
    void *p = std::aligned_alloc(256, (bytes + 255) / 256 * 256);
    live[reinterpret_cast<uint64_t>(p)] = bytes;
    return reinterpret_cast<uint64_t>(p);
  }
  void release(uint64_t address) override {
    CHECK(live.erase(address) == 1); // never a foreign or double release
    std::free(reinterpret_cast<void *>(address));
  }
  uint64_t limit = ~uint64_t(0); // larger requests fail, as cuMemAlloc would
  size_t allocations = 0;
  std::map<uint64_t, uint64_t> live;
};

bool aligned(uint64_t address) { return address % 256 == 0; }

std::vector<uint64_t> allocateAll(DeviceArena &arena, const std::vector<int64_t> &sizes) {
  std::vector<uint64_t> addresses;
  for (int64_t size : sizes) {
    uint64_t a = arena.allocate(size);
    CHECK(a && aligned(a));
    addresses.push_back(a);
  }
  return addresses;
}

void testReuseAfterFree() {
  FakeMemory memory;
  DeviceArena arena(memory);
  arena.beginRun();
  arena.allocate(1 << 20); // no block yet: overflow
  CHECK(arena.runOverflows() == 1);
  arena.beginRun();
  CHECK(memory.live.size() == 1); // the block only: overflow returned
  CHECK(arena.capacity() >= (1 << 20) && arena.capacity() % (2 << 20) == 0);
  uint64_t a = arena.allocate(1000), b = arena.allocate(1000), c = arena.allocate(1000);
  CHECK(arena.runOverflows() == 0);
  CHECK(b == a + 1024 && c == b + 1024); // 256-byte granules, no headers
  arena.release(b);
  CHECK(arena.allocate(500) == b); // first fit
  arena.release(a);
  CHECK(arena.allocate(1000) == a);
  arena.release(12345); // not ours: ignored
  arena.release(0);
  CHECK(arena.runOverflows() == 0);
}

void testGrowthOnlyAfterLargerRun() {
  FakeMemory memory;
  DeviceArena arena(memory);
  std::vector<int64_t> sizes = {100000, 300000, 7, 0, 4096, 250000};
  arena.beginRun();
  allocateAll(arena, sizes);
  uint64_t peak = arena.runPeak();
  CHECK(arena.runOverflows() == sizes.size());
  CHECK(arena.capacity() == 0);
  arena.beginRun();
  uint64_t grown = arena.capacity();
  CHECK(grown >= peak);
  size_t allocations = memory.allocations;
  std::vector<uint64_t> first = allocateAll(arena, sizes);
  for (int run = 0; run < 3; ++run) {
    arena.beginRun();
    CHECK(allocateAll(arena, sizes) == first); // same layout, same memory
    CHECK(arena.runOverflows() == 0);
    CHECK(arena.capacity() == grown);
  }
  CHECK(memory.allocations == allocations); // steady runs never call the driver
  std::vector<int64_t> larger = sizes;
  larger.push_back(int64_t(grown));
  allocateAll(arena, larger);
  CHECK(arena.runOverflows() > 0 && arena.capacity() == grown);
  uint64_t largerPeak = arena.runPeak();
  arena.beginRun();
  CHECK(arena.capacity() >= largerPeak);
  allocateAll(arena, larger);
  CHECK(arena.runOverflows() == 0);
  CHECK(memory.live.size() == 1);
}

void testSlowGrowthAmortized() {
  FakeMemory memory;
  DeviceArena arena(memory);
  int reallocations = 0;
  uint64_t last = 0;
  for (int run = 0; run < 200; ++run) {
    arena.beginRun();
    if (arena.capacity() != last)
      ++reallocations;
    last = arena.capacity();
    arena.release(arena.allocate(1000000 + run * 65536));
  }
  CHECK(reallocations <= 8);
}

void testZeroNegativeAndFailure() {
  FakeMemory memory;
  DeviceArena arena(memory);
  arena.beginRun();
  std::vector<uint64_t> zeros = allocateAll(arena, {0, 0, 0});
  CHECK(zeros[0] != zeros[1] && zeros[1] != zeros[2]);
  CHECK(arena.allocate(-1) == 0);
  memory.limit = 4096;
  CHECK(arena.allocate(8192) == 0); // the driver refused
  CHECK(arena.allocate(100) != 0);  // the range it would have taken is free again
  // A block that cannot be regrown leaves every allocation to overflow.
  memory.limit = 0;
  arena.beginRun();
  CHECK(arena.capacity() == 0);
  memory.limit = ~uint64_t(0);
  CHECK(arena.allocate(100) != 0 && arena.runOverflows() == 1);
}

void testClearReturnsEverything() {
  FakeMemory memory;
  DeviceArena arena(memory);
  arena.beginRun();
  allocateAll(arena, {5000, 6000});
  arena.beginRun();
  allocateAll(arena, {5000, 6000, 1 << 22}); // the last one overflows
  CHECK(memory.live.size() == 2);
  arena.clear();
  CHECK(memory.live.empty() && arena.capacity() == 0);
}

// Random allocate/free: live buffers never overlap (checked by patterns).
void testRandomNoOverlap() {
  FakeMemory memory;
  DeviceArena arena(memory);
  std::mt19937 rng(7);
  struct Live {
    unsigned char *p;
    size_t size;
    unsigned char tag;
  };
  auto intact = [](const Live &l) {
    for (size_t i = 0; i < l.size; ++i)
      if (l.p[i] != l.tag)
        return false;
    return true;
  };
  for (int run = 0; run < 5; ++run) {
    arena.beginRun();
    std::vector<Live> live;
    for (int op = 0; op < 2000; ++op) {
      if (live.empty() || rng() % 3) {
        size_t size = rng() % 8 == 0 ? rng() % 200000 : rng() % 3000;
        auto *p = reinterpret_cast<unsigned char *>(arena.allocate(int64_t(size)));
        CHECK(p && aligned(reinterpret_cast<uint64_t>(p)));
        unsigned char tag = static_cast<unsigned char>(rng());
        std::memset(p, tag, size);
        live.push_back({p, size, tag});
      } else {
        size_t victim = rng() % live.size();
        CHECK(intact(live[victim]));
        arena.release(reinterpret_cast<uint64_t>(live[victim].p));
        live.erase(live.begin() + victim);
      }
    }
    for (const Live &l : live)
      CHECK(intact(l));
  }
}

} // namespace

int main() {
  testReuseAfterFree();
  testGrowthOnlyAfterLargerRun();
  testSlowGrowthAmortized();
  testZeroNegativeAndFailure();
  testClearReturnsEverything();
  testRandomNoOverlap();
  return test::finish("tfmrt-cuda-arena-test");
}
