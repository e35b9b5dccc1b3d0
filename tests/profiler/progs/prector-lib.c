/* A shared library whose constructor allocates.
 *
 * The dynamic loader runs it before libheaptag.so's own constructor (dependencies of the
 * program are initialised before preloaded objects), so the tracker must already count and
 * tag correctly at that point.
 */
#include "heaptag.h"

#include <stdlib.h>
#include <string.h>

static char *kept;

__attribute__((constructor)) static void prector_lib_init(void)
{
    HEAPTAG_PUSH("LibCtor");
    char *a = malloc(1000);
    kept = malloc(2000);
    HEAPTAG_POP();
    if (!a || !kept)
        abort();
    memset(kept, 'L', 2000);
    free(a);
}

/* Sum of the kept block, then free it: proves the block is intact. */
unsigned prector_lib_release(void)
{
    unsigned sum = 0;
    for (int i = 0; i < 2000; i++)
        sum += (unsigned char)kept[i];
    free(kept);
    kept = NULL;
    return sum;
}
