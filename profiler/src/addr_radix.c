/* An address-indexed table of fixed-size cells (addr_radix.h). */
#include "addr_radix.h"
#include "os_mem.h"

#define MID_BYTES ((size_t)sizeof(char *) << RADIX_MID_BITS)

static size_t leaf_bytes(const struct addr_radix *r)
{
    return (size_t)1 << (RADIX_LEAF_BITS + r->cell_shift);
}

/* Publish a freshly mapped table in *slot unless another thread won. */
static void *install(void **slot, size_t bytes)
{
    void *fresh = os_mem_map(bytes);
    if (!fresh)
        return NULL;
    void *expected = NULL;
    if (__atomic_compare_exchange_n(slot, &expected, fresh, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return fresh;
    os_mem_unmap(fresh, bytes);
    return expected;
}

void *addr_radix_make(struct addr_radix *r, uintptr_t a)
{
    void **mid_slot = (void **)&r->top[a >> (RADIX_ADDR_BITS - RADIX_TOP_BITS)];
    char **mid = __atomic_load_n((char ***)mid_slot, __ATOMIC_ACQUIRE);
    if (!mid && !(mid = install(mid_slot, MID_BYTES)))
        return NULL;
    void **leaf_slot = (void **)&mid[(a >> (RADIX_GRANULE_SHIFT + RADIX_LEAF_BITS)) &
                                     ((1u << RADIX_MID_BITS) - 1)];
    if (!__atomic_load_n((char **)leaf_slot, __ATOMIC_ACQUIRE) &&
        !install(leaf_slot, leaf_bytes(r)))
        return NULL;
    return addr_radix_find(r, a, r->cell_shift);
}

int addr_radix_reserve_flat(struct addr_radix *r, uintptr_t at)
{
    if (r->flat)
        return 0;
    size_t bytes = (size_t)1 << (RADIX_ADDR_BITS - FLAT_GRANULE_SHIFT + r->cell_shift);
    char *flat = os_mem_map_at(at, bytes);
    if (!flat)
        return -1;
    HT_STORE(&r->flat, flat);
    return 0;
}

uint64_t addr_radix_resident(struct addr_radix *r)
{
    char *flat = HT_LOAD(&r->flat);
    if (flat)
        return os_mem_region_resident(flat);
    uint64_t total = 0;
    for (unsigned t = 0; t < (1u << RADIX_TOP_BITS); t++) {
        char **mid = __atomic_load_n(&r->top[t], __ATOMIC_ACQUIRE);
        if (!mid)
            continue;
        total += os_mem_resident(mid, MID_BYTES);
        for (unsigned m = 0; m < (1u << RADIX_MID_BITS); m++) {
            char *leaf = __atomic_load_n(&mid[m], __ATOMIC_ACQUIRE);
            if (leaf)
                total += os_mem_resident(leaf, leaf_bytes(r));
        }
    }
    return total;
}
