/* A deterministic program that uses every tagging feature and allocation entry point.
 *
 * det-types: a deterministic program that uses every tagging feature and
 * every allocation entry point once or more, and writes the figures the
 * tracker must report (model.h) next to its report.
 *
 *   det-types EXPECTED_FILE BASELINE_REPORT
 *
 * The timeline is laid out so that each type reaches its peak at a
 * different moment and the total peaks when no type is at its own peak
 * (the late Request allocations): a tracker that sums type peaks, or
 * that keeps one peak per process, gets different numbers.  Frees of the
 * worker thread's blocks happen on the main thread.
 */
#include "heaptag.h"
#include "model.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static sem_t go, done;
static void *worker_blocks[4];

/* Runs only while main waits, so the order of events stays fixed.  Scopes
 * are per thread: main is inside "MainScope" meanwhile, yet this thread's
 * allocation outside any scope is untagged. */
static void *worker(void *arg)
{
    (void)arg;
    sem_wait(&go);
    HEAPTAG_PUSH("Worker");
    worker_blocks[0] = t_malloc("Worker", 500);
    worker_blocks[1] = t_malloc("Worker", 600);
    worker_blocks[2] = t_calloc("Worker", 7, 100);
    HEAPTAG_POP();
    worker_blocks[3] = t_malloc("untagged", 40);
    sem_post(&done);
    return NULL;
}

static void instance_new(const char *type, int n)
{
    for (int i = 0; i < n; i++) {
        HEAPTAG_INSTANCE_NEW(type);
        model_instance_new(type);
    }
}

