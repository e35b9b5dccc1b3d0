/* What the subcommands share: their entry points, the version, and the one-line error
 * conventions (exit 2 for usage and bad input). */
#ifndef HEAPTAG_TOOLS_CLI_H
#define HEAPTAG_TOOLS_CLI_H

#define HEAPTAG_VERSION "1.0.0"

/* Exit status of every usage error and every unreadable/invalid input. */
#define HT_EXIT_USAGE 2

/* Each gets argv[0] == its own name ("run", "diff", ...). */
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_check(int argc, char **argv);

/* Print "heaptag: CMD: MESSAGE (see 'heaptag CMD --help')" on stderr and
 * return HT_EXIT_USAGE. */
int ht_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The message for an option getopt_long rejected (call with optopt and the
 * argv element it choked on). */
int ht_bad_option(const char *cmd, int optopt_value, const char *arg);

#endif
