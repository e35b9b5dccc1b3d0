/* page.c — the run page's frame: head, header block, the order of the
 * sections, and writing the file whole or not at all.
 */
#include "html/page.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "html/svg.h"
#include "report/sampling_note.h"
#include "outfile.h"
#include "units.h"

static const struct ht_report *rank_report;
static int by_peak(const void *a, const void *b)
{
    const struct ht_type *x = &rank_report->types[*(const size_t *)a];
    const struct ht_type *y = &rank_report->types[*(const size_t *)b];
    if (x->peak_live_bytes != y->peak_live_bytes)
        return x->peak_live_bytes > y->peak_live_bytes ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(rank_report->types[*(const size_t *)a].name,
                  rank_report->types[*(const size_t *)b].name);
}

size_t ht_page_series(const struct ht_page *p, size_t t)
{
    return p->rank[t] < HT_PAGE_TOP_TYPES ? p->rank[t] : HT_PAGE_TOP_TYPES;
}

const char *ht_page_colour(const struct ht_page *p, size_t t)
{
    return p->rank[t] < HT_PAGE_TOP_TYPES ? ht_palette[p->rank[t]] : "#aab4bf";
}

/* Ranks by peak, and each site's type index (by binary search over the
 * names: a report may have many types and very many sites). */
static int page_init(struct ht_page *p)
{
    const struct ht_report *r = p->r;
    size_t n = r->ntypes, *order = calloc(n + 1, sizeof *order);
    p->rank = calloc(n + 1, sizeof *p->rank);
    p->by_peak = calloc(n + 1, sizeof *p->by_peak);
    p->site_type = calloc(p->s->nsites + 1, sizeof *p->site_type);
    if (!order || !p->rank || !p->by_peak || !p->site_type) {
        free(order);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    rank_report = r;
    qsort(order, n, sizeof *order, by_peak);
    for (size_t i = 0; i < n; i++) {
        p->rank[order[i]] = i;
        p->by_peak[i] = order[i];
    }
    qsort(order, n, sizeof *order, by_name);
    for (size_t i = 0; i < p->s->nsites; i++) {
        const char *want = p->s->sites[i].type;
        size_t lo = 0, hi = n;
        p->site_type[i] = SIZE_MAX;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            int c = strcmp(want, r->types[order[mid]].name);
            if (!c) {
                p->site_type[i] = order[mid];
                break;
            }
            if (c < 0)
                hi = mid;
            else
                lo = mid + 1;
        }
    }
    free(order);
    return 0;
}

/* The command line: the one `run` started, else what the report says. */
static void command_line(FILE *out, const struct ht_report *r, char *const *argv)
{
    json_t *a = json_object_get(r->json, "argv"), *c = json_object_get(r->json, "cmdline");
    if (argv) {
        for (size_t i = 0; argv[i]; i++) {
            fputs(i ? " " : "", out);
            ht_html_esc(out, argv[i]);
        }
    } else if (json_is_array(a) && json_array_size(a)) {
        for (size_t i = 0; i < json_array_size(a); i++) {
            fputs(i ? " " : "", out);
            ht_html_esc(out, json_string_value(json_array_get(a, i))
                                 ? json_string_value(json_array_get(a, i))
                                 : "?");
        }
    } else if (json_is_string(c)) {
        ht_html_esc(out, json_string_value(c));
    } else {
        ht_html_esc(out, r->program);
        fputs(" <span class=\"dim\">(arguments not recorded in the report; "
              "<code>heaptag run --html</code> records them)</span>",
              out);
    }
}

/* Exact, or sampled: a report of the sampled mode says so in "sampling"
 * (an object; its mean interval, when given, is shown) or "mode". */
static void mode_line(FILE *out, const struct ht_report *r)
{
    json_t *sm = json_object_get(r->json, "sampling"), *mode = json_object_get(r->json, "mode");
    if (json_is_object(sm) ||
        (json_is_string(mode) && !strcmp(json_string_value(mode), "sampled"))) {
        fputs("<b>sampled</b>: figures are estimates", out);
        static const char *const keys[] = {"mean_bytes", "interval_bytes", "mean", "interval",
                                           "rate"};
        for (size_t k = 0; json_is_object(sm) && k < sizeof keys / sizeof *keys; k++) {
            json_t *v = json_object_get(sm, keys[k]);
            if (json_is_integer(v)) {
                char b[32];
                fprintf(out, " (one sample per %s allocated on average)",
                        ht_human_bytes((double)json_integer_value(v), b, sizeof b));
                break;
            }
        }
    } else if (json_is_string(mode)) {
        ht_html_esc(out, json_string_value(mode));
    } else {
        fputs("exact: every allocation counted", out);
    }
}

