/* page_timeline.c — the run page's chart of the heap over time.
 *
 * It draws the whole heap's live bytes at every sample of the report's
 * timeline (one point each), and under it the same bytes stacked by type at
 * the samples that carry a detailed snapshot (stacks mode: every 10th;
 * docs/report-format.md).  The other samples have no per-type figures, so
 * the stack is drawn only through the detailed ones and the total line
 * through all of them.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html/page.h"
#include "html/svg.h"
#include "units.h"

#define W 1050.0
#define PX 76.0
#define PY 30.0
#define PW (W - PX - 24.0)
#define PH 250.0

static double sample_t(const struct ht_stacks *s, size_t i)
{
    int64_t t = s->unit_ms ? s->samples[i].t_ms : s->samples[i].t_bytes;
    return t > 0 ? (double)t : 0;
}

/* Live bytes per series at detailed sample I: TOP types, "other", and the
 * bytes no site accounts for (allocated before stacks were on, or without
 * an unwindable stack). */
static void detail_values(const struct ht_page *p, size_t i, int64_t *v, size_t nseries)
{
    const struct ht_stacks *s = p->s;
    const struct ht_detail *d = &s->details[s->samples[i].detail];
    int64_t sum = 0;
    memset(v, 0, nseries * sizeof *v);
    for (size_t k = 0; k < d->npairs; k++) {
        const struct ht_site *site = ht_stacks_site(s, d->pairs[2 * k]);
        if (!site)
            continue;
        size_t t = p->site_type[site - s->sites];
        if (t == SIZE_MAX)
            continue;
        v[ht_page_series(p, t)] += d->pairs[2 * k + 1];
        sum += d->pairs[2 * k + 1];
    }
    int64_t rest = s->samples[i].live_bytes - sum;
    v[nseries - 1] = rest > 0 ? rest : 0;
}

static const char *series_name(const struct ht_page *p, size_t k, size_t ntop)
{
    if (k < ntop)
        return p->r->types[p->by_peak[k]].name;
    return k == ntop ? "other types" : "no call stack";
}

static const char *series_colour(size_t k, size_t ntop)
{
    return k < ntop ? ht_palette[k] : k == ntop ? "#aab4bf" : "#d9dee4";
}

static void legend(FILE *out, const struct ht_page *p, size_t ntop, int other, int stacked)
{
    fputs("<div class=\"legend\" id=\"tl-legend\">", out);
    for (size_t k = 0; stacked && k < ntop + 2; k++) {
        if ((k == ntop && !other))
            continue;
        const char *name = series_name(p, k, ntop);
        fputs(k < ntop ? "<span class=\"pick\" data-type=\"" : "<span data-type=\"", out);
        if (k < ntop)
            ht_html_esc(out, name);
        fprintf(out, "\"><span class=\"sw\" style=\"background:%s\"></span>",
                series_colour(k, ntop));
        ht_html_esc(out, name);
        fputs("</span>", out);
    }
    fputs("<span><span class=\"sw line\"></span>whole heap, every sample</span>"
          "<span><span class=\"sw\" style=\"background:#e03131;border-radius:6px\"></span>"
          "highest sample</span></div>\n",
          out);
}

/* What the timeline's parts share: the samples, the plot, and the
 * per-type values at the detailed samples (when stacked). */
struct tl {
    const struct ht_page *p;
    const struct ht_stacks *s;
    struct ht_plot pl;
    size_t ntop, nseries, ndetailed, imax;
    int other, stacked;
    int64_t *vals;
    size_t *at;
};

static void tl_header(FILE *out, const struct tl *t)
{
    const struct ht_stacks *s = t->s;
    fputs("<p class=\"sub\">", out);
    if (t->stacked)
        fprintf(out,
                "Live bytes stacked by type at the %zu samples with a per-type breakdown "
                "(of %zu); the line is the whole heap at every sample.",
                t->ndetailed, s->nsamples);
    else
        fprintf(out, "Live bytes of the whole heap at %zu samples.%s", s->nsamples,
                s->depth ? ""
                         : " Per-type bytes over time come with call stacks "
                           "(<code>heaptag run --stacks</code>).");
    fputs(" Hover for the bytes per type.</p>\n", out);
    legend(out, t->p, t->ntop, t->other, t->stacked);
    fprintf(out,
            "<svg id=\"tl\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
            "aria-label=\"live bytes over time\" data-samples=\"%zu\">\n",
            W, PY + PH + 48, W, PY + PH + 48, s->nsamples);
    char xtitle[96];
    char ib[32];
    if (s->unit_ms)
        snprintf(xtitle, sizeof xtitle, "time since start (sample every %" PRId64 " ms or more)",
                 s->interval);
    else
        snprintf(xtitle, sizeof xtitle, "bytes allocated so far (sample every %s)",
                 ht_human_bytes((double)s->interval, ib, sizeof ib));
    ht_svg_axes(out, &t->pl, s->unit_ms ? HT_AXIS_MS : HT_AXIS_BYTES, HT_AXIS_BYTES, xtitle,
                "live bytes");
}

