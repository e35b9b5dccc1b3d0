/* cmocka tests of the table of sampled blocks against a reference array.
 *
 * The table of sampled blocks (profiler/src/sample_table.c) against a
 * plain reference array: random inserts and removals of clustered
 * addresses (long probe runs, wrap-around, growth), every record found
 * with its fields, every removed one gone, the free filter's bit set
 * while some live record starts in its slot, and the first level (the
 * hint word) set exactly while one of its eight filter words is not
 * empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "sample_table.h"
#include "sampling.h"

#define N 20000

/* sampling.c, which owns the filter's first level, is not linked here. */
struct sample_ro sample_ro;

static uintptr_t addrs[N];
static int live[N];

static int filter_bit(uintptr_t a) { return sample_maybe((const void *)a); }

static void check_all(int n)
{
    uint64_t count = 0;
    for (int i = 0; i < n; i++) {
        struct sample_rec *r = sample_table_find(addrs[i]);
        if (live[i]) {
            count++;
            assert_non_null(r);
            assert_int_equal(r->requested, (uint64_t)i);
            assert_int_equal(r->site, (uint32_t)i * 7);
            assert_true(filter_bit(addrs[i]));
        } else {
            assert_null(r);
        }
    }
    assert_int_equal(sample_table_live(), count);
    /* The hint's bit is set exactly while one of its filter words is not 0. */
    for (unsigned h = 0; h < 64; h++) {
        uint64_t any = 0;
        for (unsigned w = h * 8; w < h * 8 + 8; w++)
            any |= sample_filter[w];
        assert_int_equal((sample_ro.hint >> h) & 1, any != 0);
    }
}

static void random_churn(void **state)
{
    (void)state;
    srand(12345);
    for (int i = 0; i < N; i++)
        /* Clustered: 16-byte neighbours hash to nearby slots. */
        addrs[i] = 0x7f0000000000u + (uintptr_t)(i % 97) * 0x100000u + (uintptr_t)(i / 97) * 16;
    for (int round = 0; round < 200000; round++) {
        int i = rand() % N;
        struct sample_rec r = {.addr = addrs[i],
                               .requested = (uint64_t)i,
                               .usable = (uint64_t)i + 8,
                               .weight = 1.5,
                               .type = 3,
                               .site = (uint32_t)i * 7};
        if (!live[i]) {
            assert_int_equal(sample_table_insert(&r), 0);
            live[i] = 1;
        } else {
            struct sample_rec out;
            assert_int_equal(sample_table_take(addrs[i], &out), 1);
            assert_int_equal(out.requested, (uint64_t)i);
            assert_int_equal(sample_table_take(addrs[i], &out), 0);
            live[i] = 0;
        }
        if (round % 20000 == 0)
            check_all(N);
    }
    check_all(N);
    /* Empty it: every filter bit clears. */
    for (int i = 0; i < N; i++) {
        struct sample_rec out;
        if (live[i])
            assert_int_equal(sample_table_take(addrs[i], &out), 1);
        live[i] = 0;
    }
    check_all(N);
    for (unsigned w = 0; w < (1u << SAMPLE_FILTER_BITS) / 64; w++)
        assert_int_equal(sample_filter[w], 0);
    assert_int_equal(sample_ro.hint, 0);
}

/* A few live blocks leave the other stripes' hints clear: a free there
 * reads nothing but the hint.  Blocks 512 KiB apart share a slot, and the
 * slot stays set until the last of them goes. */
static void sparse_hint(void **state)
{
    (void)state;
    uintptr_t base = 0x7f1234560000u;
    struct sample_rec a = {.addr = base + 0x40, .requested = 1, .weight = 1};
    struct sample_rec b = {.addr = base + 0x40 + (512u << 10), .requested = 2, .weight = 1};
    assert_int_equal(sample_table_insert(&a), 0);
    assert_int_equal(sample_table_insert(&b), 0);
    unsigned hint = (unsigned)((a.addr >> 13) & 63);
    assert_int_equal(sample_ro.hint, 1ull << hint);
    assert_true(sample_maybe((const void *)a.addr));
    assert_true(sample_maybe((const void *)b.addr));
    /* Same stripe, other slot: the hint says maybe, the word says no. */
    assert_false(sample_maybe((const void *)(a.addr + 16)));
    /* Other stripes: the hint alone says no. */
    int clear = 0;
    for (uintptr_t p = base; p < base + (512u << 10); p += 16)
        if (((p >> 13) & 63) != hint) {
            assert_false(sample_maybe((const void *)p));
            clear++;
        }
    assert_int_equal(clear, (512 << 10) / 16 * 63 / 64);
    struct sample_rec out;
    assert_int_equal(sample_table_take(a.addr, &out), 1);
    assert_true(sample_maybe((const void *)b.addr)); /* b still holds the slot */
    assert_int_equal(sample_table_take(b.addr, &out), 1);
    assert_false(sample_maybe((const void *)a.addr));
    assert_int_equal(sample_ro.hint, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(random_churn),
                                       cmocka_unit_test(sparse_hint)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
