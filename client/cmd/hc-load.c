/* hc-load — N requests to one URL over K keep-alive connections.
 *
 * K threads, each with its own session (so one pool, one connection) and
 * its own Request, sending requests i with i % K == its index, so up to K
 * requests are in flight as with libcurl's multi interface.  Sessions are
 * not shared between threads; the library needs nothing more.  With --keep
 * every Response stays alive until the end: ADR-007's "10,000 requests"
 * scene, where the layout of Response and its parts decides the footprint.
 * The last line is key=value pairs for scripts; the exit status is 1 when
 * any request failed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hc.h"
#include "heaptag.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted V[0..n). */
static double percentile(const double *v, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t rank = (size_t)((p / 100.0) * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    return v[(rank > n ? n : rank) - 1];
}

static void usage(FILE *f)
{
    fputs("usage: hc-load URL [-n N] [-c K] [--keep] [-X METHOD] [--max-time SECS] [--dump PATH]\n"
          "  -n N          requests in all (default 100)\n"
          "  -c K          keep-alive connections, one thread and session each (default 1)\n"
          "  --keep        keep every Response alive until all are done\n"
          "  -X METHOD     request method (default GET)\n"
          "  --max-time S  total limit per request (default 30)\n"
          "  --dump PATH   with the heaptag tracker loaded, write a report to PATH\n"
          "                while the kept Responses are alive\n",
          f);
}

static int parse_count(const char *opt, const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > 100000000) {
        fprintf(stderr, "hc-load: option %s: expected a positive integer, got '%s'\n", opt, s);
        return -1;
    }
    *out = v;
    return 0;
}

struct job {
    const char *url, *method;
    double max_time;
    long n, k, index;
    hc_session *session;
    hc_response **kept; /* NULL unless --keep */
    double *lat;        /* one slot per request */
    char *ok;           /* one slot per request: 1 if it succeeded */
};

static atomic_long failed;
static atomic_int reported;

static void *run_job(void *arg)
{
    struct job *j = arg;
    hc_error *e = NULL;
    hc_request *req = hc_request_new(j->method, j->url, &e);
    if (!req) { /* cannot happen: main built the same request first */
        hc_error_free(e);
        atomic_fetch_add(&failed, (j->n - j->index + j->k - 1) / j->k);
        return NULL;
    }
    hc_request_set_timeout(req, hc_timeout_new(j->max_time, j->max_time, j->max_time));
    for (long i = j->index; i < j->n; i += j->k) {
        double start = now_s();
        hc_error *err = NULL;
        hc_response *r = hc_session_send(j->session, req, &err);
        j->lat[i] = (now_s() - start) * 1000.0;
        if (!r) {
            if (atomic_fetch_add(&reported, 1) == 0)
                fprintf(stderr, "hc-load: request %ld: %s\n", i + 1, hc_error_message(err));
            atomic_fetch_add(&failed, 1);
            hc_error_free(err);
            continue;
        }
        j->ok[i] = 1;
        if (j->kept)
            j->kept[i] = r;
        else
            hc_response_free(r);
    }
    hc_request_free(req);
    return NULL;
}

struct load_args {
    const char *url, *method, *dump;
    long n, k;
    int keep;
    double max_time;
};

/* -1 when the arguments are good, else the exit status to return. */
static int parse_args(int argc, char **argv, struct load_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int has_val = i + 1 < argc;
        if ((!strcmp(arg, "-n") || !strcmp(arg, "-c") || !strcmp(arg, "-X") ||
             !strcmp(arg, "--max-time") || !strcmp(arg, "--dump")) &&
            !has_val) {
            fprintf(stderr, "hc-load: option %s: requires parameter\n", arg);
            return 2;
        }
        if (!strcmp(arg, "-n")) {
            if (parse_count(arg, argv[++i], &a->n) != 0)
                return 2;
        } else if (!strcmp(arg, "-c")) {
            if (parse_count(arg, argv[++i], &a->k) != 0)
                return 2;
        } else if (!strcmp(arg, "-X")) {
            a->method = argv[++i];
        } else if (!strcmp(arg, "--max-time")) {
            char *end;
            a->max_time = strtod(argv[++i], &end);
            if (*end || !(a->max_time > 0)) {
                fprintf(stderr, "hc-load: option --max-time: expected a positive number\n");
                return 2;
            }
        } else if (!strcmp(arg, "--dump")) {
            a->dump = argv[++i];
        } else if (!strcmp(arg, "--keep")) {
            a->keep = 1;
        } else if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            usage(stdout);
            return 0;
        } else if (arg[0] == '-') {
            fprintf(stderr, "hc-load: option %s: is unknown\n", arg);
            return 2;
        } else if (a->url) {
            fprintf(stderr, "hc-load: only one URL is supported\n");
            return 2;
        } else {
            a->url = arg;
        }
    }
    if (!a->url) {
        usage(stderr);
        return 2;
    }
    return -1;
}

