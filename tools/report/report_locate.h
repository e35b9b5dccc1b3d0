/* Find the report a given process wrote, from the HEAPTAG_OUT template it ran with (%p pid,
 * %e program name, %% percent).
 *
 * Only files modified since the run started count: a file left by an earlier process that
 * had the same pid must never pass for this run's.
 */
#ifndef HEAPTAG_TOOLS_REPORT_LOCATE_H
#define HEAPTAG_TOOLS_REPORT_LOCATE_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* Does NAME (one path component) match the template component PAT for
 * process PID ("%p" must be that pid; "%e" any non-empty name)?  With
 * PID NULL, %p matches any run of digits. */
int ht_template_match(const char *pat, const char *name, const char *pid);

/* The newest regular file matching TEMPLATE for PID, modified at or after
 * SINCE, as a malloc'd path in *FOUND (NULL if none).  Relative templates
 * are resolved against CWD.  Returns -1 with a reason in ERR when the
 * template cannot be searched (e.g. %e in its directory part). */
int ht_report_locate(const char *template, const char *cwd, pid_t pid, const struct timespec *since,
                     char **found, char *err, size_t errlen);

#endif
