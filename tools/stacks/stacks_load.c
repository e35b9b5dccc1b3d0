/* Read the stacks-mode sections of a report.
 *
 * Like report.c it rejects rather than repairs: a site table whose counts do not add up
 * would produce flame graphs and massif trees that look right and are not.
 */
#include "report/report.h"
#include "stacks/stacks.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int get_i64(json_t *o, const char *where, const char *key, int64_t *out, char *err,
                   size_t errlen)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        return ht_report_fail(err, errlen, "\"%s.%s\" is missing or not an integer", where, key);
    *out = json_integer_value(v);
    if (*out < 0)
        return ht_report_fail(err, errlen, "\"%s.%s\" is negative", where, key);
    return 0;
}

static int get_hist(json_t *o, const char *where, int64_t *hist, char *err, size_t errlen)
{
    json_t *h = json_object_get(o, "size_hist");
    if (!json_is_array(h) || json_array_size(h) != HT_SIZE_HIST)
        return ht_report_fail(err, errlen, "\"%s.size_hist\" is missing or not %d counts", where,
                              HT_SIZE_HIST);
    for (size_t i = 0; i < HT_SIZE_HIST; i++) {
        json_t *v = json_array_get(h, i);
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return ht_report_fail(err, errlen, "\"%s.size_hist[%zu]\" is not a count", where, i);
        hist[i] = json_integer_value(v);
    }
    return 0;
}

static int load_modules(json_t *arr, struct ht_stacks *s, char *err, size_t errlen)
{
    if (!json_is_array(arr))
        return ht_report_fail(err, errlen, "stacks mode but no \"modules\" array");
    s->nmodules = json_array_size(arr);
    s->modules = calloc(s->nmodules + 1, sizeof *s->modules);
    if (!s->modules)
        return ht_report_fail(err, errlen, "out of memory");
    for (size_t i = 0; i < s->nmodules; i++) {
        json_t *o = json_array_get(arr, i);
        struct ht_module *m = &s->modules[i];
        char where[32];
        snprintf(where, sizeof where, "modules[%zu]", i);
        json_t *p = json_object_get(o, "path");
        int64_t start, end, off;
        if (!json_is_string(p))
            return ht_report_fail(err, errlen, "\"%s.path\" is missing or not a string", where);
        if (get_i64(o, where, "start", &start, err, errlen) ||
            get_i64(o, where, "end", &end, err, errlen) ||
            get_i64(o, where, "offset", &off, err, errlen))
            return -1;
        if (end <= start)
            return ht_report_fail(err, errlen, "\"%s\": end <= start", where);
        if (!(m->path = strdup(json_string_value(p))))
            return ht_report_fail(err, errlen, "out of memory");
        m->start = (uint64_t)start;
        m->end = (uint64_t)end;
        m->offset = (uint64_t)off;
    }
    return 0;
}

#define SITE_FIELD(k)                   \
    {                                   \
#k, offsetof(struct ht_site, k) \
    }
static const struct {
    const char *key;
    size_t offset;
} site_fields[] = {
    SITE_FIELD(alloc_calls),
    SITE_FIELD(free_calls),
    SITE_FIELD(bytes_requested),
    SITE_FIELD(live_bytes),
    SITE_FIELD(peak_live_bytes),
    SITE_FIELD(live_usable_bytes),
    SITE_FIELD(peak_live_usable_bytes),
    SITE_FIELD(live_blocks),
    SITE_FIELD(temporary_calls),
    SITE_FIELD(live_at_peak),
};

/* CONCURRENT: the report was read while other threads allocated, so two
 * invariants may be off by the operations in flight (report-format.md). */
