/* `heaptag diff` as a terminal table, Markdown and JSON.
 *
 * The table shows each type as a block of lines, one per report, so a three-way comparison
 * (dict / slots / allslots) reads top to bottom.
 */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "diff/diff_render.h"
#include "json_out.h"
#include "textsafe.h"
#include "units.h"

const char *diff_claim_subject(const struct diff_model *m, const struct diff_claim *c, char *buf,
                               size_t len)
{
    const char *basis = m->basis == CLAIM_USABLE ? " (usable)" : "";
    if (c->type)
        snprintf(buf, len, "%s%s per instance%s, %s -> %s", c->type,
                 c->with_payload ? " with payload" : "", basis, m->inputs[0].label,
                 m->inputs[c->against].label);
    else
        snprintf(buf, len, "whole-program peak%s, %s -> %s", basis, m->inputs[0].label,
                 m->inputs[c->against].label);
    return buf;
}

void diff_claim_sentence(const struct diff_model *m, const struct diff_claim *c, char *buf,
                         size_t len)
{
    char subject[600], before[32], after[32], band[64] = "", how[96];
    if (c->about)
        snprintf(band, sizeof band, " (band %.1f..%.1f%%)", c->claimed_pct - m->tolerance_pp,
                 c->claimed_pct + m->tolerance_pp);
    /* An about claim outside its band says by how much, in points and as
	 * a factor, so "exceeds" is never read as "right". */
    int off = c->about && !c->holds;
    int n = snprintf(how, sizeof how, off ? "by %.1f pp" : "margin %+.1f pp",
                     off ? fabs(c->margin_pp) : c->margin_pp);
    if (c->about && c->claimed_pct > 0 && n > 0 && (size_t)n < sizeof how)
        snprintf(how + n, sizeof how - (size_t)n, ", %.2fx the claim", c->factor);
    snprintf(buf, len, "%s: claimed %s%.1f%% saving%s, measured %.1f%% (%s -> %s B): %s (%s)",
             diff_claim_subject(m, c, subject, sizeof subject), c->about ? "about " : "",
             c->claimed_pct, band, c->measured_pct, ht_exact(c->before, before, sizeof before),
             ht_exact(c->after, after, sizeof after), diff_claim_verdict(c), how);
}

const char *diff_claim_rule(const struct diff_model *m, char *buf, size_t len)
{
    int about = 0;
    for (size_t i = 0; i < m->nclaims; i++)
        about |= m->claims[i].about;
    if (!about)
        snprintf(buf, len, "a claimed saving holds if the measured saving >= claim - %.1f pp",
                 m->tolerance_pp);
    else
        snprintf(buf, len,
                 "a claim PCT holds if the measured saving >= PCT - %.1f pp; "
                 "a claim ~PCT (about PCT) holds only within PCT +- %.1f pp, else it exceeds or "
                 "falls short",
                 m->tolerance_pp, m->tolerance_pp);
    return buf;
}

static const char *opt_exact(double v, char *buf, size_t len)
{
    return v < 0 ? "-" : ht_exact(v, buf, len);
}

/* "-110 B (-39.3%)", or "" when either side has no figure. */
static const char *change(double a, double b, int human, char *buf, size_t len)
{
    char num[32];
    if (a < 0 || b < 0) {
        snprintf(buf, len, "-");
        return buf;
    }
    double d = b - a;
    if (human)
        ht_human_bytes(d, num, sizeof num);
    else
        snprintf(num, sizeof num, "%s%s B", d < 0 ? "-" : "+", ht_exact(d < 0 ? -d : d, buf, len));
    if (a > 0)
        snprintf(buf, len, "%s%s (%+.1f%%)", human && d >= 0 ? "+" : "", num, diff_pct(a, b));
    else
        snprintf(buf, len, "%s%s", human && d >= 0 ? "+" : "", num);
    return buf;
}

static void claims_text(FILE *out, const struct diff_model *m, const char *bullet)
{
    char line[1024];
    for (size_t i = 0; i < m->nclaims; i++) {
        diff_claim_sentence(m, &m->claims[i], line, sizeof line);
        fprintf(out, "%s%s\n", bullet, line);
    }
}

