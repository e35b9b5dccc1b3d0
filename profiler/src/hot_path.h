/* The common case of an exact-mode malloc and free, in straight-line code.
 *
 * Most calls in most programs are a malloc or a free in a single-threaded
 * process, with stacks off, of a block the flat block map describes in its
 * cell, from glibc.  For them these functions do the whole work of
 * track_new() and block_gone() in one pass and call nothing, so the hooks
 * that use them need no stack frame and no saved registers: the frame,
 * six saved registers and the branches of the general path were about a
 * third of the tracker's instructions per malloc/free pair (ADR-0012).
 *
 * Each function first checks that its case is the common one and returns
 * 0 having changed nothing if it is not; the caller then takes the general
 * path, which handles every case.  The figures they change are the ones the
 * general path changes, in the same way (stats.h's single-threaded forms),
 * so a report cannot tell which path counted a block.
 *
 * Single-threaded means glibc's __libc_single_threaded: it only turns false
 * inside pthread_create, on the one running thread, so no other thread can
 * be in here at the same time.  A signal handler that allocates interrupts
 * these plain updates exactly as it interrupts the general path's
 * single-threaded ones (stats.h). */
#ifndef HT_HOT_PATH_H
#define HT_HOT_PATH_H
#include "ht_common.h"
#include "block_map.h"
#include "next_alloc.h"
#include "scope_stack.h"
#include "stats.h"
#include "timeline.h"

/* The last block this thread allocated, to spot temporary allocations
 * (freed before the thread allocates anything else). */
extern HT_HIDDEN __thread void *last_alloc;

/* Whether P, being freed, is the thread's last allocation (a temporary);
 * if so it stops being the last one. */
static inline __attribute__((always_inline)) int take_if_last_alloc(void *p)
{
    int temporary = p == last_alloc;
    if (temporary)
        last_alloc = NULL;
    return temporary;
}

/* The flat block map's cells once the settings are read
 * (hot_path_settle()) if the process's configuration allows the common
 * case at all: glibc below us, the block map in its flat form, stacks off,
 * exact mode; else NULL.  None of these changes after start-up, and until
 * it is set every call takes the general path.  One word, so the hot path
 * tests one load instead of four. */
extern HT_HIDDEN char *hot_cells;
void hot_path_settle(void);

/* The cell of P if the common case applies to it, else NULL; *me is NULL
 * while the process is single-threaded (the shared figures are counted
 * directly, as the general path does then: after a fork, the child's
 * records hold no delta and no window), else the thread's record, which a
 * thread without one gets from the general path.
 * One mask test stands for addr_radix_covers(): the flat form covers every
 * 16-byte aligned address below 2^47. */
static inline __attribute__((always_inline)) uint16_t *hot_cell(void *p, struct acct_thread **me)
{
    uintptr_t a = (uintptr_t)p;
    const uintptr_t uncovered =
        ~(((uintptr_t)1 << RADIX_ADDR_BITS) - 1) | (((uintptr_t)1 << RADIX_GRANULE_SHIFT) - 1);
    char *cells = HT_LOAD(&hot_cells);
    if (HT_UNLIKELY(!cells || !a || (a & uncovered)))
        return NULL;
    *me = NULL;
    if (!__libc_single_threaded && HT_UNLIKELY(!(*me = acct_self)))
        return NULL;
    return (uint16_t *)(cells + ((a >> FLAT_GRANULE_SHIFT) << 1));
}

/* What hot_alloc() and hot_free() leave to their callers, as bits of
 * their results: the slow bits of born_mt_try / died_mt_try sit above
 * these two. */
#define HOT_DONE 1     /* the block is recorded (or forgotten) */
#define HOT_TIMELINE 2 /* the timeline is due a sample */
#define HOT_SLOW_SHIFT 2

/* Record a new block P of REQUESTED bytes.  0 if this is not the common
 * case (nothing changed), else HOT_DONE and the bits of what the caller
 * must still do, out of this straight line, in hot_alloc_finish(). */
static inline __attribute__((always_inline)) int hot_alloc(void *p, size_t requested)
{
    struct acct_thread *me;
    uint16_t *cell = hot_cell(p, &me);
    if (HT_UNLIKELY(!cell))
        return 0;
    uint32_t type = scope_current_type();
    size_t usable = glibc_usable_size(p);
    size_t delta = usable - requested;
    if (HT_UNLIKELY(!cell_fits(type, delta)))
        return 0;
    HT_STORE(cell, cell_value(type, delta));
    int r = HOT_DONE;
    if (!me)
        stats_block_born(0, type, 0, requested, usable);
    else
        r |= born_mt_try(me, type, NULL, (int64_t)requested, (int64_t)usable) << HOT_SLOW_SHIFT;
    last_alloc = p;
    return r | (timeline_tick(me != NULL, requested) ? HOT_TIMELINE : 0);
}

/* The rest of hot_alloc()'s work for a result R other than HOT_DONE;
 * returns P. */
void *hot_alloc_finish(void *p, size_t requested, int r);

/* Forget the block P the program frees.  0 if this is not the common case
 * (nothing changed); HOT_DONE if done (the caller then hands P to the
 * allocator); else HOT_DONE, the slow bits and the block's cell value in
 * bits 16..31, for hot_free_finish(). */
static inline __attribute__((always_inline)) int hot_free(void *p)
{
    struct acct_thread *me;
    uint16_t *cell = hot_cell(p, &me);
    if (HT_UNLIKELY(!cell))
        return 0;
    uint16_t v = HT_LOAD(cell);
    if (HT_UNLIKELY(!v || v == CELL_OVERFLOW))
        return 0;
    size_t usable = glibc_usable_size(p);
    HT_STORE(cell, 0);
    int temporary = take_if_last_alloc(p);
    struct block_record b = cell_record(v, usable);
    if (!me) {
        stats_block_died(0, b.type, 0, b.requested, usable, temporary);
        return HOT_DONE;
    }
    int slow = died_mt_try(me, b.type, NULL, (int64_t)b.requested, (int64_t)usable, temporary);
    if (HT_LIKELY(!slow))
        return HOT_DONE;
    return HOT_DONE | slow << HOT_SLOW_SHIFT | (int)v << 16;
}

/* The slow paths hot_free() left (R), then P goes to the allocator. */
void hot_free_finish(void *p, int r);
#endif
