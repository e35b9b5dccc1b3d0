/* page_tables.c — the run page's tables and small charts.
 *
 * The per-type table (sorted by the script when a column head is clicked),
 * the leaks (blocks live at exit, by call site) and the request-size
 * histograms.  Every row and chart carries data-type, which is how the
 * script filters them when a type is selected.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html/page.h"
#include "html/svg.h"
#include "stacks/stacks_out.h"
#include "units.h"

#define LEAK_ROWS_PER_TYPE 50
#define LEAK_ROWS 1000
#define HIST_TYPES 60

static void num(FILE *out, int64_t v)
{
    fprintf(out, "<td data-v=\"%" PRId64 "\">%" PRId64 "</td>", v, v);
}

static void bytes(FILE *out, int64_t v)
{
    char b[32];
    fprintf(out, "<td data-v=\"%" PRId64 "\" title=\"%" PRId64 " B\">%s</td>", v, v,
            ht_human_bytes((double)v, b, sizeof b));
}

void ht_page_types(FILE *out, const struct ht_page *p)
{
    const struct ht_report *r = p->r;
    fputs("<section id=\"types\"><h2>Types</h2>\n<p class=\"sub\">Click a row to select its type "
          "(again for all types), a column head to sort. Bytes per instance = peak bytes / peak "
          "live instances.</p>\n<table id=\"types-table\">\n<thead><tr>"
          "<th class=\"l\" data-s=\"s\">type</th><th>instances</th><th>peak instances</th>"
          "<th>live at exit</th><th>peak</th><th>peak usable</th><th>B/instance</th>"
          "<th>allocations</th><th>allocated</th><th>temporary</th><th>blocks at exit</th>"
          "</tr></thead>\n<tbody>\n",
          out);
    for (size_t k = 0; k < r->ntypes; k++) {
        size_t t = p->by_peak[k]; /* in the order of the timeline */
        const struct ht_type *ty = &r->types[t];
        const struct ht_type_extra *x = ht_stacks_type(p->s, ty->name);
        fputs("<tr data-type=\"", out);
        ht_html_esc(out, ty->name);
        fprintf(out,
                "\"><td class=\"l\" data-v=\"\"><span class=\"sw\" style=\"background:%s\"></span>",
                ht_page_colour(p, t));
        ht_html_esc(out, ty->name);
        fputs("</td>", out);
        num(out, ty->instances);
        num(out, ty->peak_live_instances);
        bytes(out, ty->live_bytes);
        bytes(out, ty->peak_live_bytes);
        bytes(out, ty->peak_live_usable_bytes);
        double bpi = ht_type_bytes_per_instance(ty);
        char b[32];
        if (bpi < 0)
            fputs("<td data-v=\"-1\">–</td>", out);
        else
            fprintf(out, "<td data-v=\"%.1f\">%s B</td>", bpi, ht_exact(bpi, b, sizeof b));
        num(out, ty->alloc_calls);
        bytes(out, ty->bytes_requested);
        num(out, x ? x->temporary_calls : 0);
        num(out, ty->live_blocks);
        fputs("</tr>\n", out);
    }
    char a[32];
    fprintf(out, "</tbody>\n<tfoot><tr><td class=\"l\">total</td><td></td><td></td><td>%s</td>",
            ht_human_bytes((double)r->totals.live_bytes, a, sizeof a));
    fprintf(out, "<td>%s</td>", ht_human_bytes((double)r->totals.peak_live_bytes, a, sizeof a));
    fprintf(out, "<td>%s</td><td></td><td>%" PRId64 "</td>",
            ht_human_bytes((double)r->totals.peak_live_usable_bytes, a, sizeof a),
            r->totals.alloc_calls);
    fprintf(out, "<td>%s</td><td></td><td>%" PRId64 "</td></tr></tfoot>\n</table>\n",
            ht_human_bytes((double)r->totals.bytes_requested, a, sizeof a), r->totals.live_blocks);
    fputs("<p class=\"note\">The whole program's peak is one moment's total, not the sum of each "
          "type's own peak.</p>\n</section>\n",
          out);
}