static int load_sites(json_t *arr, int concurrent, struct ht_stacks *s, char *err, size_t errlen)
{
    if (!json_is_array(arr))
        return ht_report_fail(err, errlen, "stacks mode but no \"sites\" array");
    s->nsites = json_array_size(arr);
    s->sites = calloc(s->nsites + 1, sizeof *s->sites);
    if (!s->sites)
        return ht_report_fail(err, errlen, "out of memory");
    for (size_t i = 0; i < s->nsites; i++) {
        json_t *o = json_array_get(arr, i);
        struct ht_site *t = &s->sites[i];
        char where[32];
        snprintf(where, sizeof where, "sites[%zu]", i);
        if (!json_is_object(o))
            return ht_report_fail(err, errlen, "\"%s\" is not an object", where);
        json_t *type = json_object_get(o, "type"), *frames = json_object_get(o, "frames");
        if (get_i64(o, where, "id", &t->id, err, errlen))
            return -1;
        if (!json_is_string(type))
            return ht_report_fail(err, errlen, "\"%s.type\" is missing or not a string", where);
        if (!json_is_array(frames))
            return ht_report_fail(err, errlen, "\"%s.frames\" is missing or not an array", where);
        if (!(t->type = strdup(json_string_value(type))))
            return ht_report_fail(err, errlen, "out of memory");
        t->nframes = json_array_size(frames);
        if (!(t->frames = calloc(t->nframes + 1, sizeof *t->frames)))
            return ht_report_fail(err, errlen, "out of memory");
        for (size_t f = 0; f < t->nframes; f++) {
            json_t *v = json_array_get(frames, f);
            if (!json_is_integer(v))
                return ht_report_fail(err, errlen, "\"%s.frames[%zu]\" is not an address", where,
                                      f);
            t->frames[f] = (uint64_t)json_integer_value(v);
        }
        for (size_t f = 0; f < sizeof site_fields / sizeof *site_fields; f++)
            if (get_i64(o, where, site_fields[f].key,
                        (int64_t *)((char *)t + site_fields[f].offset), err, errlen))
                return -1;
        if (get_hist(o, where, t->size_hist, err, errlen))
            return -1;
        const char *bad = NULL;
        if (!concurrent && t->alloc_calls - t->free_calls != t->live_blocks)
            bad = "alloc_calls - free_calls != live_blocks";
        else if (t->live_bytes > t->peak_live_bytes)
            bad = "live_bytes > peak_live_bytes";
        else if (!concurrent && t->live_usable_bytes < t->live_bytes)
            bad = "live_usable_bytes < live_bytes";
        else if (t->live_at_peak > t->peak_live_bytes)
            bad = "live_at_peak > peak_live_bytes";
        else if (t->temporary_calls > t->free_calls)
            bad = "temporary_calls > free_calls";
        if (bad)
            return ht_report_fail(err, errlen, "inconsistent report: site %" PRId64 ": %s", t->id,
                                  bad);
    }
    return 0;
}

