/* Storage of the counters declared in stats.h.  Static arrays sized for
 * every possible type and shard: their pages are untouched, hence free,
 * until a type with that id is used on that shard. */
#include "stats.h"

struct type_live type_live[HT_MAX_TYPES];
struct type_counts type_counts[STATS_SHARDS][HT_MAX_TYPES];
struct total_stats totals;
__thread unsigned stats_shard_plus1;
static unsigned next_shard;

unsigned stats_assign_shard(void)
{
    unsigned s = 1 + __atomic_fetch_add(&next_shard, 1, __ATOMIC_RELAXED) % STATS_SHARDS;
    stats_shard_plus1 = s;
    return s;
}

void stats_snapshot(uint32_t t, struct type_stats *c)
{
    const struct type_live *l = &type_live[t];
    struct type_stats z = {0};
    *c = z;
    for (unsigned s = 0; s < STATS_SHARDS; s++) {
        const struct type_counts *k = &type_counts[s][t];
        c->free_calls += HT_LOAD(&k->free_calls);
        c->bytes_requested += HT_LOAD(&k->bytes_requested);
        c->live_blocks += HT_LOAD(&k->moved_blocks);
        c->temporary_calls += HT_LOAD(&k->temporary_calls);
        for (int i = 0; i < SIZE_HIST_BUCKETS; i++)
            c->size_hist[i] += HT_LOAD(&k->size_hist[i]);
    }
    for (int i = 0; i < SIZE_HIST_BUCKETS; i++)
        c->alloc_calls += c->size_hist[i];
    c->live_blocks += c->alloc_calls - c->free_calls;
    /* Peaks after the figures they bound: a peak read later can only be
     * higher, so live <= peak holds in the copy. */
    c->live_bytes = HT_LOAD(&l->live_bytes);
    c->live_usable = HT_LOAD(&l->live_usable);
    c->live_instances = HT_LOAD(&l->live_instances);
    c->instances = HT_LOAD(&l->instances);
    int64_t p = HT_LOAD(&l->peak_live_bytes);
    c->peak_live_bytes = p > c->live_bytes ? p : c->live_bytes;
    p = HT_LOAD(&l->peak_live_usable);
    c->peak_live_usable = p > c->live_usable ? p : c->live_usable;
    p = HT_LOAD(&l->peak_live_instances);
    c->peak_live_instances = p > c->live_instances ? p : c->live_instances;
}
