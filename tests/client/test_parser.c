/* test_parser.c — response head, header fields, chunked decoding, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chunked.h"
#include "parser.h"

static struct hc_head head;

static int parse(const char *s, const char **why)
{
    return hc_parse_response_head(s, strlen(s), &hc_default_limits, &head, why);
}

static void span_is(const char *buf, struct hc_span sp, const char *want)
{
    assert_int_equal(sp.len, strlen(want));
    assert_memory_equal(buf + sp.off, want, sp.len);
}

static void test_head_ok(void **state)
{
    (void)state;
    const char *why = NULL;
    const char *r =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Empty:\r\nX-Pad: \t v  \r\n\r\nBODY";
    assert_int_equal(parse(r, &why), HC_PARSE_OK);
    assert_int_equal(head.status, 200);
    assert_int_equal(head.version_minor, 1);
    span_is(r, head.status_line, "HTTP/1.1 200 OK");
    span_is(r, head.reason, "OK");
    assert_int_equal(head.nfields, 3);
    span_is(r, head.fields[0].name, "Content-Type");
    span_is(r, head.fields[0].value, "text/plain");
    span_is(r, head.fields[1].value, "");
    span_is(r, head.fields[2].value, "v");
    assert_int_equal(head.head_len, strlen(r) - 4);

    /* bare LF, no reason phrase, HTTP/1.0 */
    const char *r2 = "HTTP/1.0 404\nA: b\n\n";
    assert_int_equal(parse(r2, &why), HC_PARSE_OK);
    assert_int_equal(head.status, 404);
    assert_int_equal(head.version_minor, 0);
    span_is(r2, head.reason, "");
    assert_int_equal(head.head_len, strlen(r2));
}

static void test_head_incomplete(void **state)
{
    (void)state;
    const char *why = NULL;
    const char *full = "HTTP/1.1 200 OK\r\nA: b\r\n\r\n";
    for (size_t n = 0; n < strlen(full); n++)
        assert_int_equal(hc_parse_response_head(full, n, &hc_default_limits, &head, &why),
                         HC_PARSE_INCOMPLETE);
}

static void bad(const char *s, const char *reason)
{
    const char *why = NULL;
    assert_int_equal(parse(s, &why), HC_PARSE_ERROR);
    assert_string_equal(why, reason);
}

static void test_head_malformed(void **state)
{
    (void)state;
    bad("SSH-2.0-OpenSSH\r\n", "not an HTTP/1.x status line");
    bad("HTTP/2 200 OK\r\n\r\n", "not an HTTP/1.x status line");
    bad("HTTP/1.1 20 OK\r\n\r\n", "malformed status line");
    bad("HTTP/1.1 200OK\r\n\r\n", "malformed status line");
    bad("HTTP/1.1 099 X\r\n\r\n", "malformed status line");
    bad("HTTP/1.1 200 O\x01K\r\n\r\n", "control character in status line");
    bad("HTTP/1.1 200 OK\r\nNo colon\r\n\r\n", "malformed header field");
    bad("HTTP/1.1 200 OK\r\nSpace : x\r\n\r\n", "malformed header field");
    bad("HTTP/1.1 200 OK\r\n: x\r\n\r\n", "malformed header field");
    bad("HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n", "obsolete header line folding");
    bad("HTTP/1.1 200 OK\r\nA: b\x7f\r\n\r\n", "control character in header value");
}

static void test_head_limits(void **state)
{
    (void)state;
    struct hc_limits lim = hc_default_limits;
    const char *why = NULL;
    lim.max_status_line = 20;
    const char *s = "HTTP/1.1 200 A long reason phrase";
    /* Fails before any line ending arrives. */
    assert_int_equal(hc_parse_response_head(s, strlen(s), &lim, &head, &why), HC_PARSE_ERROR);
    assert_string_equal(why, "status line too long");

    lim = hc_default_limits;
    lim.max_header_line = 10;
    s = "HTTP/1.1 200 OK\r\nX-Long: 0123456789\r\n\r\n";
    assert_int_equal(hc_parse_response_head(s, strlen(s), &lim, &head, &why), HC_PARSE_ERROR);
    assert_string_equal(why, "header line too long");
    s = "HTTP/1.1 200 OK\r\nX-Long: 0123456789";
    assert_int_equal(hc_parse_response_head(s, strlen(s), &lim, &head, &why), HC_PARSE_ERROR);

    lim = hc_default_limits;
    lim.max_fields = 2;
    s = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\n";
    assert_int_equal(hc_parse_response_head(s, strlen(s), &lim, &head, &why), HC_PARSE_OK);
    s = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
    assert_int_equal(hc_parse_response_head(s, strlen(s), &lim, &head, &why), HC_PARSE_ERROR);
    assert_string_equal(why, "too many header fields");

    lim = hc_default_limits;
    lim.max_head = 30;
    s = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\n"; /* 31 bytes */
    assert_int_equal(hc_parse_response_head(s, strlen(s), &lim, &head, &why), HC_PARSE_ERROR);
    assert_string_equal(why, "response head too large");
}

