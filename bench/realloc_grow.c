/*
** Benchmark workload: buffers grown by realloc in small steps, the way a
** string builder or a growing array without a doubling policy behaves.
**
**   realloc_grow [ROUNDS]
**
** Each round grows 64 buffers in 48-byte steps up to 16 KiB, interleaved
** so that in-place growth often fails and realloc must move, then frees
** them.  Every realloc is a free plus an alloc for the tracker.
*/
#include <stdio.h>
#include <stdlib.h>

#define BUFS 64
#define STEP 48
#define LIMIT (16 * 1024)

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 150;
    if (rounds < 1)
        return 2;
    unsigned long sum = 0;
    for (long r = 0; r < rounds; r++) {
        char *bufs[BUFS] = { 0 };
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
