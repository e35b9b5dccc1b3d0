/* The call-site table of site_table.h.
 *
 * Lookups are lock-free: the index is an open-addressing array of site ids
 * whose pointer is published with release order; growing it builds a new
 * array under the lock and publishes it, and the old one is never unmapped,
 * so a reader still walking it is safe (it may miss a new site and then
 * takes the locked path, which looks again).  Site records and their
 * counters live in chunks of 4096 that never move. */
#include "site_table.h"
#include "os_mem.h"
#include "rules.h"
#include "acct_thread.h"
#include <string.h>

#define CHUNK_BITS 12
#define CHUNK (1u << CHUNK_BITS)
#define MAX_CHUNKS 1024 /* up to 4M sites */
#define RECORD_ARENA (1u << 20)

struct index {
    uint32_t capacity; /* power of two */
    uint32_t slots[];  /* 0: empty, else a site id */
};

static struct site **site_chunks[MAX_CHUNKS];
static struct site_stats *stats_chunks[MAX_CHUNKS];
static struct index *current;
static uint32_t next_id = 1;
static ht_spinlock lock;
static char *arena;
static size_t arena_used = RECORD_ARENA;
static unsigned arenas;

static inline uint64_t hash_stack(uint32_t key_type, const uintptr_t *frames, uint32_t depth)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ key_type;
    for (uint32_t i = 0; i < depth; i++) {
        h ^= frames[i];
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    return h | 1; /* never 0 */
}

const struct site *site_get(uint32_t id) { return site_chunks[id >> CHUNK_BITS][id & (CHUNK - 1)]; }

struct site_stats *site_stats_of(uint32_t id)
{
    return &stats_chunks[id >> CHUNK_BITS][id & (CHUNK - 1)];
}

uint32_t site_count(void) { return __atomic_load_n(&next_id, __ATOMIC_ACQUIRE); }

/* A loop, not memcmp: stacks are a few words long, and a call to memcmp
 * costs more than comparing them. */
static inline int same_stack(const struct site *s, uint32_t key_type, const uintptr_t *frames,
                             uint32_t depth)
{
    if (s->key_type != key_type || s->depth != depth)
        return 0;
    for (uint32_t i = 0; i < depth; i++)
        if (s->frames[i] != frames[i])
            return 0;
    return 1;
}

static inline int same_site(uint32_t id, uint64_t h, uint32_t key_type, const uintptr_t *frames,
                            uint32_t depth)
{
    const struct site *s = site_get(id);
    return s->hash == h && same_stack(s, key_type, frames, depth);
}

static inline __attribute__((always_inline)) uint32_t find(const struct index *ix, uint64_t h,
                                                           uint32_t key_type,
                                                           const uintptr_t *frames, uint32_t depth,
                                                           uint32_t *empty)
{
    if (!ix)
        return 0;
    uint32_t mask = ix->capacity - 1;
    for (uint32_t i = (uint32_t)h & mask;; i = (i + 1) & mask) {
        uint32_t id = __atomic_load_n(&ix->slots[i], __ATOMIC_ACQUIRE);
        if (!id) {
            if (empty)
                *empty = i;
            return 0;
        }
        if (same_site(id, h, key_type, frames, depth))
            return id;
    }
}

static struct index *grow_locked(void)
{
    uint32_t cap = current ? current->capacity * 2 : 4096;
    struct index *ix = os_mem_map(sizeof *ix + cap * sizeof(uint32_t));
    if (!ix)
        return NULL;
    ix->capacity = cap;
    for (uint32_t id = 1; id < next_id; id++) {
        uint32_t i = (uint32_t)site_get(id)->hash & (cap - 1);
        while (ix->slots[i])
            i = (i + 1) & (cap - 1);
        ix->slots[i] = id;
    }
    __atomic_store_n(&current, ix, __ATOMIC_RELEASE);
    return ix;
}

static struct site *new_record_locked(size_t bytes)
{
    bytes = (bytes + 15) & ~(size_t)15;
    if (arena_used + bytes > RECORD_ARENA) {
        char *a = os_mem_map(RECORD_ARENA);
        if (!a)
            return NULL;
        arena = a;
        arena_used = 0;
        arenas++;
    }
    struct site *s = (struct site *)(arena + arena_used);
    arena_used += bytes;
    return s;
}

/* A stack not found without the lock: look again under it, and add it. */
static __attribute__((noinline)) uint32_t intern_new(uint64_t h, uint32_t key_type,
                                                     const uintptr_t *frames, uint32_t depth)
{
    /* Decide the type before taking the lock: rule matching resolves
     * symbols with dladdr, which takes the loader's lock. */
    uint32_t type = key_type ? key_type : rules_type_for(frames, depth);
    ht_spin_lock(&lock);
    uint32_t empty = 0;
    struct index *ix = current;
    uint32_t id = find(ix, h, key_type, frames, depth, &empty);
    if (id)
        goto out;
    if (!ix || (next_id + 1) * 2 > ix->capacity) {
        if (!(ix = grow_locked()))
            goto out;
        find(ix, h, key_type, frames, depth, &empty);
    }
    uint32_t new_id = next_id, c = new_id >> CHUNK_BITS;
    if (c >= MAX_CHUNKS)
        goto out;
    if (!site_chunks[c]) {
        site_chunks[c] = os_mem_map(CHUNK * sizeof(struct site *));
        stats_chunks[c] = os_mem_map(CHUNK * sizeof(struct site_stats));
        if (!site_chunks[c] || !stats_chunks[c])
            goto out; /* the chunks that did map stay for the next try */
    }
    struct site *s = new_record_locked(sizeof *s + depth * sizeof *frames);
    if (!s)
        goto out;
    s->hash = h;
    s->key_type = key_type;
    s->type = type;
    s->depth = depth;
    memcpy(s->frames, frames, depth * sizeof *frames);
    site_chunks[c][new_id & (CHUNK - 1)] = s;
    __atomic_store_n(&next_id, new_id + 1, __ATOMIC_RELEASE);
    __atomic_store_n(&ix->slots[empty], new_id, __ATOMIC_RELEASE);
    id = new_id;
out:
    ht_spin_unlock(&lock);
    return id;
}

