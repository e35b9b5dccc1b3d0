/* A stack walk of our own for the common frames, before libunwind.
 *
 * libunwind's unw_backtrace costs some 700 instructions for a stack of
 * five frames, a third of them setting up its cursor, and touches a few
 * kilobytes the rest of a sampled run never does.  This walk reads each
 * frame's rule from the module's DWARF CFI once (cfi_rule.c), keeps it in
 * a table by address, and then steps a frame in 40 to 50 instructions.  It
 * takes only frames whose rules are plain (cfi_rule.h); on any other, and
 * while a dlclose runs, it gives up and the caller asks libunwind for the
 * whole stack, so every stack is one libunwind would give.
 * HEAPTAG_UNWIND_CHECK=1 walks every stack both ways and counts the
 * stacks that differ (the report's unwind_check). */
#ifndef HT_FAST_UNWIND_H
#define HT_FAST_UNWIND_H
#include "ht_common.h"

/* Return addresses of the caller's stack into raw[], innermost first,
 * beginning with the caller's own; at most max.  -1: not walked (a frame
 * this walk does not take; use libunwind). */
int fast_backtrace(void **raw, int max);
/* Map the rule table (once); 0, or -1 (then fast_backtrace always answers
 * -1).  Only in a process whose dlclose is ours (fast_unwind.c). */
int fast_unwind_init(void);
#endif
