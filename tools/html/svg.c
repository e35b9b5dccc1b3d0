/* svg.c — the drawing code every heaptag HTML page shares (svg.h).
 */
#include "html/svg.h"

#include <math.h>
#include <string.h>

#include "units.h"

const char *const ht_palette[HT_PALETTE_N] = {
    "#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756",
    "#72b7b2", "#eeca3b", "#ff9da6", "#9d755d", "#79706e",
};

void ht_html_esc(FILE *out, const char *s)
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

void ht_json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&' || *p == 0x7f)
            fprintf(out, "\\u%04x", *p);
        else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
            /* U+2028/2029 end a line in older JavaScript parsers. */
            fprintf(out, "\\u%04x", p[2] == 0xa8 ? 0x2028 : 0x2029);
            p += 2;
        } else
            fputc(*p, out);
    }
    fputc('"', out);
}

double ht_text_width(const char *s, double font_px)
{
    double em = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c & 0xc0) == 0x80)
            continue; /* UTF-8 continuation: counted with its lead byte */
        /* Widths of DejaVu Sans, the widest of the usual fallback fonts. */
        if (c >= 0x80)
            em += 0.8;
        else if (strchr("iIl.,:;'|!()[] ", c))
            em += 0.34;
        else if (strchr("mwMW%@", c))
            em += 0.98;
        else if (c >= 'A' && c <= 'Z')
            em += 0.74;
        else
            em += 0.64;
    }
    return em * font_px;
}

double ht_tick_step(double max, int nticks, int bytes)
{
    if (max <= 0 || nticks < 1)
        return 1;
    double raw = max / nticks;
    if (bytes && raw >= 1) {
        /* Powers of two, so the labels read 256 KiB, 512 KiB, 1 MiB. */
        double step = 1;
        while (step < raw)
            step *= 2;
        return step;
    }
    double p = pow(10, floor(log10(raw)));
    double f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

const char *ht_axis_label(double v, enum ht_axis_unit u, char *buf, size_t len)
{
    if (u == HT_AXIS_BYTES) {
        /* Ticks are round: "512 KiB", not "512.0 KiB". */
        ht_human_bytes(v, buf, len);
        char *z = strstr(buf, ".0 ");
        if (z)
            memmove(z, z + 2, strlen(z + 2) + 1);
        return buf;
    }
    if (u == HT_AXIS_MS) {
        if (v >= 1000)
            snprintf(buf, len, "%g s", v / 1000);
        else
            snprintf(buf, len, "%g ms", v);
        return buf;
    }
    if (v >= 1e6)
        snprintf(buf, len, "%gM", v / 1e6);
    else if (v >= 1e4)
        snprintf(buf, len, "%gk", v / 1e3);
    else
        snprintf(buf, len, "%g", v);
    return buf;
}

void ht_svg_axes(FILE *out, const struct ht_plot *p, enum ht_axis_unit xu, enum ht_axis_unit yu,
                 const char *xtitle, const char *ytitle)
{
    char lab[32];
    double ys = ht_tick_step(p->ymax, 5, yu == HT_AXIS_BYTES);
    fputs("<g class=\"axis\" font-size=\"11\" fill=\"#616e7c\">\n", out);
    for (double v = 0; p->ymax > 0 && v <= p->ymax * 1.0001; v += ys) {
        double y = ht_plot_y(p, v);
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e7eb\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                p->x, y, p->x + p->w, y, p->x - 6, y + 4, ht_axis_label(v, yu, lab, sizeof lab));
    }
    double xs = ht_tick_step(p->xmax, 8, xu == HT_AXIS_BYTES);
    for (double v = 0; p->xmax > 0 && v <= p->xmax * 1.0001; v += xs) {
        double x = ht_plot_x(p, v);
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#9aa5b1\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                x, p->y + p->h, x, p->y + p->h + 4, x, p->y + p->h + 17,
                ht_axis_label(v, xu, lab, sizeof lab));
    }
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#9aa5b1\"/>\n",
            p->x, p->y + p->h, p->x + p->w, p->y + p->h);
    if (xtitle) {
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#3e4c59\">",
                p->x + p->w / 2, p->y + p->h + 34);
        ht_html_esc(out, xtitle);
        fputs("</text>\n", out);
    }
    if (ytitle) {
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#3e4c59\">", p->x - 6, p->y - 10);
        ht_html_esc(out, ytitle);
        fputs("</text>\n", out);
    }
    fputs("</g>\n", out);
}

/* Bold text is this much wider (DejaVu Sans Bold against Book). */
#define BOLD 1.12

