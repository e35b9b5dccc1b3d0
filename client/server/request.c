/* The HTTP/1.x request parser of hc-serve (request.h). */
#include "request.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* RFC 9110 tchar: the characters allowed in methods and header names. */
static bool is_tchar(unsigned char c) { return isalnum(c) || strchr("!#$%&'*+-.^_`|~", c) != NULL; }

/* Find the end of the line starting at p: returns the index of '\n' or -1. */
static long line_end(const char *p, size_t len)
{
    const char *nl = memchr(p, '\n', len);
    return nl ? nl - p : -1;
}

static char *xstrndup(const char *p, size_t n)
{
    char *s = strndup(p, n);
    if (!s)
        abort();
    return s;
}

/* Parse a decimal Content-Length; rejects signs, spaces and overflow. */
static bool parse_length(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return true;
}

/* True if the comma-separated header value contains token (any case). */
static bool has_token(const char *value, const char *token)
{
    size_t tl = strlen(token);
    const char *p = value;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *start = p;
        while (*p && *p != ',')
            p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if ((size_t)(end - start) == tl && strncasecmp(start, token, tl) == 0)
            return true;
    }
    return false;
}

static enum req_status parse_request_line(struct request *req, const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && is_tchar((unsigned char)p[i]))
        i++;
    if (i == 0 || i >= sizeof req->method || i >= n || p[i] != ' ')
        return REQ_BAD;
    memcpy(req->method, p, i);
    req->method[i] = 0;
    size_t t0 = ++i;
    while (i < n && p[i] != ' ') {
        unsigned char c = (unsigned char)p[i];
        if (c <= 0x20 || c == 0x7f)
            return REQ_BAD;
        i++;
    }
    if (i == t0 || i >= n)
        return REQ_BAD;
    const char *target = p + t0;
    size_t tlen = i - t0;
    /* absolute-form (proxy style): keep only the path part. */
    if (tlen > 7 &&
        (strncasecmp(target, "http://", 7) == 0 || strncasecmp(target, "https://", 8) == 0)) {
        const char *slash = memchr(target + 8, '/', tlen - 8);
        if (!slash)
            return REQ_BAD;
        tlen -= (size_t)(slash - target);
        target = slash;
    } else if (!(target[0] == '/' || (tlen == 1 && target[0] == '*'))) {
        return REQ_BAD;
    }
    i++;
    if (n - i != 8 || memcmp(p + i, "HTTP/1.", 7) != 0 || (p[i + 7] != '0' && p[i + 7] != '1'))
        return REQ_BAD;
    req->minor = p[i + 7] - '0';
    req->target = xstrndup(target, tlen);
    return REQ_OK;
}

static enum req_status add_header(struct request *req, const char *p, size_t n)
{
    if (req->nheaders == REQ_MAX_HEADERS)
        return REQ_BAD;
    size_t i = 0;
    while (i < n && is_tchar((unsigned char)p[i]))
        i++;
    /* No whitespace before the colon (RFC 9112 5.1: a smuggling vector). */
    if (i == 0 || i >= n || p[i] != ':')
        return REQ_BAD;
    size_t v0 = i + 1, v1 = n;
    while (v0 < v1 && (p[v0] == ' ' || p[v0] == '\t'))
        v0++;
    while (v1 > v0 && (p[v1 - 1] == ' ' || p[v1 - 1] == '\t'))
        v1--;
    for (size_t k = v0; k < v1; k++) {
        unsigned char c = (unsigned char)p[k];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return REQ_BAD;
    }
    if (!req->headers) {
        req->headers = calloc(REQ_MAX_HEADERS, sizeof *req->headers);
        if (!req->headers)
            abort();
    }
    req->headers[req->nheaders].name = xstrndup(p, i);
    req->headers[req->nheaders].value = xstrndup(p + v0, v1 - v0);
    req->nheaders++;
    return REQ_OK;
}

/* Derive framing and connection flags from the parsed headers. */
static enum req_status interpret_headers(struct request *req)
{
    bool have_cl = false, have_te = false;
    req->keep_alive = req->minor == 1;
    for (size_t k = 0; k < req->nheaders; k++) {
        const char *name = req->headers[k].name, *value = req->headers[k].value;
        if (strcasecmp(name, "Content-Length") == 0) {
            uint64_t v;
            if (!parse_length(value, &v) || (have_cl && v != req->content_length))
                return REQ_BAD;
            req->content_length = v;
            have_cl = true;
        } else if (strcasecmp(name, "Transfer-Encoding") == 0) {
            /* Only a lone "chunked" is understood; anything else is refused. */
            if (have_te || strcasecmp(value, "chunked") != 0)
                return REQ_BAD;
            have_te = true;
        } else if (strcasecmp(name, "Connection") == 0) {
            if (has_token(value, "close"))
                req->keep_alive = false;
            else if (has_token(value, "keep-alive"))
                req->keep_alive = true;
        } else if (strcasecmp(name, "Expect") == 0) {
            if (strcasecmp(value, "100-continue") != 0)
                return REQ_BAD;
            req->expect_continue = true;
        }
    }
    if (have_cl && have_te)
        return REQ_BAD;
    if (req->minor == 1 && !req_header(req, "Host"))
        return REQ_BAD;
    req->chunked = have_te;
    if (have_cl && req->content_length > REQ_MAX_BODY)
        return REQ_TOO_LARGE;
    return REQ_OK;
}

