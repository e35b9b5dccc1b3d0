/* dict.c — the per-instance hash map of the dict layout (see dict.h for
 * what of CPython it models).
 *
 * Open addressing with CPython's perturbed probe sequence, so
 * collisions cost what they cost there.
 */
#include "dict.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define DICT_MINSIZE 8
#define USABLE_FRACTION(n) (((n) << 1) / 3)
#define PERTURB_SHIFT 5
#define KEY_OWNED 0x80000000u /* high bit of kind: key was copied */
#define IX_EMPTY (-1)

struct dict_entry { /* 24 bytes, like PyDictKeyEntry */
    uint32_t hash;
    uint32_t kind;
    const char *key;
    hc_slot value;
};

struct dict_keys { /* followed by indices[size] and entries[usable] */
    uint32_t size;
    uint32_t usable;      /* entries still free */
    uint32_t nentries;    /* entries used */
    uint32_t index_width; /* 1, 2 or 4 bytes per index */
};

struct hc_dict { /* the PyDictObject part */
    size_t used;
    struct dict_keys *keys;
};

static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static size_t keys_bytes(uint32_t size, uint32_t width)
{
    return sizeof(struct dict_keys) + (size_t)size * width +
           (size_t)USABLE_FRACTION(size) * sizeof(struct dict_entry);
}

static struct dict_entry *entries(const struct dict_keys *k)
{
    return (struct dict_entry *)((char *)(k + 1) + (size_t)k->size * k->index_width);
}

static int32_t ix_get(const struct dict_keys *k, size_t i)
{
    const void *ix = k + 1;
    switch (k->index_width) {
    case 1: return ((const int8_t *)ix)[i];
    case 2: return ((const int16_t *)ix)[i];
    default: return ((const int32_t *)ix)[i];
    }
}

static void ix_set(struct dict_keys *k, size_t i, int32_t v)
{
    void *ix = k + 1;
    switch (k->index_width) {
    case 1: ((int8_t *)ix)[i] = (int8_t)v; break;
    case 2: ((int16_t *)ix)[i] = (int16_t)v; break;
    default: ((int32_t *)ix)[i] = v; break;
    }
}

static struct dict_keys *keys_new(uint32_t size)
{
    uint32_t width = size <= 128 ? 1 : size <= 0x8000 ? 2 : 4;
    struct dict_keys *k = xmalloc(keys_bytes(size, width));
    k->size = size;
    k->usable = USABLE_FRACTION(size);
    k->nentries = 0;
    k->index_width = width;
    memset(k + 1, 0xff, (size_t)size * width); /* every index IX_EMPTY */
    return k;
}

/* Slot of the index table holding KEY's entry, or of the empty slot where
 * it would go. */
static size_t lookup_slot(const struct dict_keys *k, const char *key, uint32_t hash,
                          int32_t *ix_out)
{
    size_t mask = k->size - 1, i = hash & mask;
    size_t perturb = hash;
    const struct dict_entry *ep0 = entries(k);
    for (;;) {
        int32_t ix = ix_get(k, i);
        if (ix == IX_EMPTY) {
            *ix_out = IX_EMPTY;
            return i;
        }
        const struct dict_entry *e = &ep0[ix];
        if (e->key == key || (e->hash == hash && strcmp(e->key, key) == 0)) {
            *ix_out = ix;
            return i;
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

struct hc_dict *hc_dict_new(void)
{
    struct hc_dict *d = xmalloc(sizeof *d);
    d->used = 0;
    d->keys = keys_new(DICT_MINSIZE);
    return d;
}

static void grow(struct hc_dict *d)
{
    uint32_t want = (uint32_t)d->used * 3, size = DICT_MINSIZE;
    while (size < want)
        size <<= 1;
    struct dict_keys *old = d->keys, *k = keys_new(size);
    struct dict_entry *src = entries(old), *dst = entries(k);
    for (uint32_t j = 0; j < old->nentries; j++) {
        int32_t ix;
        size_t slot = lookup_slot(k, src[j].key, src[j].hash, &ix);
        dst[k->nentries] = src[j];
        ix_set(k, slot, (int32_t)k->nentries);
        k->nentries++;
        k->usable--;
    }
    free(old);
    d->keys = k;
}

int hc_dict_set(struct hc_dict *d, const char *key, int copy_key, uint32_t kind, hc_slot v,
                hc_slot *old, uint32_t *old_kind)
{
    uint32_t hash = str_hash(key);
    int32_t ix;
    size_t slot = lookup_slot(d->keys, key, hash, &ix);
    if (ix != IX_EMPTY) {
        struct dict_entry *e = &entries(d->keys)[ix];
        *old = e->value;
        *old_kind = e->kind & ~KEY_OWNED;
        e->value = v;
        e->kind = kind | (e->kind & KEY_OWNED);
        return 1;
    }
    if (d->keys->usable == 0) {
        grow(d);
        slot = lookup_slot(d->keys, key, hash, &ix);
    }
    struct dict_keys *k = d->keys;
    struct dict_entry *e = &entries(k)[k->nentries];
    e->hash = hash;
    e->kind = kind;
    if (copy_key) {
        e->key = xstrdup(key);
        e->kind |= KEY_OWNED;
    } else {
        e->key = key;
    }
    e->value = v;
    ix_set(k, slot, (int32_t)k->nentries);
    k->nentries++;
    k->usable--;
    d->used++;
    return 0;
}

int hc_dict_get(const struct hc_dict *d, const char *key, hc_slot *v, uint32_t *kind)
{
    int32_t ix;
    lookup_slot(d->keys, key, str_hash(key), &ix);
    if (ix == IX_EMPTY)
        return 0;
    const struct dict_entry *e = &entries(d->keys)[ix];
    *v = e->value;
    *kind = e->kind & ~KEY_OWNED;
    return 1;
}

size_t hc_dict_len(const struct hc_dict *d) { return d->used; }
size_t hc_dict_table_size(const struct hc_dict *d) { return d->keys->size; }

size_t hc_dict_storage_bytes(const struct hc_dict *d)
{
    return sizeof *d + keys_bytes(d->keys->size, d->keys->index_width);
}

void hc_dict_free(struct hc_dict *d, void (*release)(uint32_t kind, hc_slot v, void *ctx),
                  void *ctx)
{
    if (!d)
        return;
    struct dict_entry *e = entries(d->keys);
    for (uint32_t j = 0; j < d->keys->nentries; j++) {
        if (release)
            release(e[j].kind & ~KEY_OWNED, e[j].value, ctx);
        if (e[j].kind & KEY_OWNED)
            free((char *)e[j].key);
    }
    free(d->keys);
    free(d);
}
