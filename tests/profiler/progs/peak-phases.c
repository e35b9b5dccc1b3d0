/* peak-phases: 12 threads whose peaks the program itself knows exactly.
 *
 * peak-phases: 12 threads build their peaks in lock-step phases, so the
 * program knows every peak exactly, computed on its own (no tracker, no
 * lock around the allocations).
 *
 *   peak-phases EXPECTED_FILE BASELINE_REPORT
 *
 * Thread t allocates into its own type Qtt and into the shared type Common.
 * Phases are separated by barriers and come in four kinds:
 *   grow    only mallocs (and heaptag_instance_new): every figure rises;
 *   churn   20000 times: free one of its blocks, malloc one no larger in
 *           its place (usable sizes are monotonic in the request, so
 *           neither bytes nor usable bytes ever exceed the phase's start);
 *   shrink  only frees (and heaptag_instance_free);
 *   churn   again.
 * So every figure of every type, and of the sum of them, is highest at the
 * end of a grow phase, when all threads are at their grow-end levels at
 * once: the peaks are the largest of those barrier-time levels.  Threads
 * grow by different amounts in different rounds, so the types peak in
 * different rounds and the total in yet another.  The churn phases run the
 * tracker's fast path (per-thread windows under the peak) hard while the
 * total sits close to its peak.
 */
#include "heaptag.h"

#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NT 12
#define ROUNDS 3
#define PHASES (4 * ROUNDS)
#define MAXB 600
#define CHURN 20000

struct level {
    long long bytes, usable, blocks, inst; /* own type */
    long long cbytes, cusable, cblocks;    /* its part of Common */
};

static pthread_barrier_t barrier;
static struct level at_grow_end[ROUNDS][NT];
static long long allocs[NT], frees[NT], callocs[NT], cfrees[NT];

struct thread_state {
    int me;
    char type[8];
    void *own[MAXB];
    size_t own_req[MAXB];
    int nown;
    void *com[MAXB];
    size_t com_req[MAXB];
    int ncom;
    struct level lv;
    unsigned x;
};

static unsigned rnd(struct thread_state *s)
{
    s->x ^= s->x << 13, s->x ^= s->x >> 17, s->x ^= s->x << 5;
    return s->x;
}

static void *take(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "peak-phases: out of memory\n");
        exit(1);
    }
    return p;
}

/* How many blocks thread t adds in round r: large in a different round for
 * different threads, so that the types peak at different times. */
static int grow_count(int t, int r) { return (t + r) % ROUNDS == 0 ? 300 : 60 + 20 * r + t; }

static void grow(struct thread_state *s, int r)
{
    int n = grow_count(s->me, r);
    for (int i = 0; i < n && s->nown < MAXB; i++) {
        size_t req = 24 + rnd(s) % 1000;
        HEAPTAG_PUSH(s->type);
        void *p = take(req);
        HEAPTAG_POP();
        s->own[s->nown] = p;
        s->own_req[s->nown++] = req;
        s->lv.bytes += (long long)req;
        s->lv.usable += (long long)malloc_usable_size(p);
        s->lv.blocks++;
        allocs[s->me]++;
        if (i % 4 == 0) {
            HEAPTAG_INSTANCE_NEW(s->type);
            s->lv.inst++;
        }
        if (i % 3 == 0 && s->ncom < MAXB) {
            req = 16 + rnd(s) % 200;
            HEAPTAG_PUSH("Common");
            p = take(req);
            HEAPTAG_POP();
            s->com[s->ncom] = p;
            s->com_req[s->ncom++] = req;
            s->lv.cbytes += (long long)req;
            s->lv.cusable += (long long)malloc_usable_size(p);
            s->lv.cblocks++;
            callocs[s->me]++;
        }
    }
}

/* Replace a block by one no larger, in the same type. */
static void churn(struct thread_state *s)
{
    for (int i = 0; i < CHURN; i++) {
        int common = s->ncom && rnd(s) % 4 == 0;
        void **v = common ? s->com : s->own;
        size_t *req = common ? s->com_req : s->own_req;
        int n = common ? s->ncom : s->nown;
        if (!n)
            continue;
        int k = (int)(rnd(s) % (unsigned)n);
        size_t old_req = req[k], old_use = malloc_usable_size(v[k]);
        size_t new_req = old_req > 16 ? old_req - rnd(s) % 16 : old_req;
        free(v[k]);
        HEAPTAG_PUSH(common ? "Common" : s->type);
        v[k] = take(new_req);
        HEAPTAG_POP();
        req[k] = new_req;
        long long dreq = (long long)new_req - (long long)old_req;
        long long duse = (long long)malloc_usable_size(v[k]) - (long long)old_use;
        if (common) {
            s->lv.cbytes += dreq, s->lv.cusable += duse;
            callocs[s->me]++, cfrees[s->me]++;
        } else {
            s->lv.bytes += dreq, s->lv.usable += duse;
            allocs[s->me]++, frees[s->me]++;
        }
    }
}

