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

/* The one number syntax of every option (issue 10): decimal digits,
 * optionally '.' and more digits; no sign, exponent, hex, inf or spaces.
 * Parses the number at S into *OUT and returns the first byte after it, or
 * NULL when S does not start with one. */
const char *ht_parse_decimal(const char *s, double *out);
/* A whole number in MIN..MAX, nothing after it.  0 and *OUT, or -1. */
int ht_parse_count(const char *s, long min, long max, long *out);

/* Parse "N", "N.M" with an optional suffix B, K, KiB, M, MiB, G, GiB (all
 * binary: K = 1024; case-insensitive).  Returns 0 and the value in *OUT, or
 * -1 for anything else (empty, negative, trailing junk, overflow). */
int ht_parse_bytes(const char *s, double *out);

/* V, or +0.0 when V shows as zero with one decimal (so "%.1f" never
 * prints "-0.0"). */
double ht_tidy1(double v);

#endif
