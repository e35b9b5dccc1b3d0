/* 64 threads allocate and free under the type "Stress", handing blocks to each other.
 *
 * threads64: 64 threads allocate and free under the type "Stress"; half of
 * every thread's blocks are handed to the next thread, which reallocates
 * them (realloc keeps the block's type although that thread's scope is
 * "Other") and frees them, so most frees and reallocs happen on a thread
 * that did not allocate the block.  One block per thread stays live.
 *
 * The figures the tracker must report for "Stress" follow from the sizes
 * alone, whatever the interleaving; they are printed as report-check
 * --expect arguments, one per line:
 *
 *   threads64 [THREADS] [BLOCKS]
 */
#include "heaptag.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 64

static int nthreads = MAX_THREADS, nblocks = 3000;
static char **handoff[MAX_THREADS]; /* handoff[t]: blocks thread t gives away */
static pthread_barrier_t barrier;

static size_t size_of(int t, int k) { return 1 + (size_t)(t * 131 + k * 37) % 3000; }

static void *worker(void *arg)
{
    int me = (int)(intptr_t)arg, half = nblocks / 2;
    HEAPTAG_PUSH("Stress");
    char **give = malloc(sizeof *give * (size_t)half); /* Stress too */
    for (int k = 0; k < nblocks; k++) {
        char *p = (k % 3 == 0) ? calloc(1, size_of(me, k)) : malloc(size_of(me, k));
        if (!p)
            abort();
        p[0] = (char)k;
        if (k % 2)
            give[k / 2] = p;
        else
            free(p);
    }
    handoff[me] = give;
    HEAPTAG_POP();
    pthread_barrier_wait(&barrier);

    int from = (me + nthreads - 1) % nthreads;
    char **got = handoff[from];
    HEAPTAG_PUSH("Other");
    for (int i = 0; i < half; i++) {
        char *q = realloc(got[i], size_of(from, 2 * i + 1) + 8);
        if (!q)
            abort();
        got[i] = q;
    }
    HEAPTAG_POP();
    for (int i = 0; i < half - 1; i++) /* the last one stays live */
        free(got[i]);
    pthread_barrier_wait(&barrier);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        nthreads = atoi(argv[1]);
    if (argc > 2)
        nblocks = atoi(argv[2]);
    if (nthreads < 2 || nthreads > MAX_THREADS || nblocks < 4 || nblocks % 2) {
        fprintf(stderr, "usage: threads64 [2..64 threads] [even blocks >= 4]\n");
        return 2;
    }
    pthread_t th[MAX_THREADS];
    pthread_barrier_init(&barrier, NULL, (unsigned)nthreads);
    for (int t = 0; t < nthreads; t++)
        if (pthread_create(&th[t], NULL, worker, (void *)(intptr_t)t) != 0) {
            fprintf(stderr, "threads64: pthread_create failed\n");
            return 1;
        }
    for (int t = 0; t < nthreads; t++)
        pthread_join(th[t], NULL);
    /* Free the handoff arrays (Stress blocks) except thread 0's, which
     * stays live with the one block per thread. */
    for (int t = 1; t < nthreads; t++)
        free(handoff[t]);

    long long half = nblocks / 2, allocs = 0, frees = 0, requested = 0, live = 0;
    for (int t = 0; t < nthreads; t++) {
        allocs += 1 + nblocks + half; /* array, blocks, reallocs */
        requested += (long long)(sizeof(char *) * (size_t)half);
        for (int k = 0; k < nblocks; k++) {
            requested += (long long)size_of(t, k);
            if (k % 2)
                requested += (long long)size_of(t, k) + 8;
        }
        frees += half + half + (half - 1) + (t ? 1 : 0); /* own, realloc, other's, array */
        live += (long long)size_of(t, nblocks - 1) + 8;
    }
    live += (long long)(sizeof(char *) * (size_t)half); /* thread 0's array */
    printf("types.Stress.alloc_calls=%lld\n", allocs);
    printf("types.Stress.free_calls=%lld\n", frees);
    printf("types.Stress.bytes_requested=%lld\n", requested);
    printf("types.Stress.live_bytes=%lld\n", live);
    printf("types.Stress.live_blocks=%lld\n", allocs - frees);
    return 0;
}
