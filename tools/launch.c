/* launch.c: start a program as heaptag's child, wait for it, and end the way it ended;
 * what `heaptag run` and `heaptag massif` share. */

/*
 * The child's environment is composed in the parent (execvpe), so nothing
 * between fork and exec allocates.  The child reports an exec failure
 * through a close-on-exec pipe, so "command not found" is told apart from a
 * command that ran and failed.
 */
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
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

/* The forwarding handlers, installed with the forwarded signals blocked
 * until the child's pid is known, so none arrives in the window where there
 * is nobody to forward to.  OLD_SA and OLD_MASK are what the child gets back. */
struct signal_state {
    int active;
    sigset_t old_mask;
    struct sigaction old_sa[NFORWARDED];
};

static void forwarding_start(struct signal_state *s)
{
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < NFORWARDED; i++)
        sigaddset(&block, forwarded[i]);
    sigprocmask(SIG_BLOCK, &block, &s->old_mask);
    struct sigaction sa = {0};
    sa.sa_sigaction = forward;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NFORWARDED; i++)
        sigaction(forwarded[i], &sa, &s->old_sa[i]);
    s->active = 1;
}

/* The dispositions and mask heaptag was started with: in the child before
 * exec, and in heaptag once the child is gone. */
static void forwarding_undo(const struct signal_state *s)
{
    for (size_t i = 0; i < NFORWARDED; i++)
        sigaction(forwarded[i], &s->old_sa[i], NULL);
    sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
}

/* NAME=VALUE, with PREPEND: in front of the current value when there is one. */
static char *env_entry(const char *name, const char *value, int prepend)
{
    const char *old = prepend ? getenv(name) : NULL;
    char *e;
    if (old && *old ? asprintf(&e, "%s=%s:%s", name, value, old) < 0
                    : asprintf(&e, "%s=%s", name, value) < 0)
        return NULL;
    return e;
}

/* "HEAPTAG_RUN_PID=" and room for the digits, filled in by the child after
 * fork (the parent's copy stays blank). */
static char run_pid_entry[40] = "HEAPTAG_RUN_PID=";
#define RUN_PID_PREFIX (sizeof "HEAPTAG_RUN_PID=" - 1)

/* A copy of environ with LD_PRELOAD and HEAPTAG_OUT set as L asks; the
 * strings it adds are in ADDED[0..1] for the caller to free. */
static char **child_environ(const struct ht_launch *l, char *added[2])
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 4, sizeof *env);
    added[0] = l->preload ? env_entry("LD_PRELOAD", l->preload, 1) : NULL;
    added[1] = l->heaptag_out ? env_entry("HEAPTAG_OUT", l->heaptag_out, 0) : NULL;
    if (!env || (l->preload && !added[0]) || (l->heaptag_out && !added[1])) {
        free(env), free(added[0]), free(added[1]);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if ((added[0] && !strncmp(environ[i], "LD_PRELOAD=", 11)) ||
            (added[1] && !strncmp(environ[i], "HEAPTAG_OUT=", 12)) ||
            !strncmp(environ[i], run_pid_entry, RUN_PID_PREFIX))
            continue;
        env[k++] = environ[i];
    }
    for (int i = 0; i < 2; i++)
        if (added[i])
            env[k++] = added[i];
    if (l->mark_run_pid)
        env[k++] = run_pid_entry;
    env[k] = NULL;
    return env;
}

/* Between fork and exec: async-signal-safe calls only. */
static void exec_child(const struct ht_launch *l, char **env, int log_fd, int report_fd,
                       const struct signal_state *sig)
{
    if (sig->active)
        forwarding_undo(sig);
    if (l->mark_run_pid) {
        char digits[24];
        int nd = 0;
        for (unsigned long p = (unsigned long)getpid(); p || !nd; p /= 10)
            digits[nd++] = (char)('0' + p % 10);
        char *d = run_pid_entry + RUN_PID_PREFIX;
        while (nd)
            *d++ = digits[--nd];
        *d = '\0';
    }
    if (log_fd >= 0) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        dup2(log_fd, 1);
        dup2(log_fd, 2);
        signal(SIGPIPE, SIG_DFL);
    }
    execvpe(l->argv[0], l->argv, env);
    int e = errno;
    if (write(report_fd, &e, sizeof e) < 0)
        _exit(127);
    _exit(ht_exec_failure_status(e));
}

/* Wait for the child; its exec errno, if it sent one, into OUT. */
static int wait_child(pid_t pid, int report_fd, struct ht_launched *out, char *err, size_t errlen)
{
    int exec_errno = 0;
    ssize_t n;
    while ((n = read(report_fd, &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR)
        ;
    close(report_fd);
    while (waitpid(pid, &out->status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(err, errlen, "waitpid: %s", strerror(errno));
            return -1;
        }
    }
    out->pid = pid;
    out->exec_errno = n == (ssize_t)sizeof exec_errno ? exec_errno : 0;
    return 0;
}

int ht_launch(const struct ht_launch *l, struct ht_launched *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    char *added[2] = {NULL, NULL};
    char **env = child_environ(l, added);
    if (!env) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = -1, log_fd = -1, pfd[2] = {-1, -1};
    struct signal_state sig = {0};
    if (l->log_file &&
        (log_fd = open(l->log_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
        snprintf(err, errlen, "cannot create %s: %s", l->log_file, strerror(errno));
        goto done;
    }
    if (l->forward_signals)
        forwarding_start(&sig);
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        goto done;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        goto done;
    }
    if (pid == 0)
        exec_child(l, env, log_fd, pfd[1], &sig);
    child_pid = pid;
    close(pfd[1]);
    pfd[1] = -1;
    if (sig.active)
        sigprocmask(SIG_SETMASK, &sig.old_mask, NULL);
    rc = wait_child(pid, pfd[0], out, err, errlen);
    pfd[0] = -1;
    child_pid = 0;
done:
    /* Nobody left to forward to: a SIGTERM (timeout, a supervisor) while
     * the report is read or delivered must end heaptag, not vanish. */
    if (sig.active)
        forwarding_undo(&sig);
    for (int i = 0; i < 2; i++)
        if (pfd[i] >= 0)
            close(pfd[i]);
    if (log_fd >= 0)
        close(log_fd);
    free(env), free(added[0]), free(added[1]);
    return rc;
}

char *ht_find_tracker(char *tried, size_t triedlen)
{
    const char *env = getenv("HEAPTAG_LIB");
    tried[0] = '\0';
    if (env && *env) {
        snprintf(tried, triedlen, "%s", env);
    } else {
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0)
            return NULL;
        self[n] = '\0';
        snprintf(tried, triedlen, "%s/../lib/libheaptag.so", dirname(self));
    }
    char *abs = realpath(tried, NULL);
    if (!abs || access(abs, R_OK) != 0) {
        int e = errno;
        free(abs);
        errno = e;
        return NULL;
    }
    return abs;
}

int ht_exec_failure_status(int exec_errno) { return exec_errno == ENOENT ? 127 : 126; }

int ht_exit_like(int status)
{
    if (!WIFSIGNALED(status))
        return WEXITSTATUS(status);
    int sig = WTERMSIG(status);
    /* The child already dumped core if it was going to; a second core
     * from heaptag would only overwrite it with a useless one. */
    struct rlimit nocore = {0, 0};
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