static void tl_areas(FILE *out, const struct tl *t)
{
    const struct ht_stacks *s = t->s;
    const struct ht_plot *pl = &t->pl;
    if (!t->stacked) {
        fputs("<polygon class=\"area\" data-series=\"all\" fill=\"#4c78a8\" points=\"", out);
        for (size_t i = 0; i < s->nsamples; i++)
            fprintf(out, "%.1f,%.1f ", ht_plot_x(pl, sample_t(s, i)),
                    ht_plot_y(pl, (double)s->samples[i].live_bytes));
        fprintf(out, "%.1f,%.1f %.1f,%.1f\"/>\n", ht_plot_x(pl, sample_t(s, s->nsamples - 1)),
                ht_plot_y(pl, 0), ht_plot_x(pl, sample_t(s, 0)), ht_plot_y(pl, 0));
        return;
    }
    /* One polygon per series: its top edge forwards, the top of the
	 * series below it backwards. */
    size_t nseries = t->nseries;
    for (size_t k = 0; k < nseries; k++) {
        if (k == t->ntop && !t->other)
            continue;
        fprintf(out, "<polygon class=\"area\" data-series=\"%zu\" data-type=\"", k);
        if (k < t->ntop)
            ht_html_esc(out, series_name(t->p, k, t->ntop));
        fprintf(out, "\" fill=\"%s\" points=\"", series_colour(k, t->ntop));
        for (size_t d = 0; d < t->ndetailed; d++) {
            double cum = 0;
            for (size_t j = 0; j <= k; j++)
                cum += (double)t->vals[d * nseries + j];
            fprintf(out, "%.1f,%.1f ", ht_plot_x(pl, sample_t(s, t->at[d])), ht_plot_y(pl, cum));
        }
        for (size_t d = t->ndetailed; d-- > 0;) {
            double cum = 0;
            for (size_t j = 0; j < k; j++)
                cum += (double)t->vals[d * nseries + j];
            fprintf(out, "%.1f,%.1f ", ht_plot_x(pl, sample_t(s, t->at[d])), ht_plot_y(pl, cum));
        }
        fputs("\"/>\n", out);
    }
}

/* The peak: the highest sample, and the exact peak when the samples
 * missed it (it is reached between two of them). */
static void tl_peak(FILE *out, const struct tl *t)
{
    const struct ht_stacks *s = t->s;
    const struct ht_plot *pl = &t->pl;
    const struct ht_report *r = t->p->r;
    size_t imax = t->imax;
    char a[32], b[32];
    double px = ht_plot_x(pl, sample_t(s, imax)),
           py = ht_plot_y(pl, (double)s->samples[imax].live_bytes);
    int right = px < PX + PW * 0.7;
    fprintf(out,
            "<g id=\"tl-peak\" data-sample=\"%zu\"><circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" "
            "fill=\"#e03131\" stroke=\"#fff\"/>"
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" font-weight=\"600\" fill=\"#c92a2a\" "
            "text-anchor=\"%s\">peak sample %s</text></g>\n",
            imax, px, py, right ? px + 8 : px - 8, py - 6, right ? "start" : "end",
            ht_human_bytes((double)s->samples[imax].live_bytes, a, sizeof a));
    if (r->totals.peak_live_bytes > s->samples[imax].live_bytes) {
        double y = ht_plot_y(pl, (double)r->totals.peak_live_bytes);
        /* Its label on the side away from the peak sample's own. */
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c92a2a\" "
                "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
                "fill=\"#c92a2a\" "
                "text-anchor=\"%s\">exact peak %s (reached between samples)</text>\n",
                PX, y, PX + PW, y, right ? PX + PW : PX + 6, y - 4, right ? "end" : "start",
                ht_human_bytes((double)r->totals.peak_live_bytes, b, sizeof b));
    }
}

