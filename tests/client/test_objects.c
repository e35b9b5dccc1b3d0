/* The object model per build mode: which types are fixed-slot, exact storage sizes,
 * attribute errors, dict growth, headers semantics, lifetimes.
 *
 * The same source runs against every mode; the expectations follow hc_build_mode().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hc.h"
#include "parser.h"
#include "response.h"

static int mode_is(const char *m) { return strcmp(hc_build_mode(), m) == 0; }

static hc_response *make_response(void)
{
    static const char raw[] =
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-A: 1\r\nx-a: 2\r\n\r\n";
    struct hc_head *h = malloc(sizeof *h);
    const char *why;
    assert_int_equal(hc_parse_response_head(raw, sizeof raw - 1, &hc_default_limits, h, &why), 0);
    hc_response *r = hc_response_from_head(raw, h);
    free(h);
    return r;
}

/* Exact sizes on LP64: a slotted object is the type pointer plus one 8-byte
 * slot per attribute; a dict object is 16 bytes + a 16-byte dict + a keys
 * table of 16 + size + usable*24 bytes (size 8: 144, size 16: 272). */
static size_t expected_size(int slotted, unsigned nattrs)
{
    if (slotted)
        return 8 + 8 * (size_t)nattrs;
    return nattrs <= 5 ? 16 + 16 + 144 : 16 + 16 + 272;
}

static void test_layout_per_mode(void **state)
{
    (void)state;
    int hot = !mode_is("dict"), cold = mode_is("allslots");
    hc_session *s = hc_session_new();
    hc_request *rq = hc_request_new("GET", "http://h/", NULL);
    hc_timeout *t = hc_timeout_new(1, 2, 3);
    hc_headers *h = hc_headers_new();
    hc_response *r = make_response();
    hc_error *e = hc_response_raise_for_status(r);
    assert_null(e);
    e = hc_object_set_attr(r, "status_code", hc_value_int(404));
    assert_null(e);
    e = hc_response_raise_for_status(r);
    assert_non_null(e);

    struct {
        const void *obj;
        const char *name;
        int slotted;
        unsigned nattrs;
    } want[] = {
        {r, "Response", hot, 7},  {rq, "Request", hot, 5},
        {t, "Timeout", hot, 3},   {h, "Headers", hot, 3},
        {s, "Session", cold, 10}, {hc_session_pool(s), "ConnectionPool", cold, 6},
        {e, "Error", cold, 3},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_string_equal(hc_object_type_name(want[i].obj), want[i].name);
        assert_int_equal(hc_object_is_slotted(want[i].obj), want[i].slotted);
        assert_int_equal(hc_object_storage_bytes(want[i].obj),
                         expected_size(want[i].slotted, want[i].nattrs));
    }
    /* The headline numbers, spelled out. */
    assert_int_equal(hc_object_storage_bytes(r), mode_is("dict") ? 304 : 64);
    hc_error_free(e);
    hc_response_free(r);
    hc_headers_free(h);
    hc_timeout_free(t);
    hc_request_free(rq);
    hc_session_free(s);
}

