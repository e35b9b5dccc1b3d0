/* Call sites: distinct (type, call stack) pairs, each with an id and its
 * own counters.  The hot path stores a site id per block, never a stack.
 * Ids are dense from 1; 0 means "no site". */
#ifndef HT_SITE_TABLE_H
#define HT_SITE_TABLE_H
#include "ht_common.h"
#include "stats.h"


struct site {
    uint64_t hash;
    uint32_t key_type; /* the scope's type in the key, 0 if none */
    uint32_t type;     /* the type its blocks get (scope's, a rule's, or untagged) */
    uint32_t depth;
    uintptr_t frames[];
};

struct site_stats {
    int64_t alloc_calls;
    int64_t free_calls;
    int64_t bytes_requested;
    int64_t live_bytes;
    int64_t peak_live_bytes;
    int64_t live_usable;
    int64_t peak_live_usable;
    int64_t live_blocks;
    int64_t temporary_calls;
    int64_t live_at_peak;       /* live_bytes when the process last reached its peak */
    int64_t size_hist[SIZE_HIST_BUCKETS];
};

/* The site of this stack and key type, created on first sight (its type
 * decided by the rules then, and cached).  0 if no memory was left. */
uint32_t site_intern(uint32_t key_type, const uintptr_t *frames, uint32_t depth);
const struct site *site_get(uint32_t id);
struct site_stats *site_stats_of(uint32_t id);
/* Number of ids handed out so far, plus one. */
uint32_t site_count(void);
/* Resident bytes of the table, its records and counters. */
uint64_t site_table_resident_bytes(void);
void site_table_lock_for_fork(void);
void site_table_unlock_after_fork(void);

#endif
