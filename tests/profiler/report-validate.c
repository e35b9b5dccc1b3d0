/* Schema and invariant checks for one heaptag report (format version 1).
 *
 * Every check that fails prints its own line, so one run shows all that is wrong with a
 * report instead of the first problem only.
 */
#include "report-check.h"

#include <string.h>

static const char *const count_keys[] = {
    "alloc_calls",     "free_calls",        "bytes_requested",        "live_bytes",
    "peak_live_bytes", "live_usable_bytes", "peak_live_usable_bytes", "live_blocks",
};
#define N_COUNT_KEYS (sizeof count_keys / sizeof count_keys[0])

static const char *const totals_only_keys[] = {
    "peak_live_blocks",
    "realloc_calls",
    "failed_calls",
    "foreign_free_calls",
};

/* Keys whose per-type values must add up to the total. */
static const char *const summed_keys[] = {
    "alloc_calls", "free_calls",        "bytes_requested",
    "live_bytes",  "live_usable_bytes", "live_blocks",
};

static const char *const reasons[] = {
    "exit", "_exit", "dump", "sigusr2", "sigterm", "sigint",
};

/* A non-negative integer member, or -1 after reporting why it is not. */
static long long get_count(const char *file, json_t *obj, const char *where, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v)) {
        rc_fail(file, "%s.%s: missing or not an integer", where, key);
        return -1;
    }
    long long n = json_integer_value(v);
    if (n < 0) {
        rc_fail(file, "%s.%s: negative (%lld)", where, key, n);
        return -1;
    }
    return n;
}

static void check_le(const char *file, const char *where, const char *a, long long av,
                     const char *b, long long bv)
{
    if (av >= 0 && bv >= 0 && av > bv)
        rc_fail(file, "%s: %s (%lld) > %s (%lld)", where, a, av, b, bv);
}

/* Per type, retag moves live blocks without their alloc_calls and
 * bytes_requested, so "live <= requested" and "frees <= allocs" hold only for
 * the totals. */
long long rc_in_flight;

static void check_counts(const char *file, json_t *obj, const char *where, bool is_totals)
{
    long long v[N_COUNT_KEYS];
    for (size_t i = 0; i < N_COUNT_KEYS; i++)
        v[i] = get_count(file, obj, where, count_keys[i]);
    /* indexes as in count_keys */
    check_le(file, where, "live_bytes", v[3], "peak_live_bytes", v[4]);
    check_le(file, where, "live_usable_bytes", v[5], "peak_live_usable_bytes", v[6]);
    if (!rc_in_flight)
        check_le(file, where, "live_bytes", v[3], "live_usable_bytes", v[5]);
    check_le(file, where, "peak_live_bytes", v[4], "peak_live_usable_bytes", v[6]);
    if (is_totals) {
        check_le(file, where, "live_bytes", v[3], "bytes_requested", v[2]);
        check_le(file, where, "free_calls", v[1], "alloc_calls", v[0]);
    }
}

static void check_top(const char *file, json_t *r)
{
    json_t *v = json_object_get(r, "program");
    if (!json_is_string(v) || json_string_length(v) == 0)
        rc_fail(file, "program: missing or not a non-empty string");
    for (const char *const *k = (const char *const[]){"pid", "ppid", NULL}; *k; k++) {
        v = json_object_get(r, *k);
        if (!json_is_integer(v) || json_integer_value(v) <= 0)
            rc_fail(file, "%s: missing or not a positive integer", *k);
    }
    v = json_object_get(r, "reason");
    bool known = false;
    for (size_t i = 0; json_is_string(v) && i < sizeof reasons / sizeof reasons[0]; i++)
        known |= strcmp(json_string_value(v), reasons[i]) == 0;
    if (!known)
        rc_fail(file, "reason: missing or not one of exit/_exit/dump/sigusr2/sigterm/sigint");
    (void)get_count(file, r, "(top)", "duration_ms");
    v = json_object_get(r, "concurrent");
    if (!json_is_boolean(v))
        rc_fail(file, "concurrent: missing or not true/false");
    v = json_object_get(r, "allocator");
    if (!json_is_string(v) || json_string_length(v) == 0)
        rc_fail(file, "allocator: missing or not a non-empty string");
}

static void check_tracker(const char *file, json_t *r)
{
    json_t *t = json_object_get(r, "tracker");
    if (!json_is_object(t)) {
        rc_fail(file, "tracker: missing or not an object");
        return;
    }
    long long now = get_count(file, t, "tracker", "overhead_bytes");
    /* The other tracker keys changed while the format settled; check the
     * ones present and that nothing there is negative or non-integer. */
    const char *key;
    json_t *val;
    json_object_foreach(t, key, val)(void) get_count(file, t, "tracker", key);
    if (json_object_get(t, "peak_overhead_bytes"))
        check_le(file, "tracker", "overhead_bytes", now, "peak_overhead_bytes",
                 json_integer_value(json_object_get(t, "peak_overhead_bytes")));
}

