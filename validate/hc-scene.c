/* The ADR-007 scenes, driven through the public hc API.
 *
 *   hc-scene URL -n N --keep     N requests, every Response kept alive
 *   hc-scene URL -n N --churn    N requests, each Response freed at once
 *
 * Both scenes use one Session, so every request after the first reuses the
 * pooled keep-alive connection.  Each request is built the way the Python
 * client of the ADR builds one: a Request with its own Headers and its own
 * Timeout, sent, then freed; the Response carries its own Headers.
 *
 * Why not hc-load: the validation divides peak bytes by peak instances per
 * type, and compares heaptag's whole-program peak with massif's.  Both need
 * a program whose every allocation is the client's, in a fixed order, on
 * one thread: no latency arrays, no worker threads, no timing-dependent
 * interleaving.  This driver allocates one untagged array (the kept
 * Responses) and nothing else of its own.
 *
 * The last line on stdout is key=value pairs.  response_storage and
 * headers_storage are the library's own account (hc_object_storage_bytes)
 * of the first Response's object storage and of its Headers object: an
 * independent figure the per-instance bytes heaptag measures must equal.
 *
 * Exit status: 0 every request answered 200 with the expected body length;
 * 1 a request failed (one line on stderr); 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hc.h"

static void usage(void)
{
    fprintf(stderr, "usage: hc-scene URL -n N (--keep | --churn)\n");
    exit(2);
}

static long parse_count(const char *s)
{
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (errno || end == s || *end || n < 1 || n > 10000000) {
        fprintf(stderr, "hc-scene: bad request count '%s' (1..10000000)\n", s);
        exit(2);
    }
    return n;
}

/* One request as the ADR's client makes it: Request + Headers + Timeout. */
static hc_response *one_request(hc_session *s, const char *url, hc_error **err)
{
    hc_request *req = hc_request_new("GET", url, err);
    if (!req)
        return NULL;
    hc_request_set_timeout(req, hc_timeout_new(10, 10, 30));
    hc_response *r = hc_session_send(s, req, err);
    hc_request_free(req);
    return r;
}

int main(int argc, char **argv)
{
    const char *url = NULL;
    long n = 0;
    int keep = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            n = parse_count(argv[++i]);
        else if (strcmp(argv[i], "--keep") == 0)
            keep = 1;
        else if (strcmp(argv[i], "--churn") == 0)
            keep = 0;
        else if (argv[i][0] == '-' || url)
            usage();
        else
            url = argv[i];
    }
    if (!url || n == 0 || keep < 0)
        usage();

    hc_session *s = hc_session_new();
    hc_response **kept = keep ? calloc((size_t)n, sizeof *kept) : NULL;
    if (keep && !kept) {
        fprintf(stderr, "hc-scene: out of memory\n");
        return 1;
    }
    size_t body_len = 0, first_len = 0, resp_storage = 0, hdrs_storage = 0;
    long live_peak = 0;
    for (long i = 0; i < n; i++) {
        hc_error *err = NULL;
        hc_response *r = one_request(s, url, &err);
        if (!r) {
            fprintf(stderr, "hc-scene: request %ld: %s\n", i + 1, hc_error_message(err));
            hc_error_free(err);
            return 1;
        }
        /* Read what a caller reads: the status and the body. */
        if (hc_response_status_code(r) != 200) {
            fprintf(stderr, "hc-scene: request %ld: status %d\n", i + 1,
                    hc_response_status_code(r));
            return 1;
        }
        hc_response_body(r, &body_len);
        if (i == 0) {
            first_len = body_len;
            resp_storage = hc_object_storage_bytes(r);
            hdrs_storage = hc_object_storage_bytes(hc_response_headers(r));
        } else if (body_len != first_len) {
            fprintf(stderr, "hc-scene: request %ld: body of %zu bytes, the first had %zu\n", i + 1,
                    body_len, first_len);
            return 1;
        }
        long live = hc_live_instances("Response");
        if (live > live_peak)
            live_peak = live;
        if (keep)
            kept[i] = r;
        else
            hc_response_free(r);
    }
    hc_connection_pool *pool = hc_session_pool(s);
    printf(
        "mode=%s scene=%s requests=%ld errors=0 body_bytes=%zu live_responses_peak=%ld"
        " connections_opened=%ld connections_reused=%ld response_storage=%zu headers_storage=%zu\n",
        hc_build_mode(), keep ? "keep" : "churn", n, first_len, live_peak, hc_pool_opened(pool),
        hc_pool_reused(pool), resp_storage, hdrs_storage);
    fflush(stdout);
    if (keep) {
        for (long i = 0; i < n; i++)
            hc_response_free(kept[i]);
        free(kept);
    }
    hc_session_free(s);
    return 0;
}
