/* page.h — the run page: one run as a self-contained HTML page
 * (`heaptag report FILE --format html`, `heaptag run --html OUT`).
 *
 * The page holds a header, the heap over time stacked by type, the per-type
 * table, a flame graph of the call sites, leaks and request-size
 * histograms.  Inline CSS, SVG and one inline script; nothing is fetched,
 * so the file opens from disk anywhere.
 *
 * The page's sections are drawn by page_*.c, as HTML and SVG where they
 * do not change, with the shared drawing code of html/svg.h.  What the
 * script needs (the flame graph's call tree, the timeline's per-type
 * figures for hovering) travels as JSON in <script type="application/json">
 * elements (#ht-timeline, #ht-flame).
 */
#ifndef HEAPTAG_TOOLS_HTML_PAGE_H
#define HEAPTAG_TOOLS_HTML_PAGE_H

#include <stddef.h>
#include <stdio.h>

#include "report/report.h"
#include "stacks/stacks.h"
#include "stacks/symbolize.h"

struct ht_page_opts {
    char *const *argv; /* the command line that ran, or NULL (then the
			    * report's own "argv"/"cmdline", if any) */
    size_t max_nodes;  /* flame graph budget (call-tree nodes); 0: default */
    const char *type;  /* the type selected when the page opens, or NULL */
};

/* Write the page.  0, or -1 with a one-line reason in ERR (out of
 * memory); the caller discards what was written. */
int ht_page_write(FILE *out, const struct ht_report *r, const struct ht_stacks *s,
                  struct ht_symbolizer *z, const struct ht_page_opts *o, char *err, size_t errlen);

/* The whole of `run --html PATH`: loads the stacks parts of R,
 * symbolizes, writes PATH atomically.  0, or -1 with a one-line reason
 * in ERR and no file left at PATH. */
int ht_page_write_file(const char *path, const struct ht_report *r, const struct ht_page_opts *o,
                       char *err, size_t errlen);

/* What the sections share (page_*.c). */
#define HT_PAGE_TOP_TYPES 8 /* the types the timeline stacks; the rest is "other" */
struct ht_page {
    const struct ht_report *r;
    const struct ht_stacks *s; /* s->depth 0: no call sites */
    struct ht_symbolizer *z;
    size_t *rank;      /* per report type: its place by descending peak */
    size_t *by_peak;   /* the report's type indices by descending peak */
    size_t *site_type; /* per site: the report type index, or SIZE_MAX */
};
/* The timeline series of report type T: its rank among the largest
 * types, or HT_PAGE_TOP_TYPES for "other". */
size_t ht_page_series(const struct ht_page *p, size_t t);
const char *ht_page_colour(const struct ht_page *p, size_t t);

void ht_page_timeline(FILE *out, const struct ht_page *p);
void ht_page_types(FILE *out, const struct ht_page *p);
void ht_page_histograms(FILE *out, const struct ht_page *p);
int ht_page_leaks(FILE *out, const struct ht_page *p);
/* The flame graph's call tree as a JSON document (null without stacks). */
int ht_page_flame_data(FILE *out, const struct ht_page *p, size_t max_nodes);

/* The page's script and style sheet (page.js, page.css, built in). */
extern const char ht_page_js[], ht_page_css[];

#endif