void diff_render_table(FILE *out, const struct diff_model *m)
{
    char b[8][48], shown[HT_NAME_SHOWN + 32];
    int tw = 5, lw = 6;
    for (size_t i = 0; i < m->nrows; i++) {
        int n = (int)strlen(ht_safe_name(m->rows[i].name, HT_NAME_SHOWN, shown, sizeof shown));
        if (n > tw)
            tw = n;
    }
    for (size_t i = 0; i < m->ninputs; i++)
        if ((int)strlen(m->inputs[i].label) > lw)
            lw = (int)strlen(m->inputs[i].label);

    fprintf(out, "heaptag diff: baseline %s (%s)\n", m->inputs[0].label, m->inputs[0].path);
    for (size_t i = 1; i < m->ninputs; i++)
        fprintf(out, "     against %s (%s)\n", m->inputs[i].label, m->inputs[i].path);
    fputs("B/inst = peak live bytes / peak live instances; obj = the type's own blocks, "
          "+payload = with <type>.payload\n\n",
          out);
    fprintf(out, "%-*s  %-*s %9s %9s %9s %9s %9s %10s %10s  %-17s %s\n", tw, "type", lw, "report",
            "instances", "B/inst", "usable", "+payload", "usable", "live", "peak", "change B/inst",
            "change +payload");
    for (size_t r = 0; r < m->nrows; r++) {
        const struct diff_row *row = &m->rows[r];
        const struct diff_cell *base = &row->cells[0];
        for (size_t i = 0; i < m->ninputs; i++) {
            const struct diff_cell *c = &row->cells[i];
            char inst[24];
            if (c->present)
                snprintf(inst, sizeof inst, "%" PRId64, c->instances);
            else
                snprintf(inst, sizeof inst, "absent");
            fprintf(out, "%-*s  %-*s %9s %9s %9s %9s %9s %10s %10s", tw,
                    i ? "" : ht_safe_name(row->name, HT_NAME_SHOWN, shown, sizeof shown), lw,
                    m->inputs[i].label, inst, opt_exact(c->bpi_object, b[0], sizeof b[0]),
                    opt_exact(c->bpi_object_usable, b[1], sizeof b[1]),
                    c->has_payload ? opt_exact(c->bpi_payload, b[2], sizeof b[2]) : "-",
                    c->has_payload ? opt_exact(c->bpi_payload_usable, b[3], sizeof b[3]) : "-",
                    c->present ? ht_human_bytes((double)c->live_bytes, b[4], sizeof b[4]) : "-",
                    c->present ? ht_human_bytes((double)c->peak_live_bytes, b[5], sizeof b[5])
                               : "-");
            if (i > 0)
                fprintf(out, "  %-17s %s",
                        change(base->bpi_object, c->bpi_object, 0, b[6], sizeof b[6]),
                        c->has_payload || base->has_payload
                            ? change(base->bpi_payload, c->bpi_payload, 0, b[7], sizeof b[7])
                            : "-");
            /* No trailing blanks on baseline lines. */
            fputc('\n', out);
        }
    }
    fprintf(out, "\n%-*s  %-*s %10s %10s %11s  %s\n", tw, "total", lw, "report", "live", "peak",
            "peak usable", "change peak");
    for (size_t i = 0; i < m->ninputs; i++) {
        const struct ht_totals *a = &m->inputs[0].r->totals, *t = &m->inputs[i].r->totals;
        fprintf(out, "%-*s  %-*s %10s %10s %11s", tw, "", lw, m->inputs[i].label,
                ht_human_bytes((double)t->live_bytes, b[0], sizeof b[0]),
                ht_human_bytes((double)t->peak_live_bytes, b[1], sizeof b[1]),
                ht_human_bytes((double)t->peak_live_usable_bytes, b[2], sizeof b[2]));
        if (i > 0)
            fprintf(out, "  %s",
                    change((double)a->peak_live_bytes, (double)t->peak_live_bytes, 1, b[3],
                           sizeof b[3]));
        fputc('\n', out);
    }
    if (m->nclaims) {
        char rule[256];
        fprintf(out, "\nclaims (%s):\n", diff_claim_rule(m, rule, sizeof rule));
        claims_text(out, m, "  ");
    }
}

static void md_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", out);
        else if (strchr("|\\*_`", *s))
            fprintf(out, "\\%c", *s);
        else
            fputc(*s, out);
    }
}

