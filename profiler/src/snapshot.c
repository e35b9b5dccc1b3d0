/* Periodic snapshots (snapshot.h).
 *
 * The writer is report_write, which takes no lock and allocates nothing,
 * so the program's threads never wait for a snapshot: the thread only
 * reads counters.  It runs with every signal blocked, so the program's
 * signals (SIGUSR2, SIGTERM, its own) are delivered to its own threads.
 * Snapshot k is written at start + k * interval (absolute deadlines, no
 * drift) as DIR/snapshot-%06k.json; when k > KEEP, snapshot k - KEEP is
 * removed right after, so at most KEEP remain. */
#include "snapshot.h"
#include "ht_common.h"
#include "report.h"
#include "scope_stack.h"
#include "settings.h"
#include "text_buf.h"
#include "type_registry.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_INTERVAL 60
#define DEFAULT_KEEP 10

static long interval; /* seconds; 0: off */
static long keep = DEFAULT_KEEP;
static const char *dir_template = "heaptag.%e.%p.snapshots";
static char dir[HT_PATH_MAX];
static int running;  /* the thread exists in this process */
static int writing;  /* a snapshot is being written */
static int stopping; /* exit has begun: no new snapshot */

static long read_count(const char *name, long lo, long hi, long fallback, const char *what)
{
    const char *v = getenv(name);
    if (!v)
        return -1;
    char *end;
    long n = strtol(v, &end, 10);
    if (*v >= '0' && *v <= '9' && !*end && n >= lo && n <= hi)
        return n;
    char def[24];
    struct text_buf b = TEXT_BUF(def, sizeof def);
    tb_i64(&b, fallback);
    tb_cstr(&b);
    ht_warn("ignoring ", name, "='", v, "' (it takes ", what, "); using ", def, NULL);
    return fallback;
}

void snapshot_settings(void)
{
    long i =
        read_count("HEAPTAG_INTERVAL", 1, 86400, DEFAULT_INTERVAL, "whole seconds from 1 to 86400");
    long k = read_count("HEAPTAG_KEEP", 1, 1000000, DEFAULT_KEEP, "a count from 1 to 1000000");
    if (k > 0)
        keep = k;
    const char *d = getenv("HEAPTAG_SNAPSHOT_DIR");
    if (d) {
        const char *why = *d ? template_problem(d) : "it is empty";
        /* A trailing slash is fine for a directory. */
        if (why && strcmp(why, "it names a directory") != 0)
            ht_warn("ignoring HEAPTAG_SNAPSHOT_DIR='", d, "': ", why, NULL);
        else
            dir_template = d;
    }
    if (i > 0)
        interval = i;
}

/* DIR/snapshot-%06k.json as a report_write template: '%' doubled. */
static void snapshot_name(long k, char *out, size_t cap, int as_template)
{
    struct text_buf b = TEXT_BUF(out, cap);
    for (const char *p = dir; *p; p++) {
        tb_char(&b, *p);
        if (*p == '%' && as_template)
            tb_char(&b, '%');
    }
    tb_str(&b, "/snapshot-");
    char num[24];
    struct text_buf nb = TEXT_BUF(num, sizeof num);
    tb_u64(&nb, (uint64_t)k);
    tb_cstr(&nb);
    for (size_t z = strlen(num); z < 6; z++)
        tb_char(&b, '0');
    tb_str(&b, num);
    tb_str(&b, ".json");
    tb_cstr(&b);
}

static void *snapshot_main(void *arg)
{
    (void)arg;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    char path[HT_PATH_MAX + 64];
    for (long k = 1;; k++) {
        next.tv_sec += interval;
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
            ;
        __atomic_store_n(&writing, 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&stopping, __ATOMIC_SEQ_CST)) {
            __atomic_store_n(&writing, 0, __ATOMIC_SEQ_CST);
            return NULL;
        }
        snapshot_name(k, path, sizeof path, 1);
        int rc = report_write(path, "snapshot");
        if (rc == 0 && k > keep) {
            snapshot_name(k - keep, path, sizeof path, 0);
            unlink(path);
        }
        __atomic_store_n(&writing, 0, __ATOMIC_SEQ_CST);
        if (rc != 0) {
            ht_warn("snapshots stop (the warning above says why); the program runs on", NULL);
            return NULL;
        }
    }
}

void snapshot_start(void)
{
    if (!interval)
        return;
    if (report_expand_path(dir_template, dir, sizeof dir - 32) != 0) {
        ht_warn("no snapshots: HEAPTAG_SNAPSHOT_DIR is too long", NULL);
        return;
    }
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        dir[--n] = 0;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        const char *why = strerrordesc_np(errno);
        ht_warn("no snapshots: cannot create '", dir, "': ", why ? why : "error", NULL);
        return;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK | X_OK) != 0) {
        ht_warn("no snapshots: '", dir, "' is not a writable directory", NULL);
        return;
    }
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024); /* a report's buffers live on it */
    pthread_t t;
    /* pthread_create may allocate: the tracker's, not the program's. */
    scope_push_id(type_intern("heaptag.internal"));
    int rc = pthread_create(&t, &attr, snapshot_main, NULL);
    scope_pop();
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        ht_warn("no snapshots: cannot start the snapshot thread", NULL);
    else
        running = 1;
}

void snapshot_after_fork_child(void)
{
    running = 0;
    writing = 0;
}

void snapshot_stop(void)
{
    if (!running)
        return;
    __atomic_store_n(&stopping, 1, __ATOMIC_SEQ_CST);
    /* A snapshot being written finishes (up to 5 s) rather than leave a
     * temporary file behind. */
    for (int i = 0; i < 5000 && __atomic_load_n(&writing, __ATOMIC_SEQ_CST); i++) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
}
