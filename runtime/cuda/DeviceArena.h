//===- DeviceArena.h - one CUDA instance's device memory -------*- C++ -*-===//
//
// The CPU arena's policy for device memory: buffers come from one block kept
// across runs, freed ranges are reused; a run that outgrows the block is
// served by overflow allocations and the next run starts with the block
// regrown to that run's peak. The host cannot write into device memory, so
// the bookkeeping (which the CPU arena keeps in headers inside its block)
// lives in a table here, and the memory itself comes from a DeviceMemory:
// the driver in the runtime, a fake in the unit test.
//
//===----------------------------------------------------------------------===//
#ifndef TFMRT_CUDA_DEVICEARENA_H
#define TFMRT_CUDA_DEVICEARENA_H

#include "RangeAllocator.h"

#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace tfmrt::cuda {

/// Where a DeviceArena's block and overflow allocations come from.
class DeviceMemory {
public:
  virtual ~DeviceMemory() = default;
  /// At least 256-byte aligned (cuMemAlloc's guarantee); 0 on failure.
  virtual uint64_t allocate(uint64_t bytes) = 0;
  virtual void release(uint64_t address) = 0;
};

/// Not thread-safe: a CUDA instance serves one thread at a time.
class DeviceArena {
public:
  static constexpr uint64_t alignment = 256;

  explicit DeviceArena(DeviceMemory &memory) : memory(memory) {}
  DeviceArena(const DeviceArena &) = delete;
  DeviceArena &operator=(const DeviceArena &) = delete;
  ~DeviceArena();

  /// Frees everything the previous run left and, if that run overflowed,
  /// regrows the block to its peak. When the new block cannot be allocated
  /// the block stays empty and the run may still succeed from overflow
  /// allocations.
  void beginRun();
  /// Aligned, distinct even for 0 bytes; 0 when `bytes` is negative or the
  /// memory is exhausted.
  uint64_t allocate(int64_t bytes);
  /// 0, and addresses this arena did not give, are ignored.
  void release(uint64_t address);
  /// Returns every allocation and the block to the memory (the destructor
  /// does too; the CUDA instance calls it while its context is current).
  void clear();

  uint64_t capacity() const { return blockBytes; }
  /// Bytes the current run would need in the block to never overflow.
  uint64_t runPeak() const { return ranges.peak(); }
  /// Allocations of the current run that did not fit in the block.
  size_t runOverflows() const { return overflowCount; }

private:
  struct Allocation {
    uint64_t offset;
    uint64_t size;
    bool overflow;
  };

  void releaseAllocations();

  DeviceMemory &memory;
  uint64_t block = 0;
  uint64_t blockBytes = 0;
  RangeAllocator ranges;
  std::unordered_map<uint64_t, Allocation> live; // by device address
  size_t overflowCount = 0;
};

} // namespace tfmrt::cuda

#endif // TFMRT_CUDA_DEVICEARENA_H
