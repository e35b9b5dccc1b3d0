/*
 * diff_html.c — `heaptag diff --format html`: one self-contained page
 * (inline CSS and SVG, no scripts, no external fonts, images or styles) so
 * it can be attached to a review or archived and still render offline.
 */
#include <inttypes.h>
#include <string.h>

#include "diff/diff_render.h"
#include "units.h"

static const char *const palette[] = { "#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2" };
#define PALETTE_N (sizeof palette / sizeof *palette)

static void esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
	}
}

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
	".sw{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}\n"
	".claim{border-left:5px solid;padding:10px 14px;margin:8px 0;border-radius:4px;font-size:14px}\n"
	".claim.ok{border-color:#2f9e44;background:#ebfbee}.claim.no{border-color:#e03131;background:#fff5f5}\n"
	".verdict{font-weight:700;margin-right:8px}.ok .verdict{color:#2b8a3e}.no .verdict{color:#c92a2a}\n"
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
		fprintf(out, "<span><span class=\"sw\" style=\"background:%s\"></span>", palette[i % PALETTE_N]);
		esc(out, m->inputs[i].label);
		fputs("</span>", out);
	}
	if (payload_note)
		fputs("<span><span class=\"sw\" style=\"background:#4c78a8;opacity:.35\"></span>"
		      "lighter part: payload (&lt;type&gt;.payload)</span>", out);
	fputs("</div>\n", out);
}

/* Horizontal grouped bars: one group per type with instances, one bar per
 * report; the solid part is object storage, the light part the payload. */
static void chart_bpi(FILE *out, const struct diff_model *m)
{
	const double left = 190, width = 700, bar = 18, gap = 4, group_gap = 18;
	double max = 0;
	size_t groups = 0;
	for (size_t r = 0; r < m->nrows; r++) {
		int any = 0;
		for (size_t i = 0; i < m->ninputs; i++) {
			const struct diff_cell *c = &m->rows[r].cells[i];
			if (c->bpi_object >= 0) {
				any = 1;
				if (c->bpi_payload > max)
					max = c->bpi_payload;
			}
		}
		groups += any;
	}
	if (!groups || max <= 0) {
		fputs("<p class=\"note\">No type has instances; nothing to chart.</p>\n", out);
		return;
	}
	double group_h = (double)m->ninputs * (bar + gap) - gap;
	double height = 20 + (double)groups * (group_h + group_gap);
	fprintf(out, "<svg width=\"1050\" height=\"%.0f\" "
		"viewBox=\"0 0 1050 %.0f\" role=\"img\" aria-label=\"bytes per instance by type\">\n",
		height, height);
	/* Light grid at quarters of the scale. */
	for (int q = 0; q <= 4; q++) {
		double x = left + width * q / 4.0;
		char lab[32];
		fprintf(out, "<line x1=\"%.1f\" y1=\"14\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#e4e7eb\"/>"
			"<text x=\"%.1f\" y=\"10\" font-size=\"11\" fill=\"#7b8794\" text-anchor=\"middle\">%s</text>\n",
			x, x, height, x, ht_human_bytes(max * q / 4.0, lab, sizeof lab));
	}
	double y = 20;
	for (size_t r = 0; r < m->nrows; r++) {
		const struct diff_row *row = &m->rows[r];
		int any = 0;
		for (size_t i = 0; i < m->ninputs; i++)
			any |= row->cells[i].bpi_object >= 0;
		if (!any)
			continue;
		fprintf(out, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"13\" font-weight=\"600\" "
			"text-anchor=\"end\" fill=\"#1f2933\">", left - 12, y + group_h / 2 + 4);
		esc(out, row->name);
		fputs("</text>\n", out);
		for (size_t i = 0; i < m->ninputs; i++) {
			const struct diff_cell *c = &row->cells[i];
			double by = y + (double)i * (bar + gap);
			const char *colour = palette[i % PALETTE_N];
			char v[32], p[32];
			if (c->bpi_object < 0) {
				fprintf(out, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"11\" fill=\"#9aa5b1\">"
					"no instances</text>\n", left + 4, by + 13);
				continue;
			}
			double wo = width * c->bpi_object / max, wp = width * c->bpi_payload / max;
			fprintf(out, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\" "
				"rx=\"2\"/>\n", left, by, wo, bar, colour);
			if (wp > wo)
				fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\" "
					"opacity=\".35\"/>\n", left + wo, by, wp - wo, bar, colour);
			fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#323f4b\">%s B",
				left + (wp > wo ? wp : wo) + 6, by + 13, ht_exact(c->bpi_object, v, sizeof v));
			if (c->has_payload)
				fprintf(out, " (+payload %s B)", ht_exact(c->bpi_payload, p, sizeof p));
			if (i > 0 && row->cells[0].bpi_object > 0)
				fprintf(out, "  %+.1f%%", diff_pct(row->cells[0].bpi_object, c->bpi_object));
			fputs("</text>\n", out);
		}
		y += group_h + group_gap;
	}
	fputs("</svg>\n", out);
}

