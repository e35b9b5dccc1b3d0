/* libFuzzer target: the massif.out parser (tools/massif/massif_parse.c) and
 * the peak summaries computed from what it accepts. */
#include "massif/massif_parse.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    /* a heap copy of exactly SIZE bytes: no terminator to lean on */
    char *buf = malloc(size ? size : 1);
    memcpy(buf, data, size);
    struct massif_profile p;
    char err[256];
    err[0] = '\0';
    if (massif_parse(buf, size, &p, err, sizeof err) == 0) {
        (void)massif_peak_heap(&p);
        struct massif_fn_total *fns = NULL;
        uint64_t heap = 0;
        int n = massif_peak_functions(&p, &fns, &heap);
        for (int i = 1; i < n; i++)
            if (fns[i].bytes > fns[i - 1].bytes)
                abort(); /* documented order: largest first */
        free(fns);
    } else if (err[0] == '\0' || strchr(err, '\n')) {
        abort(); /* one-line reason */
    }
    massif_profile_free(&p);
    free(buf);
    return 0;
}
