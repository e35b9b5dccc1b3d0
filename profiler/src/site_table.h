/* Call sites: distinct (type, call stack) pairs, each with an id and its
 * own counters.
 *
 * The hot path stores a site id per block, never a stack.  Ids are dense
 * from 1; 0 means "no site". */
#ifndef HT_SITE_TABLE_H
#define HT_SITE_TABLE_H
#include "ht_common.h"
#include "gate.h"
#include "stats_hist.h"


struct site {
    uint64_t hash;
    uint32_t key_type; /* the scope's type in the key, 0 if none */
    uint32_t type;     /* the type its blocks get (scope's, a rule's, or untagged) */
    uint32_t depth;
    uintptr_t frames[];
};

/* A site's shared counters: its gated figures (bytes, usable bytes; see
 * gate.h) and the tallies of the single-threaded phase and of threads
 * without a record; each thread's own part is in its record
 * (acct_thread.h).  alloc_calls is the sum of the size classes. */
struct site_stats {
    struct gate_shared g;
    int64_t free_calls;
    int64_t bytes_requested;
    int64_t temporary_calls;
    int64_t live_at_peak; /* live_bytes when the process last reached its peak */
    int64_t size_hist[SIZE_HIST_BUCKETS];
};

/* A site's figures as a report shows them, summed over the threads. */
struct site_view {
    int64_t alloc_calls;
    int64_t free_calls;
    int64_t bytes_requested;
    int64_t live_bytes;
    int64_t peak_live_bytes;
    int64_t live_usable;
    int64_t peak_live_usable;
    int64_t temporary_calls;
    int64_t size_hist[SIZE_HIST_BUCKETS];
};

/* The site of this stack and key type, created on first sight (its type
 * decided by the rules then, and cached).  0 if no memory was left. */
uint32_t site_intern(uint32_t key_type, const uintptr_t *frames, uint32_t depth);
const struct site *site_get(uint32_t id);
struct site_stats *site_stats_of(uint32_t id);
static inline struct gate_shared *site_gate_of(uint32_t id) { return &site_stats_of(id)->g; }
/* Live bytes of site id now, summed over the threads. */
int64_t site_live_bytes(uint32_t id);
void site_snapshot(uint32_t id, struct site_view *out);
/* Number of ids handed out so far, plus one. */
uint32_t site_count(void);
/* Resident bytes of the table, its records and counters. */
uint64_t site_table_resident_bytes(void);
void site_table_lock_for_fork(void);
void site_table_unlock_after_fork(void);

#endif
