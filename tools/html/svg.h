/* svg.h — the drawing code every heaptag HTML page shares (the run page
 * of `report --format html`, the `diff` page and the validation report).
 *
 * The validation report is made from the `diff` page.  The code covers
 * escaping, the palette, axes with round ticks, and
 * horizontal bar charts whose labels always fit inside the picture.
 *
 * Text widths are estimated, not measured (the page is written without a
 * browser): ht_text_width() errs on the wide side so that a label never
 * runs past the right edge of its chart.
 */
#ifndef HEAPTAG_TOOLS_HTML_SVG_H
#define HEAPTAG_TOOLS_HTML_SVG_H

#include <stddef.h>
#include <stdio.h>

/* Text and attribute values: < > & " ' escaped. */
void ht_html_esc(FILE *out, const char *s);
/* A JSON string literal that is also safe inside <script>: "<", ">", "&"
 * and the JavaScript line separators are \u-escaped, so no "</script>" or
 * "<!--" can appear in the page's data. */
void ht_json_str(FILE *out, const char *s);

#define HT_PALETTE_N 10
extern const char *const ht_palette[HT_PALETTE_N];

/* Estimated width in pixels of S in a sans-serif font of FONT_PX pixels
 * (bold adds about 12%). */
double ht_text_width(const char *s, double font_px);

/* A round tick step (1, 2 or 5 times a power of ten; powers of two times
 * 1024^k for bytes) that divides [0, MAX] into at most NTICKS parts. */
double ht_tick_step(double max, int nticks, int bytes);

/* What an axis counts: tick labels in binary byte units, milliseconds
 * (ms or s), or plain numbers. */
enum ht_axis_unit { HT_AXIS_BYTES, HT_AXIS_MS, HT_AXIS_COUNT };
const char *ht_axis_label(double v, enum ht_axis_unit u, char *buf, size_t len);

/* A plot area: pixels [X, X+W] x [Y, Y+H], values [0, XMAX] x [0, YMAX]
 * (Y grows upwards in value, downwards on screen). */
struct ht_plot {
    double x, y, w, h;
    double xmax, ymax;
};
static inline double ht_plot_x(const struct ht_plot *p, double v)
{
    return p->x + (p->xmax > 0 ? p->w * v / p->xmax : 0);
}
static inline double ht_plot_y(const struct ht_plot *p, double v)
{
    return p->y + p->h - (p->ymax > 0 ? p->h * v / p->ymax : 0);
}
/* Grid lines and tick labels: Y on the left, X below, each with a title. */
void ht_svg_axes(FILE *out, const struct ht_plot *p, enum ht_axis_unit xu, enum ht_axis_unit yu,
                 const char *xtitle, const char *ytitle);

/* Horizontal bar charts.  A group is a row label (left) and one or more
 * bars below each other; a bar is a solid part, an optional light part
 * after it (solid..light), and a value label after the bar.  The scale
 * leaves room for the longest label, so labels never leave the chart. */
struct ht_bar {
    double solid; /* < 0: no bar; NOTE is written instead */
    double light; /* <= solid: no light part */
    const char *colour;
    const char *label; /* text right of the bar */
    const char *note;  /* text where a missing bar would be */
};
struct ht_bar_group {
    const char *name;
    size_t nbars;
    const struct ht_bar *bars;
};
struct ht_bar_chart {
    double width; /* of the whole picture */
    double bar_h, gap, group_gap;
    enum ht_axis_unit unit; /* of the tick labels */
    const char *aria;       /* the picture's accessible name */
    const char *attrs;      /* extra attributes of <svg>, or NULL */
    size_t ngroups;
    const struct ht_bar_group *groups;
};
void ht_svg_bar_chart(FILE *out, const struct ht_bar_chart *c);

#endif
