/* Per-type and whole-process counters, and the arithmetic on them.
 *
 * While the process has a single thread (glibc's __libc_single_threaded),
 * counters are updated with plain loads and stores on the shared records.
 * Once a second thread exists, each thread counts into its own record
 * (acct_thread.h): tallies with plain stores, live figures inside the
 * windows of the peak gates (gate.h), which keep every peak exact while
 * the common case writes no cache line another thread writes (ADR-0009).
 * The switch is safe because the flag only turns false inside
 * pthread_create, on the one running thread. */
#ifndef HT_STATS_H
#define HT_STATS_H
#include "ht_common.h"
#include "acct_thread.h"
#include "gate.h"
#include "site_table.h"
#include "stats_hist.h"
#include <sys/single_threaded.h>

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

/* A type's gated figures: bytes, usable bytes, instances. */
struct type_live {
    struct gate_shared g;
} __attribute__((aligned(64)));

/* Tallies counted while the process is single-threaded, and by threads
 * that have no record of their own (atomically then).  The per-thread
 * records hold the rest; a report adds them all up.  Alloc calls and live
 * blocks are derived: the size classes sum to alloc_calls, and
 * alloc_calls - free_calls + moved_blocks is live_blocks. */
struct type_counts {
    int64_t free_calls;
    int64_t bytes_requested;
    int64_t temporary_calls;
    int64_t moved_blocks; /* retagged in minus retagged out */
    int64_t instances;
    int64_t size_hist[SIZE_HIST_BUCKETS];
} __attribute__((aligned(64)));

/* Whole-process gated figures (bytes, usable bytes, blocks).  Call counts
 * and requested bytes of the totals are the sums of the per-type ones,
 * computed when a report is written, so the totals always equal the sum of
 * the types. */
struct total_stats {
    struct gate_shared g;
    /* rare events, on a line of their own */
    int64_t realloc_calls __attribute__((aligned(64)));
    int64_t failed_calls;
    int64_t foreign_free_calls;
    int64_t untracked_blocks;
} __attribute__((aligned(128)));

extern HT_HIDDEN struct type_live type_live[HT_MAX_TYPES];
extern HT_HIDDEN struct type_counts type_counts[HT_MAX_TYPES];
extern HT_HIDDEN struct total_stats totals;
/* Fill *out with type t's figures. */
void stats_snapshot(uint32_t t, struct type_stats *out);
/* The process's live bytes, usable bytes and blocks now (a sum over the
 * threads' records: exact when no other thread is counting). */
void stats_total_live(int64_t out[GATE_NF]);

/* mt: whether other threads may exist (read once per hook from
 * __libc_single_threaded, which the compiler cannot hoist itself). */
static inline int stats_mt(void) { return !__libc_single_threaded; }

static inline int64_t add_mt(int mt, int64_t *c, int64_t d)
{
    if (!mt) {
        int64_t v = HT_LOAD(c) + d;
        HT_STORE(c, v);
        return v;
    }
    return __atomic_add_fetch(c, d, __ATOMIC_RELAXED);
}

/* For rare paths. */
static inline int64_t counter_add(int64_t *c, int64_t d) { return add_mt(stats_mt(), c, d); }

/* A tally only its owner thread writes. */
static inline void own_add(int64_t *c, int64_t d) { HT_STORE(c, HT_LOAD(c) + d); }

/* Out of line: the same accounting for a thread without a record. */
int64_t stats_born_shared(uint32_t t, uint32_t site, int64_t req, int64_t use);
void stats_died_shared(uint32_t t, uint32_t site, int64_t req, int64_t use, int temporary);
int64_t stats_gate_slow3(struct gate_shared *s, struct gate_local *l, int64_t x0, int64_t x1,
                         int64_t x2, enum gate_kind kind, uint32_t index);

/* The threaded forms, for a thread with a record; `as` is its counters of
 * call site `site`, or NULL (a constant NULL where stacks are off, so the
 * compiler drops the site's code from the hot path).
 *
 * The type counts a new block before the totals do, and a dead one after
 * them (a type that goes the slow way holds the totals back): at every
 * moment the totals' view of each type is a state the type's own figures
 * passed through, so the process's peak never exceeds the sum of the
 * types' peaks (ADR-0009). */
/* Which of a group's updates did not fit its window (bits of the result
 * of born_mt_try and died_mt_try): those go the slow way, in
 * born_mt_slow / died_mt_slow. */
#define ACCT_SLOW_TYPE 1
#define ACCT_SLOW_TOTAL 2
#define ACCT_SLOW_SITE 4

/* born_mt's fast part: every update that fits its window, and the
 * tallies.  Calls nothing, so a hot path can inline it without a frame. */
static inline __attribute__((always_inline)) int
born_mt_try(struct acct_thread *me, uint32_t t, struct acct_site *as, int64_t req, int64_t use)
{
    unsigned b = size_bucket((uint64_t)req);
    struct acct_type *a = &me->types[t];
    /* The tallies before the live figures: a report reads live first and
     * the tallies after, so every live byte it sees is in bytes_requested
     * too, even from a signal handler that interrupted this very call. */
    own_add(&a->bytes_requested, req);
    own_add(&a->size_hist[b], 1);
    if (as) {
        own_add(&as->bytes_requested, req);
        own_add(&as->size_hist[b], 1);
    }
    acct_begin(me);
    int ok_type = gate_try(&a->g, req, use, 0, 1);
    int ok_total = ok_type && gate_try(&me->total, req, use, 1, 1);
    int ok_site = !as || gate_try(&as->g, req, use, 0, 1);
    acct_end(me);
    return (ok_type ? 0 : ACCT_SLOW_TYPE) | (ok_total ? 0 : ACCT_SLOW_TOTAL) |
           (ok_site ? 0 : ACCT_SLOW_SITE);
}

