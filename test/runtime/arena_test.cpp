//===- arena_test.cpp - tfmrt's arena: reuse, growth, alignment, overflow -===//

#include "Arena.h"
#include "TestUtil.h"

#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

using tfmrt::Arena;

namespace {

bool aligned(const void *p) { return reinterpret_cast<uintptr_t>(p) % 64 == 0; }

// Runs `sizes` as one run's allocations (all live at once), returns them.
std::vector<void *> allocateAll(Arena &arena, const std::vector<int64_t> &sizes) {
  std::vector<void *> ptrs;
  for (int64_t size : sizes) {
    void *p = arena.allocate(size);
    CHECK(p && aligned(p));
    if (p)
      std::memset(p, 0xab, size_t(size));
    ptrs.push_back(p);
  }
  return ptrs;
}

void testReuseAfterFree() {
  Arena arena;
  arena.beginRun();
  arena.allocate(1 << 20); // first run: no block yet, all overflows
  CHECK(arena.runOverflows() == 1);
  arena.beginRun();
  CHECK(arena.capacity() >= (1 << 20));
  void *a = arena.allocate(1000), *b = arena.allocate(1000), *c = arena.allocate(1000);
  CHECK(arena.runOverflows() == 0);
  arena.release(b);
  CHECK(arena.allocate(500) == b); // first fit into the freed slot
  arena.release(a);
  void *d = arena.allocate(1000);
  CHECK(d == a);
  arena.release(d);
  arena.release(c);
  // a's slot, b's remainder and c coalesce back into one free space.
  void *e = arena.allocate(900);
  CHECK(e == a);
  void *f = arena.allocate(2500);
  CHECK(static_cast<char *>(f) > static_cast<char *>(e));
  CHECK(arena.runOverflows() == 0);
  arena.release(e);
  arena.release(f);
  // The lowest free slot is the block's start again.
  CHECK(arena.allocate(64) == a);
}

void testGrowthOnlyAfterLargerRun() {
  Arena arena;
  CHECK(arena.capacity() == 0);
  std::vector<int64_t> sizes = {100000, 300000, 7, 0, 4096, 250000};
  arena.beginRun();
  allocateAll(arena, sizes);
  size_t peak = arena.runPeak();
  CHECK(arena.runOverflows() == sizes.size());
  CHECK(arena.capacity() == 0); // never grown during a run
  arena.beginRun();
  size_t grown = arena.capacity();
  CHECK(grown >= peak);
  // Same and smaller runs: no overflow, no growth, same addresses.
  std::vector<void *> first = allocateAll(arena, sizes);
  CHECK(arena.runOverflows() == 0);
  for (int run = 0; run < 3; ++run) {
    arena.beginRun();
    CHECK(arena.capacity() == grown);
    std::vector<void *> again = allocateAll(arena, sizes);
    CHECK(again == first);
    CHECK(arena.runOverflows() == 0);
  }
  arena.beginRun();
  allocateAll(arena, {1000, 2000});
  arena.beginRun();
  CHECK(arena.capacity() == grown);
  // A larger run overflows and grows the block at the next run only.
  std::vector<int64_t> larger = sizes;
  larger.push_back(int64_t(grown));
  allocateAll(arena, larger);
  CHECK(arena.runOverflows() > 0);
  CHECK(arena.capacity() == grown);
  size_t largerPeak = arena.runPeak();
  arena.beginRun();
  CHECK(arena.capacity() >= largerPeak);
  allocateAll(arena, larger);
  CHECK(arena.runOverflows() == 0);
}

void testSlowGrowthAmortized() {
  // A decoder's KV cache grows a little per run: the block must not be
  // reallocated (and re-faulted) every run.
  Arena arena;
  int reallocations = 0;
  size_t last = 0;
  for (int run = 0; run < 200; ++run) {
    arena.beginRun();
    if (arena.capacity() != last)
      ++reallocations;
    last = arena.capacity();
    void *p = arena.allocate(100000 + run * 1024);
    CHECK(p != nullptr);
    arena.release(p);
  }
  CHECK(reallocations <= 8);
}

void testAlignmentAndZeroBytes() {
  Arena arena;
  for (int run = 0; run < 2; ++run) {
    arena.beginRun();
    std::vector<void *> zeros;
    for (int i = 0; i < 10; ++i) {
      void *p = arena.allocate(0);
      CHECK(p && aligned(p));
      for (void *q : zeros)
        CHECK(p != q);
      zeros.push_back(p);
    }
    for (int64_t size : {1, 3, 63, 64, 65, 127, 4095, 4097, 3 << 20}) {
      void *p = arena.allocate(size);
      CHECK(p && aligned(p));
      std::memset(p, 1, size_t(size));
    }
  }
  CHECK(arena.allocate(-1) == nullptr);
  arena.release(nullptr); // no-op
}

void testOverflowFree() {
  Arena arena;
  arena.beginRun();
  void *small = arena.allocate(1000);
  arena.beginRun();
  size_t capacity = arena.capacity();
  void *inBlock = arena.allocate(1000);
  CHECK(inBlock && small && arena.runOverflows() == 0);
  // Bigger than the block: overflow memory, which frees like any other.
  void *big = arena.allocate(int64_t(capacity) * 4);
  CHECK(big && aligned(big) && arena.runOverflows() == 1);
  std::memset(big, 7, capacity * 4);
  arena.release(big);
  void *big2 = arena.allocate(int64_t(capacity) * 2);
  CHECK(big2 != nullptr);
  std::memset(big2, 7, capacity * 2);
  arena.release(inBlock);
  // Left live at the run's end: released by the next run's start.
  arena.beginRun();
  CHECK(arena.capacity() >= capacity * 2);
  CHECK(arena.allocate(int64_t(capacity) * 2) != nullptr);
  CHECK(arena.runOverflows() == 0);
}

// Random allocate/free against a shadow: every live buffer keeps its own
// byte pattern, so overlapping buffers show up as clobbered patterns.
void testRandomNoOverlap() {
  Arena arena;
  std::mt19937 rng(42);
  struct Live {
    unsigned char *p;
    size_t size;
    unsigned char tag;
  };
  for (int run = 0; run < 6; ++run) {
    arena.beginRun();
    std::vector<Live> live;
    for (int op = 0; op < 3000; ++op) {
      if (live.empty() || rng() % 3) {
        size_t size = rng() % 8 == 0 ? rng() % 200000 : rng() % 3000;
        auto *p = static_cast<unsigned char *>(arena.allocate(int64_t(size)));
        CHECK(p && aligned(p));
        unsigned char tag = static_cast<unsigned char>(rng());
        std::memset(p, tag, size);
        live.push_back({p, size, tag});
        if (live.size() > 60) {
          size_t victim = rng() % live.size();
          for (size_t i = 0; i < live[victim].size; ++i)
            if (live[victim].p[i] != live[victim].tag) {
              CHECK(!"live buffer clobbered");
              break;
            }
          arena.release(live[victim].p);
          live.erase(live.begin() + victim);
        }
      } else {
        size_t victim = rng() % live.size();
        for (size_t i = 0; i < live[victim].size; ++i)
          if (live[victim].p[i] != live[victim].tag) {
            CHECK(!"live buffer clobbered");
            break;
          }
        arena.release(live[victim].p);
        live.erase(live.begin() + victim);
      }
    }
    // Runs after the first see an arena sized to the previous peak.
    if (run >= 2)
      CHECK(arena.runOverflows() < 50);
  }
}

//--- Through the C API ------------------------------------------------------

// The fake model's entry allocates sizes[i] bytes for each input element,
// frees every other one, and returns the last buffer as its output.
int32_t arenaEntry(tfmrt_instance *instance, const tfmrt_tensor *inputs, tfmrt_tensor *outputs) {
  const auto *sizes = static_cast<const int64_t *>(inputs[0].data);
  void *last = nullptr;
  std::vector<void *> keep;
  for (int64_t i = 0; i < inputs[0].shape[0]; ++i) {
    void *p = tfmrt_alloc(instance, sizes[i]);
    if (!p)
      return TFMRT_OUT_OF_MEMORY;
    std::memset(p, int(i), size_t(sizes[i]));
    if (i % 2)
      tfmrt_free(instance, p);
    else
      keep.push_back(p);
    last = p;
  }
  tfmrt_free(instance, nullptr);
  for (void *p : keep)
    if (p != last)
      tfmrt_free(instance, p);
  int64_t *out = static_cast<int64_t *>(tfmrt_alloc(instance, 8));
  if (!out)
    return TFMRT_OUT_OF_MEMORY;
  *out = reinterpret_cast<intptr_t>(last);
  outputs[0] = test::makeTensor(out, TFMRT_DTYPE_I64, 0, nullptr);
  return TFMRT_OK;
}

void testThroughInstance() {
  static const int64_t dims[] = {-1};
  static const int32_t symbols[] = {0};
  static const char *const symbolNames[] = {"n"};
  static const tfmrt_tensor_desc inputs[] = {{"sizes", TFMRT_DTYPE_I64, 1, dims, symbols}};
  static const tfmrt_tensor_desc outputs[] = {{"last", TFMRT_DTYPE_I64, 0, nullptr, nullptr}};
  static const tfmrt_model model = {TFMRT_ABI_VERSION, 1, 1, 1, "arena", "test", inputs,
                                    outputs, symbolNames, arenaEntry};
  const char *error = nullptr;
  tfmrt_options options{1};
  tfmrt_instance *instance = tfmrt_instance_create(&model, &options, &error);
  CHECK(instance && !error);
  if (!instance)
    return;
  CHECK(tfmrt_instance_arena_bytes(instance) == 0);
  std::vector<int64_t> sizes = {5000, 100, 70000, 0, 333, 200000, 64};
  int64_t n = int64_t(sizes.size());
  tfmrt_tensor in = test::makeTensor(sizes.data(), TFMRT_DTYPE_I64, 1, &n);
  tfmrt_tensor out{};
  CHECK(tfmrt_instance_run(instance, &in, 1, &out, 1) == TFMRT_OK);
  CHECK(tfmrt_instance_arena_bytes(instance) == 0); // first run overflowed
  CHECK(tfmrt_instance_run(instance, &in, 1, &out, 1) == TFMRT_OK);
  size_t bytes = tfmrt_instance_arena_bytes(instance);
  CHECK(bytes >= 275000);
  int64_t lastPtr = *static_cast<int64_t *>(out.data);
  for (int i = 0; i < 5; ++i) {
    CHECK(tfmrt_instance_run(instance, &in, 1, &out, 1) == TFMRT_OK);
    CHECK(*static_cast<int64_t *>(out.data) == lastPtr); // same layout, same memory
    CHECK(tfmrt_instance_arena_bytes(instance) == bytes);
  }
  // A smaller run keeps the arena as it is.
  int64_t fewer = 3;
  tfmrt_tensor small = test::makeTensor(sizes.data(), TFMRT_DTYPE_I64, 1, &fewer);
  CHECK(tfmrt_instance_run(instance, &small, 1, &out, 1) == TFMRT_OK);
  CHECK(tfmrt_instance_arena_bytes(instance) == bytes);
  sizes.push_back(int64_t(bytes) * 2);
  n = int64_t(sizes.size());
  in = test::makeTensor(sizes.data(), TFMRT_DTYPE_I64, 1, &n);
  CHECK(tfmrt_instance_run(instance, &in, 1, &out, 1) == TFMRT_OK);
  CHECK(tfmrt_instance_arena_bytes(instance) == bytes); // grows at the next run
  CHECK(tfmrt_instance_run(instance, &in, 1, &out, 1) == TFMRT_OK);
  CHECK(tfmrt_instance_arena_bytes(instance) >= bytes * 2);
  tfmrt_free(instance, nullptr);
  CHECK(tfmrt_alloc(nullptr, 10) == nullptr);
  tfmrt_instance_destroy(instance);
}

} // namespace

int main() {
  testReuseAfterFree();
  testGrowthOnlyAfterLargerRun();
  testSlowGrowthAmortized();
  testAlignmentAndZeroBytes();
  testOverflowFree();
  testRandomNoOverlap();
  testThroughInstance();
  return test::finish("tfmrt-arena-test");
}
