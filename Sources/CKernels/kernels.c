// The calibration kernels behind `convscope calibrate` (docs/devices.md).
//
// Swift compiles for baseline x86-64, so the vector variants are C functions compiled for
// their instruction set with `__attribute__((target(...)))` and chosen at run time.

#include "CKernels.h"

#include <time.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define CK_X86 1
#else
#define CK_X86 0
#endif

enum { ACCUMULATORS = 12 };

int ck_optimized(void) {
#ifdef __OPTIMIZE__
  return 1;
#else
  return 0;
#endif
}

ck_variant ck_best_variant(void) {
#if CK_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return CK_AVX512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return CK_AVX2;
#endif
  return CK_SCALAR;
}

int ck_lanes(ck_variant variant) {
  switch (variant) {
    case CK_AVX512: return 16;
    case CK_AVX2: return 8;
    default: return 1;
  }
}

int ck_fma_accumulators(void) { return ACCUMULATORS; }

// Twelve independent chains hide the FMA latency (4 cycles x 2 pipes needs at least 8).
// Accumulator k starts at k, so that no two chains are the same computation (a compiler would
// merge them).
#define CK_FMA_BODY(VEC, SET1, FMA, ADD, STORE, LANES)                          \
  VEC a = SET1(*a_in), b = SET1(*b_in);                                         \
  VEC c0 = SET1(0), c1 = SET1(1), c2 = SET1(2), c3 = SET1(3), c4 = SET1(4);     \
  VEC c5 = SET1(5), c6 = SET1(6), c7 = SET1(7), c8 = SET1(8), c9 = SET1(9);     \
  VEC c10 = SET1(10), c11 = SET1(11);                                           \
  for (long i = 0; i < iterations; i++) {                                       \
    c0 = FMA(a, b, c0); c1 = FMA(a, b, c1); c2 = FMA(a, b, c2);                 \
    c3 = FMA(a, b, c3); c4 = FMA(a, b, c4); c5 = FMA(a, b, c5);                 \
    c6 = FMA(a, b, c6); c7 = FMA(a, b, c7); c8 = FMA(a, b, c8);                 \
    c9 = FMA(a, b, c9); c10 = FMA(a, b, c10); c11 = FMA(a, b, c11);             \
  }                                                                             \
  VEC s = ADD(ADD(ADD(c0, c1), ADD(c2, c3)), ADD(ADD(c4, c5), ADD(c6, c7)));    \
  s = ADD(s, ADD(ADD(c8, c9), ADD(c10, c11)));                                  \
  float lanes[LANES];                                                           \
  STORE(lanes, s);                                                              \
  float total = 0;                                                              \
  for (int l = 0; l < LANES; l++) total += lanes[l];                            \
  return total;

#if CK_X86
__attribute__((target("avx512f"))) static float fma_avx512(long iterations, const float *a_in, const float *b_in) {
  CK_FMA_BODY(__m512, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps, _mm512_storeu_ps, 16)
}

__attribute__((target("avx2,fma"))) static float fma_avx2(long iterations, const float *a_in, const float *b_in) {
  CK_FMA_BODY(__m256, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps, _mm256_storeu_ps, 8)
}
#endif

static inline float scalar_fma(float a, float b, float c) { return a * b + c; }
static inline float scalar_add(float a, float b) { return a + b; }
static inline float scalar_set1(float a) { return a; }
static inline void scalar_store(float *out, float value) { out[0] = value; }

static float fma_scalar(long iterations, const float *a_in, const float *b_in) {
  CK_FMA_BODY(float, scalar_set1, scalar_fma, scalar_add, scalar_store, 1)
}

float ck_fma(ck_variant variant, long iterations, const float *a, const float *b) {
#if CK_X86
  if (variant == CK_AVX512) return fma_avx512(iterations, a, b);
  if (variant == CK_AVX2) return fma_avx2(iterations, a, b);
#endif
  return fma_scalar(iterations, a, b);
}

