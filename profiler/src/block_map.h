/* Which type each live block belongs to, and its requested size.
 *
 * The map is indexed by address, like a page table, not hashed: one 16-bit
 * cell per 16-byte granule of the address space that holds heap blocks.
 * A cell is written only by the thread that owns its block (between the
 * allocator returning it and the program freeing it), so no lock is needed:
 * the allocator's own synchronisation orders one owner after the next.
 * Blocks whose record does not fit a cell go to overflow_table.c.
 *
 * Layout: a 47-bit user address splits into 11 bits for the top table
 * (static), 12 bits for a second-level table (32 KiB, mapped on first use)
 * and 20 bits for a leaf of 2^20 cells covering 16 MiB (2 MiB of cells,
 * reserved with MAP_NORESERVE; only the pages holding cells of live blocks
 * become resident).  The cost is at most one byte in eight of the heap's
 * span, whatever the block sizes, and a lookup is three dependent loads.
 *
 * Cell format (16 bits): 0 means no block.  Otherwise the low 11 bits are
 * the type id (1..2047) and the high 5 bits are usable - requested (0..30);
 * the value 31 there means "the record is in the overflow table".  Storing
 * the difference instead of the size works because malloc_usable_size of a
 * live block never changes; glibc's small blocks differ by at most 24.
 *
 * The functions below are inline because they run on every allocation:
 * block_map_insert records a block (0, or -1 if no memory was left to
 * record it); block_map_lookup finds one (1 and *out, *usable filled, or 0);
 * block_map_erase forgets one; block_map_set_type gives it another type. */
#ifndef HT_BLOCK_MAP_H
#define HT_BLOCK_MAP_H
#include "ht_common.h"
#include "next_alloc.h"
#include "overflow_table.h"

/* Resident bytes of the map and the overflow table (for the report). */
uint64_t block_map_resident_bytes(void);

#define TOP_BITS 11
#define MID_BITS 12
#define LEAF_BITS 20
#define GRANULE_SHIFT 4
#define ADDR_BITS (TOP_BITS + MID_BITS + LEAF_BITS + GRANULE_SHIFT)
#define LEAF_BYTES ((size_t)sizeof(uint16_t) << LEAF_BITS)
#define MID_BYTES ((size_t)sizeof(void *) << MID_BITS)

#define CELL_TYPE_BITS 11
#define CELL_TYPE_MASK ((1u << CELL_TYPE_BITS) - 1)
#define CELL_DELTA_ESCAPE 31u
#define CELL_OVERFLOW ((uint16_t)(CELL_DELTA_ESCAPE << CELL_TYPE_BITS))

typedef uint16_t *leaf_t;
extern leaf_t *block_map_top[1u << TOP_BITS];

static inline int covered(uintptr_t a)
{
    return (a >> ADDR_BITS) == 0 && (a & ((1u << GRANULE_SHIFT) - 1)) == 0;
}

static inline unsigned top_index(uintptr_t a) { return (a >> (ADDR_BITS - TOP_BITS)); }
static inline unsigned mid_index(uintptr_t a)
{
    return (a >> (GRANULE_SHIFT + LEAF_BITS)) & ((1u << MID_BITS) - 1);
}
static inline unsigned leaf_index(uintptr_t a)
{
    return (a >> GRANULE_SHIFT) & ((1u << LEAF_BITS) - 1);
}

/* The cell for address a, or NULL if its leaf does not exist. */
static inline uint16_t *find_cell(uintptr_t a)
{
    leaf_t *mid = __atomic_load_n(&block_map_top[top_index(a)], __ATOMIC_ACQUIRE);
    if (!mid)
        return NULL;
    leaf_t leaf = __atomic_load_n(&mid[mid_index(a)], __ATOMIC_ACQUIRE);
    if (!leaf)
        return NULL;
    return &leaf[leaf_index(a)];
}

uint16_t *block_map_make_cell(uintptr_t a);

static inline __attribute__((always_inline)) int block_map_insert(void *p, uint32_t type, size_t requested, size_t usable)
{
    uintptr_t a = (uintptr_t)p;
    if (HT_UNLIKELY(!covered(a)))
        return overflow_insert(a, type, requested);
    uint16_t *cell = find_cell(a);
    /* If no leaf can be mapped the block stays unrecorded (its free will
     * count as foreign): putting it in the overflow table instead would hide
     * it from lookups once another block maps the leaf. */
    if (HT_UNLIKELY(!cell) && !(cell = block_map_make_cell(a)))
        return -1;
    size_t delta = usable - requested;
    if (HT_LIKELY(delta < CELL_DELTA_ESCAPE && type <= CELL_TYPE_MASK)) {
        HT_STORE(cell, (uint16_t)(type | (delta << CELL_TYPE_BITS)));
        return 0;
    }
    if (overflow_insert(a, type, requested) != 0)
        return -1;
    HT_STORE(cell, CELL_OVERFLOW);
    return 0;
}

static inline __attribute__((always_inline)) int block_map_lookup(void *p, size_t *usable,
                     struct block_record *out)
{
    uintptr_t a = (uintptr_t)p;
    if (HT_UNLIKELY(!covered(a))) {
        if (!overflow_lookup(a, out))
            return 0;
        *usable = next_usable_size(p);
        return 1;
    }
    uint16_t *cell = find_cell(a);
    uint16_t v = cell ? HT_LOAD(cell) : 0;
    if (!v)
        return 0;
    *usable = next_usable_size(p);
    if (HT_UNLIKELY(v == CELL_OVERFLOW))
        return overflow_lookup(a, out);
    out->type = v & CELL_TYPE_MASK;
    out->requested = *usable - (v >> CELL_TYPE_BITS);
    return 1;
}

static inline __attribute__((always_inline)) void block_map_erase(void *p)
{
    uintptr_t a = (uintptr_t)p;
    if (HT_UNLIKELY(!covered(a))) {
        overflow_erase(a);
        return;
    }
    uint16_t *cell = find_cell(a);
    if (!cell)
        return;
    if (HT_UNLIKELY(HT_LOAD(cell) == CELL_OVERFLOW))
        overflow_erase(a);
    HT_STORE(cell, 0);
}


static inline int block_map_set_type(void *p, uint32_t type, size_t requested, size_t usable)
{
    uintptr_t a = (uintptr_t)p;
    uint16_t *cell = covered(a) ? find_cell(a) : NULL;
    if (cell && HT_LOAD(cell) != CELL_OVERFLOW && type > CELL_TYPE_MASK) {
        /* The new id does not fit the cell: move the record out. */
        if (overflow_insert(a, type, requested) != 0)
            return -1;
        HT_STORE(cell, CELL_OVERFLOW);
        return 0;
    }
    if (!cell || HT_LOAD(cell) == CELL_OVERFLOW)
        return overflow_set_type(a, type) ? 0 : -1;
    HT_STORE(cell, (uint16_t)(type | ((usable - requested) << CELL_TYPE_BITS)));
    return 0;
}
#endif
