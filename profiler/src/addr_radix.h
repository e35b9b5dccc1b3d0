/* An address-indexed table, like a page table: one fixed-size cell per
 * 16-byte granule of the 47-bit user address space.  A 47-bit address
 * splits into 11 bits for the top table (static), 12 bits for a
 * second-level table (32 KiB, mapped on first use) and 20 bits for a leaf
 * of 2^20 cells covering 16 MiB (reserved with MAP_NORESERVE: only pages
 * holding cells that were written become resident).  A lookup is three
 * dependent loads and no lock; tables are published with a CAS and never
 * freed, so a reader can never see one go away.
 *
 * Used by the block map (16-bit cells) and the site map (32-bit cells). */
#ifndef HT_ADDR_RADIX_H
#define HT_ADDR_RADIX_H
#include "ht_common.h"

#define RADIX_TOP_BITS 11
#define RADIX_MID_BITS 12
#define RADIX_LEAF_BITS 20
#define RADIX_GRANULE_SHIFT 4
#define RADIX_ADDR_BITS (RADIX_TOP_BITS + RADIX_MID_BITS + RADIX_LEAF_BITS + RADIX_GRANULE_SHIFT)

struct addr_radix {
    unsigned cell_shift; /* log2 of the cell size in bytes */
    char **top[1u << RADIX_TOP_BITS];
};

/* Whether the table can hold a cell for this address at all. */
static inline int addr_radix_covers(uintptr_t a)
{
    return (a >> RADIX_ADDR_BITS) == 0 && (a & ((1u << RADIX_GRANULE_SHIFT) - 1)) == 0;
}

/* The cell of a covered address, or NULL if its leaf was never mapped. */
static inline void *addr_radix_find(struct addr_radix *r, uintptr_t a)
{
    char **mid = __atomic_load_n(&r->top[a >> (RADIX_ADDR_BITS - RADIX_TOP_BITS)],
                                 __ATOMIC_ACQUIRE);
    if (!mid)
        return NULL;
    char *leaf = __atomic_load_n(
        &mid[(a >> (RADIX_GRANULE_SHIFT + RADIX_LEAF_BITS)) & ((1u << RADIX_MID_BITS) - 1)],
        __ATOMIC_ACQUIRE);
    if (!leaf)
        return NULL;
    return leaf + ((((a >> RADIX_GRANULE_SHIFT) & ((1u << RADIX_LEAF_BITS) - 1)))
                   << r->cell_shift);
}

/* The cell of a covered address, mapping tables as needed; NULL if the
 * kernel refused the memory. */
void *addr_radix_make(struct addr_radix *r, uintptr_t a);
/* Resident bytes of all the tables (mincore); async-signal-safe. */
uint64_t addr_radix_resident(struct addr_radix *r);
#endif
