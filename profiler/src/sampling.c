/* Sampled mode's slow paths (sampling.h).
 *
 * Drawing the next sample point, recording a sampled block, and the frees
 * and reallocs that may concern one.  The preloaded library links no libm,
 * so the logarithm and exponential it needs are computed here. */
#include "sampling.h"
#include "os_mem.h"
#include "sample_est.h"
#include "sample_table.h"
#include "scope_stack.h"
#include "settings.h"
#include "site_table.h"
#include "stack_capture_here.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_MEAN (512 * 1024)
#define SITE_CHUNK_BITS 12
#define SITE_CHUNKS 1024

struct sample_ro sample_ro;
__thread uint64_t sample_left;
struct sample_est sample_est_total;  /* whole cache lines: the type is aligned */
struct sample_calls sample_reallocs; /* written with sample_est_total, under the lock */
int64_t sample_dropped;
uint64_t sample_seed;

static __thread uint64_t rng_state;
static __thread int in_sampler;
static unsigned thread_seq;
/* Written at sampled events by any thread: lines of their own, away from
 * sample_ro and the filter, which every hook reads. */
static struct {
    ht_spinlock lock;
    double last_peak_snapshot;
    int64_t peak_samples; /* live sampled blocks when the process estimate last peaked */
    uint64_t peak_seq;    /* snapshots of the peak taken so far, plus one */
    uint32_t n_dirty;     /* entries of dirty[] */
    uint32_t dirty_cap;   /* its size: DIRTY_MAX, or 0 if it could not be mapped */
    int dirty_all;        /* more sites changed than dirty[] holds */
} __attribute__((aligned(64))) shared = {.peak_seq = 1};
/* The sites whose live estimate changed since the last snapshot of the
 * peak: every other site's live_at_peak equals its live_bytes already,
 * so a snapshot copies these alone.  Mapped by sample_init (only the
 * pages used are ever touched). */
#define DIRTY_MAX 16384
static uint32_t *dirty;
static struct sample_est *type_est;
static struct sample_est *site_est[SITE_CHUNKS];
static __thread int holding;

/* The lock is never held across a call that could allocate, so only a
 * signal handler that allocates (not async-signal-safe, but programs do)
 * can come back to it on the same thread: it then finds `holding` set
 * and skips its bookkeeping (the block counts as not sampled) instead of
 * spinning forever.  `holding` is set before the lock is taken and
 * cleared after it is released, so no interruption point is missed. */
static inline __attribute__((always_inline)) int lock_take(void)
{
    if (holding)
        return 0;
    holding = 1;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    ht_spin_lock(&shared.lock);
    return 1;
}

static inline __attribute__((always_inline)) void lock_give(void)
{
    ht_spin_unlock(&shared.lock);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    holding = 0;
}

int64_t sample_peak_samples(void) { return HT_LOAD(&shared.peak_samples); }

struct sample_est *sample_est_type(uint32_t t)
{
    return type_est && t < HT_MAX_TYPES ? &type_est[t] : NULL;
}

/* Under the lock: the estimates a block of type t counts in (an id out of
 * range counts as untagged). */
static inline struct sample_est *est_of_type(uint32_t t)
{
    return &type_est[t < HT_MAX_TYPES ? t : HT_TYPE_UNTAGGED];
}

struct sample_est *sample_est_site(uint32_t id)
{
    struct sample_est *c =
        __atomic_load_n(&site_est[(id >> SITE_CHUNK_BITS) % SITE_CHUNKS], __ATOMIC_ACQUIRE);
    return c ? &c[id & ((1u << SITE_CHUNK_BITS) - 1)] : NULL;
}

/* Under the lock: map chunk k of the sites' estimates. */
static __attribute__((noinline)) struct sample_est *site_est_map(uint32_t k)
{
    struct sample_est *c = os_mem_map(sizeof *c << SITE_CHUNK_BITS);
    if (c)
        __atomic_store_n(&site_est[k], c, __ATOMIC_RELEASE);
    return c;
}