/* A sampled peak is the maximum of an estimate: say how many live samples
 * it rests on, and warn when they are few (ADR-0010; as heaptag report). */
static void peak_basis(FILE *out, const struct ht_report *r)
{
    long long k;
    if (!ht_peak_samples(r, &k))
        return;
    fprintf(out, " <span class=\"dim\">an estimate resting on %lld live sample%s</span>%s", k,
            k == 1 ? "" : "s",
            k < HT_PEAK_SAMPLES_TRUSTED
                ? " <b>too few to trust: it can read several times too high</b>"
                : "");
}

static void row(FILE *out, const char *key) { fprintf(out, "<dt>%s</dt><dd>", key); }

static void header(FILE *out, const struct ht_page *p, char *const *argv)
{
    const struct ht_report *r = p->r;
    const struct ht_stacks *s = p->s;
    char a[32], b[32];
    fputs("<h1>heaptag: ", out);
    ht_html_esc(out, r->program);
    fputs("</h1>\n<dl class=\"hdr\">\n", out);
    row(out, "program");
    ht_html_esc(out, r->program);
    fprintf(out, " <span class=\"dim\">pid %" PRId64 ", report written on %s</span></dd>\n", r->pid,
            r->reason);
    row(out, "command line");
    fputs("<code>", out);
    command_line(out, r, argv);
    fputs("</code></dd>\n", out);
    row(out, "duration");
    fprintf(out, "%" PRId64 " ms</dd>\n", r->duration_ms);
    row(out, "peak");
    fprintf(out,
            "<b id=\"h-peak\" data-bytes=\"%" PRId64 "\">%s</b> <span class=\"dim\">(%" PRId64
            " B requested; %s usable)</span>",
            r->totals.peak_live_bytes,
            ht_human_bytes((double)r->totals.peak_live_bytes, a, sizeof a),
            r->totals.peak_live_bytes,
            ht_human_bytes((double)r->totals.peak_live_usable_bytes, b, sizeof b));
    peak_basis(out, r);
    fputs("</dd>\n", out);
    row(out, "live at exit");
    fprintf(out,
            "<b data-bytes=\"%" PRId64 "\">%s</b> <span class=\"dim\">in %" PRId64
            " blocks</span></dd>\n",
            r->totals.live_bytes, ht_human_bytes((double)r->totals.live_bytes, a, sizeof a),
            r->totals.live_blocks);
    row(out, "allocated");
    fprintf(out, "%s <span class=\"dim\">in %" PRId64 " calls, %" PRId64 " frees</span></dd>\n",
            ht_human_bytes((double)r->totals.bytes_requested, a, sizeof a), r->totals.alloc_calls,
            r->totals.free_calls);
    row(out, "tracker overhead");
    fprintf(out, "%s now", ht_human_bytes((double)r->overhead_bytes, a, sizeof a));
    if (r->peak_overhead_bytes >= 0)
        fprintf(out, ", %s at most", ht_human_bytes((double)r->peak_overhead_bytes, b, sizeof b));
    fputs(" <span class=\"dim\">(its own memory, not in the figures)</span></dd>\n", out);
    row(out, "mode");
    mode_line(out, r);
    fputs("</dd>\n", out);
    row(out, "call stacks");
    if (s->depth)
        fprintf(out, "%zu call sites, %d frames deep, %d type rule%s</dd>\n", s->nsites, s->depth,
                s->rules, s->rules == 1 ? "" : "s");
    else
        fputs("off</dd>\n", out);
    if (r->concurrent) {
        row(out, "note");
        fputs("written while other threads allocated: counts may be off by the operations "
              "in flight</dd>\n",
              out);
    }
    fputs("</dl>\n", out);
}