static void instance_free(const char *type, int n)
{
    for (int i = 0; i < n; i++) {
        HEAPTAG_INSTANCE_FREE(type);
        model_instance_free(type);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: det-types EXPECTED_FILE BASELINE_REPORT\n");
        return 2;
    }
    /* Thread creation allocates the thread's TLS vector: do it before the
     * baseline.  A small stack keeps the stack cache from trimming (which
     * would free such vectors at join). */
    pthread_t th;
    pthread_attr_t attr;
    sem_init(&go, 0, 0);
    sem_init(&done, 0, 0);
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    if (pthread_create(&th, &attr, worker, NULL) != 0) {
        fprintf(stderr, "det-types: pthread_create failed\n");
        return 1;
    }
    volatile size_t huge = SIZE_MAX; /* volatile: no compile-time warning */
    model_begin(argv[2]);

    /* 1. Headroom for the reallocs below (see model.c): Buffer, Other and
     *    the total's bytes and block count peak early. */
    void *head[10];
    HEAPTAG_PUSH("Buffer");
    for (int i = 0; i < 10; i++)
        head[i] = t_malloc("Buffer", 1200);
    for (int i = 0; i < 10; i++)
        t_free(head[i]);
    HEAPTAG_POP();
    {
        HEAPTAG_SCOPE("Other");
        t_free(t_malloc("Other", 1000));
    }

    /* 2. Request peaks at 8600 bytes, 4 instances. */
    void *req[8];
    HEAPTAG_PUSH("Request");
    for (int i = 0; i < 4; i++)
        req[i] = t_malloc("Request", 2000 + 100 * (size_t)i);
    instance_new("Request", 4);
    HEAPTAG_POP();
    for (int i = 0; i < 3; i++)
        t_free(req[i]);
    instance_free("Request", 3);

    /* 3. Nested scopes: the inner one wins, the outer one resumes. */
    void *resp, *resp2, *pl, *pl2;
    {
        HEAPTAG_SCOPE("Response");
        resp = t_calloc("Response", 3, 200);
        {
            HEAPTAG_SCOPE("Response.payload");
            pl = t_malloc("Response.payload", 3000);
            pl2 = t_malloc("Response.payload", 2000);
        }
        resp2 = t_malloc("Response", 500);
        instance_new("Response", 2);
    }
    t_free(pl2);

    /* 4. realloc keeps the old block's type whatever scope is in force. */
    HEAPTAG_PUSH("Buffer");
    void *buf = t_malloc("Buffer", 64);
    HEAPTAG_POP();
    HEAPTAG_PUSH("Other");
    buf = t_realloc("Other", buf, 4000);             /* grows, still Buffer */
    void *other = t_realloc("Other", NULL, 300);     /* realloc(NULL): Other */
    other = t_reallocarray("Other", other, 2, 100);  /* shrinks, still Other */
    void *arr = t_reallocarray("Other", NULL, 4, 8); /* like malloc */
    void *zero = t_malloc("Other", 0);               /* malloc(0) is an alloc */
    free(NULL);                                      /* counts nothing */
    void *gone = t_malloc("Other", 50);
    gone = t_realloc("Other", gone, 0); /* glibc: frees */
    if (gone)
        t_free(gone);
    /* failed calls: counted in failed_calls only */
    if (t_malloc("Other", huge) || t_calloc("Other", huge / 2, 4) ||
        t_realloc("Other", buf, huge) || t_reallocarray("Other", buf, huge / 2, 4)) {
        fprintf(stderr, "det-types: an impossible allocation succeeded\n");
        return 1;
    }
    HEAPTAG_POP();

    /* 5. The aligned family, in one scope. */
    void *al[5];
    {
        HEAPTAG_SCOPE("Aligned");
        if (posix_memalign(&al[0], 64, 200) != 0)
            al[0] = NULL;
        model_alloc("Aligned", al[0], 200);
        al[1] = aligned_alloc(128, 256);
        model_alloc("Aligned", al[1], 256);
        al[2] = memalign(32, 100);
        model_alloc("Aligned", al[2], 100);
        al[3] = valloc(1000);
        model_alloc("Aligned", al[3], 1000);
        /* a whole page: pvalloc's rounding cannot make "requested" ambiguous */
        al[4] = pvalloc((size_t)sysconf(_SC_PAGESIZE));
        model_alloc("Aligned", al[4], (size_t)sysconf(_SC_PAGESIZE));
    }
    for (int i = 0; i < 5; i++)
        if (!al[i] || ((uintptr_t)al[i] & 31)) {
            fprintf(stderr, "det-types: aligned allocation %d failed\n", i);
            return 1;
        }
    t_free(al[4]);
    t_free(al[3]);

    /* 6. Retag: the block's bytes move, its alloc stays with Scratch, its
     *    free goes to Header. */
    HEAPTAG_PUSH("Scratch");
    void *hdr = t_malloc("Scratch", 700);
    void *keep = t_malloc("Scratch", 10);
    HEAPTAG_POP();
    HEAPTAG_RETAG(hdr, "Header");
    model_retag(hdr, "Header");
    if (heaptag_retag && heaptag_retag(&go, "Header") != -1) {
        fprintf(stderr, "det-types: heaptag_retag of a static address did not fail\n");
        return 1;
    }
    t_free(hdr);

    /* 7. A block made on another thread and freed here; scopes are per thread. */
    HEAPTAG_PUSH("MainScope");
    void *mine = t_malloc("MainScope", 123);
    sem_post(&go);
    sem_wait(&done);
    HEAPTAG_POP();
    for (int i = 0; i < 3; i++)
        t_free(worker_blocks[i]);
    pthread_join(th, NULL);

    /* 8. The total peaks here while every type is below its own peak. */
    t_free(resp2);
    instance_free("Response", 1);
    HEAPTAG_PUSH("Request");
    for (int i = 4; i < 8; i++)
        req[i] = t_malloc("Request", 1500);
    HEAPTAG_POP();
    for (int i = 4; i < 8; i++)
        t_free(req[i]);
    t_free(t_malloc("untagged", 0));

    /* Left live at exit: req[3], resp, pl, buf, other, arr, zero, al[0..2],
     * keep, mine, worker_blocks[3]. */
    (void)resp;
    (void)pl;
    (void)other;
    (void)arr;
    (void)zero;
    (void)keep;
    (void)mine;
    model_write(argv[1]);
    return 0;
}
