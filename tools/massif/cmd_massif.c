/* heaptag massif [--top N] [--keep DIR] [--label A] -- CMD_A... [--- [--label B] --
 * CMD_B...] heaptag massif [--top N] --parse FILE [FILE_B]
 *
 * Runs each command under `valgrind --tool=massif` and again with
 * libheaptag.so preloaded, then prints massif's peak heap, the extra heap
 * massif charged at the peak and the functions holding the most heap at the
 * peak, with the change from A to B; then heaptag's peak_live_bytes beside
 * massif's peak mem_heap_B.  Both count requested bytes, so for a
 * deterministic program they must agree; the table prints the difference
 * rather than hiding it.  --parse summarizes massif.out files already made.
 *
 * Every failure (no valgrind, no libheaptag.so, a command that cannot run or
 * exits non-zero, a corrupt massif.out, a bad heaptag report) is one line on
 * stderr and exit status 2.
 */
#include "massif/cmd_massif.h"
#include "units.h"
#include "massif/massif_parse.h"
#include "massif/massif_run.h"
#include "report/report.h"
#include "json_out.h"
#include "launch.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_BAD 2

struct side {
    const char *label;
    char **argv;             /* NULL in --parse mode */
    const char *massif_file; /* --parse mode: the file given */
    struct massif_profile prof;
    struct ht_report *report; /* NULL in --parse mode */
};

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("heaptag: massif: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_BAD;
}

static void usage(FILE *f)
{
    fputs("usage: heaptag massif [--top N] [--keep DIR] [--label A] -- CMD_A... "
          "[--- [--label B] -- CMD_B...]\n"
          "       heaptag massif [--top N] [--format json] --parse MASSIF_OUT [MASSIF_OUT_B]\n"
          "Run each command under valgrind's massif and under heaptag; print peak heap,\n"
          "extra heap at the peak, the top functions at the peak (with the change A->B),\n"
          "and heaptag's peak_live_bytes beside massif's peak mem_heap_B.\n"
          "  --top N      functions to list (default 10)\n"
          "  --keep DIR   keep massif.out files, logs and heaptag reports in DIR\n"
          "  --label L    name of the command that follows (default A, B)\n"
          "  --format F   table (default) or json: each side's massif peak, top\n"
          "               functions and (when run) heaptag's peak, as one document\n"
          "  HEAPTAG_LIB  libheaptag.so to preload (default: ../lib beside heaptag)\n",
          f);
}

static int load_massif(struct side *s, const char *path)
{
    size_t len;
    char *buf = massif_read_file(path, &len);
    if (buf == NULL)
        return fail("cannot read %s: %s", path,
                    errno == ENODEV ? "not a regular file or FIFO" : strerror(errno));
    char err[256];
    int rc = massif_parse(buf, len, &s->prof, err, sizeof err);
    free(buf);
    if (rc < 0)
        return fail("%s: %s", path, err);
    return 0;
}

/* "+1234 (+5.6%)" for the change from a to b. */
static void fmt_change(char *out, size_t n, uint64_t a, uint64_t b)
{
    long long d = (long long)b - (long long)a;
    if (a == 0)
        snprintf(out, n, "%+lld (%s)", d, b == 0 ? "0%" : "new");
    else
        snprintf(out, n, "%+lld (%+.1f%%)", d, 100.0 * (double)d / (double)a);
}

static void print_row(const char *name, const struct side *sides, int nsides, const uint64_t *v)
{
    printf("  %-36s", name);
    for (int i = 0; i < nsides; i++)
        printf(" %14llu", (unsigned long long)v[i]);
    if (nsides == 2) {
        char ch[64];
        fmt_change(ch, sizeof ch, v[0], v[1]);
        printf("  %s", ch);
    }
    (void)sides;
    putchar('\n');
}

static void print_header(const char *title, const struct side *sides, int nsides)
{
    printf("%-38s", title);
    for (int i = 0; i < nsides; i++)
        printf(" %14.14s", sides[i].label);
    if (nsides == 2)
        printf("  change");
    putchar('\n');
}

static const struct massif_snapshot *max_snap(const struct massif_profile *p)
{
    return p->max_snapshot >= 0 ? &p->snapshots[p->max_snapshot] : NULL;
}

