/* A sampled block whose realloc fails, then succeeds (test-realloc-fail.sh).
 *
 * Under HEAPTAG_SAMPLE=1 every block is sampled with weight 1, so the
 * estimates are exact: the failed realloc must leave the block recorded as
 * it was (type Kept, 1000 bytes live), and the one that follows counts as
 * a free of it and an allocation of 2000 bytes of the same type. */
#include <heaptag.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    heaptag_push("Kept");
    char *p = malloc(1000);
    heaptag_pop();
    if (!p)
        return 1;
    p[0] = 1;
    volatile size_t huge = SIZE_MAX / 4; /* no allocator can give this */
    errno = 0;
    if (realloc(p, huge) != NULL)
        return 2;
    if (errno != ENOMEM)
        return 3;
    char *q = realloc(p, 2000);
    if (!q || q[0] != 1)
        return 4;
    printf("ok\n");
    return 0; /* q stays live: 2000 bytes at exit */
}
