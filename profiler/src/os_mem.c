/* mmap-backed bookkeeping memory.
 *
 * MAP_NORESERVE: the block map reserves large leaves of which programs
 * touch a small part; only touched pages cost memory, and the overcommit
 * heuristic should not refuse them. */
#include "os_mem.h"
#include "ht_common.h"
#include "proc_hex.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint64_t mapped_bytes;

void *os_mem_map(size_t bytes)
{
    int saved = errno;
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    errno = saved;
    if (p == MAP_FAILED)
        return NULL;
    __atomic_add_fetch(&mapped_bytes, bytes, __ATOMIC_RELAXED);
    return p;
}

void *os_mem_map_at(uintptr_t at, size_t bytes)
{
    int saved = errno;
    void *p = mmap((void *)at, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != MAP_FAILED && p != (void *)at) {
        /* A kernel older than 4.17 took the flag for a hint. */
        munmap(p, bytes);
        p = MAP_FAILED;
    }
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

uint64_t os_mem_mapped_bytes(void) { return HT_LOAD(&mapped_bytes); }

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

/* Lines of /proc/self/smaps are assembled from 4 KiB reads in a fixed
 * buffer (no allocation, no stdio: this runs in signal handlers).  A
 * mapping's block is its header line "start-end perms ..." followed by
 * "Key:   value kB" lines; we want the Rss of the block whose start is p. */
static int starts_with(const char *s, const char *eol, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (s >= eol || *s != *prefix)
            return 0;
    return 1;
}

static uint64_t parse_kb(const char *s, const char *eol)
{
    uint64_t v = 0;
    while (s < eol && (*s < '0' || *s > '9'))
        s++;
    for (; s < eol && *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (uint64_t)(*s - '0');
    return v * 1024;
}

uint64_t os_mem_region_resident(const void *p)
{
    int saved = errno;
    int fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        errno = saved;
        return 0;
    }
    char buf[4096];
    size_t have = 0;
    int inside = 0; /* in the block of the mapping at p */
    uint64_t rss = 0;
    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof buf - have);
        if (n <= 0)
            break;
        have += (size_t)n;
        char *line = buf, *end = buf + have, *eol;
        while ((eol = memchr(line, '\n', (size_t)(end - line))) != NULL) {
            const char *q = line;
            uint64_t start = proc_hex(&q, eol);
            if (q > line && q < eol && *q == '-') { /* a header line: "start-end ..." */
                if (inside)
                    goto done; /* the next mapping: no Rss line in ours */
                inside = start == (uintptr_t)p;
            } else if (inside && starts_with(line, eol, "Rss:")) {
                rss = parse_kb(line + 4, eol);
                goto done;
            }
            line = eol + 1;
        }
        /* Keep the unfinished line; a line longer than the buffer (a path
         * of 4 KiB) is dropped, as it is no line we look for. */
        have = (size_t)(end - line);
        if (have == sizeof buf)
            have = 0;
        memmove(buf, line, have);
    }
done:
    close(fd);
    errno = saved;
    return rss;
}
