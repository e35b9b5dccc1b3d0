/* Call stacks of allocations (HEAPTAG_STACKS). */
#ifndef HT_STACK_CAPTURE_H
#define HT_STACK_CAPTURE_H
#include "ht_common.h"
#include <stdint.h>

#define STACK_MAX_DEPTH 128

/* Depth to record; 0 when stacks are off. */
extern HT_HIDDEN int stack_depth;

/* Fill frames[] with the return addresses of the caller's stack, innermost
 * first, without the tracker's own frames.  Returns the count (0 when a
 * capture is already running on this thread: libunwind may allocate). */
int stack_capture(uintptr_t *frames, int max);
void stack_capture_init(int depth);

/* What HEAPTAG_UNWIND_CHECK found (stack_capture.c): stacks compared,
 * stacks libunwind alone walked, stacks whose two walks differed, and the
 * first two walks that differed (counts 0 unless some did). */
struct unwind_check {
    int64_t stacks, libunwind_only, differed;
    const uintptr_t *first_ours, *first_libunwind;
    int first_ours_n, first_libunwind_n;
};
/* Fill *c; 0 when the check is off. */
int stack_unwind_check_figures(struct unwind_check *c);

/* Set while this thread walks its stack (stack_capture_here.h). */
extern HT_HIDDEN __thread int stack_capturing;
#endif