static void print_massif_table(const struct side *sides, int nsides)
{
    uint64_t v[2] = {0, 0};
    print_header("massif", sides, nsides);
    for (int i = 0; i < nsides; i++)
        v[i] = massif_peak_heap(&sides[i].prof);
    print_row("peak heap (requested bytes)", sides, nsides, v);
    for (int i = 0; i < nsides; i++) {
        const struct massif_snapshot *s = max_snap(&sides[i].prof);
        v[i] = s ? s->heap_extra : 0;
    }
    print_row("extra heap at peak (bytes)", sides, nsides, v);
    for (int i = 0; i < nsides; i++) {
        const struct massif_snapshot *s = max_snap(&sides[i].prof);
        v[i] = s ? s->heap + s->heap_extra + s->stacks : 0;
    }
    print_row("heap + extra + stacks at peak", sides, nsides, v);
    for (int i = 0; i < nsides; i++)
        v[i] = (uint64_t)sides[i].prof.nsnapshots;
    print_row("snapshots", sides, nsides, v);
}

struct fn_row {
    const char *fn, *where;
    uint64_t bytes[2];
};

static int cmp_fn_row(const void *a, const void *b)
{
    const struct fn_row *x = a, *y = b;
    uint64_t mx = x->bytes[0] > x->bytes[1] ? x->bytes[0] : x->bytes[1];
    uint64_t my = y->bytes[0] > y->bytes[1] ? y->bytes[0] : y->bytes[1];
    if (mx != my)
        return mx < my ? 1 : -1;
    return strcmp(x->fn, y->fn);
}

/* The top functions at each side's peak, matched by name across sides and
** ordered by the larger of their two byte counts. */
static int print_top_functions(const struct side *sides, int nsides, int top)
{
    struct massif_fn_total *fns[2] = {NULL, NULL};
    int nfns[2] = {0, 0};
    for (int i = 0; i < nsides; i++) {
        nfns[i] = massif_peak_functions(&sides[i].prof, &fns[i], NULL);
        if (nfns[i] < 0)
            nfns[i] = 0;
    }
    size_t cap = (size_t)nfns[0] + (size_t)nfns[1] + 1;
    struct fn_row *rows = calloc(cap, sizeof *rows);
    if (rows == NULL) {
        free(fns[0]), free(fns[1]);
        return fail("out of memory");
    }
    size_t nrows = 0;
    for (int i = 0; i < nsides; i++) {
        for (int j = 0; j < nfns[i]; j++) {
            size_t k;
            for (k = 0; k < nrows; k++)
                if (strcmp(rows[k].fn, fns[i][j].fn) == 0)
                    break;
            if (k == nrows) {
                rows[k].fn = fns[i][j].fn;
                rows[k].where = fns[i][j].where;
                nrows++;
            }
            rows[k].bytes[i] += fns[i][j].bytes;
        }
    }
    qsort(rows, nrows, sizeof *rows, cmp_fn_row);
    /* numbers first: function names (C++ signatures, library paths) are
    ** too long for a column */
    printf("\ntop functions at the peak (bytes)\n ");
    for (int i = 0; i < nsides; i++)
        printf(" %14.14s", sides[i].label);
    printf("%s  function\n", nsides == 2 ? "  change              " : "");
    if (nrows == 0)
        printf("  (no heap tree at the peak)\n");
    for (size_t k = 0; k < nrows && (int)k < top; k++) {
        if (rows[k].bytes[0] == 0 && rows[k].bytes[1] == 0)
            continue; /* an empty below-threshold summary */
        putchar(' ');
        for (int i = 0; i < nsides; i++)
            printf(" %14llu", (unsigned long long)rows[k].bytes[i]);
        if (nsides == 2) {
            char ch[64];
            fmt_change(ch, sizeof ch, rows[k].bytes[0], rows[k].bytes[1]);
            printf("  %-20s", ch);
        }
        if (rows[k].where[0])
            printf("  %s (%s)\n", rows[k].fn, rows[k].where);
        else
            printf("  %s\n", rows[k].fn);
    }
    free(rows);
    free(fns[0]);
    free(fns[1]);
    return 0;
}

