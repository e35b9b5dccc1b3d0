/* Read a heaptag report with jansson and check it against the invariants
 * docs/report-format.md promises.
 *
 * A report that breaks them is rejected rather than displayed: a table built from
 * inconsistent numbers would look authoritative and be wrong, which is worse than no table.
 */
#include "report/report.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "infile.h"

struct field {
    const char *key;
    size_t offset;
};

#define TOT(k)                            \
    {                                     \
#k, offsetof(struct ht_totals, k) \
    }
static const struct field totals_fields[] = {
    TOT(alloc_calls),
    TOT(free_calls),
    TOT(bytes_requested),
    TOT(live_bytes),
    TOT(peak_live_bytes),
    TOT(live_usable_bytes),
    TOT(peak_live_usable_bytes),
    TOT(live_blocks),
    TOT(peak_live_blocks),
    TOT(realloc_calls),
    TOT(failed_calls),
    TOT(foreign_free_calls),
};

#define TYP(k)                          \
    {                                   \
#k, offsetof(struct ht_type, k) \
    }
static const struct field type_fields[] = {
    TYP(instances),           TYP(live_instances),
    TYP(peak_live_instances), TYP(alloc_calls),
    TYP(free_calls),          TYP(bytes_requested),
    TYP(live_bytes),          TYP(peak_live_bytes),
    TYP(live_usable_bytes),   TYP(peak_live_usable_bytes),
    TYP(live_blocks),
};

int ht_report_fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* An integer member KEY of OBJ, >= 0 unless SIGNED_OK.  WHERE names the
 * object in messages ("totals", "types[2]"). */
static int get_int(json_t *obj, const char *where, const char *key, int signed_ok, int64_t *out,
                   char *err, size_t errlen)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return ht_report_fail(err, errlen, "missing \"%s%s%s\"", where, *where ? "." : "", key);
    if (!json_is_integer(v))
        return ht_report_fail(err, errlen, "\"%s%s%s\" is not an integer", where, *where ? "." : "",
                              key);
    *out = json_integer_value(v);
    if (*out < 0 && !signed_ok)
        return ht_report_fail(err, errlen, "\"%s%s%s\" is negative (%" PRId64 ")", where,
                              *where ? "." : "", key, *out);
    return 0;
}

static int get_str(json_t *obj, const char *key, char **out, char *err, size_t errlen)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return ht_report_fail(err, errlen, "missing \"%s\"", key);
    if (!json_is_string(v))
        return ht_report_fail(err, errlen, "\"%s\" is not a string", key);
    *out = strdup(json_string_value(v));
    return *out ? 0 : ht_report_fail(err, errlen, "out of memory");
}

static size_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)(h ^ (h >> 32));
}

/* Index every type by name; with duplicates the first one is found. */
static int build_index(struct ht_report *r)
{
    size_t cap = 16;
    while (cap < r->ntypes * 2)
        cap *= 2;
    if (cap != r->index_cap) {
        free(r->index);
        r->index = malloc(cap * sizeof *r->index);
        if (!r->index) {
            r->index_cap = 0;
            return -1;
        }
        r->index_cap = cap;
    }
    memset(r->index, 0, cap * sizeof *r->index);
    for (size_t i = 0; i < r->ntypes; i++) {
        size_t h = name_hash(r->types[i].name) & (cap - 1);
        while (r->index[h]) {
            if (!strcmp(r->types[r->index[h] - 1].name, r->types[i].name))
                break;
            h = (h + 1) & (cap - 1);
        }
        if (!r->index[h])
            r->index[h] = i + 1;
    }
    return 0;
}

static int load_types(json_t *arr, struct ht_report *r, char *err, size_t errlen)
{
    if (!json_is_array(arr))
        return ht_report_fail(err, errlen, "missing or non-array \"types\"");
    r->ntypes = json_array_size(arr);
    r->types = calloc(r->ntypes ? r->ntypes : 1, sizeof *r->types);
    if (!r->types)
        return ht_report_fail(err, errlen, "out of memory");
    for (size_t i = 0; i < r->ntypes; i++) {
        json_t *o = json_array_get(arr, i);
        struct ht_type *t = &r->types[i];
        char where[32];
        snprintf(where, sizeof where, "types[%zu]", i);
        if (!json_is_object(o))
            return ht_report_fail(err, errlen, "\"%s\" is not an object", where);
        /* Any string is a name, "" included: it is what the program
		 * pushed.  Printing it safely is the writers' job (textsafe.h). */
        json_t *name = json_object_get(o, "name");
        if (!json_is_string(name))
            return ht_report_fail(err, errlen, "\"%s.name\" is missing or not a string", where);
        if (!(t->name = strdup(json_string_value(name))))
            return ht_report_fail(err, errlen, "out of memory");
        for (size_t f = 0; f < sizeof type_fields / sizeof *type_fields; f++) {
            int signed_ok = !strcmp(type_fields[f].key, "live_instances");
            if (get_int(o, where, type_fields[f].key, signed_ok,
                        (int64_t *)((char *)t + type_fields[f].offset), err, errlen))
                return -1;
        }
    }
    if (build_index(r) != 0)
        return ht_report_fail(err, errlen, "out of memory");
    for (size_t i = 0; i < r->ntypes; i++)
        if (ht_report_find(r, r->types[i].name) != &r->types[i])
            return ht_report_fail(err, errlen, "type \"%s\" listed twice", r->types[i].name);
    return 0;
}

