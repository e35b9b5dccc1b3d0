/* Whole exchanges against the canned loopback server.
 *
 * test_session.c — whole exchanges against the canned loopback server:
 * framing (length, chunked + trailers, until close, HEAD, 1xx), pooling,
 * malformed / truncated / reset replies, timeouts, redirects, content
 * decoding, text and JSON.  Every test also checks nothing is left alive.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <jansson.h>
#include <zlib.h>

#include "canned_server.h"
#include "hc.h"

#define OK200(body) "HTTP/1.1 200 OK\r\nContent-Length: " #body "\r\n\r\n"

static int no_leaks(void **state)
{
    (void)state;
    const char *types[] = {"Response", "Request", "Connection",     "Timeout",
                           "Headers",  "Session", "ConnectionPool", "Error"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (hc_live_instances(types[i]) != 0) {
            fprintf(stderr, "live %s: %ld\n", types[i], hc_live_instances(types[i]));
            return -1;
        }
    return 0;
}

static hc_response *get(hc_session *s, const char *url, hc_error **e)
{
    *e = NULL;
    return hc_session_request(s, "GET", url, NULL, 0, e);
}

static void body_is(const hc_response *r, const char *want)
{
    size_t len;
    const char *b = hc_response_body(r, &len);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(b, want, len);
}

static void test_keepalive_pool(void **state)
{
    (void)state;
    static const struct cs_step steps[] = {
        {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst", 0, CS_KEEP, 0},
        {"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond", 0, CS_KEEP, 0},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nthird", 0, CS_KEEP, 0},
    };
    struct cs_server *srv = cs_start(steps, 3);
    hc_session *s = hc_session_new();
    hc_error *e;
    const char *want[] = {"first", "second", "third"};
    for (int i = 0; i < 3; i++) {
        hc_response *r = get(s, cs_url(srv, "/a?x=1"), &e);
        assert_non_null(r);
        assert_int_equal(hc_response_status_code(r), 200);
        body_is(r, want[i]);
        hc_response_free(r);
    }
    hc_connection_pool *p = hc_session_pool(s);
    assert_int_equal(hc_pool_opened(p), 1);
    assert_int_equal(hc_pool_reused(p), 2);
    assert_int_equal(hc_pool_idle_count(p), 1);
    char want_req[256];
    snprintf(want_req, sizeof want_req,
             "GET /a?x=1 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: hc/1.0\r\nAccept: */*\r\n"
             "Accept-Encoding: gzip, deflate\r\n\r\n",
             cs_port(srv));
    assert_string_equal(cs_request(srv, 2), want_req);
    assert_int_equal(cs_connections(srv), 1);
    hc_session_free(s);
    cs_stop(srv);
}

/* One request against one canned reply; returns the response or NULL with
 * the error kind in *KIND and message copied to MSG. */
static hc_response *one_shot(const char *reply, size_t len, enum cs_action act, int delay,
                             hc_session *s, const char *method, hc_error_kind *kind, char *msg)
{
    struct cs_step steps[] = {{reply, len, act, delay}};
    struct cs_server *srv = cs_start(steps, 1);
    hc_error *e = NULL;
    hc_response *r = hc_session_request(s, method, cs_url(srv, "/"), NULL, 0, &e);
    *kind = 0;
    if (!r) {
        *kind = hc_error_get_kind(e);
        snprintf(msg, 256, "%s", hc_error_message(e));
        hc_error_free(e);
    }
    cs_stop(srv);
    return r;
}

