//===- Arena.cpp - one instance's memory for tfmrt_alloc/free -------------===//

#include "Arena.h"

#include <algorithm>
#include <cstdlib>
#include <sys/mman.h>

namespace tfmrt {

namespace {
constexpr size_t hugePage = size_t(2) << 20;
constexpr size_t blockGranule = size_t(64) << 10;
constexpr uint32_t liveMagic = 0x7466616cu; // "tfal"

size_t roundUp(size_t value, size_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

// What allocateAligned really reserves for `bytes`, so callers can use all of it.
size_t usableSize(size_t bytes) {
  return bytes >= hugePage ? roundUp(bytes, hugePage) : roundUp(bytes, Arena::alignment);
}
} // namespace

void *allocateAligned(size_t bytes) {
  if (bytes == 0)
    return nullptr;
  if (bytes < hugePage) {
    void *ptr = nullptr;
    return posix_memalign(&ptr, Arena::alignment, bytes) == 0 ? ptr : nullptr;
  }
  // Large buffers: 2 MiB aligned and advised as huge pages, so first touch
  // faults once per 2 MiB instead of once per 4 KiB.
  size_t size = roundUp(bytes, hugePage);
  void *raw = mmap(nullptr, size + hugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
  if (raw == MAP_FAILED)
    return nullptr;
  uintptr_t begin = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = roundUp(begin, hugePage);
  if (aligned > begin)
    munmap(raw, aligned - begin);
  if (size_t tail = begin + size + hugePage - (aligned + size))
    munmap(reinterpret_cast<void *>(aligned + size), tail);
  madvise(reinterpret_cast<void *>(aligned), size, MADV_HUGEPAGE);
  return reinterpret_cast<void *>(aligned);
}

void freeAligned(void *ptr, size_t bytes) {
  if (!ptr)
    return;
  if (bytes < hugePage)
    free(ptr);
  else
    munmap(ptr, roundUp(bytes, hugePage));
}

void *ScratchBuffer::get(size_t size) {
  if (size <= bytes && data)
    return data;
  freeAligned(data, bytes);
  bytes = usableSize(roundUp(size ? size : 1, blockGranule));
  data = allocateAligned(bytes);
  if (!data)
    bytes = 0;
  return data;
}

// Sits in the 64 bytes before every pointer handed out, so release() needs no
// lookup table and tells block memory from overflow memory.
struct Arena::Header {
  uint64_t offset; // virtual offset of the header
  uint64_t size;   // bytes taken, header included
  Header *prev;    // overflow list links
  Header *next;
  uint32_t magic;
  uint32_t overflow;
};
Arena::~Arena() {
  releaseOverflow();
  freeAligned(block, blockBytes);
}

void Arena::releaseOverflow() {
  while (Header *header = overflowList) {
    overflowList = header->next;
    header->magic = 0;
    freeAligned(header, header->size);
  }
}

void Arena::beginRun() {
  std::lock_guard<std::mutex> lock(mutex);
  releaseOverflow();
  if (ranges.peak() > blockBytes) {
    // Grow by at least a quarter so that shapes growing a little per run
    // (a decoder's KV cache) do not re-fault a fresh block every run.
    size_t wanted = std::max<size_t>(ranges.peak(), blockBytes + blockBytes / 4);
    freeAligned(block, blockBytes);
    blockBytes = usableSize(roundUp(wanted, blockGranule));
    block = static_cast<char *>(allocateAligned(blockBytes));
    if (!block)
      blockBytes = 0; // every allocation overflows; the run may still succeed
  }
  ranges.reset();
  overflowCount = 0;
}

void *Arena::allocate(int64_t bytes) {
  static_assert(sizeof(Header) <= alignment, "the header must fit its slot");
  if (bytes < 0 || uint64_t(bytes) > (uint64_t(1) << 60))
    return nullptr;
  // Zero bytes still take one slot, so every pointer is distinct.
  uint64_t size = alignment + roundUp(bytes ? size_t(bytes) : 1, alignment);
  std::lock_guard<std::mutex> lock(mutex);
  uint64_t offset = ranges.take(size);
  Header *header;
  if (offset + size <= blockBytes) {
    header = reinterpret_cast<Header *>(block + offset);
    header->overflow = 0;
  } else {
    header = static_cast<Header *>(allocateAligned(size));
    if (!header) {
      ranges.give(offset, size);
      return nullptr;
    }
    header->overflow = 1;
    header->prev = nullptr;
    header->next = overflowList;
    if (overflowList)
      overflowList->prev = header;
    overflowList = header;
    ++overflowCount;
  }
  header->offset = offset;
  header->size = size;
  header->magic = liveMagic;
  return reinterpret_cast<char *>(header) + alignment;
}

void Arena::release(void *ptr) {
  if (!ptr)
    return;
  Header *header = reinterpret_cast<Header *>(static_cast<char *>(ptr) - alignment);
  std::lock_guard<std::mutex> lock(mutex);
  if (header->magic != liveMagic)
    return; // not ours, or freed twice: ignoring beats corrupting the list
  header->magic = 0;
  uint64_t offset = header->offset, size = header->size;
  if (header->overflow) {
    (header->prev ? header->prev->next : overflowList) = header->next;
    if (header->next)
      header->next->prev = header->prev;
    freeAligned(header, size);
  }
  ranges.give(offset, size);
}

} // namespace tfmrt
