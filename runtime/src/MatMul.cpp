//===- MatMul.cpp - tfmrt_matmul_f32 ---------------------------------------===//
//
// C = A x B, split into tasks of (batch, M tile, a run of NR-column units)
// that the instance's threads claim in order, the runs shrinking towards the
// end so the threads finish together. A task takes its units one by one,
// walking K in blocks of kc: it packs the kc x NR block of B into 16-column
// panels (contiguous and zero-padded: no TLB or cache-set trouble whatever
// ldb is), then runs the microkernel over MR-row slivers of A read in
// place. The panels (kc x NR floats) stay in L1 while the task's A block
// (mc x kc) stays in L2. The first K block overwrites C, later ones
// accumulate. Microkernels are instantiated per row count (the M tail costs
// nothing extra); the AVX-512 one masks the N tail and so can also read B in
// place when a task has a single sliver of rows, where packing would be pure
// overhead.
//
// With an epilogue (the _epilogue entry points), a task runs it on its block
// of C once its last unit is done, while the block is still in L2 (per
// unit, its 32-column rows were too short for the vectorized loops).
//
// Constant weights come packed at compile time in the same 16-column panels,
// each spanning all of K (tfmrt_matmul_f32_packed_b): tasks then read their
// K block of each panel where it lies and pack nothing, and while a block
// computes, its row slivers prefetch the next block, each a share of it.
//
//===----------------------------------------------------------------------===//

#include "MatMul.h"
#include "Instance.h"

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#define TFMRT_X86 1
#endif

