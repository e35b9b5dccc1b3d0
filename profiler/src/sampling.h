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

/* What every hook of every thread reads: written once, by sample_init,
 * before any hook can see `mean` set.  One cache line of its own, holding
 * everything an unsampled call reads but its filter word and its thread's
 * countdown: the mode, copies of the next allocator's three entry points
 * and where the countdown lies from the thread pointer (the TLS offset the
 * GOT would give, read from this line instead of another).  No variable
 * written at sampled events (the lock, the estimates, the table's counts,
 * all padded to whole lines too) can share it: the unsampled paths read
 * no line another thread writes but the filter's. */
struct sample_ro {
    int64_t mean; /* mean bytes between samples; 0 when the mode is off */
    void *(*malloc)(size_t);
    void (*free)(void *);
    void *(*realloc)(void *, size_t);
    intptr_t left_at; /* &sample_left - thread pointer, the same in every thread */
} __attribute__((aligned(64)));
extern HT_HIDDEN struct sample_ro sample_ro;
#define sample_mean (sample_ro.mean)

/* Bytes left before this thread's next sample point, always >= 1 once
 * drawn; 0 means "draw one" (a new thread starts at 0).  Unsigned, so that
 * one compare `size < left` is the whole test, for every size.  The hooks
 * reach it through sample_ro.left_at (initial-exec TLS is static: one
 * offset serves every thread). */
extern HT_HIDDEN __thread uint64_t sample_left;
#define SAMPLE_LEFT (*(uint64_t __seg_fs *)sample_ro.left_at)

/* The free filter, in two levels.  sample_filter has one bit per hash
 * slot of a block address (32768 slots, 4 KiB), set while some live
 * sampled block hashes there (sample_table.c keeps the counts behind the
 * bits, and writes a word only when a bit changes).  sample_summary has
 * one bit per word of it (512 bits: one cache line), set while that word
 * is not zero.  A clear bit at either level means "certainly not sampled".
 * The hooks read the summary first: one line, touched by every free and
 * realloc, so it stays in the L1 cache even in a program whose copies
 * sweep it (realloc_grow), where a word of the 64-line filter was a miss
 * to L3 on most reallocs.  While fewer than a few hundred sampled blocks
 * are live, most summary bits are clear and the filter is not read. */
#define SAMPLE_FILTER_BITS 15
extern HT_HIDDEN uint64_t sample_filter[(1u << SAMPLE_FILTER_BITS) / 64];
extern HT_HIDDEN uint64_t sample_summary[(1u << SAMPLE_FILTER_BITS) / 64 / 64];

/* The top bits of a 64-bit multiplicative hash of the address itself (its
 * low bits are zero for 16-aligned blocks, which multiplying leaves as
 * harmless as shifting them out, one instruction cheaper).  The top
 * SAMPLE_FILTER_BITS bits are the slot; the top 9 of them, the filter's
 * word and the summary's bit. */
static inline uint64_t sample_filter_hash(const void *p)
{
    return (uintptr_t)p * 0x9e3779b97f4a7c15ULL;
}

static inline uint32_t sample_filter_slot(const void *p)
{
    return (uint32_t)(sample_filter_hash(p) >> (64 - SAMPLE_FILTER_BITS));
}

static inline int sample_maybe(const void *p)
{
    uint64_t h = sample_filter_hash(p);
    uint32_t w = (uint32_t)(h >> (64 - SAMPLE_FILTER_BITS + 6)); /* the filter's word */
    if (HT_LIKELY(!((HT_LOAD(&sample_summary[w >> 6]) >> (w & 63)) & 1)))
        return 0;
    return (int)(HT_LOAD(&sample_filter[w]) >> ((h >> (64 - SAMPLE_FILTER_BITS)) & 63)) & 1;
}

/* Read HEAPTAG_SAMPLE (and _SEED); set up stacks.  Called once from
 * tracker_early_init, after settings_load. */
void sample_init(void);

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
    uint64_t left = SAMPLE_LEFT;
    if (HT_LIKELY(requested < left)) {
        SAMPLE_LEFT = left - requested;
        return;
    }
    sample_take(p, requested, inherited);
}

/* free(p) in sampled mode: one filter bit.  NULL's bit and the bootstrap
 * blocks' bits are set for good (sample_init), so free(NULL) and the
 * bootstrap blocks go the slow path, where they are told apart, and the
 * common case tests nothing else. */
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
    uint64_t left = SAMPLE_LEFT;
    if (HT_LIKELY(size < left)) {
        SAMPLE_LEFT = left - size;
        return sample_ro.malloc(size);
    }
    return sample_malloc_slow(size);
}

/* realloc in sampled mode: a free of the old block and an allocation of
 * the new size, as in exact mode (ADR-0010 says why the whole new size is
 * charged).  An old block the filter clears and a countdown that does not
 * run out end in a tail call to the allocator.  NULL and the bootstrap
 * blocks have their bits set for good: the slow path tells them apart. */
static inline __attribute__((always_inline)) void *sample_realloc(void *p, size_t size)
{
    if (HT_UNLIKELY(sample_maybe(p)))
        return sample_realloc_maybe(p, size);
    uint64_t left = SAMPLE_LEFT;
    if (HT_LIKELY(size < left)) {
        SAMPLE_LEFT = left - size;
        return sample_ro.realloc(p, size);
    }
    return sample_realloc_slow(p, size);
}

/* heaptag_retag of a sampled block: 0 if it was sampled, -1 if not. */
int sample_retag(void *p, uint32_t type);
void sample_lock_for_fork(void);
void sample_unlock_after_fork(void);
#endif
