/* See units.h.  Binary multiples only: the tracker counts bytes the allocator hands out,
 * and allocators think in powers of two. */
#include "units.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

const char *ht_exact(double v, char *buf, size_t len)
{
    double r = round(v * 10) / 10;
    if (r == floor(r))
        snprintf(buf, len, "%.0f", r);
    else
        snprintf(buf, len, "%.1f", r);
    return buf;
}

const char *ht_human_bytes(double bytes, char *buf, size_t len)
{
    static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB"};
    double a = fabs(bytes);
    if (a < 1024) {
        char num[32];
        snprintf(buf, len, "%s%s B", bytes < 0 ? "-" : "", ht_exact(a, num, sizeof num));
        return buf;
    }
    int u = 0;
    a /= 1024;
    while (a >= 1024 && u < 3) {
        a /= 1024;
        u++;
    }
    snprintf(buf, len, "%s%.1f %s", bytes < 0 ? "-" : "", a, unit[u]);
    return buf;
}

const char *ht_parse_decimal(const char *s, double *out)
{
    /* strtod would also take hex, exponents, signs, spaces, inf and nan:
	 * check the syntax first, then let strtod convert. */
    const char *p = s;
    if (!s || !isdigit((unsigned char)*p))
        return NULL;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p))
            p++;
    }
    char *end;
    double v = strtod(s, &end);
    if (end != p || !isfinite(v))
        return NULL;
    *out = v;
    return p;
}

int ht_parse_count(const char *s, long min, long max, long *out)
{
    double v;
    const char *end = ht_parse_decimal(s, &v);
    if (!end || *end || v != floor(v) || v < (double)min || v > (double)max)
        return -1;
    *out = (long)v;
    return 0;
}

int ht_parse_bytes(const char *s, double *out)
{
    double v;
    const char *end = ht_parse_decimal(s, &v);
    if (!end)
        return -1;
    static const struct {
        const char *suffix;
        double mult;
    } suffixes[] = {
        {"", 1},          {"B", 1},           {"K", 1024.0},       {"KiB", 1024.0},
        {"M", 1048576.0}, {"MiB", 1048576.0}, {"G", 1073741824.0}, {"GiB", 1073741824.0},
    };
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        if (!strcasecmp(end, suffixes[i].suffix)) {
            *out = v * suffixes[i].mult;
            return isfinite(*out) && *out < 9.0e18 ? 0 : -1;
        }
    }
    return -1;
}

double ht_tidy1(double v) { return fabs(v) < 0.05 ? 0.0 : v; }