static void check_totals(const char *file, json_t *totals)
{
    check_counts(file, totals, "totals", true);
    long long extra[4];
    for (size_t i = 0; i < 4; i++)
        extra[i] = get_count(file, totals, "totals", totals_only_keys[i]);
    long long alloc = json_integer_value(json_object_get(totals, "alloc_calls"));
    long long freed = json_integer_value(json_object_get(totals, "free_calls"));
    long long blocks = json_integer_value(json_object_get(totals, "live_blocks"));
    long long off = alloc - freed - blocks;
    if (off < -rc_in_flight || off > rc_in_flight)
        rc_fail(file, "totals: alloc_calls - free_calls (%lld - %lld) != live_blocks (%lld)", alloc,
                freed, blocks);
    check_le(file, "totals", "live_blocks", blocks, "peak_live_blocks", extra[0]);
}

static void check_types(const char *file, json_t *types, json_t *totals)
{
    long long sums[sizeof summed_keys / sizeof summed_keys[0]] = {0};
    long long max_peak = 0, sum_peak = 0;
    const char *prev_name = NULL;
    long long prev_peak = -1;
    size_t i;
    json_t *t;

    json_array_foreach(types, i, t)
    {
        char where[300];
        json_t *name = json_object_get(t, "name");
        if (!json_is_string(name) || json_string_length(name) == 0) {
            rc_fail(file, "types[%zu].name: missing or empty", i);
            continue;
        }
        const char *n = json_string_value(name);
        snprintf(where, sizeof where, "types.%s", n);
        for (size_t j = 0; j < i; j++)
            if (strcmp(json_string_value(json_object_get(json_array_get(types, j), "name")) ?: "",
                       n) == 0)
                rc_fail(file, "%s: listed twice", where);
        check_counts(file, t, where, false);
        long long inst = get_count(file, t, where, "instances");
        long long live_inst = get_count(file, t, where, "live_instances");
        long long peak_inst = get_count(file, t, where, "peak_live_instances");
        check_le(file, where, "live_instances", live_inst, "peak_live_instances", peak_inst);
        check_le(file, where, "peak_live_instances", peak_inst, "instances", inst);

        for (size_t k = 0; k < sizeof summed_keys / sizeof summed_keys[0]; k++)
            sums[k] += json_integer_value(json_object_get(t, summed_keys[k]));
        long long peak = json_integer_value(json_object_get(t, "peak_live_bytes"));
        if (peak > max_peak)
            max_peak = peak;
        sum_peak += peak;
        /* Sorted by descending peak_live_bytes, ties by name. */
        if (prev_name && (peak > prev_peak || (peak == prev_peak && strcmp(prev_name, n) > 0)))
            rc_fail(file, "types: %s (peak %lld) listed after %s (peak %lld): not sorted", n, peak,
                    prev_name, prev_peak);
        prev_name = n;
        prev_peak = peak;
    }
    for (size_t k = 0; k < sizeof summed_keys / sizeof summed_keys[0]; k++) {
        long long total = json_integer_value(json_object_get(totals, summed_keys[k]));
        if (sums[k] != total)
            rc_fail(file, "types: sum of %s (%lld) != totals.%s (%lld)", summed_keys[k], sums[k],
                    summed_keys[k], total);
    }
    /* At the moment a type peaked the total was at least that high, and the
     * total can never exceed every type at its own peak at once. */
    long long total_peak = json_integer_value(json_object_get(totals, "peak_live_bytes"));
    check_le(file, "totals", "largest type peak_live_bytes", max_peak, "peak_live_bytes",
             total_peak);
    check_le(file, "totals", "peak_live_bytes", total_peak, "sum of type peak_live_bytes",
             sum_peak);
}

bool rc_validate(const char *file, json_t *r)
{
    if (!json_is_object(r)) {
        rc_fail(file, "not a JSON object");
        return false;
    }
    json_t *v = json_object_get(r, "format");
    if (!json_is_string(v) || strcmp(json_string_value(v), "heaptag-report") != 0) {
        rc_fail(file, "format: not \"heaptag-report\"");
        return false;
    }
    v = json_object_get(r, "version");
    if (!json_is_integer(v) || json_integer_value(v) != 1) {
        rc_fail(file, "version: not 1");
        return false;
    }
    check_top(file, r);
    check_tracker(file, r);
    json_t *totals = json_object_get(r, "totals");
    json_t *types = json_object_get(r, "types");
    if (!json_is_object(totals)) {
        rc_fail(file, "totals: missing or not an object");
        return false;
    }
    if (!json_is_array(types)) {
        rc_fail(file, "types: missing or not an array");
        return false;
    }
    check_totals(file, totals);
    check_types(file, types, totals);
    return true;
}
