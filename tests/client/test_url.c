/* test_url.c — URL parsing and redirect resolution. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "url.h"

static void parses(const char *s, int https, const char *host, int port, const char *target)
{
    struct hc_url u;
    const char *why = NULL;
    assert_int_equal(hc_url_parse(s, &u, &why), 0);
    assert_int_equal(u.https, https);
    assert_int_equal(u.host_len, strlen(host));
    assert_memory_equal(u.host, host, u.host_len);
    assert_int_equal(u.port, port);
    assert_int_equal(u.target_len, strlen(target));
    assert_memory_equal(u.target, target, u.target_len);
}

static void rejects(const char *s, const char *reason)
{
    struct hc_url u;
    const char *why = NULL;
    assert_int_equal(hc_url_parse(s, &u, &why), -1);
    assert_string_equal(why, reason);
}

static void test_valid(void **state)
{
    (void)state;
    parses("http://example.com", 0, "example.com", 80, "");
    parses("HTTPS://Example.com/a/b?x=1#frag", 1, "Example.com", 443, "/a/b?x=1");
    parses("http://127.0.0.1:8080/x", 0, "127.0.0.1", 8080, "/x");
    parses("http://[::1]:9/", 0, "::1", 9, "/");
    parses("https://[2001:db8::1]/p", 1, "2001:db8::1", 443, "/p");
    parses("http://h?q", 0, "h", 80, "?q");
    parses("http://h:/", 0, "h", 80, "/");
    struct hc_url u;
    const char *why;
    assert_int_equal(hc_url_parse("http://user:pw@h:81/", &u, &why), 0);
    assert_int_equal(u.userinfo_len, 7);
    assert_memory_equal(u.userinfo, "user:pw", 7);
    assert_false(u.default_port);
    assert_int_equal(hc_url_parse("https://h:443/", &u, &why), 0);
    assert_true(u.default_port);
}

static void test_invalid(void **state)
{
    (void)state;
    rejects("example.com/x", "no scheme (expected http:// or https://)");
    rejects("ftp://example.com/", "unsupported scheme");
    rejects("http:///path", "no host");
    rejects("http://h:0/", "port out of range");
    rejects("http://h:65536/", "port out of range");
    rejects("http://h:99999999999999999999/", "bad port number");
    rejects("http://h:8x/", "bad port number");
    rejects("http://[::1/", "unterminated IPv6 address");
    rejects("http://[::1]x/", "garbage after IPv6 address");
    rejects("http://ho st/", "bad character in host name");
    rejects("http://h/a b", "space or control character in URL");
    rejects("http://h/a\x01", "space or control character in URL");
    rejects("", "no scheme (expected http:// or https://)");
}

static void resolves(const char *base, const char *loc, const char *want)
{
    char *got = hc_url_resolve(base, loc);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_resolve(void **state)
{
    (void)state;
    resolves("http://a/b/c/d?q", "https://x/y", "https://x/y");
    resolves("http://a/b/c/d?q", "//x:81/y", "http://x:81/y");
    resolves("http://a:8/b/c/d?q", "/g", "http://a:8/g");
    resolves("http://a/b/c/d?q", "g", "http://a/b/c/g");
    resolves("http://a/b/c/d?q", "../g", "http://a/b/g");
    resolves("http://a/b/c/d?q", "../../../g", "http://a/g");
    resolves("http://a/b/c/d?q", "./g/./h/..", "http://a/b/c/g/");
    resolves("http://a/b/c/d?q", "?y", "http://a/b/c/d?y");
    resolves("http://a", "g", "http://a/g");
    resolves("http://a/b", "/x/../y?z=1#f", "http://a/y?z=1");
    /* A scheme starts with a letter: ".....http:g" is a relative path. */
    resolves("http://a/b/c", ".....http:g", "http://a/b/.....http:g");
    /* Spaces and control bytes sent in a Location are percent-encoded. */
    resolves("http://a/b", "/x y\x01", "http://a/x%20y%01");
    /* A result that is no URL (no host) is refused. */
    assert_null(hc_url_resolve("http://a/b", "//"));
    assert_null(hc_url_resolve("http://a/b", ""));
    assert_null(hc_url_resolve("not a url", "/x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_resolve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