/* Decode S (fed in pieces of STEP bytes) and compare. */
static void chunked_ok(const char *s, size_t step, const char *want, const char *want_rest)
{
    struct hc_chunked d = {0};
    size_t n = strlen(s);
    char *buf = malloc(n + 1), *out = malloc(n + 1);
    size_t outlen = 0, rest = 0;
    int rc = HC_PARSE_INCOMPLETE;
    const char *why = NULL;
    for (size_t off = 0; off < n && rc == HC_PARSE_INCOMPLETE; off += step) {
        size_t len = n - off < step ? n - off : step;
        memcpy(buf, s + off, len);
        size_t piece_len = n - off < step ? n - off : step;
        rc = hc_chunked_decode(&d, buf, &len, &rest, &hc_default_limits, &why);
        memcpy(out + outlen, buf, len);
        outlen += len;
        if (rc == HC_PARSE_OK) {
            /* What followed in this piece, then the rest of the input. */
            char *r = malloc(n + 1);
            memcpy(r, buf + len, rest);
            memcpy(r + rest, s + off + piece_len, n - off - piece_len);
            r[rest + n - off - piece_len] = '\0';
            assert_string_equal(r, want_rest);
            free(r);
        }
    }
    assert_int_equal(rc, HC_PARSE_OK);
    assert_int_equal(outlen, strlen(want));
    assert_memory_equal(out, want, outlen);
    free(buf);
    free(out);
}

static void test_chunked(void **state)
{
    (void)state;
    const char *s = "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";
    for (size_t step = 1; step <= strlen(s); step++)
        chunked_ok(s, step, "hello, world", "X-Trailer: t\r\n\r\n");
    chunked_ok("A\r\n0123456789\r\n0\r\n\r\n", 1000, "0123456789", "\r\n");
    chunked_ok("1\n+\n0\n\n", 3, "+", "\n");
}

static void chunked_bad(const char *s, const struct hc_limits *lim, const char *reason)
{
    struct hc_chunked d = {0};
    char buf[256];
    size_t len = strlen(s), rest;
    memcpy(buf, s, len);
    const char *why = NULL;
    assert_int_equal(hc_chunked_decode(&d, buf, &len, &rest, lim, &why), HC_PARSE_ERROR);
    assert_string_equal(why, reason);
}

static void test_chunked_malformed(void **state)
{
    (void)state;
    const struct hc_limits *l = &hc_default_limits;
    chunked_bad("\r\n", l, "missing chunk size");
    chunked_bad("xyz\r\n", l, "missing chunk size");
    chunked_bad("5x\r\n", l, "bad character in chunk size");
    chunked_bad("5\r\nhelloXX", l, "missing CRLF after chunk data");
    chunked_bad("5\rX", l, "bad chunk size line ending");
    chunked_bad("fffffffffffffffffff\r\n", l, "chunk too large");
    struct hc_limits lim = hc_default_limits;
    lim.max_chunk_size = 16;
    chunked_bad("11\r\n", &lim, "chunk too large");
    lim = hc_default_limits;
    lim.max_chunk_line = 8;
    chunked_bad("5;aaaaaaaaaaaaaaaa\r\n", &lim, "chunk size line too long");
    lim = hc_default_limits;
    lim.max_body = 6;
    chunked_bad("5\r\nhello\r\n5\r\n", &lim, "body too large");
}

static void test_trailer_fields(void **state)
{
    (void)state;
    struct hc_field f[4];
    size_t n, used;
    const char *why;
    const char *t = "Checksum: abc\r\nX: y\r\n\r\nNEXT";
    assert_int_equal(hc_parse_fields(t, strlen(t), &hc_default_limits, f, &n, &used, &why),
                     HC_PARSE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(used, strlen(t) - 4);
    span_is(t, f[0].name, "Checksum");
    span_is(t, f[1].value, "y");
    assert_int_equal(hc_parse_fields("\r\n", 2, &hc_default_limits, f, &n, &used, &why),
                     HC_PARSE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(used, 2);
    assert_int_equal(hc_parse_fields("A: b\r\n", 6, &hc_default_limits, f, &n, &used, &why),
                     HC_PARSE_INCOMPLETE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_head_ok),        cmocka_unit_test(test_head_incomplete),
        cmocka_unit_test(test_head_malformed), cmocka_unit_test(test_head_limits),
        cmocka_unit_test(test_chunked),        cmocka_unit_test(test_chunked_malformed),
        cmocka_unit_test(test_trailer_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
