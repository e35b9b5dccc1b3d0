/* A library that tests dlopen(): its constructor allocates, its destructor frees.
 *
 * A library that tests dlopen(): its constructor allocates one 64-byte
 * "Plugin" block that its destructor frees (so every dlopen/dlclose cycle is
 * one alloc and one free), and plugin_malloc() hands out memory from
 * whatever malloc this library is bound to (libc's own under RTLD_DEEPBIND).
 */
#include "heaptag.h"

#include <stdlib.h>

static void *block;

__attribute__((constructor)) static void plugin_init(void)
{
    HEAPTAG_PUSH("Plugin");
    block = malloc(64);
    HEAPTAG_POP();
}

__attribute__((destructor)) static void plugin_fini(void) { free(block); }

void *plugin_malloc(size_t n) { return malloc(n); }
