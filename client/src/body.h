/* body.h — one response body on its way from the wire to its owner.
 *
 * The coding layers to undo (transfer codings, then content codings), the
 * size limit, and where the decoded bytes go (kept, streamed, or dropped). */
#ifndef HC_BODY_H
#define HC_BODY_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "hc.h"

#define HC_MAX_CODINGS 4

enum hc_body_mode { HC_BODY_KEEP, HC_BODY_SINK, HC_BODY_DROP };

struct hc_body {
    struct hc_inflater layers[HC_MAX_CODINGS]; /* [0] sees the raw bytes */
    const char *names[HC_MAX_CODINGS];
    int nlayers;
    uint64_t max; /* 0: no limit */
    uint64_t raw_total, out_total;
    enum hc_body_mode mode;
    struct hc_bytes *kept; /* HC_BODY_KEEP */
    size_t cap;
    hc_body_sink *sink; /* HC_BODY_SINK */
    void *sink_ctx;
    const hc_response *resp;
    hc_error *err; /* the first failure */
};

void hc_body_init(struct hc_body *b, enum hc_body_mode mode, uint64_t max);
/* Add the layers that undo TE (a Transfer-Encoding value, its final
 * "chunked" already removed by the caller: pass its length) and, when
 * DECODE, CE (a Content-Encoding value or NULL).  -1 and b->err naming the
 * coding when one cannot be decoded. */
int hc_body_codings(struct hc_body *b, const char *te, size_t te_len, const char *ce, bool decode);
/* Raw body bytes, in order.  -1 with b->err set. */
int hc_body_push(struct hc_body *b, const void *data, size_t len);
/* The raw body ended: check each layer ended too.  -1 with b->err. */
int hc_body_finish(struct hc_body *b);
/* The kept bytes (NUL-terminated; empty unless HC_BODY_KEEP), owned by the
 * caller.  NULL and b->err when memory ran out. */
struct hc_bytes *hc_body_take(struct hc_body *b);
/* Free what is left (layers, kept bytes). b->err stays for the caller. */
void hc_body_release(struct hc_body *b);

#endif