/* For the script: where each sample is, and the per-type figures. */
static void tl_json(FILE *out, const struct tl *t)
{
    const struct ht_stacks *s = t->s;
    size_t nseries = t->nseries;
    fputs("<script type=\"application/json\" id=\"ht-timeline\">{\"unit\":", out);
    fputs(s->unit_ms ? "\"ms\"" : "\"bytes\"", out);
    fputs(",\"px\":[", out);
    for (size_t i = 0; i < s->nsamples; i++)
        fprintf(out, "%s%.1f", i ? "," : "", ht_plot_x(&t->pl, sample_t(s, i)));
    fputs("],\"t\":[", out);
    for (size_t i = 0; i < s->nsamples; i++)
        fprintf(out, "%s%.0f", i ? "," : "", sample_t(s, i));
    fputs("],\"live\":[", out);
    for (size_t i = 0; i < s->nsamples; i++)
        fprintf(out, "%s%" PRId64, i ? "," : "", s->samples[i].live_bytes);
    fputs("],\"series\":[", out);
    for (size_t k = 0; t->stacked && k < nseries; k++) {
        fputs(k ? "," : "", out);
        ht_json_str(out, k == t->ntop && !t->other ? "" : series_name(t->p, k, t->ntop));
    }
    fputs("],\"colours\":[", out);
    for (size_t k = 0; t->stacked && k < nseries; k++)
        fprintf(out, "%s\"%s\"", k ? "," : "", series_colour(k, t->ntop));
    fputs("],\"d\":[", out);
    for (size_t d = 0; t->stacked && d < t->ndetailed; d++) {
        fprintf(out, "%s[%zu", d ? "," : "", t->at[d]);
        for (size_t k = 0; k < nseries; k++)
            fprintf(out, ",%" PRId64, t->vals[d * nseries + k]);
        fputc(']', out);
    }
    fprintf(out, "],\"top\":%.1f,\"bottom\":%.1f}</script>\n", PY, PY + PH);
}

void ht_page_timeline(FILE *out, const struct ht_page *p)
{
    const struct ht_report *r = p->r;
    const struct ht_stacks *s = p->s;
    fputs("<section id=\"timeline\"><h2>Heap over time</h2>\n", out);
    if (!s->nsamples) {
        fputs("<p class=\"note\">This report has no timeline samples.</p>\n</section>\n"
              "<script type=\"application/json\" id=\"ht-timeline\">null</script>\n",
              out);
        return;
    }
    struct tl t = {.p = p, .s = s};
    t.ntop = r->ntypes < HT_PAGE_TOP_TYPES ? r->ntypes : HT_PAGE_TOP_TYPES;
    t.nseries = t.ntop + 2;
    t.other = r->ntypes > HT_PAGE_TOP_TYPES;
    double xmax = 1, ymax = (double)r->totals.peak_live_bytes;
    for (size_t i = 0; i < s->nsamples; i++) {
        if (sample_t(s, i) > xmax)
            xmax = sample_t(s, i);
        if ((double)s->samples[i].live_bytes > ymax)
            ymax = (double)s->samples[i].live_bytes;
        if (s->samples[i].live_bytes > s->samples[t.imax].live_bytes)
            t.imax = i;
        t.ndetailed += s->samples[i].detail >= 0 && s->depth;
    }
    t.stacked = t.ndetailed >= 2;
    t.pl = (struct ht_plot){PX, PY, PW, PH, xmax, ymax > 0 ? ymax * 1.06 : 1};
    t.vals = calloc((t.ndetailed + 1) * t.nseries, sizeof *t.vals);
    t.at = calloc(t.ndetailed + 1, sizeof *t.at);
    if (!t.vals || !t.at)
        t.stacked = 0;
    for (size_t i = 0, d = 0; t.stacked && i < s->nsamples; i++)
        if (s->samples[i].detail >= 0) {
            t.at[d] = i;
            detail_values(p, i, &t.vals[d * t.nseries], t.nseries);
            d++;
        }

    tl_header(out, &t);
    tl_areas(out, &t);
    fprintf(out,
            "<polyline id=\"tl-total\" fill=\"none\" stroke=\"#1f2933\" stroke-width=\"1.5\" "
            "data-points=\"%zu\" points=\"",
            s->nsamples);
    for (size_t i = 0; i < s->nsamples; i++)
        fprintf(out, "%s%.1f,%.1f", i ? " " : "", ht_plot_x(&t.pl, sample_t(s, i)),
                ht_plot_y(&t.pl, (double)s->samples[i].live_bytes));
    fputs("\"/>\n", out);
    tl_peak(out, &t);
    fprintf(
        out,
        "<line id=\"tl-cursor\" x1=\"0\" x2=\"0\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#52606d\" "
        "visibility=\"hidden\"/>\n<rect id=\"tl-hover\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
        "height=\"%.1f\" fill=\"transparent\"/>\n</svg>\n<div id=\"tl-tip\" class=\"tip\"></div>\n"
        "</section>\n",
        PY, PY + PH, PX, PY, PW, PH);
    tl_json(out, &t);
    free(t.vals);
    free(t.at);
}
