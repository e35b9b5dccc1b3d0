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
    double alloc_w, alloc_bytes, free_w;
    double var_alloc_w, var_alloc_bytes;
    double live_w, live_bytes, live_usable;
    double var_live_w, var_live_bytes;
    double peak_live_bytes, peak_live_usable, peak_live_w;
    double live_at_peak; /* sites: live_bytes when the process's estimate last peaked */
    double hist[SIZE_HIST_BUCKETS];
    int64_t samples;            /* sampled blocks, ever */
} __attribute__((aligned(64))); /* whole lines: written at sampled events only */

static inline void est_born(struct sample_est *e, const struct sample_rec *r)
{
    double w = r->weight, s = (double)r->requested, u = (double)r->usable;
    double vw = w * (w - 1);
    e->samples++;
    e->alloc_w += w;
    e->alloc_bytes += s * w;
    e->var_alloc_w += vw;
    e->var_alloc_bytes += s * s * vw;
    e->hist[size_bucket(r->requested)] += w;
    e->live_w += w;
    e->live_bytes += s * w;
    e->live_usable += u * w;
    e->var_live_w += vw;
    e->var_live_bytes += s * s * vw;
    if (e->live_bytes > e->peak_live_bytes)
        e->peak_live_bytes = e->live_bytes;
    if (e->live_usable > e->peak_live_usable)
        e->peak_live_usable = e->live_usable;
    if (e->live_w > e->peak_live_w)
        e->peak_live_w = e->live_w;
}

static inline void est_died(struct sample_est *e, const struct sample_rec *r)
{
    double w = r->weight, s = (double)r->requested, u = (double)r->usable;
    double vw = w * (w - 1);
    e->free_w += w;
    e->live_w -= w;
    e->live_bytes -= s * w;
    e->live_usable -= u * w;
    e->var_live_w -= vw;
    e->var_live_bytes -= s * s * vw;
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
