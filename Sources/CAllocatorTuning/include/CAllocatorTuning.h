#ifndef CALLOCATORTUNING_H
#define CALLOCATORTUNING_H

/// Sets glibc's allocator for a process that builds one report and exits (a fixed threshold
/// for mapped blocks, no fast bins; allocator_tuning.c says why). Does nothing on other C
/// libraries. Called once by the `convscope` executable, first thing: the library never
/// changes a process's allocator.
void convscope_tune_allocator(void);

#endif
