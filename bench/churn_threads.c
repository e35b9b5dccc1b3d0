/* Benchmark workload: two threads churning small blocks, a quarter of which are freed by
 * the other thread.
 *
 *   churn_threads [ITERATIONS_PER_THREAD]
 *
 * Each thread keeps its own ring of live blocks like churn_small; every
 * fourth block it allocates is instead passed through a mutex-protected
 * mailbox to the other thread, which frees it.  Cross-thread frees are the
 * case a tracker with per-thread state must still count exactly, and the
 * one that makes a global lock contend.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define RING 2048
#define MAILBOX 256

struct mailbox {
    pthread_mutex_t lock;
    char *slots[MAILBOX];
    int count;
};

static struct mailbox boxes[2] = {
    {PTHREAD_MUTEX_INITIALIZER, {0}, 0},
    {PTHREAD_MUTEX_INITIALIZER, {0}, 0},
};
static long iters;

/* Post p to box; if the box is full, take everything out and free it here:
** the receiver is slower than the sender, and the blocks must go somewhere. */
static void post(struct mailbox *box, char *p)
{
    pthread_mutex_lock(&box->lock);
    if (box->count == MAILBOX) {
        for (int i = 0; i < MAILBOX; i++)
            free(box->slots[i]);
        box->count = 0;
    }
    box->slots[box->count++] = p;
    pthread_mutex_unlock(&box->lock);
}

/* Free everything the other thread posted to us. */
static void drain(struct mailbox *box)
{
    char *local[MAILBOX];
    pthread_mutex_lock(&box->lock);
    int n = box->count;
    for (int i = 0; i < n; i++)
        local[i] = box->slots[i];
    box->count = 0;
    pthread_mutex_unlock(&box->lock);
    for (int i = 0; i < n; i++)
        free(local[i]);
}

static void *worker(void *arg)
{
    int me = (int)(long)arg;
    char **ring = calloc(RING, sizeof *ring);
    if (ring == NULL)
        abort();
    unsigned x = 2463534242u + (unsigned)me * 7919u;
    unsigned long sum = 0;
    for (long i = 0; i < iters; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        char *p = malloc(16 + (x & 255));
        if (p == NULL)
            abort();
        p[0] = (char)i;
        sum += (unsigned char)p[0];
        if ((i & 3) == 3) {
            post(&boxes[1 - me], p);
        } else {
            unsigned slot = (unsigned)i & (RING - 1);
            free(ring[slot]);
            ring[slot] = p;
        }
        if ((i & 63) == 0)
            drain(&boxes[me]);
    }
    for (int i = 0; i < RING; i++)
        free(ring[i]);
    free(ring);
    return (void *)sum;
}

int main(int argc, char **argv)
{
    iters = argc > 1 ? atol(argv[1]) : 3000000;
    if (iters < 1)
        return 2;
    pthread_t t[2];
    for (long i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, worker, (void *)i) != 0)
            return 1;
    unsigned long sum = 0;
    for (int i = 0; i < 2; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (unsigned long)r;
    }
    drain(&boxes[0]);
    drain(&boxes[1]);
    printf("%lu\n", sum);
    return 0;
}
