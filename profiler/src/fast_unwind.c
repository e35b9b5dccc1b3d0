/* The stack walk of fast_unwind.h, and the table of rules behind it.
 *
 * The table is shared by all threads and filled as frames are met.  A
 * slot, once its address is published, never changes, so readers take no
 * lock; a writer claims an empty slot with a compare-and-swap, writes the
 * rule, then publishes the address.  No lock means nothing for a fork or a
 * signal handler to find held.
 *
 * A dlclose can unmap a module and a later dlopen map another at the same
 * addresses, with other rules.  So dlclose (interposed here) retires the
 * table: a walk that starts while one runs gives up, a walk that a
 * dlclose's start overtakes sees the generation change and gives up, and
 * afterwards a fresh table is filled.  A retired table is not unmapped
 * (a walk may still be reading it); after RETIRED_MAX of them the walk
 * stays off and libunwind takes every stack. */
#include "fast_unwind.h"
#include "cfi_rule.h"
#include "os_mem.h"
#include <dlfcn.h>
#include <stdint.h>

/* The table starts at 2^FIRST_BITS slots and, half full, is replaced by
 * one twice its size, up to 2^LAST_BITS (4 MiB). */
#define FIRST_BITS 12
#define LAST_BITS 18
#define PROBES 8
#define RETIRED_MAX 64
/* A slot being written: a code address is never 1. */
#define CLAIMED ((uintptr_t)1)
/* A caller's frame is above its callee's, and not absurdly far. */
#define FRAME_MAX ((uintptr_t)1 << 30)

struct slot {
    uintptr_t pc;
    struct cfi_rule rule;
};

struct rule_table {
    unsigned bits;
    unsigned filled;
    struct slot slot[];
};

static struct rule_table *table;
static unsigned generation; /* dlcloses begun */
static unsigned closing;    /* dlcloses running */
static unsigned retired;    /* tables dlclose threw away */

/* A table of 2^bits slots, as mapped (and unmapped). */
static size_t table_bytes(unsigned bits)
{
    return sizeof(struct rule_table) + ((size_t)1 << bits) * sizeof(struct slot);
}

static struct rule_table *table_new(unsigned bits)
{
    struct rule_table *t = os_mem_map(table_bytes(bits));
    if (t)
        t->bits = bits;
    return t;
}

int fast_unwind_init(void)
{
    if (__atomic_load_n(&table, __ATOMIC_ACQUIRE) || retired)
        return 0; /* already, or retired for good after dlcloses */
    struct rule_table *t = table_new(FIRST_BITS);
    __atomic_store_n(&table, t, __ATOMIC_RELEASE);
    return t ? 0 : -1;
}

/* Half full: a table twice the size takes its place, empty (its rules are
 * read again as frames are met).  The old one stays mapped, for walks
 * still reading it; the sizes add up to less than twice the last. */
