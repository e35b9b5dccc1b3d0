/* `heaptag report FILE`: a saved report as a table, and in stacks mode its call sites, leak
 * suppressions, folded stacks or a massif.out file. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "html/page.h"
#include "units.h"
#include "outfile.h"
#include "textsafe.h"
#include "report/report.h"
#include "stacks/stacks.h"
#include "stacks/stacks_out.h"
#include "report/summary.h"
#include "stacks/symbolize.h"
#include "pprof/pprof.h"
#include "report/sampling_note.h"
#include "report/snapshot_dir.h"

static const char usage[] =
    "usage: heaptag report [--format table|json|markdown|collapsed|massif|html|pprof] [-o OUT]\n"
    "                      [--sort peak|live|name] [--top N] [--type NAME] [--histogram]\n"
    "                      [--leaks] [--weight peak|live|allocated] [--type-frames] FILE\n"
    "\n"
    "Show one heaptag report per type: instances, live and peak bytes, peak\n"
    "usable bytes, bytes per instance (peak bytes / peak live instances) and\n"
    "allocation calls, then totals and the tracker's own overhead.  A report\n"
    "written with stacks (heaptag run --stacks) adds, per type, the top call\n"
    "sites by peak and by bytes live at exit, with function, file:line and\n"
    "module, temporary allocations and leaks.\n"
    "\n"
    "  --format FMT    table (default; binary units), json or markdown (exact\n"
    "                  bytes); collapsed: folded stacks for flamegraph.pl, inferno,\n"
    "                  speedscope; massif: a Valgrind massif.out for ms_print;\n"
    "                  html: one self-contained page (heap over time, types,\n"
    "                  flame graph, leaks, size histograms);\n"
    "                  pprof: a gzipped pprof profile (go tool pprof, Pyroscope, Parca)\n"
    "  -o, --output OUT  write to OUT (atomically) instead of stdout\n"
    "  --sort KEY      peak (default: descending peak bytes), live, or name\n"
    "  --top N         call sites shown per list (default 5)\n"
    "  --type NAME     call sites, leaks and folded stacks of type NAME only\n"
    "  --histogram     request-size histogram per type\n"
    "  --leaks         print LeakSanitizer suppressions (leak:FUNCTION) for the\n"
    "                  sites with blocks live at exit, instead of the table\n"
    "  --weight W      collapsed: peak (live bytes at the peak, default), live\n"
    "                  (at exit) or allocated (bytes requested over the run)\n"
    "  --type-frames   collapsed: the type as the innermost frame, \"[Type]\"\n"
    "  -h, --help      this help\n"
    "\n"
    "FILE may be a snapshot directory (HEAPTAG_INTERVAL): its latest snapshot is read.\n"
    "\n"
    "Exit status: 0 shown; 2 usage error or a missing, unreadable, invalid or\n"
    "inconsistent report (one line 'heaptag: FILE: reason' on stderr), or an\n"
    "output that cannot be written.\n";

enum mode { MODE_SUMMARY, MODE_COLLAPSED, MODE_MASSIF, MODE_LEAKS, MODE_HTML, MODE_PPROF };

struct report_opts {
    enum ht_format fmt;
    enum ht_sort sort;
    enum mode mode;
    enum ht_weight weight;
    struct ht_sites_opts so;
    const char *output;
    int type_frames, leaks, weight_given;
    const char *path;
};

/* The options that only go together, once all are read. */
static int check_modes(struct report_opts *o)
{
    if (o->leaks) {
        if (o->mode != MODE_SUMMARY || o->fmt != HT_FMT_TABLE)
            return ht_usage_error("report", "--leaks prints suppressions; it takes no --format");
        o->mode = MODE_LEAKS;
    }
    if ((o->weight_given || o->type_frames) && o->mode != MODE_COLLAPSED)
        return ht_usage_error("report", "--weight and --type-frames go with --format collapsed");
    return -1;
}