/* The slow paths born_mt_try left (SLOW != 0): the type's before the
 * totals'.  Returns the process's new peak of live bytes, or -1. */
int64_t born_mt_slow(struct acct_thread *me, uint32_t t, struct acct_site *as, uint32_t site,
                     int64_t req, int64_t use, int slow);

static inline __attribute__((always_inline)) int64_t born_mt(struct acct_thread *me, uint32_t t,
                                                             struct acct_site *as, uint32_t site,
                                                             int64_t req, int64_t use)
{
    int slow = born_mt_try(me, t, as, req, use);
    return HT_UNLIKELY(slow) ? born_mt_slow(me, t, as, site, req, use, slow) : -1;
}

/* died_mt's fast part, as born_mt_try. */
static inline __attribute__((always_inline)) int died_mt_try(struct acct_thread *me, uint32_t t,
                                                             struct acct_site *as, int64_t req,
                                                             int64_t use, int temporary)
{
    struct acct_type *a = &me->types[t];
    acct_begin(me);
    int ok_total = gate_try(&me->total, -req, -use, -1, 0);
    int ok_type = ok_total && gate_try(&a->g, -req, -use, 0, 0);
    int ok_site = !as || gate_try(&as->g, -req, -use, 0, 0);
    acct_end(me);
    own_add(&a->free_calls, 1);
    own_add(&a->temporary_calls, temporary);
    if (as) {
        own_add(&as->free_calls, 1);
        own_add(&as->temporary_calls, temporary);
    }
    return (ok_type ? 0 : ACCT_SLOW_TYPE) | (ok_total ? 0 : ACCT_SLOW_TOTAL) |
           (ok_site ? 0 : ACCT_SLOW_SITE);
}

/* The slow paths died_mt_try left: the totals' before the type's. */
void died_mt_slow(struct acct_thread *me, uint32_t t, struct acct_site *as, uint32_t site,
                  int64_t req, int64_t use, int slow);

static inline __attribute__((always_inline)) void died_mt(struct acct_thread *me, uint32_t t,
                                                          struct acct_site *as, uint32_t site,
                                                          int64_t req, int64_t use, int temporary)
{
    int slow = died_mt_try(me, t, as, req, use, temporary);
    if (HT_UNLIKELY(slow))
        died_mt_slow(me, t, as, site, req, use, slow);
}

/* Out of line: the threaded forms with a call site (stacks on), or for a
 * thread without a record. */
int64_t stats_born_site(uint32_t t, uint32_t site, int64_t req, int64_t use);
void stats_died_site(uint32_t t, uint32_t site, int64_t req, int64_t use, int temporary);

/* A block of type t (and call site `site`, 0 if none) comes to life.
 * Returns the process's new peak of live bytes if this block raised it,
 * else -1 (for the timeline's peak snapshot). */
static inline __attribute__((always_inline)) int64_t
stats_block_born(int mt, uint32_t t, uint32_t site, size_t requested, size_t usable)
{
    int64_t req = (int64_t)requested, use = (int64_t)usable;
    if (!mt) {
        unsigned b = size_bucket(requested);
        struct type_counts *c = &type_counts[t];
        c->bytes_requested += req;
        c->size_hist[b]++;
        gate_apply_st(&type_live[t].g, req, use, 0);
        int64_t r = gate_apply_st(&totals.g, req, use, 1);
        if (site) {
            struct site_stats *s = site_stats_of(site);
            s->bytes_requested += req;
            s->size_hist[b]++;
            gate_apply_st(&s->g, req, use, 0);
        }
        return r;
    }
    struct acct_thread *me = acct_self;
    if (HT_UNLIKELY(site || !me))
        return stats_born_site(t, site, req, use);
    return born_mt(me, t, NULL, 0, req, use);
}

/* A block of type t (and site `site`, 0 if none) is freed; `temporary`
 * if no allocation happened on this thread since it was allocated. */
static inline __attribute__((always_inline)) void
stats_block_died(int mt, uint32_t t, uint32_t site, size_t requested, size_t usable, int temporary)
{
    int64_t req = (int64_t)requested, use = (int64_t)usable;
    if (!mt) {
        struct type_counts *c = &type_counts[t];
        gate_sub_st(&totals.g, req, use, 1);
        c->free_calls++;
        c->temporary_calls += temporary;
        gate_sub_st(&type_live[t].g, req, use, 0);
        if (site) {
            struct site_stats *s = site_stats_of(site);
            s->free_calls++;
            s->temporary_calls += temporary;
            gate_sub_st(&s->g, req, use, 0);
        }
        return;
    }
    struct acct_thread *me = acct_self;
    if (HT_UNLIKELY(site || !me)) {
        stats_died_site(t, site, req, use, temporary);
        return;
    }
    died_mt(me, t, NULL, 0, req, use, temporary);
}

/* A live block moves from type `from` to type `to` (heaptag_retag). */
void stats_block_moved(uint32_t from, uint32_t to, size_t requested, size_t usable);
/* Live bytes of type t and of the totals up or down by BYTES without a
 * block coming or going: a pool's backing bytes handed to a block carved
 * from it, or given back (custom_alloc.c, ADR-0011). */
void stats_live_shift(uint32_t t, int64_t bytes);
/* heaptag_instance_new (+1) and heaptag_instance_free (-1). */
void stats_instance(uint32_t t, int delta);
#endif
