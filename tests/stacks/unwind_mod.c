/* The module unwind-prog loads and unloads (test-unwind-check.sh). */
#include <stdlib.h>
#include <string.h>

static volatile int sink;

static __attribute__((noinline)) void inner(int n)
{
    char *p = malloc(32 + (size_t)n);
    memset(p, n, 32);
    sink += p[3];
    free(p);
}

void module_alloc(int n)
{
    for (int i = 0; i < 10; i++)
        inner(n + i);
}
