/* Peak gates (ADR-0009): exact live figures and peaks without a shared
 * cache line on the hot path.
 *
 * A group of GATE_NF figures (a type's bytes, usable bytes and instances;
 * the process's bytes, usable bytes and blocks; a site's bytes and usable
 * bytes) has one shared record: the published part of each figure (live),
 * its recorded peak, and the sum of the windows granted to threads.  Each
 * thread has a local record per group: its unpublished delta d and a
 * window [lo, hi] that d may move in without telling anyone.  The true
 * figure is live + the sum of every thread's d.
 *
 * The invariant, kept under the group's lock: live + granted <= peak,
 * where granted is the sum of the windows' hi.  Since every d <= its hi,
 * no thread can take the figure above its recorded peak on the fast
 * path, so the fast path never needs to know the other threads.  An update
 * that leaves its window goes to gate_slow(), which publishes the thread's
 * d, applies the update, and if the invariant could break revokes every
 * window (an asymmetric fence, membarrier(2), makes that safe against fast
 * paths in flight): then live is the exact figure and the peak is raised
 * exactly.  Near a peak, windows are empty and every update takes the
 * lock: a growing heap pays a shared line, a churning one does not. */
#ifndef HT_GATE_H
#define HT_GATE_H
#include "ht_common.h"

#define GATE_NF 3

struct gate_shared {
    int64_t live[GATE_NF];
    int64_t peak[GATE_NF];
    int64_t granted[GATE_NF];
    int32_t holders; /* threads whose window is not empty */
    ht_spinlock lock;
    unsigned seq; /* odd while the slow path moves figures (readers retry) */
};

/* Written by its owner thread on the fast path, by anyone holding the
 * group's lock otherwise.  Figure f's delta is d = e + lo, and its window
 * is lo <= d < lo + span: the fast path keeps e = d - lo and checks it
 * with one unsigned compare, 0 <= e < span.  span 0 is a closed window
 * (every update fails), so a zero-filled record, fresh from the kernel, is
 * closed with d = 0. */
struct gate_local {
    int64_t e[GATE_NF];
    uint64_t span[GATE_NF]; /* e and span, all the fast path reads, first */
    int64_t lo[GATE_NF];
};

/* The kinds of group, for the revoker to find each thread's local record. */
enum gate_kind { GATE_TOTAL, GATE_TYPE, GATE_SITE };

/* Whether windows are granted at all: membarrier(2) is needed to revoke
 * them.  Without it every update takes the exact, locked path. */
extern HT_HIDDEN int gates_on;

/* Set while this thread is inside gate_slow, where it holds a gate's lock
 * and moves figures from its own record into the shared ones: a report
 * written by a signal handler on this thread then would read them half
 * moved, and cannot wait for them.  The signal handler (lifecycle.c) leaves the
 * report to gate_slow's end instead: gate_deferred_signal holds the signal,
 * and gate_run_deferred (set by lifecycle.c) writes it there. */
extern HT_HIDDEN __thread int gate_busy;
extern HT_HIDDEN __thread volatile int gate_deferred_signal;
extern HT_HIDDEN void (*gate_run_deferred)(int sig);
void gate_init(void);

/* Apply x to l's window if the result stays inside it.  Figures whose x is
 * a compile-time zero are not checked: d stays where it was, and the
 * checked ones already fail when the window is empty.  Called between
 * acct_begin and acct_end (acct_thread.h).
 *
 * RISING (a constant at each call) says x1 >= 0: then usable is stored
 * before bytes, else bytes before usable, so a report written by a signal
 * handler that interrupts this very thread between the two stores never
 * sees more live bytes than live usable bytes. */
static inline __attribute__((always_inline)) int gate_try(struct gate_local *l, int64_t x0,
                                                          int64_t x1, int64_t x2, int rising)
{
    int64_t a = 0, b = 0, c = 0;
#define GATE_SKIP(x) (__builtin_constant_p(x) && (x) == 0)
#define GATE_OUT(v, f) ((uint64_t)(v) >= HT_LOAD(&l->span[f]))
    if (!GATE_SKIP(x0) && GATE_OUT(a = HT_LOAD(&l->e[0]) + x0, 0))
        return 0;
    if (!GATE_SKIP(x1) && GATE_OUT(b = HT_LOAD(&l->e[1]) + x1, 1))
        return 0;
    if (!GATE_SKIP(x2) && GATE_OUT(c = HT_LOAD(&l->e[2]) + x2, 2))
        return 0;
    if (!GATE_SKIP(x1) && rising)
        HT_STORE(&l->e[1], b);
    if (!GATE_SKIP(x0))
        HT_STORE(&l->e[0], a);
    if (!GATE_SKIP(x1) && !rising)
        HT_STORE(&l->e[1], b);
    if (!GATE_SKIP(x2))
        HT_STORE(&l->e[2], c);
#undef GATE_OUT
#undef GATE_SKIP
    return 1;
}

/* The exact path: under s's lock, publish l's delta (l may be NULL for a
 * thread without a record), apply x, raise the peaks exactly, and grant l
 * a new window.  Returns the new peak of figure 0 if it rose, else -1. */
int64_t gate_slow(struct gate_shared *s, struct gate_local *l, const int64_t x[GATE_NF],
                  enum gate_kind kind, uint32_t index);

/* Single-threaded form: no windows exist, so live is exact.  Returns the
 * new peak of figure 0 if it rose, else -1. */
static inline __attribute__((always_inline)) int64_t
gate_apply_st(struct gate_shared *s, int64_t x0, int64_t x1, int64_t x2)
{
    int64_t r = -1;
    /* Usable before bytes: a report never sees bytes' peak above usable's. */
    if ((s->live[1] += x1) > s->peak[1])
        s->peak[1] = s->live[1];
    if ((s->live[0] += x0) > s->peak[0])
        r = s->peak[0] = s->live[0];
    if (!(__builtin_constant_p(x2) && x2 == 0) && (s->live[2] += x2) > s->peak[2])
        s->peak[2] = s->live[2];
    return r;
}

/* The group's live figures now: the published part plus every thread's
 * delta, read so that no delta is missed or counted twice while a slow
 * path moves it (a fast path in flight is either in or out). */
void gate_read(const struct gate_shared *s, enum gate_kind kind, uint32_t index,
               int64_t out[GATE_NF]);

/* Single-threaded form of a decrease: no peak can rise. */
static inline __attribute__((always_inline)) void gate_sub_st(struct gate_shared *s, int64_t x0,
                                                              int64_t x1, int64_t x2)
{
    s->live[0] -= x0;
    s->live[1] -= x1;
    if (!(__builtin_constant_p(x2) && x2 == 0))
        s->live[2] -= x2;
}

/* Fold every thread's delta into its group and empty the windows; the
 * fork child's handler calls it (the other threads are gone). */
void gate_fold_all_after_fork(void);
#endif
