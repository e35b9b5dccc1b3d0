/* The program's PLT bound to the mode's own entry points (plt_bind.c). */
#ifndef HT_PLT_BIND_H
#define HT_PLT_BIND_H
#include "ht_common.h"
#include <stddef.h>

/* Point the PLT entries of malloc, free and realloc that the loader bound
 * to our exported hooks, in every module loaded now, at the entry points
 * of the mode the tracker runs in, which skip the mode test.  Does nothing
 * unless our hooks serve the program.  From the constructor only, once the
 * mode is settled (it takes the loader's lock).  Returns the number of
 * entries changed. */
unsigned hooks_bind_plt(void);

/* Our exported hooks by hidden names (alloc_hooks.c): &malloc here would
 * name the process's first malloc, which need not be ours. */
extern HT_HIDDEN __typeof__(void *(size_t)) ht_hook_malloc;
extern HT_HIDDEN __typeof__(void(void *)) ht_hook_free;
extern HT_HIDDEN __typeof__(void *(void *, size_t)) ht_hook_realloc;

/* Each mode's entry points: the exported hooks' two branches
 * (alloc_hooks.c). */
HT_HIDDEN void *malloc_exact(size_t size);
HT_HIDDEN void free_exact(void *p);
HT_HIDDEN void *realloc_exact(void *p, size_t size);
HT_HIDDEN void *sampled_malloc(size_t size);
HT_HIDDEN void sampled_free(void *p);
HT_HIDDEN void *sampled_realloc(void *p, size_t size);
#endif
