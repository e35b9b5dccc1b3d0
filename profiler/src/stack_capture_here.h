/* The stack capture itself, inline (stack_capture.h has the rest).
 *
 * stack_capture() is this function out of line.  Sampled mode's slow path
 * includes it instead, so that libunwind, which walks our own frames
 * before the program's, has one frame fewer to walk per sample.  Only the
 * two files that call it include libunwind's header. */
#ifndef HT_STACK_CAPTURE_HERE_H
#define HT_STACK_CAPTURE_HERE_H
#include "stack_capture.h"
#define UNW_LOCAL_ONLY
#include <libunwind.h>

/* unw_backtrace gets room for our own frames beyond the ones wanted. */
#define STACK_RAW_MAX (STACK_MAX_DEPTH + 16)
/* The program's frames of raw[0..got) into frames, at most max. */
int stack_capture_keep(uintptr_t *frames, int max, void *const *raw, int got);

/* As stack_capture(), in the caller's frame.  stack_capturing is set
 * while libunwind runs: a capture a signal handler starts meanwhile
 * records no stack, so libunwind's per-thread cache is never walked by
 * two calls at once. */
static inline __attribute__((always_inline)) int stack_capture_here(uintptr_t *frames, int max)
{
    if (stack_capturing)
        return 0;
    stack_capturing = 1;
    void *raw[STACK_RAW_MAX];
    int got = unw_backtrace(raw, max + 16 < STACK_RAW_MAX ? max + 16 : STACK_RAW_MAX);
    stack_capturing = 0;
    return stack_capture_keep(frames, max, raw, got);
}
#endif
