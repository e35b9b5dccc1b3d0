/* `heaptag COMMAND ...`: dispatch to the subcommands.  Each subcommand gets argv shifted so
 * that argv[0] is its own name, which is what getopt_long and the error messages expect. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "textsafe.h"

#include "massif/cmd_massif.h"
#include "attach/cmd_attach.h"

static const char usage[] =
    "usage: heaptag COMMAND [OPTIONS] ...\n"
    "\n"
    "Commands:\n"
    "  run      run a program under libheaptag.so and summarise its report\n"
    "  report   show a saved report as a per-type table, JSON or Markdown\n"
    "  diff     compare reports (bytes per instance by type) and judge claims\n"
    "  check    fail when a type exceeds a byte budget\n"
    "  massif   read a valgrind massif file (see 'heaptag massif --help')\n"
    "  attach   track a running process from now on (gdb loads the tracker)\n"
    "\n"
    "Options:\n"
    "  -h, --help     this help; 'heaptag COMMAND --help' for a command\n"
    "  -V, --version  print the version\n"
    "\n"
    "Exit status: the command's own (see its --help); 2 for usage errors.\n";

int ht_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "heaptag: %s%s", cmd ? cmd : "", cmd ? ": " : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'heaptag %s%s--help')\n", cmd ? cmd : "", cmd ? " " : "");
    return HT_EXIT_USAGE;
}

int ht_bad_option(const char *cmd, int optopt_value, const char *arg)
{
    if (optopt_value && !(arg && arg[0] == '-' && arg[1] == '-'))
        return ht_usage_error(cmd, "unknown option or missing argument: -%c", optopt_value);
    return ht_usage_error(cmd, "unknown option or missing argument: %s", arg ? arg : "?");
}

int main(int argc, char **argv)
{
    ht_safe_std_streams();
    if (argc < 2)
        return ht_usage_error(NULL, "no command given");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("heaptag %s\n", HEAPTAG_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "report"))
        return cmd_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "diff"))
        return cmd_diff(argc - 1, argv + 1);
    if (!strcmp(cmd, "check"))
        return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "massif"))
        return cmd_massif(argc - 1, argv + 1);
    if (!strcmp(cmd, "attach"))
        return cmd_attach(argc - 1, argv + 1);
    if (cmd[0] == '-')
        return ht_usage_error(NULL, "unknown option '%s'", cmd);
    return ht_usage_error(NULL, "unknown command '%s'", cmd);
}
