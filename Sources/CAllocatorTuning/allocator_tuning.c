#include "CAllocatorTuning.h"

#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

// Measured with Benchmarks/scale.sh and perf stat, side by side on the same binary:
//
// - A fixed threshold for mapped blocks. glibc serves a block of at least 128 KiB with its own
//   mapping, and raises that threshold each time such a block is freed (up to 32 MiB); large
//   arrays then come from the heap and leave holes there as they grow. Kept at 128 KiB, every
//   large block goes back to the system when freed: a 100,000-layer spec peaked at 270 MB
//   instead of 290-294 MB (issue 18's bound is 300 MB), in the same time.
// - No fast bins. A run frees hundreds of thousands of small blocks; fast bins keep them
//   unmerged until a large request sweeps them all (malloc_consolidate, 3.5% of a
//   100,000-layer run). Without them the blocks go through the per-thread cache and the
//   ordinary bins: 100,000 layers ran 2-4% faster, small models in the same time.
void convscope_tune_allocator(void) {
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_MXFAST)
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  mallopt(M_MXFAST, 0);
#endif
}