namespace tfmrt {

namespace {

/// The width of B's packed panels, whatever the kernel's NR (a multiple).
constexpr int panelWidth = TFMRT_PACKED_B_PANEL;

/// One microkernel call: C[0:Rows, 0:nr] (+)= A[0:Rows, 0:kc] x B[0:kc, 0:nr],
/// instantiated per row count so the M tail wastes nothing. B's rows are ldb
/// apart, and each row's columns 16..31 start `bNext` floats after its
/// column 0 (read only by kernels wider than a panel). B is packed panels
/// (ldb = 16, bNext = the panel stride; zero-padded to 16 columns, 64-byte
/// aligned) or, for kernels with `readsB`, B itself (bNext = 16; columns past
/// nr are never read).
struct MicroTile {
  int64_t kc;
  const float *a;
  int64_t lda;
  const float *b;
  int64_t ldb, bNext;
  float *c;
  int64_t ldc;
  int nr;
  bool accumulate;
  /// Rows of the next B block to pull into cache while this tile computes
  /// (row r of its panels at prefetch + r * 16, + bNext, ...): weights
  /// come from L3 or memory, and the hardware prefetcher starts each panel
  /// too late to hide that.
  const float *prefetch;
  int64_t prefetchRows;
};
using KernelFn = void (*)(const MicroTile &tile);

constexpr int maxMr = 8;

/// Packs B[0:kc, 0:cols] into ceil(cols / 16) panels of kc x 16 (panel p at
/// packed + p * kc * 16), zero-padded.
using PackFn = void (*)(const float *b, int64_t ldb, int64_t kc, int64_t cols, float *packed);

struct Kernel {
  int mr;
  int nr;
  bool readsB;
  PackFn pack;
  KernelFn rows[maxMr + 1]; // rows[r]: the kernel for r rows, 1 <= r <= mr
};

// Packing copies one short row per k, so the copy must be inline, not a
// memcpy call: the width is a constant here, and the AVX-512 variant below.
void packB(const float *b, int64_t ldb, int64_t kc, int64_t cols, float *packed) {
  for (int64_t p = 0; p * panelWidth < cols; ++p) {
    int64_t width = std::min<int64_t>(panelWidth, cols - p * panelWidth);
    float *panel = packed + p * kc * panelWidth;
    const float *src = b + p * panelWidth;
    if (width == panelWidth) {
      for (int64_t k = 0; k < kc; ++k)
        std::memcpy(panel + k * panelWidth, src + k * ldb, panelWidth * sizeof(float));
      continue;
    }
    for (int64_t k = 0; k < kc; ++k)
      for (int64_t j = 0; j < panelWidth; ++j)
        panel[k * panelWidth + j] = j < width ? src[k * ldb + j] : 0.0f;
  }
}

// Stores the register tile `tile` (Rows x tileNr, row-major) to C's
// Rows x nr corner: the N tail's slow path.
template <int Rows>
inline void storeTile(const float *tile, int tileNr, float *c, int64_t ldc, int nr,
                      bool accumulate) {
  for (int i = 0; i < Rows; ++i)
    for (int j = 0; j < nr; ++j)
      c[i * ldc + j] = accumulate ? c[i * ldc + j] + tile[i * tileNr + j] : tile[i * tileNr + j];
}

//--- Generic: 4 x 16 in plain C++, for the compiler to vectorize ------------

constexpr int genericMr = 4, genericNr = panelWidth;

template <int Rows> void kernelGeneric(const MicroTile &t) {
  float acc[Rows][genericNr] = {};
  for (int64_t k = 0; k < t.kc; ++k)
    for (int i = 0; i < Rows; ++i) {
      float ai = t.a[i * t.lda + k];
      for (int j = 0; j < genericNr; ++j)
        acc[i][j] += ai * t.b[k * t.ldb + j];
    }
  storeTile<Rows>(&acc[0][0], genericNr, t.c, t.ldc, t.nr, t.accumulate);
}

#ifdef TFMRT_X86

//--- AVX2 + FMA: 6 x 16, 12 accumulators ------------------------------------

constexpr int avx2Mr = 6, avx2Nr = panelWidth;

// Pulls row k of the next B block's panels toward L2 (see MicroTile): as
// many as the kernel reads, one for AVX2's 16 columns, two for AVX-512's 32.
// Always inlined: GCC 12 finds a function that only prefetches pure and
// deletes its calls, prefetches and all.
template <int Panels>
__attribute__((always_inline)) inline void prefetchNextB(const MicroTile &t, int64_t k) {
  if (k < t.prefetchRows)
    for (int p = 0; p < Panels; ++p)
      _mm_prefetch(reinterpret_cast<const char *>(t.prefetch + p * t.bNext + k * panelWidth),
                   _MM_HINT_T1);
}

// The N tail uses masked loads and stores of C, as the AVX-512 kernel does:
// a tail that went through a tile array in memory made GCC keep every
// accumulator in memory, storing all twelve on each step of k.
template <int Rows, bool Full>
__attribute__((target("avx2,fma"))) void kernelAvx2Body(const MicroTile &t) {
  __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  __m256i mask0 = _mm256_cmpgt_epi32(_mm256_set1_epi32(t.nr), lane);
  __m256i mask1 = _mm256_cmpgt_epi32(_mm256_set1_epi32(t.nr - 8), lane);
  __m256 acc[Rows][2];
  const float *rows[Rows];
#pragma GCC unroll 8
  for (int i = 0; i < Rows; ++i) {
    acc[i][0] = acc[i][1] = _mm256_setzero_ps();
    rows[i] = t.a + i * t.lda;
  }
#pragma GCC unroll 2
  for (int64_t k = 0; k < t.kc; ++k) {
    const float *bk = t.b + k * t.ldb;
    __m256 b0 = _mm256_load_ps(bk), b1 = _mm256_load_ps(bk + 8);
    prefetchNextB<1>(t, k);
#pragma GCC unroll 8
    for (int i = 0; i < Rows; ++i) {
      __m256 ai = _mm256_broadcast_ss(rows[i] + k);
      acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
    }
  }
#pragma GCC unroll 8
  for (int i = 0; i < Rows; ++i) {
    float *ci = t.c + i * t.ldc;
    if (Full) {
      if (t.accumulate) {
        acc[i][0] = _mm256_add_ps(acc[i][0], _mm256_loadu_ps(ci));
        acc[i][1] = _mm256_add_ps(acc[i][1], _mm256_loadu_ps(ci + 8));
      }
      _mm256_storeu_ps(ci, acc[i][0]);
      _mm256_storeu_ps(ci + 8, acc[i][1]);
    } else {
      if (t.accumulate) {
        acc[i][0] = _mm256_add_ps(acc[i][0], _mm256_maskload_ps(ci, mask0));
        acc[i][1] = _mm256_add_ps(acc[i][1], _mm256_maskload_ps(ci + 8, mask1));
      }
      _mm256_maskstore_ps(ci, mask0, acc[i][0]);
      _mm256_maskstore_ps(ci + 8, mask1, acc[i][1]);
    }
  }
}

template <int Rows> void kernelAvx2(const MicroTile &t) {
  if (t.nr == avx2Nr)
    kernelAvx2Body<Rows, true>(t);
  else
    kernelAvx2Body<Rows, false>(t);
}

//--- AVX-512: 8 x 32, 16 accumulators ---------------------------------------

constexpr int avx512Mr = 8, avx512Nr = 2 * panelWidth;

// Masked loads and stores cover the N tail, so this kernel reads B in place.
// Its 32 columns are two panels: a masked-off second one is never read.
// Full-width tiles (all but a row's last) take the unmasked instantiation.
template <bool Full>
__attribute__((target("avx512f,avx512vl"))) inline __m512 load(__mmask16 mask, const float *p) {
  return Full ? _mm512_loadu_ps(p) : _mm512_maskz_loadu_ps(mask, p);
}

template <int Rows, bool Full>
__attribute__((target("avx512f,avx512vl,fma"))) void kernelAvx512Body(const MicroTile &t) {
  __mmask16 mask0 = Full || t.nr >= 16 ? 0xffff : __mmask16((1u << t.nr) - 1);
  __mmask16 mask1 =
      Full || t.nr >= 32 ? 0xffff : t.nr > 16 ? __mmask16((1u << (t.nr - 16)) - 1) : 0;
  __m512 acc[Rows][2];
  const float *rows[Rows];
#pragma GCC unroll 8
  for (int i = 0; i < Rows; ++i) {
    acc[i][0] = acc[i][1] = _mm512_setzero_ps();
    rows[i] = t.a + i * t.lda;
  }
#pragma GCC unroll 2
  for (int64_t k = 0; k < t.kc; ++k) {
    const float *bk = t.b + k * t.ldb;
    __m512 b0 = load<Full>(mask0, bk), b1 = load<Full>(mask1, bk + t.bNext);
    prefetchNextB<2>(t, k);
#pragma GCC unroll 8
    for (int i = 0; i < Rows; ++i) {
      __m512 ai = _mm512_set1_ps(rows[i][k]);
      acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
    }
  }
#pragma GCC unroll 8
  for (int i = 0; i < Rows; ++i) {
    float *ci = t.c + i * t.ldc;
    if (t.accumulate) {
      acc[i][0] = _mm512_add_ps(acc[i][0], load<Full>(mask0, ci));
      acc[i][1] = _mm512_add_ps(acc[i][1], load<Full>(mask1, ci + 16));
    }
    if (Full) {
      _mm512_storeu_ps(ci, acc[i][0]);
      _mm512_storeu_ps(ci + 16, acc[i][1]);
    } else {
      _mm512_mask_storeu_ps(ci, mask0, acc[i][0]);
      _mm512_mask_storeu_ps(ci + 16, mask1, acc[i][1]);
    }
  }
}

template <int Rows> void kernelAvx512(const MicroTile &t) {
  if (t.nr == avx512Nr)
    kernelAvx512Body<Rows, true>(t);
  else
    kernelAvx512Body<Rows, false>(t);
}

__attribute__((target("avx512f,avx512vl"))) void
packBAvx512(const float *b, int64_t ldb, int64_t kc, int64_t cols, float *packed) {
  for (int64_t p = 0; p * panelWidth < cols; ++p) {
    int width = int(std::min<int64_t>(panelWidth, cols - p * panelWidth));
    __mmask16 mask = __mmask16((1u << width) - 1);
    float *panel = packed + p * kc * panelWidth;
    const float *src = b + p * panelWidth;
    for (int64_t k = 0; k < kc; ++k)
      _mm512_store_ps(panel + k * panelWidth, _mm512_maskz_loadu_ps(mask, src + k * ldb));
  }
}

#endif // TFMRT_X86

Kernel kernelFor(MatMulIsa isa) {
#ifdef TFMRT_X86
  if (isa == MatMulIsa::Avx512)
    return {avx512Mr,
            avx512Nr,
            true,
            packBAvx512,
            {nullptr, kernelAvx512<1>, kernelAvx512<2>, kernelAvx512<3>, kernelAvx512<4>,
             kernelAvx512<5>, kernelAvx512<6>, kernelAvx512<7>, kernelAvx512<8>}};
  if (isa == MatMulIsa::Avx2)
    return {avx2Mr,
            avx2Nr,
            false,
            packB,
            {nullptr, kernelAvx2<1>, kernelAvx2<2>, kernelAvx2<3>, kernelAvx2<4>, kernelAvx2<5>,
             kernelAvx2<6>}};
#endif
  (void)isa;
  return {genericMr,
          genericNr,
          false,
          packB,
          {nullptr, kernelGeneric<1>, kernelGeneric<2>, kernelGeneric<3>, kernelGeneric<4>}};
}

//--- Driver -----------------------------------------------------------------

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t roundUp(int64_t a, int64_t b) { return ceilDiv(a, b) * b; }

/// A task: columns [firstUnit, lastUnit) x NR of one row block (rows
/// [mc * (block % tilesM), ...) of batch block / tilesM).
struct Task {
  int64_t rowBlock;
  int64_t firstUnit, lastUnit;
};

struct MatMulJob {
  int64_t m, n, k;
  const float *a;
  int64_t strideA, lda;
  const float *b; // row-major, or NULL when packedB is set
  int64_t strideB, ldb;
  const float *packedB; // 16-column panels spanning all of K, or NULL
  float *c;
  int64_t strideC, ldc;
  Kernel kernel;
  int64_t mc, kc;         // tile sizes: mc a multiple of MR
  int64_t tilesM;         // row blocks per batch
  std::vector<Task> tasks;
  tfmrt_tile_fn epilogue; // or NULL
  void *epilogueArg;
  ScratchBuffer *scratch; // per worker
  ScratchBuffer *fallback;

