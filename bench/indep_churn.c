/* Benchmark workload: independent per-thread churn.
 *
 *   indep_churnN [PAIRS_PER_THREAD [THREADS]]
 *
 * Built three times, as indep_churn1, indep_churn2 and indep_churn4, whose
 * number is the default THREADS (the benchmark table tells them apart by
 * program name).  With one thread the work runs on the main thread: a
 * single-threaded process, the baseline for "threads add no cost".
 * Each thread keeps its own ring of 1024 live blocks of 16..512 bytes and
 * replaces the oldest one PAIRS times (free, then malloc).  No locks, no
 * cross-thread frees: the shape of parallel parsers, compilers and
 * allocator-heavy servers, where a tracker that writes shared counters on
 * every call pays for the cache lines the threads fight over.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define RING 1024
#define MAX_THREADS 64
#ifndef THREADS
#define THREADS 2
#endif

static long pairs;

static void *worker(void *arg)
{
    unsigned me = (unsigned)(long)arg;
    static __thread char *ring[RING];
    unsigned x = 2463534242u + me * 7919u;
    unsigned long sum = 0;
    for (long i = 0; i < pairs; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        unsigned slot = (unsigned)i & (RING - 1);
        free(ring[slot]);
        ring[slot] = malloc(16 + (x % 497));
        if (ring[slot] == NULL)
            abort();
        ring[slot][0] = (char)i;
        sum += (unsigned char)ring[slot][0];
    }
    for (int i = 0; i < RING; i++)
        free(ring[i]);
    return (void *)sum;
}

int main(int argc, char **argv)
{
    pairs = argc > 1 ? atol(argv[1]) : 5000000;
    int n = argc > 2 ? atoi(argv[2]) : THREADS;
    if (n < 1 || n > MAX_THREADS || pairs < 1)
        return 2;
    if (n == 1) {
        /* One thread is the program's own: a single-threaded process, the
         * baseline the threaded runs are compared with. */
        printf("%lu\n", (unsigned long)worker(NULL));
        return 0;
    }
    pthread_t t[MAX_THREADS];
    for (long i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, worker, (void *)i) != 0)
            return 1;
    unsigned long sum = 0;
    for (int i = 0; i < n; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (unsigned long)r;
    }
    printf("%lu\n", sum);
    return 0;
}
