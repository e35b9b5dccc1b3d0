/* Sampled mode in the report: estimates in place of the exact figures,
 * and the "sampling" object with the rate and 95% error bounds.
 *
 * The format is in docs/report-format.md.  Read without the sampler's lock,
 * like the exact counters: async-signal-safe. */
#ifndef HT_SAMPLE_REPORT_H
#define HT_SAMPLE_REPORT_H
#include "stats.h"
#include "text_buf.h"

/* Replace the allocation figures of type t's snapshot with estimates
 * (instances stay exact: heaptag_instance_new is counted, not sampled). */
void sample_type_overlay(uint32_t t, struct type_stats *c);
/* The estimate of the process's realloc calls (those that succeeded). */
int64_t sample_realloc_calls(void);
/* The whole process's estimated peaks. */
void sample_total_peaks(int64_t *bytes, int64_t *usable, int64_t *blocks);
/* ",\"stacks\":…" with the sites' estimates, then ",\"sampling\":{…}". */
void sample_emit_tail(struct text_buf *b, uint32_t nsites);
#endif
