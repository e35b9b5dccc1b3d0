/* Benchmark workload: single-threaded churn of small blocks.
 *
 *   churn_small [ITERATIONS]
 *
 * A ring of 4096 live blocks; each step frees the oldest and allocates a
 * new block of 16..271 bytes, touching its first byte.  This is the shape
 * of an interpreter or a parser: a small steady live set, a very high
 * allocation rate.  Every call goes through the tracker's hot path, so this
 * is the workload the "<= 1.5x" time target is about.
 */
#include <stdio.h>
#include <stdlib.h>

#define RING 4096

int main(int argc, char **argv)
{
    long iters = argc > 1 ? atol(argv[1]) : 20000000;
    if (iters < 1)
        return 2;
    static char *ring[RING];
    unsigned x = 2463534242u;
    unsigned long sum = 0;
    for (long i = 0; i < iters; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        size_t size = 16 + (x & 255);
        unsigned slot = (unsigned)i & (RING - 1);
        free(ring[slot]);
        ring[slot] = malloc(size);
        if (ring[slot] == NULL)
            return 1;
        ring[slot][0] = (char)i;
        sum += (unsigned char)ring[slot][0];
    }
    for (int i = 0; i < RING; i++)
        free(ring[i]);
    printf("%lu\n", sum);
    return 0;
}
