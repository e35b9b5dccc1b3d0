/* Expected figures for a report.
 *
 * A test program knows exactly what it allocated after a baseline report it dumped itself,
 * so it states its figures relative to that baseline; whatever libc allocated before
 * (stdio, thread stacks' TLS vectors) cancels out.  Expected-values file syntax, one
 * statement per line, '#' starts a comment:
 *
 *   KEY = VALUE            exact (an integer, or a string)
 *   KEY ~ TEXT             the string value contains TEXT
 *   KEY delta N            baseline's KEY + N (N may be negative)
 *   KEY peak LIVEKEY N     max(baseline's KEY, baseline's LIVEKEY + N): a peak
 *                          after the baseline, N the highest rise of LIVEKEY
 *   KEY range LO HI        LO <= value <= HI
 *   absent-type NAME       no type NAME in the report
 *   types NAME...          the type names are exactly the baseline's plus these
 *
 * KEY is "totals.F", "tracker.F", "types.NAME.F" or a top-level key.
 */
#include "report-check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { EXACT_INT, EXACT_STR, SUBSTR, DELTA, PEAK, RANGE, ABSENT, TYPES };

struct item {
    enum kind kind;
    char *key; /* or the type name for ABSENT */
    char *str; /* EXACT_STR/SUBSTR text, PEAK live key, TYPES names */
    long long a, b;
    char *where; /* origin, for messages */
};

struct rc_expect {
    struct item *items;
    size_t n, cap;
};

struct rc_expect *rc_expect_new(void)
{
    struct rc_expect *e = calloc(1, sizeof *e);
    if (!e) {
        perror("report-check");
        exit(2);
    }
    return e;
}

static struct item *push(struct rc_expect *e, enum kind kind, const char *key, const char *where)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 64;
        e->items = realloc(e->items, e->cap * sizeof *e->items);
        if (!e->items) {
            perror("report-check");
            exit(2);
        }
    }
    struct item *it = &e->items[e->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->key = strdup(key);
    it->where = strdup(where);
    return it;
}

static bool parse_ll(const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return false;
    *out = v;
    return true;
}

bool rc_expect_add_cli(struct rc_expect *e, const char *arg)
{
    const char *eq = strpbrk(arg, "=~");
    if (!eq || eq == arg)
        return false;
    char key[512];
    snprintf(key, sizeof key, "%.*s", (int)(eq - arg), arg);
    long long v;
    struct item *it;
    if (*eq == '~') {
        it = push(e, SUBSTR, key, "--expect");
        it->str = strdup(eq + 1);
    } else if (parse_ll(eq + 1, &v)) {
        it = push(e, EXACT_INT, key, "--expect");
        it->a = v;
    } else {
        it = push(e, EXACT_STR, key, "--expect");
        it->str = strdup(eq + 1);
    }
    return true;
}

bool rc_expect_add_absent_type(struct rc_expect *e, const char *name)
{
    push(e, ABSENT, name, "--absent-type");
    return true;
}

bool rc_expect_add_line(struct rc_expect *e, const char *line, const char *where)
{
    char buf[4096], *tok[64], *save;
    size_t n = 0;
    snprintf(buf, sizeof buf, "%s", line);
    char *hash = strchr(buf, '#');
    if (hash)
        *hash = 0;
    for (char *t = strtok_r(buf, " \t\r\n", &save); t && n < 64;
         t = strtok_r(NULL, " \t\r\n", &save))
        tok[n++] = t;
    if (n == 0)
        return true;
    struct item *it;
    if (strcmp(tok[0], "absent-type") == 0 && n == 2) {
        push(e, ABSENT, tok[1], where);
        return true;
    }
    if (strcmp(tok[0], "types") == 0) {
        /* "\nA\nB\n": a name is listed when "\nNAME\n" occurs */
        size_t len = 2;
        for (size_t i = 1; i < n; i++)
            len += strlen(tok[i]) + 1;
        it = push(e, TYPES, "types", where);
        it->str = calloc(1, len);
        strcpy(it->str, "\n");
        for (size_t i = 1; i < n; i++) {
            strcat(it->str, tok[i]);
            strcat(it->str, "\n");
        }
        return true;
    }
    if (n == 3 && strcmp(tok[1], "=") == 0) {
        long long v;
        if (parse_ll(tok[2], &v)) {
            it = push(e, EXACT_INT, tok[0], where);
            it->a = v;
        } else {
            it = push(e, EXACT_STR, tok[0], where);
            it->str = strdup(tok[2]);
        }
        return true;
    }
    if (n == 3 && strcmp(tok[1], "~") == 0) {
        it = push(e, SUBSTR, tok[0], where);
        it->str = strdup(tok[2]);
        return true;
    }
    long long a, b;
    if (n == 3 && strcmp(tok[1], "delta") == 0 && parse_ll(tok[2], &a)) {
        it = push(e, DELTA, tok[0], where);
        it->a = a;
        return true;
    }
    if (n == 4 && strcmp(tok[1], "peak") == 0 && parse_ll(tok[3], &a)) {
        it = push(e, PEAK, tok[0], where);
        it->str = strdup(tok[2]);
        it->a = a;
        return true;
    }
    if (n == 4 && strcmp(tok[1], "range") == 0 && parse_ll(tok[2], &a) && parse_ll(tok[3], &b)) {
        it = push(e, RANGE, tok[0], where);
        it->a = a;
        it->b = b;
        return true;
    }
    return false;
}