static void bucket_name(int i, char *buf, size_t len)
{
    char a[32], b[32];
    if (i < 3)
        snprintf(buf, len, "%d B", i);
    else if (i == HT_SIZE_HIST - 1)
        snprintf(buf, len, "> %s", ht_human_bytes((double)(1ULL << (i - 2)), a, sizeof a));
    else
        snprintf(buf, len, "(%s, %s]", ht_human_bytes((double)(1ULL << (i - 2)), a, sizeof a),
                 ht_human_bytes((double)(1ULL << (i - 1)), b, sizeof b));
}

static void histogram(FILE *out, const char *type, const char *title, const int64_t *h,
                      const char *colour, int shown)
{
    fputs("<div class=\"hist\" data-type=\"", out);
    ht_html_esc(out, type);
    fprintf(out, "\"%s><h3>", shown ? "" : " hidden");
    ht_html_esc(out, title);
    fputs("</h3>\n", out);
    int first = -1, last = -1;
    int64_t total = 0;
    for (int i = 0; i < HT_SIZE_HIST; i++)
        if (h[i]) {
            if (first < 0)
                first = i;
            last = i;
            total += h[i];
        }
    if (first < 0) {
        fputs("<p class=\"note\">No allocations counted by size for this type.</p></div>\n", out);
        return;
    }
    struct ht_bar bars[HT_SIZE_HIST];
    struct ht_bar_group groups[HT_SIZE_HIST];
    char names[HT_SIZE_HIST][48], labels[HT_SIZE_HIST][48];
    size_t n = 0;
    for (int i = first; i <= last; i++, n++) {
        bucket_name(i, names[n], sizeof names[n]);
        snprintf(labels[n], sizeof labels[n], "%" PRId64 " (%.1f%%)", h[i],
                 100.0 * (double)h[i] / (double)total);
        bars[n] = (struct ht_bar){(double)h[i], 0, colour, labels[n], NULL};
        groups[n] = (struct ht_bar_group){names[n], 1, &bars[n]};
    }
    ht_svg_bar_chart(out, &(struct ht_bar_chart){.width = 720,
                                                 .bar_h = 14,
                                                 .gap = 0,
                                                 .group_gap = 4,
                                                 .unit = HT_AXIS_COUNT,
                                                 .aria = "allocations by requested size",
                                                 .ngroups = n,
                                                 .groups = groups});
    fputs("</div>\n", out);
}

void ht_page_histograms(FILE *out, const struct ht_page *p)
{
    const struct ht_report *r = p->r;
    int64_t all[HT_SIZE_HIST] = {0};
    for (size_t i = 0; i < p->s->ntypes; i++)
        for (int b = 0; b < HT_SIZE_HIST; b++)
            all[b] += p->s->types[i].size_hist[b];
    fputs("<section id=\"sizes\"><h2>Request sizes</h2>\n<p class=\"sub\">Allocations by requested "
          "size (buckets by powers of two) of the selected type.</p>\n",
          out);
    histogram(out, "", "all types", all, "#4c78a8", 1);
    for (size_t k = 0; k < r->ntypes && k < HIST_TYPES; k++) {
        size_t t = p->by_peak[k];
        const struct ht_type_extra *x = ht_stacks_type(p->s, r->types[t].name);
        static const int64_t none[HT_SIZE_HIST];
        histogram(out, r->types[t].name, r->types[t].name, x ? x->size_hist : none,
                  ht_page_colour(p, t), 0);
    }
    if (r->ntypes > HIST_TYPES)
        fprintf(out,
                "<p class=\"note\" id=\"hist-more\" hidden>Histograms are drawn for the %d "
                "types with the highest peaks.</p>\n",
                HIST_TYPES);
    fputs("</section>\n", out);
}

