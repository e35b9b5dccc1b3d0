/* Type scopes and the public tagging API of heaptag.h.
 *
 * heaptag_push resolves a name to an id once per call; a small per-thread
 * cache keyed by the name's address avoids the registry's hashing when a
 * program pushes the same literal again and again.  The cache is checked
 * against the registered name, because the same address may hold another
 * name later (a reused buffer).  Scopes deeper than SCOPE_STACK_DEPTH keep
 * the type of the deepest stored one, and pops stay balanced. */
#include "scope_stack.h"
#include "block_map.h"
#include "next_alloc.h"
#include "stats.h"
#include "type_registry.h"
#include "report.h"
#include "sampling.h"
#include <string.h>

__thread uint16_t scope_stack[SCOPE_STACK_DEPTH];
__thread uint32_t scope_depth;

#define NAME_CACHE 16
static __thread struct {
    const char *name;
    uint32_t id;
} name_cache[NAME_CACHE];

static uint32_t id_of(const char *name)
{
    if (!name)
        return HT_TYPE_UNTAGGED;
    unsigned slot = ((uintptr_t)name >> 3) & (NAME_CACHE - 1);
    if (name_cache[slot].name == name) {
        uint32_t id = name_cache[slot].id;
        if (strcmp(type_name(id), name) == 0)
            return id;
    }
    uint32_t id = type_intern(name);
    name_cache[slot].name = name;
    name_cache[slot].id = id;
    return id;
}

void scope_push_id(uint32_t id)
{
    uint32_t d = scope_depth;
    if (d < SCOPE_STACK_DEPTH)
        scope_stack[d] = (uint16_t)id;
    scope_depth = d + 1;
}

void scope_pop(void)
{
    if (scope_depth > 0)
        scope_depth--;
}

HT_EXPORT void heaptag_push(const char *type) { scope_push_id(id_of(type)); }

HT_EXPORT void heaptag_pop(void) { scope_pop(); }

HT_EXPORT void heaptag_instance_new(const char *type) { stats_instance(id_of(type), 1); }

HT_EXPORT void heaptag_instance_free(const char *type) { stats_instance(id_of(type), -1); }

HT_EXPORT int heaptag_retag(void *block, const char *type)
{
    struct block_record r;
    size_t usable;
    if (block && HT_UNLIKELY(sample_mean))
        return sample_retag(block, id_of(type));
    if (!block || next_alloc_state != 2 || !block_map_lookup(block, &usable, &r))
        return -1;
    uint32_t to = id_of(type);
    if (to == r.type)
        return 0;
    if (block_map_set_type(block, to, r.requested, usable) != 0)
        return -1;
    stats_block_moved(r.type, to, r.requested, usable);
    return 0;
}

HT_EXPORT int heaptag_dump(const char *path) { return report_write(path, "dump"); }
