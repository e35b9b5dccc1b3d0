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

/* Set once the settings are read (hot_path_settle()) if the process's
 * configuration allows the common case at all: glibc below us, the block
 * map in its flat form, stacks off, exact mode.  None of these changes
 * after start-up; until the flag is set every call takes the general path.
 * One flag, so the hot path tests one word instead of four. */
extern HT_HIDDEN int hot_path_on;
void hot_path_settle(void);

/* The cell of P if the common case applies to it, else NULL.  One mask
 * test stands for addr_radix_covers(): the flat form covers every 16-byte
 * aligned address below 2^47. */
static inline __attribute__((always_inline)) uint16_t *hot_cell(void *p)
{
    uintptr_t a = (uintptr_t)p;
    const uintptr_t uncovered = ~(((uintptr_t)1 << RADIX_ADDR_BITS) - 1) |
                                (((uintptr_t)1 << RADIX_GRANULE_SHIFT) - 1);
    if (HT_UNLIKELY(!HT_LOAD(&hot_path_on) || !__libc_single_threaded || !a || (a & uncovered)))
        return NULL;
    return (uint16_t *)(HT_LOAD(&block_cells.flat) + ((a >> FLAT_GRANULE_SHIFT) << 1));
}

/* Record a new block P of REQUESTED bytes: 0 if this is not the common
 * case (nothing changed), 1 if done, 2 if done and the timeline is due a
 * sample (the caller calls timeline_sample(), out of this straight line). */
static inline __attribute__((always_inline)) int hot_alloc(void *p, size_t requested)
{
    uint16_t *cell = hot_cell(p);
    if (HT_UNLIKELY(!cell))
        return 0;
    uint32_t type = scope_current_type();
    size_t usable = glibc_usable_size(p);
    size_t delta = usable - requested;
    if (HT_UNLIKELY(delta >= CELL_DELTA_ESCAPE || type > CELL_TYPE_MASK))
        return 0;
    HT_STORE(cell, (uint16_t)(type | (delta << CELL_TYPE_BITS)));
    stats_block_born(0, type, 0, requested, usable);
    last_alloc = p;
    int64_t t = HT_LOAD(&timeline_allocated) + (int64_t)requested;
    HT_STORE(&timeline_allocated, t);
    return HT_UNLIKELY(t >= HT_LOAD(&timeline_next)) ? 2 : 1;
}

/* Forget the block P the program frees: 0 if this is not the common case
 * (nothing changed), 1 if done (the caller then hands P to the allocator). */
static inline __attribute__((always_inline)) int hot_free(void *p)
{
    uint16_t *cell = hot_cell(p);
    if (HT_UNLIKELY(!cell))
        return 0;
    uint16_t v = HT_LOAD(cell);
    if (HT_UNLIKELY(!v || v == CELL_OVERFLOW))
        return 0;
    size_t usable = glibc_usable_size(p);
    HT_STORE(cell, 0);
    int temporary = p == last_alloc;
    if (temporary)
        last_alloc = NULL;
    stats_block_died(0, v & CELL_TYPE_MASK, 0, usable - (v >> CELL_TYPE_BITS), usable,
                     temporary);
    return 1;
}
#endif
