/* The machine's fp32 FMA peak: each thread runs independent vector FMA
 * chains (enough to hide the FMA latency) and the GFLOP/s of all threads
 * together is printed. Built with -march=native: AVX-512 where the CPU has
 * it, else AVX2.
 *   cc -O2 -march=native -pthread fma_peak.c -o fma_peak && ./fma_peak 2 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define ADD _mm512_add_ps
#define STORE _mm512_storeu_ps
#else
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define ADD _mm256_add_ps
#define STORE _mm256_storeu_ps
#endif

enum { CHAINS = 12, ITERATIONS = 400000000 / LANES };

/* Twelve named accumulators: an array could live in memory, and then the
 * loop would time store-to-load forwarding instead of the FMA units. */
static void *spin(void *out) {
  vec a = SET1(0.999999f), b = SET1(1e-7f);
  vec c0 = SET1(0), c1 = SET1(1), c2 = SET1(2), c3 = SET1(3), c4 = SET1(4), c5 = SET1(5);
  vec c6 = SET1(6), c7 = SET1(7), c8 = SET1(8), c9 = SET1(9), c10 = SET1(10), c11 = SET1(11);
  for (long i = 0; i < ITERATIONS; ++i) {
    c0 = FMA(c0, a, b), c1 = FMA(c1, a, b), c2 = FMA(c2, a, b), c3 = FMA(c3, a, b);
    c4 = FMA(c4, a, b), c5 = FMA(c5, a, b), c6 = FMA(c6, a, b), c7 = FMA(c7, a, b);
    c8 = FMA(c8, a, b), c9 = FMA(c9, a, b), c10 = FMA(c10, a, b), c11 = FMA(c11, a, b);
  }
  vec sum = ADD(ADD(ADD(c0, c1), ADD(c2, c3)), ADD(ADD(c4, c5), ADD(c6, c7)));
  sum = ADD(sum, ADD(ADD(c8, c9), ADD(c10, c11)));
  STORE((float *)out, sum); /* keeps the chains alive */
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 256)
    return 1;
  pthread_t ids[256];
  float sink[256][LANES];
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int t = 0; t < threads; ++t)
    pthread_create(&ids[t], NULL, spin, sink[t]);
  for (int t = 0; t < threads; ++t)
    pthread_join(ids[t], NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  double flops = 2.0 * LANES * CHAINS * (double)ITERATIONS * threads;
  printf("%.1f GFLOP/s fp32 FMA, %d threads, %d-bit vectors\n", flops / seconds * 1e-9, threads,
         LANES * 32);
  return 0;
}