static void test_framing(void **state)
{
    (void)state;
    hc_session *s = hc_session_new();
    hc_error_kind k;
    char msg[256];
    /* chunked with extensions and trailers */
    hc_response *r = one_shot("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "4;x=y\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\n"
                              "Expires: never\r\nX-Sum: 42\r\n\r\n",
                              0, CS_KEEP, 0, s, "GET", &k, msg);
    assert_non_null(r);
    body_is(r, "Wikipedia in \r\n\r\nchunks.");
    assert_string_equal(hc_headers_get(hc_response_headers(r), "x-sum"), "42");
    assert_int_equal(hc_headers_count(hc_response_headers(r)), 3);
    size_t rawlen;
    const char *raw = hc_response_raw(r, &rawlen);
    assert_int_equal(rawlen, strlen("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
    assert_memory_equal(raw, "HTTP/1.1 200 OK\r\n", 17);
    hc_response_free(r);
    assert_int_equal(hc_pool_idle_count(hc_session_pool(s)), 1);
    hc_pool_clear(hc_session_pool(s));

    /* until close, HTTP/1.0: never pooled */
    r = one_shot("HTTP/1.0 200 OK\r\nX: y\r\n\r\nall of it", 0, CS_CLOSE, 0, s, "GET", &k, msg);
    assert_non_null(r);
    body_is(r, "all of it");
    assert_string_equal(hc_response_status_line(r), "HTTP/1.0 200 OK");
    hc_response_free(r);
    assert_int_equal(hc_pool_idle_count(hc_session_pool(s)), 0);

    /* HEAD: the length describes a body that is not sent */
    r = one_shot("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", 0, CS_KEEP, 0, s, "HEAD", &k,
                 msg);
    assert_non_null(r);
    body_is(r, "");
    hc_response_free(r);
    assert_int_equal(hc_pool_idle_count(hc_session_pool(s)), 1);
    hc_pool_clear(hc_session_pool(s));

    /* interim 100 Continue skipped; 204 has no body; Connection: close honoured */
    r = one_shot(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n", 0,
        CS_KEEP, 0, s, "DELETE", &k, msg);
    assert_non_null(r);
    assert_int_equal(hc_response_status_code(r), 204);
    body_is(r, "");
    hc_response_free(r);
    assert_int_equal(hc_pool_idle_count(hc_session_pool(s)), 0);

    /* bytes beyond Content-Length: response fine, connection not reused */
    r = one_shot("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA", 0, CS_KEEP, 0, s, "GET", &k,
                 msg);
    assert_non_null(r);
    body_is(r, "ok");
    hc_response_free(r);
    assert_int_equal(hc_pool_idle_count(hc_session_pool(s)), 0);
    hc_session_free(s);
}

static void fails(const char *reply, size_t len, enum cs_action act, hc_error_kind want,
                  const char *want_msg)
{
    hc_session *s = hc_session_new();
    hc_error_kind k;
    char msg[256];
    hc_response *r = one_shot(reply, len, act, 0, s, "GET", &k, msg);
    assert_null(r);
    if (k != want || (want_msg && strcmp(msg, want_msg) != 0))
        fail_msg("reply %.40s: got kind %d '%s', want %d '%s'", reply, k, msg, want,
                 want_msg ? want_msg : "");
    /* A broken connection never goes back to the pool. */
    assert_int_equal(hc_pool_idle_count(hc_session_pool(s)), 0);
    assert_int_equal(hc_live_instances("Connection"), 0);
    hc_session_free(s);
}

static void test_malformed(void **state)
{
    (void)state;
    fails("garbage\r\n\r\n", 0, CS_KEEP, HC_ERR_MALFORMED_RESPONSE,
          "Weird server reply: not an HTTP/1.x status line");
    fails("", 0, CS_CLOSE, HC_ERR_EMPTY_REPLY, "Empty reply from server");
    fails("HTTP/1.1 200 OK\r\nContent-Le", 0, CS_CLOSE, HC_ERR_MALFORMED_RESPONSE,
          "Weird server reply: connection closed inside the response head");
    fails("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 0, CS_CLOSE, HC_ERR_TRUNCATED,
          "transfer closed with 7 bytes remaining to read");
    fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", 0, CS_CLOSE,
          HC_ERR_TRUNCATED, "transfer closed with outstanding read data remaining");
    fails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 0, CS_KEEP,
          HC_ERR_MALFORMED_RESPONSE,
          "Weird server reply: bad chunked encoding: missing chunk size");
    fails("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 0, CS_KEEP,
          HC_ERR_MALFORMED_RESPONSE, "Weird server reply: invalid Content-Length");
    fails("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 0, CS_KEEP, HC_ERR_MALFORMED_RESPONSE,
          "Weird server reply: invalid Content-Length");
    fails("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nab", 0, CS_RESET, HC_ERR_RECV,
          "Recv failure: Connection reset by peer");
    fails("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nnope", 0, CS_KEEP,
          HC_ERR_DECODE, NULL);
    /* a head over the default 64 KiB limit */
    size_t big = 70000;
    char *huge = malloc(big + 64);
    strcpy(huge, "HTTP/1.1 200 OK\r\n");
    for (size_t i = strlen(huge); i < big; i += 12)
        memcpy(huge + i, "X-Pad: abc\r\n", 12);
    huge[big + 5] = '\0';
    fails(huge, big, CS_KEEP, HC_ERR_MALFORMED_RESPONSE,
          "Weird server reply: too many header fields");
    free(huge);
}

