/* Per-thread accounting records (ADR-0009).
 *
 * Once a process has a second thread, each thread counts into its own
 * record: its windows and deltas of every gated group (gate.h) and its
 * plain tallies (calls, requested bytes, size classes).  Only the owner
 * writes its tallies, with plain stores; readers (reports, timeline) sum
 * every record with relaxed loads.  Records are mapped from the kernel,
 * listed in one registry, and never freed: a record whose thread has
 * exited is handed to the next new thread, with its figures (they are
 * still part of the sums).
 *
 * seq is odd while the owner is inside a fast path (acct_begin..acct_end):
 * a revoker (gate.c) waits for it to move before it reads the deltas. */
#ifndef HT_ACCT_THREAD_H
#define HT_ACCT_THREAD_H
#include "gate.h"
#include "stats_hist.h"

struct acct_type {
    struct gate_local g; /* bytes, usable, instances */
    int64_t free_calls;
    int64_t bytes_requested;
    int64_t temporary_calls;
    int64_t moved_blocks;
    int64_t instances;
    int64_t size_hist[SIZE_HIST_BUCKETS];
};

struct acct_site {
    struct gate_local g; /* bytes, usable, unused */
    int64_t free_calls;
    int64_t bytes_requested;
    int64_t temporary_calls;
    int64_t size_hist[SIZE_HIST_BUCKETS];
};

#define ACCT_SITE_CHUNK_BITS 12 /* same chunking as site_table.c */
#define ACCT_SITE_CHUNKS 1024

struct acct_thread {
    unsigned seq;
    int tid;
    struct gate_local total; /* bytes, usable, blocks: on seq's cache line */
    struct acct_site *sites[ACCT_SITE_CHUNKS];
    struct acct_type types[HT_MAX_TYPES] __attribute__((aligned(64)));
};

#define ACCT_MAX_THREADS 4096
extern HT_HIDDEN struct acct_thread *acct_threads[ACCT_MAX_THREADS];
extern HT_HIDDEN __thread struct acct_thread *acct_self;

/* Resident bytes of every record and its site chunks (async-signal-safe). */
uint64_t acct_resident_bytes(void);
/* Number of records in the registry (each slot below it is set). */
uint32_t acct_count(void);
/* This thread's record, made (or an exited thread's taken over) on first
 * use; NULL if none could be had: the caller then takes the exact path. */
struct acct_thread *acct_register(void);
static inline struct acct_thread *acct_me(void)
{
    struct acct_thread *me = acct_self;
    return HT_LIKELY(me != NULL) ? me : acct_register();
}
/* This thread's counters of site id, its chunk mapped on first use; NULL if
 * the mapping failed. */
struct acct_site *acct_site_slow(struct acct_thread *me, uint32_t id);
static inline struct acct_site *acct_site_of(struct acct_thread *me, uint32_t id)
{
    struct acct_site *c = me->sites[id >> ACCT_SITE_CHUNK_BITS];
    if (HT_LIKELY(c != NULL))
        return &c[id & ((1u << ACCT_SITE_CHUNK_BITS) - 1)];
    return acct_site_slow(me, id);
}
/* Any thread's counters of site id, or NULL if it never counted it. */
static inline struct acct_site *acct_site_peek(struct acct_thread *t, uint32_t id)
{
    struct acct_site *c = __atomic_load_n(&t->sites[id >> ACCT_SITE_CHUNK_BITS], __ATOMIC_ACQUIRE);
    return c ? &c[id & ((1u << ACCT_SITE_CHUNK_BITS) - 1)] : NULL;
}

/* The fast-path brackets.  The compiler barrier is all the owner pays:
 * the revoker's membarrier(2) orders the owner's store of seq before its
 * loads of the window (gate.c). */
static inline void acct_begin(struct acct_thread *me)
{
    HT_STORE(&me->seq, me->seq + 1);
    __asm__ __volatile__("" ::: "memory");
}
static inline void acct_end(struct acct_thread *me)
{
    __atomic_store_n(&me->seq, me->seq + 1, __ATOMIC_RELEASE);
}
#endif
