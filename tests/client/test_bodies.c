/* test_bodies.c — cmocka tests of response bodies: codings, limits, sinks, 1xx.
 *
 * Issue 10 items 6 and 7, and the 1xx limit: every coding
 * layer undone in order or an error naming it, the body size limit on
 * decoded bytes (a gzip bomb), out of memory as an error, bodies streamed
 * to a sink, and 1xx heads shown to the head hook but not forever.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <zlib.h>

#include "canned_server.h"
#include "hc.h"

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

/* Compress IN: gzip wrapper when GZIP, else zlib wrapper.  Malloc'd. */
static unsigned char *squeeze(const void *in, size_t n, int gzip, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 9, Z_DEFLATED, gzip ? 16 + MAX_WBITS : MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
    size_t cap = deflateBound(&z, (uLong)n) + 64;
    unsigned char *out = malloc(cap);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *outlen = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

/* "HTTP/1.1 200 OK" + FIELDS + Content-Length + BODY, malloc'd. */
static char *reply(const char *fields, const void *body, size_t n, size_t *len)
{
    char head[512];
    int h =
        snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\n%sContent-Length: %zu\r\n\r\n", fields, n);
    char *r = malloc((size_t)h + n);
    memcpy(r, head, (size_t)h);
    memcpy(r + h, body, n);
    *len = (size_t)h + n;
    return r;
}

/* One exchange with a server sending BYTES[0..LEN) and closing. */
static hc_response *exchange(hc_session *s, const char *bytes, size_t len, hc_error **e)
{
    struct cs_step step = {bytes, len, CS_CLOSE, 0};
    struct cs_server *srv = cs_start(&step, 1);
    *e = NULL;
    hc_response *r = hc_session_request(s, "GET", cs_url(srv, "/"), NULL, 0, e);
    cs_stop(srv);
    return r;
}

static void expect_error(hc_session *s, const char *bytes, size_t len, hc_error_kind kind,
                         const char *needle)
{
    hc_error *e;
    hc_response *r = exchange(s, bytes, len, &e);
    if (r) {
        size_t n;
        hc_response_body(r, &n);
        hc_response_free(r);
        fail_msg("got a response, body %zu bytes; want '%s'", n, needle);
    }
    assert_non_null(e);
    if (hc_error_get_kind(e) != kind || !strstr(hc_error_message(e), needle))
        fail_msg("got %s: %s; want %s with '%s'", hc_error_kind_name(hc_error_get_kind(e)),
                 hc_error_message(e), hc_error_kind_name(kind), needle);
    hc_error_free(e);
}

static void expect_body(hc_session *s, const char *bytes, size_t len, const void *want,
                        size_t want_len)
{
    hc_error *e;
    hc_response *r = exchange(s, bytes, len, &e);
    if (!r)
        fail_msg("error: %s", hc_error_message(e));
    size_t n;
    const void *b = hc_response_body(r, &n);
    assert_int_equal(n, want_len);
    assert_memory_equal(b, want, n);
    hc_response_free(r);
}

static const char text[] = "layered codings, each undone in the order the server applied them";

static void test_transfer_codings(void **state)
{
    (void)state;
    hc_session *s = hc_session_new();
    size_t gz_len;
    unsigned char *gz = squeeze(text, sizeof text - 1, 1, &gz_len);
    /* Transfer-Encoding: gzip, chunked — gzip undone after the chunks. */
    char buf[4096];
    int h = snprintf(buf, sizeof buf,
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n%zx\r\n", gz_len);
    memcpy(buf + h, gz, gz_len);
    size_t len = (size_t)h + gz_len;
    len += (size_t)sprintf(buf + len, "\r\n0\r\n\r\n");
    expect_body(s, buf, len, text, sizeof text - 1);
    /* The same with decoding of content codings off: transfer codings are
     * framing, always undone. */
    hc_session_set_decode_content(s, 0);
    expect_body(s, buf, len, text, sizeof text - 1);
    hc_session_set_decode_content(s, 1);
    /* gzip alone: the body runs to the close, still decoded. */
    h = snprintf(buf, sizeof buf, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n");
    memcpy(buf + h, gz, gz_len);
    expect_body(s, buf, (size_t)h + gz_len, text, sizeof text - 1);
    /* Unknown codings are errors that name them. */
    static const char foo[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: foo\r\n\r\nbody";
    expect_error(s, foo, sizeof foo - 1, HC_ERR_DECODE, "foo");
    static const char foo_chunked[] =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: foo, chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n";
    expect_error(s, foo_chunked, sizeof foo_chunked - 1, HC_ERR_DECODE, "foo");
    free(gz);
    hc_session_free(s);
}

static void test_content_codings(void **state)
{
    (void)state;
    hc_session *s = hc_session_new();
    size_t g1_len, g2_len, d_len, len;
    unsigned char *g1 = squeeze(text, sizeof text - 1, 1, &g1_len);
    unsigned char *g2 = squeeze(g1, g1_len, 1, &g2_len);
    /* gzip, gzip: two layers. */
    char *r = reply("Content-Encoding: gzip, gzip\r\n", g2, g2_len, &len);
    expect_body(s, r, len, text, sizeof text - 1);
    free(r);
    /* The same list as two fields. */
    r = reply("Content-Encoding: gzip\r\nContent-Encoding: gzip\r\n", g2, g2_len, &len);
    expect_body(s, r, len, text, sizeof text - 1);
    free(r);
    /* deflate, gzip: deflate applied first, so undone last. */
    unsigned char *d = squeeze(text, sizeof text - 1, 0, &d_len);
    unsigned char *dg = squeeze(d, d_len, 1, &g2_len);
    r = reply("Content-Encoding: deflate, gzip\r\n", dg, g2_len, &len);
    expect_body(s, r, len, text, sizeof text - 1);
    free(r);
    /* identity is no coding. */
    r = reply("Content-Encoding: identity\r\n", text, sizeof text - 1, &len);
    expect_body(s, r, len, text, sizeof text - 1);
    free(r);
    /* A coding the client cannot decode: an error that names it ... */
    r = reply("Content-Encoding: gzip, br\r\n", g1, g1_len, &len);
    expect_error(s, r, len, HC_ERR_DECODE, "br");
    /* ... unless decoding is off: then the body is handed back as sent. */
    hc_session_set_decode_content(s, 0);
    expect_body(s, r, len, g1, g1_len);
    free(r);
    /* A second gzip layer that is cut short. */
    hc_session_set_decode_content(s, 1);
    r = reply("Content-Encoding: gzip, gzip\r\n", g2, g2_len - 4, &len);
    expect_error(s, r, len, HC_ERR_DECODE, "gzip");
    free(r);
    free(g1), free(g2), free(d), free(dg);
    hc_session_free(s);
}

#define BOMB (64u << 20) /* 64 MiB of zeros: about 64 KiB gzipped */

static char *bomb(size_t *len)
{
    char *zeros = calloc(1, BOMB);
    size_t gz_len;
    unsigned char *gz = squeeze(zeros, BOMB, 1, &gz_len);
    free(zeros);
    char *r = reply("Content-Encoding: gzip\r\n", gz, gz_len, len);
    free(gz);
    return r;
}

static void test_decoded_limit(void **state)
{
    (void)state;
    size_t len;
    char *r = bomb(&len);
    assert_true(len < BOMB / 100);
    hc_session *s = hc_session_new();
    assert_int_equal(hc_session_max_body(s), HC_DEFAULT_MAX_BODY);
    hc_session_set_max_body(s, 1 << 20);
    expect_error(s, r, len, HC_ERR_TOO_LARGE, "decoded body over 1048576 bytes");
    /* Under the limit it decodes whole. */
    hc_session_set_max_body(s, BOMB);
    hc_error *e;
    hc_response *resp = exchange(s, r, len, &e);
    assert_non_null(resp);
    size_t n;
    hc_response_body(resp, &n);
    assert_int_equal(n, BOMB);
    hc_response_free(resp);
    /* The limit holds on raw bytes too. */
    hc_session_set_max_body(s, 10);
    char *big = reply("", text, sizeof text - 1, &n);
    expect_error(s, big, n, HC_ERR_TOO_LARGE, "Content-Length 65 over 10 bytes");
    free(big);
    free(r);
    hc_session_free(s);
}

struct sink_log {
    uint64_t bytes;
    size_t calls, biggest;
    int nonzero;
    int statuses[64];
    size_t nheads;
};

static int count_sink(const hc_response *r, const void *data, size_t len, void *ctx)
{
    (void)r;
    struct sink_log *l = ctx;
    l->bytes += len;
    l->calls++;
    if (len > l->biggest)
        l->biggest = len;
    for (size_t i = 0; i < len; i++)
        l->nonzero |= ((const char *)data)[i] != 0;
    return 0;
}

static void log_head(const hc_response *r, void *ctx)
{
    struct sink_log *l = ctx;
    if (l->nheads < 64)
        l->statuses[l->nheads] = hc_response_status_code(r);
    l->nheads++;
}

static void test_sink_streams(void **state)
{
    (void)state;
    size_t len;
    char *r = bomb(&len);
    hc_session *s = hc_session_new();
    struct sink_log log = {0};
    hc_session_set_body_sink(s, count_sink, &log);
    hc_session_set_max_body(s, 0); /* no limit: streaming keeps memory bounded */
    hc_error *e;
    hc_response *resp = exchange(s, r, len, &e);
    assert_non_null(resp);
    size_t n;
    hc_response_body(resp, &n);
    assert_int_equal(n, 0);            /* nothing kept */
    assert_int_equal(log.bytes, BOMB); /* everything delivered */
    assert_int_equal(log.nonzero, 0);
    assert_true(log.calls >= BOMB / 16384);
    assert_true(log.biggest <= 16384); /* in windows, never whole */
    hc_response_free(resp);
    /* The limit applies to streamed bytes as well. */
    hc_session_set_max_body(s, 1 << 20);
    expect_error(s, r, len, HC_ERR_TOO_LARGE, "decoded");
    free(r);
    hc_session_free(s);
}

static int refuse(const hc_response *r, const void *data, size_t len, void *ctx)
{
    (void)r, (void)data, (void)len, (void)ctx;
    return -1;
}

static void test_sink_refuses_and_redirects(void **state)
{
    (void)state;
    hc_session *s = hc_session_new();
    hc_session_set_body_sink(s, refuse, NULL);
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody";
    expect_error(s, ok, sizeof ok - 1, HC_ERR_WRITE, "writing");
    /* A followed redirect's body is dropped, the final one streamed. */
    struct sink_log log = {0};
    hc_session_set_body_sink(s, count_sink, &log);
    hc_session_set_head_hook(s, log_head, &log);
    static const struct cs_step steps[] = {
        {"HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 9\r\n\r\nredirect!", 0, CS_KEEP,
         0},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal", 0, CS_CLOSE, 0},
    };
    struct cs_server *srv = cs_start(steps, 2);
    hc_error *e = NULL;
    hc_response *r = hc_session_request(s, "GET", cs_url(srv, "/"), NULL, 0, &e);
    cs_stop(srv);
    assert_non_null(r);
    assert_int_equal(log.bytes, 5);
    assert_int_equal(log.nheads, 2);
    assert_int_equal(log.statuses[0], 302);
    assert_int_equal(log.statuses[1], 200);
    hc_response_free(r);
    hc_session_free(s);
}

static void test_interim_heads(void **state)
{
    (void)state;
    hc_session *s = hc_session_new();
    struct sink_log log = {0};
    hc_session_set_head_hook(s, log_head, &log);
    static const char three[] = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
                                "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    expect_body(s, three, sizeof three - 1, "ok", 2);
    assert_int_equal(log.nheads, 4);
    assert_int_equal(log.statuses[0], 100);
    assert_int_equal(log.statuses[1], 102);
    assert_int_equal(log.statuses[2], 103);
    assert_int_equal(log.statuses[3], 200);
    /* An endless run of 100 Continue: cut off after 32. */
    static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
    size_t n = 100 * (sizeof cont - 1);
    char *many = malloc(n);
    for (size_t i = 0; i < 100; i++)
        memcpy(many + i * (sizeof cont - 1), cont, sizeof cont - 1);
    log.nheads = 0;
    expect_error(s, many, n, HC_ERR_MALFORMED_RESPONSE, "more than 32 interim (1xx) responses");
    assert_int_equal(log.nheads, 32);
    free(many);
    hc_session_free(s);
}

/* Running out of memory while keeping a body is an error, not an abort:
 * in a child whose address space has room for 32 MiB more. */
static void test_out_of_memory(void **state)
{
    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    /* AddressSanitizer reserves terabytes of shadow memory: under an
     * address-space limit it cannot map anything, the client included. */
    skip();
#endif
    size_t len;
    char *r = bomb(&len);
    struct cs_step step = {r, len, CS_CLOSE, 0};
    struct cs_server *srv = cs_start(&step, 1);
    const char *url = cs_url(srv, "/");
    pid_t pid = fork();
    if (pid == 0) {
        long pages = 0;
        FILE *f = fopen("/proc/self/statm", "r");
        if (!f || fscanf(f, "%ld", &pages) != 1)
            _exit(3);
        fclose(f);
        rlim_t as = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (32u << 20);
        struct rlimit rl = {as, as};
        if (setrlimit(RLIMIT_AS, &rl) != 0)
            _exit(3);
        hc_session *s = hc_session_new();
        hc_session_set_max_body(s, 0);
        hc_error *e = NULL;
        hc_response *resp = hc_session_request(s, "GET", url, NULL, 0, &e);
        int ok = !resp && e && hc_error_get_kind(e) == HC_ERR_NO_MEMORY;
        if (!ok)
            fprintf(stderr, "child: %s\n", resp ? "got a response" : hc_error_message(e));
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    cs_stop(srv);
    free(r);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    alarm(120);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_transfer_codings, no_leaks),
        cmocka_unit_test_teardown(test_content_codings, no_leaks),
        cmocka_unit_test_teardown(test_decoded_limit, no_leaks),
        cmocka_unit_test_teardown(test_sink_streams, no_leaks),
        cmocka_unit_test_teardown(test_sink_refuses_and_redirects, no_leaks),
        cmocka_unit_test_teardown(test_interim_heads, no_leaks),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
