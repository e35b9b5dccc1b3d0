/*
 * hc-load — N requests to one URL over K keep-alive connections: K threads,
 * each with its own session (so one pool, one connection) and its own
 * Request, sending requests i with i % K == its index, so up to K requests
 * are in flight as with libcurl's multi interface.  Sessions are not
 * shared between threads; the library needs nothing more.  With --keep
 * every Response stays alive until the end:
 * ADR-007's "10,000 requests" scene, where the layout of Response and its
 * parts decides the footprint.  The last line is key=value pairs for
 * scripts; the exit status is 1 when any request failed.
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
    hc_response **kept;  /* NULL unless --keep */
    double *lat;         /* one slot per request */
    char *ok;            /* one slot per request: 1 if it succeeded */
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

int main(int argc, char **argv)
{
    const char *url = NULL, *method = "GET", *dump = NULL;
    long n = 100, k = 1;
    int keep = 0;
    double max_time = 30;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_val = i + 1 < argc;
        if ((!strcmp(a, "-n") || !strcmp(a, "-c") || !strcmp(a, "-X") || !strcmp(a, "--max-time") ||
             !strcmp(a, "--dump")) && !has_val) {
            fprintf(stderr, "hc-load: option %s: requires parameter\n", a);
            return 2;
        }
        if (!strcmp(a, "-n")) {
            if (parse_count(a, argv[++i], &n) != 0)
                return 2;
        } else if (!strcmp(a, "-c")) {
            if (parse_count(a, argv[++i], &k) != 0)
                return 2;
        } else if (!strcmp(a, "-X")) {
            method = argv[++i];
        } else if (!strcmp(a, "--max-time")) {
            char *end;
            max_time = strtod(argv[++i], &end);
            if (*end || !(max_time > 0)) {
                fprintf(stderr, "hc-load: option --max-time: expected a positive number\n");
                return 2;
            }
        } else if (!strcmp(a, "--dump")) {
            dump = argv[++i];
        } else if (!strcmp(a, "--keep")) {
            keep = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "hc-load: option %s: is unknown\n", a);
            return 2;
        } else if (url) {
            fprintf(stderr, "hc-load: only one URL is supported\n");
            return 2;
        } else {
            url = a;
        }
    }
    if (!url) {
        usage(stderr);
        return 2;
    }
    hc_error *e = NULL;
    hc_request *req = hc_request_new(method, url, &e);
    if (!req) {
        fprintf(stderr, "hc-load: %s\n", hc_error_message(e));
        hc_error_free(e);
        return 2;
    }
    if (k > n)
        k = n;
    hc_session **sessions = calloc((size_t)k, sizeof *sessions);
    for (long i = 0; i < k; i++)
        sessions[i] = hc_session_new();
    hc_response **kept = keep ? calloc((size_t)n, sizeof *kept) : NULL;
    double *lat = calloc((size_t)n, sizeof *lat);
    char *ok = calloc((size_t)n, 1);
    struct job *jobs = calloc((size_t)k, sizeof *jobs);
    pthread_t *threads = calloc((size_t)k, sizeof *threads);
    if (!sessions || (keep && !kept) || !lat || !ok || !jobs || !threads) {
        fprintf(stderr, "hc-load: out of memory\n");
        return 2;
    }
    double t0 = now_s();
    for (long i = 0; i < k; i++) {
        jobs[i] = (struct job){url, method, max_time, n, k, i, sessions[i], kept, lat, ok};
        if (pthread_create(&threads[i], NULL, run_job, &jobs[i]) != 0) {
            fprintf(stderr, "hc-load: cannot start thread %ld: %s\n", i + 1, strerror(errno));
            return 2;
        }
    }
    for (long i = 0; i < k; i++)
        pthread_join(threads[i], NULL);
    double secs = now_s() - t0;
    long live = hc_live_instances("Response");
    if (dump) {
        if (!heaptag_dump)
            fprintf(stderr, "hc-load: --dump: the heaptag tracker is not loaded, no report written\n");
        else if (heaptag_dump(dump) != 0)
            fprintf(stderr, "hc-load: --dump: cannot write %s: %s\n", dump, strerror(errno));
    }
    long connections = 0;
    for (long i = 0; i < k; i++)
        connections += hc_pool_opened(hc_session_pool(sessions[i]));
    long done = n;
    qsort(lat, (size_t)done, sizeof *lat, cmp_double);
    long nfailed = atomic_load(&failed);
    double rps = secs > 0 ? (double)(n - nfailed) / secs : 0;
    printf("requests: %ld  failed: %ld  connections: %ld  keep: %s  mode: %s\n", n, nfailed, connections,
           keep ? "yes" : "no", hc_build_mode());
    printf("requests/second: %.1f\n", rps);
    printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f\n", percentile(lat, (size_t)done, 50),
           percentile(lat, (size_t)done, 90), percentile(lat, (size_t)done, 99));
    printf("latency max ms: %.3f\n", done ? lat[done - 1] : 0.0);
    printf("live responses: %ld\n", live);
    printf("requests=%ld failed=%ld connections=%ld seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f "
           "live_responses=%ld mode=%s\n",
           n, nfailed, connections, secs, rps, percentile(lat, (size_t)done, 50), percentile(lat, (size_t)done, 90),
           percentile(lat, (size_t)done, 99), live, hc_build_mode());
    if (kept)
        for (long i = 0; i < n; i++)
            if (ok[i])
                hc_response_free(kept[i]);
    free(kept);
    free(lat);
    free(ok);
    free(jobs);
    free(threads);
    for (long i = 0; i < k; i++)
        hc_session_free(sessions[i]);
    free(sessions);
    hc_request_free(req);
    return nfailed ? 1 : 0;
}
