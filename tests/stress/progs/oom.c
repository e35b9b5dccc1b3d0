/* Allocation failures, run under `ulimit -v`.
 *
 * Every call that fails must return NULL (or ENOMEM from posix_memalign) to the program
 * unchanged, with errno ENOMEM, and count as one failed call; the tracker must go on
 * working and write a valid report.
 *
 * Phase 1 ("Big"): 1 MiB blocks until malloc fails, then impossible
 * requests of every allocation function, a failing realloc (the old block
 * must survive untouched), then everything freed and one small malloc that
 * must succeed.  Phase 2 ("Small"): 64-byte blocks until malloc fails, so
 * the tracker's own bookkeeping grows as the address space runs out; all
 * freed again.  Prints report-check --expect lines.
 *
 *   oom big|small|both
 */
#include "heaptag.h"

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static long failures, problems;

/* expect_fail(WHAT, CALL): CALL must return NULL with errno ENOMEM.  The
 * call is made before errno is read (function arguments have no order). */
#define expect_fail(what, call)        \
    do {                               \
        errno = 0;                     \
        void *r_ = (call);             \
        check_failed(what, r_, errno); \
    } while (0)

static void check_failed(const char *what, void *p, int err)
{
    if (p != NULL || err != ENOMEM) {
        fprintf(stderr, "oom: %s: got %p, errno %d (%s); wanted NULL, ENOMEM\n", what, p, err,
                strerror(err));
        problems++;
    }
    failures++;
}

/* Blocks are kept in an mmap'd array so the bookkeeping uses no heap. */
/* volatile: sizes the compiler must not see are impossible */
static volatile size_t huge_count = SIZE_MAX / 8;

static void **blocks;
static size_t max_blocks = 1 << 22;

/* Phase 1 ("Big"); returns the number of successful allocations. */
static long big_phase(void)
{
    long big = 0;
    size_t n = 0;
    HEAPTAG_PUSH("Big");
    for (;;) {
        errno = 0;
        void *p = malloc(1 << 20);
        if (!p) {
            check_failed("malloc(1 MiB) at the limit", p, errno);
            break;
        }
        memset(p, 1, 4096);
        blocks[n++] = p;
        big++;
    }
    expect_fail("malloc(SIZE_MAX / 2)", malloc(SIZE_MAX / 2));
    expect_fail("calloc overflowing", calloc(huge_count, 16));
    expect_fail("calloc(1, 1 GiB)", calloc(1, (size_t)1 << 30));
    expect_fail("aligned_alloc(4096, 1 GiB)", aligned_alloc(4096, (size_t)1 << 30));
    expect_fail("memalign(64, 1 GiB)", memalign(64, (size_t)1 << 30));
    void *pm = (void *)0x1;
    int rc = posix_memalign(&pm, 64, (size_t)1 << 30);
    if (rc != ENOMEM || pm != (void *)0x1) {
        fprintf(stderr, "oom: posix_memalign: returned %d, pointer %p changed\n", rc, pm);
        problems++;
    }
    failures++;
    /* a failing realloc leaves the old block alone */
    char *old = blocks[0];
    expect_fail("realloc(p, 1 GiB)", realloc(old, (size_t)1 << 30));
    if (old[0] != 1 || old[4095] != 1) {
        fprintf(stderr, "oom: the block survived a failed realloc damaged\n");
        problems++;
    }
    expect_fail("reallocarray overflowing", reallocarray(old, huge_count, 16));
    for (size_t i = 0; i < n; i++)
        free(blocks[i]);
    void *small = malloc(100);
    if (!small) {
        fprintf(stderr, "oom: malloc(100) failed after everything was freed\n");
        problems++;
    }
    free(small);
    HEAPTAG_POP();
    return big + 1;
}

/* Phase 2 ("Small"): 64-byte blocks until the address space is gone. */
static long small_phase(void)
{
    long smalls = 0;
    size_t n = 0;
    HEAPTAG_PUSH("Small");
    while (n < max_blocks) {
        errno = 0;
        void *p = malloc(64);
        if (!p) {
            check_failed("malloc(64) at the limit", p, errno);
            break;
        }
        blocks[n++] = p;
        smalls++;
    }
    for (size_t i = 0; i < n; i++)
        free(blocks[i]);
    HEAPTAG_POP();
    if (n == max_blocks) {
        fprintf(stderr, "oom: phase 2 never reached the limit (ulimit -v not set?)\n");
        problems++;
    }
    return smalls;
}

int main(int argc, char **argv)
{
    const char *phases = argc > 1 ? argv[1] : "both";
    blocks = mmap(NULL, max_blocks * sizeof *blocks, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (blocks == MAP_FAILED) {
        perror("oom: mmap");
        return 1;
    }
    long big = -1, smalls = -1;
    if (strcmp(phases, "small") != 0)
        big = big_phase();
    if (strcmp(phases, "big") != 0)
        smalls = small_phase();
    printf("totals.failed_calls=%ld\n", failures);
    if (big >= 0) {
        printf("types.Big.alloc_calls=%ld\n", big);
        printf("types.Big.live_bytes=0\n");
    }
    if (smalls >= 0)
        printf("smalls=%ld\n", smalls);
    fprintf(stderr, "oom: %ld big, %ld small blocks, %ld failures, %ld problems\n", big, smalls,
            failures, problems);
    return problems ? 1 : 0;
}
