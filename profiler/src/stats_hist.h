/* Size classes of the request-size histograms: [0] size 0, [1] size 1,
 * [i] sizes in (2^(i-2), 2^(i-1)] for i >= 2; the last class is open. */
#ifndef HT_STATS_HIST_H
#define HT_STATS_HIST_H
#include <stdint.h>

#define SIZE_HIST_BUCKETS 24

/* The class of a size, computed. */
static inline unsigned size_bucket_of(uint64_t size)
{
    if (size <= 1)
        return (unsigned)size;
    unsigned b = 65 - (unsigned)__builtin_clzll(size - 1); /* 2 -> 2, 3..4 -> 3 */
    return b < SIZE_HIST_BUCKETS ? b : SIZE_HIST_BUCKETS - 1;
}

/* The classes of sizes 0..256, where most requests fall: one load from
 * an L1-resident table instead of a bit scan, a compare and a move on
 * every allocation (stats_hist.c). */
#define SIZE_BUCKET_TABLE_MAX 256
extern const uint8_t size_bucket_table[SIZE_BUCKET_TABLE_MAX + 1]
    __attribute__((visibility("hidden")));

static inline unsigned size_bucket(uint64_t size)
{
    if (__builtin_expect(size <= SIZE_BUCKET_TABLE_MAX, 1))
        return size_bucket_table[size];
    return size_bucket_of(size);
}
#endif
