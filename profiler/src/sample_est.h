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
#include <stddef.h>
#include "sample_table.h"
#include "stats.h"

/* Fields added to together sit in 16-byte pairs (w, bytes), which
 * est_born and est_died update with one SSE2 add each. */
struct sample_est {
    int64_t samples; /* sampled blocks, ever */
    double free_w;
    double alloc_w, alloc_bytes;
    double var_alloc_w, var_alloc_bytes;
    double live_w, live_bytes;
    double var_live_w, var_live_bytes;
    double live_usable;
    double live_at_peak; /* sites: live_bytes when the process's estimate last peaked */
    double peak_live_bytes, peak_live_usable, peak_live_w;
    double hist[SIZE_HIST_BUCKETS];
    uint64_t peak_seq; /* sites: the snapshot of the peak their live_at_peak is current for */
} __attribute__((aligned(64))); /* whole lines: written at sampled events only */

typedef double est_pair __attribute__((vector_size(16)));

/* est_pair_add reads and writes each pair as one 16-byte unit. */
#define EST_PAIR(a, b)                                                                   \
    _Static_assert(offsetof(struct sample_est, b) == offsetof(struct sample_est, a) + 8, \
                   #a " and " #b " must be adjacent")
EST_PAIR(alloc_w, alloc_bytes);
EST_PAIR(var_alloc_w, var_alloc_bytes);
EST_PAIR(live_w, live_bytes);
EST_PAIR(var_live_w, var_live_bytes);
#undef EST_PAIR

/* What one sampled block adds to (or takes from) each of its three
 * estimate sets, worked out once per event instead of once per set:
 * {w, s*w}, {w(w-1), s^2 w(w-1)}, u*w. */
struct est_delta {
    est_pair w_sw, v_ssv;
    double uw;
    unsigned bucket;
};

static inline struct est_delta est_delta_of(const struct sample_rec *r)
{
    /* Signed conversions (one instruction, not an unsigned one's six):
     * no block of 2^63 bytes or more exists to be recorded. */
    double w = r->weight, s = (double)(int64_t)r->requested, u = (double)(int64_t)r->usable;
    double vw = w * (w - 1);
    return (struct est_delta){.w_sw = {w, s * w},
                              .v_ssv = {vw, s * s * vw},
                              .uw = u * w,
                              .bucket = size_bucket(r->requested)};
}

/* *pair += v, returning the sums (lane by lane, the same IEEE adds as two
 * scalar ones). */
static inline est_pair est_pair_add(double *pair, est_pair v)
{
    est_pair x;
    __builtin_memcpy(&x, pair, sizeof x);
    x += v;
    __builtin_memcpy(pair, &x, sizeof x);
    return x;
}

static inline void est_born(struct sample_est *e, struct est_delta d)
{
    e->samples++;
    est_pair_add(&e->alloc_w, d.w_sw);
    est_pair_add(&e->var_alloc_w, d.v_ssv);
    e->hist[d.bucket] += d.w_sw[0];
    est_pair live = est_pair_add(&e->live_w, d.w_sw);
    double usable = e->live_usable += d.uw;
    est_pair_add(&e->var_live_w, d.v_ssv);
    if (live[1] > e->peak_live_bytes)
        e->peak_live_bytes = live[1];
    if (usable > e->peak_live_usable)
        e->peak_live_usable = usable;
    if (live[0] > e->peak_live_w)
        e->peak_live_w = live[0];
}

static inline void est_died(struct sample_est *e, struct est_delta d)
{
    e->free_w += d.w_sw[0];
    est_pair_add(&e->live_w, -d.w_sw);
    e->live_usable -= d.uw;
    est_pair_add(&e->var_live_w, -d.v_ssv);
}

/* est_died undone (a realloc that failed after its block was forgotten):
 * a death of the negated delta, the same sums give or take the last bit of
 * rounding.  (Negating is exact: x - -y is x + y.) */
static inline void est_revived(struct sample_est *e, struct est_delta d)
{
    d.w_sw = -d.w_sw;
    d.v_ssv = -d.v_ssv;
    d.uw = -d.uw;
    est_died(e, d);
}

/* The estimates of type t, site id, and the whole process (NULL if none
 * were ever made). */
struct sample_est *sample_est_type(uint32_t t);
struct sample_est *sample_est_site(uint32_t id);
extern HT_HIDDEN struct sample_est sample_est_total;
/* Live sampled blocks when the process's live estimate last reached its
 * peak: what the peak estimate rests on. */
int64_t sample_peak_samples(void);
/* The sampled blocks that a realloc made: sum(w) estimates the process's
 * realloc calls, sum(w(w-1)) its variance.  A realloc call is sampled
 * with the probability of its new size, as an allocation is. */
struct sample_calls {
    double w, var_w;
} __attribute__((aligned(64))); /* a line of its own, as sample_est's */
extern HT_HIDDEN struct sample_calls sample_reallocs;
/* Sampled blocks that could not be recorded (no memory for the table). */
extern HT_HIDDEN int64_t sample_dropped;
extern HT_HIDDEN uint64_t sample_seed;
#endif