  /// Whether some task copies B into panels (and so needs scratch memory).
  bool packs() const { return !packedB && !(kernel.readsB && mc <= kernel.mr); }
};

/// Where task `index` writes: C[m0 : m0 + rows, n0 : n0 + cols] of `batch`.
struct TaskArea {
  int64_t batch, m0, rows, n0, cols;
};

TaskArea taskArea(const MatMulJob &job, int64_t index) {
  const Task &task = job.tasks[size_t(index)];
  int64_t m0 = task.rowBlock % job.tilesM * job.mc, n0 = task.firstUnit * job.kernel.nr;
  return {task.rowBlock / job.tilesM, m0, std::min(job.mc, job.m - m0), n0,
          std::min(task.lastUnit * job.kernel.nr, job.n) - n0};
}

/// Runs the job's epilogue, if any, on task `index`'s block of C, now final.
void finishTask(const MatMulJob &job, int64_t index) {
  if (!job.epilogue)
    return;
  auto [batch, m0, rows, n0, cols] = taskArea(job, index);
  job.epilogue(job.epilogueArg, batch, m0, m0 + rows, n0, n0 + cols);
}

/// Where a task finds the kc x cols block of B at (k0, n0): panels of
/// ldb-apart rows, the next 16 columns `next` floats further on.
struct BBlock {
  const float *panels;
  int64_t ldb, next;
};

/// The packed-B block a task reads after the one at (k0, column j of its
/// cols): the next K block, else the next columns' first; none after the
/// last.
struct NextBlock {
  const float *panels = nullptr;
  int64_t rows = 0;
};

NextBlock nextPackedBlock(const MatMulJob &job, int64_t n0, int64_t cols, int64_t k0, int64_t j) {
  k0 += job.kc;
  if (k0 >= job.k) {
    k0 = 0;
    j += job.kernel.nr;
  }
  if (j >= cols)
    return {};
  return {job.packedB + ((n0 + j) / panelWidth * job.k + k0) * panelWidth,
          std::min(job.kc, job.k - k0)};
}

// NR columns at a time, each walking all of K: a unit's packed panels are
// then read front to back, and its C tile is final before the next starts.
void runTask(const MatMulJob &job, int64_t task, float *scratch) {
  const Kernel &kernel = job.kernel;
  auto [batch, m0, rows, n0, cols] = taskArea(job, task);
  const float *a = job.a + batch * job.strideA + m0 * job.lda;
  float *c = job.c + batch * job.strideC + m0 * job.ldc + n0;
  if (job.k == 0) {
    for (int64_t i = 0; i < rows; ++i)
      std::memset(c + i * job.ldc, 0, size_t(cols) * sizeof(float));
    return;
  }
  // Packing pays off through reuse by several row slivers; with one sliver
  // (a decoder's few tokens) a kernel that can read B in place does.
  bool direct = kernel.readsB && rows <= kernel.mr;
  for (int64_t j = 0; j < cols; j += kernel.nr) {
    int64_t width = std::min<int64_t>(kernel.nr, cols - j);
    for (int64_t k0 = 0; k0 < job.k; k0 += job.kc) {
      int64_t kc = std::min(job.kc, job.k - k0);
      BBlock block;
      if (job.packedB) {
        block = {job.packedB + ((n0 + j) / panelWidth * job.k + k0) * panelWidth, panelWidth,
                 job.k * panelWidth};
      } else {
        const float *b = job.b + batch * job.strideB + k0 * job.ldb + n0 + j;
        if (direct) {
          block = {b, job.ldb, panelWidth};
        } else {
          kernel.pack(b, job.ldb, kc, width, scratch);
          block = {scratch, panelWidth, kc * panelWidth};
        }
      }
      MicroTile tile{};
      tile.kc = kc;
      tile.b = block.panels;
      tile.ldb = block.ldb, tile.bNext = block.next;
      tile.ldc = job.ldc;
      tile.nr = int(width);
      tile.accumulate = k0 > 0;
      NextBlock next = job.packedB ? nextPackedBlock(job, n0, cols, k0, j) : NextBlock{};
      int64_t slivers = ceilDiv(rows, kernel.mr), rowsPerSliver = ceilDiv(next.rows, slivers);
      for (int64_t i = 0, s = 0; i < rows; i += kernel.mr, ++s) {
        tile.a = a + i * job.lda + k0, tile.lda = job.lda;
        tile.c = c + i * job.ldc + j;
        // Each sliver fetches its share, so the fetches spread over the block.
        int64_t first = s * rowsPerSliver;
        tile.prefetch = next.panels + first * panelWidth;
        tile.prefetchRows = std::max<int64_t>(0, std::min(rowsPerSliver, next.rows - first));
        kernel.rows[std::min<int64_t>(kernel.mr, rows - i)](tile);
      }
    }
  }
}

// The scalar fallback for when packing memory cannot be had (B is then
// row-major: packed B needs no scratch).
void runTaskUnpacked(const MatMulJob &job, int64_t task) {
  auto [batch, m0, rows, n0, cols] = taskArea(job, task);
  int64_t m1 = m0 + rows, n1 = n0 + cols;
  const float *a = job.a + batch * job.strideA, *b = job.b + batch * job.strideB;
  float *c = job.c + batch * job.strideC;
  for (int64_t i = m0; i < m1; ++i) {
    for (int64_t j = n0; j < n1; ++j)
      c[i * job.ldc + j] = 0.0f;
    for (int64_t p = 0; p < job.k; ++p)
      for (int64_t j = n0; j < n1; ++j)
        c[i * job.ldc + j] += a[i * job.lda + p] * b[p * job.ldb + j];
  }
}

size_t scratchBytes(const MatMulJob &job) {
  return size_t(job.kc * job.kernel.nr) * sizeof(float); // NR is a multiple of 16
}

void runTasks(void *arg, int64_t begin, int64_t end, int worker) {
  const MatMulJob &job = *static_cast<const MatMulJob *>(arg);
  float *scratch = nullptr;
  if (job.packs()) {
    ScratchBuffer &buffer = worker >= 0 ? job.scratch[worker] : *job.fallback;
    scratch = static_cast<float *>(buffer.get(scratchBytes(job)));
    if (!scratch) { // out of memory: slow but still right
      for (int64_t task = begin; task < end; ++task) {
        runTaskUnpacked(job, task);
        finishTask(job, task);
      }
      return;
    }
  }
  for (int64_t task = begin; task < end; ++task) {
    runTask(job, task, scratch);
    finishTask(job, task);
  }
}

// Tile sizes: mc x kc of A within L2, kc x NR of B within L1; M is split
// further only when there are too few NR-column units to share. Tasks take
// units guided-style: a share of what is left, so the first tasks are long
// (each prefetches its next B block) and the last ones short (no thread
// waits long for another to finish a big one).
void chooseTiles(MatMulJob &job, int64_t batch, int threads) {
  const Kernel &kernel = job.kernel;
  int64_t kBlocks = ceilDiv(job.k, 256);
  job.kc = std::max<int64_t>(1, roundUp(ceilDiv(job.k, std::max<int64_t>(kBlocks, 1)), 8));
  job.mc = std::min<int64_t>(roundUp(job.m, kernel.mr), 256 / kernel.mr * kernel.mr);
  int64_t units = ceilDiv(job.n, kernel.nr);
  while (threads > 1 && batch * ceilDiv(job.m, job.mc) * units < 4 * threads &&
         job.mc >= 4 * kernel.mr)
    job.mc = roundUp(job.mc / 2, kernel.mr);
  job.tilesM = ceilDiv(job.m, job.mc);
  int64_t rowBlocks = batch * job.tilesM, left = rowBlocks * units;
  job.tasks.clear();
  for (int64_t block = 0; block < rowBlocks; ++block)
    for (int64_t unit = 0; unit < units;) {
      int64_t size = threads > 1 ? ceilDiv(left, 2 * int64_t(threads)) : units;
      size = std::min(size, units - unit);
      job.tasks.push_back({block, unit, unit + size});
      unit += size, left -= size;
    }
}

} // namespace

bool supportsMatMulIsa(MatMulIsa isa) {
#ifdef TFMRT_X86
  __builtin_cpu_init();
  switch (isa) {
  case MatMulIsa::Avx512:
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("fma");
  case MatMulIsa::Avx2:
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  case MatMulIsa::Generic:
    return true;
  }
  return false;
#else
  return isa == MatMulIsa::Generic;
#endif
}

MatMulIsa bestMatMulIsa() {
  if (supportsMatMulIsa(MatMulIsa::Avx512))
    return MatMulIsa::Avx512;
  if (supportsMatMulIsa(MatMulIsa::Avx2))
    return MatMulIsa::Avx2;
  return MatMulIsa::Generic;
}

MatMulIsa matMulIsaFor(uint32_t kernelIsa) {
  MatMulIsa best = bestMatMulIsa();
  switch (kernelIsa) {
  case TFMRT_KERNEL_ISA_GENERIC:
    return MatMulIsa::Generic;
  case TFMRT_KERNEL_ISA_AVX2:
    return std::min(best, MatMulIsa::Avx2);
  default:
    return best;
  }
}

const char *matMulIsaName(MatMulIsa isa) {
  switch (isa) {
  case MatMulIsa::Avx512:
    return "avx512";
  case MatMulIsa::Avx2:
    return "avx2";
  case MatMulIsa::Generic:
    return "generic";
  }
  return "?";
}

} // namespace tfmrt

