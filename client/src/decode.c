/* decode.c — streaming gzip/deflate decoding of one coding layer
 * (decode.h).
 *
 * Output goes through a fixed 16 KiB window, so a compressed bomb costs no
 * memory here: the consumer decides how much of it to keep (transfer.c
 * stops at the body limit). */
#include "decode.h"

#include <string.h>
#include <strings.h>

#include "heaptag.h"

int hc_coding_parse(const char *name, size_t len, enum hc_coding *out)
{
    if ((len == 4 && strncasecmp(name, "gzip", 4) == 0) ||
        (len == 6 && strncasecmp(name, "x-gzip", 6) == 0)) {
        *out = HC_CODING_GZIP;
        return 0;
    }
    if (len == 7 && strncasecmp(name, "deflate", 7) == 0) {
        *out = HC_CODING_DEFLATE;
        return 0;
    }
    return -1;
}

void hc_inflater_init(struct hc_inflater *f, const struct hc_type *t, enum hc_coding coding)
{
    memset(f, 0, sizeof *f);
    f->t = t;
    f->coding = coding;
}

static int start(struct hc_inflater *f, const unsigned char *first, const char **why)
{
    int bits = 16 + MAX_WBITS;
    if (f->coding == HC_CODING_DEFLATE) {
        /* RFC 9110's deflate is zlib-wrapped; IE-era servers send it raw.
         * A zlib header has compression method 8 and a window of at most
         * 32 KiB in its first byte. */
        f->raw = !((first[0] & 0x0f) == 8 && (first[0] >> 4) <= 7);
        bits = f->raw ? -MAX_WBITS : MAX_WBITS;
    }
    int rc;
    {
        HEAPTAG_SCOPE(f->t->payload_tag);
        rc = inflateInit2(&f->z, bits);
    }
    if (rc != Z_OK) {
        *why = rc == Z_MEM_ERROR ? "out of memory" : "zlib init failed";
        return -1;
    }
    f->started = 1;
    return 0;
}

int hc_inflater_feed(struct hc_inflater *f, const unsigned char *in, size_t len, hc_decode_out *out,
                     void *ctx, const char **why)
{
    if (len == 0 || f->ended)
        return 0;
    if (!f->started && start(f, in, why) != 0)
        return -1;
    unsigned char window[16384];
    f->z.next_in = (Bytef *)in;
    f->z.avail_in = (uInt)len;
    /* A full window may leave output inside zlib with no input left. */
    do {
        f->z.next_out = window;
        f->z.avail_out = sizeof window;
        int rc;
        {
            HEAPTAG_SCOPE(f->t->payload_tag);
            rc = inflate(&f->z, Z_NO_FLUSH);
        }
        size_t got = sizeof window - f->z.avail_out;
        if (rc == Z_STREAM_END)
            f->ended = 1;
        else if (rc == Z_MEM_ERROR) {
            *why = "out of memory";
            return -1;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            *why = f->z.msg ? f->z.msg : "corrupt compressed data";
            return -1;
        }
        f->produced += got;
        if (got && out(ctx, window, got) != 0)
            return -2;
        if (rc == Z_BUF_ERROR && got == 0)
            break;
    } while (!f->ended && (f->z.avail_in > 0 || f->z.avail_out == 0));
    return 0;
}

int hc_inflater_finish(const struct hc_inflater *f, const char **why)
{
    if (f->started && !f->ended) {
        *why = "compressed data ended early";
        return -1;
    }
    return 0;
}

void hc_inflater_release(struct hc_inflater *f)
{
    if (f->started)
        inflateEnd(&f->z);
    f->started = 0;
}