/* Free most blocks, the newest first. */
static void shrink(struct thread_state *s)
{
    int keep = 20 + s->me;
    while (s->nown > keep) {
        int k = --s->nown;
        s->lv.bytes -= (long long)s->own_req[k];
        s->lv.usable -= (long long)malloc_usable_size(s->own[k]);
        s->lv.blocks--;
        free(s->own[k]);
        frees[s->me]++;
        if (s->lv.inst > 0 && s->nown % 4 == 0) {
            HEAPTAG_INSTANCE_FREE(s->type);
            s->lv.inst--;
        }
    }
    while (s->ncom > keep / 2) {
        int k = --s->ncom;
        s->lv.cbytes -= (long long)s->com_req[k];
        s->lv.cusable -= (long long)malloc_usable_size(s->com[k]);
        s->lv.cblocks--;
        free(s->com[k]);
        cfrees[s->me]++;
    }
}

static struct thread_state states[NT];

static void *run(void *arg)
{
    struct thread_state *s = arg;
    pthread_barrier_wait(&barrier); /* main dumps the baseline */
    pthread_barrier_wait(&barrier);
    for (int r = 0; r < ROUNDS; r++) {
        grow(s, r);
        at_grow_end[r][s->me] = s->lv;
        pthread_barrier_wait(&barrier);
        churn(s);
        pthread_barrier_wait(&barrier);
        shrink(s);
        pthread_barrier_wait(&barrier);
        churn(s);
        pthread_barrier_wait(&barrier);
    }
    return NULL;
}

static long long max2(long long a, long long b) { return a > b ? a : b; }

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: peak-phases EXPECTED_FILE BASELINE_REPORT\n");
        return 2;
    }
    pthread_t th[NT];
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_barrier_init(&barrier, NULL, NT + 1);
    for (int i = 0; i < NT; i++) {
        states[i].me = i;
        snprintf(states[i].type, sizeof states[i].type, "Q%02d", i);
        states[i].x = 2463534242u + 7919u * (unsigned)i;
        if (pthread_create(&th[i], &attr, run, &states[i]) != 0) {
            fprintf(stderr, "peak-phases: pthread_create failed\n");
            return 1;
        }
    }
    pthread_barrier_wait(&barrier);
    if (heaptag_dump && heaptag_dump(argv[2]) != 0) {
        fprintf(stderr, "peak-phases: heaptag_dump failed\n");
        return 99;
    }
    pthread_barrier_wait(&barrier);
    for (int p = 0; p < PHASES; p++)
        pthread_barrier_wait(&barrier);
    for (int i = 0; i < NT; i++)
        pthread_join(th[i], NULL);

    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 2;
    }
    long long tot_bytes = 0, tot_usable = 0, tot_blocks = 0;
    long long com_bytes = 0, com_usable = 0;
    for (int r = 0; r < ROUNDS; r++) {
        long long sb = 0, su = 0, sn = 0, cb = 0, cu = 0;
        for (int t = 0; t < NT; t++) {
            const struct level *l = &at_grow_end[r][t];
            sb += l->bytes + l->cbytes;
            su += l->usable + l->cusable;
            sn += l->blocks + l->cblocks;
            cb += l->cbytes;
            cu += l->cusable;
        }
        tot_bytes = max2(tot_bytes, sb);
        tot_usable = max2(tot_usable, su);
        tot_blocks = max2(tot_blocks, sn);
        com_bytes = max2(com_bytes, cb);
        com_usable = max2(com_usable, cu);
    }
    long long call = 0, cfree = 0, clive = 0;
    for (int t = 0; t < NT; t++) {
        long long pb = 0, pu = 0, pi = 0;
        for (int r = 0; r < ROUNDS; r++) {
            pb = max2(pb, at_grow_end[r][t].bytes);
            pu = max2(pu, at_grow_end[r][t].usable);
            pi = max2(pi, at_grow_end[r][t].inst);
        }
        const char *n = states[t].type;
        fprintf(out, "types.%s.peak_live_bytes = %lld\n", n, pb);
        fprintf(out, "types.%s.peak_live_usable_bytes = %lld\n", n, pu);
        fprintf(out, "types.%s.peak_live_instances = %lld\n", n, pi);
        fprintf(out, "types.%s.alloc_calls = %lld\n", n, allocs[t]);
        fprintf(out, "types.%s.free_calls = %lld\n", n, frees[t]);
        fprintf(out, "types.%s.live_bytes = %lld\n", n, states[t].lv.bytes);
        fprintf(out, "types.%s.live_usable_bytes = %lld\n", n, states[t].lv.usable);
        fprintf(out, "types.%s.live_instances = %lld\n", n, states[t].lv.inst);
        call += callocs[t];
        cfree += cfrees[t];
        clive += states[t].lv.cbytes;
    }
    fprintf(out, "types.Common.peak_live_bytes = %lld\n", com_bytes);
    fprintf(out, "types.Common.peak_live_usable_bytes = %lld\n", com_usable);
    fprintf(out, "types.Common.alloc_calls = %lld\n", call);
    fprintf(out, "types.Common.free_calls = %lld\n", cfree);
    fprintf(out, "types.Common.live_bytes = %lld\n", clive);
    fprintf(out, "totals.peak_live_bytes peak totals.live_bytes %lld\n", tot_bytes);
    fprintf(out, "totals.peak_live_usable_bytes peak totals.live_usable_bytes %lld\n", tot_usable);
    fprintf(out, "totals.peak_live_blocks peak totals.live_blocks %lld\n", tot_blocks);
    fclose(out);
    return 0;
}
