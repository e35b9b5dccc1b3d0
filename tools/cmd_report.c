/*
 * cmd_report.c — `heaptag report FILE`: a saved report as a table, and in
 * stacks mode its call sites, leak suppressions, folded stacks or a
 * massif.out file.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "units.h"
#include "outfile.h"
#include "report/report.h"
#include "stacks/stacks.h"
#include "stacks/stacks_out.h"
#include "report/summary.h"
#include "stacks/symbolize.h"

static const char usage[] =
	"usage: heaptag report [--format table|json|markdown|collapsed|massif] [-o OUT]\n"
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
	"                  speedscope; massif: a Valgrind massif.out for ms_print\n"
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
	"Exit status: 0 shown; 2 usage error or a missing, unreadable, invalid or\n"
	"inconsistent report (one line 'heaptag: FILE: reason' on stderr), or an\n"
	"output that cannot be written.\n";

enum mode { MODE_SUMMARY, MODE_COLLAPSED, MODE_MASSIF, MODE_LEAKS };

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "sort", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "top", required_argument, NULL, 'n' },
		{ "type", required_argument, NULL, 't' },
		{ "histogram", no_argument, NULL, 'H' },
		{ "leaks", no_argument, NULL, 'L' },
		{ "weight", required_argument, NULL, 'w' },
		{ "type-frames", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum ht_format fmt = HT_FMT_TABLE;
	enum ht_sort sort = HT_SORT_PEAK;
	enum mode mode = MODE_SUMMARY;
	enum ht_weight weight = HT_WEIGHT_PEAK;
	struct ht_sites_opts so = { .top = 5 };
	const char *output = NULL;
	int type_frames = 0, leaks = 0, weight_given = 0;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:s:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "collapsed"))
				mode = MODE_COLLAPSED;
			else if (!strcmp(optarg, "massif"))
				mode = MODE_MASSIF;
			else if (ht_format_parse(optarg, 1u << HT_FMT_TABLE | 1u << HT_FMT_JSON |
						 1u << HT_FMT_MARKDOWN, &fmt))
				return ht_usage_error("report", "unknown format '%s'", optarg);
			else
				mode = MODE_SUMMARY;
			break;
		case 's':
			if (ht_sort_parse(optarg, &sort))
				return ht_usage_error("report", "unknown sort key '%s'", optarg);
			break;
		case 'o':
			output = optarg;
			break;
		case 'n': {
			long n;
			if (ht_parse_count(optarg, 1, 1000000, &n) != 0)
				return ht_usage_error("report", "bad --top '%s' (1 or more)", optarg);
			so.top = (int)n;
			break;
		}
		case 't':
			so.type = optarg;
			break;
		case 'H':
			so.histogram = 1;
			break;
		case 'L':
			leaks = 1;
			break;
		case 'w':
			if (ht_weight_parse(optarg, &weight))
				return ht_usage_error("report", "unknown weight '%s' (peak, live or allocated)",
						      optarg);
			weight_given = 1;
			break;
		case 'T':
			type_frames = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return ht_bad_option("report", optopt, argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return ht_usage_error("report", optind == argc ? "no report file given"
							 : "exactly one report file expected");
	if (leaks) {
		if (mode != MODE_SUMMARY || fmt != HT_FMT_TABLE)
			return ht_usage_error("report", "--leaks prints suppressions; it takes no --format");
		mode = MODE_LEAKS;
	}
	if ((weight_given || type_frames) && mode != MODE_COLLAPSED)
		return ht_usage_error("report", "--weight and --type-frames go with --format collapsed");
	const char *path = argv[optind];
	char err[1024];
	struct ht_report *r = ht_report_load(path, err, sizeof err);
	struct ht_stacks *s = NULL;
	if (r && !(s = ht_stacks_load(r, err, sizeof err))) {
		ht_report_free(r);
		r = NULL;
	}
	if (!r) {
		fprintf(stderr, "heaptag: %s: %s\n", path, err);
		return HT_EXIT_USAGE;
	}
	int rc = 0;
	if (so.type && !ht_report_find(r, so.type)) {
		fprintf(stderr, "heaptag: %s: no type \"%s\" in the report\n", path, so.type);
		rc = HT_EXIT_USAGE;
	} else if (!s->depth && (mode == MODE_COLLAPSED || mode == MODE_LEAKS)) {
		fprintf(stderr, "heaptag: %s: no call stacks in this report (run with heaptag run "
			"--stacks or HEAPTAG_STACKS=32)\n", path);
		rc = HT_EXIT_USAGE;
	}
	struct ht_outfile of = { 0 };
	FILE *out = stdout;
	if (!rc && output) {
		if (ht_outfile_open(&of, output, err, sizeof err) != 0) {
			fprintf(stderr, "heaptag: report: %s\n", err);
			rc = HT_EXIT_USAGE;
		}
		out = of.f;
	}
	struct ht_symbolizer *z = rc ? NULL : ht_symbolizer_new(s);
	if (!rc && !z) {
		fprintf(stderr, "heaptag: out of memory\n");
		rc = HT_EXIT_USAGE;
	}
	if (!rc) {
		ht_report_sort(r, sort);
		if (mode == MODE_COLLAPSED)
			ht_print_collapsed(out, r, s, z, weight, type_frames, so.type);
		else if (mode == MODE_MASSIF)
			ht_print_massif(out, r, s, z);
		else if (mode == MODE_LEAKS)
			ht_print_leak_suppressions(out, r, s, z, so.type);
		else if (fmt == HT_FMT_JSON)
			ht_summary_json(out, r);
		else if (fmt == HT_FMT_MARKDOWN)
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
		if (output) {
			if (ht_outfile_commit(&of, err, sizeof err) != 0) {
				fprintf(stderr, "heaptag: report: %s\n", err);
				rc = HT_EXIT_USAGE;
			}
		} else if (fflush(stdout) != 0) {
			fprintf(stderr, "heaptag: report: cannot write to stdout\n");
			rc = HT_EXIT_USAGE;
		}
	}
	ht_symbolizer_free(z);
	ht_stacks_free(s);
	ht_report_free(r);
	return rc;
}