static int by_live(const void *a, const void *b)
{
    const struct ht_site *x = *(const struct ht_site *const *)a,
                         *y = *(const struct ht_site *const *)b;
    if (x->live_bytes != y->live_bytes)
        return x->live_bytes > y->live_bytes ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The first few functions of a site outside the allocation wrappers. */
static void where(FILE *out, struct ht_symbolizer *z, const struct ht_site *site)
{
    struct ht_pathframe path[3];
    size_t n = ht_site_path(z, site, 1, path, 3);
    for (size_t i = 0; i < n; i++) {
        const struct ht_sym_entry *e = &path[i].fi->entries[path[i].entry];
        fputs(i ? " <span class=\"dim\">←</span> " : "", out);
        ht_html_esc(out, ht_frame_name(z, path[i].fi, path[i].entry));
        if (e->file && e->line) {
            const char *b = strrchr(e->file, '/');
            fputs(" <span class=\"dim\">(", out);
            ht_html_esc(out, b ? b + 1 : e->file);
            fprintf(out, ":%d)</span>", e->line);
        }
    }
}

int ht_page_leaks(FILE *out, const struct ht_page *p)
{
    const struct ht_report *r = p->r;
    const struct ht_stacks *s = p->s;
    fputs("<section id=\"leaks\"><h2>Leaks: blocks live at exit</h2>\n", out);
    if (!s->depth) {
        fputs("<p class=\"nostacks\">By type only (call sites need <code>heaptag run "
              "--stacks</code>)."
              "</p>\n<table id=\"leaks-table\"><thead><tr><th class=\"l\">type</th><th>bytes</th>"
              "<th>blocks</th></tr></thead><tbody>\n",
              out);
        for (size_t t = 0; t < r->ntypes; t++) {
            if (!r->types[t].live_blocks)
                continue;
            fputs("<tr data-type=\"", out);
            ht_html_esc(out, r->types[t].name);
            fputs("\"><td class=\"l\">", out);
            ht_html_esc(out, r->types[t].name);
            fputs("</td>", out);
            bytes(out, r->types[t].live_bytes);
            num(out, r->types[t].live_blocks);
            fputs("</tr>\n", out);
        }
        fputs("</tbody></table>\n</section>\n", out);
        return 0;
    }
    const struct ht_site **list = calloc(s->nsites + 1, sizeof *list);
    size_t *per_type = calloc(r->ntypes + 1, sizeof *per_type);
    if (!list || !per_type) {
        free(list);
        free(per_type);
        return -1;
    }
    size_t n = 0;
    int64_t blocks = 0, total = 0;
    for (size_t i = 0; i < s->nsites; i++)
        if (s->sites[i].live_blocks > 0) {
            list[n++] = &s->sites[i];
            blocks += s->sites[i].live_blocks;
            total += s->sites[i].live_bytes;
        }
    qsort(list, n, sizeof *list, by_live);
    char a[32];
    fprintf(out,
            "<p class=\"sub\">%" PRId64 " blocks (%s) live at exit from %zu call sites, largest "
            "first; the rows of the selected type. <code>heaptag report --leaks</code> writes "
            "LeakSanitizer suppressions.</p>\n",
            blocks, ht_human_bytes((double)total, a, sizeof a), n);
    fputs("<table id=\"leaks-table\"><thead><tr><th "
          "class=\"l\">type</th><th>bytes</th><th>blocks</th>"
          "<th>allocations</th><th class=\"l\">where (innermost first)</th></tr></thead><tbody>\n",
          out);
    size_t rows = 0, cut = 0;
    for (size_t i = 0; i < n; i++) {
        const struct ht_site *site = list[i];
        size_t t = p->site_type[site - s->sites];
        if (rows >= LEAK_ROWS || (t != SIZE_MAX && per_type[t] >= LEAK_ROWS_PER_TYPE)) {
            cut++;
            continue;
        }
        if (t != SIZE_MAX)
            per_type[t]++;
        rows++;
        fputs("<tr data-type=\"", out);
        ht_html_esc(out, site->type);
        fputs("\"><td class=\"l\">", out);
        ht_html_esc(out, site->type);
        fputs("</td>", out);
        bytes(out, site->live_bytes);
        num(out, site->live_blocks);
        num(out, site->alloc_calls);
        fputs("<td class=\"l w\">", out);
        where(out, p->z, site);
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
    if (cut)
        fprintf(out,
                "<p class=\"note\">%zu smaller leaking sites are not listed (at most %d per "
                "type, %d in all); <code>heaptag report --top N</code> lists them.</p>\n",
                cut, LEAK_ROWS_PER_TYPE, LEAK_ROWS);
    fputs(
        "<p class=\"note\" id=\"leaks-none\" hidden>No blocks of this type are live at exit.</p>\n"
        "</section>\n",
        out);
    free(list);
    free(per_type);
    return 0;
}
