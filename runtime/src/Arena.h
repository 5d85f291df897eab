//===- Arena.h - one instance's memory for tfmrt_alloc/free ----*- C++ -*-===//
//
// Compiled code allocates every intermediate buffer with tfmrt_alloc and frees
// it after its last use. A run must not fault in fresh pages when the shapes
// did not grow (first touch costs ~11 us per 4 KiB page), so buffers come
// from one block that is kept across runs, with a free list that reuses and
// coalesces freed ranges. When a run needs more than the block holds, the
// excess comes from the system ("overflow") and the run's peak is recorded;
// the next run starts by growing the block to that peak.
//
//===----------------------------------------------------------------------===//
#ifndef TFMRT_ARENA_H
#define TFMRT_ARENA_H

#include "RangeAllocator.h"

#include <cstddef>
#include <cstdint>
#include <mutex>

namespace tfmrt {

/// 64-byte aligned system memory (huge-page backed when large); NULL on
/// failure. Pair every call with freeAligned(ptr, bytes).
void *allocateAligned(size_t bytes);
void freeAligned(void *ptr, size_t bytes);

/// A grow-only aligned buffer: per-thread scratch that survives across runs.
class ScratchBuffer {
public:
  ScratchBuffer() = default;
  ScratchBuffer(const ScratchBuffer &) = delete;
  ScratchBuffer &operator=(const ScratchBuffer &) = delete;
  ~ScratchBuffer() { freeAligned(data, bytes); }
  /// At least `size` bytes, contents unspecified; NULL when out of memory.
  void *get(size_t size);

private:
  void *data = nullptr;
  size_t bytes = 0;
};

class Arena {
public:
  static constexpr size_t alignment = 64;

  Arena() = default;
  Arena(const Arena &) = delete;
  Arena &operator=(const Arena &) = delete;
  ~Arena();

  /// Frees everything the previous run left (its outputs included) and, if
  /// that run overflowed, regrows the block to hold its peak.
  void beginRun();
  /// 64-byte aligned, distinct even for 0 bytes; NULL when the system is out
  /// of memory or `bytes` is negative. Safe to call from several threads.
  void *allocate(int64_t bytes);
  /// NULL is a no-op.
  void release(void *ptr);

  size_t capacity() const { return blockBytes; }
  /// Bytes the current run would need in the block to never overflow.
  size_t runPeak() const { return ranges.peak(); }
  /// Allocations of the current run that did not fit in the block.
  size_t runOverflows() const { return overflowCount; }

private:
  struct Header;

  void releaseOverflow();

  std::mutex mutex;
  char *block = nullptr;
  size_t blockBytes = 0;
  RangeAllocator ranges; // offsets into the block, beyond it: overflow
  size_t overflowCount = 0;
  Header *overflowList = nullptr; // live overflow allocations
};

} // namespace tfmrt

#endif // TFMRT_ARENA_H
