/* The allocator heaptag forwards to: the next definition of each function
 * after ours in symbol-lookup order (libc's, or another preloaded allocator
 * such as jemalloc). */
#ifndef HT_NEXT_ALLOC_H
#define HT_NEXT_ALLOC_H
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

extern struct next_alloc next;
/* 0: not resolved, 1: resolving (dlsym may call us back), 2: ready. */
extern int next_alloc_state;

/* Resolve the next allocator; safe to call from any hook, any number of
 * times.  Returns 1 when ready, 0 if this thread is inside the resolution
 * (the caller must then serve from the bootstrap heap). */
int next_alloc_resolve(void);
/* The file that defines the malloc we forward to (for the report). */
const char *next_alloc_provider(void);
/* Fill next_alloc_provider(); called from the constructor (dladdr takes the
 * loader lock, which is not safe from inside an arbitrary malloc call). */
void next_alloc_describe(void);

/* Bootstrap heap: a static arena that serves the allocations made by dlsym
 * while we are still looking up the real allocator.  Its blocks are never
 * reused; freeing one does nothing. */
void *bootstrap_alloc(size_t size, size_t align);
int bootstrap_owns(const void *p);
size_t bootstrap_size(const void *p);
#endif
