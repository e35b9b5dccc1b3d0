/* What `heaptag report` prints from a stacks-mode report.
 *
 * stacks_out.h — what `heaptag report` prints from a stacks-mode report:
 * call sites per type (text), LeakSanitizer suppressions, folded stacks
 * for flame graphs, and a Valgrind massif.out file.
 */
#ifndef HEAPTAG_TOOLS_STACKS_OUT_H
#define HEAPTAG_TOOLS_STACKS_OUT_H

#include <stdio.h>

#include "report/report.h"
#include "stacks/stacks.h"
#include "stacks/symbolize.h"

/* One function of a call path: a frame's inline-chain entry. */
struct ht_pathframe {
    const struct ht_frame_info *fi;
    int entry;
};

/* SITE's frames with inline chains expanded, innermost first, into OUT
 * (at most MAX).  SKIP_WRAPPERS drops the allocation functions and thin
 * wrappers at the inner end.  Returns the count. */
size_t ht_site_path(struct ht_symbolizer *z, const struct ht_site *site, int skip_wrappers,
                    struct ht_pathframe *out, size_t max);

struct ht_sites_opts {
    int top;          /* sites per list */
    const char *type; /* only this type, or NULL */
    int histogram;    /* print request-size histograms */
};

/* Per type: top sites by peak and by live bytes, temporary allocations,
 * leaks at exit; optionally size histograms. */
void ht_print_sites(FILE *out, const struct ht_report *r, const struct ht_stacks *s,
                    struct ht_symbolizer *z, const struct ht_sites_opts *o);

/* The request-size histogram of one type (reports without stacks). */
void ht_print_type_histogram(FILE *out, const char *name, const struct ht_type_extra *x);

/* `leak:FUNCTION` lines for the sites with blocks live at exit, one per
 * distinct innermost program function.  Returns the number of lines. */
int ht_print_leak_suppressions(FILE *out, const struct ht_report *r, const struct ht_stacks *s,
                               struct ht_symbolizer *z, const char *type);

enum ht_weight { HT_WEIGHT_PEAK, HT_WEIGHT_LIVE, HT_WEIGHT_ALLOCATED };
int ht_weight_parse(const char *s, enum ht_weight *out);
/* The bytes a site weighs. */
long long ht_site_weight(const struct ht_site *site, enum ht_weight w);

/* Folded stacks: "outer;...;inner BYTES", one line per site with a
 * non-zero weight, then "[no stack] BYTES" for bytes no site accounts for
 * (live and allocated weights).  TYPE_FRAMES appends "[Type]" as the
 * innermost frame. */
void ht_print_collapsed(FILE *out, const struct ht_report *r, const struct ht_stacks *s,
                        struct ht_symbolizer *z, enum ht_weight w, int type_frames,
                        const char *type);

/* A massif.out file. */
void ht_print_massif(FILE *out, const struct ht_report *r, const struct ht_stacks *s,
                     struct ht_symbolizer *z);

#endif
