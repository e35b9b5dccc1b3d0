/* Spawning the measured commands.
 *
 * A command that cannot be started, exits non-zero or dies by a signal is a failure: a
 * profile of a run that did not do its work would compare nothing.  The child reports an
 * exec failure through a close-on-exec pipe, so "command not found" is told apart from a
 * command that ran and failed.
 */
#include "massif/massif_run.h"
#include "massif/massif_parse.h"
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *massif_find_valgrind(void)
{
    const char *path = getenv("PATH");
    if (path == NULL || *path == '\0')
        path = "/usr/local/bin:/usr/bin:/bin";
    const char *p = path;
    while (*p) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        char cand[PATH_MAX];
        if (n > 0 && n + sizeof "/valgrind" < sizeof cand) {
            memcpy(cand, p, n);
            strcpy(cand + n, "/valgrind");
            struct stat st;
            if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
                return strdup(cand);
        }
        if (!colon)
            break;
        p = colon + 1;
    }
    return NULL;
}

/* The last non-empty line of a log, for error messages. */
static void last_log_line(const char *log_file, char *out, size_t outlen)
{
    out[0] = '\0';
    size_t len;
    char *buf = massif_read_file(log_file, &len);
    if (buf == NULL)
        return;
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = '\0';
    char *start = memrchr(buf, '\n', len);
    start = start ? start + 1 : buf;
    snprintf(out, outlen, ": %.200s", start);
    if (*start == '\0')
        out[0] = '\0';
    free(buf);
}

/* Run argv with its output in log_file; preload and heaptag_out as in
** struct ht_launch.  The child's pid and wait status, or -1 with err set. */
static int spawn_wait(char *const argv[], const char *log_file, const char *preload,
                      const char *heaptag_out, pid_t *pid_out, int *status, char *err,
                      size_t errlen)
{
    struct ht_launch l = {
        .argv = argv,
        .preload = preload,
        .heaptag_out = heaptag_out,
        .log_file = log_file,
    };
    struct ht_launched done;
    if (ht_launch(&l, &done, err, errlen) < 0)
        return -1;
    if (done.exec_errno) {
        snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(done.exec_errno));
        return -1;
    }
    *pid_out = done.pid;
    *status = done.status;
    return 0;
}

/* Describe a non-zero wait status: "exited with status 3", "killed by
** signal 9"; returns 0 for a clean exit. */
static int describe_failure(int st, char *out, size_t outlen)
{
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    if (WIFEXITED(st))
        snprintf(out, outlen, "exited with status %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(out, outlen, "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
    else
        snprintf(out, outlen, "ended with wait status %d", st);
    return -1;
}

int massif_run_valgrind(const char *valgrind, char *const argv[], const char *out_file,
                        const char *log_file, char *err, size_t errlen)
{
    size_t n = 0;
    while (argv[n])
        n++;
    /* --peak-inaccuracy=0 makes massif take a detailed snapshot at the
    ** true peak rather than within 1% of it, so its peak is exact and
    ** comparable with heaptag's; --threshold=0.1 keeps sites down to 0.1%
    ** of the heap in the trees instead of folding them below 1%. */
    static const char *const fixed[] = {
        "--tool=massif", "--pages-as-heap=no", "--peak-inaccuracy=0", "--threshold=0.1", "-q",
    };
    size_t nfixed = sizeof fixed / sizeof fixed[0];
    char **vargv = calloc(n + nfixed + 4, sizeof *vargv);
    char outopt[PATH_MAX + 32];
    if (vargv == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(outopt, sizeof outopt, "--massif-out-file=%s", out_file);
    size_t k = 0;
    vargv[k++] = (char *)valgrind;
    for (size_t i = 0; i < nfixed; i++)
        vargv[k++] = (char *)fixed[i];
    vargv[k++] = outopt;
    for (size_t i = 0; i < n; i++)
        vargv[k++] = argv[i];
    vargv[k] = NULL;
    pid_t pid;
    int st;
    int rc = spawn_wait(vargv, log_file, NULL, NULL, &pid, &st, err, errlen);
    free(vargv);
    if (rc < 0)
        return -1;
    char what[128], last[256];
    if (describe_failure(st, what, sizeof what) < 0) {
        last_log_line(log_file, last, sizeof last);
        snprintf(err, errlen, "'%s' %s under valgrind%s", argv[0], what, last);
        return -1;
    }
    return 0;
}

int massif_run_heaptag(const char *lib, char *const argv[], const char *report_dir,
                       const char *log_file, char *report_path, size_t report_path_len, char *err,
                       size_t errlen)
{
    char out_tmpl[PATH_MAX];
    snprintf(out_tmpl, sizeof out_tmpl, "%s/heaptag.%%p.json", report_dir);
    pid_t pid;
    int st;
    if (spawn_wait(argv, log_file, lib, out_tmpl, &pid, &st, err, errlen) < 0)
        return -1;
    char what[128], last[256];
    if (describe_failure(st, what, sizeof what) < 0) {
        last_log_line(log_file, last, sizeof last);
        snprintf(err, errlen, "'%s' %s under heaptag%s", argv[0], what, last);
        return -1;
    }
    snprintf(report_path, report_path_len, "%s/heaptag.%ld.json", report_dir, (long)pid);
    if (access(report_path, R_OK) != 0) {
        snprintf(err, errlen, "'%s' left no heaptag report (%s missing; did it end by _exit?)",
                 argv[0], report_path);
        return -1;
    }
    return 0;
}
