/* Storage of the counters declared in stats.h, the paths of threads
 * without a record, and the sums a report reads.
 *
 * Static arrays sized for every possible type: their pages are untouched,
 * hence free, until a type with that id is used. */
#include "stats.h"

struct type_live type_live[HT_MAX_TYPES];
struct type_counts type_counts[HT_MAX_TYPES];
struct total_stats totals;

int64_t stats_gate_slow3(struct gate_shared *s, struct gate_local *l, int64_t x0, int64_t x1,
                         int64_t x2, enum gate_kind kind, uint32_t index)
{
    const int64_t x[GATE_NF] = {x0, x1, x2};
    return gate_slow(s, l, x, kind, index);
}

int64_t born_mt_slow(struct acct_thread *me, uint32_t t, struct acct_site *as, uint32_t site,
                     int64_t req, int64_t use, int slow)
{
    int64_t r = -1;
    if (slow & ACCT_SLOW_TYPE)
        stats_gate_slow3(&type_live[t].g, &me->types[t].g, req, use, 0, GATE_TYPE, t);
    if (slow & ACCT_SLOW_TOTAL)
        r = stats_gate_slow3(&totals.g, &me->total, req, use, 1, GATE_TOTAL, 0);
    if (slow & ACCT_SLOW_SITE)
        stats_gate_slow3(&site_stats_of(site)->g, &as->g, req, use, 0, GATE_SITE, site);
    return r;
}

void died_mt_slow(struct acct_thread *me, uint32_t t, struct acct_site *as, uint32_t site,
                  int64_t req, int64_t use, int slow)
{
    if (slow & ACCT_SLOW_TOTAL)
        stats_gate_slow3(&totals.g, &me->total, -req, -use, -1, GATE_TOTAL, 0);
    if (slow & ACCT_SLOW_TYPE)
        stats_gate_slow3(&type_live[t].g, &me->types[t].g, -req, -use, 0, GATE_TYPE, t);
    if (slow & ACCT_SLOW_SITE)
        stats_gate_slow3(&site_stats_of(site)->g, &as->g, -req, -use, 0, GATE_SITE, site);
}

int64_t stats_born_shared(uint32_t t, uint32_t site, int64_t req, int64_t use)
{
    unsigned b = size_bucket((uint64_t)req);
    struct type_counts *c = &type_counts[t];
    add_mt(1, &c->bytes_requested, req);
    add_mt(1, &c->size_hist[b], 1);
    stats_gate_slow3(&type_live[t].g, NULL, req, use, 0, GATE_TYPE, t);
    int64_t r = stats_gate_slow3(&totals.g, NULL, req, use, 1, GATE_TOTAL, 0);
    if (site) {
        struct site_stats *s = site_stats_of(site);
        add_mt(1, &s->bytes_requested, req);
        add_mt(1, &s->size_hist[b], 1);
        stats_gate_slow3(&s->g, NULL, req, use, 0, GATE_SITE, site);
    }
    return r;
}

void stats_died_shared(uint32_t t, uint32_t site, int64_t req, int64_t use, int temporary)
{
    struct type_counts *c = &type_counts[t];
    stats_gate_slow3(&totals.g, NULL, -req, -use, -1, GATE_TOTAL, 0);
    add_mt(1, &c->free_calls, 1);
    if (temporary)
        add_mt(1, &c->temporary_calls, 1);
    stats_gate_slow3(&type_live[t].g, NULL, -req, -use, 0, GATE_TYPE, t);
    if (site) {
        struct site_stats *s = site_stats_of(site);
        add_mt(1, &s->free_calls, 1);
        if (temporary)
            add_mt(1, &s->temporary_calls, 1);
        stats_gate_slow3(&s->g, NULL, -req, -use, 0, GATE_SITE, site);
    }
}

int64_t stats_born_site(uint32_t t, uint32_t site, int64_t req, int64_t use)
{
    struct acct_thread *me = acct_me();
    struct acct_site *as = NULL;
    if (!me || (site && !(as = acct_site_of(me, site))))
        return stats_born_shared(t, site, req, use);
    return born_mt(me, t, as, site, req, use);
}

void stats_died_site(uint32_t t, uint32_t site, int64_t req, int64_t use, int temporary)
{
    struct acct_thread *me = acct_me();
    struct acct_site *as = NULL;
    if (!me || (site && !(as = acct_site_of(me, site)))) {
        stats_died_shared(t, site, req, use, temporary);
        return;
    }
    died_mt(me, t, as, site, req, use, temporary);
}

