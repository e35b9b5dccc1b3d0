/* decode.h — streaming gzip/deflate decoding (zlib) of one coding layer. */
#ifndef HC_DECODE_H
#define HC_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "object.h"

enum hc_coding { HC_CODING_GZIP, HC_CODING_DEFLATE };

/* The coding named by the LEN bytes at NAME (case-insensitive: gzip,
 * x-gzip, deflate).  0 and *OUT, or -1 for a coding the client cannot
 * decode. */
int hc_coding_parse(const char *name, size_t len, enum hc_coding *out);

/* Where a layer's output goes: 0 to go on, -1 to stop (the callee has
 * recorded why). */
typedef int hc_decode_out(void *ctx, const unsigned char *data, size_t len);

struct hc_inflater {
    z_stream z;
    const struct hc_type *t; /* zlib's own state is tagged as T's payload */
    enum hc_coding coding;
    int started, ended, raw; /* raw: deflate without the zlib wrapper */
    uint64_t produced;
};

void hc_inflater_init(struct hc_inflater *f, const struct hc_type *t, enum hc_coding coding);
/* Decode IN and hand every decoded piece to OUT.  0; -1 with *WHY on bad
 * data or no memory; -2 when OUT stopped.  Bytes after the end of the
 * compressed stream are ignored, as curl and requests do. */
int hc_inflater_feed(struct hc_inflater *f, const unsigned char *in, size_t len, hc_decode_out *out,
                     void *ctx, const char **why);
/* At the end of the body: -1 with *WHY when the stream began but did not
 * end.  A layer that never received a byte (an empty body) is fine. */
int hc_inflater_finish(const struct hc_inflater *f, const char **why);
void hc_inflater_release(struct hc_inflater *f);

#endif
