/* object.c — storage, attribute access and lifetime of hc objects
 * (object.h), plus the public generic attribute API of hc.h.
 */
#include "object.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "heaptag.h"
#include "xalloc.h"

struct slotted_object {
    struct hc_object ob;
    hc_slot slots[];
};

struct dict_object {
    struct hc_object ob;
    struct hc_dict *dict;
};

static size_t slotted_size(const struct hc_type *t)
{
    return sizeof(struct slotted_object) + t->nattrs * sizeof(hc_slot);
}

struct hc_object *ho_new(struct hc_type *t)
{
    struct hc_object *o;
    HEAPTAG_PUSH(t->name);
    if (t->slotted) {
        struct slotted_object *s = xcalloc(1, slotted_size(t));
        o = &s->ob;
    } else {
        struct dict_object *d = xmalloc(sizeof *d);
        d->dict = hc_dict_new();
        /* Like an __init__ assigning every attribute: all declared keys
         * exist from the start, in declaration order. */
        for (unsigned i = 0; i < t->nattrs; i++) {
            hc_slot zero = {.i = 0}, old;
            uint32_t old_kind;
            hc_dict_set(d->dict, t->attrs[i].name, 0, t->attrs[i].kind, zero, &old, &old_kind);
        }
        o = &d->ob;
    }
    HEAPTAG_POP();
    o->type = t;
    atomic_fetch_add(&t->live, 1);
    HEAPTAG_INSTANCE_NEW(t->name);
    return o;
}

static void release_value(uint32_t kind, hc_slot v, void *ctx)
{
    (void)ctx;
    switch (kind) {
    case HK_STR:
    case HK_BYTES: free(v.p); break;
    case HK_OBJ: ho_free(v.p); break;
    case HK_JSON:
        if (v.p)
            json_decref(v.p);
        break;
    default: break;
    }
}

void ho_free(struct hc_object *o)
{
    if (!o)
        return;
    const struct hc_type *t = o->type;
    if (t->finalize)
        t->finalize(o);
    if (t->slotted) {
        struct slotted_object *s = (struct slotted_object *)o;
        for (unsigned i = 0; i < t->nattrs; i++)
            release_value(t->attrs[i].kind, s->slots[i], NULL);
    } else {
        hc_dict_free(((struct dict_object *)o)->dict, release_value, NULL);
    }
    free(o);
    atomic_fetch_sub(&((struct hc_type *)t)->live, 1);
    HEAPTAG_INSTANCE_FREE(t->name);
}

hc_slot ho_get(const struct hc_object *o, unsigned attr)
{
    const struct hc_type *t = o->type;
    if (t->slotted)
        return ((const struct slotted_object *)o)->slots[attr];
    hc_slot v = {.i = 0};
    uint32_t kind;
    hc_dict_get(((const struct dict_object *)o)->dict, t->attrs[attr].name, &v, &kind);
    return v;
}

void ho_set(struct hc_object *o, unsigned attr, hc_slot v)
{
    const struct hc_type *t = o->type;
    hc_slot old;
    uint32_t kind = t->attrs[attr].kind;
    if (t->slotted) {
        hc_slot *slot = &((struct slotted_object *)o)->slots[attr];
        old = *slot;
        *slot = v;
    } else {
        uint32_t old_kind;
        HEAPTAG_PUSH(t->name);
        if (!hc_dict_set(((struct dict_object *)o)->dict, t->attrs[attr].name, 0, kind, v, &old,
                         &old_kind))
            old.p = NULL;
        HEAPTAG_POP();
    }
    if (old.p != v.p)
        release_value(kind, old, NULL);
}

void *hc_payload_alloc(const struct hc_type *t, size_t n)
{
    HEAPTAG_PUSH(t->payload_tag);
    void *p = xmalloc(n);
    HEAPTAG_POP();
    return p;
}

void *hc_payload_realloc(const struct hc_type *t, void *p, size_t n)
{
    /* A realloc'd block keeps its first type, so no scope is needed when P
     * exists; the scope matters for realloc(NULL, n). */
    HEAPTAG_PUSH(t->payload_tag);
    void *q = xrealloc(p, n);
    HEAPTAG_POP();
    return q;
}

void *hc_payload_try_realloc(const struct hc_type *t, void *p, size_t n)
{
    HEAPTAG_PUSH(t->payload_tag);
    void *q = realloc(p, n ? n : 1);
    HEAPTAG_POP();
    return q;
}

