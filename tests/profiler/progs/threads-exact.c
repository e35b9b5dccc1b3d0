/* 16 threads allocate at once, then each frees its neighbour's blocks (cross-thread frees)
 * while churning small blocks.
 *
 *   threads-exact EXPECTED_FILE BASELINE_REPORT
 *
 * Phases are separated by barriers so that the figures are exact despite
 * the interleaving: during phase 1 nothing is freed (every type and the
 * total peak at the barrier), during phase 2 each thread frees a block of
 * at least 100 bytes before its first 16-byte churn block and holds at most
 * one churn block, so nothing rises above the barrier level again.  Only
 * the churn type's own peak depends on timing; it is checked as a range.
 * Before the baseline the threads churn freely, to start from a busy heap.
 */
#include "heaptag.h"
#include "model.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define NTHREADS 16
#define NBLOCKS 100
#define NSHARED 20
#define KEEP 10

static pthread_barrier_t barrier;
static void *blocks[NTHREADS][NBLOCKS];
static void *shared[NTHREADS][NSHARED];

static void *run(void *arg)
{
    int me = (int)(long)arg, next = (me + 1) % NTHREADS;
    char type[16];
    snprintf(type, sizeof type, "T%02d", me);

    HEAPTAG_PUSH("Warmup");
    for (int i = 0; i < 200; i++)
        free(malloc(16 + (size_t)((i * 37 + me * 11) % 500)));
    HEAPTAG_POP();
    pthread_barrier_wait(&barrier); /* main dumps the baseline */
    pthread_barrier_wait(&barrier);

    HEAPTAG_PUSH(type);
    for (int i = 0; i < NBLOCKS; i++) {
        blocks[me][i] = t_malloc(type, 100 + (size_t)(me * 10 + i));
        if (i % 5 == 0) {
            HEAPTAG_SCOPE("Shared");
            shared[me][i / 5] = t_malloc("Shared", 64);
        }
    }
    HEAPTAG_POP();
    pthread_barrier_wait(&barrier);

    /* Phase 2: blocks of "next" freed here, in type T<next>. */
    for (int i = 0; i < NBLOCKS - KEEP; i++) {
        t_free(blocks[next][i]);
        if (i < NSHARED - 2)
            t_free(shared[next][i]);
        HEAPTAG_PUSH("Churn");
        void *c = t_malloc("Churn", 16);
        HEAPTAG_POP();
        t_free(c);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: threads-exact EXPECTED_FILE BASELINE_REPORT\n");
        return 2;
    }
    pthread_t th[NTHREADS];
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_barrier_init(&barrier, NULL, NTHREADS + 1);
    for (long i = 0; i < NTHREADS; i++)
        if (pthread_create(&th[i], &attr, run, (void *)i) != 0) {
            fprintf(stderr, "threads-exact: pthread_create failed\n");
            return 1;
        }
    pthread_barrier_wait(&barrier);
    model_begin(argv[2]);
    pthread_barrier_wait(&barrier);
    pthread_barrier_wait(&barrier); /* phase 1 done */
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(th[i], NULL);
    model_peak_range("Churn", NTHREADS);
    model_write(argv[1]);
    return 0;
}