static void table_grow(struct rule_table *t)
{
    if (t->bits >= LAST_BITS)
        return;
    struct rule_table *bigger = table_new(t->bits + 1);
    if (bigger &&
        !__atomic_compare_exchange_n(&table, &t, bigger, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
        os_mem_unmap(bigger, table_bytes(bigger->bits));
}

/* A rule not in the table: read from the CFI, then kept in the first
 * free slot of pc's neighbourhood (h: its first slot). */
static __attribute__((noinline)) struct cfi_rule rule_miss(struct rule_table *t, uintptr_t pc,
                                                           uint32_t h)
{
    uint32_t mask = (1u << t->bits) - 1;
    struct cfi_rule r = cfi_rule_at(pc);
    for (unsigned i = 0; i < PROBES; i++) {
        struct slot *s = &t->slot[(h + i) & mask];
        uintptr_t expect = 0;
        if (__atomic_compare_exchange_n(&s->pc, &expect, CLAIMED, 0, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
            s->rule = r;
            __atomic_store_n(&s->pc, pc, __ATOMIC_RELEASE);
            if (__atomic_add_fetch(&t->filled, 1, __ATOMIC_RELAXED) == (mask + 1) / 2)
                table_grow(t);
            break;
        }
        if (expect == pc)
            break; /* another thread put it there meanwhile */
    }
    return r; /* a full neighbourhood keeps nothing: the next walk reads the CFI again */
}

/* The rule at pc, from the table (mask is the table's) or else from the
 * CFI.  The hash is the top half of a multiply, taken by the mask. */
static inline struct cfi_rule rule_for(struct rule_table *t, uint32_t mask, uintptr_t pc)
{
    uint32_t h = (uint32_t)((pc * 0x9e3779b97f4a7c15ull) >> 32) & mask;
    for (unsigned i = 0; i < PROBES; i++) {
        const struct slot *s = &t->slot[(h + i) & mask];
        uintptr_t at = __atomic_load_n(&s->pc, __ATOMIC_ACQUIRE);
        if (HT_LIKELY(at == pc))
            return s->rule;
        if (at == 0)
            break;
    }
    return rule_miss(t, pc, h);
}

/* Not inlined: its own frame is where the walk starts, from registers the
 * compiler keeps for it (this file is built with frame pointers). */
__attribute__((noinline)) int fast_backtrace(void **raw, int max)
{
    unsigned gen = __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
    if (__atomic_load_n(&closing, __ATOMIC_ACQUIRE))
        return -1;
    struct rule_table *t = __atomic_load_n(&table, __ATOMIC_ACQUIRE);
    if (!t)
        return -1;
    uint32_t mask = (1u << t->bits) - 1;
    uintptr_t *frame = __builtin_frame_address(0);
    uintptr_t ip = (uintptr_t)__builtin_return_address(0);
    uintptr_t sp = (uintptr_t)(frame + 2); /* above our saved rbp and return address */
    uintptr_t bp = frame[0];
    int n = 0;
    while (n < max && ip) {
        raw[n++] = (void *)ip;
        /* The call instruction's row: the return address may already be
         * past the end of a function that does not return. */
        struct cfi_rule r = rule_for(t, mask, ip - 1);
        if (HT_UNLIKELY(r.kind != CFI_STEP)) {
            /* A frame without CFI is the last if its rbp is 0 (the end
             * of a frame-pointer chain, as in the loader's
             * _dl_start_user, below every library constructor):
             * libunwind, which guesses such a frame's caller from rbp,
             * stops there too. */
            if (r.kind == CFI_LAST || (r.kind == CFI_NONE && bp == 0))
                break;
            return -1;
        }
        uintptr_t cfa = (r.cfa_on_bp ? bp : sp) + (uintptr_t)(intptr_t)r.cfa_off;
        if (HT_UNLIKELY(cfa - sp - 1 >= FRAME_MAX)) /* cfa <= sp, or too far above */
            return -1;
        ip = ((const uintptr_t *)cfa)[-1];
        if (r.bp_off != CFI_BP_SAME)
            bp = *(const uintptr_t *)(cfa + (intptr_t)r.bp_off);
        sp = cfa;
    }
    if (__atomic_load_n(&generation, __ATOMIC_ACQUIRE) != gen)
        return -1;
    return n;
}

/* dlclose: the rules of an unloaded module must not outlive it. */
HT_EXPORT int dlclose(void *handle)
{
    static int (*next_dlclose)(void *);
    int (*real)(void *) = __atomic_load_n(&next_dlclose, __ATOMIC_ACQUIRE);
    if (!real) {
        real = (int (*)(void *))dlsym(RTLD_NEXT, "dlclose");
        if (!real)
            return -1;
        __atomic_store_n(&next_dlclose, real, __ATOMIC_RELEASE);
    }
    struct rule_table *old = __atomic_load_n(&table, __ATOMIC_ACQUIRE);
    if (!old)
        return real(handle);
    /* closing before generation: a walk that sees the new generation
     * also sees closing set. */
    __atomic_add_fetch(&closing, 1, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&generation, 1, __ATOMIC_SEQ_CST);
    int rc = real(handle);
    struct rule_table *fresh = NULL;
    if (__atomic_add_fetch(&retired, 1, __ATOMIC_RELAXED) < RETIRED_MAX)
        fresh = table_new(old->bits);
    __atomic_store_n(&table, fresh, __ATOMIC_RELEASE);
    __atomic_sub_fetch(&closing, 1, __ATOMIC_SEQ_CST);
    return rc;
}