/* Under the lock: the site's estimates, mapping its chunk on first use. */
static inline __attribute__((always_inline)) struct sample_est *site_est_make(uint32_t id)
{
    uint32_t k = id >> SITE_CHUNK_BITS;
    if (k >= SITE_CHUNKS)
        return NULL;
    struct sample_est *c = site_est[k];
    if (HT_UNLIKELY(!c) && !(c = site_est_map(k)))
        return NULL;
    return &c[id & ((1u << SITE_CHUNK_BITS) - 1)];
}

/* splitmix64: small state, good enough bits for sampling decisions. */
static inline uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ln(x) for x in (0, 1]: x = m * 2^e with m in [1, 2), then
 * ln(m) = 2 atanh((m-1)/(m+1)), whose series converges fast for s <= 1/3
 * (relative error below 1e-7, far under the sampling noise). */
static inline double ln_unit(double x)
{
    union {
        double d;
        uint64_t u;
    } v = {.d = x};
    int e = (int)((v.u >> 52) & 0x7ff) - 1023;
    v.u = (v.u & ((1ull << 52) - 1)) | (1023ull << 52);
    double m = v.d, s = (m - 1) / (m + 1), s2 = s * s;
    double series =
        s * (2 + s2 * (2.0 / 3 + s2 * (2.0 / 5 + s2 * (2.0 / 7 + s2 * (2.0 / 9 + s2 * 2.0 / 11)))));
    return e * 0.69314718055994530942 + series;
}

/* 1 - exp(-x) for x >= 0, accurate for small x too (no cancellation).
 * exp(-x) = 2^-n exp(-r) with r in [0, ln 2): a degree-11 Taylor
 * polynomial of exp(-r) in Horner form (error below 0.7^12/12! = 3e-11)
 * and 2^-n put straight into the exponent; no division, no loop. */
static inline double sample_prob(double x)
{
    if (x < 1e-3)
        return x * (1 - x / 2 * (1 - x / 3 * (1 - x / 4)));
    if (x > 40)
        return 1;
    int n = (int)(x * 1.44269504088896340736);
    double r = x - n * 0.69314718055994530942;
    double e =
        1 -
        r * (1 -
             r * (1.0 / 2 -
                  r * (1.0 / 6 -
                       r * (1.0 / 24 - r * (1.0 / 120 -
                                            r * (1.0 / 720 -
                                                 r * (1.0 / 5040 -
                                                      r * (1.0 / 40320 -
                                                           r * (1.0 / 362880 -
                                                                r * (1.0 / 3628800 -
                                                                     r * (1.0 / 39916800)))))))))));
    union {
        double d;
        uint64_t u;
    } scale = {.u = (uint64_t)(1023 - n) << 52};
    return 1 - e * scale.d;
}

/* An exponential distance with mean sample_mean, in whole bytes (>= 1). */
static inline __attribute__((always_inline)) uint64_t draw(void)
{
    double u = (double)((rng_next() >> 11) + 1) * (1.0 / 9007199254740992.0); /* (0, 1] */
    double d = -(double)sample_mean * ln_unit(u) + 0.5;
    return d < 1 ? 1 : d > 4e18 ? (uint64_t)4e18 : (uint64_t)(int64_t)d; /* < 2^63: signed */
}

static void rng_seed_thread(void)
{
    uint64_t n = __atomic_add_fetch(&thread_seq, 1, __ATOMIC_RELAXED);
    rng_state = sample_seed ^ (n * 0xd1342543de82ef95ULL);
    if (!rng_state)
        rng_state = 1;
}

