/* Filling a reply's output: the repeating pattern, chunked and endless bodies
 * (reply.h). */
#include "reply.h"

#include <string.h>

void pattern_append(struct buf *out, uint64_t offset, size_t n)
{
    buf_reserve(out, n);
    char *dst = out->data + out->len;
    size_t at = (size_t)(offset % HCS_PATTERN_LEN);
    for (size_t left = n; left > 0;) {
        size_t k = HCS_PATTERN_LEN - at;
        if (k > left)
            k = left;
        memcpy(dst, HCS_PATTERN + at, k);
        dst += k;
        left -= k;
        at = 0;
    }
    out->len += n;
}

static void fill_chunked(struct reply *r, struct buf *out, size_t max)
{
    size_t added = 0;
    while (added < max && r->done < r->total) {
        uint64_t left = r->total - r->done;
        size_t n = left < r->chunk ? (size_t)left : r->chunk;
        size_t before = out->len;
        buf_printf(out, "%zx\r\n", n);
        pattern_append(out, r->done, n);
        buf_puts(out, "\r\n");
        r->done += n;
        added += out->len - before;
    }
    if (r->done == r->total) {
        /* The trailer carries the body length so clients can check it. */
        buf_printf(out, "0\r\nX-Body-Length: %llu\r\n\r\n", (unsigned long long)r->total);
        r->finished = true;
    }
}

static void fill_endless(struct reply *r, struct buf *out, size_t max)
{
    static const char header_line[] =
        "X-Endless: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    size_t before = out->len;
    while (out->len - before < max && r->done < HCS_ENDLESS_CAP) {
        if (r->gen == GEN_ENDLESS_HEADER) {
            buf_append(out, header_line, sizeof header_line - 1);
            r->done += sizeof header_line - 1;
        } else {
            char f[256];
            memset(f, 'f', sizeof f);
            buf_append(out, f, sizeof f);
            r->done += sizeof f;
        }
    }
    if (r->done >= HCS_ENDLESS_CAP)
        r->finished = true;
}

void reply_fill(struct reply *r, struct buf *out, size_t max)
{
    switch (r->gen) {
    case GEN_NONE: r->finished = true; break;
    case GEN_PATTERN: {
        uint64_t left = r->total - r->done;
        size_t n = left < max ? (size_t)left : max;
        pattern_append(out, r->done, n);
        r->done += n;
        r->finished = r->done == r->total;
        break;
    }
    case GEN_CHUNKED: fill_chunked(r, out, max); break;
    case GEN_ENDLESS_HEADER:
    case GEN_ENDLESS_CHUNK: fill_endless(r, out, max); break;
    }
}
