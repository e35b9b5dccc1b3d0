/* The interposed allocation functions.
 *
 * Each hook forwards to the next allocator and then records the result;
 * frees forget the block *before* handing it back, because from that moment
 * another thread may receive the same address from the allocator and record
 * it.  Hooks never hold a lock while calling out, so an allocator or a
 * library that calls malloc from inside malloc cannot deadlock on us.
 * errno is left exactly as the allocator set it. */
#include "ht_common.h"
#include "block_map.h"
#include "hot_path.h"
#include "next_alloc.h"
#include "scope_stack.h"
#include "site_map.h"
#include "site_table.h"
#include "sampling.h"
#include "plt_bind.h"
#include "stack_capture.h"
#include "timeline.h"
#include "stats.h"
#include <errno.h>
#include <string.h>
#include <unistd.h>

static inline int ready(void)
{
    return HT_LIKELY(__atomic_load_n(&next_alloc_state, __ATOMIC_ACQUIRE) == 2) ||
           next_alloc_resolve();
}

__thread void *last_alloc;
char *hot_cells;

void hot_path_settle(void)
{
    int on = next_is_glibc && !stack_depth && !sample_mean;
    HT_STORE(&hot_cells, on ? HT_LOAD(&block_cells.flat) : NULL);
}

/* With stacks on: the call site of the allocation being made, and the type
 * it gives.  `inherited` is realloc's old type (which wins, like a scope);
 * otherwise an open scope wins over rules. */
static uint32_t attribute_by_stack(uint32_t inherited, uint32_t type, uint32_t *site)
{
    uintptr_t frames[STACK_MAX_DEPTH];
    int depth = stack_capture(frames, stack_depth);
    if (depth <= 0)
        return type;
    uint32_t key_type = (inherited || scope_depth) ? type : HT_TYPE_NONE;
    *site = site_intern(key_type, frames, (uint32_t)depth);
    return *site ? site_get(*site)->type : type;
}

/* Record a new block.  `inherited` is the type a realloc'd block keeps,
 * or HT_TYPE_NONE to take the scope's (or with stacks, a rule's). */
static inline __attribute__((always_inline)) void track_new(void *p, size_t requested,
                                                            uint32_t inherited)
{
    if (HT_UNLIKELY(sample_mean)) { /* sampled mode: a countdown (sampling.h) */
        sample_note_alloc(p, requested, inherited);
        return;
    }
    int mt = stats_mt();
    uint32_t site = 0;
    uint32_t type = inherited ? inherited : scope_current_type();
    if (HT_UNLIKELY(stack_depth))
        type = attribute_by_stack(inherited, type, &site);
    size_t usable = next_usable_size(p);
    if (HT_UNLIKELY(block_map_insert(p, type, requested, usable) != 0)) {
        counter_add(&totals.untracked_blocks, 1);
        return;
    }
    if (HT_UNLIKELY(site) && site_map_set(p, site) != 0)
        site = 0;
    int64_t peak = stats_block_born(mt, type, site, requested, usable);
    if (HT_UNLIKELY(site) && peak >= 0 && peak >= HT_LOAD(&peak_snapshot_next))
        timeline_peak_snapshot(peak);
    last_alloc = p;
    timeline_note_alloc(mt, requested);
}

/* Count a block the map has just forgotten (freed; realloc counts its
 * moves itself). */
static inline __attribute__((always_inline)) void block_gone(void *p, const struct block_record *r,
                                                             size_t usable)
{
    int mt = stats_mt();
    int temporary = take_if_last_alloc(p);
    uint32_t site = HT_UNLIKELY(stack_depth) ? site_map_take(p) : 0;
    stats_block_died(mt, r->type, site, r->requested, usable, temporary);
}

static inline __attribute__((always_inline)) void *track_result(void *p, size_t requested)
{
    if (HT_UNLIKELY(!p))
        counter_add(&totals.failed_calls, 1);
    else
        track_new(p, requested, HT_TYPE_NONE);
    return p;
}

/* What hot_alloc() left to do: the gates' slow paths, a timeline sample,
 * or with R == 0 the whole general path.  A function of its own, so the
 * hot path needs no frame. */
