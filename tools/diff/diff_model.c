/* See diff_model.h.
 *
 * Bytes per instance with payload adds the type's peak to its payload's
 * peak.  The two peaks need not have happened at the same moment, so this
 * can overstate a simultaneous footprint slightly; it is the figure the
 * design note reasons with ("280 bytes plus data").
 */
#include "diff/diff_model.h"
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char payload_suffix[] = ".payload";

static int is_payload_of_known(const struct diff_model *m, const char *name)
{
    size_t n = strlen(name), s = strlen(payload_suffix);
    if (n <= s || strcmp(name + n - s, payload_suffix))
        return 0;
    char *base = strndup(name, n - s);
    int found = 0;
    for (size_t i = 0; base && i < m->ninputs && !found; i++)
        found = ht_report_find(m->inputs[i].r, base) != NULL;
    free(base);
    return found;
}

static void fill_cell(struct diff_cell *c, const struct ht_report *r, const char *name)
{
    memset(c, 0, sizeof *c);
    c->bpi_object = c->bpi_object_usable = c->bpi_payload = c->bpi_payload_usable = -1;
    const struct ht_type *t = ht_report_find(r, name);
    char *pname = NULL;
    const struct ht_type *p =
        asprintf(&pname, "%s%s", name, payload_suffix) < 0 ? NULL : ht_report_find(r, pname);
    free(pname);
    if (p) {
        c->has_payload = 1;
        c->payload_peak_live_bytes = p->peak_live_bytes;
        c->payload_peak_live_usable_bytes = p->peak_live_usable_bytes;
    }
    if (!t)
        return;
    c->present = 1;
    c->instances = t->instances;
    c->peak_live_instances = t->peak_live_instances;
    c->live_bytes = t->live_bytes;
    c->peak_live_bytes = t->peak_live_bytes;
    c->peak_live_usable_bytes = t->peak_live_usable_bytes;
    if (t->peak_live_instances > 0) {
        double n = (double)t->peak_live_instances;
        c->bpi_object = (double)t->peak_live_bytes / n;
        c->bpi_object_usable = (double)t->peak_live_usable_bytes / n;
        c->bpi_payload = (double)(t->peak_live_bytes + c->payload_peak_live_bytes) / n;
        c->bpi_payload_usable =
            (double)(t->peak_live_usable_bytes + c->payload_peak_live_usable_bytes) / n;
    }
}

static const struct diff_model *sort_model;

/* Biggest baseline footprint first, then types only later reports have. */
static int row_order(const void *a, const void *b)
{
    const struct diff_row *x = a, *y = b;
    for (size_t i = 0; i < sort_model->ninputs; i++) {
        int64_t px = x->cells[i].peak_live_bytes, py = y->cells[i].peak_live_bytes;
        if (px != py)
            return px > py ? -1 : 1;
    }
    return strcmp(x->name, y->name);
}

int diff_model_build(struct diff_model *m)
{
    size_t cap = 0;
    for (size_t i = 0; i < m->ninputs; i++)
        cap += m->inputs[i].r->ntypes;
    m->rows = calloc(cap ? cap : 1, sizeof *m->rows);
    if (!m->rows)
        return -1;
    m->nrows = 0;
    for (size_t i = 0; i < m->ninputs; i++) {
        const struct ht_report *r = m->inputs[i].r;
        for (size_t t = 0; t < r->ntypes; t++) {
            const char *name = r->types[t].name;
            /* Rows so far are the types of inputs before this one. */
            int seen = 0;
            for (size_t k = 0; k < i && !seen; k++)
                seen = ht_report_find(m->inputs[k].r, name) != NULL;
            if (seen || is_payload_of_known(m, name))
                continue;
            struct diff_row *row = &m->rows[m->nrows++];
            row->name = name;
            if (!(row->cells = calloc(m->ninputs, sizeof *row->cells)))
                return -1;
            for (size_t k = 0; k < m->ninputs; k++)
                fill_cell(&row->cells[k], m->inputs[k].r, name);
        }
    }
    sort_model = m;
    qsort(m->rows, m->nrows, sizeof *m->rows, row_order);
    return 0;
}

double diff_pct(double a, double b) { return ht_tidy1(a != 0 ? (b - a) / a * 100.0 : 0.0); }

static const struct diff_row *find_row(const struct diff_model *m, const char *name)
{
    for (size_t i = 0; i < m->nrows; i++)
        if (!strcmp(m->rows[i].name, name))
            return &m->rows[i];
    return NULL;
}

static int parse_pct(const char *s, double *out)
{
    const char *end = ht_parse_decimal(s, out);
    if (!end)
        return -1;
    if (*end == '%')
        end++;
    return *end || *out > 100 ? -1 : 0;
}