static void test_set_attr(void **state)
{
    (void)state;
    hc_response *r = make_response();
    hc_session *s = hc_session_new();
    hc_error *e;

    /* Declared attributes work everywhere. */
    assert_null(hc_object_set_attr(r, "status_line", hc_value_str("HTTP/1.1 299 Odd")));
    assert_string_equal(hc_response_status_line(r), "HTTP/1.1 299 Odd");
    hc_value v;
    assert_null(hc_object_get_attr(r, "status_code", &v));
    assert_int_equal(v.kind, HC_VALUE_INT);
    assert_int_equal(v.u.i, 201);
    assert_null(hc_object_get_attr(r, "_text", &v));
    assert_int_equal(v.kind, HC_VALUE_NONE);
    assert_null(hc_object_get_attr(r, "headers", &v));
    assert_int_equal(v.kind, HC_VALUE_OBJECT);

    e = hc_object_set_attr(r, "status_code", hc_value_str("x"));
    assert_int_equal(hc_error_get_kind(e), HC_ERR_TYPE);
    assert_string_equal(hc_error_message(e),
                        "attribute 'status_code' of 'Response' objects must be int");
    hc_error_free(e);
    e = hc_object_set_attr(r, "headers", hc_value_none());
    assert_int_equal(hc_error_get_kind(e), HC_ERR_ATTRIBUTE);
    assert_string_equal(hc_error_message(e),
                        "attribute 'headers' of 'Response' objects is not writable");
    hc_error_free(e);

    /* Unknown attributes: AttributeError on a slotted object only. */
    e = hc_object_set_attr(r, "cache_hint", hc_value_str("warm"));
    if (mode_is("dict")) {
        assert_null(e);
        assert_null(hc_object_get_attr(r, "cache_hint", &v));
        assert_string_equal(v.u.s, "warm");
        assert_null(hc_object_set_attr(r, "cache_hint", hc_value_int(7))); /* replace, new kind */
        assert_null(hc_object_get_attr(r, "cache_hint", &v));
        assert_int_equal(v.u.i, 7);
    } else {
        assert_int_equal(hc_error_get_kind(e), HC_ERR_ATTRIBUTE);
        assert_string_equal(hc_error_message(e), "'Response' object has no attribute 'cache_hint'");
        assert_string_equal(hc_error_kind_name(hc_error_get_kind(e)), "AttributeError");
        hc_error_free(e);
        e = hc_object_get_attr(r, "cache_hint", &v);
        assert_int_equal(hc_error_get_kind(e), HC_ERR_ATTRIBUTE);
        hc_error_free(e);
    }
    e = hc_object_set_attr(s, "plugin", hc_value_int(1));
    if (mode_is("allslots")) {
        assert_string_equal(hc_error_message(e), "'Session' object has no attribute 'plugin'");
        hc_error_free(e);
    } else {
        assert_null(e);
    }
    hc_session_free(s);
    hc_response_free(r);
}

static void test_dict_growth(void **state)
{
    (void)state;
    if (!mode_is("dict"))
        skip();
    /* Timeout: 3 attributes in an 8-slot table (5 usable). */
    hc_timeout *t = hc_timeout_new(0, 0, 0);
    assert_int_equal(hc_object_storage_bytes(t), 176);
    assert_null(hc_object_set_attr(t, "a", hc_value_int(1)));
    assert_null(hc_object_set_attr(t, "b", hc_value_int(2)));
    assert_int_equal(hc_object_storage_bytes(t), 176);
    /* 6th entry: grows to 3 * 5 -> 16 slots (10 usable). */
    assert_null(hc_object_set_attr(t, "c", hc_value_int(3)));
    assert_int_equal(hc_object_storage_bytes(t), 304);
    const char *names[] = {"d", "e", "f", "g"};
    for (int i = 0; i < 4; i++)
        assert_null(hc_object_set_attr(t, names[i], hc_value_int(i)));
    assert_int_equal(hc_object_storage_bytes(t), 304);
    /* 11th: 3 * 10 -> 32 slots, 21 usable: 32 + 16 + 32 + 21 * 24. */
    assert_null(hc_object_set_attr(t, "h", hc_value_str("x")));
    assert_int_equal(hc_object_storage_bytes(t), 16 + 16 + 16 + 32 + 21 * 24);
    hc_value v;
    for (int i = 0; i < 4; i++) {
        assert_null(hc_object_get_attr(t, names[i], &v));
        assert_int_equal(v.u.i, i);
    }
    assert_int_equal(hc_timeout_connect(t), 0.0);
    hc_timeout_free(t);
}

