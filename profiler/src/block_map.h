/* Which type each live block belongs to, and its requested size.
 *
 * The map is an addr_radix (see addr_radix.h) of 16-bit cells, one per
 * 16-byte granule: at most one byte in eight of the heap's span, whatever
 * the block sizes.  A cell is written only by the thread that owns its
 * block (between the allocator returning it and the program freeing it),
 * so no lock is needed: the allocator's own synchronisation orders one
 * owner after the next.
 *
 * Cell format: 0 means no block, unless the overflow table has it (a
 * block whose leaf could not be mapped).  Otherwise the low 11 bits are the type id
 * (1..2047) and the high 5 bits are usable - requested (0..30); the value
 * 31 there means "the record is in the overflow table" (overflow_table.h),
 * as do addresses the radix does not cover.  Storing the difference instead
 * of the size works because malloc_usable_size of a live block never
 * changes; glibc's small blocks differ by at most 24.
 *
 * The functions are inline because they run on every allocation:
 * block_map_insert records a block (0, or -1 if no memory was left to
 * record it); block_map_lookup finds one (1 and *out, *usable filled, or 0);
 * block_map_take finds one and forgets it in the same walk;
 * block_map_set_type gives it another type. */
#ifndef HT_BLOCK_MAP_H
#define HT_BLOCK_MAP_H
#include "addr_radix.h"
#include "next_alloc.h"
#include "overflow_table.h"

#define CELL_TYPE_BITS 11
#define CELL_TYPE_MASK ((1u << CELL_TYPE_BITS) - 1)
#define CELL_DELTA_ESCAPE 31u
#define CELL_OVERFLOW ((uint16_t)(CELL_DELTA_ESCAPE << CELL_TYPE_BITS))
#define HT_INLINE static inline __attribute__((always_inline))

extern HT_HIDDEN struct addr_radix block_cells;

/* Resident bytes of the map and the overflow table (for the report). */
uint64_t block_map_resident_bytes(void);

HT_INLINE uint16_t *block_cell(uintptr_t a) { return addr_radix_find(&block_cells, a, 1); }

/* The cell format, in one place: whether a block of TYPE whose usable size
 * exceeds its request by DELTA fits a cell, its cell value, and the record
 * a cell value V of a block of USABLE bytes stands for. */
HT_INLINE int cell_fits(uint32_t type, size_t delta)
{
    return delta < CELL_DELTA_ESCAPE && type <= CELL_TYPE_MASK;
}
HT_INLINE uint16_t cell_value(uint32_t type, size_t delta)
{
    return (uint16_t)(type | (delta << CELL_TYPE_BITS));
}
HT_INLINE struct block_record cell_record(uint16_t v, size_t usable)
{
    return (struct block_record){.type = v & CELL_TYPE_MASK,
                                 .requested = usable - (v >> CELL_TYPE_BITS)};
}

HT_INLINE int block_map_insert(void *p, uint32_t type, size_t requested, size_t usable)
{
    uintptr_t a = (uintptr_t)p;
    if (HT_UNLIKELY(!addr_radix_covers(a)))
        return overflow_insert(a, type, requested);
    uint16_t *cell = block_cell(a);
    /* No leaf and none to be had (out of address space): the overflow
     * table keeps the block, and lookups that find a zero cell ask it. */
    if (HT_UNLIKELY(!cell) && !(cell = addr_radix_make(&block_cells, a)))
        return overflow_insert(a, type, requested);
    size_t delta = usable - requested;
    if (HT_LIKELY(cell_fits(type, delta))) {
        HT_STORE(cell, cell_value(type, delta));
        return 0;
    }
    if (overflow_insert(a, type, requested) != 0)
        return -1;
    HT_STORE(cell, CELL_OVERFLOW);
    return 0;
}

/* The walk shared by lookup and take: FORGET is a constant at each call
 * site, so each gets its own straight-line code. */
HT_INLINE int block_map_find(void *p, size_t *usable, struct block_record *out, int forget)
{
    uintptr_t a = (uintptr_t)p;
    uint16_t *cell = addr_radix_covers(a) ? block_cell(a) : NULL;
    uint16_t v = cell ? HT_LOAD(cell) : 0;
    if (HT_LIKELY(v && v != CELL_OVERFLOW)) {
        *usable = next_usable_size(p);
        if (forget)
            HT_STORE(cell, 0);
        *out = cell_record(v, *usable);
        return 1;
    }
    /* The overflow table: flagged in the cell, or no cell (an address the
     * map does not cover, a leaf that could not be mapped) and a table
     * that is not empty. */
    if (!v && (cell || addr_radix_covers(a)) && HT_LIKELY(!overflow_count()))
        return 0;
    if (!overflow_lookup(a, out))
        return 0;
    *usable = next_usable_size(p);
    if (forget) {
        if (cell)
            HT_STORE(cell, 0);
        overflow_erase(a);
    }
    return 1;
}

HT_INLINE int block_map_lookup(void *p, size_t *usable, struct block_record *out)
{
    return block_map_find(p, usable, out, 0);
}

/* Find a block and forget it: 1 and *out, *usable filled, or 0 if unknown. */
HT_INLINE int block_map_take(void *p, size_t *usable, struct block_record *out)
{
    return block_map_find(p, usable, out, 1);
}

static inline int block_map_set_type(void *p, uint32_t type, size_t requested, size_t usable)
{
    uintptr_t a = (uintptr_t)p;
    uint16_t *cell = addr_radix_covers(a) ? block_cell(a) : NULL;
    uint16_t v = cell ? HT_LOAD(cell) : 0;
    if (v && v != CELL_OVERFLOW && type > CELL_TYPE_MASK) {
        /* The new id does not fit the cell: move the record out. */
        if (overflow_insert(a, type, requested) != 0)
            return -1;
        HT_STORE(cell, CELL_OVERFLOW);
        return 0;
    }
    if (!v || v == CELL_OVERFLOW) /* no cell, or the record is in the table */
        return overflow_set_type(a, type) ? 0 : -1;
    HT_STORE(cell, cell_value(type, usable - requested));
    return 0;
}
#endif
