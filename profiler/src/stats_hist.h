/* Size classes of the request-size histograms: [0] size 0, [1] size 1,
 * [i] sizes in (2^(i-2), 2^(i-1)] for i >= 2; the last class is open. */
#ifndef HT_STATS_HIST_H
#define HT_STATS_HIST_H
#include <stdint.h>

#define SIZE_HIST_BUCKETS 24
static inline unsigned size_bucket(uint64_t size)
{
    if (size <= 1)
        return (unsigned)size;
    unsigned b = 65 - (unsigned)__builtin_clzll(size - 1); /* 2 -> 2, 3..4 -> 3 */
    return b < SIZE_HIST_BUCKETS ? b : SIZE_HIST_BUCKETS - 1;
}
#endif
