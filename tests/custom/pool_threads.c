/* Four threads with a pool each: the allocator API's side table, concurrently.
 *
 * Four threads, each with its own pool (64 KiB chunks malloc'd in the
 * scope "TPool"), carve 1000 blocks of 48 B in the scope "TNode", all wait
 * at a barrier, then each gives back 500.  Every report names the pool, so
 * the records take the allocator API's locked side table: this checks it
 * under concurrency (tests/custom/test-pool.sh).
 *   TNode: alloc 4000, free 2000, live 96000, peak 192000 (the barrier)
 *   TPool: 4 blocks, live 4 * 65536 - 96000 */
#include <heaptag.h>
#include <pthread.h>
#include <stdlib.h>

#define THREADS 4
#define CHUNK 65536

static pthread_barrier_t barrier;

static void *worker(void *arg)
{
    (void)arg;
    HEAPTAG_PUSH("TPool");
    char *chunk = malloc(CHUNK);
    HEAPTAG_POP();
    if (!chunk)
        abort();
    void *blocks[1000];
    HEAPTAG_PUSH("TNode");
    for (int i = 0; i < 1000; i++) {
        blocks[i] = chunk + 48 * i;
        HEAPTAG_BLOCK_ALLOC(blocks[i], 48, "TPool");
    }
    HEAPTAG_POP();
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < 1000; i += 2)
        HEAPTAG_BLOCK_FREE(blocks[i]);
    return NULL; /* the chunk and the other 500 stay live */
}

int main(void)
{
    pthread_t t[THREADS];
    pthread_barrier_init(&barrier, NULL, THREADS);
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, worker, NULL))
            return 1;
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    return 0;
}
