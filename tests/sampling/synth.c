/* A program whose heap is known in advance, for the sampled-mode tests.
 *
 * Four tagged types of fixed block size, each allocated COUNT times and
 * left with LIVE blocks at exit (the others freed as it goes), so every
 * type's true alloc calls, bytes and live bytes are COUNT, COUNT * SIZE
 * and LIVE * SIZE.  A fifth, Grown, is made by realloc in small steps,
 * which counts (as in exact mode) as a free of the old block and an
 * allocation of the new size: its true bytes are the sum of every size
 * it passed through. */
#include <heaptag.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kind {
    const char *name;
    size_t size, count, live;
};

static const struct kind kinds[] = {
    {"Small", 64, 2000000, 500000},  /* 128 MB allocated, 32 MB live */
    {"Medium", 1000, 200000, 32000}, /* 200 MB, 32 MB */
    {"Large", 100000, 1000, 300},    /* 100 MB, 30 MB */
    {"Huge", 600000, 170, 34},       /* 102 MB, 20.4 MB */
};

int main(void)
{
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        const struct kind *t = &kinds[k];
        void **keep = calloc(t->live, sizeof *keep);
        size_t kept = 0;
        /* Keep one block in every count/live, free the rest at once. */
        size_t every = t->count / t->live;
        for (size_t i = 0; i < t->count; i++) {
            heaptag_push(t->name);
            char *p = malloc(t->size);
            heaptag_pop();
            if (!p || !keep)
                return 1;
            p[0] = (char)i;
            if (i % every == 0 && kept < t->live)
                keep[kept++] = p;
            else
                free(p);
        }
        if (kept != t->live)
            return 2;
        /* still live at exit: leaked on purpose */
        printf("%s %zu %zu %zu\n", t->name, t->count, t->count * t->size, t->live * t->size);
    }
    /* 8000 blocks grown from 64 bytes to 4 KiB in 64-byte steps, every
     * other one kept: 1.06 GB allocated by that count, 16 MB live. */
    enum { GROWN = 8000, STEP = 64, TOP = 4096 };
    size_t calls = 0, bytes = 0, live = 0;
    for (size_t i = 0; i < GROWN; i++) {
        char *p = NULL;
        heaptag_push("Grown");
        for (size_t size = STEP; size <= TOP; size += STEP) {
            char *q = realloc(p, size);
            if (!q)
                return 3;
            q[size - 1] = (char)i;
            p = q;
            calls++;
            bytes += size;
        }
        heaptag_pop();
        if (i % 2)
            free(p);
        else
            live += TOP;
    }
    printf("Grown %zu %zu %zu\n", calls, bytes, live);
    return 0;
}
