/* An address-indexed table: one fixed-size cell per granule of the 47-bit
 * user address space.
 *
 * The table takes one of two forms, decided before the first cell is
 * written and never changed.
 *
 * Flat form (addr_radix_reserve_flat): one cell per 32 bytes, all in one
 * MAP_NORESERVE reservation of 2^42 cells (8 TiB of address space for
 * 16-bit cells; AddressSanitizer reserves 16 TiB for its shadow), so a
 * lookup is a shift and an add: no load, no branch.  Only pages holding
 * cells that were written become resident.  32 bytes, not 16, halves the
 * cache footprint of the cells; it is only right where two recorded
 * addresses are always 32 bytes apart or more, as glibc's blocks are (its
 * smallest chunk is 32 bytes).  The kernel refuses the reservation under
 * `ulimit -v` or strict overcommit, and it is not made where something is
 * already mapped: the table then stays in radix form.
 *
 * Radix form, one cell per 16-byte granule, like a page table: a 47-bit address
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
#define FLAT_GRANULE_SHIFT 5
#define RADIX_ADDR_BITS (RADIX_TOP_BITS + RADIX_MID_BITS + RADIX_LEAF_BITS + RADIX_GRANULE_SHIFT)

struct addr_radix {
    unsigned cell_shift; /* log2 of the cell size in bytes */
    char *flat;          /* the flat form's cells, or NULL */
    char **top[1u << RADIX_TOP_BITS];
};

/* Try to give the table its flat form, reserved at exactly AT; call before
 * any cell is made.  0 on success.
 *
 * Where: low in the address space, between 32 and 64 TiB (FLAT_AT_*), far
 * below where the kernel places mmaps (top-down from 0x7fxx...) and PIE
 * programs (0x55...), and above AddressSanitizer's fixed shadow (up to
 * 16 TiB).  Placed where the kernel would choose, 8 TiB would move every
 * later mapping of the program, and programs notice: CPython's arena map
 * then allocates one more 128 KiB node than without heaptag. */
#define FLAT_AT_BLOCKS ((uintptr_t)32 << 40)
#define FLAT_AT_SITES ((uintptr_t)48 << 40) /* a gap, so the two never merge into one mapping */
int addr_radix_reserve_flat(struct addr_radix *r, uintptr_t at);

/* Whether the table can hold a cell for this address at all. */
static inline int addr_radix_covers(uintptr_t a)
{
    return (a >> RADIX_ADDR_BITS) == 0 && (a & ((1u << RADIX_GRANULE_SHIFT) - 1)) == 0;
}

/* The cell of a covered address, or NULL if its leaf was never mapped.
 * SHIFT is r->cell_shift, passed as a constant so the flat lookup needs no
 * load of it. */
static inline void *addr_radix_find(struct addr_radix *r, uintptr_t a, unsigned shift)
{
    char *flat = HT_LOAD(&r->flat);
    if (__builtin_expect(flat != NULL, 1))
        return flat + ((a >> FLAT_GRANULE_SHIFT) << shift);
    char **mid =
        __atomic_load_n(&r->top[a >> (RADIX_ADDR_BITS - RADIX_TOP_BITS)], __ATOMIC_ACQUIRE);
    if (!mid)
        return NULL;
    char *leaf = __atomic_load_n(
        &mid[(a >> (RADIX_GRANULE_SHIFT + RADIX_LEAF_BITS)) & ((1u << RADIX_MID_BITS) - 1)],
        __ATOMIC_ACQUIRE);
    if (!leaf)
        return NULL;
    return leaf + ((((a >> RADIX_GRANULE_SHIFT) & ((1u << RADIX_LEAF_BITS) - 1))) << shift);
}

/* The cell of a covered address, mapping tables as needed; NULL if the
 * kernel refused the memory. */
void *addr_radix_make(struct addr_radix *r, uintptr_t a);
/* Resident bytes of all the tables (mincore, or /proc/self/smaps for the
 * flat form); async-signal-safe. */
uint64_t addr_radix_resident(struct addr_radix *r);
#endif
