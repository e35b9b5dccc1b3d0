/* Writing the JSON report (docs/report-format.md). */
#ifndef HT_REPORT_H
#define HT_REPORT_H
#include <stddef.h>

/* Write a report to the path TEMPLATE names (NULL: HEAPTAG_OUT's), with the
 * given reason.  Async-signal-safe; no lock is taken and nothing allocated
 * from the heap.  Returns 0, or -1 with errno set (and one warning line). */
int report_write(const char *template_or_null, const char *reason);
/* A fork child records whether its parent had other threads, which may
 * have been mid-update when the counters were copied. */
void report_note_fork_child(int parent_had_threads);
/* Expand %p, %e and %% of a path template (relative to the start
 * directory): 0, or -1 if it does not fit in CAP. */
int report_expand_path(const char *tmpl, char *out, size_t cap);
/* Monotonic start time, set by the constructor. */
void report_mark_start(void);
/* Remember the program's name from argv[0] before main can rewrite it
 * (for %e and the report's "program"). */
void report_capture_name(const char *argv0);
/* Open the final report path now, before the process gives up its user
 * id; the report falls back to this descriptor if it cannot be created
 * at the end.  A fork child drops its parent's with report_drop_held. */
void report_hold(void);
void report_drop_held(void);
#endif