static double since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_timeouts(void **state)
{
    (void)state;
    hc_session *s = hc_session_new();
    hc_session_set_timeout(s, hc_timeout_new(1, 0.2, 0));
    hc_error_kind k;
    char msg[256];
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_null(one_shot(OK200(2) "ok", 0, CS_KEEP, 3000, s, "GET", &k, msg));
    double took = since(&t0);
    assert_int_equal(k, HC_ERR_TIMEOUT);
    assert_string_equal(msg, "reading the response timed out after 200 ms");
    assert_true(took >= 0.19 && took < 1.5);

    /* total: each read is quick but the body never ends */
    hc_session_set_timeout(s, hc_timeout_new(1, 5, 0.3));
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_null(one_shot("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab", 0, CS_SILENT, 0, s,
                         "GET", &k, msg));
    took = since(&t0);
    assert_int_equal(k, HC_ERR_TIMEOUT);
    assert_string_equal(msg, "total timeout reached while reading the response");
    assert_true(took >= 0.29 && took < 1.5);

    /* a per-request timeout wins over the session's */
    struct cs_step st[] = {{OK200(2) "ok", 0, CS_KEEP, 400}};
    struct cs_server *srv = cs_start(st, 1);
    hc_request *rq = hc_request_new("GET", cs_url(srv, "/slow"), NULL);
    hc_request_set_timeout(rq, hc_timeout_new(1, 2, 3));
    hc_error *e = NULL;
    hc_response *r = hc_session_send(s, rq, &e);
    assert_non_null(r);
    hc_response_free(r);
    hc_request_free(rq);
    cs_stop(srv);
    hc_session_free(s);
}

static void test_connect_errors(void **state)
{
    (void)state;
    /* A port nobody listens on: bind one, note it, close it. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &al);
    close(fd);
    char url[64], want[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", ntohs(a.sin_port));
    snprintf(want, sizeof want, "Failed to connect to 127.0.0.1 port %d: Connection refused",
             ntohs(a.sin_port));
    hc_session *s = hc_session_new();
    hc_error *e;
    assert_null(get(s, url, &e));
    assert_int_equal(hc_error_get_kind(e), HC_ERR_CONNECT);
    assert_string_equal(hc_error_message(e), want);
    hc_error_free(e);
    assert_null(get(s, "http://no-such-host.invalid/", &e));
    assert_int_equal(hc_error_get_kind(e), HC_ERR_RESOLVE);
    hc_error_free(e);
    assert_null(get(s, "http://[::1/", &e));
    assert_int_equal(hc_error_get_kind(e), HC_ERR_INVALID_URL);
    hc_error_free(e);
    hc_session_free(s);
}

static void test_stale_and_maxsize(void **state)
{
    (void)state;
    /* The server closes a connection it let the client keep. */
    static const struct cs_step steps[] = {
        {OK200(1) "a", 0, CS_CLOSE, 0},
        {OK200(1) "b", 0, CS_CLOSE, 0},
    };
    struct cs_server *srv = cs_start(steps, 2);
    hc_session *s = hc_session_new();
    hc_error *e;
    hc_response *r = get(s, cs_url(srv, "/"), &e);
    body_is(r, "a");
    hc_response_free(r);
    usleep(50000); /* let the FIN arrive */
    r = get(s, cs_url(srv, "/"), &e);
    assert_non_null(r);
    body_is(r, "b");
    hc_response_free(r);
    assert_int_equal(hc_pool_opened(hc_session_pool(s)), 2);
    assert_int_equal(hc_pool_reused(hc_session_pool(s)), 0);
    hc_session_free(s);
    cs_stop(srv);

    static const struct cs_step keep[] = {{OK200(1) "a", 0, CS_KEEP, 0}};
    srv = cs_start(keep, 1);
    s = hc_session_new();
    hc_pool_set_maxsize(hc_session_pool(s), 0);
    r = get(s, cs_url(srv, "/"), &e);
    hc_response_free(r);
    assert_int_equal(hc_pool_idle_count(hc_session_pool(s)), 0);
    assert_int_equal(hc_live_instances("Connection"), 0);
    hc_session_free(s);
    cs_stop(srv);
}

