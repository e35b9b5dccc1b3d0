/* The type registry of type_registry.h.
 *
 * Lookups are lock-free (readers only follow published pointers);
 * registration takes a spinlock and publishes the name before the id,
 * so a reader that sees an id always sees its complete name. */
#include "type_registry.h"
#include "ht_common.h"
#include "os_mem.h"
#include "text_buf.h"
#include <string.h>

#define INDEX_SLOTS (2 * HT_MAX_TYPES) /* power of two, load <= 1/2 */
#define NAME_CHUNK (64 * 1024)
#define MAX_NAME 255

static const char *names[HT_MAX_TYPES];
static uint32_t hashes[HT_MAX_TYPES];
static uint16_t index_slots[INDEX_SLOTS]; /* 0: empty, else an id */
static uint32_t next_id = 2;              /* id 1 is reserved for untagged */
static uint32_t other_id;
static ht_spinlock lock;
static char *name_chunk;
static size_t name_chunk_used = NAME_CHUNK;

static uint32_t hash_name(const char *s, size_t *len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    size_t n = 0;
    for (; s[n] && n < MAX_NAME; n++)
        h = (h ^ (unsigned char)s[n]) * 16777619u;
    *len = n;
    return h;
}

static int same(uint32_t id, const char *s, size_t len, uint32_t h)
{
    const char *n = names[id];
    return hashes[id] == h && strncmp(n, s, len) == 0 && n[len] == 0;
}

static const char *copy_name(const char *s, size_t len)
{
    if (name_chunk_used + len + 1 > NAME_CHUNK) {
        char *c = os_mem_map(NAME_CHUNK);
        if (!c)
            return NULL;
        name_chunk = c;
        name_chunk_used = 0;
    }
    char *dst = name_chunk + name_chunk_used;
    memcpy(dst, s, len);
    dst[len] = 0;
    name_chunk_used += len + 1;
    return dst;
}

static uint32_t lookup_locked_or_not(const char *s, size_t len, uint32_t h, size_t *free_slot)
{
    for (size_t i = h & (INDEX_SLOTS - 1);; i = (i + 1) & (INDEX_SLOTS - 1)) {
        uint32_t id = __atomic_load_n(&index_slots[i], __ATOMIC_ACQUIRE);
        if (!id) {
            if (free_slot)
                *free_slot = i;
            return 0;
        }
        if (same(id, s, len, h))
            return id;
    }
}

static uint32_t add_locked(const char *s, size_t len, uint32_t h, size_t slot)
{
    if (next_id >= HT_MAX_TYPES - 1 && !other_id) {
        /* Reserve the last id for everything past the limit. */
        names[HT_MAX_TYPES - 1] = "heaptag.other-types";
        size_t olen;
        hashes[HT_MAX_TYPES - 1] = hash_name(names[HT_MAX_TYPES - 1], &olen);
        other_id = HT_MAX_TYPES - 1;
    }
    if (next_id >= HT_MAX_TYPES - 1)
        return other_id;
    const char *copy = copy_name(s, len);
    if (!copy)
        return HT_TYPE_UNTAGGED;
    uint32_t id = next_id;
    names[id] = copy;
    hashes[id] = h;
    __atomic_store_n(&next_id, id + 1, __ATOMIC_RELEASE);
    __atomic_store_n(&index_slots[slot], (uint16_t)id, __ATOMIC_RELEASE);
    return id;
}

/* The name a type is registered and written under, so that every name a
 * program may pass gives a report the readers accept, and two names that
 * differ stay different there: the empty name becomes "(empty)", each byte
 * that is not part of valid UTF-8 becomes U+FFFD, and a name is cut at
 * MAX_NAME bytes on a character boundary.  Control characters stay (the
 * JSON writer escapes them; the readers never print them raw).  Returns
 * NAME itself when it is already canonical (the usual case), else BUF. */
static const char *canonical(const char *name, char buf[MAX_NAME + 1])
{
    if (!*name)
        return "(empty)";
    const unsigned char *s = (const unsigned char *)name;
    size_t i = 0;
    while (s[i] && i < MAX_NAME) {
        size_t n = s[i] < 0x80 ? 1 : utf8_len(s + i);
        if (!n || i + n > MAX_NAME)
            break;
        i += n;
    }
    if (!s[i])
        return name;
    size_t out = 0;
    for (i = 0; s[i];) {
        size_t n = s[i] < 0x80 ? 1 : utf8_len(s + i);
        const unsigned char *piece = s + i;
        if (!n) {
            piece = (const unsigned char *)"\xef\xbf\xbd";
            i++;
            n = 3;
        } else {
            i += n;
        }
        if (out + n > MAX_NAME)
            break;
        memcpy(buf + out, piece, n);
        out += n;
    }
    buf[out] = 0;
    return buf;
}

uint32_t type_intern(const char *name)
{
    size_t len;
    char buf[MAX_NAME + 1];
    if (!name)
        return HT_TYPE_UNTAGGED;
    name = canonical(name, buf);
    uint32_t h = hash_name(name, &len);
    if (len == 8 && memcmp(name, "untagged", 8) == 0)
        return HT_TYPE_UNTAGGED;
    uint32_t id = lookup_locked_or_not(name, len, h, NULL);
    if (id)
        return id;
    ht_spin_lock(&lock);
    size_t slot = 0;
    id = lookup_locked_or_not(name, len, h, &slot);
    if (!id)
        id = add_locked(name, len, h, slot);
    ht_spin_unlock(&lock);
    return id;
}

uint32_t type_count(void)
{
    uint32_t n = __atomic_load_n(&next_id, __ATOMIC_ACQUIRE);
    return other_id ? HT_MAX_TYPES : n;
}

const char *type_name(uint32_t id)
{
    if (id == HT_TYPE_UNTAGGED)
        return "untagged";
    if (id >= HT_MAX_TYPES)
        return "heaptag.invalid";
    const char *n = __atomic_load_n(&names[id], __ATOMIC_ACQUIRE);
    return n ? n : "heaptag.invalid";
}

void type_registry_lock_for_fork(void) { ht_spin_lock(&lock); }
void type_registry_unlock_after_fork(void) { ht_spin_unlock(&lock); }
