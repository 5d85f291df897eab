//===- ThreadPool.cpp - one instance's threads ----------------------------===//

#include "ThreadPool.h"

#include <chrono>
#include <sched.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace tfmrt {

namespace {
inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

// How long a thread spins before sleeping: longer than the gap between two
// ops' parallelFor calls, far shorter than a scheduler tick. After the first
// microseconds it yields while spinning: when the machine is oversubscribed,
// the thread it waits for may be queued behind it on the same core.
constexpr auto spinTime = std::chrono::microseconds(50);
constexpr auto pureSpinTime = std::chrono::microseconds(2);

// Spins until pred() holds or spinTime passes; returns pred().
template <typename Pred> bool spinUntil(Pred pred) {
  auto start = std::chrono::steady_clock::now();
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (pred())
        return true;
      cpuRelax();
    }
    auto elapsed = std::chrono::steady_clock::now() - start;
    if (elapsed > spinTime)
      return pred();
    if (elapsed > pureSpinTime)
      sched_yield();
  }
}

constexpr uint32_t generationOf(uint64_t state) { return uint32_t(state >> 32); }
/// The chunk index of a closed job: above any real one (indices stay below
/// 2^31), so no claim on it succeeds.
constexpr uint64_t kClosedIndex = 0xFFFFFFFFu;
} // namespace

ThreadPool::ThreadPool(int numThreads) {
  int workers = numThreads > 1 ? numThreads - 1 : 0;
  // `starts` must not reallocate once threads hold pointers into it.
  starts.reserve(workers);
  threads.reserve(workers);
  for (int i = 0; i < workers; ++i) {
    starts.push_back({this, i + 1});
    pthread_t thread;
    if (pthread_create(&thread, nullptr, threadMain, &starts.back()) != 0)
      break; // run with the threads we got
    threads.push_back(thread);
  }
}

ThreadPool::~ThreadPool() {
  stopping.store(true);
  {
    std::lock_guard<std::mutex> lock(mutex);
    wake.notify_all();
  }
  for (pthread_t thread : threads)
    pthread_join(thread, nullptr);
}

void *ThreadPool::threadMain(void *start) {
  auto *s = static_cast<WorkerStart *>(start);
  s->pool->workerLoop(s->worker);
  return nullptr;
}

void ThreadPool::workerLoop(int worker) {
  uint32_t seen = generationOf(state.load());
  for (;;) {
    auto ready = [&] { return stopping.load() || generationOf(state.load()) != seen; };
    if (!spinUntil(ready)) {
      std::unique_lock<std::mutex> lock(mutex);
      sleepers.fetch_add(1);
      wake.wait(lock, ready);
      sleepers.fetch_sub(1);
    }
    if (stopping.load())
      return;
    seen = work(state.load(std::memory_order_acquire), worker);
  }
}

// Claims and runs chunks until the current job has none left; returns the
// generation of the job it saw last.
uint32_t ThreadPool::work(uint64_t s, int worker) {
  for (;;) {
    uint64_t index = uint32_t(s);
    int64_t chunks = jobChunks.load(std::memory_order_relaxed);
    // `chunks` may already be the next job's: then the last job is closed
    // (its index is kClosedIndex) or a new generation began, and the CAS
    // below fails.
    if (int64_t(index) >= chunks)
      return generationOf(s);
    if (!state.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel,
                                     std::memory_order_acquire))
      continue; // `s` now holds the current word
    int64_t n = jobN.load(std::memory_order_relaxed);
    int64_t chunk = jobChunk.load(std::memory_order_relaxed);
    int64_t begin = int64_t(index) * chunk;
    int64_t end = begin + chunk < n ? begin + chunk : n;
    jobFn.load(std::memory_order_relaxed)(jobArg.load(std::memory_order_relaxed), begin, end,
                                          worker);
    if (doneChunks.fetch_add(1, std::memory_order_acq_rel) + 1 == chunks) {
      std::lock_guard<std::mutex> lock(mutex);
      finished.notify_one();
    }
    s = state.load(std::memory_order_acquire);
  }
}

int ThreadPool::currentWorker() const {
  if (!busy.load(std::memory_order_relaxed))
    return 0;
  pthread_t self = pthread_self();
  if (pthread_equal(self, owner))
    return 0;
  for (size_t i = 0; i < threads.size(); ++i)
    if (pthread_equal(self, threads[i]))
      return int(i) + 1;
  return -1;
}

void ThreadPool::parallelFor(int64_t n, int64_t chunk, TaskFn fn, void *arg) {
  if (n <= 0)
    return;
  if (chunk < 1)
    chunk = 1;
  // The chunk index must fit the state word's low 32 bits.
  if ((n - 1) / chunk >= (int64_t(1) << 31))
    chunk = (n - 1) / (int64_t(1) << 31) + 1;
  int64_t chunks = (n - 1) / chunk + 1;
  // Inline: one thread, one chunk, or nested in a running job (the busy
  // flag is set by whoever started it, so this cannot wait on itself).
  if (threads.empty() || chunks == 1 || busy.exchange(true, std::memory_order_acquire)) {
    fn(arg, 0, n, currentWorker());
    return;
  }
  owner = pthread_self();
  // Close the last job before writing this one: a worker still holding the
  // last job's state word (all its chunks claimed) would otherwise compare
  // that word's index with this job's chunk count and claim a chunk of a job
  // not yet published. With the index at its maximum its claim fails.
  uint32_t last = generationOf(state.load());
  state.store((uint64_t(last) << 32) | kClosedIndex);
  jobFn.store(fn, std::memory_order_relaxed);
  jobArg.store(arg, std::memory_order_relaxed);
  jobN.store(n, std::memory_order_relaxed);
  jobChunk.store(chunk, std::memory_order_relaxed);
  jobChunks.store(chunks, std::memory_order_relaxed);
  doneChunks.store(0, std::memory_order_relaxed);
  uint64_t generation = uint64_t(last + 1) << 32;
  state.store(generation); // seq_cst: ordered before the sleepers check
  if (sleepers.load() > 0) {
    std::lock_guard<std::mutex> lock(mutex);
    wake.notify_all();
  }
  work(generation, 0);
  auto done = [&] { return doneChunks.load(std::memory_order_acquire) == chunks; };
  if (!spinUntil(done)) {
    std::unique_lock<std::mutex> lock(mutex);
    finished.wait(lock, done);
  }
  busy.store(false, std::memory_order_release);
}

} // namespace tfmrt