enum req_status req_parse_head(struct request *req, const char *in, size_t len)
{
    if (req->head_len)
        return REQ_OK;
    size_t pos = 0;
    /* RFC 9112 2.2: ignore at least one empty line before the request line. */
    while (pos < len && (in[pos] == '\r' || in[pos] == '\n'))
        pos++;
    const char *head = in + pos;
    size_t avail = len - pos;
    size_t scan = avail < REQ_MAX_HEAD ? avail : REQ_MAX_HEAD;

    /* Find the blank line first so a partial head is never half-parsed. */
    size_t end = 0;
    bool found = false;
    for (size_t off = 0; off < scan;) {
        long e = line_end(head + off, scan - off);
        if (e < 0)
            break;
        size_t content = (size_t)e;
        if (content > 0 && head[off + content - 1] == '\r')
            content--;
        off += (size_t)e + 1;
        if (content == 0) {
            end = off;
            found = true;
            break;
        }
    }
    if (!found)
        return avail >= REQ_MAX_HEAD ? REQ_BAD : REQ_INCOMPLETE;

    size_t off = 0;
    bool first = true;
    while (off < end) {
        long e = line_end(head + off, end - off);
        size_t n = (size_t)e;
        if (n > 0 && head[off + n - 1] == '\r')
            n--;
        if (n == 0)
            break;
        /* A bare CR inside a line is never legitimate. */
        if (memchr(head + off, '\r', n))
            return REQ_BAD;
        enum req_status st;
        if (first)
            st = parse_request_line(req, head + off, n);
        else if (head[off] == ' ' || head[off] == '\t')
            st = REQ_BAD; /* obsolete line folding */
        else
            st = add_header(req, head + off, n);
        if (st != REQ_OK)
            return st;
        first = false;
        off += (size_t)e + 1;
    }
    enum req_status st = interpret_headers(req);
    if (st != REQ_OK)
        return st;
    req->head_len = pos + end;
    return REQ_OK;
}

/* Parse a chunk-size line's hex number; extensions after ';' are ignored. */
static int parse_chunk_size(const char *p, size_t n, uint64_t *size)
{
    uint64_t v = 0;
    size_t i = 0;
    for (; i < n && isxdigit((unsigned char)p[i]); i++) {
        if (v >> 60)
            return -1;
        int d =
            isdigit((unsigned char)p[i]) ? p[i] - '0' : (tolower((unsigned char)p[i]) - 'a' + 10);
        v = v * 16 + (uint64_t)d;
    }
    if (i == 0)
        return -1;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i < n && p[i] != ';')
        return -1;
    *size = v;
    return 0;
}

/*
** Walk the chunked body in place.  When copy is set the data is appended to
** req->body; the first pass runs without copying to learn whether the body
** is complete, so a slow upload is never copied more than once.
*/
static enum req_status walk_chunks(struct request *req, const char *in, size_t len, bool copy,
                                   size_t *need)
{
    size_t pos = req->head_len;
    uint64_t total = 0;
    for (;;) {
        long e = line_end(in + pos, len - pos);
        if (e < 0)
            return len - pos > 1024 ? REQ_BAD : REQ_INCOMPLETE;
        size_t n = (size_t)e;
        if (n > 0 && in[pos + n - 1] == '\r')
            n--;
        uint64_t size;
        if (parse_chunk_size(in + pos, n, &size) < 0)
            return REQ_BAD;
        pos += (size_t)e + 1;
        if (size == 0)
            break;
        total += size;
        if (total > REQ_MAX_BODY)
            return REQ_TOO_LARGE;
        if (len - pos < size + 1) {
            *need = pos + (size_t)size + 1;
            return REQ_INCOMPLETE;
        }
        if (copy)
            buf_append(&req->body, in + pos, (size_t)size);
        pos += (size_t)size;
        if (in[pos] == '\r') {
            if (len - pos < 2) {
                *need = pos + 2;
                return REQ_INCOMPLETE;
            }
            pos++;
        }
        if (in[pos] != '\n')
            return REQ_BAD;
        pos++;
    }
    /* Trailer section: header lines up to an empty line, discarded. */
    for (;;) {
        long e = line_end(in + pos, len - pos);
        if (e < 0)
            return len - pos > 8192 ? REQ_BAD : REQ_INCOMPLETE;
        size_t n = (size_t)e;
        if (n > 0 && in[pos + n - 1] == '\r')
            n--;
        pos += (size_t)e + 1;
        if (n == 0)
            break;
    }
    req->wire_len = pos;
    return REQ_OK;
}

enum req_status req_parse_body(struct request *req, const char *in, size_t len, size_t *need)
{
    *need = 0;
    if (req->chunked) {
        enum req_status st = walk_chunks(req, in, len, false, need);
        if (st != REQ_OK)
            return st;
        req->body.len = 0;
        return walk_chunks(req, in, len, true, need);
    }
    size_t want = req->head_len + (size_t)req->content_length;
    if (len < want) {
        *need = want;
        return REQ_INCOMPLETE;
    }
    req->body.len = 0;
    buf_append(&req->body, in + req->head_len, (size_t)req->content_length);
    req->wire_len = want;
    return REQ_OK;
}

void req_reset(struct request *req)
{
    for (size_t k = 0; k < req->nheaders; k++) {
        free(req->headers[k].name);
        free(req->headers[k].value);
    }
    free(req->headers);
    free(req->target);
    buf_free(&req->body);
    memset(req, 0, sizeof *req);
}

const char *req_header(const struct request *req, const char *name)
{
    for (size_t k = 0; k < req->nheaders; k++)
        if (strcasecmp(req->headers[k].name, name) == 0)
            return req->headers[k].value;
    return NULL;
}
