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

enum { CHAINS = 12, ITERATIONS = 100000000 / LANES };

static void *spin(void *out) {
  vec acc[CHAINS];
  for (int c = 0; c < CHAINS; ++c)
    acc[c] = SET1((float)c);
  vec a = SET1(0.999999f), b = SET1(1e-7f);
  for (long i = 0; i < ITERATIONS; ++i)
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = FMA(acc[c], a, b);
  vec sum = acc[0];
  for (int c = 1; c < CHAINS; ++c)
    sum = ADD(sum, acc[c]);
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