/* -1 when the options are good, else the exit status to return (0 for --help). */
static int parse_options(int argc, char **argv, struct report_opts *o)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"sort", required_argument, NULL, 's'},
        {"output", required_argument, NULL, 'o'},
        {"top", required_argument, NULL, 'n'},
        {"type", required_argument, NULL, 't'},
        {"histogram", no_argument, NULL, 'H'},
        {"leaks", no_argument, NULL, 'L'},
        {"weight", required_argument, NULL, 'w'},
        {"type-frames", no_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:s:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!strcmp(optarg, "collapsed"))
                o->mode = MODE_COLLAPSED;
            else if (!strcmp(optarg, "massif"))
                o->mode = MODE_MASSIF;
            else if (!strcmp(optarg, "html"))
                o->mode = MODE_HTML;
            else if (!strcmp(optarg, "pprof"))
                o->mode = MODE_PPROF;
            else if (ht_format_parse(optarg,
                                     1u << HT_FMT_TABLE | 1u << HT_FMT_JSON | 1u << HT_FMT_MARKDOWN,
                                     &o->fmt))
                return ht_usage_error("report", "unknown format '%s'", optarg);
            else
                o->mode = MODE_SUMMARY;
            break;
        case 's':
            if (ht_sort_parse(optarg, &o->sort))
                return ht_usage_error("report", "unknown sort key '%s'", optarg);
            break;
        case 'o': o->output = optarg; break;
        case 'n': {
            long n;
            if (ht_parse_count(optarg, 1, 1000000, &n) != 0)
                return ht_usage_error("report", "bad --top '%s' (1 or more)", optarg);
            o->so.top = (int)n;
            break;
        }
        case 't': o->so.type = optarg; break;
        case 'H': o->so.histogram = 1; break;
        case 'L': o->leaks = 1; break;
        case 'w':
            if (ht_weight_parse(optarg, &o->weight))
                return ht_usage_error("report", "unknown weight '%s' (peak, live or allocated)",
                                      optarg);
            o->weight_given = 1;
            break;
        case 'T': o->type_frames = 1; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return ht_bad_option("report", optopt, argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return ht_usage_error("report", optind == argc ? "no report file given"
                                                       : "exactly one report file expected");
    o->path = argv[optind];
    return check_modes(o);
}

/* 0 when the report can give what was asked, else 2 after a message. */
static int check_report(const struct report_opts *o, const struct ht_report *r,
                        const struct ht_stacks *s)
{
    const char *path = o->path;
    int rc = 0;
    if (o->so.type && !ht_report_find(r, o->so.type)) {
        fprintf(stderr, "heaptag: %s: no type \"%s\" in the report\n", path, o->so.type);
        rc = HT_EXIT_USAGE;
    } else if (!s->depth && (o->mode == MODE_COLLAPSED || o->mode == MODE_LEAKS)) {
        fprintf(stderr,
                "heaptag: %s: no call stacks in this report (run with heaptag run "
                "--stacks or HEAPTAG_STACKS=32)\n",
                path);
        rc = HT_EXIT_USAGE;
    }
    return rc;
}

/* The report in the form asked for.  0, or 2 after a message. */
static int print_report(FILE *out, const struct report_opts *o, struct ht_report *r,
                        struct ht_stacks *s, struct ht_symbolizer *z)
{
    const struct ht_sites_opts so = o->so;
    char err[1024];
    ht_report_sort(r, o->sort);
    if (o->mode == MODE_HTML) {
        if (ht_page_write(out, r, s, z, &(struct ht_page_opts){.type = so.type}, err, sizeof err)) {
            fprintf(stderr, "heaptag: report: %s\n", err);
            return HT_EXIT_USAGE;
        }
    } else if (o->mode == MODE_PPROF) {
        ht_safe_binary(1); /* gzip bytes are no text to escape */
        int bad = ht_write_pprof(out, r, s, z, err, sizeof err);
        fflush(out);
        ht_safe_binary(0);
        if (bad) {
            fprintf(stderr, "heaptag: report: %s\n", err);
            return HT_EXIT_USAGE;
        }
    } else if (o->mode == MODE_COLLAPSED)
        ht_print_collapsed(out, r, s, z, o->weight, o->type_frames, so.type);
    else if (o->mode == MODE_MASSIF)
        ht_print_massif(out, r, s, z);
    else if (o->mode == MODE_LEAKS)
        ht_print_leak_suppressions(out, r, s, z, so.type);
    else if (o->fmt == HT_FMT_JSON)
        ht_summary_json(out, r);
    else if (o->fmt == HT_FMT_MARKDOWN)
        ht_summary_markdown(out, r);
    else {
        ht_summary_table(out, r);
        if (s->depth)
            ht_print_sites(out, r, s, z, &so);
        else if (so.histogram)
            for (size_t i = 0; i < r->ntypes; i++)
                if (!so.type || !strcmp(so.type, r->types[i].name))
                    ht_print_type_histogram(out, r->types[i].name,
                                            ht_stacks_type(s, r->types[i].name));
    }
    return 0;
}

