/* Reading the hexadecimal numbers of /proc/self/maps and smaps lines
 * ("7f12a000-7f12c000 r-xp 00001000 ..."), for the report writer.
 *
 * No library calls, so it is async-signal-safe. */
#ifndef HT_PROC_HEX_H
#define HT_PROC_HEX_H
#include <stdint.h>

/* The lowercase hex number at *p, stopping at END or the first other
 * character; *p is left there.  0 if there are no digits. */
static inline uint64_t proc_hex(const char **p, const char *end)
{
    uint64_t v = 0;
    for (; *p < end; (*p)++) {
        char c = **p;
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            break;
        v = v * 16 + (uint64_t)d;
    }
    return v;
}
#endif
