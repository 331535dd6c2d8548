// Runs a calibration kernel on several threads started together (one per core).

#include "CKernels.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/// The common start: threads wait until `go` is 1 (run) or -1 (a sibling failed to start: return).
struct start {
  pthread_mutex_t lock;
  pthread_cond_t changed;
  int go;
};

typedef struct {
  ck_run run;
  ck_variant variant;
  size_t count;
  long repeats;
  float *source;
  float *destination;
  float *destination_block;
  int m, n, k;
  float *workspace;
  struct start *start;
  double result;
  double end;
  double cpu;
} task;

static double seconds_of(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void *work(void *argument) {
  task *t = argument;
  const float one = 1.0f;
  pthread_mutex_lock(&t->start->lock);
  while (t->start->go == 0) pthread_cond_wait(&t->start->changed, &t->start->lock);
  int go = t->start->go;
  pthread_mutex_unlock(&t->start->lock);
  if (go < 0) return NULL;
  double cpu = seconds_of(CLOCK_THREAD_CPUTIME_ID);
  switch (t->run) {
    case CK_RUN_FMA: t->result = ck_fma(t->variant, t->repeats, &one, &one); break;
    case CK_RUN_READ: t->result = ck_read(t->variant, t->source, t->count, t->repeats); break;
    case CK_RUN_COPY: t->result = ck_copy(t->variant, t->destination, t->source, t->count, t->repeats); break;
    case CK_RUN_CLOCK: t->result = ck_clock_hz(0.05); break;
    case CK_RUN_GEMM:
      for (long r = 0; r < t->repeats; r++) ck_gemm(t->variant, t->m, t->n, t->k, t->source, t->source, t->destination, t->workspace);
      t->result = t->destination[0];
      break;
  }
  t->end = seconds_of(CLOCK_MONOTONIC);
  t->cpu = seconds_of(CLOCK_THREAD_CPUTIME_ID) - cpu;
  return NULL;
}

/// A GEMM's buffers: A and B both read from one buffer of ones (m x k and k x n floats), so
/// that every element of C is k.
static int prepare_gemm(task *t) {
  size_t inputs = (size_t)t->k * (size_t)(t->m > t->n ? t->m : t->n);
  t->source = malloc(inputs * sizeof(float));
  t->destination_block = malloc((size_t)t->m * (size_t)t->n * sizeof(float));
  t->destination = t->destination_block;
  t->workspace = malloc(ck_gemm_workspace() * sizeof(float));
  if (t->source == NULL || t->destination == NULL || t->workspace == NULL) return 0;
  for (size_t i = 0; i < inputs; i++) t->source[i] = 1.0f;
  t->destination[0] = 0;
  return 1;
}

static int prepare(task *t) {
  if (t->run == CK_RUN_GEMM) return prepare_gemm(t);
  if (t->run != CK_RUN_READ && t->run != CK_RUN_COPY) return 1;
  size_t bytes = (t->count * sizeof(float) + 4095) / 4096 * 4096 + 4096;
  t->source = aligned_alloc(4096, bytes);
  // The destination starts 1 KiB past a 4 KiB boundary of its own, so that a store never has
  // the same address bits 0-11 as the load beside it (4K aliasing would stall the copy).
  t->destination_block = t->run == CK_RUN_COPY ? aligned_alloc(4096, bytes + 4096) : NULL;
  t->destination = t->destination_block ? t->destination_block + 256 : NULL;
  if (t->source == NULL || (t->run == CK_RUN_COPY && t->destination == NULL)) return 0;
  for (size_t i = 0; i < t->count; i++) t->source[i] = 1.0f;
  if (t->destination) memset(t->destination, 0, t->count * sizeof(float));
  return 1;
}

static void release(struct start *start, int go) {
  pthread_mutex_lock(&start->lock);
  start->go = go;
  pthread_cond_broadcast(&start->changed);
  pthread_mutex_unlock(&start->lock);
}

/// Runs copies of `proto` on `threads` threads (see ck_parallel).
static double launch(task proto, int threads, double *checksum, double *wall) {
  ck_run run = proto.run;
  if (threads < 1) return -1;
  task *tasks = calloc((size_t)threads, sizeof(task));
  pthread_t *ids = calloc((size_t)threads, sizeof(pthread_t));
  struct start start = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
  int ready = tasks != NULL && ids != NULL, started = 0;
  for (int i = 0; ready && i < threads; i++) {
    tasks[i] = proto;
    tasks[i].start = &start;
    ready = prepare(&tasks[i]);
  }
  while (ready && started < threads && pthread_create(&ids[started], NULL, work, &tasks[started]) == 0) started++;
  double elapsed = -1;
  if (ready && started == threads) {
    double begin = seconds_of(CLOCK_MONOTONIC);
    release(&start, 1);
    double end = begin, total = 0, cpu = 0;
    for (int i = 0; i < threads; i++) {
      pthread_join(ids[i], NULL);
      if (tasks[i].end > end) end = tasks[i].end;
      if (tasks[i].cpu > cpu) cpu = tasks[i].cpu;
      total = run == CK_RUN_CLOCK ? (tasks[i].result > total ? tasks[i].result : total) : total + tasks[i].result;
    }
    if (checksum) *checksum = total;
    if (wall) *wall = end - begin;
    elapsed = cpu;
  } else {
    // A buffer or a thread could not be made: the threads already started return unrun.
    release(&start, -1);
    for (int i = 0; i < started; i++) pthread_join(ids[i], NULL);
  }
  for (int i = 0; tasks != NULL && i < threads; i++) {
    free(tasks[i].source);
    free(tasks[i].destination_block);
    free(tasks[i].workspace);
  }
  free(ids);
  free(tasks);
  return elapsed;
}

double ck_parallel(
  ck_run run, ck_variant variant, int threads, size_t count, long repeats, double *checksum, double *wall) {
  if (run == CK_RUN_GEMM) return -1;  // the shape comes with ck_parallel_gemm
  return launch((task){.run = run, .variant = variant, .count = count, .repeats = repeats}, threads, checksum, wall);
}

double ck_parallel_gemm(ck_variant variant, int threads, int m, int n, int k, long repeats, double *checksum, double *wall) {
  if (m < 1 || n < 1 || k < 1) return -1;
  task proto = {.run = CK_RUN_GEMM, .variant = variant, .repeats = repeats, .m = m, .n = n, .k = k};
  return launch(proto, threads, checksum, wall);
}
