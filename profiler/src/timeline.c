/* The timeline of timeline.h.
 *
 * Sampling takes a trylock: a thread that finds another one sampling
 * just goes on, since one sample per interval is all that is needed.
 * Memory is mapped once (samples) or in chunks (the detail log), never
 * from the program's heap. */
#include "timeline.h"
#include "os_mem.h"
#include "site_table.h"
#include "stack_capture.h"
#include <sched.h>
#include <time.h>

#define MAX_SAMPLES TIMELINE_MAX_SAMPLES
#define DETAIL_EVERY 10              /* every 10th sample is detailed, like massif */
#define DETAIL_LOG_BYTES (64u << 20) /* the log's cap; past it, no more details */
#define FIRST_INTERVAL 4096

int64_t timeline_allocated;
__thread int64_t timeline_pending;
int64_t timeline_next = FIRST_INTERVAL;
int64_t peak_snapshot_next = 1;

static int unit_ms;
static int64_t interval = FIRST_INTERVAL;
static struct timeline_sample *samples;
static uint32_t count;
static uint32_t taken; /* samples ever taken, for DETAIL_EVERY */
static int busy;
/* Odd while samples change (a sequence lock: readers copy and check). */
static unsigned seq;
static int64_t *detail_log;
static size_t detail_used; /* in int64_t units */
static struct timespec start;

void timeline_init(int ms)
{
    unit_ms = ms;
    if (ms)
        interval = 10;
    clock_gettime(CLOCK_MONOTONIC, &start);
}

int timeline_unit_ms(void) { return unit_ms; }
int64_t timeline_interval(void) { return interval; }
uint32_t timeline_copy(struct timeline_sample *out)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned before = __atomic_load_n(&seq, __ATOMIC_ACQUIRE);
        if (before & 1) {
            sched_yield();
            continue;
        }
        uint32_t n = __atomic_load_n(&count, __ATOMIC_ACQUIRE);
        struct timeline_sample *s = __atomic_load_n(&samples, __ATOMIC_ACQUIRE);
        for (uint32_t i = 0; s && i < n && i < MAX_SAMPLES; i++)
            out[i] = s[i];
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&seq, __ATOMIC_RELAXED) == before)
            return s ? n : 0;
    }
    return 0; /* a writer on this very thread, interrupted by a signal */
}

const int64_t *timeline_detail(int64_t offset, uint32_t *n)
{
    *n = (uint32_t)detail_log[offset];
    return detail_log + offset + 1;
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - start.tv_sec) * 1000 + (t.tv_nsec - start.tv_nsec) / 1000000;
}

/* Append live bytes of every site with live blocks; -1 if the log is full. */
static int64_t take_detail(void)
{
    if (!stack_depth)
        return -1;
    if (!detail_log && !(detail_log = os_mem_map(DETAIL_LOG_BYTES)))
        return -1;
    uint32_t sites = site_count();
    size_t cap = DETAIL_LOG_BYTES / sizeof(int64_t);
    if (detail_used + 1 + 2 * (size_t)sites > cap)
        return -1;
    size_t at = detail_used, n = 0;
    for (uint32_t id = 1; id < sites; id++) {
        int64_t live = site_live_bytes(id);
        if (live > 0) {
            detail_log[at + 1 + 2 * n] = id;
            detail_log[at + 2 + 2 * n] = live;
            n++;
        }
    }
    detail_log[at] = (int64_t)n;
    detail_used = at + 1 + 2 * n;
    return (int64_t)at;
}

/* On a line of its own: read by every thread's clock, written only when
 * the interval doubles. */
int64_t timeline_batch __attribute__((aligned(64))) = TIMELINE_BATCH_MIN;

static void set_batch(void)
{
    int64_t b = unit_ms ? TIMELINE_BATCH_MIN : interval / 16;
    if (b < TIMELINE_BATCH_MIN)
        b = TIMELINE_BATCH_MIN;
    if (b > TIMELINE_BATCH_MAX)
        b = TIMELINE_BATCH_MAX;
    HT_STORE(&timeline_batch, b);
}

/* Drop every other sample (keeping the first) and double the interval. */
static void thin(void)
{
    uint32_t kept = 0;
    for (uint32_t i = 0; i < count; i += 2)
        samples[kept++] = samples[i];
    count = kept;
    interval *= 2;
    set_batch();
}

void timeline_sample(void)
{
    if (__atomic_exchange_n(&busy, 1, __ATOMIC_ACQUIRE))
        return;
    if (!samples && !(samples = os_mem_map(MAX_SAMPLES * sizeof *samples))) {
        HT_STORE(&timeline_next, INT64_MAX);
        __atomic_store_n(&busy, 0, __ATOMIC_RELEASE);
        return;
    }
    int64_t t = HT_LOAD(&timeline_allocated), ms = now_ms();
    if (unit_ms && count && ms - samples[count - 1].t_ms < interval) {
        /* Not time yet: look at the clock again after some allocation. */
        HT_STORE(&timeline_next, t + 65536);
        __atomic_store_n(&busy, 0, __ATOMIC_RELEASE);
        return;
    }
    __atomic_store_n(&seq, seq + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    if (count == MAX_SAMPLES)
        thin();
    struct timeline_sample *s = &samples[count];
    s->t_bytes = t;
    s->t_ms = ms;
    /* Other threads may change the totals while they are summed: take
     * a triple that did not move (a few tries; a stubborn race leaves the
     * last reading, which readers of a concurrent report accept). */
    for (int tries = 0; tries < 4; tries++) {
        int64_t a[GATE_NF], b[GATE_NF];
        stats_total_live(a);
        s->live_bytes = a[0];
        s->live_usable = a[1];
        s->live_blocks = a[2];
        stats_total_live(b);
        if (a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[1] >= a[0])
            break;
    }
    s->detail = (taken++ % DETAIL_EVERY == 0) ? take_detail() : -1;
    __atomic_store_n(&count, count + 1, __ATOMIC_RELEASE);
    __atomic_store_n(&seq, seq + 1, __ATOMIC_RELEASE);
    HT_STORE(&timeline_next, unit_ms ? t + 65536 : t + interval);
    __atomic_store_n(&busy, 0, __ATOMIC_RELEASE);
}

void timeline_peak_snapshot(int64_t live)
{
    if (__atomic_exchange_n(&busy, 1, __ATOMIC_ACQUIRE))
        return;
    uint32_t sites = site_count();
    for (uint32_t id = 1; id < sites; id++) {
        HT_STORE(&site_stats_of(id)->live_at_peak, site_live_bytes(id));
    }
    HT_STORE(&peak_snapshot_next, live + live / 100 + 1);
    __atomic_store_n(&busy, 0, __ATOMIC_RELEASE);
}

uint64_t timeline_resident_bytes(void)
{
    uint64_t total = 0;
    if (samples)
        total += os_mem_resident(samples, MAX_SAMPLES * sizeof *samples);
    if (detail_log)
        total += os_mem_resident(detail_log, DETAIL_LOG_BYTES);
    return total;
}
