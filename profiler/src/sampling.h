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

/* Mean bytes between samples; 0 when the mode is off (exact mode). */
extern HT_HIDDEN int64_t sample_mean;
/* Bytes left before this thread's next sample point; <= 0 means "draw
 * one" (a new thread starts at 0). */
extern HT_HIDDEN __thread int64_t sample_left;

/* The free filter: one bit per hash of a block address, set while some
 * live sampled block hashes there (sample_table.c keeps the counts behind
 * the bits).  A clear bit means "certainly not sampled".  4 KiB: it stays
 * in the L1 cache of a program that frees at random addresses, where a
 * larger table cost a cache miss per free. */
#define SAMPLE_FILTER_BITS 15
extern HT_HIDDEN uint64_t sample_filter[(1u << SAMPLE_FILTER_BITS) / 64];

static inline uint32_t sample_filter_slot(const void *p)
{
    return (uint32_t)(((uintptr_t)p >> 4) * 0x9e3779b97f4a7c15ULL >> (64 - SAMPLE_FILTER_BITS));
}

static inline int sample_maybe(const void *p)
{
    uint32_t h = sample_filter_slot(p);
    return (int)(HT_LOAD(&sample_filter[h >> 6]) >> (h & 63)) & 1;
}

/* Read HEAPTAG_SAMPLE (and _SEED); set up stacks.  Called once from
 * tracker_early_init, after settings_load. */
void sample_init(void);

/* The slow paths (sampling.c). */
void sample_take(void *p, size_t requested, uint32_t inherited);
void sample_free_slow(void *p);
void *sample_realloc(void *p, size_t size);

/* A new block of `requested` bytes at p.  `inherited` as in track_new. */
static inline __attribute__((always_inline)) void sample_note_alloc(void *p, size_t requested,
                                                                    uint32_t inherited)
{
    int64_t left = sample_left - (int64_t)requested;
    if (HT_LIKELY(left > 0)) {
        sample_left = left;
        return;
    }
    sample_take(p, requested, inherited);
}

/* free(p) in sampled mode.  Bootstrap blocks have their filter bits set
 * for good (sample_init), so the slow path is where they are told apart. */
static inline __attribute__((always_inline)) void sample_free(void *p)
{
    if (HT_UNLIKELY(!p))
        return;
    if (HT_LIKELY(!sample_maybe(p)))
        next.free(p);
    else
        sample_free_slow(p);
}

void *sample_malloc_slow(size_t size);

/* malloc in sampled mode.  The countdown runs before the allocator is
 * called, so an unsampled malloc ends in a tail call to it: no frame,
 * nothing after.  (A failed allocation still counts its bytes; the sample
 * points stay a Poisson process over the bytes of the blocks that exist.) */
static inline __attribute__((always_inline)) void *sample_malloc(size_t size)
{
    int64_t left = sample_left - (int64_t)size;
    if (HT_LIKELY(left > 0)) {
        sample_left = left;
        return next.malloc(size);
    }
    return sample_malloc_slow(size);
}


/* heaptag_retag of a sampled block: 0 if it was sampled, -1 if not. */
int sample_retag(void *p, uint32_t type);
void sample_lock_for_fork(void);
void sample_unlock_after_fork(void);
#endif
