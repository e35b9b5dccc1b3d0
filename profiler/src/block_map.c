/* The address-indexed block map of block_map.h.
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
 * live block never changes; glibc's small blocks differ by at most 24. */
#include "block_map.h"
#include "overflow_table.h"
#include "ht_common.h"
#include "os_mem.h"

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
static leaf_t *top[1u << TOP_BITS];

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
    leaf_t *mid = __atomic_load_n(&top[top_index(a)], __ATOMIC_ACQUIRE);
    if (!mid)
        return NULL;
    leaf_t leaf = __atomic_load_n(&mid[mid_index(a)], __ATOMIC_ACQUIRE);
    if (!leaf)
        return NULL;
    return &leaf[leaf_index(a)];
}

/* Publish a freshly mapped table in *slot unless another thread won. */
static void *install(void **slot, size_t bytes)
{
    void *fresh = os_mem_map(bytes);
    if (!fresh)
        return NULL;
    void *expected = NULL;
    if (__atomic_compare_exchange_n(slot, &expected, fresh, 0, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        return fresh;
    os_mem_unmap(fresh, bytes);
    return expected;
}

static uint16_t *make_cell(uintptr_t a)
{
    void **mid_slot = (void **)&top[top_index(a)];
    leaf_t *mid = __atomic_load_n((leaf_t **)mid_slot, __ATOMIC_ACQUIRE);
    if (!mid && !(mid = install(mid_slot, MID_BYTES)))
        return NULL;
    void **leaf_slot = (void **)&mid[mid_index(a)];
    leaf_t leaf = __atomic_load_n((leaf_t *)leaf_slot, __ATOMIC_ACQUIRE);
    if (!leaf && !(leaf = install(leaf_slot, LEAF_BYTES)))
        return NULL;
    return &leaf[leaf_index(a)];
}

int block_map_insert(void *p, uint32_t type, size_t requested, size_t usable)
{
    uintptr_t a = (uintptr_t)p;
    if (HT_UNLIKELY(!covered(a)))
        return overflow_insert(a, type, requested);
    uint16_t *cell = find_cell(a);
    /* If no leaf can be mapped the block stays unrecorded (its free will
     * count as foreign): putting it in the overflow table instead would hide
     * it from lookups once another block maps the leaf. */
    if (HT_UNLIKELY(!cell) && !(cell = make_cell(a)))
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

int block_map_lookup(void *p, size_t (*usable_of)(void *), size_t *usable,
                     struct block_record *out)
{
    uintptr_t a = (uintptr_t)p;
    if (HT_UNLIKELY(!covered(a))) {
        if (!overflow_lookup(a, out))
            return 0;
        *usable = usable_of(p);
        return 1;
    }
    uint16_t *cell = find_cell(a);
    uint16_t v = cell ? HT_LOAD(cell) : 0;
    if (!v)
        return 0;
    *usable = usable_of(p);
    if (HT_UNLIKELY(v == CELL_OVERFLOW))
        return overflow_lookup(a, out);
    out->type = v & CELL_TYPE_MASK;
    out->requested = *usable - (v >> CELL_TYPE_BITS);
    return 1;
}

void block_map_erase(void *p)
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

uint64_t block_map_resident_bytes(void)
{
    uint64_t total = 0;
    for (unsigned t = 0; t < (1u << TOP_BITS); t++) {
        leaf_t *mid = __atomic_load_n(&top[t], __ATOMIC_ACQUIRE);
        if (!mid)
            continue;
        total += os_mem_resident(mid, MID_BYTES);
        for (unsigned m = 0; m < (1u << MID_BITS); m++) {
            leaf_t leaf = __atomic_load_n(&mid[m], __ATOMIC_ACQUIRE);
            if (leaf)
                total += os_mem_resident(leaf, LEAF_BYTES);
        }
    }
    return total + overflow_resident_bytes();
}

int block_map_set_type(void *p, uint32_t type, size_t requested, size_t usable)
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
