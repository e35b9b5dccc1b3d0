/* `heaptag diff`: compare reports type by type and judge claimed savings.
 *
 * The first report is the baseline; every other one is compared with it, so dict / slots /
 * allslots is one command.
 */
#include <getopt.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "units.h"
#include "diff/diff_model.h"
#include "diff/diff_render.h"
#include "outfile.h"
#include "report/summary.h"

static const char usage[] =
    "usage: heaptag diff [OPTIONS] A.json B.json [C.json ...]\n"
    "       heaptag diff [OPTIONS] --label NAME=A.json --label NAME=B.json [...]\n"
    "\n"
    "Compare heaptag reports type by type: instances, bytes per instance (peak live\n"
    "bytes / peak live instances; object storage alone and with <type>.payload;\n"
    "requested and usable), live and peak bytes, and the change from the first\n"
    "report (the baseline) to each other one; then the whole-program totals.\n"
    "\n"
    "  --label NAME=FILE   a report with a label (repeatable; in order); reports\n"
    "                      given plainly are labelled by their file name\n"
    "  --format FMT        table (default), markdown, json or html\n"
    "  -o, --output OUT    write to OUT (atomically) instead of stdout; claim\n"
    "                      verdicts are still printed on stdout\n"
    "  --claim SPEC        judge a claimed saving, SPEC = [LABEL:][TYPE[+payload]=][~]PCT\n"
    "                      PCT alone: the whole-program peak live bytes shrink by PCT%%\n"
    "                      TYPE=PCT: TYPE's bytes per instance shrink by PCT%%\n"
    "                      TYPE+payload=PCT: the same, payload included\n"
    "                      ~PCT: about PCT%%, within PCT +- PP (else: exceeds / falls short)\n"
    "                      LABEL: judge against that report only (default: each)\n"
    "  --tolerance PP      percentage points of slack (default 5): a claim PCT holds\n"
    "                      if the measured saving >= PCT - PP, a claim ~PCT if it\n"
    "                      lies within PCT +- PP (also --claim-tolerance)\n"
    "  --claim-basis B     requested (default) or usable bytes for claims\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit status: 0 every claim holds (or none given); 1 some claim does not hold;\n"
    "2 usage error, bad report, or a claim that cannot be judged.\n";

/* "dir/dict.json" -> "dict". */
static char *label_from_path(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return NULL;
    char *base = strdup(basename(copy));
    free(copy);
    size_t n = base ? strlen(base) : 0;
    if (n > 5 && !strcmp(base + n - 5, ".json"))
        base[n - 5] = '\0';
    return base;
}

static int parse_tolerance(const char *s, double *out)
{
    const char *end = ht_parse_decimal(s, out);
    return end && !*end && *out <= 100 ? 0 : -1;
}

struct diff_opts {
    const char **claim_specs;
    size_t nclaim_specs;
    enum ht_format fmt;
    const char *output;
};

/* -1 when the options are good, else the exit status to return (0 for --help).
 * Reports given with --label go into M's inputs in order. */
static int parse_options(int argc, char **argv, struct diff_model *m, struct diff_opts *o)
{
    static const struct option opts[] = {
        {"label", required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"claim", required_argument, NULL, 'c'},
        {"tolerance", required_argument, NULL, 't'},
        {"claim-tolerance", required_argument, NULL, 't'},
        {"claim-basis", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'l': {
            const char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg || !eq[1])
                return ht_usage_error("diff", "bad label '%s' (expected NAME=FILE)", optarg);
            m->inputs[m->ninputs].label = strndup(optarg, (size_t)(eq - optarg));
            m->inputs[m->ninputs++].path = eq + 1;
            break;
        }
        case 'f':
            if (ht_format_parse(optarg,
                                1u << HT_FMT_TABLE | 1u << HT_FMT_JSON | 1u << HT_FMT_MARKDOWN |
                                    1u << HT_FMT_HTML,
                                &o->fmt))
                return ht_usage_error("diff", "unknown format '%s'", optarg);
            break;
        case 'o': o->output = optarg; break;
        case 'c': o->claim_specs[o->nclaim_specs++] = optarg; break;
        case 't':
            if (parse_tolerance(optarg, &m->tolerance_pp))
                return ht_usage_error("diff", "bad tolerance '%s' (percentage points, 0 to 100)",
                                      optarg);
            break;
        case 'b':
            if (!strcmp(optarg, "requested")) {
                m->basis = CLAIM_REQUESTED;
            } else if (!strcmp(optarg, "usable")) {
                m->basis = CLAIM_USABLE;
            } else {
                return ht_usage_error("diff", "unknown claim basis '%s'", optarg);
            }
            break;
        case 'h': fputs(usage, stdout); return 0;
        default: return ht_bad_option("diff", optopt, argv[optind - 1]);
        }
    }
    for (int i = optind; i < argc; i++) {
        m->inputs[m->ninputs].path = argv[i];
        m->inputs[m->ninputs++].label = label_from_path(argv[i]);
    }
    return -1;
}