/* heaptag against massif.  Both count the bytes the program requested, so
** their peaks agree for a deterministic program; the usable-minus-requested
** slack heaptag measures (malloc_usable_size) and massif's "extra heap"
** (its own estimate: a header word plus rounding to 16 bytes per block) are
** two views of allocator overhead and differ by design. */
static void print_heaptag_table(const struct side *sides, int nsides)
{
    uint64_t v[2] = {0, 0};
    printf("\n");
    print_header("heaptag vs massif at the peak", sides, nsides);
    for (int i = 0; i < nsides; i++)
        v[i] = (uint64_t)sides[i].report->totals.peak_live_bytes;
    print_row("heaptag peak_live_bytes", sides, nsides, v);
    for (int i = 0; i < nsides; i++)
        v[i] = massif_peak_heap(&sides[i].prof);
    print_row("massif peak mem_heap_B", sides, nsides, v);
    printf("  %-36s", "difference (heaptag - massif)");
    for (int i = 0; i < nsides; i++) {
        long long d = (long long)sides[i].report->totals.peak_live_bytes -
                      (long long)massif_peak_heap(&sides[i].prof);
        printf(" %+14lld", d);
    }
    putchar('\n');
    for (int i = 0; i < nsides; i++)
        v[i] = (uint64_t)(sides[i].report->totals.peak_live_usable_bytes -
                          sides[i].report->totals.peak_live_bytes);
    print_row("heaptag usable - requested at peak", sides, nsides, v);
    for (int i = 0; i < nsides; i++) {
        const struct massif_snapshot *s = max_snap(&sides[i].prof);
        v[i] = s ? s->heap_extra : 0;
    }
    print_row("massif extra heap at peak", sides, nsides, v);
    for (int i = 0; i < nsides; i++)
        v[i] = (uint64_t)sides[i].report->totals.alloc_calls;
    print_row("heaptag alloc_calls", sides, nsides, v);
    printf("(both peaks count requested bytes; a difference means the run\n"
           " allocated differently under valgrind, whose malloc replaces the\n"
           " program's. usable - requested is what glibc's malloc_usable_size\n"
           " gives beyond each request; massif's extra heap is valgrind's own\n"
           " estimate of header and alignment bytes, not glibc's.)\n");
}

static void print_commands(const struct side *sides, int nsides)
{
    for (int i = 0; i < nsides; i++) {
        printf("%s: ", sides[i].label);
        if (sides[i].argv) {
            for (char **a = sides[i].argv; *a; a++)
                printf("%s%s", a == sides[i].argv ? "" : " ", *a);
        } else {
            printf("%s (cmd: %s)", sides[i].massif_file, sides[i].prof.cmd);
        }
        putchar('\n');
    }
    putchar('\n');
}

/* Remove what we left in a temporary directory we created, then it. */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[PATH_MAX + 256];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Massif first for every side, then heaptag: a command that fails is
** reported before any time is spent on the other tool. */
static int run_massif_side(struct side *s, int idx, const char *valgrind, const char *dir)
{
    char out[PATH_MAX + 64], log[PATH_MAX + 64], err[1024];
    const char *tag = idx == 0 ? "A" : "B";
    snprintf(out, sizeof out, "%s/massif.%s.out", dir, tag);
    snprintf(log, sizeof log, "%s/massif.%s.log", dir, tag);
    if (massif_run_valgrind(valgrind, s->argv, out, log, err, sizeof err) < 0)
        return fail("%s", err);
    return load_massif(s, out);
}

static int run_heaptag_side(struct side *s, int idx, const char *lib, const char *dir)
{
    char log[PATH_MAX + 64], report[PATH_MAX + 64], err[1024];
    snprintf(log, sizeof log, "%s/heaptag.%s.log", dir, idx == 0 ? "A" : "B");
    if (massif_run_heaptag(lib, s->argv, dir, log, report, sizeof report, err, sizeof err) < 0)
        return fail("%s", err);
    s->report = ht_report_load(report, err, sizeof err);
    if (s->report == NULL)
        return fail("%s: %s", report, err);
    return 0;
}

static bool is_opt(const char *a, const char *name, const char **val, char **argv, int argc, int *i)
{
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return false;
    if (a[n] == '=') {
        *val = a + n + 1;
        return true;
    }
    if (a[n] != '\0')
        return false;
    *val = *i + 1 < argc ? argv[++*i] : NULL;
    return true;
}

