/* body.c — one response body on its way from the wire to its owner
 * (body.h).
 *
 * Every byte passes through fixed windows (the connection's read buffer,
 * the 16 KiB inflate window), so only a KEEP body grows with its size, and
 * it stops at the limit.  Allocation failure of that growing block is an
 * error, not an abort: its size is the server's choice. */
#include "body.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "object.h"
#include "types.h"

static const struct hc_type *T = &hc_type_response;

void hc_body_init(struct hc_body *b, enum hc_body_mode mode, uint64_t max)
{
    memset(b, 0, sizeof *b);
    b->mode = mode;
    b->max = max;
}

/* Append the codings of a comma list, in the order they must be undone
 * (the reverse of the list). */
static int add_list(struct hc_body *b, const char *list, size_t len, const char *what)
{
    enum hc_coding found[HC_MAX_CODINGS];
    int n = 0;
    const char *p = list, *end = list + len;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
            p++;
        const char *s = p;
        while (p < end && *p != ',' && *p != ';')
            p++;
        const char *e = p;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        while (p < end && *p != ',') /* parameters: none we know of matter */
            p++;
        if (e == s || ((size_t)(e - s) == 8 && strncasecmp(s, "identity", 8) == 0))
            continue;
        enum hc_coding c;
        if (hc_coding_parse(s, (size_t)(e - s), &c) != 0) {
            b->err = hc_error_new(HC_ERR_DECODE, "Unrecognized %s: %.*s", what,
                                  (int)(e - s > 64 ? 64 : e - s), s);
            return -1;
        }
        if (n + b->nlayers >= HC_MAX_CODINGS) {
            b->err =
                hc_error_new(HC_ERR_DECODE, "More than %d codings in %s", HC_MAX_CODINGS, what);
            return -1;
        }
        found[n++] = c;
    }
    for (int i = n - 1; i >= 0; i--) {
        hc_inflater_init(&b->layers[b->nlayers], T, found[i]);
        b->names[b->nlayers++] = found[i] == HC_CODING_GZIP ? "gzip" : "deflate";
    }
    return 0;
}

int hc_body_codings(struct hc_body *b, const char *te, size_t te_len, const char *ce, bool decode)
{
    if (te && add_list(b, te, te_len, "transfer encoding") != 0)
        return -1;
    if (decode && ce && add_list(b, ce, strlen(ce), "content encoding") != 0)
        return -1;
    return 0;
}

static int too_large(struct hc_body *b, const char *what)
{
    b->err = hc_error_new(HC_ERR_TOO_LARGE, "Maximum body size exceeded: %s body over %llu bytes",
                          what, (unsigned long long)b->max);
    return -1;
}

static int keep(struct hc_body *b, const unsigned char *data, size_t len)
{
    size_t have = b->kept ? b->kept->len : 0;
    if (b->cap - have < len) {
        size_t cap = b->cap ? b->cap : 16384;
        while (cap - have < len)
            cap *= 2;
        struct hc_bytes *nb = hc_payload_try_realloc(T, b->kept, sizeof *nb + cap + 1);
        if (!nb) {
            b->err = hc_error_new(HC_ERR_NO_MEMORY,
                                  "Out of memory: cannot hold a body of %zu bytes", have + len);
            return -1;
        }
        if (!b->kept)
            nb->len = 0;
        b->kept = nb;
        b->cap = cap;
    }
    memcpy(b->kept->data + b->kept->len, data, len);
    b->kept->len += len;
    return 0;
}

/* The decoded bytes, at the end of the chain. */
static int deliver(struct hc_body *b, const unsigned char *data, size_t len)
{
    if (b->max && len > b->max - b->out_total)
        return too_large(b, b->nlayers ? "decoded" : "the");
    b->out_total += len;
    switch (b->mode) {
    case HC_BODY_KEEP: return keep(b, data, len);
    case HC_BODY_SINK:
        if (b->sink(b->resp, data, len, b->sink_ctx) != 0) {
            b->err = hc_error_new(HC_ERR_WRITE, "Failure writing output to destination");
            return -1;
        }
        return 0;
    case HC_BODY_DROP: return 0;
    }
    return 0;
}

struct stage_ctx {
    struct hc_body *b;
    int next;
};

static int feed(struct hc_body *b, int layer, const unsigned char *data, size_t len);

static int stage_out(void *ctx, const unsigned char *data, size_t len)
{
    struct stage_ctx *s = ctx;
    return feed(s->b, s->next, data, len);
}

static int feed(struct hc_body *b, int layer, const unsigned char *data, size_t len)
{
    if (layer == b->nlayers)
        return deliver(b, data, len);
    struct stage_ctx s = {b, layer + 1};
    const char *why = NULL;
    int rc = hc_inflater_feed(&b->layers[layer], data, len, stage_out, &s, &why);
    if (rc == -1)
        b->err =
            hc_error_new(HC_ERR_DECODE, "Error while decoding %s body: %s", b->names[layer], why);
    return rc == 0 ? 0 : -1;
}

int hc_body_push(struct hc_body *b, const void *data, size_t len)
{
    if (b->max && len > b->max - b->raw_total)
        return too_large(b, "the");
    b->raw_total += len;
    return len ? feed(b, 0, data, len) : 0;
}

int hc_body_finish(struct hc_body *b)
{
    for (int i = 0; i < b->nlayers; i++) {
        const char *why = NULL;
        if (hc_inflater_finish(&b->layers[i], &why) != 0) {
            b->err =
                hc_error_new(HC_ERR_DECODE, "Error while decoding %s body: %s", b->names[i], why);
            return -1;
        }
    }
    return 0;
}

struct hc_bytes *hc_body_take(struct hc_body *b)
{
    size_t len = b->kept ? b->kept->len : 0;
    struct hc_bytes *out = hc_payload_try_realloc(T, b->kept, sizeof *out + len + 1);
    if (!out) {
        b->err =
            hc_error_new(HC_ERR_NO_MEMORY, "Out of memory: cannot hold a body of %zu bytes", len);
        return NULL;
    }
    out->len = len;
    out->data[len] = '\0';
    b->kept = NULL;
    b->cap = 0;
    return out;
}

void hc_body_release(struct hc_body *b)
{
    for (int i = 0; i < b->nlayers; i++)
        hc_inflater_release(&b->layers[i]);
    b->nlayers = 0;
    free(b->kept);
    b->kept = NULL;
}
