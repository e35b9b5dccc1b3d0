/*
 * cmd_report.c — `heaptag report FILE`: a saved report as a table.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "report.h"
#include "summary.h"

static const char usage[] =
	"usage: heaptag report [--format table|json|markdown] [--sort peak|live|name] FILE\n"
	"\n"
	"Show one heaptag report per type: instances, live and peak bytes, peak\n"
	"usable bytes, bytes per instance (peak bytes / peak live instances) and\n"
	"allocation calls, then totals and the tracker's own overhead.\n"
	"\n"
	"  --format FMT  table (default; binary units), json or markdown (exact bytes)\n"
	"  --sort KEY    peak (default: descending peak bytes), live, or name\n"
	"  -h, --help    this help\n"
	"\n"
	"Exit status: 0 shown; 2 usage error or a missing, unreadable, invalid or\n"
	"inconsistent report (one line 'heaptag: FILE: reason' on stderr).\n";

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "sort", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum ht_format fmt = HT_FMT_TABLE;
	enum ht_sort sort = HT_SORT_PEAK;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+f:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (ht_format_parse(optarg, 1u << HT_FMT_TABLE | 1u << HT_FMT_JSON |
					    1u << HT_FMT_MARKDOWN, &fmt))
				return ht_usage_error("report", "unknown format '%s'", optarg);
			break;
		case 's':
			if (ht_sort_parse(optarg, &sort))
				return ht_usage_error("report", "unknown sort key '%s'", optarg);
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
	const char *path = argv[optind];
	char err[512];
	struct ht_report *r = ht_report_load(path, err, sizeof err);
	if (!r) {
		fprintf(stderr, "heaptag: %s: %s\n", path, err);
		return HT_EXIT_USAGE;
	}
	ht_report_sort(r, sort);
	if (fmt == HT_FMT_JSON)
		ht_summary_json(stdout, r);
	else if (fmt == HT_FMT_MARKDOWN)
		ht_summary_markdown(stdout, r);
	else
		ht_summary_table(stdout, r);
	ht_report_free(r);
	return fflush(stdout) == 0 ? 0 : HT_EXIT_USAGE;
}