using namespace tfmrt;

namespace {

/// The job's A and C sides; B is set by the caller.
MatMulJob makeJob(int64_t m, int64_t n, int64_t k, const float *a, int64_t strideA, int64_t lda,
                  float *c, int64_t strideC, int64_t ldc) {
  MatMulJob job{};
  job.m = m, job.n = n, job.k = k;
  job.a = a, job.strideA = strideA, job.lda = lda;
  job.c = c, job.strideC = strideC, job.ldc = ldc;
  return job;
}

/// Runs `job` unless it is empty (no batch, rows or columns, or k < 0).
void runMatMul(tfmrt_instance *instance, int64_t batch, MatMulJob &job) {
  if (batch <= 0 || job.m <= 0 || job.n <= 0 || job.k < 0)
    return;
  ScratchBuffer fallback; // for a NULL instance or a thread outside its pool
  job.kernel = kernelFor(instance ? instance->matMulIsa : bestMatMulIsa());
  int threads = instance ? instance->pool.size() : 1;
  chooseTiles(job, batch, threads);
  job.scratch = instance ? instance->scratch.get() : &fallback;
  job.fallback = &fallback;
  int64_t tasks = int64_t(job.tasks.size());
  if (!instance) {
    runTasks(&job, 0, tasks, 0);
    return;
  }
  instance->pool.parallelFor(tasks, 1, runTasks, &job);
}

} // namespace

