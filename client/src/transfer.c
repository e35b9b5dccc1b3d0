/*
 * transfer.c — response framing (RFC 9112 section 6.3): no body for HEAD,
 * 1xx, 204 and 304; chunked when Transfer-Encoding ends in chunked (with
 * trailer fields appended to the headers); Content-Length when given;
 * otherwise until the server closes.  A connection is handed back for reuse
 * only when its response ended exactly where the framing says and both
 * sides agreed to keep it alive.
 */
#include "transfer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode.h"
#include "error.h"
#include "headers.h"
#include "object.h"
#include "response.h"
#include "types.h"

static const struct hc_type *T = &hc_type_response;

#define READ_CHUNK 16384

/* Read into the connection's buffer until a full head is there. */
static int read_head(hc_connection *c, const struct hc_limits *lim, const struct hc_deadline *dl,
                     struct hc_head *head, struct hc_read_result *res, hc_error **err)
{
    struct hc_rbuf *rb = hc_connection_rbuf(c);
    for (;;) {
        const char *why = NULL;
        int rc = rb->len ? hc_parse_response_head(rb->data, rb->len, lim, head, &why) : HC_PARSE_INCOMPLETE;
        if (rc == HC_PARSE_OK) {
            if (head->status >= 100 && head->status < 200 && head->status != 101) {
                /* Interim response: drop it, the final one follows. */
                memmove(rb->data, rb->data + head->head_len, rb->len - head->head_len);
                rb->len -= head->head_len;
                continue;
            }
            return 0;
        }
        if (rc == HC_PARSE_ERROR) {
            hc_error_set(err, HC_ERR_MALFORMED_RESPONSE, "Weird server reply: %s", why);
            return -1;
        }
        hc_rbuf_reserve(c, READ_CHUNK);
        rb = hc_connection_rbuf(c);
        hc_error *e = NULL;
        ssize_t n = hc_connection_read(c, rb->data + rb->len, rb->cap - rb->len, dl, &e);
        if (n <= 0) {
            res->nothing_received = rb->len == 0;
            if (n < 0)
                hc_error_pass(err, e);
            else if (rb->len == 0)
                hc_error_set(err, HC_ERR_EMPTY_REPLY, "Empty reply from server");
            else
                hc_error_set(err, HC_ERR_MALFORMED_RESPONSE, "Weird server reply: connection closed inside the response head");
            return -1;
        }
        rb->len += (size_t)n;
    }
}

/* Content-Length: every value (repeated fields, comma lists) must be the
 * same number.  -1 absent, -2 invalid. */
static int64_t content_length(const hc_headers *h)
{
    int64_t found = -1;
    for (long i = hc_headers_find(h, "Content-Length", 0); i >= 0; i = hc_headers_find(h, "Content-Length", (size_t)i + 1)) {
        const char *p = hc_headers_value_at(h, (size_t)i);
        for (;;) {
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p < '0' || *p > '9')
                return -2;
            int64_t v = 0;
            while (*p >= '0' && *p <= '9') {
                if (v > (INT64_MAX - 9) / 10)
                    return -2;
                v = v * 10 + (*p++ - '0');
            }
            while (*p == ' ' || *p == '\t')
                p++;
            if (found >= 0 && v != found)
                return -2;
            found = v;
            if (*p == '\0')
                break;
            if (*p++ != ',')
                return -2;
        }
    }
    return found;
}

