/* The parts of the report that exist in stacks mode or describe the heap
 * over time.
 *
 * They are "stacks", "modules", "sites", "timeline" and "details"
 * (docs/report-format.md).  Async-signal-safe like the rest of the writer. */
#ifndef HT_REPORT_STACKS_H
#define HT_REPORT_STACKS_H
#include "text_buf.h"
#include <stddef.h>
#include <stdint.h>

/* Append ",\"stacks\":…" and the rest to the report being written;
 * NSITES: the sites to list are those with ids below it (fixed before the
 * types were listed, so every listed site's type is listed). */
void report_emit_stacks(struct text_buf *b, uint32_t nsites);
/* ",\"modules\":[…]": the executable mappings of the process. */
void report_emit_modules(struct text_buf *b);
/* A JSON array of size-histogram counts. */
void report_emit_hist(struct text_buf *b, const int64_t *hist);
struct site;
/* A call site's id, type and frames, opening its object in "sites"
 * (after a separator unless FIRST). */
void report_emit_site_head(struct text_buf *b, uint32_t id, const struct site *s, int first);
/* The report's top-level ",\"unwind_check\":{…}", under
 * HEAPTAG_UNWIND_CHECK only (how our stack walk compared with
 * libunwind's, stack_capture.c).  Not in "tracker", whose keys are all
 * integer counts. */
void report_emit_unwind_check(struct text_buf *b);
#endif
