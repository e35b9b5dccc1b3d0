/* The table of sampled blocks (sample_table.h).
 *
 * Deletion shifts later entries of the probe run back instead of leaving
 * tombstones, so lookups stay short however long the program runs. */
#include "sample_table.h"
#include "os_mem.h"
#include "sampling.h"

/* 256 slots (10 KiB) to start: few blocks are live and sampled at once in
 * most programs, and a small table stays in the cache between samples,
 * where a 160 KiB one cost a cache miss per insert and per lookup. */
#define INITIAL_BITS 8

/* Written at sampled events: lines of their own (sampling.h). */
static struct {
    struct sample_rec *slots;
    uint32_t bits;
    uint64_t used;
} __attribute__((aligned(64))) st;

/* Read by the frees whose hint bit is set (sampling.h); whole lines of its
 * own, so nothing else written shares them. */
uint64_t sample_filter[(1u << SAMPLE_FILTER_BITS) / 64] __attribute__((aligned(64)));
/* How many live sampled blocks start in each filter bit's slot: one byte each (32
 * KiB, fewer cache misses per sample than 128 KiB of 32-bit counts).  A
 * count that reaches 255 stays there and its bit stays set: a few more
 * false positives, never a sampled block the filter misses. */
#define COUNT_STUCK 255
static uint8_t filter_counts[1u << SAMPLE_FILTER_BITS] __attribute__((aligned(64)));
/* How many of each hint bit's eight filter words are not zero, so that a
 * word turning empty clears the hint without reading the other seven. */
static uint8_t words_set[64];

static inline uint64_t home(uintptr_t a, uint32_t b)
{
    return ((uint64_t)(a >> 4) * 0xd6e8feb86659fd93ULL) >> (64 - b);
}

static inline __attribute__((always_inline)) void filter_add(uintptr_t a, int d)
{
    uint32_t h = sample_filter_slot((const void *)a);
    if (filter_counts[h] == COUNT_STUCK)
        return;
    uint32_t n = filter_counts[h] = (uint8_t)(filter_counts[h] + d);
    /* Only a change of the bit writes the word (and takes its line from
     * the caches of the threads that read it). */
    if (n > 1 || (n == 1 && d < 0))
        return;
    uint32_t wi = h >> 6;
    uint64_t *w = &sample_filter[wi], bit = 1ull << (h & 63);
    uint64_t was = HT_LOAD(w), now = n ? was | bit : was & ~bit;
    uint32_t hi = SAMPLE_HINT_OF_WORD(wi);
    uint64_t hbit = 1ull << hi;
    /* Set: the filter's bit before the hint's; cleared: the hint's after
     * all its words are empty.  A reader that sees the hint clear sees the
     * words empty or about to be filled by a block it cannot yet have been
     * handed. */
    HT_STORE(w, now);
    if (!was && now) {
        if (words_set[hi]++ == 0)
            HT_STORE(&sample_ro.hint, HT_LOAD(&sample_ro.hint) | hbit);
    } else if (was && !now) {
        if (--words_set[hi] == 0)
            HT_STORE(&sample_ro.hint, HT_LOAD(&sample_ro.hint) & ~hbit);
    }
}

static inline void put(struct sample_rec *tab, uint32_t b, const struct sample_rec *r)
{
    uint64_t mask = (1ull << b) - 1;
    for (uint64_t i = home(r->addr, b);; i = (i + 1) & mask)
        if (!tab[i].addr) {
            tab[i] = *r;
            return;
        }
}

static int grow(void)
{
    uint32_t nb = st.bits ? st.bits + 1 : INITIAL_BITS;
    if (nb > 30)
        return -1;
    struct sample_rec *n = os_mem_map(sizeof *n << nb);
    if (!n)
        return -1;
    if (st.slots) {
        for (uint64_t i = 0; i < (1ull << st.bits); i++)
            if (st.slots[i].addr)
                put(n, nb, &st.slots[i]);
        os_mem_unmap(st.slots, sizeof *st.slots << st.bits);
    }
    st.slots = n;
    st.bits = nb;
    return 0;
}

int sample_table_insert(const struct sample_rec *r)
{
    if ((!st.slots || (st.used + 1) * 8 > (5ull << st.bits)) && grow() != 0)
        return -1;
    put(st.slots, st.bits, r);
    st.used++;
    filter_add(r->addr, 1);
    return 0;
}

static inline __attribute__((always_inline)) struct sample_rec *find(uintptr_t a)
{
    if (!st.slots)
        return NULL;
    uint64_t mask = (1ull << st.bits) - 1;
    for (uint64_t i = home(a, st.bits);; i = (i + 1) & mask) {
        if (st.slots[i].addr == a)
            return &st.slots[i];
        if (!st.slots[i].addr)
            return NULL;
    }
}

struct sample_rec *sample_table_find(uintptr_t a) { return find(a); }

int sample_table_take(uintptr_t a, struct sample_rec *out)
{
    struct sample_rec *r = find(a);
    if (!r)
        return 0;
    *out = *r;
    uint64_t mask = (1ull << st.bits) - 1;
    uint64_t hole = (uint64_t)(r - st.slots);
    /* Backward-shift deletion: move up every later entry of the run whose
     * home is not between the hole and its own position. */
    for (uint64_t j = (hole + 1) & mask; st.slots[j].addr; j = (j + 1) & mask) {
        uint64_t h = home(st.slots[j].addr, st.bits);
        int movable = hole <= j ? (h <= hole || h > j) : (h <= hole && h > j);
        if (movable) {
            st.slots[hole] = st.slots[j];
            hole = j;
        }
    }
    /* An empty slot is one whose address is 0: the rest may stay. */
    st.slots[hole].addr = 0;
    st.used--;
    filter_add(a, -1);
    return 1;
}

uint64_t sample_table_live(void) { return HT_LOAD(&st.used); }

uint64_t sample_table_bytes(void) { return st.slots ? (sizeof *st.slots << st.bits) : 0; }

void sample_filter_pin(uintptr_t a) { filter_add(a, 1); }
