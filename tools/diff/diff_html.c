/* `heaptag diff --format html`: one self-contained page, inline CSS and SVG, no scripts.
 *
 * diff_html.c — `heaptag diff --format html`: one self-contained page
 * (inline CSS and SVG, no scripts, no external fonts, images or styles) so
 * it can be attached to a review or archived and still render offline.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff_render.h"
#include "html/svg.h"
#include "units.h"

/* The shared drawing code (html/svg.h) under the names this file grew up with. */
#define palette ht_palette
#define PALETTE_N HT_PALETTE_N
#define esc ht_html_esc

static const char style[] =
    "<style>\n"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:#1f2933;background:#f7f8fa;margin:0}\n"
    "main{max-width:1120px;margin:0 auto;padding:28px 32px 48px;background:#fff;min-height:100vh;"
    "box-shadow:0 0 0 1px #e4e7eb}\n"
    "h1{font-size:26px;margin:0 0 6px}h2{font-size:19px;margin:32px 0 10px;"
    "border-bottom:1px solid #e4e7eb;padding-bottom:6px}\n"
    ".sub{color:#52606d;margin:0 0 4px;font-size:14px}\n"
    ".legend{display:flex;gap:18px;flex-wrap:wrap;font-size:13px;color:#3e4c59;margin:6px 0 10px}\n"
    ".sw{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-"
    "align:-1px}\n"
    ".claim{border-left:5px solid;padding:10px 14px;margin:8px "
    "0;border-radius:4px;font-size:14px}\n"
    ".claim.ok{border-color:#2f9e44;background:#ebfbee}.claim.no{border-color:#e03131;background:#"
    "fff5f5}\n"
    ".verdict{font-weight:700;margin-right:8px}.ok .verdict{color:#2b8a3e}.no "
    ".verdict{color:#c92a2a}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}\n"
    "th,td{padding:5px 9px;border-bottom:1px solid #e4e7eb;text-align:right;white-space:nowrap}\n"
    "th{background:#f0f4f8;color:#323f4b;font-weight:600}td.l,th.l{text-align:left}\n"
    "tr.first td{border-top:2px solid #cbd2d9}.down{color:#2b8a3e}.up{color:#c92a2a}\n"
    "svg text{font-family:inherit}\n"
    ".note{color:#616e7c;font-size:12px;margin-top:8px}\n"
    "</style>\n";

static void legend(FILE *out, const struct diff_model *m, int payload_note)
{
    fputs("<div class=\"legend\">", out);
    for (size_t i = 0; i < m->ninputs; i++) {
        fprintf(out, "<span><span class=\"sw\" style=\"background:%s\"></span>",
                palette[i % PALETTE_N]);
        esc(out, m->inputs[i].label);
        fputs("</span>", out);
    }
    if (payload_note)
        fputs("<span><span class=\"sw\" style=\"background:#4c78a8;opacity:.35\"></span>"
              "lighter part: payload (&lt;type&gt;.payload)</span>",
              out);
    fputs("</div>\n", out);
}

/* Horizontal grouped bars: one group per type with instances, one bar per
 * report; the solid part is object storage, the light part the payload. */
static void chart_bpi(FILE *out, const struct diff_model *m)
{
    struct ht_bar_group *groups = calloc(m->nrows + 1, sizeof *groups);
    struct ht_bar *bars = calloc(m->nrows * m->ninputs + 1, sizeof *bars);
    char(*labels)[96] = calloc(m->nrows * m->ninputs + 1, sizeof *labels);
    size_t ng = 0, nb = 0;
    for (size_t r = 0; groups && bars && labels && r < m->nrows; r++) {
        const struct diff_row *row = &m->rows[r];
        int any = 0;
        for (size_t i = 0; i < m->ninputs; i++)
            any |= row->cells[i].bpi_object >= 0;
        if (!any)
            continue;
        groups[ng++] = (struct ht_bar_group){row->name, m->ninputs, &bars[nb]};
        for (size_t i = 0; i < m->ninputs; i++, nb++) {
            const struct diff_cell *c = &row->cells[i];
            char v[32], p[32];
            bars[nb] = (struct ht_bar){c->bpi_object, c->bpi_payload, palette[i % PALETTE_N],
                                       labels[nb], "no instances"};
            if (c->bpi_object < 0)
                continue;
            int n =
                snprintf(labels[nb], sizeof *labels, "%s B", ht_exact(c->bpi_object, v, sizeof v));
            if (c->has_payload)
                n += snprintf(labels[nb] + n, sizeof *labels - (size_t)n, " (+payload %s B)",
                              ht_exact(c->bpi_payload, p, sizeof p));
            if (i > 0 && row->cells[0].bpi_object > 0)
                snprintf(labels[nb] + n, sizeof *labels - (size_t)n, "  %+.1f%%",
                         diff_pct(row->cells[0].bpi_object, c->bpi_object));
        }
    }
    if (!ng)
        fputs("<p class=\"note\">No type has instances; nothing to chart.</p>\n", out);
    else
        ht_svg_bar_chart(out, &(struct ht_bar_chart){.width = 1050,
                                                     .bar_h = 18,
                                                     .gap = 4,
                                                     .group_gap = 18,
                                                     .unit = HT_AXIS_BYTES,
                                                     .aria = "bytes per instance by type",
                                                     .ngroups = ng,
                                                     .groups = groups});
    free(groups);
    free(bars);
    free(labels);
}