void diff_render_markdown(FILE *out, const struct diff_model *m)
{
    char b[8][48];
    fputs("# heaptag diff\n\nBaseline **", out);
    md_text(out, m->inputs[0].label);
    fputs("** (`", out);
    fputs(m->inputs[0].path, out);
    fputs("`); compared: ", out);
    for (size_t i = 1; i < m->ninputs; i++) {
        fprintf(out, "%s**", i > 1 ? ", " : "");
        md_text(out, m->inputs[i].label);
        fprintf(out, "** (`%s`)", m->inputs[i].path);
    }
    fputs(".\n\nBytes per instance = peak live bytes / peak live instances; *object* is the "
          "type's own blocks, *+payload* adds `<type>.payload`. All figures in bytes.\n\n",
          out);
    fputs("| type | report | instances | B/inst object | usable | B/inst +payload | usable "
          "| live | peak | change object | change +payload |\n"
          "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n",
          out);
    for (size_t r = 0; r < m->nrows; r++) {
        const struct diff_row *row = &m->rows[r];
        for (size_t i = 0; i < m->ninputs; i++) {
            const struct diff_cell *c = &row->cells[i], *base = &row->cells[0];
            char shown[HT_NAME_SHOWN + 32];
            fputs("| ", out);
            if (i == 0)
                md_text(out, ht_safe_name(row->name, HT_NAME_SHOWN, shown, sizeof shown));
            fputs(" | ", out);
            md_text(out, m->inputs[i].label);
            if (c->present)
                fprintf(out, " | %" PRId64, c->instances);
            else
                fputs(" | absent", out);
            fprintf(out, " | %s | %s | %s | %s", opt_exact(c->bpi_object, b[0], sizeof b[0]),
                    opt_exact(c->bpi_object_usable, b[1], sizeof b[1]),
                    c->has_payload ? opt_exact(c->bpi_payload, b[2], sizeof b[2]) : "-",
                    c->has_payload ? opt_exact(c->bpi_payload_usable, b[3], sizeof b[3]) : "-");
            if (c->present)
                fprintf(out, " | %" PRId64 " | %" PRId64, c->live_bytes, c->peak_live_bytes);
            else
                fputs(" | - | -", out);
            fprintf(out, " | %s | %s |\n",
                    i ? change(base->bpi_object, c->bpi_object, 0, b[4], sizeof b[4]) : "",
                    i && (c->has_payload || base->has_payload)
                        ? change(base->bpi_payload, c->bpi_payload, 0, b[5], sizeof b[5])
                        : "");
        }
    }
    fputs("\n| report | live | peak (whole program) | peak usable | change peak |\n"
          "|---|--:|--:|--:|--:|\n",
          out);
    for (size_t i = 0; i < m->ninputs; i++) {
        const struct ht_totals *a = &m->inputs[0].r->totals, *t = &m->inputs[i].r->totals;
        fputs("| ", out);
        md_text(out, m->inputs[i].label);
        fprintf(
            out, " | %" PRId64 " | %" PRId64 " | %" PRId64 " | %s |\n", t->live_bytes,
            t->peak_live_bytes, t->peak_live_usable_bytes,
            i ? change((double)a->peak_live_bytes, (double)t->peak_live_bytes, 0, b[0], sizeof b[0])
              : "");
    }
    if (m->nclaims) {
        char rule[256];
        diff_claim_rule(m, rule, sizeof rule);
        rule[0] = 'A';
        fputs("\n## Claims\n\n", out);
        md_text(out, rule);
        fputs(".\n\n", out);
        char line[1024];
        for (size_t i = 0; i < m->nclaims; i++) {
            diff_claim_sentence(m, &m->claims[i], line, sizeof line);
            fputs("- ", out);
            md_text(out, line);
            fputc('\n', out);
        }
    }
}

static json_t *num_or_null(double v) { return v < 0 ? json_null() : json_real(v); }

