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

/* One type's figures as a report shows them: a snapshot assembled by
 * stats_snapshot() from the counters below. */
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
    int64_t temporary_calls;
    int64_t size_hist[SIZE_HIST_BUCKETS];
};

/* The figures whose peaks must be exact, shared by all threads: one cache
 * line per type. */
struct type_live {
    int64_t live_bytes;
    int64_t peak_live_bytes;
    int64_t live_usable;
    int64_t peak_live_usable;
    int64_t instances;
    int64_t live_instances;
    int64_t peak_live_instances;
} __attribute__((aligned(64)));

/* Plain tallies, kept per shard: each thread adds to its own shard (threads
 * are dealt shards in turn), so threads do not fight over one cache line
 * for figures that are only ever summed.  A report adds the shards up. */
#define STATS_SHARDS 8
struct type_counts {
    int64_t free_calls;
    int64_t bytes_requested;
    int64_t temporary_calls;
    int64_t moved_blocks;   /* retagged in minus retagged out */
    /* Requests by size class; their sum is the type's alloc_calls, and
     * alloc_calls - free_calls + moved_blocks its live_blocks, so neither
     * costs a counter of its own on the hot path. */
    int64_t size_hist[SIZE_HIST_BUCKETS];
} __attribute__((aligned(64)));

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
    /* rare events, on a line of their own */
    int64_t realloc_calls __attribute__((aligned(64)));
    int64_t failed_calls;
    int64_t foreign_free_calls;
    int64_t untracked_blocks;
} __attribute__((aligned(128)));

extern HT_HIDDEN struct type_live type_live[HT_MAX_TYPES];
extern HT_HIDDEN struct type_counts type_counts[STATS_SHARDS][HT_MAX_TYPES];
extern HT_HIDDEN struct total_stats totals;
extern HT_HIDDEN __thread unsigned stats_shard_plus1;
unsigned stats_assign_shard(void);
/* Fill *out with type t's figures, each counter read once. */
void stats_snapshot(uint32_t t, struct type_stats *out);

/* mt: whether other threads may exist (read once per hook from
 * __libc_single_threaded, which the compiler cannot hoist itself). */
static inline int stats_mt(void)
{
    return !__libc_single_threaded;
}

static inline int64_t add_mt(int mt, int64_t *c, int64_t d)
{
    if (!mt) {
        int64_t v = HT_LOAD(c) + d;
        HT_STORE(c, v);
        return v;
    }
    return __atomic_add_fetch(c, d, __ATOMIC_RELAXED);
}

static inline void raise_mt(int mt, int64_t *peak, int64_t v)
{
    int64_t old = HT_LOAD(peak);
    if (!mt) {
        if (v > old)
            HT_STORE(peak, v);
        return;
    }
    while (v > old && !__atomic_compare_exchange_n(peak, &old, v, 1, __ATOMIC_RELAXED,
                                                   __ATOMIC_RELAXED))
        ;
}

/* For rare paths. */
static inline int64_t counter_add(int64_t *c, int64_t d) { return add_mt(stats_mt(), c, d); }
static inline void peak_raise(int64_t *peak, int64_t v) { raise_mt(stats_mt(), peak, v); }

static inline struct type_counts *my_counts(uint32_t t)
{
    unsigned s = stats_shard_plus1;
    if (HT_UNLIKELY(!s))
        s = stats_assign_shard();
    return &type_counts[s - 1][t];
}

/* A block of type t comes to life (usable before requested: a snapshot
 * taken between the two never shows usable < requested; the type before
 * the totals: see stats_block_died).  With one thread, plain arithmetic
 * the compiler can keep in registers; with more, atomic adds. */
static inline __attribute__((always_inline)) void stats_block_born(int mt, uint32_t t, size_t requested, size_t usable)
{
    /* While one thread runs, shard 0 is nobody else's: no TLS lookup. */
    struct type_counts *c = mt ? my_counts(t) : &type_counts[0][t];
    struct type_live *l = &type_live[t];
    int64_t req = (int64_t)requested, use = (int64_t)usable;
    if (!mt) {
        c->bytes_requested += req;
        c->size_hist[size_bucket(requested)]++;
        if ((l->live_usable += use) > l->peak_live_usable)
            l->peak_live_usable = l->live_usable;
        if ((l->live_bytes += req) > l->peak_live_bytes)
            l->peak_live_bytes = l->live_bytes;
        if ((totals.live_usable += use) > totals.peak_live_usable)
            totals.peak_live_usable = totals.live_usable;
        if ((totals.live_bytes += req) > totals.peak_live_bytes)
            totals.peak_live_bytes = totals.live_bytes;
        if (++totals.live_blocks > totals.peak_live_blocks)
            totals.peak_live_blocks = totals.live_blocks;
        return;
    }
    add_mt(1, &c->bytes_requested, req);
    add_mt(1, &c->size_hist[size_bucket(requested)], 1);
    raise_mt(1, &l->peak_live_usable, add_mt(1, &l->live_usable, use));
    raise_mt(1, &l->peak_live_bytes, add_mt(1, &l->live_bytes, req));
    raise_mt(1, &totals.peak_live_usable, add_mt(1, &totals.live_usable, use));
    raise_mt(1, &totals.peak_live_bytes, add_mt(1, &totals.live_bytes, req));
    raise_mt(1, &totals.peak_live_blocks, add_mt(1, &totals.live_blocks, 1));
}

/* A block of type t is freed; `temporary` if no allocation happened on
 * this thread since it was allocated.  The totals go down before the type
 * (and come up after it in stats_block_born), so the whole-process live
 * figure never includes a block its type no longer counts: the total's
 * peak stays below the sum of the types' peaks. */
static inline __attribute__((always_inline)) void stats_block_died(int mt, uint32_t t, size_t requested, size_t usable,
                                    int temporary)
{
    /* While one thread runs, shard 0 is nobody else's: no TLS lookup. */
    struct type_counts *c = mt ? my_counts(t) : &type_counts[0][t];
    struct type_live *l = &type_live[t];
    int64_t req = (int64_t)requested, use = (int64_t)usable;
    if (!mt) {
        totals.live_bytes -= req;
        totals.live_usable -= use;
        totals.live_blocks--;
        c->free_calls++;
        c->temporary_calls += temporary;
        l->live_bytes -= req;
        l->live_usable -= use;
        return;
    }
    add_mt(1, &totals.live_bytes, -req);
    add_mt(1, &totals.live_usable, -use);
    add_mt(1, &totals.live_blocks, -1);
    add_mt(1, &c->free_calls, 1);
    if (temporary)
        add_mt(1, &c->temporary_calls, 1);
    add_mt(1, &l->live_bytes, -req);
    add_mt(1, &l->live_usable, -use);
}

/* A live block moves from type `from` to type `to` (heaptag_retag). */
static inline void stats_block_moved(uint32_t from, uint32_t to, size_t requested,
                                     size_t usable)
{
    int mt = stats_mt();
    struct type_live *a = &type_live[from], *b = &type_live[to];
    raise_mt(mt, &b->peak_live_usable, add_mt(mt, &b->live_usable, (int64_t)usable));
    raise_mt(mt, &b->peak_live_bytes, add_mt(mt, &b->live_bytes, (int64_t)requested));
    add_mt(mt, &my_counts(to)->moved_blocks, 1);
    add_mt(mt, &a->live_bytes, -(int64_t)requested);
    add_mt(mt, &a->live_usable, -(int64_t)usable);
    add_mt(mt, &my_counts(from)->moved_blocks, -1);
}
#endif
