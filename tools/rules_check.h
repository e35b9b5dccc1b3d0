/* Validate a type-rules file with the tracker's own parser before the program runs.
 *
 * rules_check.h — validate a type-rules file (HEAPTAG_RULES) with the
 * tracker's own parser, so `heaptag run --rules` refuses a bad file before
 * the program starts instead of the tracker ignoring it with a warning
 * halfway through a long run.
 */
#ifndef HEAPTAG_TOOLS_RULES_CHECK_H
#define HEAPTAG_TOOLS_RULES_CHECK_H

#include <stddef.h>

/* The tracker's limits (profiler/src/rules.c). */
#define HT_RULES_MAX 1024
#define HT_RULES_FILE_MAX (4u << 20)

/* 0 if PATH parses; otherwise -1 with "PATH:LINE: reason" (or "PATH:
 * reason" when it cannot be read) in ERR.  *NRULES gets the rule count. */
int ht_rules_check(const char *path, int *nrules, char *err, size_t errlen);

#endif
