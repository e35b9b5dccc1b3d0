/* The sampled blocks of sampled mode, keyed by address.
 *
 * An open-addressing table with linear probing that doubles when 5/8 full
 * (memory from mmap, the old array unmapped once copied).  The caller holds
 * sample_lock (sampling.c) around every call; the table also keeps
 * sample_filter, the counting filter free() reads without the lock. */
#ifndef HT_SAMPLE_TABLE_H
#define HT_SAMPLE_TABLE_H
#include "ht_common.h"

struct sample_rec {
    uintptr_t addr;
    uint64_t requested;
    uint64_t usable;
    double weight; /* 1 / p, p = 1 - exp(-requested / mean) */
    uint32_t type;
    uint32_t site;
};

/* 0, or -1 when no memory was left to grow (the block stays unsampled). */
int sample_table_insert(const struct sample_rec *r);
/* Forget the record of addr: 1 and *out filled, or 0 if not sampled. */
int sample_table_take(uintptr_t addr, struct sample_rec *out);
/* The record of addr, or NULL. */
struct sample_rec *sample_table_find(uintptr_t addr);
/* Set the filter bit of address a for good (bootstrap blocks). */
void sample_filter_pin(uintptr_t a);
/* Sampled blocks live now, and the table's resident bytes. */
uint64_t sample_table_live(void);
uint64_t sample_table_bytes(void);
#endif
