/* The allocator API of heaptag.h: blocks handed out by the program's own
 * allocator (a pool, an arena, CPython's pymalloc), counted like malloc's.
 *
 * Counting (docs/adr/0011-blocks-of-programs-own-allocators.md): a block
 * reported without a pool is new memory and raises the totals; a block
 * carved from a pool moves its bytes out of the pool's type into its own,
 * so the totals, which already hold the pool's backing block, stay put.
 * A reported address that the block map knows is a malloc block the
 * program's allocator forwarded to malloc: already counted, left alone.
 *
 * Reports come from inside the program's allocator: nothing here calls
 * malloc, and no tracker lock is held while calling out. */
#include "ht_common.h"
#include "block_map.h"
#include "custom_map.h"
#include "next_alloc.h"
#include "scope_stack.h"
#include "site_map.h"
#include "site_table.h"
#include "stack_capture.h"
#include "stats.h"
#include "timeline.h"
#include "type_registry.h"
#include <pthread.h>

/* The last custom block this thread reported, to spot temporaries. */
static __thread uintptr_t last_custom;

static inline int ready(void)
{
    return HT_LIKELY(__atomic_load_n(&next_alloc_state, __ATOMIC_ACQUIRE) == 2) ||
           next_alloc_resolve();
}

/* The same attribution and site counting as malloc's (alloc_hooks.c). */
static uint32_t attribute_by_stack(uint32_t type, uint32_t *site)
{
    uintptr_t frames[STACK_MAX_DEPTH];
    int depth = stack_capture(frames, stack_depth);
    if (depth <= 0)
        return type;
    *site = site_intern(scope_depth ? type : HT_TYPE_NONE, frames, (uint32_t)depth);
    return *site ? site_get(*site)->type : type;
}

static void born(const struct custom_record *r)
{
    int mt = stats_mt();
    /* A carved block's bytes leave the pool's type before they join the
     * block's: the totals, which hold the pool's backing block, never see
     * them twice (ADR-0011). */
    if (r->pool)
        stats_live_shift(r->pool, -(int64_t)r->size);
    int64_t peak = stats_block_born(mt, r->type, r->site, r->size, r->size);
    if (r->site && peak >= 0 && peak >= HT_LOAD(&peak_snapshot_next))
        timeline_peak_snapshot(peak);
    last_custom = r->addr;
    timeline_note_alloc(mt, r->size);
}

static void died(const struct custom_record *r)
{
    int mt = stats_mt();
    int temporary = r->addr == last_custom;
    if (temporary)
        last_custom = 0;
    stats_block_died(mt, r->type, r->site, r->size, r->size, temporary);
    if (r->pool)
        stats_live_shift(r->pool, (int64_t)r->size);
}

/* Record R and count it; an address recorded twice means the allocator
 * reused it without a free report: the old block is gone. */
static void record(const struct custom_record *r)
{
    struct custom_record old;
    int rc = custom_map_put(r, &old);
    if (rc < 0) {
        counter_add(&totals.untracked_blocks, 1);
        return;
    }
    if (rc > 0)
        died(&old);
    born(r);
}

/* Whether P is a live malloc block of SIZE bytes: the program's allocator
 * passed the request on to malloc, whose hooks count it.  The size tells
 * it from a block carved at the very start of a malloc'd backing chunk. */
static int is_malloc_block(void *p, size_t size)
{
    size_t usable;
    struct block_record r;
    return block_map_lookup(p, &usable, &r) && r.requested == size;
}

HT_EXPORT void heaptag_block_alloc(void *p, size_t size, const char *pool)
{
    if (!p || !ready() || is_malloc_block(p, size))
        return;
    struct custom_record r = {.addr = (uintptr_t)p, .size = size};
    uint32_t type = scope_current_type();
    if (HT_UNLIKELY(stack_depth))
        type = attribute_by_stack(type, &r.site);
    r.type = (uint16_t)type;
    r.pool = pool ? (uint16_t)type_intern(pool) : 0;
    record(&r);
}

HT_EXPORT void heaptag_block_realloc(void *old, void *p, size_t size)
{
    if (!p || !ready())
        return; /* a failed resize: the old block stands */
    struct custom_record r;
    if (!old || !custom_map_take((uintptr_t)old, &r)) {
        /* Not ours: a malloc block (its realloc was counted by the hooks)
         * or one reported before the tracker came; the new one is new. */
        heaptag_block_alloc(p, size, NULL);
        return;
    }
    died(&r);
    size_t usable;
    struct block_record b;
    if (block_map_lookup(p, &usable, &b) && b.requested == size) {
        /* Moved into malloc: the hooks count it; it keeps its type. */
        if (b.type != r.type && block_map_set_type(p, r.type, b.requested, usable) == 0)
            stats_block_moved(b.type, r.type, b.requested, usable);
        return;
    }
    r.addr = (uintptr_t)p;
    r.size = size;
    record(&r); /* same type, pool and site: a resize is no new call site */
}

HT_EXPORT void heaptag_block_free(void *p)
{
    struct custom_record r;
    if (!p || !ready())
        return;
    if (custom_map_take((uintptr_t)p, &r)) {
        died(&r);
        return;
    }
    /* A malloc block is counted by the free() that follows; anything else
     * was allocated before tracking began, or never reported. */
    size_t usable;
    struct block_record b;
    if (!block_map_lookup(p, &usable, &b))
        counter_add(&totals.foreign_free_calls, 1);
}

/* The map's stripe locks are held across fork, like the tracker's other
 * locks (lifecycle.c), so a child never inherits one held. */
static void unlock_after_fork(void) { custom_map_unlock_after_fork(); }

__attribute__((constructor)) static void custom_alloc_start(void)
{
    /* pthread_atfork may allocate: that block is the tracker's own. */
    scope_push_id(type_intern("heaptag.internal"));
    pthread_atfork(custom_map_lock_for_fork, unlock_after_fork, unlock_after_fork);
    scope_pop();
}
