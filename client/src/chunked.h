/* chunked.h — the chunked transfer-coding decoder (RFC 9112 section 7.1),
 * pure like parser.h: bytes in, decoded bytes out, no allocation or I/O. */
#ifndef HC_CHUNKED_H
#define HC_CHUNKED_H

#include <stddef.h>
#include <stdint.h>

#include "parser.h"

/* Chunked transfer-coding decoder, resumable across reads. */
struct hc_chunked {
    int state;
    uint64_t remaining; /* data bytes left in the current chunk */
    size_t line_len;    /* bytes of the current size line so far */
    uint64_t total;     /* data bytes decoded so far */
};

/* Decode BUF[0..*LEN) in place: the data bytes are moved to the front and
 * *LEN becomes their count.  HC_PARSE_INCOMPLETE: all input consumed, more
 * needed.  HC_PARSE_OK: the last chunk's size line was read; the bytes that
 * followed it (the trailer section and anything after) are left, in order,
 * at BUF[*LEN .. *LEN + *REST).  HC_PARSE_ERROR with *WHY. */
int hc_chunked_decode(struct hc_chunked *d, char *buf, size_t *len, size_t *rest,
                      const struct hc_limits *lim, const char **why);

#endif
