/* Allocations through the PLT and through function pointers
 * (test-plt-binding.sh).
 *
 * Sampled mode points the program's PLT entries for malloc, free and
 * realloc at its own entry points; dlsym, and a pointer the program takes
 * to malloc (a GLOB_DAT entry: built with -DTAKE_ADDRESS, the linker then
 * calls malloc and free through it too), still give the exported hooks.
 * Both routes must be counted alike.  Prints "pointer same" when the
 * pointers used below are dlsym's, then allocates in type Routed: 100
 * blocks of 64 bytes by direct calls, 50 of 32 through the pointers, 100
 * reallocs to 128 bytes (by direct calls), and frees 120 of the 150, half
 * each way. */
#include <heaptag.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
#ifdef TAKE_ADDRESS
    void *(*volatile pmalloc)(size_t) = malloc;
    void (*volatile pfree)(void *) = free;
#else
    void *(*volatile pmalloc)(size_t) = (void *(*)(size_t))dlsym(RTLD_DEFAULT, "malloc");
    void (*volatile pfree)(void *) = (void (*)(void *))dlsym(RTLD_DEFAULT, "free");
#endif
    printf("pointer %s\n", (void *)pmalloc == dlsym(RTLD_DEFAULT, "malloc") ? "same" : "differs");
    static char *blocks[150];
    heaptag_push("Routed");
    for (int i = 0; i < 100; i++)
        blocks[i] = malloc(64);
    for (int i = 100; i < 150; i++)
        blocks[i] = pmalloc(32);
    for (int i = 0; i < 100; i++)
        blocks[i] = realloc(blocks[i], 128);
    heaptag_pop();
    for (int i = 0; i < 150; i++)
        if (!blocks[i])
            return 1;
    for (int i = 0; i < 60; i++)
        free(blocks[i]);
    for (int i = 90; i < 150; i++)
        pfree(blocks[i]);
    printf("ok\n");
    return 0; /* 30 blocks of 128 bytes stay live */
}
