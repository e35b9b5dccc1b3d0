/* The block map's storage (block_map.h: the radix cells) and its overflow
 * table (overflow_table.h), for the blocks the cells cannot hold.
 *
 * The table: linear probing with backward-shift deletion (no tombstones, so
 * lookups stay short however many blocks come and go), grown by doubling at
 * 1/2 load. */
#include "overflow_table.h"
#include "block_map.h"
#include "ht_common.h"
#include "os_mem.h"

struct addr_radix block_cells = {.cell_shift = 1};

uint64_t block_map_resident_bytes(void)
{
    return addr_radix_resident(&block_cells) + overflow_resident_bytes();
}

struct slot {
    uintptr_t key; /* 0: empty (no block lives at address 0) */
    uint32_t type;
    uint64_t requested;
};

static ht_spinlock lock;
static struct slot *slots;
static size_t capacity; /* a power of two, or 0 */
static size_t count;

static inline size_t hash(uintptr_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k;
}

static struct slot *find(uintptr_t key)
{
    if (!capacity)
        return NULL;
    for (size_t i = hash(key) & (capacity - 1);; i = (i + 1) & (capacity - 1)) {
        if (slots[i].key == key)
            return &slots[i];
        if (slots[i].key == 0)
            return NULL;
    }
}

static void put(struct slot *table, size_t cap, struct slot s)
{
    size_t i = hash(s.key) & (cap - 1);
    while (table[i].key != 0)
        i = (i + 1) & (cap - 1);
    table[i] = s;
}

static int grow(void)
{
    size_t new_cap = capacity ? capacity * 2 : 1024;
    struct slot *fresh = os_mem_map(new_cap * sizeof *fresh);
    if (!fresh)
        return -1;
    for (size_t i = 0; i < capacity; i++)
        if (slots[i].key)
            put(fresh, new_cap, slots[i]);
    if (slots)
        os_mem_unmap(slots, capacity * sizeof *slots);
    slots = fresh;
    capacity = new_cap;
    return 0;
}

size_t overflow_count(void) { return __atomic_load_n(&count, __ATOMIC_RELAXED); }

void overflow_reserve(void)
{
    ht_spin_lock(&lock);
    if (!capacity)
        grow();
    ht_spin_unlock(&lock);
}

int overflow_insert(uintptr_t key, uint32_t type, uint64_t requested)
{
    int rc = 0;
    ht_spin_lock(&lock);
    struct slot *s = find(key);
    if (s) {
        s->type = type;
        s->requested = requested;
    } else if ((count + 1) * 2 > capacity && grow() != 0) {
        rc = -1;
    } else {
        put(slots, capacity, (struct slot){key, type, requested});
        __atomic_store_n(&count, count + 1, __ATOMIC_RELAXED);
    }
    ht_spin_unlock(&lock);
    return rc;
}

int overflow_lookup(uintptr_t key, struct block_record *out)
{
    ht_spin_lock(&lock);
    struct slot *s = find(key);
    if (s) {
        out->type = s->type;
        out->requested = s->requested;
    }
    ht_spin_unlock(&lock);
    return s != NULL;
}

int overflow_set_type(uintptr_t key, uint32_t type)
{
    ht_spin_lock(&lock);
    struct slot *s = find(key);
    if (s)
        s->type = type;
    ht_spin_unlock(&lock);
    return s != NULL;
}

int overflow_erase(uintptr_t key)
{
    ht_spin_lock(&lock);
    struct slot *s = find(key);
    if (!s) {
        ht_spin_unlock(&lock);
        return 0;
    }
    /* Backward shift: pull later members of the probe run into the hole
     * whenever their home slot does not lie between the hole and them. */
    size_t mask = capacity - 1, hole = (size_t)(s - slots);
    for (size_t i = (hole + 1) & mask; slots[i].key; i = (i + 1) & mask) {
        size_t home = hash(slots[i].key) & mask;
        int movable = (i > hole) ? (home <= hole || home > i) : (home <= hole && home > i);
        if (movable) {
            slots[hole] = slots[i];
            hole = i;
        }
    }
    slots[hole].key = 0;
    __atomic_store_n(&count, count - 1, __ATOMIC_RELAXED);
    ht_spin_unlock(&lock);
    return 1;
}

uint64_t overflow_resident_bytes(void)
{
    /* Read without the lock: this may run in a signal handler that
     * interrupted a holder.  A stale pair only skews the figure. */
    struct slot *s = __atomic_load_n(&slots, __ATOMIC_RELAXED);
    size_t cap = __atomic_load_n(&capacity, __ATOMIC_RELAXED);
    return s ? os_mem_resident(s, cap * sizeof *s) : 0;
}

void overflow_lock_for_fork(void) { ht_spin_lock(&lock); }
void overflow_unlock_after_fork(void) { ht_spin_unlock(&lock); }