/* Print to -o's file (whole or not at all) or stdout.  0, or 2 after a message. */
static int write_report(const struct report_opts *o, struct ht_report *r, struct ht_stacks *s)
{
    char err[1024];
    int rc = 0;
    struct ht_outfile of = {0};
    FILE *out = stdout;
    if (o->output) {
        if (ht_outfile_open(&of, o->output, err, sizeof err) != 0) {
            fprintf(stderr, "heaptag: report: %s\n", err);
            return HT_EXIT_USAGE;
        }
        out = of.f;
    }
    struct ht_symbolizer *z = ht_symbolizer_new(s);
    if (!z) {
        fprintf(stderr, "heaptag: out of memory\n");
        if (o->output)
            ht_outfile_abort(&of);
        return HT_EXIT_USAGE;
    }
    rc = print_report(out, o, r, s, z);
    if (o->output && rc) {
        ht_outfile_abort(&of); /* a page half written is no page */
    } else if (o->output) {
        if (ht_outfile_commit(&of, err, sizeof err) != 0) {
            fprintf(stderr, "heaptag: report: %s\n", err);
            rc = HT_EXIT_USAGE;
        }
    } else if (fflush(stdout) != 0) {
        fprintf(stderr, "heaptag: report: cannot write to stdout\n");
        rc = HT_EXIT_USAGE;
    }
    ht_symbolizer_free(z);
    return rc;
}

/* Folded stacks and massif.out have no room to say a report is sampled:
 * say it here. */
static void note_sampled(const struct report_opts *o, const struct ht_report *r)
{
    void *sampled = ht_sampling_json(r);
    if (sampled && (o->mode == MODE_COLLAPSED || o->mode == MODE_MASSIF || o->mode == MODE_LEAKS))
        fprintf(stderr,
                "heaptag: %s is a sampled report: its figures are estimates "
                "(heaptag report %s shows the 95%% bounds)\n",
                o->path, o->path);
    json_decref(sampled);
}

int cmd_report(int argc, char **argv)
{
    struct report_opts o = {
        .fmt = HT_FMT_TABLE,
        .sort = HT_SORT_PEAK,
        .mode = MODE_SUMMARY,
        .weight = HT_WEIGHT_PEAK,
        .so = {.top = 5},
    };
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0)
        return rc;
    char err[1024], latest[4096];
    const char *given = o.path;
    if (!(o.path = ht_snapshot_resolve(given, latest, sizeof latest, err, sizeof err))) {
        fprintf(stderr, "heaptag: %s: %s\n", given, err);
        return HT_EXIT_USAGE;
    }
    struct ht_report *r = ht_report_load(o.path, err, sizeof err);
    struct ht_stacks *s = NULL;
    if (r && !(s = ht_stacks_load(r, err, sizeof err))) {
        ht_report_free(r);
        r = NULL;
    }
    if (!r) {
        fprintf(stderr, "heaptag: %s: %s\n", o.path, err);
        return HT_EXIT_USAGE;
    }
    rc = check_report(&o, r, s);
    if (!rc)
        note_sampled(&o, r);
    if (!rc)
        rc = write_report(&o, r, s);
    ht_stacks_free(s);
    ht_report_free(r);
    return rc;
}