/* The run's threads and what they fill in, one slot per request. */
struct load_run {
    hc_session **sessions;
    hc_response **kept; /* NULL unless --keep */
    double *lat;
    char *ok;
    struct job *jobs;
    pthread_t *threads;
};

/* Start the K threads and wait for them; 0, or -1 after a message. */
static int run_threads(const struct load_args *a, struct load_run *r)
{
    for (long i = 0; i < a->k; i++) {
        r->jobs[i] = (struct job){a->url, a->method,      a->max_time, a->n,   a->k,
                                  i,      r->sessions[i], r->kept,     r->lat, r->ok};
        if (pthread_create(&r->threads[i], NULL, run_job, &r->jobs[i]) != 0) {
            fprintf(stderr, "hc-load: cannot start thread %ld: %s\n", i + 1, strerror(errno));
            return -1;
        }
    }
    for (long i = 0; i < a->k; i++)
        pthread_join(r->threads[i], NULL);
    return 0;
}

/* The report --dump asks for, while the kept Responses are alive. */
static void dump_report(const char *dump)
{
    if (!heaptag_dump)
        fprintf(stderr, "hc-load: --dump: the heaptag tracker is not loaded, no report written\n");
    else if (heaptag_dump(dump) != 0)
        fprintf(stderr, "hc-load: --dump: cannot write %s: %s\n", dump, strerror(errno));
}

static void print_results(const struct load_args *a, struct load_run *r, double secs, long live)
{
    long n = a->n, k = a->k;
    long connections = 0;
    for (long i = 0; i < k; i++)
        connections += hc_pool_opened(hc_session_pool(r->sessions[i]));
    long done = n;
    double *lat = r->lat;
    qsort(lat, (size_t)done, sizeof *lat, cmp_double);
    long nfailed = atomic_load(&failed);
    double rps = secs > 0 ? (double)(n - nfailed) / secs : 0;
    printf("requests: %ld  failed: %ld  connections: %ld  keep: %s  mode: %s\n", n, nfailed,
           connections, a->keep ? "yes" : "no", hc_build_mode());
    printf("requests/second: %.1f\n", rps);
    printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f\n", percentile(lat, (size_t)done, 50),
           percentile(lat, (size_t)done, 90), percentile(lat, (size_t)done, 99));
    printf("latency max ms: %.3f\n", done ? lat[done - 1] : 0.0);
    printf("live responses: %ld\n", live);
    printf("requests=%ld failed=%ld connections=%ld seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f "
           "p99_ms=%.3f "
           "live_responses=%ld mode=%s\n",
           n, nfailed, connections, secs, rps, percentile(lat, (size_t)done, 50),
           percentile(lat, (size_t)done, 90), percentile(lat, (size_t)done, 99), live,
           hc_build_mode());
}

static void free_run(const struct load_args *a, struct load_run *r)
{
    if (r->kept)
        for (long i = 0; i < a->n; i++)
            if (r->ok[i])
                hc_response_free(r->kept[i]);
    free(r->kept);
    free(r->lat);
    free(r->ok);
    free(r->jobs);
    free(r->threads);
    for (long i = 0; i < a->k; i++)
        hc_session_free(r->sessions[i]);
    free(r->sessions);
}

int main(int argc, char **argv)
{
    struct load_args a = {.method = "GET", .n = 100, .k = 1, .max_time = 30};
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    hc_error *e = NULL;
    hc_request *req = hc_request_new(a.method, a.url, &e);
    if (!req) {
        fprintf(stderr, "hc-load: %s\n", hc_error_message(e));
        hc_error_free(e);
        return 2;
    }
    if (a.k > a.n)
        a.k = a.n;
    struct load_run r = {0};
    r.sessions = calloc((size_t)a.k, sizeof *r.sessions);
    for (long i = 0; r.sessions && i < a.k; i++)
        r.sessions[i] = hc_session_new();
    r.kept = a.keep ? calloc((size_t)a.n, sizeof *r.kept) : NULL;
    r.lat = calloc((size_t)a.n, sizeof *r.lat);
    r.ok = calloc((size_t)a.n, 1);
    r.jobs = calloc((size_t)a.k, sizeof *r.jobs);
    r.threads = calloc((size_t)a.k, sizeof *r.threads);
    if (!r.sessions || (a.keep && !r.kept) || !r.lat || !r.ok || !r.jobs || !r.threads) {
        fprintf(stderr, "hc-load: out of memory\n");
        return 2;
    }
    double t0 = now_s();
    if (run_threads(&a, &r) != 0)
        return 2;
    double secs = now_s() - t0;
    long live = hc_live_instances("Response");
    if (a.dump)
        dump_report(a.dump);
    print_results(&a, &r, secs, live);
    long nfailed = atomic_load(&failed);
    free_run(&a, &r);
    hc_request_free(req);
    return nfailed ? 1 : 0;
}
