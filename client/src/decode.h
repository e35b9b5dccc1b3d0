/* decode.h — Content-Encoding decoding (zlib). */
#ifndef HC_DECODE_H
#define HC_DECODE_H

#include <stdint.h>

#include "hc.h"
#include "object.h"

/* Decode IN per CODING ("gzip", "x-gzip" or "deflate"; deflate may be
 * zlib-wrapped or raw, as servers disagree).  A new bytes block tagged as
 * T's payload, at most MAX bytes long; NULL and *ERR on bad data. */
struct hc_bytes *hc_decode_body(const struct hc_type *t, const char *coding, const struct hc_bytes *in,
                                uint64_t max, hc_error **err);
/* Whether hc_decode_body handles CODING. */
int hc_decode_supported(const char *coding);

#endif