char *hc_payload_strndup(const struct hc_type *t, const char *s, size_t n)
{
    char *p = hc_payload_alloc(t, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *hc_payload_strdup(const struct hc_type *t, const char *s)
{
    return hc_payload_strndup(t, s, strlen(s));
}

struct hc_bytes *hc_bytes_new(const struct hc_type *t, const void *data, size_t len)
{
    struct hc_bytes *b = hc_payload_alloc(t, sizeof *b + len + 1);
    b->len = len;
    if (len)
        memcpy(b->data, data, len);
    b->data[len] = '\0';
    return b;
}

/* ---- public generic attribute API ------------------------------------ */

static int find_attr(const struct hc_type *t, const char *name)
{
    for (unsigned i = 0; i < t->nattrs; i++)
        if (strcmp(t->attrs[i].name, name) == 0)
            return (int)i;
    return -1;
}

static hc_value to_value(uint32_t kind, hc_slot v)
{
    hc_value out = hc_value_none();
    switch (kind) {
    case HK_INT:
        out.kind = HC_VALUE_INT;
        out.u.i = v.i;
        break;
    case HK_STR:
        if (v.p) {
            out.kind = HC_VALUE_STR;
            out.u.s = v.p;
        }
        break;
    case HK_OBJ:
        if (v.p) {
            out.kind = HC_VALUE_OBJECT;
            out.u.p = v.p;
        }
        break;
    default:
        if (v.p) {
            out.kind = HC_VALUE_POINTER;
            out.u.p = v.p;
        }
        break;
    }
    return out;
}

hc_error *hc_object_set_attr(void *obj, const char *name, hc_value value)
{
    struct hc_object *o = obj;
    const struct hc_type *t = o->type;
    int i = find_attr(t, name);
    if (i >= 0) {
        enum hc_kind kind = t->attrs[i].kind;
        if (kind == HK_INT && value.kind == HC_VALUE_INT) {
            ho_set_int(o, (unsigned)i, value.u.i);
            return NULL;
        }
        if (kind == HK_STR && (value.kind == HC_VALUE_STR || value.kind == HC_VALUE_NONE)) {
            ho_set_ptr(o, (unsigned)i,
                       value.kind == HC_VALUE_STR ? hc_payload_strdup(t, value.u.s) : NULL);
            return NULL;
        }
        if (kind == HK_INT || kind == HK_STR)
            return hc_error_new(HC_ERR_TYPE, "attribute '%s' of '%s' objects must be %s", name,
                                t->name, kind == HK_INT ? "int" : "str or None");
        return hc_error_new(HC_ERR_ATTRIBUTE, "attribute '%s' of '%s' objects is not writable",
                            name, t->name);
    }
    if (t->slotted)
        return hc_error_new(HC_ERR_ATTRIBUTE, "'%s' object has no attribute '%s'", t->name, name);
    hc_slot v = {.i = 0}, old;
    uint32_t kind, old_kind;
    switch (value.kind) {
    case HC_VALUE_INT:
        kind = HK_INT;
        v.i = value.u.i;
        break;
    case HC_VALUE_STR:
        kind = HK_STR;
        v.p = hc_payload_strdup(t, value.u.s);
        break;
    case HC_VALUE_NONE: kind = HK_STR; break;
    default:
        return hc_error_new(HC_ERR_TYPE, "attribute '%s': only int, str or None can be set", name);
    }
    HEAPTAG_PUSH(t->name);
    int replaced = hc_dict_set(((struct dict_object *)o)->dict, name, 1, kind, v, &old, &old_kind);
    HEAPTAG_POP();
    if (replaced)
        release_value(old_kind, old, NULL);
    return NULL;
}

hc_error *hc_object_get_attr(const void *obj, const char *name, hc_value *out)
{
    const struct hc_object *o = obj;
    const struct hc_type *t = o->type;
    int i = find_attr(t, name);
    if (i >= 0) {
        *out = to_value(t->attrs[i].kind, ho_get(o, (unsigned)i));
        return NULL;
    }
    if (!t->slotted) {
        hc_slot v;
        uint32_t kind;
        if (hc_dict_get(((const struct dict_object *)o)->dict, name, &v, &kind)) {
            *out = to_value(kind, v);
            return NULL;
        }
    }
    return hc_error_new(HC_ERR_ATTRIBUTE, "'%s' object has no attribute '%s'", t->name, name);
}

const char *hc_object_type_name(const void *obj)
{
    return ((const struct hc_object *)obj)->type->name;
}
int hc_object_is_slotted(const void *obj) { return ((const struct hc_object *)obj)->type->slotted; }

size_t hc_object_storage_bytes(const void *obj)
{
    const struct hc_object *o = obj;
    if (o->type->slotted)
        return slotted_size(o->type);
    return sizeof(struct dict_object) +
           hc_dict_storage_bytes(((const struct dict_object *)o)->dict);
}

static struct hc_type *const all_types[] = {
    &hc_type_response, &hc_type_request, &hc_type_connection, &hc_type_timeout,
    &hc_type_headers,  &hc_type_session, &hc_type_pool,       &hc_type_error,
};

long hc_live_instances(const char *type_name)
{
    for (size_t i = 0; i < sizeof all_types / sizeof all_types[0]; i++)
        if (strcmp(all_types[i]->name, type_name) == 0)
            return atomic_load(&all_types[i]->live);
    return -1;
}
