/* parser.c — HTTP/1.x response parsing, bytes in and spans out
 * (parser.h).
 *
 * Line endings may be CRLF or a bare LF (RFC 9112 section 2.2 lets a
 * recipient accept LF).  Obsolete line folding is rejected: no server we
 * talk to needs it and it hides smuggling tricks.
 */
#include "parser.h"

#include <string.h>

const struct hc_limits hc_default_limits = {
    .max_status_line = 8192,
    .max_header_line = 8192,
    .max_head = 65536,
    .max_fields = 100,
    .max_chunk_line = 4096,
    .max_chunk_size = (uint64_t)1 << 30,
    .max_body = (uint64_t)1 << 30,
    .max_interim = 32,
};

static int is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Find the end of the line starting at P: returns the length excluding the
 * line ending and stores the ending's length (1 or 2) in *EOL, or returns
 * -1 when no LF is within BUF[P..LEN). */
static long line_end(const char *buf, size_t p, size_t len, size_t *eol)
{
    const char *lf = memchr(buf + p, '\n', len - p);
    if (!lf)
        return -1;
    size_t n = (size_t)(lf - (buf + p));
    if (n > 0 && lf[-1] == '\r') {
        *eol = 2;
        return (long)(n - 1);
    }
    *eol = 1;
    return (long)n;
}

static int parse_field(const char *buf, size_t p, size_t n, struct hc_field *f, const char **why)
{
    size_t i = p, end = p + n;
    if (buf[i] == ' ' || buf[i] == '\t') {
        *why = "obsolete header line folding";
        return HC_PARSE_ERROR;
    }
    while (i < end && is_tchar((unsigned char)buf[i]))
        i++;
    if (i == p || i == end || buf[i] != ':') {
        *why = "malformed header field";
        return HC_PARSE_ERROR;
    }
    f->name.off = p;
    f->name.len = i - p;
    i++;
    while (i < end && (buf[i] == ' ' || buf[i] == '\t'))
        i++;
    size_t v = i, vend = end;
    while (vend > v && (buf[vend - 1] == ' ' || buf[vend - 1] == '\t'))
        vend--;
    for (size_t k = v; k < vend; k++) {
        unsigned char c = (unsigned char)buf[k];
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            *why = "control character in header value";
            return HC_PARSE_ERROR;
        }
    }
    f->value.off = v;
    f->value.len = vend - v;
    return HC_PARSE_OK;
}

int hc_parse_fields(const char *buf, size_t len, const struct hc_limits *lim,
                    struct hc_field *fields, size_t *nfields, size_t *used, const char **why)
{
    size_t p = 0, n = 0;
    for (;;) {
        size_t eol;
        long ll = line_end(buf, p, len, &eol);
        if (ll < 0) {
            if (len - p > lim->max_header_line) {
                *why = "header line too long";
                return HC_PARSE_ERROR;
            }
            if (len > lim->max_head) {
                *why = "response head too large";
                return HC_PARSE_ERROR;
            }
            return HC_PARSE_INCOMPLETE;
        }
        if ((size_t)ll > lim->max_header_line) {
            *why = "header line too long";
            return HC_PARSE_ERROR;
        }
        if (p + (size_t)ll + eol > lim->max_head) {
            *why = "response head too large";
            return HC_PARSE_ERROR;
        }
        if (ll == 0) {
            *nfields = n;
            *used = p + eol;
            return HC_PARSE_OK;
        }
        if (n >= lim->max_fields || n >= HC_HEAD_MAX_FIELDS) {
            *why = "too many header fields";
            return HC_PARSE_ERROR;
        }
        if (parse_field(buf, p, (size_t)ll, &fields[n], why) != HC_PARSE_OK)
            return HC_PARSE_ERROR;
        n++;
        p += (size_t)ll + eol;
    }
}

int hc_parse_response_head(const char *buf, size_t len, const struct hc_limits *lim,
                           struct hc_head *out, const char **why)
{
    size_t eol;
    /* Check the fixed prefix as soon as bytes arrive, so a non-HTTP peer
     * fails fast instead of waiting for a line ending. */
    static const char proto[] = "HTTP/1.";
    size_t cmp = len < 7 ? len : 7;
    if (memcmp(buf, proto, cmp) != 0) {
        *why = "not an HTTP/1.x status line";
        return HC_PARSE_ERROR;
    }
    long ll = line_end(buf, 0, len, &eol);
    if (ll < 0) {
        if (len > lim->max_status_line) {
            *why = "status line too long";
            return HC_PARSE_ERROR;
        }
        return HC_PARSE_INCOMPLETE;
    }
    size_t n = (size_t)ll;
    if (n > lim->max_status_line) {
        *why = "status line too long";
        return HC_PARSE_ERROR;
    }
    /* HTTP/1.x SP DDD [SP reason] */
    if (n < 12 || buf[7] < '0' || buf[7] > '9' || buf[8] != ' ' || buf[9] < '1' || buf[9] > '9' ||
        buf[10] < '0' || buf[10] > '9' || buf[11] < '0' || buf[11] > '9' ||
        (n > 12 && buf[12] != ' ')) {
        *why = "malformed status line";
        return HC_PARSE_ERROR;
    }
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)buf[k];
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            *why = "control character in status line";
            return HC_PARSE_ERROR;
        }
    }
    out->version_minor = buf[7] - '0';
    out->status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
    out->status_line.off = 0;
    out->status_line.len = n;
    out->reason.off = n > 12 ? 13 : n;
    out->reason.len = n > 12 ? n - 13 : 0;
    size_t start = n + eol, used;
    struct hc_limits rest = *lim;
    rest.max_head = lim->max_head > start ? lim->max_head - start : 0;
    int rc =
        hc_parse_fields(buf + start, len - start, &rest, out->fields, &out->nfields, &used, why);
    if (rc != HC_PARSE_OK)
        return rc;
    for (size_t i = 0; i < out->nfields; i++) {
        out->fields[i].name.off += start;
        out->fields[i].value.off += start;
    }
    out->head_len = start + used;
    return HC_PARSE_OK;
}
