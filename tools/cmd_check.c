/* `heaptag check REPORT --budget TYPE=BYTES[/instance]`: a memory budget as a test.
 *
 * Exit 1 names every type over budget, so a CI log shows all regressions at once, not just
 * the first.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report/report.h"
#include "units.h"

static const char usage[] =
    "usage: heaptag check REPORT --budget TYPE=BYTES[/instance] [--budget ...]\n"
    "\n"
    "Compare types of a heaptag report against byte budgets.\n"
    "  TYPE=BYTES           the type's peak live bytes must not exceed BYTES\n"
    "  TYPE=BYTES/instance  its bytes per instance (peak live bytes / peak live\n"
    "                       instances) must not exceed BYTES\n"
    "BYTES is a decimal number with an optional binary suffix: B, K or KiB (1024),\n"
    "M or MiB (1024^2), G or GiB (1024^3), case-insensitive: 256, 1.5K, 2MiB.\n"
    "\n"
    "  -b, --budget SPEC  a budget (repeatable; at least one)\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status: 0 every type within budget; 1 some over (one line each on\n"
    "stdout); 2 usage error, bad budget, unknown type, or a bad report.\n";

struct budget {
    char *type;
    double bytes;
    int per_instance;
};

static int parse_budget(const char *spec, struct budget *b)
{
    const char *eq = strrchr(spec, '=');
    if (!eq || eq == spec)
        return -1;
    char *value = strdup(eq + 1);
    if (!value)
        return -1;
    b->per_instance = 0;
    char *slash = strchr(value, '/');
    if (slash) {
        if (strcmp(slash, "/instance"))
            goto bad;
        *slash = '\0';
        b->per_instance = 1;
    }
    if (ht_parse_bytes(value, &b->bytes))
        goto bad;
    free(value);
    b->type = strndup(spec, (size_t)(eq - spec));
    return b->type ? 0 : -1;
bad:
    free(value);
    return -1;
}

/* -1 when the options are good (the budgets in B[0..*n)), else the exit
 * status to return (0 for --help). */
static int parse_options(int argc, char **argv, struct budget *budgets, size_t *nbudgets)
{
    static const struct option opts[] = {
        {"budget", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    /* Options may follow the report name (the documented order). */
    while ((c = getopt_long(argc, argv, "b:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b':
            if (parse_budget(optarg, &budgets[*nbudgets]))
                return ht_usage_error("check",
                                      "bad budget '%s' (expected TYPE=BYTES or "
                                      "TYPE=BYTES/instance)",
                                      optarg);
            (*nbudgets)++;
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: return ht_bad_option("check", optopt, argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return ht_usage_error("check", optind == argc ? "no report file given"
                                                      : "exactly one report file expected");
    if (*nbudgets == 0)
        return ht_usage_error("check", "no --budget given");
    return -1;
}

/* Validate every budget before judging any, so a typo is a usage error (2)
 * rather than a pass or a partial verdict.  0, or -1 after a message. */
static int check_budgets(const char *path, const struct ht_report *r, const struct budget *budgets,
                         size_t nbudgets)
{
    for (size_t i = 0; i < nbudgets; i++) {
        const struct ht_type *t = ht_report_find(r, budgets[i].type);
        if (!t) {
            fprintf(stderr, "heaptag: %s: no type \"%s\" in the report\n", path, budgets[i].type);
            return -1;
        }
        if (budgets[i].per_instance && t->peak_live_instances == 0) {
            fprintf(stderr,
                    "heaptag: %s: type \"%s\" has no instances; "
                    "a per-instance budget cannot apply\n",
                    path, budgets[i].type);
            return -1;
        }
    }
    return 0;
}

/* One line per type over its budget; 1 if any is, else 0. */
static int judge(const struct ht_report *r, const struct budget *budgets, size_t nbudgets)
{
    int rc = 0;
    for (size_t i = 0; i < nbudgets; i++) {
        const struct budget *b = &budgets[i];
        const struct ht_type *t = ht_report_find(r, b->type);
        double measured =
            b->per_instance ? ht_type_bytes_per_instance(t) : (double)t->peak_live_bytes;
        if (measured <= b->bytes)
            continue;
        char m[32], lim[32], over[32];
        printf("over budget: %s: %s%s > %s%s (+%s, +%.1f%%)\n", b->type,
               ht_exact(measured, m, sizeof m), b->per_instance ? " B/instance" : " B peak",
               ht_exact(b->bytes, lim, sizeof lim), b->per_instance ? " B/instance" : " B",
               ht_human_bytes(measured - b->bytes, over, sizeof over),
               b->bytes > 0 ? (measured - b->bytes) / b->bytes * 100 : 100.0);
        rc = 1;
    }
    return rc;
}

int cmd_check(int argc, char **argv)
{
    struct budget *budgets = calloc((size_t)argc, sizeof *budgets);
    size_t nbudgets = 0;
    int rc = HT_EXIT_USAGE;
    struct ht_report *r = NULL;
    if (!budgets)
        return HT_EXIT_USAGE;
    if ((rc = parse_options(argc, argv, budgets, &nbudgets)) >= 0)
        goto out;
    rc = HT_EXIT_USAGE;
    const char *path = argv[optind];
    char err[512];
    if (!(r = ht_report_load(path, err, sizeof err))) {
        fprintf(stderr, "heaptag: %s: %s\n", path, err);
        goto out;
    }
    if (check_budgets(path, r, budgets, nbudgets) == 0)
        rc = judge(r, budgets, nbudgets);
out:
    for (size_t i = 0; i < nbudgets; i++)
        free(budgets[i].type);
    free(budgets);
    ht_report_free(r);
    return rc;
}
