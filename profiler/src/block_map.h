/* Which type each live block belongs to, and its requested size.
 *
 * The map is indexed by address, like a page table, not hashed: one 16-bit
 * cell per 16-byte granule of the address space that holds heap blocks.
 * A cell is written only by the thread that owns its block (between the
 * allocator returning it and the program freeing it), so no lock is needed:
 * the allocator's own synchronisation orders one owner after the next.
 * Blocks whose record does not fit a cell go to overflow_table.c. */
#ifndef HT_BLOCK_MAP_H
#define HT_BLOCK_MAP_H
#include <stddef.h>
#include <stdint.h>

struct block_record {
    uint32_t type;
    uint64_t requested;
};

/* Record a block.  Returns 0, or -1 if no memory was left to record it. */
int block_map_insert(void *p, uint32_t type, size_t requested, size_t usable);

/* Look a block up; usable_of(p) is called only when the record needs it.
 * Returns 1 and fills *out if the block is known, 0 otherwise. */
int block_map_lookup(void *p, size_t (*usable_of)(void *), size_t *usable,
                     struct block_record *out);

/* Forget a block previously found with block_map_lookup. */
void block_map_erase(void *p);

/* Resident and mapped bytes of the map (for the report). */
uint64_t block_map_resident_bytes(void);
#endif

/* Give a known block another type; returns 0, or -1 if unknown/no room. */
int block_map_set_type(void *p, uint32_t type, size_t requested, size_t usable);
