//===- RangeAllocator.cpp - first-fit offsets for an arena ----------------===//

#include "RangeAllocator.h"

#include <algorithm>
#include <iterator>

namespace tfmrt {

uint64_t RangeAllocator::take(uint64_t size) {
  for (size_t i = 0, e = freeRanges.size(); i != e; ++i) {
    Range &range = freeRanges[i];
    if (range.size < size)
      continue;
    uint64_t offset = range.offset;
    range.offset += size;
    range.size -= size;
    if (range.size == 0)
      freeRanges.erase(freeRanges.begin() + i);
    return offset;
  }
  uint64_t offset = top;
  top += size;
  highWater = std::max(highWater, top);
  return offset;
}

void RangeAllocator::give(uint64_t offset, uint64_t size) {
  auto it = std::lower_bound(freeRanges.begin(), freeRanges.end(), offset,
                             [](const Range &r, uint64_t off) { return r.offset < off; });
  Range range{offset, size};
  if (it != freeRanges.begin() && std::prev(it)->offset + std::prev(it)->size == offset) {
    --it;
    range.offset = it->offset;
    range.size += it->size;
    it = freeRanges.erase(it);
  }
  if (it != freeRanges.end() && range.offset + range.size == it->offset) {
    range.size += it->size;
    it = freeRanges.erase(it);
  }
  // A range reaching the top merges into the unbounded free space above it.
  if (range.offset + range.size == top)
    top = range.offset;
  else
    freeRanges.insert(it, range);
}

void RangeAllocator::reset() {
  freeRanges.clear();
  top = 0;
  highWater = 0;
}

} // namespace tfmrt
