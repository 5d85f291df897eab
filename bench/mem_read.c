/* The machine's memory read bandwidth: each thread sums its share of a
 * 1 GiB buffer (far larger than any cache) with vector loads, several
 * passes, and the GB/s of all threads together is printed: the rate at which
 * a decoder can stream its weights.
 *   cc -O2 -march=native -pthread mem_read.c -o mem_read && ./mem_read 2 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define LOAD _mm512_load_ps
#define ADD _mm512_add_ps
#define ZERO _mm512_setzero_ps
#define STORE _mm512_storeu_ps
#else
typedef __m256 vec;
#define LANES 8
#define LOAD _mm256_load_ps
#define ADD _mm256_add_ps
#define ZERO _mm256_setzero_ps
#define STORE _mm256_storeu_ps
#endif

enum { PASSES = 4 };
static const size_t bufferBytes = (size_t)1 << 30;

struct slice {
  const float *begin;
  size_t count; /* floats, a multiple of 4 * LANES */
  float sink[LANES];
};

/* Four independent sums, so the adds never wait on each other. */
static void *sum(void *arg) {
  struct slice *s = arg;
  vec a = ZERO(), b = ZERO(), c = ZERO(), d = ZERO();
  for (int pass = 0; pass < PASSES; ++pass)
    for (size_t i = 0; i < s->count; i += 4 * LANES) {
      a = ADD(a, LOAD(s->begin + i));
      b = ADD(b, LOAD(s->begin + i + LANES));
      c = ADD(c, LOAD(s->begin + i + 2 * LANES));
      d = ADD(d, LOAD(s->begin + i + 3 * LANES));
    }
  STORE(s->sink, ADD(ADD(a, b), ADD(c, d))); /* keeps the loads alive */
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 256)
    return 1;
  float *buffer = aligned_alloc(64, bufferBytes);
  if (!buffer)
    return 1;
  memset(buffer, 0, bufferBytes); /* every page present before timing */
  size_t perThread = bufferBytes / sizeof(float) / (size_t)threads / (4 * LANES) * (4 * LANES);
  pthread_t ids[256];
  struct slice slices[256];
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int t = 0; t < threads; ++t) {
    slices[t].begin = buffer + (size_t)t * perThread;
    slices[t].count = perThread;
    pthread_create(&ids[t], NULL, sum, &slices[t]);
  }
  for (int t = 0; t < threads; ++t)
    pthread_join(ids[t], NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  double bytes = (double)perThread * sizeof(float) * threads * PASSES;
  printf("%.1f GB/s memory read, %d threads\n", bytes / seconds * 1e-9, threads);
  free(buffer);
  return 0;
}
