/* object.h — the object model every hc type is built on.
 *
 * A type declares its attributes once (name and kind); an object stores
 * their values either in a fixed-slot struct (one 8-byte slot per declared
 * attribute, at a fixed index, like CPython's __slots__ member descriptors)
 * or in its own dict (dict.h), like an instance __dict__.  Which of the two
 * a type uses is fixed at compile time by the build mode (types.c).  The
 * library reaches attributes only through ho_get/ho_set, so the dict layout
 * pays its lookups on every access, as Python does.
 *
 * Heap tagging: object storage (struct, dict, keys table) is allocated under
 * the type's name; everything an object owns besides (strings, bodies,
 * arrays) under "<Type>.payload" via hc_payload_*().
 */
#ifndef HC_OBJECT_H
#define HC_OBJECT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dict.h"
#include "hc.h"

enum hc_kind {
    HK_INT = 1, /* int64 */
    HK_STR,     /* owned NUL-terminated string, payload */
    HK_BYTES,   /* owned struct hc_bytes *, payload */
    HK_OBJ,     /* owned hc object */
    HK_JSON,    /* owned json_t reference */
    HK_PTR      /* internal data released by the type's finalizer */
};

struct hc_attr {
    const char *name;
    enum hc_kind kind;
};

struct hc_object;

struct hc_type {
    const char *name;        /* heaptag type of the object's storage */
    const char *payload_tag; /* "<name>.payload" */
    const struct hc_attr *attrs;
    unsigned nattrs;
    bool slotted;
    void (*finalize)(struct hc_object *o); /* releases HK_PTR attributes */
    atomic_long live;
};

struct hc_object {
    const struct hc_type *type;
};

/* Length-prefixed bytes, always followed by a NUL not counted in len. */
struct hc_bytes {
    size_t len;
    unsigned char data[];
};

/* The types (types.c). */
extern struct hc_type hc_type_response, hc_type_request, hc_type_connection, hc_type_timeout,
    hc_type_headers, hc_type_session, hc_type_pool, hc_type_error;

/* A new object with every declared attribute present and zero. */
struct hc_object *ho_new(struct hc_type *t);
/* Release every owned attribute, then the storage. NULL is fine. */
void ho_free(struct hc_object *o);

hc_slot ho_get(const struct hc_object *o, unsigned attr);
/* Store V, releasing the previous value when the attribute owns it. */
void ho_set(struct hc_object *o, unsigned attr, hc_slot v);

static inline int64_t ho_int(const void *o, unsigned attr) { return ho_get(o, attr).i; }
static inline void *ho_ptr(const void *o, unsigned attr) { return ho_get(o, attr).p; }
static inline void ho_set_int(void *o, unsigned attr, int64_t i)
{
    hc_slot v = {.i = i};
    ho_set(o, attr, v);
}
static inline void ho_set_ptr(void *o, unsigned attr, void *p)
{
    hc_slot v = {.p = p};
    ho_set(o, attr, v);
}

/* Payload allocations, tagged "<Type>.payload". */
void *hc_payload_alloc(const struct hc_type *t, size_t n);
void *hc_payload_realloc(const struct hc_type *t, void *p, size_t n);
/* NULL (P untouched) when memory runs out: for blocks whose size a server
 * chooses. */
void *hc_payload_try_realloc(const struct hc_type *t, void *p, size_t n);
char *hc_payload_strndup(const struct hc_type *t, const char *s, size_t n);
char *hc_payload_strdup(const struct hc_type *t, const char *s);
struct hc_bytes *hc_bytes_new(const struct hc_type *t, const void *data, size_t len);

#endif