/* A byte count with an optional binary unit: 4096, 64K, 512KiB, 1M, 2MiB, 1G, 1TiB. */
static int parse_bytes(const char *s, int64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    static const struct {
        const char *suffix;
        int shift;
    } units[] = {
        {"", 0},    {"B", 0},    {"K", 10},  {"KB", 10},  {"KiB", 10},
        {"k", 10},  {"M", 20},   {"MB", 20}, {"MiB", 20}, {"G", 30},
        {"GB", 30}, {"GiB", 30}, {"T", 40},  {"TB", 40},  {"TiB", 40},
    };
    for (unsigned i = 0; i < sizeof units / sizeof *units; i++)
        if (strcmp(end, units[i].suffix) == 0) {
            if (v == 0 || v > (1ull << 40) >> units[i].shift)
                return -1;
            *out = (int64_t)(v << units[i].shift);
            return 0;
        }
    return -1;
}

int sample_requested(void)
{
    const char *v = getenv("HEAPTAG_SAMPLE");
    return v && strcmp(v, "0") != 0;
}

void sample_init(void)
{
    if (!sample_requested())
        return;
    const char *v = getenv("HEAPTAG_SAMPLE");
    int64_t mean;
    if (parse_bytes(v, &mean) != 0) {
        ht_warn("ignoring HEAPTAG_SAMPLE='", v,
                "' (it takes a mean in bytes from 1 to 1TiB, e.g. 512KiB); sampling with the "
                "default 512KiB",
                NULL);
        mean = DEFAULT_MEAN;
    }
    type_est = os_mem_map(sizeof *type_est * HT_MAX_TYPES);
    if (!type_est) {
        ht_warn("cannot map memory for sampled mode; tracking exactly", NULL);
        return;
    }
    if ((dirty = os_mem_map(sizeof *dirty * DIRTY_MAX)))
        shared.dirty_cap = DIRTY_MAX;
    const char *seed = getenv("HEAPTAG_SAMPLE_SEED");
    char *end;
    if (seed && *seed && (sample_seed = strtoull(seed, &end, 10), !*end)) {
        sample_seed = sample_seed * 0x9e3779b97f4a7c15ULL + 1;
    } else {
        if (seed)
            ht_warn("ignoring HEAPTAG_SAMPLE_SEED='", seed, "' (it takes a number)", NULL);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        sample_seed = ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec) ^
                      ((uint64_t)getpid() << 32);
    }
    /* Stacks are what a sampled profile is for: on unless asked off. */
    if (!getenv("HEAPTAG_STACKS"))
        settings.stack_depth = 32;
    /* The bootstrap arena's blocks (made while dlsym ran) must reach the
     * slow path of free, which knows them: their bits stay set. */
    for (size_t off = 0; off < bootstrap_used(); off += 16)
        sample_filter_pin((uintptr_t)bootstrap_arena + off);
    sample_ro.malloc = next.malloc;
    sample_ro.free = next.free;
    sample_ro.realloc = next.realloc;
    sample_ro.left_at = (intptr_t)((char *)&sample_left - (char *)__builtin_thread_pointer());
    __atomic_store_n(&sample_mean, mean, __ATOMIC_RELEASE);
}

/* Under the lock, before site id's live estimate changes: note it for
 * the next snapshot of the peak, once per snapshot. */
static inline __attribute__((always_inline)) void site_touched(struct sample_est *e, uint32_t id)
{
    if (e->peak_seq == shared.peak_seq)
        return;
    e->peak_seq = shared.peak_seq;
    if (shared.n_dirty < shared.dirty_cap)
        dirty[shared.n_dirty++] = id;
    else
        shared.dirty_all = 1;
}

/* Under the lock: a new process-wide high of the estimate, 1% above the
 * last one recorded, copies every site's live estimate as its share of
 * the peak.  Thinned (a few hundred snapshots for a heap growing a
 * thousandfold), and each copies only the sites changed since the last:
 * a snapshot costs at most the sampled events since the one before, not
 * the number of sites, unless more than DIRTY_MAX of them changed. */
