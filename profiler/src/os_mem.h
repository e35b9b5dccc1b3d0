/* Memory for the tracker's own bookkeeping, straight from the kernel. */
#ifndef HT_OS_MEM_H
#define HT_OS_MEM_H
#include <stddef.h>
#include <stdint.h>

/* Zero-filled, page-aligned; NULL on failure.  errno is preserved. */
void *os_mem_map(size_t bytes);
void os_mem_unmap(void *p, size_t bytes);
/* Like os_mem_map, but at exactly `at` (MAP_FIXED_NOREPLACE); NULL if
 * that range is taken or refused.  Never placed elsewhere: a large mapping
 * where the kernel would put the program's next mmap shifts every later
 * mapping of the program, and with it the program's own behaviour. */
void *os_mem_map_at(uintptr_t at, size_t bytes);
/* Address space currently mapped through os_mem_map. */
uint64_t os_mem_mapped_bytes(void);
/* Resident bytes of [p, p+bytes) per mincore(2); async-signal-safe. */
uint64_t os_mem_resident(const void *p, size_t bytes);
/* Resident bytes of the mapping that starts at p, from its "Rss:" line in
 * /proc/self/smaps (for reservations too large for mincore's page-by-page
 * answer); 0 if it cannot be read.  async-signal-safe. */
uint64_t os_mem_region_resident(const void *p);
#endif