/* The site this thread interned last.  Programs allocate from a few hot
 * stacks, and comparing one record costs less than hashing the stack and
 * probing; ids are never freed or reused, so an entry is only ever a hit
 * or a miss, never wrong (a signal handler that interns in between just
 * changes which). */
static __thread uint32_t last_site;

/* A stack other than the last: hashed and looked up.  The common case, a
 * stack seen before, saves no registers for the rare one, a new stack. */
static __attribute__((noinline)) uint32_t intern_lookup(uint32_t key_type, const uintptr_t *frames,
                                                        uint32_t depth)
{
    uint64_t h = hash_stack(key_type, frames, depth);
    uint32_t id =
        find(__atomic_load_n(&current, __ATOMIC_ACQUIRE), h, key_type, frames, depth, NULL);
    if (HT_UNLIKELY(!id))
        id = intern_new(h, key_type, frames, depth);
    last_site = id;
    return id;
}

uint32_t site_intern(uint32_t key_type, const uintptr_t *frames, uint32_t depth)
{
    uint32_t id = last_site;
    if (id) {
        /* The innermost frame first: where two stacks differ, it mostly
         * does (every record holds at least one frame). */
        const struct site *s = site_get(id);
        if (depth && s->frames[0] == frames[0] && same_stack(s, key_type, frames, depth))
            return id;
    }
    return intern_lookup(key_type, frames, depth);
}

uint64_t site_table_resident_bytes(void)
{
    /* Read without the lock (a signal handler may be writing a report):
     * chunks and index arrays are never unmapped, so the worst a race does
     * is leave out the newest.  Record arenas are counted by their mapped
     * size: the chain of old arenas is not kept. */
    uint64_t total = 0;
    for (unsigned c = 0; c < MAX_CHUNKS; c++) {
        struct site **sites = __atomic_load_n(&site_chunks[c], __ATOMIC_ACQUIRE);
        struct site_stats *stats = __atomic_load_n(&stats_chunks[c], __ATOMIC_ACQUIRE);
        if (sites)
            total += os_mem_resident(sites, CHUNK * sizeof(struct site *));
        if (stats)
            total += os_mem_resident(stats, CHUNK * sizeof(struct site_stats));
    }
    struct index *ix = __atomic_load_n(&current, __ATOMIC_ACQUIRE);
    if (ix)
        total += os_mem_resident(ix, sizeof *ix + ix->capacity * sizeof(uint32_t));
    total += (uint64_t)arenas * RECORD_ARENA;
    return total;
}

void site_table_lock_for_fork(void) { ht_spin_lock(&lock); }
void site_table_unlock_after_fork(void) { ht_spin_unlock(&lock); }

int64_t site_live_bytes(uint32_t id)
{
    int64_t live[GATE_NF];
    gate_read(site_gate_of(id), GATE_SITE, id, live);
    return live[0];
}

static void add_hist(int64_t *to, const int64_t *from)
{
    for (int i = 0; i < SIZE_HIST_BUCKETS; i++)
        to[i] += HT_LOAD(&from[i]);
}

void site_snapshot(uint32_t id, struct site_view *v)
{
    const struct site_stats *s = site_stats_of(id);
    struct site_view z = {0};
    *v = z;
    v->free_calls = HT_LOAD(&s->free_calls);
    v->bytes_requested = HT_LOAD(&s->bytes_requested);
    v->temporary_calls = HT_LOAD(&s->temporary_calls);
    int64_t live[GATE_NF];
    gate_read(&s->g, GATE_SITE, id, live);
    v->live_bytes = live[0];
    v->live_usable = live[1];
    add_hist(v->size_hist, s->size_hist);
    uint32_t n = acct_count();
    for (uint32_t i = 0; i < n; i++) {
        const struct acct_site *a = acct_site_peek(acct_threads[i], id);
        if (!a)
            continue;
        v->free_calls += HT_LOAD(&a->free_calls);
        v->bytes_requested += HT_LOAD(&a->bytes_requested);
        v->temporary_calls += HT_LOAD(&a->temporary_calls);
        add_hist(v->size_hist, a->size_hist);
    }
    for (int i = 0; i < SIZE_HIST_BUCKETS; i++)
        v->alloc_calls += v->size_hist[i];
    int64_t p = __atomic_load_n(&s->g.peak[0], __ATOMIC_ACQUIRE);
    v->peak_live_bytes = p > v->live_bytes ? p : v->live_bytes;
    p = __atomic_load_n(&s->g.peak[1], __ATOMIC_ACQUIRE);
    v->peak_live_usable = p > v->live_usable ? p : v->live_usable;
    if (v->peak_live_usable < v->peak_live_bytes)
        v->peak_live_usable = v->peak_live_bytes; /* only a racing copy */
}
