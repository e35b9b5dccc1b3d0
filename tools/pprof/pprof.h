/* pprof.h — a report as a gzipped pprof profile (profile.proto of
 * github.com/google/pprof, written with pb.h; docs/pprof.md).
 *
 * The profile holds the sample types of heap profilers
 * (alloc_objects/count, alloc_space/bytes, inuse_objects/count,
 * inuse_space/bytes), one sample per call site with a "type" label,
 * locations with functions and file:line from the symbolizer, mappings with
 * the module's path and GNU build ID.  docs/pprof.md.
 */
#ifndef HEAPTAG_TOOLS_PPROF_H
#define HEAPTAG_TOOLS_PPROF_H

#include <stdio.h>

#include "report/report.h"
#include "stacks/stacks.h"
#include "stacks/symbolize.h"

/* Write the profile to OUT.  0, or -1 with a one-line reason in ERR. */
int ht_write_pprof(FILE *out, const struct ht_report *r, const struct ht_stacks *s,
                   struct ht_symbolizer *z, char *err, size_t errlen);

#endif
