/* The site map of site_map.h: an addr_radix of 32-bit site ids. */
#include "site_map.h"
#include "addr_radix.h"

static struct addr_radix sites = {.cell_shift = 2};

void site_map_reserve_flat(void) { addr_radix_reserve_flat(&sites, FLAT_AT_SITES); }

int site_map_set(void *p, uint32_t site)
{
    uintptr_t a = (uintptr_t)p;
    uint32_t *c = addr_radix_covers(a) ? addr_radix_find(&sites, a, 2) : NULL;
    if (!c && (!addr_radix_covers(a) || !(c = addr_radix_make(&sites, a))))
        return -1;
    HT_STORE(c, site);
    return 0;
}

uint32_t site_map_take(void *p)
{
    uintptr_t a = (uintptr_t)p;
    uint32_t *c = addr_radix_covers(a) ? addr_radix_find(&sites, a, 2) : NULL;
    if (!c)
        return 0;
    uint32_t site = HT_LOAD(c);
    if (site)
        HT_STORE(c, 0);
    return site;
}

uint64_t site_map_resident_bytes(void) { return addr_radix_resident(&sites); }