static void test_headers(void **state)
{
    (void)state;
    hc_headers *h = hc_headers_new();
    hc_error *e = NULL;
    assert_int_equal(hc_headers_add(h, "Set-Cookie", "a=1", NULL), 0);
    assert_int_equal(hc_headers_add(h, "Content-Type", "text/plain", NULL), 0);
    assert_int_equal(hc_headers_add(h, "set-cookie", "b=2", NULL), 0);
    assert_int_equal(hc_headers_count(h), 3);
    assert_string_equal(hc_headers_get(h, "SET-COOKIE"), "a=1");
    assert_int_equal(hc_headers_find(h, "Set-Cookie", 1), 2);
    assert_int_equal(hc_headers_find(h, "Missing", 0), -1);
    assert_null(hc_headers_get(h, "Missing"));
    assert_string_equal(hc_headers_name_at(h, 2), "set-cookie"); /* spelling kept */

    assert_int_equal(hc_headers_add(h, "Bad Name", "x", &e), -1);
    assert_int_equal(hc_error_get_kind(e), HC_ERR_INVALID_ARGUMENT);
    assert_string_equal(hc_error_message(e), "invalid header name 'Bad Name'");
    hc_error_free(e);
    assert_int_equal(hc_headers_add(h, "X", "a\r\nInjected: 1", &e), -1);
    hc_error_free(e);
    assert_int_equal(hc_headers_count(h), 3);

    /* set replaces all, at the first one's place */
    assert_int_equal(hc_headers_set(h, "SET-cookie", "c=3", NULL), 0);
    assert_int_equal(hc_headers_count(h), 2);
    assert_string_equal(hc_headers_name_at(h, 0), "SET-cookie");
    assert_string_equal(hc_headers_value_at(h, 0), "c=3");
    assert_string_equal(hc_headers_name_at(h, 1), "Content-Type");

    for (int i = 0; i < 20; i++)
        hc_headers_add(h, "X-N", "v", NULL);
    assert_int_equal(hc_headers_count(h), 22);
    hc_headers *c = hc_headers_copy(h);
    assert_int_equal(hc_headers_remove(h, "x-n"), 20);
    assert_int_equal(hc_headers_count(h), 2);
    assert_int_equal(hc_headers_count(c), 22);
    assert_null(hc_headers_name_at(h, 2));
    hc_headers_free(c);
    hc_headers_free(h);
}

static void test_live_counts(void **state)
{
    (void)state;
    long before = hc_live_instances("Response");
    hc_response *a = make_response(), *b = make_response();
    assert_int_equal(hc_live_instances("Response"), before + 2);
    assert_int_equal(hc_live_instances("Headers"), 2);
    hc_response_free(a);
    hc_response_free(b);
    assert_int_equal(hc_live_instances("Response"), before);
    assert_int_equal(hc_live_instances("Headers"), 0);
    assert_int_equal(hc_live_instances("Nope"), -1);
}

static void test_errors_and_timeouts(void **state)
{
    (void)state;
    hc_error *e = NULL;
    assert_null(hc_request_new("GET", "gopher://x/", &e));
    assert_int_equal(hc_error_get_kind(e), HC_ERR_INVALID_URL);
    assert_string_equal(hc_error_message(e), "Invalid URL 'gopher://x/': unsupported scheme");
    hc_error_free(e);
    assert_null(hc_request_new("G ET", "http://x/", &e));
    assert_int_equal(hc_error_get_kind(e), HC_ERR_INVALID_ARGUMENT);
    hc_error_free(e);
    hc_timeout *t = hc_timeout_new(1.5, 0, -2);
    assert_true(hc_timeout_connect(t) == 1.5);
    assert_true(hc_timeout_read(t) == 0.0);
    assert_true(hc_timeout_total(t) == 0.0);
    hc_timeout_free(t);
    assert_string_equal(hc_error_kind_name(HC_ERR_TOO_MANY_REDIRECTS), "TooManyRedirects");
    assert_int_equal(hc_live_instances("Error"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_per_mode), cmocka_unit_test(test_set_attr),
        cmocka_unit_test(test_dict_growth),     cmocka_unit_test(test_headers),
        cmocka_unit_test(test_live_counts),     cmocka_unit_test(test_errors_and_timeouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
