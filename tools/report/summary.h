/* One report as a per-type table (for people), JSON (exact numbers for scripts) or Markdown
 * (exact numbers for documents).
 *
 * Used by `heaptag report` and by `heaptag run` after the child ends.
 */
#ifndef HEAPTAG_TOOLS_SUMMARY_H
#define HEAPTAG_TOOLS_SUMMARY_H

#include <stdio.h>

#include "report/report.h"

enum ht_format { HT_FMT_TABLE, HT_FMT_JSON, HT_FMT_MARKDOWN, HT_FMT_HTML };
/* Parse a --format value; ALLOWED is a bit set of (1 << enum ht_format). */
int ht_format_parse(const char *s, unsigned allowed, enum ht_format *out);

void ht_summary_table(FILE *out, const struct ht_report *r);
int ht_summary_json(FILE *out, const struct ht_report *r);
void ht_summary_markdown(FILE *out, const struct ht_report *r);

#endif
