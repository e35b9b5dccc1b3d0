/* Sampled mode (HEAPTAG_SAMPLE=BYTES; docs/adr/0010-sampled-mode.md).
 *
 * Allocated bytes are cut into a Poisson process of mean BYTES: each
 * thread counts down the bytes to its next sample point, drawn from an
 * exponential distribution, and a block is sampled when a point falls
 * inside it (probability p = 1 - exp(-size/BYTES)).  Only sampled blocks
 * are recorded (sample_table.c), each with its weight 1/p; the report
 * gives Horvitz-Thompson estimates and their 95% error bounds.
 *
 * The hot paths here are inline and touch only this thread's countdown
 * (malloc) or one byte of a small counting filter (free): an unsampled
 * block is never looked up anywhere. */
#ifndef HT_SAMPLING_H
#define HT_SAMPLING_H
#include "ht_common.h"
#include "next_alloc.h"
#include <stddef.h>

/* What every hook of every thread reads: one cache line of its own,
 * holding everything an unsampled call reads but its thread's countdown:
 * the mode, copies of the next allocator's three entry points, where the
 * countdown lies from the thread pointer (the TLS offset the GOT would
 * give, read from this line instead of another), and the free filter's
 * first level.  All but `hint` are written once, by sample_init, before
 * any hook can see `mean` set.  `hint` is written only when a filter word
 * turns empty or non-empty (at some sampled births and deaths, a few per
 * megabyte allocated), so the line stays in every core's cache between
 * them.  Nothing else written at sampled events (the lock, the estimates,
 * the table's counts, all padded to whole lines) shares it. */
struct sample_ro {
    int64_t mean; /* mean bytes between samples; 0 when the mode is off */
    void *(*malloc)(size_t);
    void (*free)(void *);
    void *(*realloc)(void *, size_t);
    intptr_t left_at; /* &sample_left - thread pointer, the same in every thread */
    uint64_t hint;    /* the filter's first level (below) */
} __attribute__((aligned(64)));
extern HT_HIDDEN struct sample_ro sample_ro;
#define sample_mean (sample_ro.mean)

/* Bytes left before this thread's next sample point, always >= 1 once
 * drawn; 0 means "draw one" (a new thread starts at 0).  Unsigned, so that
 * one subtraction's flags are the whole test, for every size
 * (sample_count_down).  The hooks reach it through sample_ro.left_at
 * (initial-exec TLS is static: one offset serves every thread). */
extern HT_HIDDEN __thread uint64_t sample_left;

/* Count size down from this thread's bytes left: 1 while the next sample
 * point is not reached (size < left), else 0.  One subtraction into the
 * countdown's memory, whose flags give the answer: four instructions
 * with the hook's jump, where a load, compare and store take seven.  At 0
 * the countdown holds left - size (wrapped): the slow path draws the next
 * distance, or gives size back when the allocation failed. */
static inline __attribute__((always_inline)) int sample_count_down(size_t size)
{
    asm goto("subq %0, %%fs:(%1)\n\t"
             "jbe %l[reached]"
             :
             : "r"(size), "r"(sample_ro.left_at)
             : "cc", "memory"
             : reached);
    return 1;
reached:
    return 0;
}

/* The free filter, in two levels, indexed by the address's own bits.
 * sample_filter has one bit per 16-byte slot of a 512 KiB stripe (bits
 * 4-18 of the address; 32768 bits, 4 KiB), set while some live sampled
 * block starts there (sample_table.c keeps the counts behind the bits and
 * writes a word only when a bit changes).  sample_ro.hint has one bit per
 * 8 KiB of the stripe (bits 13-18: eight words of the filter), set while
 * one of its words is not zero.  A clear bit at either level means
 * "certainly not sampled".
 *
 * The common free reads the hint, on the line it reads anyway, and
 * nothing else: five instructions and no second cache line.  While fewer
 * than a few live sampled blocks exist (a steady heap under a megabyte or
 * two, at the default mean) nearly every hint bit is clear; in a heap of
 * hundreds of them the filter's word decides, one more load.  Address
 * bits, not a hash: heap blocks are dense, so neighbours fall in
 * different slots and only blocks a multiple of 512 KiB apart share one,
 * and the bootstrap blocks pinned below (sample_init) set one hint bit,
 * not dozens. */
