#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>

/// The vector variant a kernel runs as on this processor.
typedef enum {
  /// Portable C (any processor).
  CK_SCALAR = 0,
  /// x86-64 AVX2 with FMA3: 8 float lanes.
  CK_AVX2 = 1,
  /// x86-64 AVX-512F: 16 float lanes.
  CK_AVX512 = 2,
} ck_variant;

/// 1 when these kernels were compiled with optimisation (`swift build -c release`), else 0:
/// unoptimised, every vector goes through the stack and the rates mean nothing.
int ck_optimized(void);

/// The widest variant this processor runs (`__builtin_cpu_supports` on x86-64, scalar elsewhere).
ck_variant ck_best_variant(void);

/// Float lanes of one vector of `variant` (1, 8 or 16).
int ck_lanes(ck_variant variant);

/// Independent accumulators the FMA kernel keeps in registers (a 6x2 block of a GEMM micro-kernel).
int ck_fma_accumulators(void);

/// The FMA kernel: `iterations` times, every accumulator (vector) `acc = a * b + acc`, with
/// `a` and `b` read from memory once. Accumulator k (0-based) starts at k in every lane, so
/// with a = b = 1 it returns, exactly while the sums stay below 2^24, the sum of its lanes:
/// lanes x (0 + 1 + ... + 11 + accumulators x iterations), one count per multiply-add done.
/// Each multiply-add is 2 FLOPs.
float ck_fma(ck_variant variant, long iterations, const float *a, const float *b);

/// The sum of `count` floats (`count` a multiple of 64), `repeats` times over: a streaming read.
float ck_read(ck_variant variant, const float *data, size_t count, long repeats);

/// Copies `count` floats (`count` a multiple of 64) from `source` to `destination`, `repeats`
/// times; returns the last element copied, so that the copy is observed.
float ck_copy(ck_variant variant, float *destination, const float *source, size_t count, long repeats);

/// The core clock in Hz, measured with a chain of dependent integer additions (one cycle
/// each) for about `seconds`; 0 where the architecture has no such chain written (not x86-64).
double ck_clock_hz(double seconds);

/// Floats of workspace `ck_gemm` needs (its packed blocks of A and B), whatever the shape.
size_t ck_gemm_workspace(void);

/// The cache-blocked GEMM: C = A x B for row-major A (m x k), B (k x n) and C (m x n), with
/// packed panels of A and B in `workspace` (`ck_gemm_workspace()` floats) and a 6-row by
/// 2-vector register-blocked micro-kernel of `variant`. It does m x n x k multiply-adds.
void ck_gemm(ck_variant variant, int m, int n, int k, const float *a, const float *b, float *c, float *workspace);

/// What `ck_parallel` runs on each thread.
typedef enum {
  CK_RUN_FMA = 0,
  CK_RUN_READ = 1,
  CK_RUN_COPY = 2,
  CK_RUN_CLOCK = 3,
  /// `ck_gemm` (started with `ck_parallel_gemm`, which gives the shape).
  CK_RUN_GEMM = 4,
} ck_run;

/// Runs `run` on `threads` threads started together (each its own buffers of `count` floats,
/// `repeats` times; `repeats` is the iteration count for the FMA kernel and ignored for the
/// clock). Returns the longest time a thread spent running (its CPU time, in seconds: the time
/// the kernel had a core, whatever else the machine ran), or a negative number when a thread
/// or buffer could not be made. `checksum` receives the sum of the threads' results (for the
/// clock: the highest thread's Hz); `wall` the time from the common start to the last end.
double ck_parallel(
  ck_run run, ck_variant variant, int threads, size_t count, long repeats, double *checksum, double *wall);

/// Runs `ck_gemm` at m x n x k, `repeats` times, on `threads` threads started together, each
/// with its own A and B of ones, C and workspace; as `ck_parallel` otherwise (`checksum`: the sum
/// of the threads' C[0][0], which is k).
double ck_parallel_gemm(ck_variant variant, int threads, int m, int n, int k, long repeats, double *checksum, double *wall);

#endif
