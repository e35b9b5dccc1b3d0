/* The heap over time: samples of the live figures taken every so many
 * bytes allocated, for massif-style output.
 *
 * With HEAPTAG_TIMELINE=ms, samples are taken every so many milliseconds
 * instead, checked as allocations happen.  When the sample buffer fills,
 * every other sample is dropped and the interval doubles, so any run fits
 * in a bounded buffer with even spacing.  With stacks on, some samples
 * carry a detailed snapshot (live bytes per call site), and every 1% rise
 * of the peak copies each site's live bytes into its live_at_peak, as
 * massif does for its peak snapshot. */
#ifndef HT_TIMELINE_H
#define HT_TIMELINE_H
#include "ht_common.h"
#include "stats.h"

struct timeline_sample {
    int64_t t_bytes; /* bytes allocated (cumulative) when taken */
    int64_t t_ms;    /* milliseconds since start */
    int64_t live_bytes;
    int64_t live_usable;
    int64_t live_blocks;
    int64_t detail; /* offset of its detailed snapshot in the log, or -1 */
};

extern HT_HIDDEN int64_t timeline_allocated;
extern HT_HIDDEN int64_t timeline_next;      /* t_bytes (or ms check point) of the next sample */
extern HT_HIDDEN int64_t peak_snapshot_next; /* total live bytes that trigger a peak copy */

void timeline_init(int unit_ms);
void timeline_sample(void);
/* LIVE: the process's new peak of live bytes. */
void timeline_peak_snapshot(int64_t live);

/* With several threads, each adds its allocations to the shared clock in
 * batches of timeline_batch bytes, so the clock costs no shared write per
 * allocation: a sixteenth of the sampling interval (at least 16 KiB, at
 * most 1 MiB), so that sample times are exact to within 1/16 of an
 * interval per thread however long the run.  (A fixed 16 KiB made the
 * clock's atomic add 2% of a two-thread churn's time.) */
#define TIMELINE_BATCH_MIN 16384
#define TIMELINE_BATCH_MAX (1 << 20)
extern HT_HIDDEN int64_t timeline_batch;
extern HT_HIDDEN __thread int64_t timeline_pending;

/* Advance the clock; 1 if a sample is due (the caller takes it with
 * timeline_sample(), so a hot path can keep the call out of line). */
static inline __attribute__((always_inline)) int timeline_tick(int mt, size_t requested)
{
    int64_t t;
    if (!mt) {
        t = HT_LOAD(&timeline_allocated) + (int64_t)requested;
        HT_STORE(&timeline_allocated, t);
    } else {
        int64_t pending = timeline_pending + (int64_t)requested;
        if (pending < HT_LOAD(&timeline_batch)) {
            timeline_pending = pending;
            return 0;
        }
        timeline_pending = 0;
        t = __atomic_add_fetch(&timeline_allocated, pending, __ATOMIC_RELAXED);
    }
    return HT_UNLIKELY(t >= HT_LOAD(&timeline_next));
}

static inline void timeline_note_alloc(int mt, size_t requested)
{
    if (timeline_tick(mt, requested))
        timeline_sample();
}

/* Resident bytes of the samples and the detail log. */
uint64_t timeline_resident_bytes(void);
/* Accessors for the report writer. */
int timeline_unit_ms(void);
int64_t timeline_interval(void);
/* A consistent copy of the samples into OUT (room for TIMELINE_MAX_SAMPLES),
 * or 0 samples if none could be had: sampling runs in place (thinning moves
 * samples), and a report may interrupt it on the same thread. */
#define TIMELINE_MAX_SAMPLES 512
uint32_t timeline_copy(struct timeline_sample *out);
/* The detailed snapshot at OFFSET: *count pairs of (site id, live bytes). */
const int64_t *timeline_detail(int64_t offset, uint32_t *count);
#endif
