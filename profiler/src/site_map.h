/* Which call site each live block came from (stacks mode only).
 *
 * Same address-indexed layout as block_map.h, with 32-bit cells holding a
 * site id; it is reserved or mapped only when stacks are on.  Blocks at
 * addresses the map does not cover (not 16-byte aligned, or above 2^47) get
 * no site: site_map_set fails and the caller leaves them out of the site
 * counters. */
#ifndef HT_SITE_MAP_H
#define HT_SITE_MAP_H
#include "ht_common.h"

/* Give the map the flat form (addr_radix.h) when the allocator is glibc:
 * called once, before stacks are switched on, so no cell exists yet. */
void site_map_reserve_flat(void);
/* 0 on success, -1 if the block cannot be recorded. */
int site_map_set(void *p, uint32_t site);
/* The block's site (0 if none), which is cleared. */
uint32_t site_map_take(void *p);
uint64_t site_map_resident_bytes(void);
#endif
