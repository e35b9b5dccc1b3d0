/* dyn_lookup.h: GNU hash (every Debian object has one) or SysV hash. */
#include "dyn_lookup.h"
#include <elf.h>
#include <stdint.h>
#include <string.h>

struct dyn_tables {
    const ElfW(Sym) * symtab;
    const char *strtab;
    const uint32_t *gnu_hash;
    const uint32_t *sysv_hash;
};

/* ld.so relocates these entries in place, except in objects whose
 * dynamic section is read-only (the vDSO): an address below the load
 * bias is still unrelocated. */
static const void *dyn_ptr(const struct link_map *lm, ElfW(Addr) v)
{
    return (const void *)(v < lm->l_addr ? v + lm->l_addr : v);
}

static int tables_of(const struct link_map *lm, struct dyn_tables *t)
{
    memset(t, 0, sizeof *t);
    if (!lm->l_ld)
        return 0;
    for (const ElfW(Dyn) *d = lm->l_ld; d->d_tag != DT_NULL; d++) {
        if (d->d_tag == DT_SYMTAB)
            t->symtab = dyn_ptr(lm, d->d_un.d_ptr);
        else if (d->d_tag == DT_STRTAB)
            t->strtab = dyn_ptr(lm, d->d_un.d_ptr);
        else if (d->d_tag == DT_GNU_HASH)
            t->gnu_hash = dyn_ptr(lm, d->d_un.d_ptr);
        else if (d->d_tag == DT_HASH)
            t->sysv_hash = dyn_ptr(lm, d->d_un.d_ptr);
    }
    return t->symtab && t->strtab && (t->gnu_hash || t->sysv_hash);
}

static int defines(const struct dyn_tables *t, uint32_t i, const char *name)
{
    const ElfW(Sym) *s = &t->symtab[i];
    int type = ELF64_ST_TYPE(s->st_info);
    return s->st_shndx != SHN_UNDEF && s->st_value && (type == STT_FUNC) &&
           strcmp(t->strtab + s->st_name, name) == 0;
}

static uint32_t gnu_hash(const char *s)
{
    uint32_t h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

static uint32_t sysv_hash(const char *s)
{
    uint32_t h = 0, g;
    for (; *s; s++) {
        h = (h << 4) + (unsigned char)*s;
        g = h & 0xf0000000u;
        if (g)
            h ^= g >> 24;
        h &= ~g;
    }
    return h;
}

void *dyn_lookup(const struct link_map *lm, const char *name)
{
    struct dyn_tables t;
    if (!tables_of(lm, &t))
        return NULL;
    uint32_t found = 0;
    if (t.gnu_hash) {
        const uint32_t *h = t.gnu_hash;
        uint32_t nbuckets = h[0], symoffset = h[1], bloom_size = h[2];
        const ElfW(Addr) *bloom = (const ElfW(Addr) *)(h + 4);
        const uint32_t *buckets = (const uint32_t *)(bloom + bloom_size);
        const uint32_t *chain = buckets + nbuckets;
        uint32_t hash = gnu_hash(name);
        if (!nbuckets)
            return NULL;
        uint32_t i = buckets[hash % nbuckets];
        if (i < symoffset)
            return NULL;
        for (;; i++) {
            uint32_t ch = chain[i - symoffset];
            if ((ch | 1) == (hash | 1) && defines(&t, i, name)) {
                found = i;
                break;
            }
            if (ch & 1)
                break;
        }
    } else {
        const uint32_t *h = t.sysv_hash;
        uint32_t nbucket = h[0];
        const uint32_t *bucket = h + 2, *chain = bucket + nbucket;
        if (!nbucket)
            return NULL;
        for (uint32_t i = bucket[sysv_hash(name) % nbucket]; i; i = chain[i])
            if (defines(&t, i, name)) {
                found = i;
                break;
            }
    }
    return found ? (void *)(lm->l_addr + t.symtab[found].st_value) : NULL;
}
