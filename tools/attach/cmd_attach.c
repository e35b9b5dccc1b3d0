/* cmd_attach.c — `heaptag attach [-o PATH] [--rules FILE] PID` and
 * `heaptag attach --report [-o PATH] PID`.
 *
 * Attaching: after the checks of target_check.c (each refusal one line,
 * exit 2), gdb stops the process, calls dlopen() on libheaptag.so in it and
 * then heaptag_attach_start(), which redirects the process's malloc family
 * to the tracker (profiler/src/attach.c), and detaches.  What can go wrong
 * in the stopped process, and what this command does about it, is listed
 * in docs/attach.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "attach/cmd_attach.h"
#include "attach/target_check.h"
#include "report/report.h"
#include "report/summary.h"

static const char usage[] =
    "usage: heaptag attach [-o PATH] [--rules FILE] [--stacks[=DEPTH]] [--timeout SECS] PID\n"
    "       heaptag attach --report [-o PATH] PID\n"
    "\n"
    "Load libheaptag.so into the running process PID (same user, or root) with\n"
    "gdb, and track its allocations from then on.  Frees of blocks allocated\n"
    "before count in foreign_free_calls, against no type.  The report is\n"
    "written on SIGUSR2, on 'heaptag attach --report PID', and at exit; its\n"
    "attached_unix_ms says when tracking started.\n"
    "\n"
    "  -o, --output PATH  report path (%p: the pid); default heaptag.attach.%p.json\n"
    "                     in the current directory.  Give --report the same one.\n"
    "  --rules FILE       type rules for the process (implies --stacks)\n"
    "  --stacks[=DEPTH]   record call stacks, DEPTH frames (1-128, default 32)\n"
    "  --timeout SECS     give up on gdb after SECS seconds (default 60)\n"
    "  --report           have the tracked process write its report now, wait\n"
    "                     for it and print its table\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status: 0 attached (or report written); 1 the attach or the report\n"
    "failed; 2 refused: usage, no such process, not permitted (ptrace_scope),\n"
    "statically linked, already tracked (or, with --report, not tracked).\n";

static int refuse(const char *msg)
{
    fprintf(stderr, "heaptag: attach: %s\n", msg);
    return HT_EXIT_USAGE;
}

/* libheaptag.so: $HEAPTAG_LIB, else ../lib/ beside this binary. */
static int find_tracker(char *out, size_t cap)
{
    const char *env = getenv("HEAPTAG_LIB");
    char candidate[PATH_MAX + 32];
    if (env && *env) {
        snprintf(candidate, sizeof candidate, "%s", env);
    } else {
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n < 0)
            return -1;
        self[n] = 0;
        char *slash = strrchr(self, '/');
        if (slash)
            *slash = 0;
        snprintf(candidate, sizeof candidate, "%s/../lib/libheaptag.so", self);
    }
    char *abs = realpath(candidate, NULL);
    if (!abs || strlen(abs) >= cap) {
        free(abs);
        return -1;
    }
    strcpy(out, abs);
    free(abs);
    return 0;
}

/* The command named NAME on PATH, in OUT. */
static int find_program(const char *name, char *out, size_t cap)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        snprintf(out, cap, "%.*s/%s", (int)n, path, name);
        if (n && access(out, X_OK) == 0)
            return 0;
        path += n + (path[n] == ':');
    }
    return -1;
}

/* The report path for PID from TEMPLATE (NULL: the default), absolute,
 * with %p expanded when FOR_PID is set (--report). */
static int report_path(const char *tmpl, pid_t pid, int for_pid, char *out, size_t cap)
{
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    char raw[PATH_MAX + 64];
    if (!tmpl)
        tmpl = "heaptag.attach.%p.json";
    if (tmpl[0] == '/')
        snprintf(raw, sizeof raw, "%s", tmpl);
    else
        snprintf(raw, sizeof raw, "%s/%s", cwd, tmpl);
    size_t j = 0;
    for (const char *p = raw; *p && j + 24 < cap; p++) {
        if (for_pid && p[0] == '%' && p[1] == 'p') {
            j += (size_t)snprintf(out + j, cap - j, "%d", (int)pid);
            p++;
        } else if (for_pid && p[0] == '%' && p[1] == '%') {
            out[j++] = '%';
            p++;
        } else {
            out[j++] = *p;
        }
    }
    out[j] = 0;
    return 0;
}

/* Run gdb on PID with the commands that load and start the tracker; its
 * output in OUT.  0 when gdb ended by itself within TIMEOUT seconds. */
