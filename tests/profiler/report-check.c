/* Validate heaptag reports and compare them with expected figures.
 *
 *   report-check [options] REPORT...
 *     --expect KEY=VALUE     exact integer or string (KEY~TEXT: contains)
 *     --expect-file FILE     expectations written by a test program
 *                            (syntax in report-expect.c)
 *     --baseline FILE        a report the program dumped itself; "delta" and
 *                            "peak" expectations are relative to it
 *     --absent-type NAME     the report has no type NAME
 *     --pid-from-name        the report's pid is the last number in its name
 *     --in-flight N          written while up to N other threads allocated:
 *                            allow that many operations in flight
 *
 * Every report is validated against docs/report-format.md (format, version,
 * invariants) before the expectations are checked.  Exit status: 0 all good,
 * 1 a check failed (one line per failure on stdout), 2 usage or I/O error.
 */
#include "report-check.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rc_failures;

void rc_fail(const char *file, const char *fmt, ...)
{
    va_list ap;
    printf("%s: ", file);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    rc_failures++;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: report-check [--expect KEY=VALUE] [--expect-file FILE] "
            "[--baseline FILE] [--absent-type NAME] [--pid-from-name] [--in-flight N] REPORT...\n");
    exit(2);
}

static json_t *load(const char *path)
{
    json_error_t err;
    json_t *j = json_load_file(path, 0, &err);
    if (!j) {
        /* a missing or malformed report is a failed check, not a usage error */
        rc_fail(path, "cannot load: %s (line %d)", err.text, err.line);
    }
    return j;
}

static void load_expect_file(struct rc_expect *e, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "report-check: cannot open %s\n", path);
        exit(2);
    }
    char line[4096], where[600];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        snprintf(where, sizeof where, "%s:%d", path, lineno);
        if (!rc_expect_add_line(e, line, where)) {
            fprintf(stderr, "report-check: %s: cannot parse: %s", where, line);
            exit(2);
        }
    }
    fclose(f);
}

/* The last run of digits in the file's base name. */
static long long pid_in_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    long long pid = -1;
    for (const char *p = base; *p; p++)
        if (isdigit((unsigned char)*p) && (p == base || !isdigit((unsigned char)p[-1])))
            pid = strtoll(p, NULL, 10);
    return pid;
}

int main(int argc, char **argv)
{
    struct rc_expect *e = rc_expect_new();
    const char *baseline_path = NULL;
    bool pid_from_name = false;
    int i;
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--in-flight") == 0 && i + 1 < argc)
            rc_in_flight = atoll(argv[++i]);
        else if (strcmp(a, "--pid-from-name") == 0)
            pid_from_name = true;
        else if (i + 1 >= argc)
            usage();
        else if (strcmp(a, "--expect") == 0) {
            if (!rc_expect_add_cli(e, argv[++i]))
                usage();
        } else if (strcmp(a, "--expect-file") == 0)
            load_expect_file(e, argv[++i]);
        else if (strcmp(a, "--baseline") == 0)
            baseline_path = argv[++i];
        else if (strcmp(a, "--absent-type") == 0)
            rc_expect_add_absent_type(e, argv[++i]);
        else
            usage();
    }
    if (i == argc)
        usage();

    json_t *baseline = NULL;
    if (baseline_path) {
        baseline = load(baseline_path);
        if (baseline)
            rc_validate(baseline_path, baseline);
    }
    int nreports = 0;
    for (; i < argc; i++) {
        json_t *r = load(argv[i]);
        if (!r)
            continue;
        nreports++;
        if (rc_validate(argv[i], r)) {
            rc_expect_check(e, argv[i], r, baseline);
            if (pid_from_name) {
                json_t *pid = json_object_get(r, "pid");
                if (json_integer_value(pid) != pid_in_name(argv[i]))
                    rc_fail(argv[i], "pid: %lld, but the file name says %lld",
                            (long long)json_integer_value(pid), pid_in_name(argv[i]));
            }
        }
        json_decref(r);
    }
    if (rc_failures) {
        printf("report-check: %d failure(s) in %d report(s)\n", rc_failures, nreports);
        return 1;
    }
    return 0;
}
