/* The table behind size_bucket() (stats_hist.h): each size's class.
 *
 * Up to SIZE_BUCKET_TABLE_MAX, as size_bucket_of() computes it;
 * tests/profiler/test_size_bucket.c checks every entry. */
#include "stats_hist.h"

const uint8_t size_bucket_table[SIZE_BUCKET_TABLE_MAX + 1] = {
    [0] = 0,        [1] = 1,         [2] = 2,         [3 ... 4] = 3,    [5 ... 8] = 4,
    [9 ... 16] = 5, [17 ... 32] = 6, [33 ... 64] = 7, [65 ... 128] = 8, [129 ... 256] = 9,
};