static void note_peak(void)
{
    double live = sample_est_total.live_bytes;
    if (live < sample_est_total.peak_live_bytes)
        return;
    /* How many samples the peak rests on: the report says so, because a
     * peak of few samples can be several times too high (ADR-0010). */
    shared.peak_samples = (int64_t)sample_table_live();
    if (live < shared.last_peak_snapshot * 1.01)
        return;
    shared.last_peak_snapshot = live;
    if (shared.dirty_all) {
        uint32_t n = site_count();
        for (uint32_t id = 1; id < n; id++) {
            struct sample_est *e = sample_est_site(id);
            if (e)
                e->live_at_peak = e->live_bytes;
        }
    } else {
        for (uint32_t i = 0; i < shared.n_dirty; i++) {
            struct sample_est *e = sample_est_site(dirty[i]);
            e->live_at_peak = e->live_bytes;
        }
    }
    shared.n_dirty = 0;
    shared.dirty_all = 0;
    shared.peak_seq++;
}

/* Inline into the slow paths, so that the stack walk, which steps through
 * our own frames before it reaches the program's, has fewer to walk per
 * sample (40 to 50 instructions a frame; ADR-0013): take, record and the
 * stack capture itself (stack_capture_here.h). */
static inline __attribute__((always_inline)) void record(void *p, size_t requested,
                                                         uint32_t inherited, int by_realloc)
{
    /* A block exists: its size is below 2^63, and a signed conversion is
     * one instruction. */
    double prob = sample_prob((double)(int64_t)requested / (double)sample_mean);
    struct sample_rec r = {.addr = (uintptr_t)p,
                           .requested = requested,
                           .usable = next_usable_size(p),
                           .weight = 1 / prob};
    uint32_t type = inherited ? inherited : scope_current_type();
    int max = stack_depth;
    if (max) {
        uintptr_t frames[STACK_MAX_DEPTH];
        int depth = stack_capture_here(frames, max);
        if (depth > 0) {
            uint32_t key_type = (inherited || scope_depth) ? type : HT_TYPE_NONE;
            r.site = site_intern(key_type, frames, (uint32_t)depth);
            if (r.site)
                type = site_get(r.site)->type;
        }
    }
    r.type = type;
    if (!lock_take()) {
        __atomic_add_fetch(&sample_dropped, 1, __ATOMIC_RELAXED);
        return;
    }
    struct sample_est *se = r.site ? site_est_make(r.site) : NULL;
    if (!se)
        r.site = 0;
    if (sample_table_insert(&r) != 0) {
        sample_dropped++;
    } else {
        struct est_delta d = est_delta_of(&r);
        est_born(est_of_type(type), d);
        if (se) {
            site_touched(se, r.site);
            est_born(se, d);
        }
        est_born(&sample_est_total, d);
        if (by_realloc) {
            sample_reallocs.w += d.w_sw[0];
            sample_reallocs.var_w += d.v_ssv[0];
        }
        note_peak();
    }
    lock_give();
}

/* A sample point reached by a block of `requested` bytes at p: the next
 * distance drawn, and the block recorded.  `by_realloc`: a realloc made
 * it (the estimate of realloc calls). */
static inline __attribute__((always_inline)) void take(void *p, size_t requested,
                                                       uint32_t inherited, int by_realloc)
{
    if (HT_UNLIKELY(!rng_state)) {
        /* This thread's first allocation: draw its first distance. */
        rng_seed_thread();
        uint64_t first = draw();
        if (requested < first) {
            sample_left = first - requested;
            return;
        }
    }
    sample_left = draw();
    /* Allocations made while recording (libunwind's) are not sampled. */
    if (in_sampler || !requested)
        return;
    int saved_errno = errno; /* the program sees the allocator's errno only */
    in_sampler = 1;
    record(p, requested, inherited, by_realloc);
    in_sampler = 0;
    errno = saved_errno;
}

void sample_take(void *p, size_t requested, uint32_t inherited)
{
    take(p, requested, inherited, 0);
}

/* Under the lock: a sampled block's death (est_died) in its three
 * estimate sets, or that death undone (est_revived) for a realloc that
 * failed.  Inlined with the function known, so each is straight code. */
