/* The floor of any sampling tracker: bench/forward_only.c plus the byte
 * countdown that sampling by bytes must keep on every malloc.
 *
 * The countdown is per thread, of the bytes to the next sample; here it
 * only restarts.  Nothing is recorded, and free is passed on untouched, as
 * if sampled blocks could be told apart for free.  What it costs beyond
 * forward_only.c is the price of the countdown itself; what heaptag's
 * sampled mode costs beyond it is its free filter, its mode test and its
 * samples.
 *
 * Built for the benchmark only; never installed. */
#include <stddef.h>
#include <stdint.h>

extern void *__libc_malloc(size_t);
extern void __libc_free(void *);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

#define MEAN (512 * 1024)

static __thread uint64_t left __attribute__((tls_model("initial-exec"))) = MEAN;

static inline void count(size_t n)
{
    uint64_t l = left;
    left = n < l ? l - n : MEAN;
}

__attribute__((visibility("default"))) void *malloc(size_t n)
{
    count(n);
    return __libc_malloc(n);
}
__attribute__((visibility("default"))) void free(void *p) { __libc_free(p); }
__attribute__((visibility("default"))) void *calloc(size_t n, size_t size)
{
    count(n * size);
    return __libc_calloc(n, size);
}
__attribute__((visibility("default"))) void *realloc(void *p, size_t n)
{
    count(n);
    return __libc_realloc(p, n);
}
