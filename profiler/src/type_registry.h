/* Type names and their ids.
 *
 * Ids are dense (1, 2, 3 …) so per-type counters are a plain array
 * indexed by id.  Names are copied into tracker-owned memory: the
 * program's string may be a temporary. */
#ifndef HT_TYPE_REGISTRY_H
#define HT_TYPE_REGISTRY_H
#include <stdint.h>

/* The id of NAME, registering it on first use.  Past HT_MAX_TYPES distinct
 * names, further ones share the id of "heaptag.other-types". */
uint32_t type_intern(const char *name);
/* Number of ids handed out so far, plus one (ids run 1 .. count-1). */
uint32_t type_count(void);
const char *type_name(uint32_t id);
void type_registry_lock_for_fork(void);
void type_registry_unlock_after_fork(void);
#endif