static void test_redirects(void **state)
{
    (void)state;
    static struct cs_step steps[] = {
        {"HTTP/1.1 302 Found\r\nLocation: /two\r\nContent-Length: 0\r\n\r\n", 0, CS_KEEP, 0},
        {"HTTP/1.1 307 Temporary\r\nLocation: three?q=1\r\nContent-Length: 0\r\n\r\n", 0, CS_KEEP,
         0},
        {OK200(4) "done", 0, CS_KEEP, 0},
    };
    struct cs_server *srv = cs_start(steps, 3);
    hc_session *s = hc_session_new();
    hc_error *e = NULL;
    /* 302 turns POST into GET and drops the body; then 307 keeps GET */
    hc_request *rq = hc_request_new("POST", cs_url(srv, "/one"), NULL);
    hc_request_set_body(rq, "payload", 7);
    hc_headers_add(hc_request_headers(rq), "Content-Type", "text/plain", NULL);
    hc_headers_add(hc_request_headers(rq), "Authorization", "Bearer t", NULL);
    hc_response *r = hc_session_send(s, rq, &e);
    assert_non_null(r);
    body_is(r, "done");
    hc_response_free(r);
    hc_request_free(rq);
    assert_int_equal(cs_requests(srv), 3);
    assert_non_null(strstr(cs_request(srv, 0), "POST /one HTTP/1.1\r\n"));
    assert_non_null(strstr(cs_request(srv, 0), "\r\n\r\npayload"));
    assert_non_null(strstr(cs_request(srv, 1), "GET /two HTTP/1.1\r\n"));
    assert_null(strstr(cs_request(srv, 1), "Content-Type"));
    assert_null(strstr(cs_request(srv, 1), "Content-Length"));
    assert_non_null(strstr(cs_request(srv, 1), "Authorization: Bearer t")); /* same host */
    assert_non_null(strstr(cs_request(srv, 2), "GET /three?q=1 HTTP/1.1\r\n"));
    hc_session_free(s);
    cs_stop(srv);

    /* 307 keeps POST and body; a new host loses Authorization */
    static struct cs_step keep[] = {
        {NULL, 0, CS_KEEP, 0},
        {OK200(2) "ok", 0, CS_KEEP, 0},
    };
    char loc[200];
    srv = cs_start(keep, 2);
    snprintf(loc, sizeof loc,
             "HTTP/1.1 308 Permanent\r\nLocation: http://localhost:%d/moved\r\nContent-Length: "
             "0\r\n\r\n",
             cs_port(srv));
    keep[0].bytes = loc;
    s = hc_session_new();
    rq = hc_request_new("POST", cs_url(srv, "/orig"), NULL);
    hc_request_set_body(rq, "abc", 3);
    hc_headers_add(hc_request_headers(rq), "Authorization", "Bearer t", NULL);
    r = hc_session_send(s, rq, &e);
    assert_non_null(r);
    hc_response_free(r);
    hc_request_free(rq);
    assert_non_null(strstr(cs_request(srv, 1), "POST /moved HTTP/1.1\r\n"));
    assert_non_null(strstr(cs_request(srv, 1), "\r\n\r\nabc"));
    assert_null(strstr(cs_request(srv, 1), "Authorization"));
    hc_session_free(s);
    cs_stop(srv);

    /* a loop hits the limit; with following off the 3xx is returned */
    static const struct cs_step loop[] = {
        {"HTTP/1.1 301 Moved\r\nLocation: /l\r\nContent-Length: 0\r\n\r\n", 0, CS_KEEP, 0},
        {"HTTP/1.1 301 Moved\r\nLocation: /l\r\nContent-Length: 0\r\n\r\n", 0, CS_KEEP, 0},
        {"HTTP/1.1 301 Moved\r\nLocation: /l\r\nContent-Length: 0\r\n\r\n", 0, CS_KEEP, 0},
        {"HTTP/1.1 301 Moved\r\nLocation: /l\r\nContent-Length: 0\r\n\r\n", 0, CS_KEEP, 0},
    };
    srv = cs_start(loop, 4);
    s = hc_session_new();
    hc_session_set_max_redirects(s, 2);
    assert_null(get(s, cs_url(srv, "/l"), &e));
    assert_int_equal(hc_error_get_kind(e), HC_ERR_TOO_MANY_REDIRECTS);
    assert_string_equal(hc_error_message(e), "Maximum (2) redirects followed");
    hc_error_free(e);
    assert_int_equal(cs_requests(srv), 3);
    hc_session_set_follow_redirects(s, 0);
    r = get(s, cs_url(srv, "/l"), &e);
    assert_int_equal(hc_response_status_code(r), 301);
    hc_response_free(r);
    hc_session_free(s);
    cs_stop(srv);
}

