/* The libcurl side of the client benchmark.
 *
 * It does what hc-load does with hc: N GET requests to one URL over K keep-alive
 * connections, K requests in flight at a time, and prints requests per second and latency
 * percentiles, ending with one key=value line that bench/client/bench-client.sh parses for
 * both programs.
 *
 *   curl-load [-n REQUESTS] [-c CONNECTIONS] [-k] [--cacert F] URL
 *
 * libcurl's multi interface runs the K transfers on one thread, as hc-load
 * does, so the comparison is one event loop against another.  Exit status:
 * 0 when every request succeeded with a 2xx, 1 if any failed, 2 on usage.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct slot {
    CURL *easy;
    long long started_us;
};

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Bodies are counted, not kept: the driver must not be the bottleneck. */
static size_t discard(char *p, size_t size, size_t n, void *user)
{
    (void)p;
    *(long long *)user += (long long)(size * n);
    return size * n;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static long long percentile(const long long *sorted, long n, double p)
{
    if (n == 0)
        return 0;
    long i = (long)(p * (double)n + 0.999999) - 1;
    if (i < 0)
        i = 0;
    if (i >= n)
        i = n - 1;
    return sorted[i];
}

static void usage(const char *msg)
{
    fprintf(
        stderr,
        "curl-load: %s (usage: curl-load [-n REQUESTS] [-c CONNECTIONS] [-k] [--cacert F] URL)\n",
        msg);
    exit(2);
}

static long parse_count(const char *s, const char *what)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < 1 || v > 100000000) {
        char msg[96];
        snprintf(msg, sizeof msg, "bad %s '%.30s'", what, s);
        usage(msg);
    }
    return v;
}

/* The run: its settings, the transfers and what they measured. */
struct load {
    long total, conns;
    int insecure;
    const char *cacert, *url;
    CURLM *multi;
    struct slot *slots;
    long long *lat, body_bytes;
    long started, done, errors, connects;
};

static void parse_args(int argc, char **argv, struct load *l)
{
    static const struct option opts[] = {
        {"requests", required_argument, NULL, 'n'},
        {"connections", required_argument, NULL, 'c'},
        {"insecure", no_argument, NULL, 'k'},
        {"cacert", required_argument, NULL, 'C'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    for (int ch; (ch = getopt_long(argc, argv, "n:c:k", opts, NULL)) != -1;) {
        switch (ch) {
        case 'n': l->total = parse_count(optarg, "request count"); break;
        case 'c': l->conns = parse_count(optarg, "connection count"); break;
        case 'k': l->insecure = 1; break;
        case 'C': l->cacert = optarg; break;
        default: usage("unknown or incomplete option");
        }
    }
    if (optind != argc - 1)
        usage("one URL expected");
    l->url = argv[optind];
    if (l->conns > l->total)
        l->conns = l->total;
}

/* One easy handle per connection, each started on its first request. */
static void start_handles(struct load *l)
{
    for (long i = 0; i < l->conns; i++) {
        CURL *e = curl_easy_init();
        curl_easy_setopt(e, CURLOPT_URL, l->url);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &l->body_bytes);
        curl_easy_setopt(e, CURLOPT_PRIVATE, &l->slots[i]);
        curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(e, CURLOPT_TIMEOUT, 30L);
        if (l->insecure) {
            curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
            curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
        }
        if (l->cacert)
            curl_easy_setopt(e, CURLOPT_CAINFO, l->cacert);
        l->slots[i].easy = e;
        l->slots[i].started_us = now_us();
        curl_multi_add_handle(l->multi, e);
        l->started++;
    }
}

/* A finished transfer: count it, and start the next request on its handle. */
static void transfer_done(struct load *l, CURLMsg *m)
{
    CURL *e = m->easy_handle;
    struct slot *s;
    long code = 0;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&s);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
    long nc = 0;
    curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &nc);
    l->connects += nc;
    long long t = now_us();
    if (m->data.result != CURLE_OK || code < 200 || code > 299) {
        if (l->errors == 0)
            fprintf(stderr, "curl-load: first failure: %s (HTTP %ld)\n",
                    curl_easy_strerror(m->data.result), code);
        l->errors++;
    }
    l->lat[l->done++] = t - s->started_us;
    curl_multi_remove_handle(l->multi, e);
    if (l->started < l->total) {
        /* Re-adding the same handle reuses its kept-alive connection. */
        s->started_us = now_us();
        curl_multi_add_handle(l->multi, e);
        l->started++;
    }
}

static void run_transfers(struct load *l)
{
    while (l->done < l->total) {
        int running = 0;
        if (curl_multi_perform(l->multi, &running) != CURLM_OK)
            break;
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(l->multi, &left)))
            if (m->msg == CURLMSG_DONE)
                transfer_done(l, m);
        if (l->done < l->total && curl_multi_poll(l->multi, NULL, 0, 1000, NULL) != CURLM_OK)
            break;
    }
}

static void print_results(struct load *l, long long elapsed)
{
    long done = l->done;
    long long *lat = l->lat;
    qsort(lat, (size_t)done, sizeof *lat, cmp_ll);
    double secs = (double)elapsed / 1e6;
    double rps = secs > 0 ? (double)done / secs : 0;
    long long p50 = percentile(lat, done, 0.50), p90 = percentile(lat, done, 0.90),
              p99 = percentile(lat, done, 0.99), pmax = done ? lat[done - 1] : 0;
    printf("curl-load: %ld requests over %ld connections to %s\n", done, l->conns, l->url);
    printf("  %.0f requests/second, %.3f s, %ld errors, %lld body bytes, %ld connections opened\n",
           rps, secs, l->errors, l->body_bytes, l->connects);
    printf("  latency us: p50 %lld  p90 %lld  p99 %lld  max %lld\n", p50, p90, p99, pmax);
    printf("client=libcurl requests=%ld connections=%ld errors=%ld seconds=%.6f rps=%.1f "
           "p50_us=%lld p90_us=%lld p99_us=%lld max_us=%lld body_bytes=%lld connects=%ld\n",
           done, l->conns, l->errors, secs, rps, p50, p90, p99, pmax, l->body_bytes, l->connects);
}

int main(int argc, char **argv)
{
    struct load l = {.total = 1000, .conns = 1};
    parse_args(argc, argv, &l);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        usage("libcurl initialisation failed");
    l.multi = curl_multi_init();
    curl_multi_setopt(l.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, l.conns);
    curl_multi_setopt(l.multi, CURLMOPT_MAXCONNECTS, l.conns);
    curl_multi_setopt(l.multi, CURLMOPT_PIPELINING, (long)CURLPIPE_NOTHING);
    l.lat = malloc(sizeof *l.lat * (size_t)l.total);
    l.slots = calloc((size_t)l.conns, sizeof *l.slots);
    if (!l.lat || !l.slots)
        usage("out of memory");

    long long t0 = now_us();
    start_handles(&l);
    run_transfers(&l);
    print_results(&l, now_us() - t0);

    for (long i = 0; i < l.conns; i++) {
        curl_multi_remove_handle(l.multi, l.slots[i].easy);
        curl_easy_cleanup(l.slots[i].easy);
    }
    curl_multi_cleanup(l.multi);
    curl_global_cleanup();
    free(l.lat);
    free(l.slots);
    return l.errors || l.done < l.total ? 1 : 0;
}
