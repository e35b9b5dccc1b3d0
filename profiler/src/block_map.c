/* The slow paths of the block map (see block_map.h for its design). */
#include "block_map.h"
#include "overflow_table.h"
#include "ht_common.h"
#include "os_mem.h"

leaf_t *block_map_top[1u << TOP_BITS];

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

/* Map the tables on the way to the cell of a; NULL if the kernel says no. */
uint16_t *block_map_make_cell(uintptr_t a)
{
    void **mid_slot = (void **)&block_map_top[top_index(a)];
    leaf_t *mid = __atomic_load_n((leaf_t **)mid_slot, __ATOMIC_ACQUIRE);
    if (!mid && !(mid = install(mid_slot, MID_BYTES)))
        return NULL;
    void **leaf_slot = (void **)&mid[mid_index(a)];
    leaf_t leaf = __atomic_load_n((leaf_t *)leaf_slot, __ATOMIC_ACQUIRE);
    if (!leaf && !(leaf = install(leaf_slot, LEAF_BYTES)))
        return NULL;
    return &leaf[leaf_index(a)];
}

uint64_t block_map_resident_bytes(void)
{
    uint64_t total = 0;
    for (unsigned t = 0; t < (1u << TOP_BITS); t++) {
        leaf_t *mid = __atomic_load_n(&block_map_top[t], __ATOMIC_ACQUIRE);
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
