/* Per-type and whole-process counters, and the arithmetic on them.
 *
 * While the process has a single thread (glibc's __libc_single_threaded),
 * counters are updated with plain loads and stores; once a second thread
 * exists, with atomic read-modify-writes.  The switch is safe because the
 * flag only turns false inside pthread_create, on the one running thread.
 * Peaks are raised right after the live figure they follow, so they are
 * exact: no interleaving can skip a maximum. */
#ifndef HT_STATS_H
#define HT_STATS_H
#include "ht_common.h"
#include <sys/single_threaded.h>

/* Size classes of the request-size histograms: [0] size 0, [1] size 1,
 * [i] sizes in (2^(i-2), 2^(i-1)] for i >= 2; the last class is open. */
#define SIZE_HIST_BUCKETS 24
static inline unsigned size_bucket(uint64_t size)
{
    if (size <= 1)
        return (unsigned)size;
    unsigned b = 65 - (unsigned)__builtin_clzll(size - 1); /* 2 -> 2, 3..4 -> 3 */
    return b < SIZE_HIST_BUCKETS ? b : SIZE_HIST_BUCKETS - 1;
}

struct type_stats {
    int64_t alloc_calls;
    int64_t free_calls;
    int64_t bytes_requested;
    int64_t live_bytes;
    int64_t peak_live_bytes;
    int64_t live_usable;
    int64_t peak_live_usable;
    int64_t live_blocks;
    int64_t instances;
    int64_t live_instances;
    int64_t peak_live_instances;
    int64_t temporary_calls; /* blocks freed before the thread allocated again */
    int64_t size_hist[SIZE_HIST_BUCKETS];   /* requests by size class, see size_bucket() */
} __attribute__((aligned(128)));

/* Whole-process live figures and their peaks.  Call counts and requested
 * bytes of the totals are the sums of the per-type ones, computed when a
 * report is written, so the totals always equal the sum of the types. */
struct total_stats {
    int64_t live_bytes;
    int64_t peak_live_bytes;
    int64_t live_usable;
    int64_t peak_live_usable;
    int64_t live_blocks;
    int64_t peak_live_blocks;
    int64_t realloc_calls;
    int64_t failed_calls;
    int64_t foreign_free_calls;
    int64_t untracked_blocks;
} __attribute__((aligned(128)));

extern struct type_stats type_stats[HT_MAX_TYPES];
extern struct total_stats totals;

static inline int64_t counter_add(int64_t *c, int64_t d)
{
    if (__libc_single_threaded) {
        int64_t v = HT_LOAD(c) + d;
        HT_STORE(c, v);
        return v;
    }
    return __atomic_add_fetch(c, d, __ATOMIC_RELAXED);
}

static inline void peak_raise(int64_t *peak, int64_t v)
{
    int64_t old = HT_LOAD(peak);
    if (__libc_single_threaded) {
        if (v > old)
            HT_STORE(peak, v);
        return;
    }
    while (v > old && !__atomic_compare_exchange_n(peak, &old, v, 1, __ATOMIC_RELAXED,
                                                   __ATOMIC_RELAXED))
        ;
}

/* A block of type t comes to life (usable before requested: a snapshot
 * taken between the two never shows usable < requested). */
static inline void stats_block_born(uint32_t t, size_t requested, size_t usable)
{
    struct type_stats *s = &type_stats[t];
    counter_add(&s->alloc_calls, 1);
    counter_add(&s->size_hist[size_bucket(requested)], 1);
    counter_add(&s->bytes_requested, (int64_t)requested);
    peak_raise(&s->peak_live_usable, counter_add(&s->live_usable, (int64_t)usable));
    peak_raise(&s->peak_live_bytes, counter_add(&s->live_bytes, (int64_t)requested));
    counter_add(&s->live_blocks, 1);
    peak_raise(&totals.peak_live_usable, counter_add(&totals.live_usable, (int64_t)usable));
    peak_raise(&totals.peak_live_bytes, counter_add(&totals.live_bytes, (int64_t)requested));
    peak_raise(&totals.peak_live_blocks, counter_add(&totals.live_blocks, 1));
}

/* A block of type t is freed; `temporary` if no allocation happened on
 * this thread since it was allocated.  The totals go down before the type
 * (and come up after it in stats_block_born), so the whole-process live
 * figure never includes a block its type no longer counts: the total's
 * peak stays below the sum of the types' peaks. */
static inline void stats_block_died(uint32_t t, size_t requested, size_t usable, int temporary)
{
    struct type_stats *s = &type_stats[t];
    counter_add(&totals.live_bytes, -(int64_t)requested);
    counter_add(&totals.live_usable, -(int64_t)usable);
    counter_add(&totals.live_blocks, -1);
    counter_add(&s->free_calls, 1);
    if (temporary)
        counter_add(&s->temporary_calls, 1);
    counter_add(&s->live_bytes, -(int64_t)requested);
    counter_add(&s->live_usable, -(int64_t)usable);
    counter_add(&s->live_blocks, -1);
}

/* A live block moves from type `from` to type `to` (heaptag_retag). */
static inline void stats_block_moved(uint32_t from, uint32_t to, size_t requested,
                                     size_t usable)
{
    struct type_stats *a = &type_stats[from], *b = &type_stats[to];
    peak_raise(&b->peak_live_usable, counter_add(&b->live_usable, (int64_t)usable));
    peak_raise(&b->peak_live_bytes, counter_add(&b->live_bytes, (int64_t)requested));
    counter_add(&b->live_blocks, 1);
    counter_add(&a->live_bytes, -(int64_t)requested);
    counter_add(&a->live_usable, -(int64_t)usable);
    counter_add(&a->live_blocks, -1);
}
#endif