/* One gated update off the hot path (retag, instances). */
static void type_update(uint32_t t, int64_t x0, int64_t x1, int64_t x2, int64_t moved,
                        int64_t instances)
{
    if (!stats_mt()) {
        gate_apply_st(&type_live[t].g, x0, x1, x2);
        type_counts[t].moved_blocks += moved;
        type_counts[t].instances += instances;
        return;
    }
    struct acct_thread *me = acct_me();
    if (!me) {
        add_mt(1, &type_counts[t].moved_blocks, moved);
        add_mt(1, &type_counts[t].instances, instances);
        stats_gate_slow3(&type_live[t].g, NULL, x0, x1, x2, GATE_TYPE, t);
        return;
    }
    struct acct_type *a = &me->types[t];
    acct_begin(me);
    int ok = gate_try(&a->g, x0, x1, x2, x1 >= 0);
    acct_end(me);
    own_add(&a->moved_blocks, moved);
    own_add(&a->instances, instances);
    if (!ok)
        stats_gate_slow3(&type_live[t].g, &a->g, x0, x1, x2, GATE_TYPE, t);
}

/* One gated update of the process totals' bytes (no block comes or goes). */
static void total_update(int64_t bytes)
{
    if (!stats_mt()) {
        gate_apply_st(&totals.g, bytes, bytes, 0);
        return;
    }
    struct acct_thread *me = acct_me();
    if (!me) {
        stats_gate_slow3(&totals.g, NULL, bytes, bytes, 0, GATE_TOTAL, 0);
        return;
    }
    acct_begin(me);
    int ok = gate_try(&me->total, bytes, bytes, 0, bytes >= 0);
    acct_end(me);
    if (!ok)
        stats_gate_slow3(&totals.g, &me->total, bytes, bytes, 0, GATE_TOTAL, 0);
}

void stats_live_shift(uint32_t t, int64_t bytes)
{
    /* Down: the totals first; up: the type first (ADR-0009's order). */
    if (bytes < 0)
        total_update(bytes);
    type_update(t, bytes, bytes, 0, 0, 0);
    if (bytes > 0)
        total_update(bytes);
}

void stats_block_moved(uint32_t from, uint32_t to, size_t requested, size_t usable)
{
    type_update(to, (int64_t)requested, (int64_t)usable, 0, 1, 0);
    type_update(from, -(int64_t)requested, -(int64_t)usable, 0, -1, 0);
}

void stats_instance(uint32_t t, int delta) { type_update(t, 0, 0, delta, 0, delta > 0); }

static void add_tallies(struct type_stats *c, const int64_t *free_calls,
                        const int64_t *bytes_requested, const int64_t *temporary_calls,
                        const int64_t *moved, const int64_t *instances, const int64_t *hist)
{
    c->free_calls += HT_LOAD(free_calls);
    c->bytes_requested += HT_LOAD(bytes_requested);
    c->temporary_calls += HT_LOAD(temporary_calls);
    c->live_blocks += HT_LOAD(moved);
    c->instances += HT_LOAD(instances);
    for (int i = 0; i < SIZE_HIST_BUCKETS; i++)
        c->size_hist[i] += HT_LOAD(&hist[i]);
}

void stats_snapshot(uint32_t t, struct type_stats *c)
{
    const struct gate_shared *g = &type_live[t].g;
    struct type_stats z = {0};
    *c = z;
    /* Live first, the tallies after (and over every thread registered by
     * then): allocation adds to the tallies before the live figures, so
     * live <= bytes_requested holds in a report read while threads
     * allocate, or start. */
    int64_t live[GATE_NF];
    gate_read(g, GATE_TYPE, t, live);
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    const struct type_counts *k = &type_counts[t];
    add_tallies(c, &k->free_calls, &k->bytes_requested, &k->temporary_calls, &k->moved_blocks,
                &k->instances, k->size_hist);
    uint32_t n = acct_count();
    for (uint32_t i = 0; i < n; i++) {
        const struct acct_type *a = &acct_threads[i]->types[t];
        add_tallies(c, &a->free_calls, &a->bytes_requested, &a->temporary_calls, &a->moved_blocks,
                    &a->instances, a->size_hist);
    }
    for (int i = 0; i < SIZE_HIST_BUCKETS; i++)
        c->alloc_calls += c->size_hist[i];
    c->live_blocks += c->alloc_calls - c->free_calls;
    c->live_bytes = live[0];
    c->live_usable = live[1];
    c->live_instances = live[2];
    /* Peaks after the figures they bound, bytes before usable (the order
     * the slow path raises them in reverse): live <= peak and
     * peak bytes <= peak usable hold in the copy. */
    int64_t p = __atomic_load_n(&g->peak[0], __ATOMIC_ACQUIRE);
    c->peak_live_bytes = p > c->live_bytes ? p : c->live_bytes;
    p = __atomic_load_n(&g->peak[1], __ATOMIC_ACQUIRE);
    c->peak_live_usable = p > c->live_usable ? p : c->live_usable;
    if (c->peak_live_usable < c->peak_live_bytes)
        c->peak_live_usable = c->peak_live_bytes; /* only a racing copy */
    p = HT_LOAD(&g->peak[2]);
    c->peak_live_instances = p > c->live_instances ? p : c->live_instances;
}

void stats_total_live(int64_t out[GATE_NF]) { gate_read(&totals.g, GATE_TOTAL, 0, out); }
