// The cache-blocked single-precision GEMM `convscope calibrate` times for the attained
// matrix-product rate (docs/devices.md): the loop nest of Goto and van de Geijn ("Anatomy of
// high-performance matrix multiplication", ACM TOMS 34(3), 2008) as BLIS writes it. A block of
// B (KC x NC) is packed into NR-column slivers, a block of A (MC x KC) into MR-row slivers, and
// a register-blocked micro-kernel multiplies one A sliver by one B sliver into an MR x NR tile
// of C. Every variant's tile is 6 rows by 2 vectors: 6x32 in AVX-512, 6x16 in AVX2+FMA, 6x2 in
// portable C; twelve accumulators, as in the FMA kernel of kernels.c.

#include "CKernels.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define CK_X86 1
#else
#define CK_X86 0
#endif

enum { MR = 6, KC = 256, MC = 96, NC = 2048, MAX_NR = 32 };

size_t ck_gemm_workspace(void) { return (size_t)MC * KC + (size_t)KC * NC; }

/// C[0..5][0..2*LANES) += the product of a packed A sliver (kc x 6) and a packed B sliver
/// (kc x 2*LANES); rows of C are `ldc` floats apart.
typedef void (*micro_kernel)(long kc, const float *a, const float *b, float *c, long ldc);

#define CK_ROW(I, VEC, ZERO) VEC c##I##0 = ZERO, c##I##1 = ZERO;
#define CK_UPDATE(I, VEC, SET1, FMA)                                            \
  {                                                                             \
    VEC ai = SET1(a[I]);                                                        \
    c##I##0 = FMA(ai, b0, c##I##0);                                             \
    c##I##1 = FMA(ai, b1, c##I##1);                                             \
  }