static void chart_totals(FILE *out, const struct diff_model *m)
{
    struct ht_bar_group *groups = calloc(m->ninputs, sizeof *groups);
    struct ht_bar *bars = calloc(m->ninputs, sizeof *bars);
    char(*labels)[96] = calloc(m->ninputs, sizeof *labels);
    for (size_t i = 0; groups && bars && labels && i < m->ninputs; i++) {
        double v = (double)m->inputs[i].r->totals.peak_live_bytes;
        char h[32];
        int n = snprintf(labels[i], sizeof *labels, "%s (%" PRId64 " B)",
                         ht_human_bytes(v, h, sizeof h), m->inputs[i].r->totals.peak_live_bytes);
        if (i > 0)
            snprintf(labels[i] + n, sizeof *labels - (size_t)n, "  %+.1f%%",
                     diff_pct((double)m->inputs[0].r->totals.peak_live_bytes, v));
        bars[i] = (struct ht_bar){v, 0, palette[i % PALETTE_N], labels[i], NULL};
        groups[i] = (struct ht_bar_group){m->inputs[i].label, 1, &bars[i]};
    }
    if (groups && bars && labels)
        ht_svg_bar_chart(out, &(struct ht_bar_chart){.width = 1050,
                                                     .bar_h = 22,
                                                     .gap = 0,
                                                     .group_gap = 6,
                                                     .unit = HT_AXIS_BYTES,
                                                     .aria = "whole-program peak",
                                                     .ngroups = m->ninputs,
                                                     .groups = groups});
    free(groups);
    free(bars);
    free(labels);
}

static void cell_num(FILE *out, double v)
{
    char b[32];
    fprintf(out, "<td>%s</td>", v < 0 ? "–" : ht_exact(v, b, sizeof b));
}

static void cell_change(FILE *out, double a, double b)
{
    char x[32];
    if (a < 0 || b < 0) {
        fputs("<td>–</td>", out);
        return;
    }
    double d = b - a;
    fprintf(out, "<td class=\"%s\">%s%s B",
            d < 0   ? "down"
            : d > 0 ? "up"
                    : "",
            d < 0 ? "−" : "+", ht_exact(d < 0 ? -d : d, x, sizeof x));
    if (a > 0)
        fprintf(out, " (%+.1f%%)", diff_pct(a, b));
    fputs("</td>", out);
}

