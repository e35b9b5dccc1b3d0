/* Validate heaptag reports (docs/report-format.md) and compare them with the figures a test
 * program expects. */
#ifndef REPORT_CHECK_H
#define REPORT_CHECK_H

#include <jansson.h>
#include <stdbool.h>

/* Print one failure line for FILE and remember that the run failed. */
void rc_fail(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
extern int rc_failures;
/* Reports taken while other threads allocate (docs/report-format.md): the
 * alloc-free == live_blocks and usable >= requested invariants may be off
 * by the operations in flight, at most this many. 0: checked exactly. */
extern long long rc_in_flight;

/* Check the schema and every invariant of report-format.md.  Failures are
 * reported through rc_fail; returns false if the report is unusable. */
bool rc_validate(const char *file, json_t *report);

/* Resolve a key: "totals.F", "tracker.F", "types.NAME.F" (NAME may itself
 * contain dots; F is after the last dot) or a top-level key.  NULL if absent. */
json_t *rc_lookup(json_t *report, const char *key);

/* The integer at KEY in BASELINE, 0 when there is no baseline or no such key
 * (a type that did not exist yet had all-zero figures). */
long long rc_baseline_int(json_t *baseline, const char *key);

/* Expectations, from --expect or an expected-values file. */
struct rc_expect;
struct rc_expect *rc_expect_new(void);
/* "KEY=VALUE" (integer or string) or "KEY~SUBSTRING". */
bool rc_expect_add_cli(struct rc_expect *e, const char *arg);
/* One line of an expected-values file (syntax in report-check.c). */
bool rc_expect_add_line(struct rc_expect *e, const char *line, const char *where);
bool rc_expect_add_absent_type(struct rc_expect *e, const char *name);
/* Check all expectations against REPORT (BASELINE may be NULL). */
void rc_expect_check(const struct rc_expect *e, const char *file, json_t *report, json_t *baseline);

#endif