// Four independent sums per block of four vectors keep two loads a cycle in flight.
#define CK_READ_BODY(VEC, ZERO, LOAD, ADD, STORE, LANES)                        \
  VEC s0 = ZERO, s1 = ZERO, s2 = ZERO, s3 = ZERO;                               \
  for (long r = 0; r < repeats; r++) {                                          \
    for (size_t i = 0; i < count; i += 4 * LANES) {                             \
      s0 = ADD(s0, LOAD(data + i));                                             \
      s1 = ADD(s1, LOAD(data + i + LANES));                                     \
      s2 = ADD(s2, LOAD(data + i + 2 * LANES));                                 \
      s3 = ADD(s3, LOAD(data + i + 3 * LANES));                                 \
    }                                                                           \
  }                                                                             \
  float lanes[LANES];                                                           \
  STORE(lanes, ADD(ADD(s0, s1), ADD(s2, s3)));                                  \
  float total = 0;                                                              \
  for (int l = 0; l < LANES; l++) total += lanes[l];                            \
  return total;

#define CK_COPY_BODY(LOAD, STORE, LANES)                                        \
  for (long r = 0; r < repeats; r++) {                                          \
    for (size_t i = 0; i < count; i += 4 * LANES) {                             \
      STORE(destination + i, LOAD(source + i));                                 \
      STORE(destination + i + LANES, LOAD(source + i + LANES));                 \
      STORE(destination + i + 2 * LANES, LOAD(source + i + 2 * LANES));         \
      STORE(destination + i + 3 * LANES, LOAD(source + i + 3 * LANES));         \
    }                                                                           \
    __asm__ volatile("" ::: "memory");                                          \
  }                                                                             \
  return count > 0 ? destination[count - 1] : 0;

#if CK_X86
__attribute__((target("avx512f"))) static float read_avx512(const float *data, size_t count, long repeats) {
  CK_READ_BODY(__m512, _mm512_setzero_ps(), _mm512_loadu_ps, _mm512_add_ps, _mm512_storeu_ps, 16)
}

__attribute__((target("avx2"))) static float read_avx2(const float *data, size_t count, long repeats) {
  CK_READ_BODY(__m256, _mm256_setzero_ps(), _mm256_loadu_ps, _mm256_add_ps, _mm256_storeu_ps, 8)
}

__attribute__((target("avx512f"))) static float copy_avx512(
  float *destination, const float *source, size_t count, long repeats) {
  CK_COPY_BODY(_mm512_loadu_ps, _mm512_storeu_ps, 16)
}

__attribute__((target("avx2"))) static float copy_avx2(
  float *destination, const float *source, size_t count, long repeats) {
  CK_COPY_BODY(_mm256_loadu_ps, _mm256_storeu_ps, 8)
}
#endif

static inline float scalar_load(const float *p) { return *p; }
static inline void scalar_put(float *p, float v) { *p = v; }

static float read_scalar(const float *data, size_t count, long repeats) {
  CK_READ_BODY(float, 0.0f, scalar_load, scalar_add, scalar_store, 1)
}

static float copy_scalar(float *destination, const float *source, size_t count, long repeats) {
  CK_COPY_BODY(scalar_load, scalar_put, 1)
}

float ck_read(ck_variant variant, const float *data, size_t count, long repeats) {
#if CK_X86
  if (variant == CK_AVX512) return read_avx512(data, count, repeats);
  if (variant == CK_AVX2) return read_avx2(data, count, repeats);
#endif
  return read_scalar(data, count, repeats);
}

float ck_copy(ck_variant variant, float *destination, const float *source, size_t count, long repeats) {
#if CK_X86
  if (variant == CK_AVX512) return copy_avx512(destination, source, count, repeats);
  if (variant == CK_AVX2) return copy_avx2(destination, source, count, repeats);
#endif
  return copy_scalar(destination, source, count, repeats);
}

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

double ck_clock_hz(double seconds) {
#if CK_X86
  const long additions_per_round = 64L * 1000;
  double best = 0, start = now_seconds(), end = start + seconds;
  while (now_seconds() < end) {
    unsigned long x = 0;
    double t0 = now_seconds();
    for (long i = 0; i < 1000; i++) {
      // 64 additions, each waiting for the one before: 64 cycles.
      __asm__ volatile(
        ".rept 64\n\taddq $1, %0\n\t.endr" : "+r"(x));
    }
    double elapsed = now_seconds() - t0;
    if (x == (unsigned long)additions_per_round && elapsed > 0) {
      double hz = (double)additions_per_round / elapsed;
      if (hz > best) best = hz;
    }
  }
  return best;
#else
  (void)seconds;
  return 0;
#endif
}