static int run_gdb(pid_t pid, const char *gdb, const char *lib, const char *out_tmpl,
                   const char *rules, int depth, int timeout, char *out, size_t cap)
{
    char load[PATH_MAX + 128], start[3 * PATH_MAX + 256], pidarg[32];
    snprintf(pidarg, sizeof pidarg, "%d", (int)pid);
    /* 0x102: RTLD_NOW | RTLD_GLOBAL, so libraries loaded later see the
	 * tagging API's symbols. */
    snprintf(load, sizeof load,
             "set $heaptag_h = ((void *(*)(const char *, int))dlopen)(\"%s\", 0x102)", lib);
    snprintf(start, sizeof start,
             "set $heaptag_r = $heaptag_h ? ((int (*)(const char *, const char *, int))"
             "((void *(*)(void *, const char *))dlsym)($heaptag_h, \"heaptag_attach_start\"))"
             "(\"%s\", %s%s%s, %d) : -9",
             out_tmpl, rules ? "\"" : "", rules ? rules : "0", rules ? "\"" : "", depth);
    char tmpl[] = "/tmp/heaptag-attach.XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0)
        return -1;
    unlink(tmpl);
    pid_t g = fork();
    if (g < 0) {
        close(fd);
        return -1;
    }
    if (g == 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        unsetenv("DEBUGINFOD_URLS"); /* no network look-ups while the process waits */
        execl(gdb, "gdb", "-nx", "-q", "-batch", "-p", pidarg, "-ex", "set confirm off", "-ex",
              "set unwindonsignal on", "-ex", load, "-ex",
              "printf \"heaptag-handle %p\\n\", $heaptag_h", "-ex", start, "-ex",
              "printf \"heaptag-result %d\\n\", $heaptag_r", "-ex", "detach", (char *)NULL);
        _exit(127);
    }
    int status = 0, done = 0;
    struct timespec pause = {0, 50 * 1000 * 1000};
    for (long waited = 0; waited < timeout * 20L; waited++) {
        if (waitpid(g, &status, WNOHANG) == g) {
            done = 1;
            break;
        }
        nanosleep(&pause, NULL);
    }
    if (!done) {
        /* SIGINT first: gdb then detaches, leaving the process running. */
        kill(g, SIGINT);
        sleep(2);
        if (waitpid(g, &status, WNOHANG) != g) {
            kill(g, SIGKILL);
            waitpid(g, &status, 0);
        }
    }
    ssize_t n = pread(fd, out, cap - 1, 0);
    out[n > 0 ? n : 0] = 0;
    close(fd);
    return done ? 0 : -1;
}

static int file_id(const char *path, struct stat *st) { return stat(path, st) == 0 ? 0 : -1; }

/* One line: when tracking started, and the frees counted apart. */
static void say_start(const char *path)
{
    json_t *doc = json_load_file(path, 0, NULL);
    json_t *at = doc ? json_object_get(doc, "attached_unix_ms") : NULL;
    json_t *totals = doc ? json_object_get(doc, "totals") : NULL;
    json_t *ff = totals ? json_object_get(totals, "foreign_free_calls") : NULL;
    if (json_is_integer(at)) {
        time_t t = (time_t)(json_integer_value(at) / 1000);
        struct tm tm;
        char when[64];
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
        fprintf(stderr,
                "heaptag: tracking started at the attach, %s; frees of blocks from "
                "before: %lld\n",
                when, json_is_integer(ff) ? (long long)json_integer_value(ff) : 0LL);
    }
    json_decref(doc);
}

static int do_report(pid_t pid, const char *tmpl)
{
    char err[PATH_MAX + 256], path[PATH_MAX + 64];
    if (target_permitted(pid, err, sizeof err) != 0)
        return refuse(err);
    int tracked = target_tracked(pid, err, sizeof err);
    if (tracked < 0)
        return refuse(err);
    if (!tracked) {
        snprintf(err, sizeof err, "process %d is not tracked (heaptag attach %d first)", (int)pid,
                 (int)pid);
        return refuse(err);
    }
    if (report_path(tmpl, pid, 1, path, sizeof path) != 0)
        return refuse("cannot get the current directory");
    struct stat before;
    int had = file_id(path, &before) == 0;
    if (kill(pid, SIGUSR2) != 0) {
        fprintf(stderr, "heaptag: attach: cannot signal %d: %s\n", (int)pid, strerror(errno));
        return 1;
    }
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 500; i++) { /* 10 s */
        struct stat now;
        if (file_id(path, &now) == 0 &&
            (!had || now.st_ino != before.st_ino || now.st_mtim.tv_sec != before.st_mtim.tv_sec ||
             now.st_mtim.tv_nsec != before.st_mtim.tv_nsec)) {
            struct ht_report *r = ht_report_load(path, err, sizeof err);
            if (!r) {
                fprintf(stderr, "heaptag: attach: %s\n", err);
                return 1;
            }
            fprintf(stderr, "heaptag: report of process %d: %s\n", (int)pid, path);
            say_start(path);
            ht_summary_table(stdout, r);
            ht_report_free(r);
            return 0;
        }
        nanosleep(&pause, NULL);
    }
    fprintf(stderr,
            "heaptag: attach: process %d wrote no report to %s within 10 s "
            "(does it handle SIGUSR2 itself?)\n",
            (int)pid, path);
    return 1;
}

static int parse_pid(const char *s, pid_t *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v <= 0 || v > INT_MAX)
        return -1;
    *out = (pid_t)v;
    return 0;
}

