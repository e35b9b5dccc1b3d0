/* A heap that rises once, then a small one that churns (test-peak-samples.sh).
 *
 *   peak-samples HOLD CHURN
 *
 * HOLD blocks of 100 bytes are made and kept, then freed; then CHURN
 * times, one block of a ring of 8 is freed and another made (200 bytes).
 * Nothing else is live: no stdio before the end.  The process's live
 * bytes peak once, with HOLD blocks live. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long hold = argc > 1 ? atol(argv[1]) : 1000;
    long churn = argc > 2 ? atol(argv[2]) : 0;
    char **held = malloc((size_t)hold * sizeof *held);
    if (!held)
        return 1;
    for (long i = 0; i < hold; i++)
        if (!(held[i] = malloc(100)))
            return 1;
    for (long i = 0; i < hold; i++)
        free(held[i]);
    free(held);
    char *ring[8] = {0};
    for (long i = 0; i < churn; i++) {
        free(ring[i & 7]);
        if (!(ring[i & 7] = malloc(200)))
            return 1;
        ring[i & 7][0] = (char)i;
    }
    for (int i = 0; i < 8; i++)
        free(ring[i]);
    printf("ok\n");
    return 0;
}
