//===- RangeAllocator.h - first-fit offsets for an arena -------*- C++ -*-===//
//
// The bookkeeping of an arena without its memory, so the CPU arena (which
// keeps headers inside its block) and the CUDA device arena (whose block the
// host cannot write) share it. Offsets are virtual: the arena's block is
// [0, blockBytes) of an unbounded space and everything at or above `top` is
// free. A range taken beyond the block is backed by an overflow allocation;
// `peak` is thus exactly the size a block needs for the run's allocations to
// fit with the same layout.
//
//===----------------------------------------------------------------------===//
#ifndef TFMRT_RANGEALLOCATOR_H
#define TFMRT_RANGEALLOCATOR_H

#include <cstdint>
#include <vector>

namespace tfmrt {

class RangeAllocator {
public:
  /// First fit over the freed ranges, else the top of the used space.
  uint64_t take(uint64_t size);
  /// Returns a range that take() gave, coalescing it with its neighbours.
  void give(uint64_t offset, uint64_t size);
  /// Everything free again, peak 0 (a new run).
  void reset();
  /// The highest offset in use since the last reset.
  uint64_t peak() const { return highWater; }

private:
  struct Range {
    uint64_t offset;
    uint64_t size;
  };
  std::vector<Range> freeRanges; // sorted by offset, coalesced, below top
  uint64_t top = 0;
  uint64_t highWater = 0;
};

} // namespace tfmrt

#endif // TFMRT_RANGEALLOCATOR_H
