/* `heaptag run [-o PATH] -- PROGRAM [ARGS...]`.
 *
 * heaptag stays the parent of PROGRAM so it can forward signals, wait for
 * it and then read the report it left.  It must be invisible otherwise:
 * stdin/stdout/stderr are inherited untouched, the exit status is the
 * child's, and a child killed by a signal makes heaptag die by that same
 * signal, so shells and supervisors see exactly what they would have seen.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "cli.h"
#include "units.h"
#include "html/page.h"
#include "launch.h"
#include "report/report.h"
#include "report/report_locate.h"
#include "outfile.h"
#include "rules_check.h"
#include "static_elf.h"
#include "report/summary.h"
#include "python_hooks.h"

static const char usage[] =
    "usage: heaptag run [-o PATH] [--quiet] [--format table|json] [--stacks[=DEPTH]]\n"
    "                   [--rules FILE] [--timeline bytes|ms] [--python] [--html OUT]\n"
    "                   [--sample=MEAN]\n"
    "                   [--] PROGRAM [ARGS...]\n"
    "\n"
    "Run PROGRAM with libheaptag.so preloaded (in front of any LD_PRELOAD), then\n"
    "print its per-type summary on stderr.  stdin, stdout and stderr pass through;\n"
    "SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 are forwarded.\n"
    "\n"
    "  -o, --output PATH  put PROGRAM's own report at PATH (reports of processes it\n"
    "                     starts land beside it as heaptag.NAME.PID.json); without\n"
    "                     -o the tracker's default applies (HEAPTAG_OUT, else\n"
    "                     ./heaptag.NAME.PID.json)\n"
    "  -q, --quiet        print no summary (problems are still reported)\n"
    "  --format FMT       table (default) or json, on stderr\n"
    "  --sample=MEAN      sampled mode: record about one block per MEAN bytes\n"
    "                     allocated (e.g. 512KiB; estimates, stacks on at depth\n"
    "                     32 unless --stacks says otherwise): sets HEAPTAG_SAMPLE\n"
    "  --stacks[=DEPTH]   record each allocation's call stack, DEPTH frames (1-128,\n"
    "                     default 32): sets HEAPTAG_STACKS\n"
    "  --rules FILE       type rules (TYPE FUNCTION-GLOB [MODULE-GLOB] per line), checked\n"
    "                     before PROGRAM starts: sets HEAPTAG_RULES (implies --stacks)\n"
    "  --timeline UNIT    timeline samples every so many bytes allocated (bytes,\n"
    "                     the default) or milliseconds (ms): sets HEAPTAG_TIMELINE\n"
    "  --python           PROGRAM is CPython: report its pymalloc blocks too (loads\n"
    "                     heaptag's hooks at start-up through PYTHONPATH)\n"
    "  --html OUT         also write the run's page to OUT (as heaptag report\n"
    "                     --format html, with the command line in its header)\n"
    "  -h, --help         this help\n"
    "\n"
    "The tracker is ../lib/libheaptag.so next to this heaptag binary, or\n"
    "$HEAPTAG_LIB when set.\n"
    "\n"
    "Exit status: PROGRAM's; if PROGRAM died of a signal, heaptag kills itself\n"
    "with the same signal.  2: usage error or tracker not found before running;\n"
    "126/127: PROGRAM could not be executed.\n";

/* Processes of the run other than the child (a daemon's, which may outlive
 * the run) write their final names at once, beside -o's path: the tracker
 * reads HEAPTAG_RUN_OTHERS, and tells the child by its HEAPTAG_RUN_PID. */
static int set_run_others(const char *out_dir)
{
    char *t;
    if (asprintf(&t, "%s/heaptag.%%e.%%p.json", out_dir) < 0)
        return -1;
    int rc = setenv("HEAPTAG_RUN_OTHERS", t, 1);
    free(t);
    return rc;
}

/* With -o, every tracked process of the run writes to
 * DIR/.heaptag.NAME.PID.json.tmp-run.RUN: heaptag cannot predict the name
 * PROGRAM will have after exec, only its pid.  Afterwards the direct
 * child's file becomes PATH and the others get their ordinary names. */