#define SAMPLE_FILTER_BITS 15
extern HT_HIDDEN uint64_t sample_filter[(1u << SAMPLE_FILTER_BITS) / 64];

static inline uint32_t sample_filter_slot(const void *p)
{
    return (uint32_t)((uintptr_t)p >> 4) & ((1u << SAMPLE_FILTER_BITS) - 1);
}

/* Which hint bit covers filter word w. */
#define SAMPLE_HINT_OF_WORD(w) ((w) >> 3)

static inline int sample_maybe(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    /* x86 shifts take their count modulo 64: `& 63` costs nothing. */
    if (HT_LIKELY(!((HT_LOAD(&sample_ro.hint) >> ((a >> 13) & 63)) & 1)))
        return 0;
    return (int)(HT_LOAD(&sample_filter[(a >> 10) & ((1u << SAMPLE_FILTER_BITS) / 64 - 1)]) >>
                 ((a >> 4) & 63)) &
           1;
}

/* Read HEAPTAG_SAMPLE (and _SEED); set up stacks.  Called once from
 * tracker_early_init, after settings_load. */
void sample_init(void);
/* Whether HEAPTAG_SAMPLE asks for sampled mode (set, and not "0"; a bad
 * value asks for it at the default mean), for what must be settled before
 * sample_init runs. */
int sample_requested(void);

/* The slow paths (sampling.c). */
void sample_take(void *p, size_t requested, uint32_t inherited);
void sample_free_slow(void *p);
void *sample_malloc_slow(size_t size);
void *sample_realloc_slow(void *p, size_t size);
void *sample_realloc_maybe(void *p, size_t size);

/* A new block of `requested` bytes at p.  `inherited` as in track_new. */
static inline __attribute__((always_inline)) void sample_note_alloc(void *p, size_t requested,
                                                                    uint32_t inherited)
{
    if (HT_UNLIKELY(!sample_count_down(requested)))
        sample_take(p, requested, inherited); /* draws the next distance */
}

/* free(p) in sampled mode: one filter bit.  The bootstrap blocks' bits are
 * set for good (sample_init), so they go the slow path, where they are told
 * apart, and the common case tests nothing else; free(NULL) reaches the
 * allocator's free, which ignores it, or the slow path, which does. */
static inline __attribute__((always_inline)) void sample_free(void *p)
{
    if (HT_LIKELY(!sample_maybe(p)))
        sample_ro.free(p);
    else
        sample_free_slow(p);
}

/* malloc in sampled mode.  The countdown runs before the allocator is
 * called, so an unsampled malloc ends in a tail call to it: no frame,
 * nothing after.  (A failed allocation still counts its bytes; the sample
 * points stay a Poisson process over the bytes of the blocks that exist.) */
static inline __attribute__((always_inline)) void *sample_malloc(size_t size)
{
    if (HT_LIKELY(sample_count_down(size)))
        return sample_ro.malloc(size);
    return sample_malloc_slow(size);
}

/* realloc of a block known not to be sampled, or of NULL: its new size
 * counted down, then the allocator, or the slow path at a sample point. */
static inline __attribute__((always_inline)) void *sample_realloc_unsampled(void *p, size_t size)
{
    if (HT_LIKELY(sample_count_down(size)))
        return sample_ro.realloc(p, size);
    return sample_realloc_slow(p, size);
}

/* realloc in sampled mode: a free of the old block and an allocation of
 * the new size, as in exact mode (ADR-0010 says why the whole new size is
 * charged).  An old block the filter clears and a countdown that does not
 * run out end in a tail call to the allocator.  realloc(NULL, n) there is
 * the allocator's malloc, counted down like one; the bootstrap blocks have
 * their bits set for good: the slow path tells them apart. */
static inline __attribute__((always_inline)) void *sample_realloc(void *p, size_t size)
{
    if (HT_UNLIKELY(sample_maybe(p)))
        return sample_realloc_maybe(p, size);
    return sample_realloc_unsampled(p, size);
}

/* heaptag_retag of a sampled block: 0 if it was sampled, -1 if not. */
int sample_retag(void *p, uint32_t type);
void sample_lock_for_fork(void);
void sample_unlock_after_fork(void);
#endif
