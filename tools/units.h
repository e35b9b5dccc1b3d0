/* Byte quantities for people: printing with binary units and parsing budgets such as "256",
 * "1.5K" or "2MiB". */
#ifndef HEAPTAG_TOOLS_UNITS_H
#define HEAPTAG_TOOLS_UNITS_H

#include <stddef.h>

/* Write BYTES as "532 B", "279.5 B", "1.2 KiB", "3.4 MiB", "1.0 GiB" into
 * BUF.  Below 1 KiB the exact value is kept (one decimal if fractional). */
const char *ht_human_bytes(double bytes, char *buf, size_t len);

/* Write a non-negative quantity exactly: "280" or "279.5" (at most one
 * decimal; fractions come only from bytes-per-instance averages). */
const char *ht_exact(double v, char *buf, size_t len);

/* Parse "N", "N.M" with an optional suffix B, K, KiB, M, MiB, G, GiB (all
 * binary: K = 1024; case-insensitive).  Returns 0 and the value in *OUT, or
 * -1 for anything else (empty, negative, trailing junk, overflow). */
int ht_parse_bytes(const char *s, double *out);

#endif