static int by_id(const void *a, const void *b)
{
    const struct ht_site *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int by_start(const void *a, const void *b)
{
    const struct ht_module *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static int column(json_t *cols, const char *name)
{
    for (size_t i = 0; i < json_array_size(cols); i++) {
        json_t *c = json_array_get(cols, i);
        if (json_is_string(c) && !strcmp(json_string_value(c), name))
            return (int)i;
    }
    return -1;
}

static int load_timeline(json_t *doc, struct ht_stacks *s, char *err, size_t errlen)
{
    int concurrent = json_is_true(json_object_get(doc, "concurrent"));
    json_t *tl = json_object_get(doc, "timeline");
    if (!tl && !s->depth)
        return 0; /* from a tracker that predates timelines */
    if (!json_is_object(tl))
        return ht_report_fail(err, errlen, "missing or non-object \"timeline\"");
    json_t *unit = json_object_get(tl, "unit"), *cols = json_object_get(tl, "columns");
    json_t *rows = json_object_get(tl, "samples");
    if (!json_is_string(unit) ||
        (strcmp(json_string_value(unit), "bytes") && strcmp(json_string_value(unit), "ms")))
        return ht_report_fail(err, errlen, "\"timeline.unit\" is not \"bytes\" or \"ms\"");
    s->unit_ms = !strcmp(json_string_value(unit), "ms");
    if (get_i64(tl, "timeline", "interval", &s->interval, err, errlen))
        return -1;
    static const char *const names[] = {"t_bytes",           "t_ms",        "live_bytes",
                                        "live_usable_bytes", "live_blocks", "detail"};
    int idx[6];
    if (!json_is_array(cols) || !json_is_array(rows))
        return ht_report_fail(err, errlen,
                              "\"timeline.columns\" or \"timeline.samples\" is not an array");
    for (int i = 0; i < 6; i++)
        if ((idx[i] = column(cols, names[i])) < 0)
            return ht_report_fail(err, errlen, "\"timeline.columns\" lacks \"%s\"", names[i]);
    json_t *details = json_object_get(doc, "details");
    if (!json_is_array(details))
        return ht_report_fail(err, errlen, "missing or non-array \"details\"");
    s->ndetails = json_array_size(details);
    s->details = calloc(s->ndetails + 1, sizeof *s->details);
    s->nsamples = json_array_size(rows);
    s->samples = calloc(s->nsamples + 1, sizeof *s->samples);
    if (!s->details || !s->samples)
        return ht_report_fail(err, errlen, "out of memory");
    for (size_t i = 0; i < s->nsamples; i++) {
        json_t *row = json_array_get(rows, i);
        int64_t v[6];
        for (int c = 0; c < 6; c++) {
            json_t *x = json_array_get(row, (size_t)idx[c]);
            if (!json_is_integer(x))
                return ht_report_fail(err, errlen,
                                      "\"timeline.samples[%zu]\" is not a row of integers", i);
            v[c] = json_integer_value(x);
        }
        struct ht_sample *m = &s->samples[i];
        *m = (struct ht_sample){v[0], v[1], v[2], v[3], v[4], v[5]};
        /* usable >= live holds only when no other thread allocated
		 * while the sample was read (report-format.md, "concurrent"). */
        if (m->detail < -1 || m->detail >= (int64_t)s->ndetails || m->live_bytes < 0 ||
            (!concurrent && m->live_usable_bytes < m->live_bytes))
            return ht_report_fail(err, errlen, "\"timeline.samples[%zu]\" is inconsistent", i);
        /* t_ms is not checked: a sample taken before the tracker
		 * started its clock (an allocation from a constructor that runs
		 * first) can carry a stray t_ms; the massif writer copes. */
        if (i && m->t_bytes < s->samples[i - 1].t_bytes)
            return ht_report_fail(err, errlen, "\"timeline.samples\" go back in time at %zu", i);
    }
    for (size_t k = 0; k < s->ndetails; k++) {
        json_t *d = json_array_get(details, k);
        size_t n = json_array_size(d);
        if (!json_is_array(d) || n % 2)
            return ht_report_fail(err, errlen,
                                  "\"details[%zu]\" is not a list of (site, bytes) pairs", k);
        struct ht_detail *t = &s->details[k];
        t->npairs = n / 2;
        if (!(t->pairs = calloc(n + 1, sizeof *t->pairs)))
            return ht_report_fail(err, errlen, "out of memory");
        for (size_t j = 0; j < n; j++) {
            json_t *x = json_array_get(d, j);
            if (!json_is_integer(x) || json_integer_value(x) < 0)
                return ht_report_fail(err, errlen, "\"details[%zu][%zu]\" is not a count", k, j);
            t->pairs[j] = json_integer_value(x);
        }
        for (size_t j = 0; j < n && s->depth; j += 2)
            if (!ht_stacks_site(s, t->pairs[j]))
                return ht_report_fail(
                    err, errlen, "\"details[%zu]\" names site %" PRId64 ", which \"sites\" lacks",
                    k, t->pairs[j]);
    }
    return 0;
}

static int load_types(json_t *arr, struct ht_stacks *s, char *err, size_t errlen)
{
    s->ntypes = json_array_size(arr);
    s->types = calloc(s->ntypes + 1, sizeof *s->types);
    if (!s->types)
        return ht_report_fail(err, errlen, "out of memory");
    for (size_t i = 0; i < s->ntypes; i++) {
        json_t *o = json_array_get(arr, i);
        struct ht_type_extra *t = &s->types[i];
        char where[32];
        snprintf(where, sizeof where, "types[%zu]", i);
        const char *name = json_string_value(json_object_get(o, "name"));
        if (!name)
            return ht_report_fail(err, errlen, "\"%s.name\" is missing or not a string", where);
        if (!(t->name = strdup(name)))
            return ht_report_fail(err, errlen, "out of memory");
        /* Both absent in reports of trackers that predate them. */
        if (json_object_get(o, "temporary_calls") &&
            get_i64(o, where, "temporary_calls", &t->temporary_calls, err, errlen))
            return -1;
        if (json_object_get(o, "size_hist") && get_hist(o, where, t->size_hist, err, errlen))
            return -1;
    }
    return 0;
}

static int load(json_t *doc, struct ht_stacks *s, char *err, size_t errlen)
{
    json_t *st = json_object_get(doc, "stacks");
    int64_t depth, rules;
    if (!st)
        depth = rules = 0; /* from a tracker that predates stacks */
    else if (!json_is_object(st))
        return ht_report_fail(err, errlen, "\"stacks\" is not an object");
    else if (get_i64(st, "stacks", "depth", &depth, err, errlen) ||
             get_i64(st, "stacks", "rules", &rules, err, errlen))
        return -1;
    s->depth = (int)depth;
    s->rules = (int)rules;
    if (load_types(json_object_get(doc, "types"), s, err, errlen))
        return -1;
    if (s->depth) {
        if (load_modules(json_object_get(doc, "modules"), s, err, errlen) ||
            load_sites(json_object_get(doc, "sites"),
                       json_is_true(json_object_get(doc, "concurrent")), s, err, errlen))
            return -1;
        qsort(s->modules, s->nmodules, sizeof *s->modules, by_start);
        qsort(s->sites, s->nsites, sizeof *s->sites, by_id);
        for (size_t i = 1; i < s->nsites; i++)
            if (s->sites[i].id == s->sites[i - 1].id)
                return ht_report_fail(err, errlen, "site %" PRId64 " listed twice", s->sites[i].id);
        for (size_t i = 0; i < s->nsites; i++)
            if (!ht_stacks_type(s, s->sites[i].type))
                return ht_report_fail(err, errlen,
                                      "site %" PRId64 " has type \"%s\", which \"types\" lacks",
                                      s->sites[i].id, s->sites[i].type);
    }
    return load_timeline(doc, s, err, errlen);
}

struct ht_stacks *ht_stacks_load(const struct ht_report *r, char *err, size_t errlen)
{
    struct ht_stacks *s = calloc(1, sizeof *s);
    int rc = s ? load(r->json, s, err, errlen) : ht_report_fail(err, errlen, "out of memory");
    if (rc) {
        ht_stacks_free(s);
        return NULL;
    }
    return s;
}

void ht_stacks_free(struct ht_stacks *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nmodules; i++)
        free(s->modules[i].path);
    for (size_t i = 0; i < s->nsites; i++) {
        free(s->sites[i].type);
        free(s->sites[i].frames);
    }
    for (size_t i = 0; i < s->ndetails; i++)
        free(s->details[i].pairs);
    for (size_t i = 0; i < s->ntypes; i++)
        free(s->types[i].name);
    free(s->modules);
    free(s->sites);
    free(s->samples);
    free(s->details);
    free(s->types);
    free(s);
}

const struct ht_site *ht_stacks_site(const struct ht_stacks *s, int64_t id)
{
    struct ht_site key = {.id = id};
    return bsearch(&key, s->sites, s->nsites, sizeof *s->sites, by_id);
}

const struct ht_type_extra *ht_stacks_type(const struct ht_stacks *s, const char *name)
{
    for (size_t i = 0; i < s->ntypes; i++)
        if (!strcmp(s->types[i].name, name))
            return &s->types[i];
    return NULL;
}

const struct ht_module *ht_stacks_module(const struct ht_stacks *s, uint64_t addr)
{
    size_t lo = 0, hi = s->nmodules;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (addr < s->modules[mid].start)
            hi = mid;
        else if (addr >= s->modules[mid].end)
            lo = mid + 1;
        else
            return &s->modules[mid];
    }
    return NULL;
}