/* The invariants of docs/report-format.md, plus the ones that follow from
 * them (a type's peak never exceeds the whole program's peak). */
static int check_invariants(const struct ht_report *r, char *err, size_t errlen)
{
    const struct ht_totals *T = &r->totals;
    /* A report read while other threads allocated ("concurrent") may be
	 * off by the operations in flight in these two (docs/report-format.md). */
    if (!r->concurrent && T->alloc_calls - T->free_calls != T->live_blocks)
        return ht_report_fail(err, errlen,
                              "inconsistent report: totals.alloc_calls - free_calls "
                              "(%" PRId64 ") != live_blocks (%" PRId64 ")",
                              T->alloc_calls - T->free_calls, T->live_blocks);
    if (T->live_bytes > T->peak_live_bytes)
        return ht_report_fail(err, errlen,
                              "inconsistent report: totals.live_bytes > peak_live_bytes");
    if (!r->concurrent && T->live_usable_bytes < T->live_bytes)
        return ht_report_fail(err, errlen,
                              "inconsistent report: totals.live_usable_bytes < live_bytes");
    if (T->peak_live_usable_bytes < T->peak_live_bytes)
        return ht_report_fail(
            err, errlen, "inconsistent report: totals.peak_live_usable_bytes < peak_live_bytes");
    if (T->live_blocks > T->peak_live_blocks)
        return ht_report_fail(err, errlen,
                              "inconsistent report: totals.live_blocks > peak_live_blocks");
    if (r->peak_overhead_bytes >= 0 && r->overhead_bytes > r->peak_overhead_bytes)
        return ht_report_fail(err, errlen,
                              "inconsistent report: tracker.overhead_bytes > peak_overhead_bytes");

    struct ht_totals sum = {0};
    for (size_t i = 0; i < r->ntypes; i++) {
        const struct ht_type *t = &r->types[i];
        const char *bad = NULL;
        if (t->live_bytes > t->peak_live_bytes)
            bad = "live_bytes > peak_live_bytes";
        else if (!r->concurrent && t->live_usable_bytes < t->live_bytes)
            bad = "live_usable_bytes < live_bytes";
        else if (t->peak_live_usable_bytes < t->peak_live_bytes)
            bad = "peak_live_usable_bytes < peak_live_bytes";
        else if (t->peak_live_bytes > T->peak_live_bytes)
            bad = "peak_live_bytes > totals.peak_live_bytes";
        else if (t->live_instances > t->peak_live_instances)
            bad = "live_instances > peak_live_instances";
        else if (t->peak_live_instances > t->instances)
            bad = "peak_live_instances > instances";
        if (bad)
            return ht_report_fail(err, errlen, "inconsistent report: type \"%s\": %s", t->name,
                                  bad);
        sum.alloc_calls += t->alloc_calls;
        sum.free_calls += t->free_calls;
        sum.bytes_requested += t->bytes_requested;
        sum.live_bytes += t->live_bytes;
        sum.live_usable_bytes += t->live_usable_bytes;
        sum.live_blocks += t->live_blocks;
    }
#define SUM(k)                                                                 \
    if (sum.k != T->k)                                                         \
    return ht_report_fail(err, errlen,                                         \
                          "inconsistent report: types' " #k " sum to %" PRId64 \
                          ", totals.%s is %" PRId64,                           \
                          sum.k, #k, T->k)
    SUM(alloc_calls);
    SUM(free_calls);
    SUM(bytes_requested);
    SUM(live_bytes);
    SUM(live_usable_bytes);
    SUM(live_blocks);
#undef SUM
    return 0;
}

static int load_doc(json_t *doc, struct ht_report *r, char *err, size_t errlen)
{
    if (!json_is_object(doc))
        return ht_report_fail(err, errlen, "not a heaptag report (the top level is not an object)");
    json_t *format = json_object_get(doc, "format");
    if (!json_is_string(format) || strcmp(json_string_value(format), "heaptag-report"))
        return ht_report_fail(err, errlen,
                              "not a heaptag report (\"format\" is not \"heaptag-report\")");
    json_t *version = json_object_get(doc, "version");
    if (!json_is_integer(version))
        return ht_report_fail(err, errlen, "missing or non-integer \"version\"");
    if (json_integer_value(version) != 1)
        return ht_report_fail(err, errlen,
                              "unsupported report version %" JSON_INTEGER_FORMAT
                              " (this heaptag reads version 1)",
                              json_integer_value(version));
    if (get_str(doc, "program", &r->program, err, errlen) ||
        get_str(doc, "reason", &r->reason, err, errlen) ||
        get_str(doc, "allocator", &r->allocator, err, errlen) ||
        get_int(doc, "", "pid", 0, &r->pid, err, errlen) ||
        get_int(doc, "", "ppid", 0, &r->ppid, err, errlen) ||
        get_int(doc, "", "duration_ms", 0, &r->duration_ms, err, errlen))
        return -1;
    json_t *concurrent = json_object_get(doc, "concurrent");
    if (concurrent && !json_is_boolean(concurrent))
        return ht_report_fail(err, errlen, "\"concurrent\" is not true or false");
    r->concurrent = json_is_true(concurrent);

    json_t *totals = json_object_get(doc, "totals");
    if (!json_is_object(totals))
        return ht_report_fail(err, errlen, "missing or non-object \"totals\"");
    for (size_t f = 0; f < sizeof totals_fields / sizeof *totals_fields; f++)
        if (get_int(totals, "totals", totals_fields[f].key, 0,
                    (int64_t *)((char *)&r->totals + totals_fields[f].offset), err, errlen))
            return -1;
    json_t *tracker = json_object_get(doc, "tracker");
    if (!json_is_object(tracker))
        return ht_report_fail(err, errlen, "missing or non-object \"tracker\"");
    if (get_int(tracker, "tracker", "overhead_bytes", 0, &r->overhead_bytes, err, errlen))
        return -1;
    /* The tracker's own peak is informative only (no figure is computed
	 * from it), and tracker builds that predate it omit it: accept its
	 * absence rather than refuse an otherwise sound report. */
    r->peak_overhead_bytes = -1;
    if (json_object_get(tracker, "peak_overhead_bytes") &&
        get_int(tracker, "tracker", "peak_overhead_bytes", 0, &r->peak_overhead_bytes, err, errlen))
        return -1;
    if (load_types(json_object_get(doc, "types"), r, err, errlen))
        return -1;
    return check_invariants(r, err, errlen);
}

struct ht_report *ht_report_load(const char *path, char *err, size_t errlen)
{
    struct ht_report *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        ht_report_fail(err, errlen, "out of memory");
        return NULL;
    }
    int fd = ht_open_input(path);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
    if (!f) {
        ht_report_fail(err, errlen, "cannot open: %s",
                       errno == ENODEV ? "not a regular file or FIFO" : strerror(errno));
        if (fd >= 0)
            close(fd);
        ht_report_free(r);
        return NULL;
    }
    json_error_t jerr;
    json_t *doc = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    int read_error = ferror(f);
    fclose(f);
    int rc;
    if (read_error)
        rc = ht_report_fail(err, errlen, "read error");
    else if (!doc)
        rc = ht_report_fail(err, errlen, "not valid JSON (line %d, column %d: %s)", jerr.line,
                            jerr.column, jerr.text);
    else
        rc = load_doc(doc, r, err, errlen);
    if (rc) {
        json_decref(doc);
        ht_report_free(r);
        return NULL;
    }
    r->json = doc;
    return r;
}