void *hot_alloc_finish(void *p, size_t requested, int r)
{
    if (!r)
        return track_result(p, requested);
    if (r >> HOT_SLOW_SHIFT) {
        size_t usable = glibc_usable_size(p);
        struct block_record b = cell_record(block_cell((uintptr_t)p)[0], usable);
        born_mt_slow(acct_self, b.type, NULL, 0, (int64_t)requested, (int64_t)usable,
                     r >> HOT_SLOW_SHIFT);
    }
    if (r & HOT_TIMELINE)
        timeline_sample();
    return p;
}

/* Record P, just allocated.  A function of its own: its common case calls
 * nothing, so it needs no frame, and malloc_exact() only keeps SIZE
 * across the allocator's call. */
static __attribute__((noinline)) void *hot_track_alloc(void *p, size_t size)
{
    int r = hot_alloc(p, size);
    if (HT_UNLIKELY(r != HOT_DONE))
        return hot_alloc_finish(p, size, r);
    return p;
}

static __attribute__((noinline)) void *malloc_general(size_t size)
{
    if (HT_UNLIKELY(!ready()))
        return bootstrap_alloc(size, 16);
    return track_result(next.malloc(size), size);
}

/* malloc, free and realloc branch to sampled mode before anything else;
 * the exact path is a function of its own, so the sampled path (all tail
 * calls) needs no stack frame.  The exact path is the branch that leaves
 * (a conditional tail call), so the sampled one falls through and takes no
 * jump but the last one to the allocator. */
__attribute__((noinline)) void *malloc_exact(size_t size)
{
    /* hot_cells is set only once the allocator is resolved. */
    if (HT_LIKELY(HT_LOAD(&hot_cells) != NULL))
        return hot_track_alloc(next.malloc(size), size);
    return malloc_general(size);
}

/* Sampled mode's entry points, also bound in the PLT (plt_bind.c); each is
 * inline in its exported hook too, which then ends in the same tail calls. */
inline __attribute__((always_inline)) void *sampled_malloc(size_t size)
{
    return sample_malloc(size);
}

HT_EXPORT void *malloc(size_t size)
{
    if (HT_UNLIKELY(!sample_mean))
        return malloc_exact(size);
    return sampled_malloc(size);
}

static __attribute__((noinline)) void free_general(void *p)
{
    struct block_record r;
    size_t usable;
    if (!p)
        return;
    /* A block the map knows was recorded after the allocator was resolved,
     * and is no bootstrap block: the common case needs neither check.  The
     * map forgets it before the allocator can hand the address out again. */
    if (HT_LIKELY(block_map_take(p, &usable, &r))) {
        block_gone(p, &r, usable);
        next.free(p);
        return;
    }
    if (HT_UNLIKELY(bootstrap_owns(p)))
        return; /* bootstrap blocks are never reused */
    if (HT_UNLIKELY(!ready()))
        return; /* only bootstrap blocks exist while we resolve */
    counter_add(&totals.foreign_free_calls, 1);
    next.free(p);
}

/* What hot_free() left to do: the gates' slow paths, then the
 * allocator's free. */
void hot_free_finish(void *p, int r)
{
    size_t usable = glibc_usable_size(p);
    struct block_record b = cell_record((uint16_t)((unsigned)r >> 16), usable);
    died_mt_slow(acct_self, b.type, NULL, 0, (int64_t)b.requested, (int64_t)usable,
                 (r & 0xffff) >> HOT_SLOW_SHIFT);
    next.free(p);
}

__attribute__((noinline)) void free_exact(void *p)
{
    int r = hot_free(p);
    if (HT_LIKELY(r == HOT_DONE)) {
        next.free(p);
        return;
    }
    if (r)
        hot_free_finish(p, r);
    else
        free_general(p);
}

inline __attribute__((always_inline)) void sampled_free(void *p)
{
    sample_free(p); /* no map: a filter (sampling.h) */
}

HT_EXPORT void free(void *p)
{
    if (HT_UNLIKELY(!sample_mean))
        free_exact(p);
    else
        sampled_free(p);
}

