/* A sampled block whose realloc fails, then succeeds (test-realloc-fail.sh).
 *
 * Under HEAPTAG_SAMPLE=1 every block is sampled with weight 1, so the
 * estimates are exact: the failed realloc must leave the block recorded as
 * it was (type Kept, 1000 bytes live), and the one that follows counts as
 * a free of it and an allocation of 2000 bytes of the same type.  Then a
 * malloc and a realloc(NULL, n) that fail must leave the countdown as it
 * was: the ten blocks of type After that follow are all sampled. */
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
    if (malloc(huge) != NULL || realloc(NULL, huge) != NULL)
        return 5;
    heaptag_push("After");
    for (int i = 0; i < 10; i++)
        if (!malloc(100)) /* live at exit: 1000 bytes */
            return 6;
    heaptag_pop();
    printf("ok\n");
    return 0; /* q stays live: 2000 bytes at exit */
}