static json_t *find_type(json_t *report, const char *name)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(report, "types"), i, t)
    {
        json_t *n = json_object_get(t, "name");
        if (json_is_string(n) && strcmp(json_string_value(n), name) == 0)
            return t;
    }
    return NULL;
}

json_t *rc_lookup(json_t *report, const char *key)
{
    if (strncmp(key, "totals.", 7) == 0)
        return json_object_get(json_object_get(report, "totals"), key + 7);
    if (strncmp(key, "tracker.", 8) == 0)
        return json_object_get(json_object_get(report, "tracker"), key + 8);
    if (strncmp(key, "types.", 6) == 0) {
        const char *dot = strrchr(key, '.');
        if (dot <= key + 6)
            return NULL;
        char name[512];
        snprintf(name, sizeof name, "%.*s", (int)(dot - (key + 6)), key + 6);
        return json_object_get(find_type(report, name), dot + 1);
    }
    return json_object_get(report, key);
}

long long rc_baseline_int(json_t *baseline, const char *key)
{
    json_t *v = baseline ? rc_lookup(baseline, key) : NULL;
    return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* Is every type of the report in the expected set and vice versa? */
static void check_type_set(const struct item *it, const char *file, json_t *report,
                           json_t *baseline)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(report, "types"), i, t)
    {
        const char *name = json_string_value(json_object_get(t, "name"));
        if (!name)
            continue;
        char line[600];
        snprintf(line, sizeof line, "\n%s\n", name);
        if (!strstr(it->str, line) && !(baseline && find_type(baseline, name)))
            rc_fail(file, "types: unexpected type %s (%s)", name, it->where);
    }
    char *names = strdup(it->str), *save;
    for (char *n = strtok_r(names, "\n", &save); n; n = strtok_r(NULL, "\n", &save))
        if (!find_type(report, n))
            rc_fail(file, "types: expected type %s missing (%s)", n, it->where);
    json_array_foreach(json_object_get(baseline, "types"), i, t)
    {
        const char *name = json_string_value(json_object_get(t, "name"));
        if (name && !find_type(report, name))
            rc_fail(file, "types: baseline type %s missing (%s)", name, it->where);
    }
    free(names);
}

void rc_expect_check(const struct rc_expect *e, const char *file, json_t *report, json_t *baseline)
{
    for (size_t i = 0; i < e->n; i++) {
        const struct item *it = &e->items[i];
        if (it->kind == ABSENT) {
            if (find_type(report, it->key))
                rc_fail(file, "types: type %s present, expected absent (%s)", it->key, it->where);
            continue;
        }
        if (it->kind == TYPES) {
            check_type_set(it, file, report, baseline);
            continue;
        }
        json_t *v = rc_lookup(report, it->key);
        if (it->kind == EXACT_STR || it->kind == SUBSTR) {
            const char *s = json_string_value(v);
            if (!s)
                rc_fail(file, "%s: missing or not a string (%s)", it->key, it->where);
            else if (it->kind == EXACT_STR && strcmp(s, it->str) != 0)
                rc_fail(file, "%s: expected \"%s\", got \"%s\" (%s)", it->key, it->str, s,
                        it->where);
            else if (it->kind == SUBSTR && !strstr(s, it->str))
                rc_fail(file, "%s: expected to contain \"%s\", got \"%s\" (%s)", it->key, it->str,
                        s, it->where);
            continue;
        }
        if (!json_is_integer(v)) {
            rc_fail(file, "%s: missing or not an integer (%s)", it->key, it->where);
            continue;
        }
        long long got = json_integer_value(v), want = 0;
        switch (it->kind) {
        case EXACT_INT: want = it->a; break;
        case DELTA: want = rc_baseline_int(baseline, it->key) + it->a; break;
        case PEAK: {
            long long old_peak = rc_baseline_int(baseline, it->key);
            long long rise = rc_baseline_int(baseline, it->str) + it->a;
            want = old_peak > rise ? old_peak : rise;
            break;
        }
        case RANGE:
            if (got < it->a || got > it->b)
                rc_fail(file, "%s: expected in [%lld, %lld], got %lld (%s)", it->key, it->a, it->b,
                        got, it->where);
            continue;
        default: continue;
        }
        if (got != want)
            rc_fail(file, "%s: expected %lld, got %lld (%s)", it->key, want, got, it->where);
    }
}
