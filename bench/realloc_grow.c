/* Benchmark workload: buffers grown by realloc in small steps, the way a string builder or
 * a growing array without a doubling policy behaves.
 *
 *   realloc_grow [ROUNDS]
 *
 * Each round grows 64 buffers in 48-byte steps up to 16 KiB, interleaved
 * so that in-place growth often fails and realloc must move, then frees
 * them.  Every realloc is a free plus an alloc for the tracker.
 *
 * Trimming is switched off: freeing the round's buffers otherwise leaves
 * more than 128 KiB free at the top of the heap, glibc gives it back with
 * brk, and the next round faults it in again (with transparent huge pages,
 * 2 MiB at a time).  Whether that happens depends on accidents of heap
 * layout -- one long-lived block near the top stops it -- and it made the
 * uninstrumented run slower than the run under heaptag (0.55 s against
 * 0.25 s).  With trimming off, every tool measures realloc, not brk.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#define BUFS 64
#define STEP 48
#define LIMIT (16 * 1024)

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 100;
    if (rounds < 1)
        return 2;
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    unsigned long sum = 0;
    for (long r = 0; r < rounds; r++) {
        char *bufs[BUFS] = {0};
        for (size_t size = STEP; size <= LIMIT; size += STEP) {
            for (int b = 0; b < BUFS; b++) {
                char *nb = realloc(bufs[b], size);
                if (nb == NULL)
                    return 1;
                nb[size - 1] = (char)b;
                bufs[b] = nb;
            }
        }
        for (int b = 0; b < BUFS; b++) {
            sum += (unsigned char)bufs[b][0];
            free(bufs[b]);
        }
    }
    printf("%lu\n", sum);
    return 0;
}
