//===- DeviceArena.cpp - one CUDA instance's device memory ----------------===//

#include "DeviceArena.h"

#include <algorithm>

namespace tfmrt::cuda {

namespace {
// cuMemAlloc maps 2 MiB pages: a block of a whole number of them wastes none.
constexpr uint64_t blockGranule = uint64_t(2) << 20;

uint64_t roundUp(uint64_t value, uint64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}
} // namespace

DeviceArena::~DeviceArena() { clear(); }

void DeviceArena::clear() {
  releaseAllocations();
  if (block)
    memory.release(block);
  block = 0;
  blockBytes = 0;
  ranges.reset();
  overflowCount = 0;
}

void DeviceArena::releaseAllocations() {
  for (const auto &[address, allocation] : live)
    if (allocation.overflow)
      memory.release(address);
  live.clear();
}

void DeviceArena::beginRun() {
  releaseAllocations();
  if (ranges.peak() > blockBytes) {
    // At least a quarter more, so shapes that grow a little per run (a
    // decoder's KV cache) do not reallocate the block every run.
    uint64_t wanted = std::max(ranges.peak(), blockBytes + blockBytes / 4);
    if (block)
      memory.release(block);
    blockBytes = roundUp(wanted, blockGranule);
    block = memory.allocate(blockBytes);
    if (!block)
      blockBytes = 0;
  }
  ranges.reset();
  overflowCount = 0;
}

uint64_t DeviceArena::allocate(int64_t bytes) {
  if (bytes < 0 || uint64_t(bytes) > (uint64_t(1) << 60))
    return 0;
  // Zero bytes still take a slot, so every address is distinct.
  uint64_t size = roundUp(bytes ? uint64_t(bytes) : 1, alignment);
  uint64_t offset = ranges.take(size);
  uint64_t address;
  bool overflow = offset + size > blockBytes;
  if (!overflow) {
    address = block + offset;
  } else {
    address = memory.allocate(size);
    if (!address) {
      ranges.give(offset, size);
      return 0;
    }
    ++overflowCount;
  }
  live[address] = {offset, size, overflow};
  return address;
}

void DeviceArena::release(uint64_t address) {
  auto it = live.find(address);
  if (it == live.end())
    return; // not ours, or freed twice: ignoring beats corrupting the ranges
  Allocation allocation = it->second;
  live.erase(it);
  if (allocation.overflow)
    memory.release(address);
  ranges.give(allocation.offset, allocation.size);
}

} // namespace tfmrt::cuda
