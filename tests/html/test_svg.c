/* test_svg.c — cmocka tests of the drawing code every heaptag HTML page
 * shares (tools/html/svg.c).
 *
 * They cover escaping for text and for data inside a
 * script element, round ticks, and bar charts whose labels stay inside.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "html/svg.h"

/* What F writes, as a string (freed by the caller). */
#define CAPTURE(buf, call)                        \
    do {                                          \
        size_t len_;                              \
        FILE *f_ = open_memstream(&(buf), &len_); \
        assert_non_null(f_);                      \
        call;                                     \
        fclose(f_);                               \
    } while (0)

static void html_escape(void **state)
{
    (void)state;
    char *s;
    CAPTURE(s, ht_html_esc(f_, "a<b>&\"'c"));
    assert_string_equal(s, "a&lt;b&gt;&amp;&quot;&#39;c");
    free(s);
}

static void json_string_is_safe_in_a_script(void **state)
{
    (void)state;
    char *s;
    CAPTURE(s, ht_json_str(f_, "x</script><!--\"\\\n\t\xe2\x80\xa8\xe2\x80\xa9\xc3\xa9"));
    assert_string_equal(
        s, "\"x\\u003c/script\\u003e\\u003c!--\\\"\\\\\\u000a\\u0009\\u2028\\u2029\xc3\xa9\"");
    assert_null(strstr(s, "</"));
    free(s);
}

static void ticks_are_round(void **state)
{
    (void)state;
    assert_true(ht_tick_step(1000, 5, 0) == 200);
    assert_true(ht_tick_step(999, 4, 0) == 500);
    assert_true(ht_tick_step(7, 8, 0) == 1);
    /* Bytes: powers of two, so the labels read 512 KiB, 1 MiB. */
    assert_true(ht_tick_step(1800000, 4, 1) == 524288);
    assert_true(ht_tick_step(0, 4, 1) == 1);
    char b[32];
    assert_string_equal(ht_axis_label(524288, HT_AXIS_BYTES, b, sizeof b), "512 KiB");
    assert_string_equal(ht_axis_label(1572864, HT_AXIS_BYTES, b, sizeof b), "1.5 MiB");
    assert_string_equal(ht_axis_label(2500, HT_AXIS_MS, b, sizeof b), "2.5 s");
    assert_string_equal(ht_axis_label(20000, HT_AXIS_COUNT, b, sizeof b), "20k");
}

static void text_width_grows_with_text(void **state)
{
    (void)state;
    assert_true(ht_text_width("", 12) == 0);
    assert_true(ht_text_width("iiii", 12) < ht_text_width("MMMM", 12));
    assert_true(ht_text_width("abc", 24) == 2 * ht_text_width("abc", 12));
    /* A UTF-8 character counts once, not once per byte. */
    assert_true(ht_text_width("\xc3\xa9", 12) < ht_text_width("ab", 12));
}

/* Every <text> of SVG, by its estimated width (font size, weight and
 * anchor as written), lies within [0, WIDTH]. */
static void labels_inside(const char *svg, double width)
{
    const char *p = svg;
    int n = 0;
    while ((p = strstr(p, "<text x=\""))) {
        double x = strtod(p + 9, NULL);
        const char *gt = strchr(p, '>'), *end = strstr(p, "</text>");
        assert_non_null(gt);
        assert_non_null(end);
        char tag[512] = "", body[512] = "";
        memcpy(tag, p, (size_t)(gt - p) < sizeof tag - 1 ? (size_t)(gt - p) : sizeof tag - 1);
        const char *title = strstr(gt, "</title>");
        const char *from = title && title < end ? title + 8 : gt + 1;
        size_t len =
            (size_t)(end - from) < sizeof body - 1 ? (size_t)(end - from) : sizeof body - 1;
        memcpy(body, from, len);
        const char *fs = strstr(tag, "font-size=\"");
        double w = ht_text_width(body, fs ? strtod(fs + 11, NULL) : 12);
        if (strstr(tag, "font-weight=\"600\""))
            w *= 1.12;
        double left = strstr(tag, "text-anchor=\"end\"")      ? x - w
                      : strstr(tag, "text-anchor=\"middle\"") ? x - w / 2
                                                              : x;
        if (left < -0.5 || left + w > width + 0.5)
            fail_msg("label '%s' spans %.1f..%.1f, outside 0..%.0f", body, left, left + w, width);
        n++;
        p = end;
    }
    assert_true(n > 4);
}

static void bar_chart_labels_fit(void **state)
{
    (void)state;
    struct ht_bar bars[] = {
        {448, 16871, "#4c78a8", "448 B (+payload 16871 B)", NULL},
        {64, 16487, "#f58518", "64 B (+payload 16487 B)  -85.7%", NULL},
        {-1, 0, "#54a24b", NULL, "no instances"},
    };
    struct ht_bar_group groups[] = {
        {"Connection", 3, bars},
        {"AVeryLongTypeNameThatWouldPushTheBarsOffTheChart::Inner::Detail.payload", 1, bars},
    };
    char *s;
    CAPTURE(s, ht_svg_bar_chart(f_, &(struct ht_bar_chart){.width = 600,
                                                           .bar_h = 18,
                                                           .gap = 4,
                                                           .group_gap = 18,
                                                           .unit = HT_AXIS_BYTES,
                                                           .aria = "test",
                                                           .ngroups = 2,
                                                           .groups = groups}));
    assert_non_null(strstr(s, "width=\"600\""));
    assert_non_null(strstr(s, "no instances"));
    /* The long name is cut (with an ellipsis) and whole in its tooltip. */
    assert_non_null(strstr(
        s,
        "<title>AVeryLongTypeNameThatWouldPushTheBarsOffTheChart::Inner::Detail.payload</title>"));
    assert_non_null(strstr(s, "\xe2\x80\xa6</text>"));
    labels_inside(s, 600);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(html_escape),          cmocka_unit_test(json_string_is_safe_in_a_script),
        cmocka_unit_test(ticks_are_round),      cmocka_unit_test(text_width_grows_with_text),
        cmocka_unit_test(bar_chart_labels_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