HT_EXPORT void *calloc(size_t n, size_t size)
{
    size_t total;
    if (HT_LIKELY(HT_LOAD(&hot_cells) != NULL)) { /* the allocator is resolved */
        void *p = next.calloc(n, size);
        /* A non-NULL result means n * size did not overflow. */
        return hot_track_alloc(p, p ? n * size : 0);
    }
    if (HT_UNLIKELY(!ready())) {
        if (__builtin_mul_overflow(n, size, &total)) {
            errno = ENOMEM;
            return NULL;
        }
        return bootstrap_alloc(total, 16); /* the arena is zero-filled */
    }
    void *p = next.calloc(n, size);
    /* A non-NULL result means n * size did not overflow. */
    return track_result(p, p ? n * size : 0);
}

static void *realloc_bootstrap_block(void *p, size_t size)
{
    if (size == 0)
        return NULL;
    void *q = ready() ? track_result(next.malloc(size), size) : bootstrap_alloc(size, 16);
    if (q) {
        size_t old = bootstrap_size(p);
        memcpy(q, p, old < size ? old : size);
    }
    return q;
}

static void *do_realloc(void *p, size_t size)
{
    if (HT_UNLIKELY(!ready()))
        return p ? realloc_bootstrap_block(p, size) : bootstrap_alloc(size, 16);
    if (HT_UNLIKELY(sample_mean))
        return sample_realloc(p, size); /* bootstrap blocks: its slow path */
    counter_add(&totals.realloc_calls, 1);
    if (!p)
        return track_result(next.realloc(NULL, size), size);
    if (HT_UNLIKELY(bootstrap_owns(p)))
        return realloc_bootstrap_block(p, size);

    struct block_record old;
    size_t old_usable;
    /* Forget the old block before the allocator may hand its address to
     * another thread; restore it if realloc fails. */
    int known = block_map_take(p, &old_usable, &old);
    uint32_t old_site = 0;
    if (known && HT_UNLIKELY(stack_depth))
        old_site = site_map_take(p);
    void *q = next.realloc(p, size);
    if (HT_UNLIKELY(!q && size != 0)) {
        /* Failure: the old block is untouched and still the caller's. */
        if (known && block_map_insert(p, old.type, old.requested, old_usable) != 0) {
            /* Cannot happen (its cell existed a moment ago), but if it did
             * the block would be untracked from now on: say it is gone. */
            counter_add(&totals.untracked_blocks, 1);
            stats_block_died(stats_mt(), old.type, old_site, old.requested, old_usable, 0);
        } else if (old_site) {
            site_map_set(p, old_site);
        }
        counter_add(&totals.failed_calls, 1);
        return NULL;
    }
    /* The old block is gone (moved, resized, or freed by realloc(p, 0)
     * which returns NULL in glibc). */
    if (known) {
        stats_block_died(stats_mt(), old.type, old_site, old.requested, old_usable, 0);
    } else {
        counter_add(&totals.foreign_free_calls, 1);
    }
    if (q)
        track_new(q, size, known ? old.type : HT_TYPE_NONE); /* realloc keeps the type */
    return q;
}

__attribute__((noinline)) void *realloc_exact(void *p, size_t size) { return do_realloc(p, size); }

/* Bootstrap blocks: sample_realloc's slow path. */
inline __attribute__((always_inline)) void *sampled_realloc(void *p, size_t size)
{
    return sample_realloc(p, size);
}

HT_EXPORT void *realloc(void *p, size_t size)
{
    if (HT_UNLIKELY(!sample_mean))
        return realloc_exact(p, size);
    return sampled_realloc(p, size);
}

/* The three exported hooks by names of our own, for plt_bind.c. */
extern __typeof__(malloc) ht_hook_malloc __attribute__((alias("malloc")));
extern __typeof__(free) ht_hook_free __attribute__((alias("free")));
extern __typeof__(realloc) ht_hook_realloc __attribute__((alias("realloc")));

HT_EXPORT void *reallocarray(void *p, size_t n, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(n, size, &total)) {
        if (ready()) {
            counter_add(&totals.realloc_calls, 1);
            counter_add(&totals.failed_calls, 1);
        }
        errno = ENOMEM;
        return NULL;
    }
    return do_realloc(p, total);
}

static int power_of_two(size_t x) { return x && !(x & (x - 1)); }