#define CK_STORE(I, LOAD, STORE, ADD, LANES)                                    \
  STORE(c + I * ldc, ADD(LOAD(c + I * ldc), c##I##0));                          \
  STORE(c + I * ldc + LANES, ADD(LOAD(c + I * ldc + LANES), c##I##1));
#define CK_MICRO_BODY(VEC, ZERO, SET1, LOAD, STORE, FMA, ADD, LANES)            \
  CK_ROW(0, VEC, ZERO) CK_ROW(1, VEC, ZERO) CK_ROW(2, VEC, ZERO)                \
  CK_ROW(3, VEC, ZERO) CK_ROW(4, VEC, ZERO) CK_ROW(5, VEC, ZERO)                \
  for (long p = 0; p < kc; p++) {                                               \
    VEC b0 = LOAD(b), b1 = LOAD(b + LANES);                                     \
    CK_UPDATE(0, VEC, SET1, FMA) CK_UPDATE(1, VEC, SET1, FMA)                   \
    CK_UPDATE(2, VEC, SET1, FMA) CK_UPDATE(3, VEC, SET1, FMA)                   \
    CK_UPDATE(4, VEC, SET1, FMA) CK_UPDATE(5, VEC, SET1, FMA)                   \
    a += MR;                                                                    \
    b += 2 * LANES;                                                             \
  }                                                                             \
  CK_STORE(0, LOAD, STORE, ADD, LANES) CK_STORE(1, LOAD, STORE, ADD, LANES)     \
  CK_STORE(2, LOAD, STORE, ADD, LANES) CK_STORE(3, LOAD, STORE, ADD, LANES)     \
  CK_STORE(4, LOAD, STORE, ADD, LANES) CK_STORE(5, LOAD, STORE, ADD, LANES)

#if CK_X86
__attribute__((target("avx512f"))) static void micro_avx512(
  long kc, const float *a, const float *b, float *c, long ldc) {
  CK_MICRO_BODY(__m512, _mm512_setzero_ps(), _mm512_set1_ps, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_fmadd_ps,
    _mm512_add_ps, 16)
}

__attribute__((target("avx2,fma"))) static void micro_avx2(
  long kc, const float *a, const float *b, float *c, long ldc) {
  CK_MICRO_BODY(__m256, _mm256_setzero_ps(), _mm256_set1_ps, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_fmadd_ps,
    _mm256_add_ps, 8)
}
#endif

static inline float scalar_load(const float *p) { return *p; }
static inline void scalar_store(float *p, float v) { *p = v; }
static inline float scalar_fma(float x, float y, float z) { return x * y + z; }
static inline float scalar_add(float x, float y) { return x + y; }
static inline float scalar_set1(float x) { return x; }

static void micro_scalar(long kc, const float *a, const float *b, float *c, long ldc) {
  CK_MICRO_BODY(float, 0.0f, scalar_set1, scalar_load, scalar_store, scalar_fma, scalar_add, 1)
}

/// Packs rows [0, mc) and columns [0, kc) of A (row stride lda) into 6-row slivers, column by
/// column, rows past `mc` as zeros.
static void pack_a(int mc, int kc, const float *a, int lda, float *packed) {
  for (int i0 = 0; i0 < mc; i0 += MR) {
    for (int p = 0; p < kc; p++) {
      for (int i = 0; i < MR; i++) *packed++ = i0 + i < mc ? a[(size_t)(i0 + i) * lda + p] : 0.0f;
    }
  }
}

/// Packs rows [0, kc) and columns [0, nc) of B (row stride ldb) into `nr`-column slivers, row
/// by row, columns past `nc` as zeros.
static void pack_b(int kc, int nc, int nr, const float *b, int ldb, float *packed) {
  for (int j0 = 0; j0 < nc; j0 += nr) {
    int width = nc - j0 < nr ? nc - j0 : nr;
    for (int p = 0; p < kc; p++) {
      const float *row = b + (size_t)p * ldb + j0;
      memcpy(packed, row, (size_t)width * sizeof(float));
      for (int j = width; j < nr; j++) packed[j] = 0.0f;
      packed += nr;
    }
  }
}

void ck_gemm(ck_variant variant, int m, int n, int k, const float *a, const float *b, float *c, float *workspace) {
  micro_kernel kernel = micro_scalar;
  int nr = 2;
#if CK_X86
  if (variant == CK_AVX512) kernel = micro_avx512, nr = 32;
  if (variant == CK_AVX2) kernel = micro_avx2, nr = 16;
#endif
  float *packed_a = workspace, *packed_b = workspace + (size_t)MC * KC;
  memset(c, 0, (size_t)m * n * sizeof(float));
  for (int jc = 0; jc < n; jc += NC) {
    int nc = n - jc < NC ? n - jc : NC;
    for (int pc = 0; pc < k; pc += KC) {
      int kc = k - pc < KC ? k - pc : KC;
      pack_b(kc, nc, nr, b + (size_t)pc * n + jc, n, packed_b);
      for (int ic = 0; ic < m; ic += MC) {
        int mc = m - ic < MC ? m - ic : MC;
        pack_a(mc, kc, a + (size_t)ic * k + pc, k, packed_a);
        for (int jr = 0; jr < nc; jr += nr) {
          for (int ir = 0; ir < mc; ir += MR) {
            const float *sliver_a = packed_a + (size_t)ir * kc, *sliver_b = packed_b + (size_t)jr * kc;
            float *tile = c + (size_t)(ic + ir) * n + jc + jr;
            if (mc - ir >= MR && nc - jr >= nr) {
              kernel(kc, sliver_a, sliver_b, tile, n);
            } else {
              // An edge tile: computed whole into a zeroed buffer, its valid part added to C.
              float edge[MR * MAX_NR] = {0};
              kernel(kc, sliver_a, sliver_b, edge, nr);
              for (int i = 0; i < MR && ir + i < mc; i++) {
                for (int j = 0; j < nr && jr + j < nc; j++) tile[(size_t)i * n + j] += edge[i * nr + j];
              }
            }
          }
        }
      }
    }
  }
}