/* Compress S: gzip wrapper when GZIP, else zlib wrapper. */
static size_t squeeze(const char *s, int gzip, unsigned char *out, size_t cap)
{
    z_stream z = {0};
    deflateInit2(&z, 6, Z_DEFLATED, gzip ? 16 + MAX_WBITS : MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)s;
    z.avail_in = (uInt)strlen(s);
    z.next_out = out;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    size_t n = cap - z.avail_out;
    deflateEnd(&z);
    return n;
}

static void test_content_decoding(void **state)
{
    (void)state;
    const char *text = "hello hello hello hello compressed world";
    for (int gzip = 0; gzip <= 1; gzip++) {
        unsigned char comp[256];
        size_t n = squeeze(text, gzip, comp, sizeof comp);
        char reply[512];
        int h = snprintf(reply, sizeof reply,
                         "HTTP/1.1 200 OK\r\nContent-Encoding: %s\r\nContent-Length: %zu\r\n\r\n",
                         gzip ? "gzip" : "deflate", n);
        memcpy(reply + h, comp, n);
        hc_session *s = hc_session_new();
        hc_error_kind k;
        char msg[256];
        hc_response *r = one_shot(reply, (size_t)h + n, CS_KEEP, 0, s, "GET", &k, msg);
        assert_non_null(r);
        body_is(r, text);
        hc_response_free(r);
        /* decoding off: the bytes as sent, and no Accept-Encoding */
        hc_session_set_decode_content(s, 0);
        r = one_shot(reply, (size_t)h + n, CS_KEEP, 0, s, "GET", &k, msg);
        size_t len;
        hc_response_body(r, &len);
        assert_int_equal(len, n);
        hc_response_free(r);
        hc_session_free(s);
    }
}

static void test_text_json(void **state)
{
    (void)state;
    hc_session *s = hc_session_new();
    hc_error_kind k;
    char msg[256];
    hc_response *r = one_shot("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n"
                              "Content-Length: 4\r\n\r\ncaf\xe9",
                              0, CS_KEEP, 0, s, "GET", &k, msg);
    assert_string_equal(hc_response_text(r), "caf\xc3\xa9");
    assert_ptr_equal(hc_response_text(r), hc_response_text(r)); /* computed once */
    hc_error *e = NULL;
    assert_null(hc_response_json(r, &e));
    assert_int_equal(hc_error_get_kind(e), HC_ERR_JSON);
    hc_error_free(e);
    hc_response_free(r);

    r = one_shot("HTTP/1.1 404 Not Found\r\nContent-Length: 18\r\n\r\n{\"a\": [1, 2, 3]}\r\n", 0,
                 CS_KEEP, 0, s, "GET", &k, msg);
    const json_t *j = hc_response_json(r, &e);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "a")), 3);
    assert_ptr_equal(hc_response_json(r, &e), j);
    hc_value v;
    assert_null(hc_object_get_attr(r, "_json", &v));
    assert_int_equal(v.kind, HC_VALUE_POINTER);
    e = hc_response_raise_for_status(r);
    assert_int_equal(hc_error_get_kind(e), HC_ERR_HTTP_STATUS);
    assert_int_equal(hc_error_status_code(e), 404);
    assert_string_equal(hc_error_message(e), "404 Client Error: Not Found");
    hc_error_free(e);
    hc_response_free(r);
    hc_session_free(s);
}

int main(void)
{
    alarm(120); /* a hang is a failure, not a stuck CI run */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_keepalive_pool, no_leaks),
        cmocka_unit_test_teardown(test_framing, no_leaks),
        cmocka_unit_test_teardown(test_malformed, no_leaks),
        cmocka_unit_test_teardown(test_timeouts, no_leaks),
        cmocka_unit_test_teardown(test_connect_errors, no_leaks),
        cmocka_unit_test_teardown(test_stale_and_maxsize, no_leaks),
        cmocka_unit_test_teardown(test_redirects, no_leaks),
        cmocka_unit_test_teardown(test_content_decoding, no_leaks),
        cmocka_unit_test_teardown(test_text_json, no_leaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
