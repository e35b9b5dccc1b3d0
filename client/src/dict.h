/* dict.h — a string-keyed hash map laid out like CPython's combined dict
 * (3.6+).
 *
 * A small index table of int8/int16/int32 slots pointing into a
 * dense, insertion-ordered entries array.  It backs every object of the
 * dict layout, playing the part of an instance __dict__.
 *
 * Modelled: PyDict_MINSIZE 8; usable entries = 2/3 of the index table;
 * when the entries are used up the table grows to the smallest power of two
 * >= 3 * used (CPython 3.9's GROWTH_RATE); entries of 24 bytes (hash, key,
 * value).  Not modelled: key-sharing (split) tables, deletion.  Each dict
 * is two allocations: the dict object and its keys table.
 */
#ifndef HC_DICT_H
#define HC_DICT_H

#include <stddef.h>
#include <stdint.h>

typedef union hc_slot {
    int64_t i;
    void *p;
} hc_slot;

struct hc_dict;

/* Allocations are attributed by the caller's heaptag scope. */
struct hc_dict *hc_dict_new(void);
/* RELEASE is called for every value before the table goes. */
void hc_dict_free(struct hc_dict *d, void (*release)(uint32_t kind, hc_slot v, void *ctx),
                  void *ctx);
/* Insert or replace.  KEY must outlive the dict unless COPY_KEY, in which
 * case it is copied (and freed with the dict).  On replace, the previous
 * value and kind are stored in *OLD / *OLD_KIND and 1 is returned; 0 on
 * insert. */
int hc_dict_set(struct hc_dict *d, const char *key, int copy_key, uint32_t kind, hc_slot v,
                hc_slot *old, uint32_t *old_kind);
/* 1 and the value when present, else 0. */
int hc_dict_get(const struct hc_dict *d, const char *key, hc_slot *v, uint32_t *kind);
size_t hc_dict_len(const struct hc_dict *d);
/* Index table size (8, 16, 32, ...). */
size_t hc_dict_table_size(const struct hc_dict *d);
/* Bytes requested from malloc for the dict object and its keys table. */
size_t hc_dict_storage_bytes(const struct hc_dict *d);

#endif