void ht_report_free(struct ht_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ntypes; i++)
        free(r->types[i].name);
    free(r->types);
    free(r->index);
    free(r->path);
    free(r->program);
    free(r->reason);
    free(r->allocator);
    json_decref(r->json);
    free(r);
}

const struct ht_type *ht_report_find(const struct ht_report *r, const char *name)
{
    if (!r->index_cap) { /* no index (out of memory when sorting) */
        for (size_t i = 0; i < r->ntypes; i++)
            if (!strcmp(r->types[i].name, name))
                return &r->types[i];
        return NULL;
    }
    for (size_t h = name_hash(name) & (r->index_cap - 1); r->index[h];
         h = (h + 1) & (r->index_cap - 1))
        if (!strcmp(r->types[r->index[h] - 1].name, name))
            return &r->types[r->index[h] - 1];
    return NULL;
}

double ht_type_bytes_per_instance(const struct ht_type *t)
{
    if (t->peak_live_instances <= 0)
        return -1;
    return (double)t->peak_live_bytes / (double)t->peak_live_instances;
}

static int by_peak(const void *a, const void *b)
{
    const struct ht_type *x = a, *y = b;
    if (x->peak_live_bytes != y->peak_live_bytes)
        return x->peak_live_bytes > y->peak_live_bytes ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int by_live(const void *a, const void *b)
{
    const struct ht_type *x = a, *y = b;
    if (x->live_bytes != y->live_bytes)
        return x->live_bytes > y->live_bytes ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct ht_type *)a)->name, ((const struct ht_type *)b)->name);
}

void ht_report_sort(struct ht_report *r, enum ht_sort how)
{
    qsort(r->types, r->ntypes, sizeof *r->types,
          how == HT_SORT_NAME   ? by_name
          : how == HT_SORT_LIVE ? by_live
                                : by_peak);
    if (build_index(r) != 0) {
        free(r->index);
        r->index = NULL;
        r->index_cap = 0;
    }
}

int ht_sort_parse(const char *s, enum ht_sort *out)
{
    if (!strcmp(s, "peak"))
        *out = HT_SORT_PEAK;
    else if (!strcmp(s, "live"))
        *out = HT_SORT_LIVE;
    else if (!strcmp(s, "name"))
        *out = HT_SORT_NAME;
    else
        return -1;
    return 0;
}
