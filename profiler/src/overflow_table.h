/* Records that do not fit a block-map cell.
 *
 * Blocks whose usable size exceeds the requested size by more than a cell
 * can say (large mmapped blocks, aligned blocks), types with ids above
 * 2047, and addresses the map does not cover (not 16-byte aligned, or above
 * 2^47), and blocks whose map leaf could not be mapped (the process ran out
 * of address space).  An open-addressing hash table under a spinlock: these
 * blocks are few and expensive anyway. */
#ifndef HT_OVERFLOW_TABLE_H
#define HT_OVERFLOW_TABLE_H
#include "ht_common.h"

int overflow_insert(uintptr_t key, uint32_t type, uint64_t requested);
/* Records in the table now (a relaxed read: cheap enough to ask before a
 * lookup that would otherwise be wasted). */
size_t overflow_count(void);
/* Map the first table ahead of need, so blocks still find a place when
 * the process has run out of address space later. */
void overflow_reserve(void);
int overflow_lookup(uintptr_t key, struct block_record *out);
int overflow_erase(uintptr_t key);
int overflow_set_type(uintptr_t key, uint32_t type);
uint64_t overflow_resident_bytes(void);
/* Held across fork() so the child never inherits it locked. */
void overflow_lock_for_fork(void);
void overflow_unlock_after_fork(void);
#endif