static const char run_prefix[] = ".heaptag.";
/* ".json.tmp-run.HEAPTAG_PID": this run's own, so that two runs writing to
 * the same directory never take each other's reports. */
static char run_suffix[48];

static void set_run_suffix(void)
{
    snprintf(run_suffix, sizeof run_suffix, ".json.tmp-run.%d", (int)getpid());
}

static void rename_others(const char *dir, pid_t child, const struct timespec *since)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char pidbuf[24], pattern[80];
    snprintf(pidbuf, sizeof pidbuf, "%d", (int)child);
    snprintf(pattern, sizeof pattern, "%s%%e.%%p%s", run_prefix, run_suffix);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!ht_template_match(pattern, e->d_name, NULL) ||
            ht_template_match(pattern, e->d_name, pidbuf))
            continue;
        char *from, *to;
        size_t keep = strlen(e->d_name) - strlen(run_suffix) - strlen(run_prefix);
        if (asprintf(&from, "%s/%s", dir, e->d_name) < 0)
            continue;
        if (asprintf(&to, "%s/heaptag.%.*s.json", dir, (int)keep, e->d_name + strlen(run_prefix)) <
            0) {
            free(from);
            continue;
        }
        struct stat st;
        if (stat(from, &st) == 0 && S_ISREG(st.st_mode) &&
            (st.st_mtim.tv_sec > since->tv_sec ||
             (st.st_mtim.tv_sec == since->tv_sec && st.st_mtim.tv_nsec >= since->tv_nsec)))
            rename(from, to);
        free(from);
        free(to);
    }
    closedir(d);
}

static void say_no_report(pid_t pid, int status)
{
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char *why = sig == SIGKILL ? "a process killed by SIGKILL cannot write one"
                          : (sig == SIGTERM || sig == SIGINT)
                              ? "set HEAPTAG_DUMP_ON_SIGNAL=1 to get a report on SIGTERM/SIGINT"
                              : "a process that dies by a signal writes no report";
        fprintf(stderr, "heaptag: no report from %d (killed by SIG%s: %s)\n", (int)pid,
                sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", why);
    } else {
        fprintf(stderr,
                "heaptag: no report from %d (exited with status %d without writing "
                "one: _exit(), an untracked exec, or an unwritable report path)\n",
                (int)pid, WEXITSTATUS(status));
    }
}

struct run_opts {
    const char *output, *rules, *timeline, *html, *sample;
    char sample_buf[32];
    int stacks; /* 0: leave HEAPTAG_STACKS alone */
    int quiet, python;
    enum ht_format fmt;
    char **child_argv;
};

/* -1 when the options are good and the program should run, else the exit
 * status to return (0 for --help). */