/* One side as JSON: the massif figures the table shows (the peak is the
** largest mem_heap_B, as massif_peak_heap says), and heaptag's when it ran. */
static json_t *side_json(const struct side *s, int top)
{
    const struct massif_snapshot *pk = max_snap(&s->prof);
    json_t *fns = json_array();
    struct massif_fn_total *t = NULL;
    int n = massif_peak_functions(&s->prof, &t, NULL);
    for (int k = 0; k < n && k < top; k++)
        json_array_append_new(fns, json_pack("{s:s, s:s, s:I}", "function", t[k].fn, "where",
                                             t[k].where, "bytes", (json_int_t)t[k].bytes));
    free(t);
    json_t *j = json_pack("{s:s, s:s?, s:s?, s:i, s:{s:i, s:I, s:I, s:I}, s:o}", "label", s->label,
                          "massif_file", s->massif_file, "command", s->prof.cmd, "snapshots",
                          s->prof.nsnapshots, "peak", "snapshot", s->prof.max_snapshot, "heap_B",
                          (json_int_t)massif_peak_heap(&s->prof), "heap_extra_B",
                          (json_int_t)(pk ? pk->heap_extra : 0), "stacks_B",
                          (json_int_t)(pk ? pk->stacks : 0), "top_functions", fns);
    if (j && s->report)
        json_object_set_new(j, "heaptag",
                            json_pack("{s:I, s:I, s:I}", "peak_live_bytes",
                                      (json_int_t)s->report->totals.peak_live_bytes,
                                      "peak_live_usable_bytes",
                                      (json_int_t)s->report->totals.peak_live_usable_bytes,
                                      "alloc_calls", (json_int_t)s->report->totals.alloc_calls));
    return j;
}

/* Everything the command shows, as a table or one JSON document. */
static int print_results(const struct side *sides, int nsides, int top, bool json)
{
    if (json) {
        json_t *runs = json_array();
        for (int i = 0; i < nsides; i++)
            json_array_append_new(runs, side_json(&sides[i], top));
        if (ht_json_emit(json_pack("{s:s, s:i, s:o}", "format", "heaptag-massif", "version", 1,
                                   "runs", runs),
                         stdout) != 0 ||
            fflush(stdout) != 0)
            return fail("cannot write the JSON document");
        return 0;
    }
    print_commands(sides, nsides);
    print_massif_table(sides, nsides);
    int rc = print_top_functions(sides, nsides, top);
    if (rc == 0 && sides[0].report)
        print_heaptag_table(sides, nsides);
    return rc;
}

struct massif_opts {
    struct side sides[2];
    int nsides, top;
    bool json;
    const char *keep;
    const char *parse[2];
    int nparse;
};

/* The options before "--".  -1 when good, with *next at the first argument
** after them; else the exit status to return (0 for --help). */
static int parse_options(int argc, char **argv, struct massif_opts *o, int *next)
{
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i], *val;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "--") == 0)
            break;
        if (is_opt(a, "--top", &val, argv, argc, &i)) {
            long t;
            if (!val || ht_parse_count(val, 1, 100000, &t) != 0)
                return fail("--top needs a positive number (see 'heaptag massif --help')");
            o->top = (int)t;
        } else if (is_opt(a, "--keep", &val, argv, argc, &i)) {
            if (!val || !*val)
                return fail("--keep needs a directory (see 'heaptag massif --help')");
            o->keep = val;
        } else if (is_opt(a, "--label", &val, argv, argc, &i)) {
            if (!val)
                return fail("--label needs a name (see 'heaptag massif --help')");
            o->sides[0].label = val;
        } else if (is_opt(a, "--format", &val, argv, argc, &i)) {
            if (!val || (strcmp(val, "table") != 0 && strcmp(val, "json") != 0))
                return fail("--format takes table or json (see 'heaptag massif --help')");
            o->json = strcmp(val, "json") == 0;
        } else if (is_opt(a, "--parse", &val, argv, argc, &i)) {
            if (!val)
                return fail("--parse needs a massif.out file (see 'heaptag massif --help')");
            o->parse[o->nparse++] = val;
            if (i + 1 < argc && argv[i + 1][0] != '-') {
                o->parse[o->nparse++] = argv[++i];
            }
        } else {
            return fail("unknown option '%s' (see 'heaptag massif --help')", a);
        }
    }
    *next = i;
    return -1;
}