static void table(FILE *out, const struct diff_model *m)
{
    fputs("<table>\n<tr><th class=\"l\">type</th><th class=\"l\">report</th><th>instances</th>"
          "<th>B/inst object</th><th>usable</th><th>B/inst +payload</th><th>usable</th>"
          "<th>live bytes</th><th>peak bytes</th><th>change object</th><th>change "
          "+payload</th></tr>\n",
          out);
    for (size_t r = 0; r < m->nrows; r++) {
        const struct diff_row *row = &m->rows[r];
        for (size_t i = 0; i < m->ninputs; i++) {
            const struct diff_cell *c = &row->cells[i], *base = &row->cells[0];
            fprintf(out, "<tr%s><td class=\"l\">", i == 0 ? " class=\"first\"" : "");
            if (i == 0)
                esc(out, row->name);
            fprintf(out, "</td><td class=\"l\"><span class=\"sw\" style=\"background:%s\"></span>",
                    palette[i % PALETTE_N]);
            esc(out, m->inputs[i].label);
            fputs("</td>", out);
            if (c->present)
                fprintf(out, "<td>%" PRId64 "</td>", c->instances);
            else
                fputs("<td>absent</td>", out);
            cell_num(out, c->bpi_object);
            cell_num(out, c->bpi_object_usable);
            cell_num(out, c->has_payload ? c->bpi_payload : -1);
            cell_num(out, c->has_payload ? c->bpi_payload_usable : -1);
            if (c->present)
                fprintf(out, "<td>%" PRId64 "</td><td>%" PRId64 "</td>", c->live_bytes,
                        c->peak_live_bytes);
            else
                fputs("<td>–</td><td>–</td>", out);
            if (i == 0) {
                fputs("<td></td><td></td>", out);
            } else {
                cell_change(out, base->bpi_object, c->bpi_object);
                if (c->has_payload || base->has_payload)
                    cell_change(out, base->bpi_payload, c->bpi_payload);
                else
                    fputs("<td>–</td>", out);
            }
            fputs("</tr>\n", out);
        }
    }
    fputs("</table>\n", out);
}

static void totals_table(FILE *out, const struct diff_model *m)
{
    fputs(
        "<table>\n<tr><th class=\"l\">report</th><th class=\"l\">file</th><th>live bytes</th>"
        "<th>peak bytes (whole program)</th><th>peak usable bytes</th><th>change peak</th></tr>\n",
        out);
    for (size_t i = 0; i < m->ninputs; i++) {
        const struct ht_totals *t = &m->inputs[i].r->totals, *a = &m->inputs[0].r->totals;
        fprintf(out, "<tr><td class=\"l\"><span class=\"sw\" style=\"background:%s\"></span>",
                palette[i % PALETTE_N]);
        esc(out, m->inputs[i].label);
        fputs("</td><td class=\"l\">", out);
        esc(out, m->inputs[i].path);
        fprintf(out, "</td><td>%" PRId64 "</td><td>%" PRId64 "</td><td>%" PRId64 "</td>",
                t->live_bytes, t->peak_live_bytes, t->peak_live_usable_bytes);
        if (i == 0)
            fputs("<td></td>", out);
        else
            cell_change(out, (double)a->peak_live_bytes, (double)t->peak_live_bytes);
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

void diff_render_html(FILE *out, const struct diff_model *m)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n<title>heaptag diff: ",
          out);
    for (size_t i = 0; i < m->ninputs; i++) {
        fputs(i ? " vs " : "", out);
        esc(out, m->inputs[i].label);
    }
    fputs("</title>\n", out);
    fputs(style, out);
    fputs("</head>\n<body>\n<main>\n<h1>heaptag diff</h1>\n<p class=\"sub\">Baseline <b>", out);
    esc(out, m->inputs[0].label);
    fputs("</b>; compared with ", out);
    for (size_t i = 1; i < m->ninputs; i++) {
        fputs(i > 1 ? ", <b>" : "<b>", out);
        esc(out, m->inputs[i].label);
        fputs("</b>", out);
    }
    fputs(". Bytes per instance = a type's peak live bytes / its peak live instances "
          "(requested bytes; <i>usable</i> = what the allocator handed out).</p>\n",
          out);

    if (m->nclaims) {
        char line[1024];
        fputs("<h2>Claims</h2>\n<p class=\"sub\">", out);
        esc(out, diff_claim_rule(m, line, sizeof line));
        fputs(".</p>\n", out);
        for (size_t i = 0; i < m->nclaims; i++) {
            const struct diff_claim *c = &m->claims[i];
            fprintf(out, "<div class=\"claim %s\"><span class=\"verdict\">%s</span>",
                    c->holds ? "ok" : "no", diff_claim_verdict(c));
            diff_claim_sentence(m, c, line, sizeof line);
            esc(out, line);
            fputs("</div>\n", out);
        }
    }
    fputs("<h2>Bytes per instance by type</h2>\n", out);
    legend(out, m, 1);
    chart_bpi(out, m);
    fputs("<h2>Whole-program peak live bytes</h2>\n", out);
    chart_totals(out, m);
    totals_table(out, m);
    fputs("<h2>Per type</h2>\n", out);
    table(out, m);
    fputs("<p class=\"note\">Generated by heaptag diff. With payload = the type's peak plus the "
          "peak of "
          "&lt;type&gt;.payload (peaks that may not coincide).</p>\n</main>\n</body>\n</html>\n",
          out);
}
