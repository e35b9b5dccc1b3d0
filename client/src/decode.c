/* decode.c — see decode.h.  Output grows by doubling, bounded by MAX so a
 * compressed bomb stops at the body limit. */
#include "decode.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "error.h"
#include "heaptag.h"

int hc_decode_supported(const char *coding)
{
    return strcasecmp(coding, "gzip") == 0 || strcasecmp(coding, "x-gzip") == 0 ||
           strcasecmp(coding, "deflate") == 0;
}

static int inflate_all(const struct hc_type *t, int window_bits, const struct hc_bytes *in, uint64_t max,
                       struct hc_bytes **out, const char **why)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    int rc;
    {
        HEAPTAG_SCOPE(t->payload_tag);
        rc = inflateInit2(&z, window_bits);
    }
    if (rc != Z_OK) {
        *why = "zlib init failed";
        return -1;
    }
    size_t cap = in->len * 4 + 64, len = 0;
    struct hc_bytes *b = hc_payload_alloc(t, sizeof *b + cap + 1);
    z.next_in = (Bytef *)in->data;
    z.avail_in = (uInt)in->len;
    for (;;) {
        if (len == cap) {
            if (cap >= max) {
                *why = "decoded body too large";
                rc = Z_MEM_ERROR;
                break;
            }
            cap = cap * 2 > max ? (size_t)max : cap * 2;
            b = hc_payload_realloc(t, b, sizeof *b + cap + 1);
        }
        z.next_out = b->data + len;
        z.avail_out = (uInt)(cap - len);
        {
            HEAPTAG_SCOPE(t->payload_tag);
            rc = inflate(&z, Z_NO_FLUSH);
        }
        len = cap - z.avail_out;
        if (rc == Z_STREAM_END)
            break;
        if (rc == Z_BUF_ERROR && z.avail_out != 0) {
            *why = "compressed data ended early";
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            *why = z.msg ? z.msg : "corrupt compressed data";
            break;
        }
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(b);
        return -1;
    }
    b = hc_payload_realloc(t, b, sizeof *b + len + 1);
    b->len = len;
    b->data[len] = '\0';
    *out = b;
    return 0;
}

struct hc_bytes *hc_decode_body(const struct hc_type *t, const char *coding, const struct hc_bytes *in,
                                uint64_t max, hc_error **err)
{
    struct hc_bytes *out = NULL;
    const char *why = "bad data";
    if (strcasecmp(coding, "deflate") == 0) {
        /* zlib wrapper first (RFC 9110), raw deflate as IE-era servers send. */
        if (inflate_all(t, MAX_WBITS, in, max, &out, &why) == 0 ||
            inflate_all(t, -MAX_WBITS, in, max, &out, &why) == 0)
            return out;
    } else if (inflate_all(t, 16 + MAX_WBITS, in, max, &out, &why) == 0) {
        return out;
    }
    hc_error_set(err, HC_ERR_DECODE, "Error while decoding %s body: %s", coding, why);
    return NULL;
}
