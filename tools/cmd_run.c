/*
 * cmd_run.c — `heaptag run [-o PATH] -- PROGRAM [ARGS...]`.
 *
 * heaptag stays the parent of PROGRAM so it can forward signals, wait for
 * it and then read the report it left.  It must be invisible otherwise:
 * stdin/stdout/stderr are inherited untouched, the exit status is the
 * child's, and a child killed by a signal makes heaptag die by that same
 * signal, so shells and supervisors see exactly what they would have seen.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "cli.h"
#include "report/report.h"
#include "report/report_locate.h"
#include "outfile.h"
#include "rules_check.h"
#include "static_elf.h"
#include "units.h"
#include "report/summary.h"

static const char usage[] =
	"usage: heaptag run [-o PATH] [--quiet] [--format table|json] [--stacks[=DEPTH]]\n"
	"                   [--rules FILE] [--timeline bytes|ms] [--] PROGRAM [ARGS...]\n"
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
	"  --stacks[=DEPTH]   record each allocation's call stack, DEPTH frames (1-128,\n"
	"                     default 32): sets HEAPTAG_STACKS\n"
	"  --rules FILE       type rules (TYPE FUNCTION-GLOB [MODULE-GLOB] per line), checked\n"
	"                     before PROGRAM starts: sets HEAPTAG_RULES (implies --stacks)\n"
	"  --timeline UNIT    timeline samples every so many bytes allocated (bytes,\n"
	"                     the default) or milliseconds (ms): sets HEAPTAG_TIMELINE\n"
	"  -h, --help         this help\n"
	"\n"
	"The tracker is ../lib/libheaptag.so next to this heaptag binary, or\n"
	"$HEAPTAG_LIB when set.\n"
	"\n"
	"Exit status: PROGRAM's; if PROGRAM died of a signal, heaptag kills itself\n"
	"with the same signal.  2: usage error or tracker not found before running;\n"
	"126/127: PROGRAM could not be executed.\n";

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
#define NFORWARDED (sizeof forwarded / sizeof *forwarded)

static volatile pid_t child_pid;

static void forward(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	/* A terminal's ^C, ^\ or hangup is sent by the kernel to the whole
	 * foreground process group, the child included; forwarding it as
	 * well would deliver it twice. */
	if (si && si->si_code == SI_KERNEL)
		return;
	if (child_pid > 0)
		kill(child_pid, sig);
}

/* The absolute path of libheaptag.so, or NULL with a reason in ERR. */
static char *find_tracker(char *err, size_t errlen)
{
	const char *env = getenv("HEAPTAG_LIB");
	char candidate[PATH_MAX + 32];
	if (env && *env) {
		snprintf(candidate, sizeof candidate, "%s", env);
	} else {
		char self[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
		if (n < 0) {
			snprintf(err, errlen, "cannot find libheaptag.so: /proc/self/exe: %s; set HEAPTAG_LIB",
				 strerror(errno));
			return NULL;
		}
		self[n] = '\0';
		snprintf(candidate, sizeof candidate, "%s/../lib/libheaptag.so", dirname(self));
	}
	char *abs = realpath(candidate, NULL);
	if (!abs || access(abs, R_OK) != 0) {
		snprintf(err, errlen, "cannot find libheaptag.so at %s: %s%s", candidate, strerror(errno),
			 env && *env ? "" : " (set HEAPTAG_LIB)");
		free(abs);
		return NULL;
	}
	return abs;
}

static int setup_env(const char *tracker, const char *out_template)
{
	const char *old = getenv("LD_PRELOAD");
	char *preload;
	if (old && *old) {
		if (asprintf(&preload, "%s:%s", tracker, old) < 0)
			return -1;
	} else if (!(preload = strdup(tracker))) {
		return -1;
	}
	int rc = setenv("LD_PRELOAD", preload, 1);
	free(preload);
	if (rc == 0 && out_template)
		rc = setenv("HEAPTAG_OUT", out_template, 1);
	return rc;
}

/* With -o, every tracked process of the run writes to
 * DIR/.heaptag.NAME.PID.json.tmp-run: heaptag cannot predict the name
 * PROGRAM will have after exec, only its pid.  Afterwards the direct
 * child's file becomes PATH and the others get their ordinary names. */
static const char run_prefix[] = ".heaptag.";
static const char run_suffix[] = ".json.tmp-run";

static void rename_others(const char *dir, pid_t child, const struct timespec *since)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char pidbuf[24];
	snprintf(pidbuf, sizeof pidbuf, "%d", (int)child);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!ht_template_match(".heaptag.%e.%p.json.tmp-run", e->d_name, NULL) ||
		    ht_template_match(".heaptag.%e.%p.json.tmp-run", e->d_name, pidbuf))
			continue;
		char *from, *to;
		size_t keep = strlen(e->d_name) - strlen(run_suffix) - strlen(run_prefix);
		if (asprintf(&from, "%s/%s", dir, e->d_name) < 0)
			continue;
		if (asprintf(&to, "%s/heaptag.%.*s.json", dir, (int)keep,
			     e->d_name + strlen(run_prefix)) < 0) {
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
		fprintf(stderr, "heaptag: no report from %d (exited with status %d without writing "
			"one: _exit(), an untracked exec, or an unwritable report path)\n",
			(int)pid, WEXITSTATUS(status));
	}
}