static int parse_options(int argc, char **argv, struct run_opts *o)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"format", required_argument, NULL, 'f'},
        {"stacks", optional_argument, NULL, 'S'},
        {"rules", required_argument, NULL, 'R'},
        {"timeline", required_argument, NULL, 'T'},
        {"sample", required_argument, NULL, 'M'},
        {"python", no_argument, NULL, 'P'},
        {"html", required_argument, NULL, 'W'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+o:qf:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': o->output = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'f':
            if (ht_format_parse(optarg, 1u << HT_FMT_TABLE | 1u << HT_FMT_JSON, &o->fmt))
                return ht_usage_error("run", "unknown format '%s'", optarg);
            break;
        case 'S':
            if (!optarg) {
                o->stacks = 32;
            } else {
                long d;
                if (ht_parse_count(optarg, 1, 128, &d) != 0)
                    return ht_usage_error("run", "bad stack depth '%s' (1 to 128)", optarg);
                o->stacks = (int)d;
            }
            break;
        case 'R': o->rules = optarg; break;
        case 'T':
            if (strcmp(optarg, "bytes") && strcmp(optarg, "ms"))
                return ht_usage_error("run", "unknown timeline unit '%s' (bytes or ms)", optarg);
            o->timeline = optarg;
            break;
        case 'P': o->python = 1; break;
        case 'M': {
            double b;
            if (ht_parse_bytes(optarg, &b) || b < 1 || b > 1099511627776.0 ||
                b != (double)(long long)b)
                return ht_usage_error("run", "bad sampling mean '%s' (bytes, e.g. 512KiB)", optarg);
            /* Passed on as a plain count: "1.5K" is fine here too. */
            snprintf(o->sample_buf, sizeof o->sample_buf, "%lld", (long long)b);
            o->sample = o->sample_buf;
            break;
        }
        case 'W': o->html = optarg; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return ht_bad_option("run", optopt, argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return ht_usage_error("run", "no program given");
    o->child_argv = argv + optind;
    return -1;
}

/* HEAPTAG_STACKS, HEAPTAG_RULES and HEAPTAG_TIMELINE for the program.
 * 0, or HT_EXIT_USAGE after a message. */
static int tracker_settings(struct run_opts *o)
{
    char err[PATH_MAX + 256];
    /* Rules only act on stacks; a bad file must stop us before the
	 * program runs, with the line the tracker would have complained of. */
    char *rules_abs = NULL;
    if (o->rules) {
        int nrules;
        if (ht_rules_check(o->rules, &nrules, err, sizeof err) != 0) {
            fprintf(stderr, "heaptag: %s\n", err);
            return HT_EXIT_USAGE;
        }
        if (!(rules_abs = realpath(o->rules, NULL))) {
            fprintf(stderr, "heaptag: %s: %s\n", o->rules, strerror(errno));
            return HT_EXIT_USAGE;
        }
        if (!o->stacks && !getenv("HEAPTAG_STACKS"))
            o->stacks = 32;
    }
    char depth[16];
    snprintf(depth, sizeof depth, "%d", o->stacks);
    if ((o->stacks && setenv("HEAPTAG_STACKS", depth, 1)) ||
        (rules_abs && setenv("HEAPTAG_RULES", rules_abs, 1)) ||
        (o->timeline && setenv("HEAPTAG_TIMELINE", o->timeline, 1)) ||
        (o->sample && setenv("HEAPTAG_SAMPLE", o->sample, 1))) {
        fprintf(stderr, "heaptag: run: out of memory\n");
        free(rules_abs);
        return HT_EXIT_USAGE;
    }
    free(rules_abs);
    return 0;
}

/* Where the reports go: with -o, OUT_PATH (absolute), its directory and the
 * HEAPTAG_OUT template every process of the run writes to; TEMPLATE is the
 * one in force either way, for finding the program's report afterwards. */
struct run_output {
    char cwd[PATH_MAX];
    char *out_path, *out_dir, *out_template, *template;
    struct ht_out_target target; /* what -o names (outfile.h) */
};

static void run_output_free(struct run_output *w)
{
    free(w->template);
    free(w->out_path);
    free(w->out_dir);
    free(w->out_template);
    ht_out_target_free(&w->target);
}

/* Resolve -o and refuse an unusable destination now, before the program
 * runs, rather than losing its report afterwards.  0, or the exit status
 * after a message. */
static int prepare_output(const char *output, struct run_output *w)
{
    if (!getcwd(w->cwd, sizeof w->cwd)) {
        fprintf(stderr, "heaptag: run: cannot get the current directory: %s\n", strerror(errno));
        return HT_EXIT_USAGE;
    }
    if (output) {
        /* What -o means for each kind of path: outfile.h. */
        char err[PATH_MAX + 256];
        if (ht_out_resolve(output, &w->target, err, sizeof err) != 0) {
            fprintf(stderr, "heaptag: run: %s: %s\n", output, err);
            return HT_EXIT_USAGE;
        }
        /* Not replaced (stdout, a device, a FIFO): the tracker writes
		 * in the current directory and the report is copied there. */
        const char *dest = w->target.kind == HT_OUT_REPLACE ? w->target.path : "report";
        if (dest[0] == '/')
            w->out_path = strdup(dest);
        else if (asprintf(&w->out_path, "%s/%s", w->cwd, dest) < 0)
            w->out_path = NULL;
        char *tmp = w->out_path ? strdup(w->out_path) : NULL;
        w->out_dir = tmp ? strdup(dirname(tmp)) : NULL;
        free(tmp);
        if (!w->out_dir ||
            asprintf(&w->out_template, "%s/%s%%e.%%p%s", w->out_dir, run_prefix, run_suffix) < 0) {
            fprintf(stderr, "heaptag: run: out of memory\n");
            return HT_EXIT_USAGE;
        }
        struct stat st;
        if (stat(w->out_dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
            access(w->out_dir, W_OK | X_OK) != 0) {
            fprintf(stderr,
                    "heaptag: run: cannot write %s: directory %s is missing or not writable\n",
                    output, w->out_dir);
            return HT_EXIT_USAGE;
        }
    }
    const char *user_template = getenv("HEAPTAG_OUT");
    w->template = strdup(w->out_template                   ? w->out_template
                         : user_template && *user_template ? user_template
                                                           : "heaptag.%e.%p.json");
    if (!w->template) {
        fprintf(stderr, "heaptag: run: out of memory\n");
        return HT_EXIT_USAGE;
    }
    return 0;
}

/* Copy the report FOUND to -o's stdout, device or FIFO; if that fails,
 * keep the report under its ordinary, visible name and say where. */
static void deliver(const struct run_opts *o, const struct run_output *w, const char *found)
{
    char err[PATH_MAX + 256];
    if (ht_out_deliver(found, &w->target, err, sizeof err) == 0)
        return;
    const char *slash = strrchr(found, '/');
    const char *base = slash ? slash + 1 : found;
    size_t keep = strlen(base) - strlen(run_suffix) - strlen(run_prefix);
    char *plain = NULL;
    if (asprintf(&plain, "%.*s/heaptag.%.*s.json", (int)(base - found - 1), found, (int)keep,
                 base + strlen(run_prefix)) > 0 &&
        rename(found, plain) == 0)
        fprintf(stderr, "heaptag: run: %s: %s (the report is at %s)\n", o->output, err, plain);
    else
        fprintf(stderr, "heaptag: run: %s: %s (the report is left at %s)\n", o->output, err, found);
    free(plain);
}

/* Print the summary of the report program PID left (moving it to -o's
 * path first), or say why there is none. */
static void show_report(const struct run_opts *o, const struct run_output *w, pid_t pid, int status,
                        const struct timespec *start)
{
    char err[PATH_MAX + 256];
    char *found = NULL;
    if (ht_report_locate(w->template, w->cwd, pid, start, &found, err, sizeof err) != 0) {
        fprintf(stderr, "heaptag: %s\n", err);
        return;
    }
    if (!found && ht_program_is_static(o->child_argv[0]) == 1) {
        fprintf(stderr,
                "heaptag: no report from %d: %s is statically linked, so the tracker "
                "(loaded with LD_PRELOAD) never ran in it; profile a dynamically linked build\n",
                (int)pid, o->child_argv[0]);
        return;
    }
    if (!found) {
        say_no_report(pid, status);
        return;
    }
    const char *report_path = found;
    if (w->out_path && w->target.kind == HT_OUT_REPLACE) {
        if (rename(found, w->out_path) == 0)
            report_path = w->out_path;
        else
            fprintf(stderr,
                    "heaptag: run: cannot move the report to %s: %s "
                    "(left at %s)\n",
                    o->output, strerror(errno), found);
    }
    struct ht_report *r = ht_report_load(report_path, err, sizeof err);
    if (!r) {
        fprintf(stderr, "heaptag: %s: %s\n", report_path, err);
    } else {
        if (r->pid != pid)
            fprintf(stderr, "heaptag: %s: written by pid %lld, not %d\n", report_path,
                    (long long)r->pid, (int)pid);
        else if (!o->quiet && o->fmt == HT_FMT_JSON)
            ht_summary_json(stderr, r);
        else if (!o->quiet) {
            fprintf(stderr, "heaptag: report %s\n", report_path);
            ht_summary_table(stderr, r);
        }
        if (o->html && r->pid == pid &&
            ht_page_write_file(o->html, r, &(struct ht_page_opts){.argv = o->child_argv}, err,
                               sizeof err))
            fprintf(stderr, "heaptag: run: %s: %s\n", o->html, err);
        ht_report_free(r);
    }
    if (w->out_path && w->target.kind != HT_OUT_REPLACE)
        deliver(o, w, found);
    free(found);
}

/* The tracker to preload, or NULL after a message. */
static char *tracker_path(void)
{
    char tried[PATH_MAX + 32];
    char *tracker = ht_find_tracker(tried, sizeof tried);
    if (tracker)
        return tracker;
    const char *env = getenv("HEAPTAG_LIB");
    if (!tried[0])
        fprintf(stderr,
                "heaptag: run: cannot find libheaptag.so: /proc/self/exe: %s; "
                "set HEAPTAG_LIB\n",
                strerror(errno));
    else
        fprintf(stderr, "heaptag: run: cannot find libheaptag.so at %s: %s%s\n", tried,
                strerror(errno), env && *env ? "" : " (set HEAPTAG_LIB)");
    return NULL;
}

/* Run the program with the tracker preloaded and signals forwarded.  The
 * program's pid and wait status and 0, or the exit status of a run that
 * never got going (2; the program could not be executed: 127/126). */
static int run_program(const struct run_opts *o, const struct run_output *w, const char *tracker,
                       pid_t *pid, int *status)
{
    char err[PATH_MAX + 256];
    struct ht_launch l = {
        .argv = o->child_argv,
        .preload = tracker,
        .heaptag_out = w->out_template,
        .forward_signals = 1,
        .mark_run_pid = w->out_template != NULL,
    };
    struct ht_launched done;
    if (ht_launch(&l, &done, err, sizeof err) < 0) {
        fprintf(stderr, "heaptag: run: %s\n", err);
        return HT_EXIT_USAGE;
    }
    if (done.exec_errno) {
        fprintf(stderr, "heaptag: run: cannot run %s: %s\n", o->child_argv[0],
                strerror(done.exec_errno));
        return ht_exec_failure_status(done.exec_errno);
    }
    *pid = done.pid;
    *status = done.status;
    return 0;
}

int cmd_run(int argc, char **argv)
{
    struct run_opts o = {.fmt = HT_FMT_TABLE};
    set_run_suffix();
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if ((rc = tracker_settings(&o)) != 0)
        return rc;
    char *tracker = tracker_path();
    if (!tracker)
        return HT_EXIT_USAGE;
    char err[PATH_MAX + 256];
    if (o.python && ht_python_env(tracker, err, sizeof err) != 0) {
        fprintf(stderr, "heaptag: run: %s\n", err);
        free(tracker);
        return HT_EXIT_USAGE;
    }
    struct run_output w = {0};
    pid_t pid = 0;
    int status = 0;
    /* Reports count from after the output checks; file systems stamp files
	 * with the coarse clock, so compare against that one. */
    struct timespec start;
    if ((rc = prepare_output(o.output, &w)) == 0 && w.out_dir && set_run_others(w.out_dir) != 0) {
        fprintf(stderr, "heaptag: run: out of memory\n");
        rc = HT_EXIT_USAGE;
    }
    if (rc == 0) {
        clock_gettime(CLOCK_REALTIME_COARSE, &start);
        rc = run_program(&o, &w, tracker, &pid, &status);
    }
    if (rc != 0) {
        free(tracker);
        run_output_free(&w);
        return rc;
    }
    free(tracker);
    show_report(&o, &w, pid, status, &start);
    if (w.out_dir)
        rename_others(w.out_dir, pid, &start);
    run_output_free(&w);
    return ht_exit_like(status);
}