extern "C" void tfmrt_matmul_f32_epilogue(tfmrt_instance *instance, int64_t batch, int64_t m,
                                          int64_t n, int64_t k, const float *a,
                                          int64_t a_batch_stride, int64_t lda, const float *b,
                                          int64_t b_batch_stride, int64_t ldb, float *c,
                                          int64_t c_batch_stride, int64_t ldc,
                                          tfmrt_tile_fn epilogue, void *arg) {
  MatMulJob job = makeJob(m, n, k, a, a_batch_stride, lda, c, c_batch_stride, ldc);
  job.b = b, job.strideB = b_batch_stride, job.ldb = ldb;
  job.epilogue = epilogue, job.epilogueArg = arg;
  runMatMul(instance, batch, job);
}

extern "C" void tfmrt_matmul_f32_packed_b_epilogue(tfmrt_instance *instance, int64_t batch,
                                                   int64_t m, int64_t n, int64_t k,
                                                   const float *a, int64_t a_batch_stride,
                                                   int64_t lda, const float *packed_b, float *c,
                                                   int64_t c_batch_stride, int64_t ldc,
                                                   tfmrt_tile_fn epilogue, void *arg) {
  MatMulJob job = makeJob(m, n, k, a, a_batch_stride, lda, c, c_batch_stride, ldc);
  job.packedB = packed_b;
  job.epilogue = epilogue, job.epilogueArg = arg;
  runMatMul(instance, batch, job);
}

extern "C" void tfmrt_matmul_f32(tfmrt_instance *instance, int64_t batch, int64_t m, int64_t n,
                                 int64_t k, const float *a, int64_t a_batch_stride, int64_t lda,
                                 const float *b, int64_t b_batch_stride, int64_t ldb, float *c,
                                 int64_t c_batch_stride, int64_t ldc) {
  tfmrt_matmul_f32_epilogue(instance, batch, m, n, k, a, a_batch_stride, lda, b, b_batch_stride,
                            ldb, c, c_batch_stride, ldc, nullptr, nullptr);
}

extern "C" void tfmrt_matmul_f32_packed_b(tfmrt_instance *instance, int64_t batch, int64_t m,
                                          int64_t n, int64_t k, const float *a,
                                          int64_t a_batch_stride, int64_t lda,
                                          const float *packed_b, float *c,
                                          int64_t c_batch_stride, int64_t ldc) {
  tfmrt_matmul_f32_packed_b_epilogue(instance, batch, m, n, k, a, a_batch_stride, lda, packed_b,
                                     c, c_batch_stride, ldc, nullptr, nullptr);
}