static inline __attribute__((always_inline)) void
apply_death(const struct sample_rec *r, void (*apply)(struct sample_est *, struct est_delta))
{
    struct est_delta d = est_delta_of(r);
    apply(est_of_type(r->type), d);
    struct sample_est *se = r->site ? sample_est_site(r->site) : NULL;
    if (se) {
        site_touched(se, r->site);
        apply(se, d);
    }
    apply(&sample_est_total, d);
}

static inline __attribute__((always_inline)) void forget(const struct sample_rec *r)
{
    apply_death(r, est_died);
}

static void unforget(const struct sample_rec *r) { apply_death(r, est_revived); }

void sample_free_slow(void *p)
{
    struct sample_rec r;
    if (!p)
        return;
    if (lock_take()) {
        if (sample_table_take((uintptr_t)p, &r))
            forget(&r);
        lock_give();
    }
    if (HT_UNLIKELY(bootstrap_owns(p)))
        return;
    next.free(p);
}

/* A block of the bootstrap arena (made while dlsym ran) handed to
 * realloc: the arena is never freed into, so the block is copied into a
 * block of the allocator's, which counts as a new allocation. */
static void *realloc_bootstrap(void *p, size_t size)
{
    if (size == 0)
        return NULL;
    void *q = sample_malloc(size);
    if (q) {
        size_t old = bootstrap_size(p);
        memcpy(q, p, old < size ? old : size);
    }
    return q;
}

/* realloc of a block the filter says may be sampled. */
void *sample_realloc_maybe(void *p, size_t size)
{
    if (!p)
        return sample_realloc_unsampled(NULL, size);
    if (HT_UNLIKELY(bootstrap_owns(p)))
        return realloc_bootstrap(p, size);
    struct sample_rec old;
    int known = 0;
    /* Forget it before the allocator may hand the address to another
     * thread, in one hold of the lock; put it back if realloc fails. */
    if (lock_take()) {
        known = sample_table_take((uintptr_t)p, &old);
        if (known)
            forget(&old);
        lock_give();
    }
    void *q = next.realloc(p, size);
    if (HT_UNLIKELY(!q && size != 0)) {
        if (known && lock_take()) {
            if (sample_table_insert(&old) == 0)
                unforget(&old);
            else
                sample_dropped++;
            lock_give();
        }
        return NULL;
    }
    if (q && HT_UNLIKELY(!sample_count_down(size)))
        take(q, size, known ? old.type : HT_TYPE_NONE, 1);
    return q;
}

/* realloc of an unsampled block (or NULL) whose new size reaches this
 * thread's next sample point. */
void *sample_realloc_slow(void *p, size_t size)
{
    void *q = next.realloc(p, size);
    if (HT_LIKELY(q))
        take(q, size, HT_TYPE_NONE, 1);
    else
        sample_left += size; /* sample_count_down's, given back */
    return q;
}

/* A retagged sampled block counts as freed from its old type and
 * allocated to the new one. */
int sample_retag(void *p, uint32_t type)
{
    if (!sample_maybe(p) || !lock_take())
        return -1;
    struct sample_rec *r = sample_table_find((uintptr_t)p);
    if (r && r->type != type && type < HT_MAX_TYPES) {
        struct est_delta d = est_delta_of(r);
        est_died(est_of_type(r->type), d);
        r->type = type;
        est_born(&type_est[type], d);
    }
    lock_give();
    return r ? 0 : -1;
}

void sample_lock_for_fork(void) { ht_spin_lock(&shared.lock); }

void sample_unlock_after_fork(void) { ht_spin_unlock(&shared.lock); }

void *sample_malloc_slow(size_t size)
{
    void *p = next.malloc(size);
    if (HT_LIKELY(p))
        take(p, size, HT_TYPE_NONE, 0);
    else
        sample_left += size; /* sample_count_down's, given back */
    return p;
}
