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

/* Set while this thread is in unw_backtrace (stack_capture_here.h). */
extern HT_HIDDEN __thread int stack_capturing;
#endif
