/* The allocator heaptag forwards to: the next definition of each function
 * after ours in symbol-lookup order.
 *
 * That is libc's, or another preloaded allocator such as jemalloc. */
#ifndef HT_NEXT_ALLOC_H
#define HT_NEXT_ALLOC_H
#include "ht_common.h"
#include <stddef.h>

struct next_alloc {
    void *(*malloc)(size_t);
    void (*free)(void *);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    int (*posix_memalign)(void **, size_t, size_t);
    size_t (*usable_size)(void *);
    /* NULL where the next allocator does not define them itself; the hooks
     * then build them from posix_memalign, so that no block ever comes from
     * a different allocator than the one that will free it. */
    void *(*aligned_alloc)(size_t, size_t);
    void *(*memalign)(size_t, size_t);
    void *(*valloc)(size_t);
    void *(*pvalloc)(size_t);
};

extern HT_HIDDEN struct next_alloc next;
/* 0: not resolved, 1: resolving (dlsym may call us back), 2: ready. */
extern HT_HIDDEN int next_alloc_state;

/* Resolve the next allocator; safe to call from any hook, any number of
 * times.  Returns 1 when ready, 0 if this thread is inside the resolution
 * (the caller must then serve from the bootstrap heap). */
int next_alloc_resolve(void);
/* The base address of the loaded object that defines FN, or NULL. */
HT_HIDDEN void *object_of(void *fn);
/* The file that defines the malloc we forward to (for the report). */
const char *next_alloc_provider(void);
/* Fill next_alloc_provider(); called from the constructor (dladdr takes the
 * loader lock, which is not safe from inside an arbitrary malloc call). */
void next_alloc_describe(void);

/* Set when the program's malloc is not ours (another allocator comes
 * before us in LD_PRELOAD, or the program defines malloc): NEXT is then
 * the allocator the program calls, and only the functions that allocator
 * lacks reach our hooks.  lifecycle.c reorders LD_PRELOAD or warns. */
extern HT_HIDDEN int next_alloc_bypassed;

/* Set when the next allocator is glibc's and its chunk header was checked
 * to give the same usable sizes as malloc_usable_size (see next_alloc.c). */
extern HT_HIDDEN int next_is_glibc;

/* malloc_usable_size of a live block.  For glibc it reads the chunk header
 * directly: this runs twice per malloc/free pair, and the call through the
 * PLT with glibc's own checks costs more than the rest of the bookkeeping.
 * A live block is always in use, so glibc's in-use check is not needed. */
static inline size_t glibc_usable_size(const void *p)
{
    size_t header = ((const size_t *)p)[-1];
    return (header & ~(size_t)7) - ((header & 2) ? 16 : 8);
}

static inline size_t next_usable_size(void *p)
{
    if (__builtin_expect(next_is_glibc, 1))
        return glibc_usable_size(p);
    return next.usable_size(p);
}

/* Bootstrap heap: a static arena that serves the allocations made by dlsym
 * while we are still looking up the real allocator.  Its blocks are never
 * reused; freeing one does nothing. */
void *bootstrap_alloc(size_t size, size_t align);
extern HT_HIDDEN char bootstrap_arena[];
#define BOOTSTRAP_BYTES (256 * 1024)
static inline int bootstrap_owns(const void *p)
{
    return (const char *)p >= bootstrap_arena &&
           (const char *)p < bootstrap_arena + BOOTSTRAP_BYTES;
}
size_t bootstrap_size(const void *p);
/* Bytes of the arena handed out so far (final once the allocator is resolved). */
size_t bootstrap_used(void);
#endif
