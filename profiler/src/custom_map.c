/* The two parts of custom_map.h.
 *
 * A radix cell is written only by the thread that owns its block at that
 * moment (the program's allocator orders one owner after the next), like
 * the block map's.  Each stripe's lock is held only for the probe itself
 * (no call out, no allocation but os_mem's mmap when a stripe grows), so
 * it nests inside no other lock. */
#include "custom_map.h"
#include "addr_radix.h"
#include "os_mem.h"
#include <string.h>

#define CELL_TYPE_BITS 12
#define CELL_SIZE_LIMIT (1u << (32 - CELL_TYPE_BITS))

static struct addr_radix cells = {.cell_shift = 2};
/* Records in the stripes: lets a take skip their locks when none exist. */
static uint64_t side_count;

#define STRIPES 64
#define FIRST_SLOTS 1024

struct stripe {
    ht_spinlock lock;
    uint32_t mask; /* slots - 1; 0 before the first table */
    uint32_t count;
    struct custom_record *slots;
} __attribute__((aligned(64)));

static struct stripe stripes[STRIPES];

static inline uint64_t hash_addr(uintptr_t a)
{
    uint64_t h = (uint64_t)a * 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}

static inline struct stripe *stripe_of(uint64_t h)
{
    return &stripes[h >> 58]; /* the top 6 bits; the slot uses the low ones */
}

static size_t table_bytes(uint32_t slots) { return (size_t)slots * sizeof(struct custom_record); }

static void insert_fresh(struct custom_record *slots, uint32_t mask, const struct custom_record *r)
{
    uint32_t i = (uint32_t)hash_addr(r->addr) & mask;
    while (slots[i].addr)
        i = (i + 1) & mask;
    slots[i] = *r;
}

/* Double the stripe's table (or make its first): -1 if the kernel refused. */
static int grow(struct stripe *s)
{
    uint32_t old_slots = s->mask ? s->mask + 1 : 0;
    uint32_t slots = old_slots ? old_slots * 2 : FIRST_SLOTS;
    struct custom_record *t = os_mem_map(table_bytes(slots));
    if (!t)
        return -1;
    for (uint32_t i = 0; i < old_slots; i++)
        if (s->slots[i].addr)
            insert_fresh(t, slots - 1, &s->slots[i]);
    if (s->slots)
        os_mem_unmap(s->slots, table_bytes(old_slots));
    s->slots = t;
    s->mask = slots - 1;
    return 0;
}

static int side_put(const struct custom_record *r, struct custom_record *old)
{
    uint64_t h = hash_addr(r->addr);
    struct stripe *s = stripe_of(h);
    int rc = 0;
    ht_spin_lock(&s->lock);
    /* Keep the load at half or less; past that, if the kernel refuses a
     * bigger table, go on while an empty slot remains to end each probe. */
    if ((s->count + 1) * 2 > s->mask + 1 && grow(s) != 0 && s->count + 1 > s->mask) {
        ht_spin_unlock(&s->lock);
        return -1;
    }
    uint32_t i = (uint32_t)h & s->mask;
    for (; s->slots[i].addr; i = (i + 1) & s->mask)
        if (s->slots[i].addr == r->addr) {
            *old = s->slots[i];
            rc = 1;
            break;
        }
    if (!rc) {
        s->count++;
        __atomic_add_fetch(&side_count, 1, __ATOMIC_RELAXED);
    }
    s->slots[i] = *r;
    ht_spin_unlock(&s->lock);
    return rc;
}

static int side_take(uintptr_t addr, struct custom_record *out)
{
    uint64_t h = hash_addr(addr);
    struct stripe *s = stripe_of(h);
    ht_spin_lock(&s->lock);
    if (!s->mask) {
        ht_spin_unlock(&s->lock);
        return 0;
    }
    uint32_t mask = s->mask, i = (uint32_t)h & mask;
    for (; s->slots[i].addr != addr; i = (i + 1) & mask)
        if (!s->slots[i].addr) {
            ht_spin_unlock(&s->lock);
            return 0;
        }
    *out = s->slots[i];
    /* Backward-shift deletion: move later members of the run into the
     * hole when their home slot allows it, so no tombstones pile up. */
    for (uint32_t j = (i + 1) & mask; s->slots[j].addr; j = (j + 1) & mask) {
        uint32_t home = (uint32_t)hash_addr(s->slots[j].addr) & mask;
        if (((j - home) & mask) >= ((j - i) & mask)) {
            s->slots[i] = s->slots[j];
            i = j;
        }
    }
    s->slots[i].addr = 0;
    s->count--;
    __atomic_sub_fetch(&side_count, 1, __ATOMIC_RELAXED);
    ht_spin_unlock(&s->lock);
    return 1;
}

/* The radix cell of ADDR if its leaf exists (MAKE: creating it). */
static uint32_t *cell_of(uintptr_t a, int make)
{
    uint32_t *c = addr_radix_find(&cells, a, 2);
    if (!c && make)
        c = addr_radix_make(&cells, a);
    return c;
}

static int cell_take(uintptr_t a, struct custom_record *out)
{
    uint32_t *c = addr_radix_covers(a) ? cell_of(a, 0) : NULL;
    uint32_t v = c ? HT_LOAD(c) : 0;
    if (!v)
        return 0;
    HT_STORE(c, 0);
    out->addr = a;
    out->size = v >> CELL_TYPE_BITS;
    out->type = (uint16_t)(v & ((1u << CELL_TYPE_BITS) - 1));
    out->pool = 0;
    out->site = 0;
    return 1;
}

int custom_map_put(const struct custom_record *r, struct custom_record *old)
{
    uintptr_t a = r->addr;
    int fits = addr_radix_covers(a) && !r->pool && !r->site && r->size < CELL_SIZE_LIMIT &&
               r->type < (1u << CELL_TYPE_BITS);
    uint32_t *c = fits ? cell_of(a, 1) : NULL;
    if (c) {
        int rc = cell_take(a, old);
        if (!rc && HT_LOAD(&side_count))
            rc = side_take(a, old);
        HT_STORE(c, (uint32_t)r->type | (uint32_t)r->size << CELL_TYPE_BITS);
        return rc;
    }
    /* One record per address: a stale cell at A goes when A moves aside. */
    if (cell_take(a, old)) {
        side_put(r, old);
        return 1;
    }
    return side_put(r, old);
}

int custom_map_take(uintptr_t addr, struct custom_record *out)
{
    if (cell_take(addr, out))
        return 1;
    return HT_LOAD(&side_count) ? side_take(addr, out) : 0;
}

uint64_t custom_map_resident_bytes(void)
{
    uint64_t total = addr_radix_resident(&cells);
    for (unsigned i = 0; i < STRIPES; i++) {
        uint32_t mask = HT_LOAD(&stripes[i].mask);
        if (mask)
            total += table_bytes(mask + 1);
    }
    return total;
}

void custom_map_lock_for_fork(void)
{
    for (unsigned i = 0; i < STRIPES; i++)
        ht_spin_lock(&stripes[i].lock);
}

void custom_map_unlock_after_fork(void)
{
    for (unsigned i = STRIPES; i-- > 0;)
        ht_spin_unlock(&stripes[i].lock);
}
