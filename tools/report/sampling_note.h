/* sampling_note.h — what every output of a sampled report says about it
 * (docs/sampling.md).
 *
 * It says that its figures are estimates, the mean sampling
 * distance, and each type's 95% error bounds.
 */
#ifndef HEAPTAG_TOOLS_SAMPLING_NOTE_H
#define HEAPTAG_TOOLS_SAMPLING_NOTE_H

#include <stdio.h>

#include "report/report.h"

/* Below this many live samples at the peak ("peak_samples") every output
 * warns that the peak can read several times too high: with 30, the live
 * estimate's own spread is already about a fifth of it (1/sqrt(30)), and
 * the running maximum adds to that (ADR-0010). */
#define HT_PEAK_SAMPLES_TRUSTED 30

/* The live samples the report's peak rests on, into *n: 0 when the
 * report has no such figure (exact, or written before it existed). */
int ht_peak_samples(const struct ht_report *r, long long *n);

/* Text (MARKDOWN 0) or Markdown lines; nothing for an exact report. */
void ht_sampling_note(FILE *out, const struct ht_report *r, int markdown);
/* The report's "sampling" object (a new reference), or NULL if exact. */
void *ht_sampling_json(const struct ht_report *r);

#endif