/* "-- CMD_A [--- [--label B] [--] CMD_B]" from argv[i]: argv is split in
** place at "---".  -1 when good, else the exit status to return. */
static int split_commands(int argc, char **argv, int i, struct massif_opts *o)
{
    if (i >= argc || i + 1 >= argc || strcmp(argv[i + 1], "---") == 0)
        return fail("no command given (see 'heaptag massif --help')");
    o->sides[0].argv = &argv[i + 1];
    o->nsides = 1;
    for (int j = i + 1; j < argc; j++) {
        if (strcmp(argv[j], "---") != 0)
            continue;
        argv[j] = NULL;
        int k = j + 1;
        const char *val;
        if (k < argc && is_opt(argv[k], "--label", &val, argv, argc, &k)) {
            if (!val)
                return fail("--label needs a name (see 'heaptag massif --help')");
            o->sides[1].label = val;
            k++;
        }
        if (k < argc && strcmp(argv[k], "--") == 0)
            k++;
        if (k >= argc)
            return fail("no command after '---' (see 'heaptag massif --help')");
        o->sides[1].argv = &argv[k];
        o->nsides = 2;
        break;
    }
    return -1;
}

/* --parse: summarize massif.out files already made. */
static int parse_files(struct massif_opts *o)
{
    struct side *sides = o->sides;
    int nparse = o->nparse;
    for (int k = 0; k < nparse; k++) {
        sides[k].massif_file = o->parse[k];
        if (load_massif(&sides[k], o->parse[k]) != 0) {
            for (int j = 0; j < k; j++)
                massif_profile_free(&sides[j].prof);
            return EXIT_BAD;
        }
    }
    if (nparse == 1 && sides[0].label[0] == 'A' && sides[0].label[1] == '\0')
        sides[0].label = "massif.out";
    int rc = print_results(sides, nparse, o->top, o->json);
    for (int k = 0; k < nparse; k++)
        massif_profile_free(&sides[k].prof);
    return rc;
}

/* The directory for massif.out files, logs and reports: --keep's, or a new
** temporary one (*temp set).  0, or the exit status after a message. */
static int work_dir(const char *keep, char *dir, size_t dirlen, bool *temp)
{
    *temp = keep == NULL;
    if (keep) {
        if (mkdir(keep, 0700) != 0 && errno != EEXIST)
            return fail("cannot create %s: %s", keep, strerror(errno));
        snprintf(dir, dirlen, "%s", keep);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, dirlen, "%s/heaptag-massif.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (mkdtemp(dir) == NULL)
            return fail("cannot create a temporary directory: %s", strerror(errno));
    }
    return 0;
}

/* Run every side under massif, then under heaptag, and show both. */
static int run_commands(struct massif_opts *o)
{
    char *valgrind = massif_find_valgrind();
    if (valgrind == NULL)
        return fail("valgrind not found in PATH (install the valgrind package)");
    char tried[PATH_MAX + 32];
    char *lib = ht_find_tracker(tried, sizeof tried);
    if (lib == NULL) {
        free(valgrind);
        if (!tried[0])
            return fail("cannot locate the heaptag binary (/proc/self/exe); set HEAPTAG_LIB");
        return fail("libheaptag.so not found at %s (set HEAPTAG_LIB)", tried);
    }
    char dir[PATH_MAX];
    bool temp;
    int rc = work_dir(o->keep, dir, sizeof dir, &temp);
    if (rc != 0) {
        free(valgrind), free(lib);
        return rc;
    }
    struct side *sides = o->sides;
    for (int k = 0; k < o->nsides && rc == 0; k++)
        rc = run_massif_side(&sides[k], k, valgrind, dir);
    for (int k = 0; k < o->nsides && rc == 0; k++)
        rc = run_heaptag_side(&sides[k], k, lib, dir);
    if (rc == 0)
        rc = print_results(sides, o->nsides, o->top, o->json);
    for (int k = 0; k < o->nsides; k++) {
        massif_profile_free(&sides[k].prof);
        ht_report_free(sides[k].report);
    }
    if (temp)
        remove_tree(dir);
    free(valgrind);
    free(lib);
    return rc;
}

int cmd_massif(int argc, char **argv)
{
    struct massif_opts o;
    memset(&o, 0, sizeof o);
    o.sides[0].label = "A";
    o.sides[1].label = "B";
    o.top = 10;
    int i = 1, rc = parse_options(argc, argv, &o, &i);
    if (rc >= 0)
        return rc;
    if (o.nparse > 0) {
        if (i < argc)
            return fail("--parse takes files, not a command (see 'heaptag massif --help')");
        return parse_files(&o);
    }
    if ((rc = split_commands(argc, argv, i, &o)) >= 0)
        return rc;
    return run_commands(&o);
}
