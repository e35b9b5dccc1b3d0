/* transfer.c — response framing (RFC 9112 section 6.3).
 *
 * No body for HEAD, 1xx, 204 and 304; chunked when Transfer-Encoding ends
 * in chunked (with trailer fields appended to the headers); Content-Length
 * when given; otherwise until the server closes.  Body bytes are read into
 * the connection's buffer and pushed, piece by piece, through struct
 * hc_body (body.h), which undoes the codings and keeps, streams or drops
 * them.  A connection is handed back for reuse only when its response ended
 * exactly where the framing says and both sides agreed to keep it alive.
 */
#include "transfer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "body.h"
#include "chunked.h"
#include "error.h"
#include "headers.h"
#include "object.h"
#include "response.h"
#include "types.h"

static const struct hc_type *T = &hc_type_response;

#define READ_CHUNK 16384

/* Read into the connection's buffer until a full head is there. */
static int read_head(hc_connection *c, const struct hc_read_opts *o, const struct hc_limits *lim,
                     const struct hc_deadline *dl, struct hc_head *head, struct hc_read_result *res,
                     hc_error **err)
{
    struct hc_rbuf *rb = hc_connection_rbuf(c);
    size_t interim = 0;
    for (;;) {
        const char *why = NULL;
        int rc = rb->len ? hc_parse_response_head(rb->data, rb->len, lim, head, &why)
                         : HC_PARSE_INCOMPLETE;
        if (rc == HC_PARSE_OK) {
            if (head->status >= 100 && head->status < 200 && head->status != 101) {
                /* Interim response: show it, drop it, the final one
                 * follows; a server sending them forever is cut off. */
                if (++interim > lim->max_interim) {
                    hc_error_set(err, HC_ERR_MALFORMED_RESPONSE,
                                 "Weird server reply: more than %zu interim (1xx) responses",
                                 lim->max_interim);
                    return -1;
                }
                if (o->head_hook) {
                    hc_response *r = hc_response_from_head(rb->data, head);
                    o->head_hook(r, o->head_ctx);
                    hc_response_free(r);
                }
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
                hc_error_set(err, HC_ERR_MALFORMED_RESPONSE,
                             "Weird server reply: connection closed inside the response head");
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
    for (long i = hc_headers_find(h, "Content-Length", 0); i >= 0;
         i = hc_headers_find(h, "Content-Length", (size_t)i + 1)) {
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

/* Every value of header NAME joined by ", " (repeated fields are one
 * list), or NULL when absent.  Freed by the caller. */
static char *joined(const hc_headers *h, const char *name)
{
    char *out = NULL;
    size_t len = 0;
    for (long i = hc_headers_find(h, name, 0); i >= 0;
         i = hc_headers_find(h, name, (size_t)i + 1)) {
        const char *v = hc_headers_value_at(h, (size_t)i);
        size_t n = strlen(v);
        out = hc_payload_realloc(T, out, len + n + 3);
        if (len) {
            memcpy(out + len, ", ", 2);
            len += 2;
        }
        memcpy(out + len, v, n + 1);
        len += n;
    }
    return out;
}

/* The length of TE without a final "chunked" coding, or -1 when chunked
 * is not the last coding. */
static long without_last_chunked(const char *te)
{
    const char *end = te + strlen(te);
    while (end > te && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    const char *start = end;
    while (start > te && start[-1] != ',')
        start--;
    const char *tok = start;
    while (tok < end && (*tok == ' ' || *tok == '\t'))
        tok++;
    if (end - tok != 7 || strncasecmp(tok, "chunked", 7) != 0)
        return -1;
    return start > te ? (long)(start - 1 - te) : 0;
}

/* Read more bytes into the (empty) connection buffer: >0, or 0 / -1 with
 * *ERR set (TRUNCATED_MSG on a close). */
static ssize_t refill(hc_connection *c, size_t want, const struct hc_deadline *dl,
                      const char *truncated_msg, hc_error **err)
{
    hc_rbuf_reserve(c, READ_CHUNK);
    struct hc_rbuf *rb = hc_connection_rbuf(c);
    if (want > rb->cap)
        want = rb->cap;
    hc_error *e = NULL;
    ssize_t n = hc_connection_read(c, rb->data, want, dl, &e);
    if (n < 0)
        hc_error_pass(err, e);
    else if (n == 0 && truncated_msg)
        hc_error_set(err, HC_ERR_TRUNCATED, "%s", truncated_msg);
    rb->len = n > 0 ? (size_t)n : 0;
    return n;
}

static int pushed(struct hc_body *bd, const void *data, size_t len, hc_error **err)
{
    if (hc_body_push(bd, data, len) == 0)
        return 0;
    hc_error_pass(err, bd->err);
    bd->err = NULL;
    return -1;
}

static int read_chunked(hc_connection *c, hc_headers *h, struct hc_body *bd,
                        const struct hc_limits *lim, const struct hc_deadline *dl, bool *clean_end,
                        hc_error **err)
{
    struct hc_rbuf *rb = hc_connection_rbuf(c);
    struct hc_chunked st = {0};
    struct hc_limits l = *lim;
    l.max_body = bd->max ? bd->max : UINT64_MAX;
    size_t rest = 0, n;
    const char *why = NULL;
    int rc;
    /* Decode in place in the read buffer, push the data, read again. */
    for (;;) {
        n = rb->len;
        rc = hc_chunked_decode(&st, rb->data, &n, &rest, &l, &why);
        if (rc != HC_PARSE_ERROR && pushed(bd, rb->data, n, err) != 0)
            return -1;
        if (rc != HC_PARSE_INCOMPLETE)
            break;
        rb->len = 0;
        if (refill(c, READ_CHUNK, dl, "transfer closed with outstanding read data remaining",
                   err) <= 0)
            return -1;
        rb = hc_connection_rbuf(c);
    }
    if (rc == HC_PARSE_ERROR) {
        hc_error_set(err, HC_ERR_MALFORMED_RESPONSE, "Weird server reply: bad chunked encoding: %s",
                     why);
        return -1;
    }
    /* Trailer section: the REST bytes that followed the last chunk. */
    memmove(rb->data, rb->data + n, rest);
    rb->len = rest;
    struct hc_field *fields =
        hc_payload_alloc(T, sizeof *fields * (lim->max_fields ? lim->max_fields : 1));
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
        hc_headers_add_n(h, rb->data + fields[i].name.off, fields[i].name.len,
                         rb->data + fields[i].value.off, fields[i].value.len);
    free(fields);
    *clean_end = rb->len == used;
    rb->len = 0;
    return 0;
}

static int read_length(hc_connection *c, struct hc_body *bd, uint64_t length,
                       const struct hc_deadline *dl, bool *clean_end, hc_error **err)
{
    struct hc_rbuf *rb = hc_connection_rbuf(c);
    size_t have = rb->len < length ? rb->len : (size_t)length;
    *clean_end = rb->len == have;
    rb->len = 0;
    if (pushed(bd, rb->data, have, err) != 0)
        return -1;
    /* Trust a claimed length only as far as bytes arrive. */
    for (uint64_t left = length - have; left > 0;) {
        char msg[96];
        snprintf(msg, sizeof msg, "transfer closed with %llu bytes remaining to read",
                 (unsigned long long)left);
        ssize_t n = refill(c, left < SIZE_MAX ? (size_t)left : SIZE_MAX, dl, msg, err);
        if (n <= 0)
            return -1;
        rb = hc_connection_rbuf(c);
        rb->len = 0;
        if (pushed(bd, rb->data, (size_t)n, err) != 0)
            return -1;
        left -= (uint64_t)n;
    }
    return 0;
}

static int read_to_close(hc_connection *c, struct hc_body *bd, const struct hc_deadline *dl,
                         hc_error **err)
{
    struct hc_rbuf *rb = hc_connection_rbuf(c);
    size_t have = rb->len;
    rb->len = 0;
    if (pushed(bd, rb->data, have, err) != 0)
        return -1;
    for (;;) {
        ssize_t n = refill(c, READ_CHUNK, dl, NULL, err);
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        rb = hc_connection_rbuf(c);
        rb->len = 0;
        if (pushed(bd, rb->data, (size_t)n, err) != 0)
            return -1;
    }
}

static bool is_followed_redirect(const struct hc_read_opts *o, int status, const hc_headers *h)
{
    return o->follow &&
           (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) &&
           hc_headers_get(h, "Location");
}

/* Frame and read the body per RFC 9112 6.3.  0, or -1 and *ERR. */
static int read_body(hc_connection *c, const struct hc_read_opts *o, const struct hc_limits *lim,
                     const struct hc_deadline *dl, hc_headers *h, int status, struct hc_body *bd,
                     bool *keep, bool *clean_end, hc_error **err)
{
    char *ce = joined(h, "Content-Encoding");
    char *te = joined(h, "Transfer-Encoding");
    int rc = 0;
    if (o->head_request || status == 204 || status == 304 || status == 101 || status < 200) {
        *clean_end = hc_connection_rbuf(c)->len == 0;
        if (status == 101)
            *keep = false;
    } else if (te) {
        if (hc_headers_find(h, "Content-Length", 0) >= 0)
            *keep = false; /* RFC 9112 6.3: possible smuggling, close after */
        long prefix = without_last_chunked(te);
        if (prefix < 0)
            *keep = false;
        rc = hc_body_codings(bd, te, prefix < 0 ? strlen(te) : (size_t)prefix, ce, o->decode);
        if (rc != 0) {
            hc_error_pass(err, bd->err);
            bd->err = NULL;
        } else if (prefix >= 0) {
            rc = read_chunked(c, h, bd, lim, dl, clean_end, err);
        } else {
            rc = read_to_close(c, bd, dl, err);
        }
    } else {
        int64_t len = content_length(h);
        rc = hc_body_codings(bd, NULL, 0, ce, o->decode);
        if (rc != 0) {
            hc_error_pass(err, bd->err);
            bd->err = NULL;
        } else if (len == -2) {
            hc_error_set(err, HC_ERR_MALFORMED_RESPONSE,
                         "Weird server reply: invalid Content-Length");
            rc = -1;
        } else if (len >= 0 && bd->max && (uint64_t)len > bd->max) {
            hc_error_set(err, HC_ERR_TOO_LARGE,
                         "Maximum body size exceeded: Content-Length %lld over %llu bytes",
                         (long long)len, (unsigned long long)bd->max);
            rc = -1;
        } else if (len >= 0) {
            rc = read_length(c, bd, (uint64_t)len, dl, clean_end, err);
        } else {
            *keep = false;
            rc = read_to_close(c, bd, dl, err);
        }
    }
    free(ce);
    free(te);
    if (rc == 0 && hc_body_finish(bd) != 0) {
        hc_error_pass(err, bd->err);
        bd->err = NULL;
        rc = -1;
    }
    return rc;
}

hc_response *hc_read_response(hc_connection *c, const struct hc_read_opts *o,
                              const struct hc_limits *lim, const struct hc_deadline *dl,
                              struct hc_read_result *res, hc_error **err)
{
    res->reusable = false;
    res->nothing_received = false;
    /* 8 KiB: keep it off small stacks.  Transient, but the Response's
     * while it is read: tagged as its payload. */
    struct hc_head *head = hc_payload_alloc(T, sizeof *head);
    if (read_head(c, o, lim, dl, head, res, err) != 0) {
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
    if (o->head_hook)
        o->head_hook(r, o->head_ctx);
    bool keep = minor >= 1 ? !hc_headers_has_token(h, "Connection", "close")
                           : hc_headers_has_token(h, "Connection", "keep-alive");
    enum hc_body_mode mode = !o->sink                             ? HC_BODY_KEEP
                             : is_followed_redirect(o, status, h) ? HC_BODY_DROP
                                                                  : HC_BODY_SINK;
    struct hc_body bd;
    hc_body_init(&bd, mode, o->max_body);
    bd.sink = o->sink;
    bd.sink_ctx = o->sink_ctx;
    bd.resp = r;
    bool clean_end = true;
    int rc = read_body(c, o, lim, dl, h, status, &bd, &keep, &clean_end, err);
    struct hc_bytes *body = rc == 0 ? hc_body_take(&bd) : NULL;
    if (rc == 0 && !body) {
        hc_error_pass(err, bd.err);
        bd.err = NULL;
    }
    hc_body_release(&bd);
    if (!body) {
        hc_response_free(r);
        return NULL;
    }
    hc_response_set_body(r, body);
    res->reusable = keep && clean_end;
    return r;
}