static void chart_totals(FILE *out, const struct diff_model *m)
{
	const double left = 190, width = 700, bar = 22, gap = 6;
	double max = 0;
	for (size_t i = 0; i < m->ninputs; i++)
		if ((double)m->inputs[i].r->totals.peak_live_bytes > max)
			max = (double)m->inputs[i].r->totals.peak_live_bytes;
	double height = (double)m->ninputs * (bar + gap) + 6;
	fprintf(out, "<svg width=\"1050\" height=\"%.0f\" "
		"viewBox=\"0 0 1050 %.0f\" role=\"img\" aria-label=\"whole-program peak\">\n", height, height);
	for (size_t i = 0; i < m->ninputs; i++) {
		double v = (double)m->inputs[i].r->totals.peak_live_bytes;
		double y = 3 + (double)i * (bar + gap), w = max > 0 ? width * v / max : 0;
		char h[32];
		fprintf(out, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"13\" text-anchor=\"end\" fill=\"#1f2933\">",
			left - 12, y + 16);
		esc(out, m->inputs[i].label);
		fprintf(out, "</text><rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\" rx=\"2\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#323f4b\">%s (%" PRId64 " B)",
			left, y, w, bar, palette[i % PALETTE_N], left + w + 6, y + 16,
			ht_human_bytes(v, h, sizeof h), m->inputs[i].r->totals.peak_live_bytes);
		if (i > 0)
			fprintf(out, "  %+.1f%%", diff_pct((double)m->inputs[0].r->totals.peak_live_bytes, v));
		fputs("</text>\n", out);
	}
	fputs("</svg>\n", out);
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
	fprintf(out, "<td class=\"%s\">%s%s B", d < 0 ? "down" : d > 0 ? "up" : "",
		d < 0 ? "−" : "+", ht_exact(d < 0 ? -d : d, x, sizeof x));
	if (a > 0)
		fprintf(out, " (%+.1f%%)", diff_pct(a, b));
	fputs("</td>", out);
}

static void table(FILE *out, const struct diff_model *m)
{
	fputs("<table>\n<tr><th class=\"l\">type</th><th class=\"l\">report</th><th>instances</th>"
	      "<th>B/inst object</th><th>usable</th><th>B/inst +payload</th><th>usable</th>"
	      "<th>live bytes</th><th>peak bytes</th><th>change object</th><th>change +payload</th></tr>\n", out);
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
				fprintf(out, "<td>%" PRId64 "</td><td>%" PRId64 "</td>", c->live_bytes, c->peak_live_bytes);
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
	fputs("<table>\n<tr><th class=\"l\">report</th><th class=\"l\">file</th><th>live bytes</th>"
	      "<th>peak bytes (whole program)</th><th>peak usable bytes</th><th>change peak</th></tr>\n", out);
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
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>heaptag diff: ", out);
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
	      "(requested bytes; <i>usable</i> = what the allocator handed out).</p>\n", out);

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
	fputs("<p class=\"note\">Generated by heaptag diff. With payload = the type's peak plus the peak of "
	      "&lt;type&gt;.payload (peaks that may not coincide).</p>\n</main>\n</body>\n</html>\n", out);
}
