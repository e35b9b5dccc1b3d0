/* Sampled mode's estimates: Horvitz-Thompson sums over the sampled blocks
 * of one type, one call site or the whole process.
 *
 * A block of size s sampled with probability p has weight w = 1/p; sum(w)
 * estimates calls, sum(s*w) bytes, and sum(s^2*w*(w-1)) is an unbiased
 * estimate of the variance of sum(s*w) (sum(w*(w-1)) of sum(w)), because
 * blocks are sampled independently (the sample points are a Poisson
 * process).  Updated under sample_lock only; reports read them without
 * it. */
#ifndef HT_SAMPLE_EST_H
#define HT_SAMPLE_EST_H
#include "ht_common.h"
#include "sample_table.h"
#include "stats.h"

struct sample_est {
    int64_t samples; /* sampled blocks, ever */
    double alloc_w, alloc_bytes, free_w;
    double var_alloc_w, var_alloc_bytes;
    double live_w, live_bytes, live_usable;
    double var_live_w, var_live_bytes;
    double peak_live_bytes, peak_live_usable, peak_live_w;
    double live_at_peak; /* sites: live_bytes when the process's estimate last peaked */
    double hist[SIZE_HIST_BUCKETS];
} __attribute__((aligned(64))); /* whole lines: written at sampled events only */

/* What one sampled block adds to (or takes from) each of its three
 * estimate sets, worked out once per event instead of once per set. */
struct est_delta {
    double w, sw, uw, vw, ssvw;
    unsigned bucket;
};

static inline struct est_delta est_delta_of(const struct sample_rec *r)
{
    double w = r->weight, s = (double)r->requested, u = (double)r->usable;
    double vw = w * (w - 1);
    return (struct est_delta){
        .w = w, .sw = s * w, .uw = u * w, .vw = vw, .ssvw = s * s * vw,
        .bucket = size_bucket(r->requested)};
}

static inline void est_born(struct sample_est *e, struct est_delta d)
{
    e->samples++;
    e->alloc_w += d.w;
    e->alloc_bytes += d.sw;
    e->var_alloc_w += d.vw;
    e->var_alloc_bytes += d.ssvw;
    e->hist[d.bucket] += d.w;
    e->live_w += d.w;
    e->live_bytes += d.sw;
    e->live_usable += d.uw;
    e->var_live_w += d.vw;
    e->var_live_bytes += d.ssvw;
    if (e->live_bytes > e->peak_live_bytes)
        e->peak_live_bytes = e->live_bytes;
    if (e->live_usable > e->peak_live_usable)
        e->peak_live_usable = e->live_usable;
    if (e->live_w > e->peak_live_w)
        e->peak_live_w = e->live_w;
}

static inline void est_died(struct sample_est *e, struct est_delta d)
{
    e->free_w += d.w;
    e->live_w -= d.w;
    e->live_bytes -= d.sw;
    e->live_usable -= d.uw;
    e->var_live_w -= d.vw;
    e->var_live_bytes -= d.ssvw;
}

/* est_died undone (a realloc that failed after its block was forgotten):
 * the same sums, give or take the last bit of rounding. */
static inline void est_revived(struct sample_est *e, struct est_delta d)
{
    e->free_w -= d.w;
    e->live_w += d.w;
    e->live_bytes += d.sw;
    e->live_usable += d.uw;
    e->var_live_w += d.vw;
    e->var_live_bytes += d.ssvw;
}

/* The estimates of type t, site id, and the whole process (NULL if none
 * were ever made). */
struct sample_est *sample_est_type(uint32_t t);
struct sample_est *sample_est_site(uint32_t id);
extern HT_HIDDEN struct sample_est sample_est_total;
/* Sampled blocks that could not be recorded (no memory for the table). */
extern HT_HIDDEN int64_t sample_dropped;
extern HT_HIDDEN uint64_t sample_seed;
#endif