int diff_render_json(FILE *out, const struct diff_model *m)
{
    json_t *reports = json_array(), *types = json_array(), *claims = json_array();
    for (size_t i = 0; i < m->ninputs; i++) {
        const struct ht_report *r = m->inputs[i].r;
        const struct ht_totals *a = &m->inputs[0].r->totals;
        json_array_append_new(
            reports,
            json_pack(
                "{s:s, s:s, s:s, s:I, s:{s:I, s:I, s:I, s:I}, s:o}", "label", m->inputs[i].label,
                "file", m->inputs[i].path, "program", r->program, "pid", (json_int_t)r->pid,
                "totals", "live_bytes", (json_int_t)r->totals.live_bytes, "peak_live_bytes",
                (json_int_t)r->totals.peak_live_bytes, "peak_live_usable_bytes",
                (json_int_t)r->totals.peak_live_usable_bytes, "live_usable_bytes",
                (json_int_t)r->totals.live_usable_bytes, "change_peak_live_bytes",
                i == 0 ? json_null()
                       : json_pack("{s:I, s:f}", "bytes",
                                   (json_int_t)(r->totals.peak_live_bytes - a->peak_live_bytes),
                                   "percent",
                                   diff_pct((double)a->peak_live_bytes,
                                            (double)r->totals.peak_live_bytes))));
    }
    for (size_t t = 0; t < m->nrows; t++) {
        const struct diff_row *row = &m->rows[t];
        json_t *cells = json_array();
        for (size_t i = 0; i < m->ninputs; i++) {
            const struct diff_cell *c = &row->cells[i], *base = &row->cells[0];
            json_t *chg = json_null();
            if (i > 0 && c->bpi_object >= 0 && base->bpi_object >= 0)
                chg = json_pack("{s:{s:f, s:f}, s:{s:f, s:f}}", "bytes_per_instance_object",
                                "bytes", c->bpi_object - base->bpi_object, "percent",
                                diff_pct(base->bpi_object, c->bpi_object),
                                "bytes_per_instance_with_payload", "bytes",
                                c->bpi_payload - base->bpi_payload, "percent",
                                diff_pct(base->bpi_payload, c->bpi_payload));
            json_array_append_new(
                cells,
                json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I,"
                          " s:{s:{s:o, s:o}, s:{s:o, s:o}}, s:o}",
                          "label", m->inputs[i].label, "present", c->present, "instances",
                          (json_int_t)c->instances, "peak_live_instances",
                          (json_int_t)c->peak_live_instances, "live_bytes",
                          (json_int_t)c->live_bytes, "peak_live_bytes",
                          (json_int_t)c->peak_live_bytes, "peak_live_usable_bytes",
                          (json_int_t)c->peak_live_usable_bytes, "payload_peak_live_bytes",
                          (json_int_t)c->payload_peak_live_bytes, "payload_peak_live_usable_bytes",
                          (json_int_t)c->payload_peak_live_usable_bytes, "bytes_per_instance",
                          "object", "requested", num_or_null(c->bpi_object), "usable",
                          num_or_null(c->bpi_object_usable), "with_payload", "requested",
                          num_or_null(c->bpi_payload), "usable", num_or_null(c->bpi_payload_usable),
                          "change", chg));
        }
        json_array_append_new(types, json_pack("{s:s, s:o}", "name", row->name, "reports", cells));
    }
    for (size_t i = 0; i < m->nclaims; i++) {
        const struct diff_claim *c = &m->claims[i];
        json_array_append_new(
            claims,
            json_pack(
                "{s:s, s:o, s:b, s:s, s:s, s:s, s:f, s:[f, f], s:f, s:f, s:f, s:f, s:f, s:b, s:s}",
                "claim", c->spec, "type", c->type ? json_string(c->type) : json_null(),
                "with_payload", c->with_payload, "baseline", m->inputs[0].label, "against",
                m->inputs[c->against].label, "form", c->about ? "about" : "at-least",
                "claimed_percent", c->claimed_pct, "band_percent", c->claimed_pct - m->tolerance_pp,
                c->about ? c->claimed_pct + m->tolerance_pp : 100.0, "before", c->before, "after",
                c->after, "measured_percent", c->measured_pct, "margin_pp", c->margin_pp, "factor",
                c->factor, "holds", c->holds, "verdict", diff_claim_verdict(c)));
    }
    json_t *doc =
        json_pack("{s:s, s:i, s:s, s:f, s:s, s:o, s:o, s:o}", "format", "heaptag-diff", "version",
                  1, "baseline", m->inputs[0].label, "tolerance_pp", m->tolerance_pp, "claim_basis",
                  m->basis == CLAIM_USABLE ? "usable" : "requested", "reports", reports, "types",
                  types, "claims", claims);
    return ht_json_emit(doc, out);
}