static inline __attribute__((always_inline)) int posix_memalign_body(void **out, size_t align,
                                                                     size_t size)
{
    if (HT_UNLIKELY(!ready())) {
        if (!power_of_two(align) || align % sizeof(void *))
            return EINVAL;
        void *p = bootstrap_alloc(size, align);
        if (!p)
            return ENOMEM;
        *out = p;
        return 0;
    }
    int rc = next.posix_memalign(out, align, size);
    if (rc)
        counter_add(&totals.failed_calls, 1);
    else
        track_new(*out, size, HT_TYPE_NONE);
    return rc;
}

HT_EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
    return posix_memalign_body(out, align, size);
}

/* For cxx_hooks.c: operator new and delete built from our own hooks
 * (called directly, never through the PLT, which may lead elsewhere).
 * ALIGN is 0 or a power of two. */
void *ht_op_new(size_t size, size_t align)
{
    if (align <= 16)
        return HT_UNLIKELY(sample_mean) ? sample_malloc(size) : malloc_exact(size);
    void *p = NULL;
    return posix_memalign_body(&p, align, size) == 0 ? p : NULL;
}

void ht_op_delete(void *p)
{
    if (HT_UNLIKELY(sample_mean))
        sample_free(p);
    else
        free_exact(p);
}

/* A block some other code allocated, counted here unless our hooks saw
 * it already (an allocator's operator new that calls aligned_alloc). */
void *ht_op_adopt(void *p, size_t size)
{
    struct block_record r;
    size_t usable;
    if (HT_UNLIKELY(sample_mean)) /* sampled mode keeps no map of unsampled blocks */
        return p;
    if (p && ready() && !block_map_lookup(p, &usable, &r))
        track_new(p, size, HT_TYPE_NONE);
    return p;
}

/* An aligned block from the next allocator's posix_memalign, for the
 * functions it does not provide itself.  ALIGN must be a power of two. */
static void *aligned_from_posix(size_t align, size_t size)
{
    void *p = NULL;
    if (align < sizeof(void *))
        align = sizeof(void *);
    int rc = next.posix_memalign(&p, align, size);
    if (rc) {
        errno = rc;
        return NULL;
    }
    return p;
}

static size_t round_up_power_of_two(size_t x)
{
    size_t p = 1;
    while (p < x && p)
        p <<= 1;
    return p;
}

static size_t page_size(void)
{
    static size_t cached;
    if (!cached)
        cached = (size_t)sysconf(_SC_PAGESIZE);
    return cached;
}

HT_EXPORT void *aligned_alloc(size_t align, size_t size)
{
    if (HT_UNLIKELY(!ready()))
        return bootstrap_alloc(size, align);
    if (next.aligned_alloc)
        return track_result(next.aligned_alloc(align, size), size);
    if (!power_of_two(align)) {
        counter_add(&totals.failed_calls, 1);
        errno = EINVAL;
        return NULL;
    }
    return track_result(aligned_from_posix(align, size), size);
}

HT_EXPORT void *memalign(size_t align, size_t size)
{
    if (HT_UNLIKELY(!ready()))
        return bootstrap_alloc(size, align);
    if (next.memalign)
        return track_result(next.memalign(align, size), size);
    /* glibc's rule: a non-power-of-two alignment rounds up. */
    size_t a = round_up_power_of_two(align);
    if (!a) {
        counter_add(&totals.failed_calls, 1);
        errno = EINVAL;
        return NULL;
    }
    return track_result(aligned_from_posix(a, size), size);
}

HT_EXPORT void *valloc(size_t size)
{
    if (HT_UNLIKELY(!ready()))
        return bootstrap_alloc(size, page_size());
    if (next.valloc)
        return track_result(next.valloc(size), size);
    return track_result(aligned_from_posix(page_size(), size), size);
}

HT_EXPORT void *pvalloc(size_t size)
{
    size_t page = page_size(), rounded;
    if (HT_UNLIKELY(!ready()))
        return bootstrap_alloc(size, page);
    if (next.pvalloc)
        return track_result(next.pvalloc(size), size);
    if (__builtin_add_overflow(size, page - 1, &rounded)) {
        counter_add(&totals.failed_calls, 1);
        errno = ENOMEM;
        return NULL;
    }
    rounded &= ~(page - 1);
    return track_result(aligned_from_posix(page, rounded ? rounded : page), size);
}
