/* Cmocka tests of the small parsers and formatters the heaptag command relies on: byte
 * units, budgets, report-name templates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "report/report_locate.h"
#include "units.h"

static void parse_bytes_accepts_documented_suffixes(void **state)
{
    (void)state;
    double v;
    assert_int_equal(ht_parse_bytes("256", &v), 0);
    assert_true(v == 256);
    assert_int_equal(ht_parse_bytes("1K", &v), 0);
    assert_true(v == 1024);
    assert_int_equal(ht_parse_bytes("1KiB", &v), 0);
    assert_true(v == 1024);
    assert_int_equal(ht_parse_bytes("1.5k", &v), 0);
    assert_true(v == 1536);
    assert_int_equal(ht_parse_bytes("2M", &v), 0);
    assert_true(v == 2097152);
    assert_int_equal(ht_parse_bytes("2MiB", &v), 0);
    assert_true(v == 2097152);
    assert_int_equal(ht_parse_bytes("1G", &v), 0);
    assert_true(v == 1073741824.0);
    assert_int_equal(ht_parse_bytes("100B", &v), 0);
    assert_true(v == 100);
}

static void parse_bytes_rejects_junk(void **state)
{
    (void)state;
    double v;
    const char *bad[] = {"",    "-1",  "K",   "1X",  "1 K",   "0x10",
                         "1e3", "inf", "nan", "1KB", "1.5.5", "+3"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(ht_parse_bytes(bad[i], &v), -1);
}

static void human_bytes_formats(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(ht_human_bytes(0, b, sizeof b), "0 B");
    assert_string_equal(ht_human_bytes(1023, b, sizeof b), "1023 B");
    assert_string_equal(ht_human_bytes(279.5, b, sizeof b), "279.5 B");
    assert_string_equal(ht_human_bytes(1024, b, sizeof b), "1.0 KiB");
    assert_string_equal(ht_human_bytes(1536, b, sizeof b), "1.5 KiB");
    assert_string_equal(ht_human_bytes(2800000, b, sizeof b), "2.7 MiB");
    assert_string_equal(ht_human_bytes(-2000800, b, sizeof b), "-1.9 MiB");
    assert_string_equal(ht_human_bytes(3.0 * 1073741824.0, b, sizeof b), "3.0 GiB");
    assert_string_equal(ht_exact(170, b, sizeof b), "170");
    assert_string_equal(ht_exact(100.0 / 3.0, b, sizeof b), "33.3");
}

static void template_matches_pid_and_name(void **state)
{
    (void)state;
    assert_true(ht_template_match("heaptag.%e.%p.json", "heaptag.client.123.json", "123"));
    assert_true(ht_template_match("heaptag.%e.%p.json", "heaptag.a.b.c.123.json", "123"));
    assert_false(ht_template_match("heaptag.%e.%p.json", "heaptag.client.1234.json", "123"));
    assert_false(ht_template_match("heaptag.%e.%p.json", "heaptag..123.json", "123"));
    assert_false(ht_template_match("heaptag.%e.%p.json", "heaptag.client.123.json.tmp", "123"));
    assert_true(ht_template_match("r%%-%p", "r%-9", "9"));
    assert_true(ht_template_match("fixed.json", "fixed.json", "9"));
    assert_true(
        ht_template_match(".heaptag.%e.%p.json.tmp-run", ".heaptag.sh.77.json.tmp-run", NULL));
    assert_false(
        ht_template_match(".heaptag.%e.%p.json.tmp-run", ".heaptag.sh.x.json.tmp-run", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_bytes_accepts_documented_suffixes),
        cmocka_unit_test(parse_bytes_rejects_junk),
        cmocka_unit_test(human_bytes_formats),
        cmocka_unit_test(template_matches_pid_and_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
