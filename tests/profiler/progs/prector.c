/* Allocations before the tracker's constructor has run.
 *
 * prector: allocations before the tracker's constructor has run (a library
 * constructor, see prector-lib.c) and in a priority-101 constructor of the
 * program, freed partly there and partly in main.  Prints a line computed
 * from the blocks' contents, which must not change under the tracker.
 *
 * Figures (the test checks them exactly):
 *   LibCtor: 2 allocs (1000, 2000), 2 frees, peak 3000, live 0
 *   PreCtor: 3 allocs (111, 222, calloc 3x33), 2 frees, peak 432, live 99
 */
#include "heaptag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned prector_lib_release(void);

static char *pa, *pc;

__attribute__((constructor(101))) static void early(void)
{
    HEAPTAG_PUSH("PreCtor");
    pa = malloc(111);
    char *pb = malloc(222);
    pc = calloc(3, 33);
    HEAPTAG_POP();
    if (!pa || !pb || !pc)
        abort();
    memset(pa, 'a', 111);
    memset(pb, 'b', 222);
    free(pb);
}

int main(void)
{
    unsigned sum = prector_lib_release();
    for (int i = 0; i < 111; i++)
        sum += (unsigned char)pa[i];
    for (int i = 0; i < 99; i++)
        sum += (unsigned char)pc[i]; /* calloc: zero */
    free(pa);
    printf("prector: checksum %u\n", sum);
    return 0;
}