/* -1 when there are two reports or more, each with a label of its own;
 * else the exit status to return. */
static int check_inputs(const struct diff_model *m)
{
    if (m->ninputs < 2)
        return ht_usage_error("diff", "at least two reports are needed");
    for (size_t i = 0; i < m->ninputs; i++) {
        if (!m->inputs[i].label) {
            fprintf(stderr, "heaptag: diff: out of memory\n");
            return HT_EXIT_USAGE;
        }
        for (size_t j = 0; j < i; j++) {
            if (!strcmp(m->inputs[i].label, m->inputs[j].label))
                return ht_usage_error("diff", "two reports labelled '%s'; use --label NAME=FILE",
                                      m->inputs[i].label);
        }
    }
    return -1;
}

/* Load the reports, compare them and add the claims.  0, or -1 after a message. */
static int build_model(struct diff_model *m, const struct diff_opts *o)
{
    char err[1024];
    for (size_t i = 0; i < m->ninputs; i++) {
        if (!(m->inputs[i].r = ht_report_load(m->inputs[i].path, err, sizeof err))) {
            fprintf(stderr, "heaptag: %s: %s\n", m->inputs[i].path, err);
            return -1;
        }
    }
    if (diff_model_build(m)) {
        fprintf(stderr, "heaptag: diff: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < o->nclaim_specs; i++) {
        if (diff_model_add_claim(m, o->claim_specs[i], err, sizeof err)) {
            fprintf(stderr, "heaptag: diff: %s\n", err);
            return -1;
        }
    }
    return 0;
}

/* The comparison to -o's file (whole or not at all, the claim verdicts
 * then on stdout) or to stdout.  0, or -1 after a message. */
static int write_diff(const struct diff_model *m, const struct diff_opts *o)
{
    char err[1024];
    const char *output = o->output;
    struct ht_outfile of = {0};
    FILE *dst = stdout;
    if (output) {
        if (ht_outfile_open(&of, output, err, sizeof err)) {
            fprintf(stderr, "heaptag: %s: %s\n", output, err);
            return -1;
        }
        dst = of.f;
    }
    switch (o->fmt) {
    case HT_FMT_JSON: diff_render_json(dst, m); break;
    case HT_FMT_MARKDOWN: diff_render_markdown(dst, m); break;
    case HT_FMT_HTML: diff_render_html(dst, m); break;
    default: diff_render_table(dst, m); break;
    }
    if (output) {
        if (ht_outfile_commit(&of, err, sizeof err)) {
            fprintf(stderr, "heaptag: %s: %s\n", output, err);
            return -1;
        }
        char line[1024];
        for (size_t i = 0; i < m->nclaims; i++) {
            diff_claim_sentence(m, &m->claims[i], line, sizeof line);
            printf("%s\n", line);
        }
    }
    return fflush(stdout) != 0 ? -1 : 0;
}

int cmd_diff(int argc, char **argv)
{
    struct diff_model m = {.tolerance_pp = 5.0, .basis = CLAIM_REQUESTED};
    struct diff_opts o = {.fmt = HT_FMT_TABLE};
    o.claim_specs = calloc((size_t)argc, sizeof *o.claim_specs);
    m.inputs = calloc((size_t)argc, sizeof *m.inputs);
    int rc = HT_EXIT_USAGE;
    if (!o.claim_specs || !m.inputs)
        goto out;
    if ((rc = parse_options(argc, argv, &m, &o)) >= 0 || (rc = check_inputs(&m)) >= 0)
        goto out;
    rc = HT_EXIT_USAGE;
    if (build_model(&m, &o) != 0)
        goto out;
    size_t failed = diff_model_judge(&m);
    if (write_diff(&m, &o) != 0)
        goto out;
    rc = failed ? 1 : 0;
out:
    diff_model_free(&m);
    for (size_t i = 0; m.inputs && i < m.ninputs; i++) {
        free(m.inputs[i].label);
        ht_report_free(m.inputs[i].r);
    }
    free(m.inputs);
    free(o.claim_specs);
    return rc;
}