/* Is chunked the last transfer coding? */
static bool last_coding_chunked(const char *te)
{
    const char *end = te + strlen(te);
    while (end > te && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    const char *start = end;
    while (start > te && start[-1] != ',')
        start--;
    while (start < end && (*start == ' ' || *start == '\t'))
        start++;
    return end - start == 7 && strncasecmp(start, "chunked", 7) == 0;
}

struct body_buf {
    struct hc_bytes *b;
    size_t cap;
};

static void body_reserve(struct body_buf *bb, size_t more)
{
    if (bb->cap - bb->b->len >= more)
        return;
    size_t cap = bb->cap ? bb->cap : READ_CHUNK;
    while (cap - bb->b->len < more)
        cap *= 2;
    bb->b = hc_payload_realloc(T, bb->b, sizeof *bb->b + cap + 1);
    bb->cap = cap;
}

static ssize_t read_more(hc_connection *c, struct body_buf *bb, size_t want, const struct hc_deadline *dl,
                         hc_error **err)
{
    body_reserve(bb, want);
    ssize_t n = hc_connection_read(c, bb->b->data + bb->b->len, want, dl, err);
    return n;
}

static int read_chunked(hc_connection *c, hc_headers *h, struct body_buf *bb, const struct hc_limits *lim,
                        const struct hc_deadline *dl, bool *clean_end, hc_error **err)
{
    struct hc_rbuf *rb = hc_connection_rbuf(c);
    struct hc_chunked st = { 0 };
    size_t pending = rb->len, rest = 0;   /* raw bytes after b->len */
    const char *why = NULL;
    body_reserve(bb, pending);
    memcpy(bb->b->data + bb->b->len, rb->data, pending);
    rb->len = 0;
    int rc;
    for (;;) {
        size_t n = pending;
        rc = hc_chunked_decode(&st, (char *)bb->b->data + bb->b->len, &n, &rest, lim, &why);
        bb->b->len += n;
        if (rc != HC_PARSE_INCOMPLETE)
            break;
        hc_error *e = NULL;
        ssize_t got = read_more(c, bb, READ_CHUNK, dl, &e);
        if (got <= 0) {
            if (got < 0) {
                hc_error_pass(err, e);
            } else {
                hc_error_set(err, HC_ERR_TRUNCATED, "transfer closed with outstanding read data remaining");
            }
            return -1;
        }
        pending = (size_t)got;
    }
    if (rc == HC_PARSE_ERROR) {
        hc_error_set(err, HC_ERR_MALFORMED_RESPONSE, "Weird server reply: bad chunked encoding: %s", why);
        return -1;
    }
    /* Trailer section: the REST bytes that followed the last chunk. */
    hc_rbuf_reserve(c, rest);
    rb = hc_connection_rbuf(c);
    memcpy(rb->data, bb->b->data + bb->b->len, rest);
    rb->len = rest;
    struct hc_field *fields = hc_payload_alloc(T, sizeof *fields * (lim->max_fields ? lim->max_fields : 1));
    size_t nfields = 0, used = 0;
    for (;;) {
        rc = hc_parse_fields(rb->data, rb->len, lim, fields, &nfields, &used, &why);
        if (rc != HC_PARSE_INCOMPLETE)
            break;
        hc_rbuf_reserve(c, READ_CHUNK);
        rb = hc_connection_rbuf(c);
        hc_error *e = NULL;
        ssize_t got = hc_connection_read(c, rb->data + rb->len, rb->cap - rb->len, dl, &e);
        if (got <= 0) {
            free(fields);
            if (got < 0)
                hc_error_pass(err, e);
            else
                hc_error_set(err, HC_ERR_TRUNCATED, "transfer closed inside the chunked trailer");
            return -1;
        }
        rb->len += (size_t)got;
    }
    if (rc == HC_PARSE_ERROR) {
        free(fields);
        hc_error_set(err, HC_ERR_MALFORMED_RESPONSE, "Weird server reply: bad trailer: %s", why);
        return -1;
    }
    for (size_t i = 0; i < nfields; i++)
        hc_headers_add_n(h, rb->data + fields[i].name.off, fields[i].name.len, rb->data + fields[i].value.off,
                         fields[i].value.len);
    free(fields);
    *clean_end = rb->len == used;
    rb->len = 0;
    return 0;
}

static int read_length(hc_connection *c, struct body_buf *bb, uint64_t length, const struct hc_deadline *dl,
                       bool *clean_end, hc_error **err)
{
    struct hc_rbuf *rb = hc_connection_rbuf(c);
    size_t have = rb->len < length ? rb->len : (size_t)length;
    /* Trust a claimed length only as far as bytes arrive. */
    body_reserve(bb, have);
    memcpy(bb->b->data, rb->data, have);
    bb->b->len = have;
    *clean_end = rb->len == have;
    rb->len = 0;
    while (bb->b->len < length) {
        hc_error *e = NULL;
        size_t want = (size_t)length - bb->b->len;
        if (want > 4 * READ_CHUNK && bb->cap - bb->b->len < want)
            want = bb->cap - bb->b->len > 0 ? bb->cap - bb->b->len : 4 * READ_CHUNK;
        body_reserve(bb, want);
        ssize_t n = hc_connection_read(c, bb->b->data + bb->b->len, want, dl, &e);
        if (n <= 0) {
            if (n < 0)
                hc_error_pass(err, e);
            else
                hc_error_set(err, HC_ERR_TRUNCATED, "transfer closed with %llu bytes remaining to read",
                             (unsigned long long)(length - bb->b->len));
            return -1;
        }
        bb->b->len += (size_t)n;
    }
    return 0;
}

static int read_to_close(hc_connection *c, struct body_buf *bb, const struct hc_limits *lim,
                         const struct hc_deadline *dl, hc_error **err)
{
    struct hc_rbuf *rb = hc_connection_rbuf(c);
    body_reserve(bb, rb->len);
    memcpy(bb->b->data, rb->data, rb->len);
    bb->b->len = rb->len;
    rb->len = 0;
    for (;;) {
        if (bb->b->len > lim->max_body) {
            hc_error_set(err, HC_ERR_MALFORMED_RESPONSE, "Weird server reply: body larger than %llu bytes",
                         (unsigned long long)lim->max_body);
            return -1;
        }
        ssize_t n = read_more(c, bb, READ_CHUNK, dl, err);
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        bb->b->len += (size_t)n;
    }
}

hc_response *hc_read_response(hc_connection *c, bool head_request, bool decode, const struct hc_limits *lim,
                              const struct hc_deadline *dl, struct hc_read_result *res, hc_error **err)
{
    res->reusable = false;
    res->nothing_received = false;
    /* 8 KiB: keep it off small stacks.  Transient, but the Response's
     * while it is read: tagged as its payload. */
    struct hc_head *head = hc_payload_alloc(T, sizeof *head);
    if (!head) {
        hc_error_set(err, HC_ERR_MALFORMED_RESPONSE, "out of memory");
        return NULL;
    }
    if (read_head(c, lim, dl, head, res, err) != 0) {
        free(head);
        return NULL;
    }
    struct hc_rbuf *rb = hc_connection_rbuf(c);
    hc_response *r = hc_response_from_head(rb->data, head);
    int status = head->status, minor = head->version_minor;
    memmove(rb->data, rb->data + head->head_len, rb->len - head->head_len);
    rb->len -= head->head_len;
    free(head);

    hc_headers *h = hc_response_headers_mut(r);
    bool keep = minor >= 1 ? !hc_headers_has_token(h, "Connection", "close")
                           : hc_headers_has_token(h, "Connection", "keep-alive");
    struct body_buf bb = { hc_bytes_new(T, NULL, 0), 0 };
    bool clean_end = true;
    int rc = 0;
    const char *te = hc_headers_get(h, "Transfer-Encoding");
    if (head_request || status == 204 || status == 304 || status == 101 || status < 200) {
        clean_end = rb->len == 0;
        if (status == 101)
            keep = false;
    } else if (te) {
        if (hc_headers_find(h, "Content-Length", 0) >= 0)
            keep = false;    /* RFC 9112 6.3: possible smuggling, close after */
        if (last_coding_chunked(te)) {
            rc = read_chunked(c, h, &bb, lim, dl, &clean_end, err);
        } else {
            keep = false;
            rc = read_to_close(c, &bb, lim, dl, err);
        }
    } else {
        int64_t len = content_length(h);
        if (len == -2) {
            hc_error_set(err, HC_ERR_MALFORMED_RESPONSE, "Weird server reply: invalid Content-Length");
            rc = -1;
        } else if (len >= 0 && (uint64_t)len > lim->max_body) {
            hc_error_set(err, HC_ERR_MALFORMED_RESPONSE, "Weird server reply: Content-Length %lld over the body limit",
                         (long long)len);
            rc = -1;
        } else if (len >= 0) {
            rc = read_length(c, &bb, (uint64_t)len, dl, &clean_end, err);
        } else {
            keep = false;
            rc = read_to_close(c, &bb, lim, dl, err);
        }
    }
    if (rc != 0) {
        free(bb.b);
        hc_response_free(r);
        return NULL;
    }
    bb.b = hc_payload_realloc(T, bb.b, sizeof *bb.b + bb.b->len + 1);
    bb.b->data[bb.b->len] = '\0';
    const char *ce = hc_headers_get(h, "Content-Encoding");
    if (decode && ce && bb.b->len > 0 && hc_decode_supported(ce)) {
        struct hc_bytes *plain = hc_decode_body(T, ce, bb.b, lim->max_body, err);
        free(bb.b);
        if (!plain) {
            hc_response_free(r);
            return NULL;
        }
        bb.b = plain;
    }
    hc_response_set_body(r, bb.b);
    res->reusable = keep && clean_end;
    return r;
}
