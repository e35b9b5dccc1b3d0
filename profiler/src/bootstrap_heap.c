/* The bootstrap arena of next_alloc.h.
 *
 * glibc's dlsym asks for a few hundred bytes at most; 256 KiB leaves
 * room for other loaders' quirks.  Each block has a 16-byte header
 * holding its size, so realloc of a bootstrap block can copy it out. */
#include "next_alloc.h"
#include "ht_common.h"
#include <errno.h>

char bootstrap_arena[BOOTSTRAP_BYTES] __attribute__((aligned(64)));
#define arena bootstrap_arena
static size_t used;

void *bootstrap_alloc(size_t size, size_t align)
{
    if (align < 16)
        align = 16;
    for (;;) {
        size_t start = __atomic_load_n(&used, __ATOMIC_RELAXED);
        size_t payload = (start + 16 + align - 1) & ~(align - 1);
        size_t end = payload + ((size + 15) & ~(size_t)15);
        if (end > BOOTSTRAP_BYTES || end < payload) {
            errno = ENOMEM;
            return NULL;
        }
        if (__atomic_compare_exchange_n(&used, &start, end, 0, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED)) {
            *(size_t *)(arena + payload - 16) = size;
            return arena + payload;
        }
    }
}

size_t bootstrap_size(const void *p) { return *(const size_t *)((const char *)p - 16); }

size_t bootstrap_used(void) { return __atomic_load_n(&used, __ATOMIC_RELAXED); }
