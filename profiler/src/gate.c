/* The slow path of the peak gates (gate.h): publishing, revoking and
 * granting windows, all under the group's lock.
 *
 * Revocation is an asymmetric Dekker handshake.  The owner's fast path
 * stores an odd seq, then (compiler barrier only) loads its window.  The
 * revoker stores empty windows, runs membarrier(PRIVATE_EXPEDITED), which
 * makes every running thread of the process execute a full barrier, then
 * loads each seq.  Either the owner's load saw the empty window (its
 * update fails and comes to the lock we hold), or our load sees its odd
 * seq, and we wait until seq moves: its delta is then stored, and read. */
#include "gate.h"
#include "acct_thread.h"
#include "site_table.h"
#include "stats.h"
#include "type_registry.h"
#include <errno.h>
#include <linux/membarrier.h>
#include <stdlib.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

int gates_on;
/* Smallest room (bytes) under the recorded peak worth a window: closer to
 * the peak, every update takes the exact path (a growing heap). */
#define GATE_MIN_ROOM 1024

void gate_init(void)
{
    int saved = errno;
    long rc = syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0);
    gates_on = rc == 0 && !getenv("HEAPTAG_NO_GATES");
    errno = saved;
}

static struct gate_local *local_of(struct acct_thread *t, enum gate_kind kind, uint32_t index)
{
    if (kind == GATE_TOTAL)
        return &t->total;
    if (kind == GATE_TYPE)
        return &t->types[index].g;
    struct acct_site *s = acct_site_peek(t, index);
    return s ? &s->g : NULL;
}

/* Open windows have span >= 1 for figure 0 (they contain d = 0). */
static int window_open(const struct gate_local *l) { return HT_LOAD(&l->span[0]) > 0; }

static void close_window(struct gate_local *l)
{
    for (int f = 0; f < GATE_NF; f++)
        HT_STORE(&l->span[f], 0);
}

/* The delta of figure f, and setting it to zero (e = d - lo). */
static int64_t delta(const struct gate_local *l, int f)
{
    return HT_LOAD(&l->e[f]) + HT_LOAD(&l->lo[f]);
}

static void take_delta(struct gate_shared *s, struct gate_local *l)
{
    for (int f = 0; f < GATE_NF; f++) {
        s->live[f] += delta(l, f);
        HT_STORE(&l->e[f], -HT_LOAD(&l->lo[f]));
    }
}

/* hi: the most the figure may rise, the part of granted this window holds. */
static int64_t window_hi(const struct gate_local *l, int f)
{
    return HT_LOAD(&l->lo[f]) + (int64_t)HT_LOAD(&l->span[f]) - 1;
}

/* Move l's delta into live and give its window back (lock held; l's owner
 * is this thread, or not inside a fast path on l). */
static void publish_locked(struct gate_shared *s, struct gate_local *l)
{
    if (window_open(l)) {
        for (int f = 0; f < GATE_NF; f++)
            s->granted[f] -= window_hi(l, f);
        s->holders--;
        close_window(l);
    }
    take_delta(s, l);
}

/* Close every window of the group; afterwards live is the exact figure. */
static void revoke_locked(struct gate_shared *s, enum gate_kind kind, uint32_t index)
{
    uint32_t n = acct_count();
    struct acct_thread *self = acct_self;
    for (uint32_t i = 0; i < n; i++) {
        struct gate_local *l = local_of(acct_threads[i], kind, index);
        if (l && window_open(l))
            close_window(l);
    }
    /* Registered at start (and inherited by fork children); should the
     * kernel still refuse, register again, and if that fails too grant no
     * more windows: the ones open now are what this revocation waits for. */
    int saved = errno;
    if (syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0) {
        gate_init();
        if (!gates_on || syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0)
            gates_on = 0;
    }
    errno = saved;
    for (uint32_t i = 0; i < n; i++) {
        struct acct_thread *t = acct_threads[i];
        struct gate_local *l = local_of(t, kind, index);
        if (!l)
            continue;
        unsigned seq = __atomic_load_n(&t->seq, __ATOMIC_ACQUIRE);
        /* Our own seq is odd only if a signal handler interrupted our own
         * fast path: waiting would never end (and malloc there is UB). */
        if (t != self)
            while ((seq & 1) && __atomic_load_n(&t->seq, __ATOMIC_ACQUIRE) == seq)
                sched_yield();
        take_delta(s, l);
    }
    for (int f = 0; f < GATE_NF; f++)
        s->granted[f] = 0;
    s->holders = 0;
}

static void grant_locked(struct gate_shared *s, struct gate_local *l, enum gate_kind kind)
{
    int64_t room[GATE_NF];
    for (int f = 0; f < GATE_NF; f++)
        room[f] = s->peak[f] - s->live[f] - s->granted[f];
    if (room[0] < GATE_MIN_ROOM || room[1] < GATE_MIN_ROOM)
        return;                     /* near the peak: stay exact */
    int64_t share = s->holders + 2; /* the open windows, this one, one to spare */
    for (int f = 0; f < GATE_NF; f++) {
        int64_t hi = room[f] > 0 ? room[f] / share : 0;
        /* Below zero a delta never threatens the peak; a window of at
         * least one block lets a thread free then allocate on its own. */
        int64_t lo = hi > 0 ? hi : 1;
        if (kind == GATE_SITE && f == 2)
            hi = 0, lo = 0;
        HT_STORE(&l->lo[f], -lo);
        HT_STORE(&l->e[f], lo); /* d stays 0 */
        HT_STORE(&l->span[f], (uint64_t)(hi + lo + 1));
        s->granted[f] += hi;
    }
    s->holders++;
}

