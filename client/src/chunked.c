/* chunked.c — the chunked transfer-coding decoder (chunked.h).
 *
 * A state machine over single bytes, so a read may end anywhere (inside a
 * size line, data, or a CRLF) and the next call resumes where it stopped.
 */
#include "chunked.h"

#include <string.h>

enum { CH_SIZE, CH_EXT, CH_SIZE_LF, CH_DATA, CH_DATA_CR, CH_DATA_LF };

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Each state's step over byte C: how many bytes it consumed (0 or 1), or
 * -1 with *WHY set. */
static int size_byte(struct hc_chunked *d, unsigned char c, const struct hc_limits *lim,
                     const char **why)
{
    int h = hexval(c);
    if (h >= 0) {
        if (d->remaining > (lim->max_chunk_size >> 4)) {
            *why = "chunk too large";
            return -1;
        }
        d->remaining = d->remaining * 16 + (uint64_t)h;
        d->line_len++;
        return 1;
    }
    if (d->line_len == 0) {
        *why = "missing chunk size";
        return -1;
    }
    if (c == ';' || c == ' ' || c == '\t') {
        d->state = CH_EXT;
    } else if (c == '\r') {
        d->state = CH_SIZE_LF;
        return 1;
    } else if (c == '\n') {
        d->state = CH_SIZE_LF; /* handled below without consuming */
    } else {
        *why = "bad character in chunk size";
        return -1;
    }
    return 0;
}

static int ext_byte(struct hc_chunked *d, unsigned char c, const char **why)
{
    if (c == '\r' || c == '\n') {
        d->state = CH_SIZE_LF;
        return c == '\r';
    }
    if (c < 0x20 && c != '\t') {
        *why = "control character in chunk extension";
        return -1;
    }
    return 1;
}

/* The size line's LF: the size it announced must fit the limits. */
static int size_lf_byte(struct hc_chunked *d, unsigned char c, const struct hc_limits *lim,
                        const char **why)
{
    if (c != '\n') {
        *why = "bad chunk size line ending";
        return -1;
    }
    if (d->remaining > lim->max_chunk_size) {
        *why = "chunk too large";
        return -1;
    }
    if (d->remaining > lim->max_body - d->total) {
        *why = "body too large";
        return -1;
    }
    d->line_len = 0;
    return 1;
}

static int data_crlf_byte(struct hc_chunked *d, unsigned char c, const char **why)
{
    if (d->state == CH_DATA_CR) {
        if (c == '\r') {
            d->state = CH_DATA_LF;
            return 1;
        } else if (c == '\n') {
            d->state = CH_DATA_LF;
            return 0;
        }
        *why = "missing CRLF after chunk data";
        return -1;
    }
    if (c != '\n') {
        *why = "missing CRLF after chunk data";
        return -1;
    }
    d->state = CH_SIZE;
    return 1;
}

int hc_chunked_decode(struct hc_chunked *d, char *buf, size_t *len, size_t *rest,
                      const struct hc_limits *lim, const char **why)
{
    size_t in = 0, out = 0, n = *len;
    while (in < n) {
        unsigned char c = (unsigned char)buf[in];
        int step = 0;
        switch (d->state) {
        case CH_SIZE: step = size_byte(d, c, lim, why); break;
        case CH_EXT: step = ext_byte(d, c, why); break;
        case CH_SIZE_LF:
            if ((step = size_lf_byte(d, c, lim, why)) < 0)
                return HC_PARSE_ERROR;
            in += (size_t)step;
            step = 0;
            if (d->remaining == 0) {
                memmove(buf + out, buf + in, n - in);
                *rest = n - in;
                *len = out;
                d->state = CH_SIZE;
                return HC_PARSE_OK;
            }
            d->state = CH_DATA;
            break;
        case CH_DATA: {
            size_t take = n - in;
            if (take > d->remaining)
                take = (size_t)d->remaining;
            memmove(buf + out, buf + in, take);
            out += take;
            in += take;
            d->remaining -= take;
            d->total += take;
            if (d->remaining == 0)
                d->state = CH_DATA_CR;
            break;
        }
        case CH_DATA_CR:
        case CH_DATA_LF: step = data_crlf_byte(d, c, why); break;
        }
        if (step < 0)
            return HC_PARSE_ERROR;
        in += (size_t)step;
        if (d->state == CH_EXT || (d->state == CH_SIZE && d->line_len > 0)) {
            if (d->line_len > lim->max_chunk_line) {
                *why = "chunk size line too long";
                return HC_PARSE_ERROR;
            }
        }
        if (d->state == CH_EXT)
            d->line_len++;
    }
    *len = out;
    *rest = 0;
    return HC_PARSE_INCOMPLETE;
}
