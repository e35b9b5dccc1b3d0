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

/* Text (MARKDOWN 0) or Markdown lines; nothing for an exact report. */
void ht_sampling_note(FILE *out, const struct ht_report *r, int markdown);
/* The report's "sampling" object (a new reference), or NULL if exact. */
void *ht_sampling_json(const struct ht_report *r);

#endif
