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

/* Set while this thread is in unw_backtrace: a capture that a signal
 * handler starts then finds it set and records no stack, so libunwind's
 * per-thread cache is never walked by two calls at once. */
extern HT_HIDDEN __thread int stack_capturing;

/* For a caller that calls unw_backtrace(raw, stack_capture_raw_want(max))
 * itself, inline, so that libunwind walks one frame of ours fewer (sampled
 * mode; it sets and tests stack_capturing as stack_capture does): the
 * program's frames of raw[0..got) into frames, as stack_capture returns
 * them. */
#define STACK_RAW_MAX (STACK_MAX_DEPTH + 16)
static inline int stack_capture_raw_want(int max)
{
    return max + 16 < STACK_RAW_MAX ? max + 16 : STACK_RAW_MAX;
}
int stack_capture_keep(uintptr_t *frames, int max, void *const *raw, int got);
#endif