struct attach_opts {
    const char *output, *rules;
    int depth, report, timeout;
};

/* The options; -1 to go on, else the exit status to return. */
static int attach_options(int argc, char **argv, struct attach_opts *a)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"rules", required_argument, NULL, 'R'},
        {"stacks", optional_argument, NULL, 'S'},
        {"timeout", required_argument, NULL, 'T'},
        {"report", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            if (!*optarg)
                return ht_usage_error("attach", "empty output path");
            a->output = optarg;
            break;
        case 'R': a->rules = optarg; break;
        case 'S':
            a->depth = optarg ? atoi(optarg) : 32;
            if (a->depth < 1 || a->depth > 128)
                return ht_usage_error("attach", "bad stack depth '%s' (1 to 128)", optarg);
            break;
        case 'T':
            a->timeout = atoi(optarg);
            if (a->timeout < 1)
                return ht_usage_error("attach", "bad timeout '%s'", optarg);
            break;
        case 'r': a->report = 1; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return ht_bad_option("attach", optopt, argv[optind - 1]);
        }
    }
    return -1;
}

/* gdb's outcome as one line; the exit status. */
static int attach_outcome(pid_t pid, const char *output, int rc, const char *out)
{
    char err[PATH_MAX + 256];
    const char *res = strstr(out, "heaptag-result ");
    int result = res ? atoi(res + strlen("heaptag-result ")) : -100;
    if (rc == 0 && result == 0) {
        char shown[PATH_MAX + 64];
        report_path(output, pid, 1, shown, sizeof shown);
        fprintf(stderr,
                "heaptag: attached to process %d; report: %s (on SIGUSR2, "
                "'heaptag attach --report %d', or at exit)\n",
                (int)pid, shown, (int)pid);
        return 0;
    }
    if (result == 1) {
        snprintf(err, sizeof err, "process %d is already tracked", (int)pid);
        return refuse(err);
    }
    /* One line: the most telling line of gdb's output. */
    const char *why = strstr(out, "ptrace: ");
    if (!why)
        why = strstr(out, "heaptag-handle 0x0") ? "dlopen of libheaptag.so failed in the process"
                                                : NULL;
    if (rc != 0)
        why = "gdb did not finish in time; it was interrupted and the process left running";
    fprintf(stderr, "heaptag: attach: failed to attach to process %d: %.*s\n", (int)pid,
            why ? (int)strcspn(why, "\n") : 40,
            why ? why : "gdb gave no result (see 'heaptag attach --help')");
    return 1;
}

static int do_attach(pid_t pid, const struct attach_opts *a)
{
    const char *output = a->output, *rules = a->rules;
    char err[PATH_MAX + 256], lib[PATH_MAX], gdb[PATH_MAX + 8], tmpl[PATH_MAX + 64];
    char rules_abs[PATH_MAX];
    if (target_permitted(pid, err, sizeof err) != 0)
        return refuse(err);
    int tracked = target_tracked(pid, err, sizeof err);
    if (tracked < 0)
        return refuse(err);
    if (tracked) {
        snprintf(err, sizeof err, "process %d is already tracked (libheaptag.so is loaded in it)",
                 (int)pid);
        return refuse(err);
    }
    if (target_loadable(pid, err, sizeof err) != 0)
        return refuse(err);
    if (find_tracker(lib, sizeof lib) != 0)
        return refuse("cannot find libheaptag.so (set HEAPTAG_LIB)");
    const char *g = getenv("HEAPTAG_GDB");
    if (g && *g)
        snprintf(gdb, sizeof gdb, "%s", g);
    else if (find_program("gdb", gdb, sizeof gdb) != 0)
        return refuse("gdb not found on PATH (Debian: apt-get install gdb)");
    if (rules && !realpath(rules, rules_abs)) {
        snprintf(err, sizeof err, "%s: %s", rules, strerror(errno));
        return refuse(err);
    }
    if (report_path(output, pid, 0, tmpl, sizeof tmpl) != 0 || strchr(tmpl, '"') ||
        strchr(tmpl, '\\') || strchr(lib, '"') || (rules && strchr(rules_abs, '"')))
        return refuse("report path: cannot be given to gdb (no '\"' or '\\' please)");

    char out[16384];
    int rc = run_gdb(pid, gdb, lib, tmpl, rules ? rules_abs : NULL, a->depth, a->timeout, out,
                     sizeof out);
    return attach_outcome(pid, output, rc, out);
}

int cmd_attach(int argc, char **argv)
{
    struct attach_opts a = {.timeout = 60};
    int rc = attach_options(argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (optind != argc - 1)
        return ht_usage_error("attach", optind >= argc ? "no PID given" : "one PID only");
    pid_t pid;
    if (parse_pid(argv[optind], &pid) != 0)
        return ht_usage_error("attach", "bad PID '%s'", argv[optind]);
    if (a.report)
        return do_report(pid, a.output);
    return do_attach(pid, &a);
}