static int64_t gate_slow_locked(struct gate_shared *s, struct gate_local *l,
                                const int64_t x[GATE_NF], enum gate_kind kind, uint32_t index)
{
    ht_spin_lock(&s->lock);
    __atomic_store_n(&s->seq, s->seq + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    if (l)
        publish_locked(s, l);
    int over = 0;
    /* Rising, usable before bytes; falling, bytes before usable (as
     * gate_try orders its stores, for a report in a signal handler). */
    static const int rising_order[GATE_NF] = {1, 0, 2}, falling_order[GATE_NF] = {0, 1, 2};
    const int *order = x[1] >= 0 ? rising_order : falling_order;
    for (int i = 0; i < GATE_NF; i++) {
        int f = order[i];
        HT_STORE(&s->live[f], s->live[f] + x[f]);
        over |= s->live[f] + s->granted[f] > s->peak[f];
    }
    if (over && s->holders > 0)
        revoke_locked(s, kind, index);
    int64_t r = -1;
    /* Usable before bytes: a report never sees bytes' peak above usable's. */
    if (s->live[1] > s->peak[1])
        __atomic_store_n(&s->peak[1], s->live[1], __ATOMIC_RELEASE);
    if (s->live[0] > s->peak[0])
        __atomic_store_n(&s->peak[0], r = s->live[0], __ATOMIC_RELEASE);
    if (s->live[2] > s->peak[2])
        __atomic_store_n(&s->peak[2], s->live[2], __ATOMIC_RELEASE);
    if (l && gates_on)
        grant_locked(s, l, kind);
    __atomic_store_n(&s->seq, s->seq + 1, __ATOMIC_RELEASE);
    ht_spin_unlock(&s->lock);
    return r;
}

__thread int gate_busy;
__thread volatile int gate_deferred_signal;
void (*gate_run_deferred)(int sig);

int64_t gate_slow(struct gate_shared *s, struct gate_local *l, const int64_t x[GATE_NF],
                  enum gate_kind kind, uint32_t index)
{
    /* The compiler must not move the flag's stores across the section: a
     * signal handler on this thread reads it. */
    gate_busy = 1;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    int64_t r = gate_slow_locked(s, l, x, kind, index);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    gate_busy = 0;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    int sig = gate_deferred_signal;
    if (HT_UNLIKELY(sig)) {
        gate_deferred_signal = 0;
        if (gate_run_deferred)
            gate_run_deferred(sig);
    }
    return r;
}

/* One thread's deltas as of a moment it was outside its fast path (a few
 * tries: a signal handler on that very thread would wait forever). */
static void read_local(const struct acct_thread *t, const struct gate_local *l,
                       int64_t out[GATE_NF])
{
    for (int tries = 0;; tries++) {
        unsigned a = __atomic_load_n(&t->seq, __ATOMIC_ACQUIRE);
        for (int f = 0; f < GATE_NF; f++)
            out[f] = delta(l, f);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if ((!(a & 1) && __atomic_load_n(&t->seq, __ATOMIC_RELAXED) == a) || tries == 64)
            return;
        __builtin_ia32_pause();
    }
}

void gate_read(const struct gate_shared *s, enum gate_kind kind, uint32_t index,
               int64_t out[GATE_NF])
{
    for (int attempt = 0;; attempt++) {
        unsigned before = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
        for (int f = 0; f < GATE_NF; f++)
            out[f] = HT_LOAD(&s->live[f]);
        uint32_t n = acct_count();
        for (uint32_t i = 0; i < n; i++) {
            struct acct_thread *t = acct_threads[i];
            const struct gate_local *l = local_of(t, kind, index);
            int64_t d[GATE_NF];
            if (!l)
                continue;
            read_local(t, l, d);
            for (int f = 0; f < GATE_NF; f++)
                out[f] += d[f];
        }
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if ((!(before & 1) && __atomic_load_n(&s->seq, __ATOMIC_RELAXED) == before) ||
            attempt == 16)
            return;
        sched_yield();
    }
}

static void fold_group(struct gate_shared *s, enum gate_kind kind, uint32_t index)
{
    uint32_t n = acct_count();
    /* A thread that is gone may have held the lock, mid slow path. */
    s->lock.locked = 0;
    s->seq &= ~1u;
    for (uint32_t i = 0; i < n; i++) {
        struct gate_local *l = local_of(acct_threads[i], kind, index);
        if (l)
            publish_locked(s, l);
    }
    for (int f = 0; f < GATE_NF; f++)
        s->granted[f] = 0;
    s->holders = 0;
}

void gate_fold_all_after_fork(void)
{
    uint32_t n = acct_count();
    for (uint32_t i = 0; i < n; i++)
        acct_threads[i]->seq &= ~1u;
    fold_group(&totals.g, GATE_TOTAL, 0);
    uint32_t types = type_count();
    for (uint32_t t = 1; t < types && t < HT_MAX_TYPES; t++)
        fold_group(&type_live[t].g, GATE_TYPE, t);
    uint32_t sites = site_count();
    for (uint32_t id = 1; id < sites; id++)
        fold_group(site_gate_of(id), GATE_SITE, id);
}
