/* The stack capture itself, inline (stack_capture.h has the rest).
 *
 * stack_capture() is this function out of line.  Sampled mode's slow path
 * includes it instead, one call fewer per sample.  The walk is our own
 * (fast_unwind.h) where every frame's rule is plain, libunwind's
 * otherwise. */
#ifndef HT_STACK_CAPTURE_HERE_H
#define HT_STACK_CAPTURE_HERE_H
#include "stack_capture.h"
#include "fast_unwind.h"

/* Room for our own frames beyond the ones wanted. */
#define STACK_RAW_MAX (STACK_MAX_DEPTH + 16)
/* The program's frames of raw[0..got) into frames, at most max. */
int stack_capture_keep(uintptr_t *frames, int max, void *const *raw, int got);
/* libunwind's walk into raw (at most lim), for a stack fast_backtrace
 * gave up on (fast_got < 0) or, under HEAPTAG_UNWIND_CHECK, to compare
 * with its walk; returns the count. */
int stack_unwind_slow(void **raw, int lim, int fast_got, int max);
extern HT_HIDDEN int stack_unwind_check;

/* As stack_capture(), in the caller's frame.  stack_capturing is set
 * while a walk runs: a capture a signal handler starts meanwhile records
 * no stack, so libunwind's per-thread state is never walked by two calls
 * at once. */
static inline __attribute__((always_inline)) int stack_capture_here(uintptr_t *frames, int max)
{
    if (stack_capturing)
        return 0;
    stack_capturing = 1;
    void *raw[STACK_RAW_MAX];
    int lim = max + 16 < STACK_RAW_MAX ? max + 16 : STACK_RAW_MAX;
    int got = fast_backtrace(raw, lim);
    if (HT_UNLIKELY(got < 0 || stack_unwind_check))
        got = stack_unwind_slow(raw, lim, got, max);
    stack_capturing = 0;
    return stack_capture_keep(frames, max, raw, got);
}
#endif
