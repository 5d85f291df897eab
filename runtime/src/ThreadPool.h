//===- ThreadPool.h - one instance's threads -------------------*- C++ -*-===//
//
// numThreads - 1 worker threads plus the thread that calls parallelFor, which
// works too. A job is a range split into chunks that threads claim from one
// atomic counter, so uneven chunks balance themselves. Workers spin briefly
// between jobs (compiled code calls parallelFor once per op, microseconds
// apart) and then sleep.
//
//===----------------------------------------------------------------------===//
#ifndef TFMRT_THREADPOOL_H
#define TFMRT_THREADPOOL_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <pthread.h>
#include <vector>

namespace tfmrt {

class ThreadPool {
public:
  /// `worker` is the running thread's index in [0, size()): per-thread
  /// scratch can be indexed by it. -1 only for a thread outside the pool
  /// calling into a busy pool (two runs on one instance at once: misuse).
  using TaskFn = void (*)(void *arg, int64_t begin, int64_t end, int worker);

  /// Starts numThreads - 1 workers (fewer if the system refuses).
  explicit ThreadPool(int numThreads);
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;
  ~ThreadPool();

  int size() const { return int(threads.size()) + 1; }

  /// Calls fn over [0, n) in chunks of `chunk` items and returns when all
  /// are done. Called from inside a chunk (nested), it runs fn(0, n) inline.
  void parallelFor(int64_t n, int64_t chunk, TaskFn fn, void *arg);

private:
  struct WorkerStart {
    ThreadPool *pool;
    int worker;
  };
  static void *threadMain(void *start);
  void workerLoop(int worker);
  uint32_t work(uint64_t seen, int worker);
  int currentWorker() const;

  std::vector<pthread_t> threads;
  std::vector<WorkerStart> starts;

  // The job: generation << 32 | next unclaimed chunk. Claiming a chunk is a
  // CAS on this word, so a late thread can never claim a chunk of a job that
  // already finished; the fields below are stable while a chunk is claimed.
  std::atomic<uint64_t> state{0};
  std::atomic<TaskFn> jobFn{nullptr};
  std::atomic<void *> jobArg{nullptr};
  std::atomic<int64_t> jobN{0};
  std::atomic<int64_t> jobChunk{1};
  std::atomic<int64_t> jobChunks{0};
  std::atomic<int64_t> doneChunks{0};
  pthread_t owner{}; // the thread that started the running job

  std::atomic<bool> busy{false};
  std::atomic<bool> stopping{false};
  std::atomic<int> sleepers{0};
  std::mutex mutex;
  std::condition_variable wake;     // workers: a new job or stopping
  std::condition_variable finished; // the owner: the last chunk is done
};

} // namespace tfmrt

#endif // TFMRT_THREADPOOL_H