/* Die the way the child died, so our caller cannot tell us apart. */
static int mirror_exit(int status)
{
	if (!WIFSIGNALED(status))
		return WEXITSTATUS(status);
	int sig = WTERMSIG(status);
	/* The child already dumped core if it was going to; a second core
	 * from heaptag would only overwrite it with a useless one. */
	struct rlimit nocore = { 0, 0 };
	setrlimit(RLIMIT_CORE, &nocore);
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	fflush(NULL);
	raise(sig);
	return 128 + sig;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "format", required_argument, NULL, 'f' },
		{ "stacks", optional_argument, NULL, 'S' },
		{ "rules", required_argument, NULL, 'R' },
		{ "timeline", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL, *rules = NULL, *timeline = NULL;
	int stacks = 0; /* 0: leave HEAPTAG_STACKS alone */
	int quiet = 0;
	enum ht_format fmt = HT_FMT_TABLE;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+o:qf:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'f':
			if (ht_format_parse(optarg, 1u << HT_FMT_TABLE | 1u << HT_FMT_JSON, &fmt))
				return ht_usage_error("run", "unknown format '%s'", optarg);
			break;
		case 'S':
			if (!optarg) {
				stacks = 32;
			} else {
				long d;
				if (ht_parse_count(optarg, 1, 128, &d) != 0)
					return ht_usage_error("run", "bad stack depth '%s' (1 to 128)", optarg);
				stacks = (int)d;
			}
			break;
		case 'R':
			rules = optarg;
			break;
		case 'T':
			if (strcmp(optarg, "bytes") && strcmp(optarg, "ms"))
				return ht_usage_error("run", "unknown timeline unit '%s' (bytes or ms)", optarg);
			timeline = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return ht_bad_option("run", optopt, argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return ht_usage_error("run", "no program given");
	char **child_argv = argv + optind;

	char err[PATH_MAX + 256];
	/* Rules only act on stacks; a bad file must stop us before the
	 * program runs, with the line the tracker would have complained of. */
	char *rules_abs = NULL;
	if (rules) {
		int nrules;
		if (ht_rules_check(rules, &nrules, err, sizeof err) != 0) {
			fprintf(stderr, "heaptag: %s\n", err);
			return HT_EXIT_USAGE;
		}
		if (!(rules_abs = realpath(rules, NULL))) {
			fprintf(stderr, "heaptag: %s: %s\n", rules, strerror(errno));
			return HT_EXIT_USAGE;
		}
		if (!stacks && !getenv("HEAPTAG_STACKS"))
			stacks = 32;
	}
	char depth[16];
	snprintf(depth, sizeof depth, "%d", stacks);
	if ((stacks && setenv("HEAPTAG_STACKS", depth, 1)) ||
	    (rules_abs && setenv("HEAPTAG_RULES", rules_abs, 1)) ||
	    (timeline && setenv("HEAPTAG_TIMELINE", timeline, 1))) {
		fprintf(stderr, "heaptag: run: out of memory\n");
		free(rules_abs);
		return HT_EXIT_USAGE;
	}
	free(rules_abs);
	char *out_path = NULL, *out_dir = NULL, *out_template = NULL, *template = NULL;
	struct ht_out_target target = { 0 };
	char *found = NULL;
	int rc = HT_EXIT_USAGE, status = 0, ran = 0; /* rc: the status of an early exit */
	char *tracker = find_tracker(err, sizeof err);
	if (!tracker) {
		fprintf(stderr, "heaptag: run: %s\n", err);
		return HT_EXIT_USAGE;
	}
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd)) {
		fprintf(stderr, "heaptag: run: cannot get the current directory: %s\n", strerror(errno));
		goto done;
	}

	/* Resolve -o and refuse an unusable destination now, before the
	 * program runs, rather than losing its report afterwards. */
	if (output) {
		/* What -o means for each kind of path: outfile.h. */
		if (ht_out_resolve(output, &target, err, sizeof err) != 0) {
			fprintf(stderr, "heaptag: run: %s: %s\n", output, err);
			goto done;
		}
		/* Not replaced (stdout, a device, a FIFO): the tracker writes
		 * in the current directory and the report is copied there. */
		const char *dest = target.kind == HT_OUT_REPLACE ? target.path : "report";
		if (dest[0] == '/')
			out_path = strdup(dest);
		else if (asprintf(&out_path, "%s/%s", cwd, dest) < 0)
			out_path = NULL;
		char *tmp = out_path ? strdup(out_path) : NULL;
		out_dir = tmp ? strdup(dirname(tmp)) : NULL;
		free(tmp);
		if (!out_dir || asprintf(&out_template, "%s/%s%%e.%%p%s", out_dir, run_prefix,
					 run_suffix) < 0) {
			fprintf(stderr, "heaptag: run: out of memory\n");
			goto done;
		}
		struct stat st;
		if (stat(out_dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(out_dir, W_OK | X_OK) != 0) {
			fprintf(stderr, "heaptag: run: cannot write %s: directory %s is missing or not writable\n",
				output, out_dir);
			goto done;
		}
	}
	const char *user_template = getenv("HEAPTAG_OUT");
	template = strdup(out_template ? out_template
				: user_template && *user_template ? user_template
				: "heaptag.%e.%p.json");
	if (!template || setup_env(tracker, out_template)) {
		fprintf(stderr, "heaptag: run: out of memory\n");
		goto done;
	}

	/* Block the forwarded signals until the child's pid is known, so
	 * none arrives in the window where there is nobody to forward to. */
	sigset_t block, old_mask;
	sigemptyset(&block);
	for (size_t i = 0; i < NFORWARDED; i++)
		sigaddset(&block, forwarded[i]);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	struct sigaction sa = { 0 }, old_sa[NFORWARDED];
	sa.sa_sigaction = forward;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NFORWARDED; i++)
		sigaction(forwarded[i], &sa, &old_sa[i]);

	/* Reports count from here; file systems stamp files with the coarse
	 * clock, so compare against that one. */
	struct timespec start;
	clock_gettime(CLOCK_REALTIME_COARSE, &start);

	int exec_pipe[2];
	if (pipe2(exec_pipe, O_CLOEXEC) != 0) {
		fprintf(stderr, "heaptag: run: pipe: %s\n", strerror(errno));
		goto done;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "heaptag: run: fork: %s\n", strerror(errno));
		goto done;
	}
	if (pid == 0) {
		for (size_t i = 0; i < NFORWARDED; i++)
			sigaction(forwarded[i], &old_sa[i], NULL);
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		close(exec_pipe[0]);
		execvp(child_argv[0], child_argv);
		int e = errno;
		if (write(exec_pipe[1], &e, sizeof e) < 0)
			_exit(127);
		_exit(e == ENOENT ? 127 : 126);
	}
	child_pid = pid;
	close(exec_pipe[1]);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);

	int exec_errno = 0;
	ssize_t n;
	while ((n = read(exec_pipe[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR)
		;
	close(exec_pipe[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "heaptag: run: waitpid: %s\n", strerror(errno));
			goto done;
		}
	}
	child_pid = 0;
	/* Nobody left to forward to: a SIGTERM (timeout, a supervisor) while
	 * the report is read or delivered must end heaptag, not vanish. */
	for (size_t i = 0; i < NFORWARDED; i++)
		sigaction(forwarded[i], &old_sa[i], NULL);
	if (n == (ssize_t)sizeof exec_errno) {
		fprintf(stderr, "heaptag: run: cannot run %s: %s\n", child_argv[0], strerror(exec_errno));
		{ rc = exec_errno == ENOENT ? 127 : 126; goto done; }
	}

	ran = 1;
	if (ht_report_locate(template, cwd, pid, &start, &found, err, sizeof err) != 0) {
		fprintf(stderr, "heaptag: %s\n", err);
	} else if (!found && ht_program_is_static(child_argv[0]) == 1) {
		fprintf(stderr, "heaptag: no report from %d: %s is statically linked, so the tracker "
			"(loaded with LD_PRELOAD) never ran in it; profile a dynamically linked build\n",
			(int)pid, child_argv[0]);
	} else if (!found) {
		say_no_report(pid, status);
	} else {
		const char *report_path = found;
		if (out_path && target.kind == HT_OUT_REPLACE) {
			if (rename(found, out_path) == 0)
				report_path = out_path;
			else
				fprintf(stderr, "heaptag: run: cannot move the report to %s: %s "
					"(left at %s)\n", output, strerror(errno), found);
		}
		struct ht_report *r = ht_report_load(report_path, err, sizeof err);
		if (!r) {
			fprintf(stderr, "heaptag: %s: %s\n", report_path, err);
		} else {
			if (r->pid != pid)
				fprintf(stderr, "heaptag: %s: written by pid %lld, not %d\n", report_path,
					(long long)r->pid, (int)pid);
			else if (!quiet && fmt == HT_FMT_JSON)
				ht_summary_json(stderr, r);
			else if (!quiet) {
				fprintf(stderr, "heaptag: report %s\n", report_path);
				ht_summary_table(stderr, r);
			}
			ht_report_free(r);
		}
		if (out_path && target.kind != HT_OUT_REPLACE &&
		    ht_out_deliver(found, &target, err, sizeof err) != 0) {
			/* Keep the report under its ordinary, visible name. */
			char *slash = strrchr(found, '/'), *plain = NULL;
			const char *base = slash ? slash + 1 : found;
			size_t keep = strlen(base) - strlen(run_suffix) - strlen(run_prefix);
			if (asprintf(&plain, "%.*s/heaptag.%.*s.json", (int)(base - found - 1), found, (int)keep,
				     base + strlen(run_prefix)) > 0 && rename(found, plain) == 0)
				fprintf(stderr, "heaptag: run: %s: %s (the report is at %s)\n", output, err, plain);
			else
				fprintf(stderr, "heaptag: run: %s: %s (the report is left at %s)\n", output, err, found);
			free(plain);
		}
	}
	if (out_dir)
		rename_others(out_dir, pid, &start);
done:
	free(found);
	free(template);
	free(tracker);
	free(out_path);
	free(out_dir);
	free(out_template);
	ht_out_target_free(&target);
	return ran ? mirror_exit(status) : rc;
}