/* NAME, in bold, cut to fit WIDTH pixels at FONT_PX, with an ellipsis. */
static void fitted_name(FILE *out, const char *name, double width, double font_px)
{
    if (ht_text_width(name, font_px) * BOLD <= width) {
        ht_html_esc(out, name);
        return;
    }
    char buf[256];
    size_t n = strlen(name) < sizeof buf - 4 ? strlen(name) : sizeof buf - 4;
    memcpy(buf, name, n);
    buf[n] = '\0';
    while (n > 1) {
        buf[--n] = '\0';
        while (n > 1 && ((unsigned char)buf[n] & 0xc0) == 0x80)
            buf[--n] = '\0'; /* never cut a UTF-8 character in two */
        strcpy(buf + n, "\xe2\x80\xa6");
        if (ht_text_width(buf, font_px) * BOLD <= width)
            break;
        buf[n] = '\0';
    }
    ht_html_esc(out, buf);
}

void ht_svg_bar_chart(FILE *out, const struct ht_bar_chart *c)
{
    const double name_px = 13, label_px = 12, top = 22;
    double max = 0, name_w = 40, label_w = 0, height = top;
    for (size_t g = 0; g < c->ngroups; g++) {
        const struct ht_bar_group *gr = &c->groups[g];
        double w = ht_text_width(gr->name, name_px) * BOLD;
        if (w > name_w)
            name_w = w;
        for (size_t b = 0; b < gr->nbars; b++) {
            const struct ht_bar *bar = &gr->bars[b];
            double v = bar->light > bar->solid ? bar->light : bar->solid;
            if (v > max)
                max = v;
            const char *t = bar->solid < 0 ? bar->note : bar->label;
            if (t && ht_text_width(t, label_px) > label_w)
                label_w = ht_text_width(t, label_px);
        }
        height += (double)gr->nbars * (c->bar_h + c->gap) - c->gap + c->group_gap;
    }
    /* Long names are cut rather than squeezing the bars to nothing; the
	 * full name stays in a tooltip. */
    double name_max = c->width * 0.32;
    if (name_w > name_max)
        name_w = name_max;
    double left = name_w + 16, label_room = label_w + 14;
    double plot_w = c->width - left - label_room;
    if (plot_w < c->width * 0.25)
        plot_w = c->width * 0.25;
    fprintf(out,
            "<svg class=\"chart\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
            "role=\"img\" aria-label=\"",
            c->width, height, c->width, height);
    ht_html_esc(out, c->aria ? c->aria : "chart");
    fprintf(out, "\"%s%s>\n", c->attrs ? " " : "", c->attrs ? c->attrs : "");
    if (max > 0) {
        double step = ht_tick_step(max, 4, c->unit == HT_AXIS_BYTES);
        char lab[32];
        for (double v = 0; v <= max * 1.0001; v += step) {
            double x = left + plot_w * v / max;
            fprintf(out,
                    "<line x1=\"%.1f\" y1=\"14\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#e4e7eb\"/>"
                    "<text x=\"%.1f\" y=\"10\" font-size=\"11\" fill=\"#7b8794\" "
                    "text-anchor=\"middle\">%s</text>\n",
                    x, x, height, x, ht_axis_label(v, c->unit, lab, sizeof lab));
        }
    }
    double y = top;
    for (size_t g = 0; g < c->ngroups; g++) {
        const struct ht_bar_group *gr = &c->groups[g];
        double gh = (double)gr->nbars * (c->bar_h + c->gap) - c->gap;
        fprintf(out,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" font-weight=\"600\" "
                "text-anchor=\"end\" fill=\"#1f2933\"><title>",
                left - 10, y + gh / 2 + 4, name_px);
        ht_html_esc(out, gr->name);
        fputs("</title>", out);
        fitted_name(out, gr->name, name_w, name_px);
        fputs("</text>\n", out);
        for (size_t b = 0; b < gr->nbars; b++) {
            const struct ht_bar *bar = &gr->bars[b];
            double by = y + (double)b * (c->bar_h + c->gap);
            if (bar->solid < 0) {
                fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#9aa5b1\">",
                        left + 4, by + c->bar_h / 2 + 4);
                ht_html_esc(out, bar->note ? bar->note : "");
                fputs("</text>\n", out);
                continue;
            }
            double ws = max > 0 ? plot_w * bar->solid / max : 0;
            double wl = max > 0 && bar->light > bar->solid ? plot_w * bar->light / max : ws;
            fprintf(out,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\" "
                    "rx=\"2\"/>\n",
                    left, by, ws, c->bar_h, bar->colour);
            if (wl > ws)
                fprintf(out,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" "
                        "fill=\"%s\" opacity=\".35\"/>\n",
                        left + ws, by, wl - ws, c->bar_h, bar->colour);
            if (bar->label) {
                fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" fill=\"#323f4b\">",
                        left + wl + 6, by + c->bar_h / 2 + 4, label_px);
                ht_html_esc(out, bar->label);
                fputs("</text>\n", out);
            }
        }
        y += gh + c->group_gap;
    }
    fputs("</svg>\n", out);
}
