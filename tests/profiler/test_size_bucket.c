/* size_bucket()'s table against the formula it stands for, for every
 * size it covers and across the edge where the formula takes over. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "stats_hist.h"

static void table_matches_formula(void **state)
{
    (void)state;
    for (uint64_t size = 0; size <= 4096; size++)
        assert_int_equal(size_bucket(size), size_bucket_of(size));
}

static void known_classes(void **state)
{
    (void)state;
    assert_int_equal(size_bucket(0), 0);
    assert_int_equal(size_bucket(1), 1);
    assert_int_equal(size_bucket(2), 2);
    assert_int_equal(size_bucket(4), 3);
    assert_int_equal(size_bucket(5), 4);
    assert_int_equal(size_bucket(256), 9);
    assert_int_equal(size_bucket(257), 10);
    assert_int_equal(size_bucket(UINT64_MAX), SIZE_HIST_BUCKETS - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_matches_formula),
        cmocka_unit_test(known_classes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
