/* mmap-backed bookkeeping memory.  MAP_NORESERVE: the block map reserves
 * large leaves of which programs touch a small part; only touched pages
 * cost memory, and the overcommit heuristic should not refuse them. */
#include "os_mem.h"
#include "ht_common.h"
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

static uint64_t mapped_bytes;

void *os_mem_map(size_t bytes)
{
    int saved = errno;
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    errno = saved;
    if (p == MAP_FAILED)
        return NULL;
    __atomic_add_fetch(&mapped_bytes, bytes, __ATOMIC_RELAXED);
    return p;
}

void os_mem_unmap(void *p, size_t bytes)
{
    int saved = errno;
    if (munmap(p, bytes) == 0)
        __atomic_sub_fetch(&mapped_bytes, bytes, __ATOMIC_RELAXED);
    errno = saved;
}

uint64_t os_mem_mapped_bytes(void)
{
    return HT_LOAD(&mapped_bytes);
}

uint64_t os_mem_resident(const void *p, size_t bytes)
{
    const size_t page = 4096;
    unsigned char vec[256];
    uint64_t resident = 0;
    uintptr_t start = (uintptr_t)p & ~(uintptr_t)(page - 1);
    uintptr_t end = (uintptr_t)p + bytes;
    int saved = errno;
    while (start < end) {
        size_t pages = (end - start + page - 1) / page;
        if (pages > sizeof vec)
            pages = sizeof vec;
        if (mincore((void *)start, pages * page, vec) != 0)
            break;
        for (size_t i = 0; i < pages; i++)
            resident += (vec[i] & 1) ? page : 0;
        start += pages * page;
    }
    errno = saved;
    return resident;
}