int diff_model_add_claim(struct diff_model *m, const char *spec, char *err, size_t errlen)
{
    const char *rest = spec;
    long only = -1;
    /* A LABEL: prefix counts only if it names an input: type names may
	 * contain colons (C++ "ns::T"). */
    const char *colon = strchr(spec, ':');
    if (colon) {
        for (size_t i = 0; i < m->ninputs; i++) {
            if (strlen(m->inputs[i].label) == (size_t)(colon - spec) &&
                !strncmp(m->inputs[i].label, spec, (size_t)(colon - spec))) {
                only = (long)i;
                rest = colon + 1;
            }
        }
        if (only == 0) {
            snprintf(err, errlen, "claim '%s': %s is the baseline; name a report compared with it",
                     spec, m->inputs[0].label);
            return -1;
        }
    }
    char *type = NULL;
    const char *eq = strrchr(rest, '=');
    const char *num = eq ? eq + 1 : rest;
    int about = *num == '~';
    double pct;
    if (parse_pct(num + about, &pct) || (eq && eq == rest)) {
        snprintf(err, errlen,
                 "bad claim '%s' (expected [LABEL:][TYPE=][~]PERCENT, e.g. 40, "
                 "Response=40 or Response=~40)",
                 spec);
        return -1;
    }
    int with_payload = 0;
    if (eq) {
        type = strndup(rest, (size_t)(eq - rest));
        size_t tl = type ? strlen(type) : 0;
        if (tl > 8 && !strcmp(type + tl - 8, "+payload")) {
            type[tl - 8] = '\0';
            with_payload = 1;
        }
    }
    const struct diff_row *row = NULL;
    if (type && !(row = find_row(m, type))) {
        snprintf(err, errlen, "claim '%s': no type \"%s\" in the reports", spec, type);
        free(type);
        return -1;
    }
    for (size_t i = 1; i < m->ninputs; i++) {
        if (only >= 0 && (size_t)only != i)
            continue;
        if (row) {
            for (size_t k = 0; k < 2; k++) {
                size_t idx = k ? i : 0;
                if (row->cells[idx].peak_live_instances <= 0) {
                    snprintf(err, errlen, "claim '%s': type \"%s\" has no instances in %s (%s)",
                             spec, type, m->inputs[idx].label, m->inputs[idx].path);
                    free(type);
                    return -1;
                }
            }
        }
        struct diff_claim *grown = realloc(m->claims, (m->nclaims + 1) * sizeof *grown);
        if (!grown) {
            free(type);
            return -1;
        }
        m->claims = grown;
        struct diff_claim *c = &m->claims[m->nclaims++];
        memset(c, 0, sizeof *c);
        c->spec = strdup(spec);
        c->type = row ? row->name : NULL;
        c->with_payload = with_payload;
        c->about = about;
        c->claimed_pct = pct;
        c->against = i;
    }
    free(type);
    return 0;
}

size_t diff_model_judge(struct diff_model *m)
{
    size_t failed = 0;
    for (size_t i = 0; i < m->nclaims; i++) {
        struct diff_claim *c = &m->claims[i];
        const struct ht_report *a = m->inputs[0].r, *b = m->inputs[c->against].r;
        if (c->type) {
            const struct diff_row *row = find_row(m, c->type);
            const struct diff_cell *x = &row->cells[0], *y = &row->cells[c->against];
            int usable = m->basis == CLAIM_USABLE;
            c->before = c->with_payload ? (usable ? x->bpi_payload_usable : x->bpi_payload)
                                        : (usable ? x->bpi_object_usable : x->bpi_object);
            c->after = c->with_payload ? (usable ? y->bpi_payload_usable : y->bpi_payload)
                                       : (usable ? y->bpi_object_usable : y->bpi_object);
        } else if (m->basis == CLAIM_USABLE) {
            c->before = (double)a->totals.peak_live_usable_bytes;
            c->after = (double)b->totals.peak_live_usable_bytes;
        } else {
            c->before = (double)a->totals.peak_live_bytes;
            c->after = (double)b->totals.peak_live_bytes;
        }
        c->measured_pct = c->before != 0 ? (c->before - c->after) / c->before * 100.0 : 0.0;
        c->margin_pp = c->measured_pct - c->claimed_pct;
        c->factor = c->claimed_pct > 0 ? c->measured_pct / c->claimed_pct : 0;
        /* The epsilon keeps a saving that is exactly on a boundary from
		 * falling outside by a rounding error in the division. */
        c->side = c->measured_pct < c->claimed_pct - m->tolerance_pp - 1e-9               ? -1
                  : c->about && c->measured_pct > c->claimed_pct + m->tolerance_pp + 1e-9 ? 1
                                                                                          : 0;
        if (!(c->before > 0))
            c->side = -1;
        c->holds = c->side == 0;
        failed += !c->holds;
        /* Shown with one decimal: a value that rounds to zero is 0.0,
		 * never "-0.0". */
        c->measured_pct = ht_tidy1(c->measured_pct);
        c->margin_pp = ht_tidy1(c->margin_pp);
    }
    return failed;
}

const char *diff_claim_verdict(const struct diff_claim *c)
{
    if (c->holds)
        return "holds";
    if (!c->about)
        return "does not hold";
    return c->side > 0 ? "exceeds" : "falls short";
}

void diff_model_free(struct diff_model *m)
{
    for (size_t i = 0; i < m->nrows; i++)
        free(m->rows[i].cells);
    free(m->rows);
    for (size_t i = 0; i < m->nclaims; i++)
        free(m->claims[i].spec);
    free(m->claims);
    m->rows = NULL;
    m->claims = NULL;
    m->nrows = m->nclaims = 0;
}
