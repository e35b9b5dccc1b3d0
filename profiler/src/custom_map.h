/* Blocks reported by a program's own allocator (heaptag_block_alloc):
 * address -> (size, type, pool, site).
 *
 * Not the block map: that map's cells derive the size from the allocator's
 * chunk header and, in its flat form, hold one block per 32 bytes, while a
 * pool may hand out 16-byte blocks at any address.
 *
 * Two parts.  The common record (16-byte aligned address, no pool, no
 * site, size below 1 MiB) is a 32-bit cell of an addr_radix in its radix
 * form (16-byte granules): type in the low 12 bits, size in the high 20.
 * Pools hand out neighbouring addresses, so neighbouring cells share cache
 * lines, where a hash would miss the cache on nearly every report (it
 * cost CPython twice the time).  Every other record goes to a hash table
 * in independently locked stripes, open addressing with backward-shift
 * deletion.  Memory for both comes from os_mem, never from malloc: the map
 * is updated from inside the program's allocator, which may sit on malloc. */
#ifndef HT_CUSTOM_MAP_H
#define HT_CUSTOM_MAP_H
#include "ht_common.h"

struct custom_record {
    uintptr_t addr; /* 0: empty slot */
    uint64_t size;
    uint16_t type;
    uint16_t pool; /* type the bytes were carved from, 0 if none */
    uint32_t site; /* call site with stacks on, 0 if none */
};

/* Record R (keyed by R->addr).  Returns 1 and fills *old if the address
 * already held a record (the program reused it without reporting a free),
 * 0 if not, -1 if no memory was left (the block is not recorded). */
int custom_map_put(const struct custom_record *r, struct custom_record *old);
/* Find ADDR and forget it: 1 and *out filled, or 0. */
int custom_map_take(uintptr_t addr, struct custom_record *out);
uint64_t custom_map_resident_bytes(void);
void custom_map_lock_for_fork(void);
void custom_map_unlock_after_fork(void);
#endif