static void flame_section(FILE *out, const struct ht_page *p)
{
    fputs("<section id=\"flame\"><h2>Call sites</h2>\n", out);
    if (!p->s->depth) {
        fputs("<p class=\"nostacks\">No call stacks in this report: run with <code>heaptag run "
              "--stacks</code> (or <code>HEAPTAG_STACKS=32</code>) to see where each type's bytes "
              "come from.</p>\n</section>\n",
              out);
        return;
    }
    fputs(
        "<div class=\"ctl\">weight: "
        "<label><input type=\"radio\" name=\"w\" value=\"peak\" checked> at the peak</label> "
        "<label><input type=\"radio\" name=\"w\" value=\"live\"> live at exit</label> "
        "<label><input type=\"radio\" name=\"w\" value=\"allocated\"> allocated</label> "
        "<input id=\"fg-search\" type=\"search\" placeholder=\"search functions\" size=\"24\"> "
        "<span id=\"fg-match\"></span> <button id=\"fg-reset\" type=\"button\">reset zoom</button>"
        "</div>\n<p class=\"sub\" id=\"fg-title\"></p>\n<div id=\"fg\"></div>\n"
        "<div id=\"fg-tip\" class=\"sub\">&nbsp;</div>\n"
        "<p class=\"note\" id=\"fg-note\"></p>\n</section>\n",
        out);
}

static void type_select(FILE *out, const struct ht_page *p)
{
    fputs(
        "<div id=\"selbar\">type: <select id=\"type-select\"><option value=\"\">all types</option>",
        out);
    for (size_t i = 0; i < p->r->ntypes; i++) {
        fputs("<option>", out);
        ht_html_esc(out, p->r->types[i].name);
        fputs("</option>", out);
    }
    fputs("</select> <span class=\"dim\">(or click a row of the table; the address bar keeps "
          "the choice)</span></div>\n",
          out);
}

int ht_page_write(FILE *out, const struct ht_report *r, const struct ht_stacks *s,
                  struct ht_symbolizer *z, const struct ht_page_opts *o, char *err, size_t errlen)
{
    struct ht_page p = {.r = r, .s = s, .z = z};
    int rc = page_init(&p);
    if (!rc) {
        fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              "<title>heaptag: ",
              out);
        ht_html_esc(out, r->program);
        fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body", ht_page_css);
        if (o && o->type) {
            fputs(" data-default-type=\"", out);
            ht_html_esc(out, o->type);
            fputc('"', out);
        }
        fputs(">\n<main>\n", out);
        header(out, &p, o ? o->argv : NULL);
        type_select(out, &p);
        ht_page_timeline(out, &p);
        ht_page_types(out, &p);
        flame_section(out, &p);
        rc = ht_page_leaks(out, &p);
        ht_page_histograms(out, &p);
        fputs("<script type=\"application/json\" id=\"ht-flame\">", out);
        if (!rc)
            rc = ht_page_flame_data(out, &p, o && o->max_nodes ? o->max_nodes : 0);
        fprintf(out,
                "</script>\n<script>\n%s</script>\n<p class=\"note\">Written by heaptag %s "
                "from ",
                ht_page_js, HEAPTAG_VERSION);
        ht_html_esc(out, r->path);
        fputs(".</p>\n</main>\n</body>\n</html>\n", out);
    }
    free(p.rank);
    free(p.by_peak);
    free(p.site_type);
    if (rc)
        snprintf(err, errlen, "out of memory");
    return rc;
}

int ht_page_write_file(const char *path, const struct ht_report *r, const struct ht_page_opts *o,
                       char *err, size_t errlen)
{
    struct ht_stacks *s = ht_stacks_load(r, err, errlen);
    if (!s)
        return -1;
    struct ht_symbolizer *z = ht_symbolizer_new(s);
    struct ht_outfile of = {0};
    int rc = -1;
    if (!z)
        snprintf(err, errlen, "out of memory");
    else if (ht_outfile_open(&of, path, err, errlen) == 0) {
        rc = ht_page_write(of.f, r, s, z, o, err, errlen);
        if (rc)
            ht_outfile_abort(&of);
        else
            rc = ht_outfile_commit(&of, err, errlen);
    }
    ht_symbolizer_free(z);
    ht_stacks_free(s);
    return rc;
}
