/* The floor of any preloaded allocation tracker: malloc, free, calloc and
 * realloc taken from the program and only passed on to glibc.
 *
 * Whatever it costs (one more jump per call, one more line of code and data
 * in the cache) every LD_PRELOAD tool pays before it counts anything;
 * run-tracker-bench.sh measures it beside heaptag, so that a ratio can be
 * read as "the floor" plus "heaptag's own work".
 *
 * Built for the benchmark only; never installed. */
#include <stddef.h>

extern void *__libc_malloc(size_t);
extern void __libc_free(void *);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

__attribute__((visibility("default"))) void *malloc(size_t n) { return __libc_malloc(n); }
__attribute__((visibility("default"))) void free(void *p) { __libc_free(p); }
__attribute__((visibility("default"))) void *calloc(size_t n, size_t size)
{
    return __libc_calloc(n, size);
}
__attribute__((visibility("default"))) void *realloc(void *p, size_t n)
{
    return __libc_realloc(p, n);
}
