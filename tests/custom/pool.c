/* A program with its own allocators, instrumented with heaptag.h's
 * allocator API, whose figures tests/custom/test-pool.sh checks exactly.
 *
 * - A pool: 64 KiB chunks from malloc, allocated in the scope "Pool" (so
 *   the chunks are the pool's backing type), carved by bumping a pointer in
 *   16-byte steps, with a free list per size.  Each carve and give-back is
 *   reported with the pool's name, so carved bytes leave "Pool".
 * - Requests above 1 KiB go to malloc: the report of such a block finds a
 *   malloc block and counts nothing more.
 * - An mmap'd region handing out "Blob" blocks, reported without a pool:
 *   bytes heaptag would not see otherwise.
 *
 * Timeline (B = 65536):
 *   10 Blobs of 100 B (mmap)                 Blob 1000
 *   1000 Nodes of 48 B: chunk 1              Pool B - 48000
 *   2000 Edges of 32 B: 548 fill chunk 1, chunk 2 takes 1452 (46464 B)
 *   one Big of 5000 B (malloc through the pool), then freed
 *   500 Nodes freed                          Node 24000 (peak 48000)
 *   100 Edges resized to 64 B (bump in chunk 2, old 32 B to the free list)
 *                                            Edge 67200 (peak 67200)
 *   5 Blobs freed                            Blob 500 (peak 1000)
 *   a give-back of an address never reported: one foreign free.
 *   Pool = 2B - 24000 - 67200 = 39872, peak B
 *   totals: live 2B + 500 = 131572; peak 2B + 1000 + 5000 = 137072
 *   (the Big block lives while both chunks and all Blobs do). */
#include <heaptag.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define CHUNK 65536
#define CLASSES 64 /* 16-byte classes up to 1 KiB */

struct pool {
    char *chunk;
    size_t used;
    void *free_list[CLASSES + 1];
};

static struct pool pool = {.used = CHUNK};

static size_t round16(size_t n) { return (n + 15) & ~(size_t)15; }

static void *pool_alloc(size_t n)
{
    n = round16(n ? n : 1);
    if (n > CLASSES * 16) {
        void *big = malloc(n);
        HEAPTAG_BLOCK_ALLOC(big, n, "Pool"); /* a malloc block: no change */
        return big;
    }
    void **head = &pool.free_list[n / 16];
    void *p = *head;
    if (p) {
        *head = *(void **)p;
    } else {
        if (pool.used + n > CHUNK) {
            HEAPTAG_PUSH("Pool");
            pool.chunk = malloc(CHUNK);
            HEAPTAG_POP();
            if (!pool.chunk)
                abort();
            pool.used = 0;
        }
        p = pool.chunk + pool.used;
        pool.used += n;
    }
    HEAPTAG_BLOCK_ALLOC(p, n, "Pool");
    return p;
}

static void pool_free(void *p, size_t n)
{
    n = round16(n ? n : 1);
    HEAPTAG_BLOCK_FREE(p);
    if (n > CLASSES * 16) {
        free(p);
        return;
    }
    *(void **)p = pool.free_list[n / 16];
    pool.free_list[n / 16] = p;
}

/* Resizing moves to the new size's class (no in-place growth). */
static void *pool_realloc(void *p, size_t old, size_t n)
{
    void *q = pool_alloc(n);
    memcpy(q, p, old < n ? old : n);
    /* One report for the move, before the old block can be reused. */
    HEAPTAG_BLOCK_REALLOC(p, q, round16(n));
    *(void **)p = pool.free_list[round16(old) / 16];
    pool.free_list[round16(old) / 16] = p;
    return q;
}

static void *nodes[1000], *edges[2000], *blobs[10];

/* With `pool rules`, Edges get their type from a rule naming this
 * function (tests/custom/pool.rules) instead of a scope. */
__attribute__((noinline)) static void *make_edge(void)
{
    void *p = pool_alloc(32);
    __asm__ volatile("" ::: "memory"); /* no tail call: keep this frame */
    return p;
}

int main(int argc, char **argv)
{
    int by_rules = argc > 1 && strcmp(argv[1], "rules") == 0;
    char *region = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED)
        return 1;
    HEAPTAG_PUSH("Blob");
    for (int i = 0; i < 10; i++) {
        blobs[i] = region + 128 * i;
        HEAPTAG_BLOCK_ALLOC(blobs[i], 100, NULL);
    }
    HEAPTAG_POP();

    HEAPTAG_PUSH("Node");
    for (int i = 0; i < 1000; i++)
        nodes[i] = pool_alloc(48);
    HEAPTAG_POP();
    if (!by_rules)
        HEAPTAG_PUSH("Edge");
    for (int i = 0; i < 2000; i++)
        edges[i] = make_edge();
    if (!by_rules)
        HEAPTAG_POP();

    HEAPTAG_PUSH("Big");
    void *big = pool_alloc(5000);
    HEAPTAG_POP();
    pool_free(big, 5000);

    for (int i = 0; i < 1000; i += 2)
        pool_free(nodes[i], 48);
    for (int i = 0; i < 100; i++)
        edges[i] = pool_realloc(edges[i], 32, 64);
    for (int i = 0; i < 5; i++)
        HEAPTAG_BLOCK_FREE(blobs[i]);
    HEAPTAG_BLOCK_FREE(region + 4000); /* never reported */
    return 0;
}
