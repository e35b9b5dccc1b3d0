/* The endpoints of hc-serve (routes.h; docs/server.md lists them). */
#include "routes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#define MAX_BYTES ((uint64_t)1 << 40)
#define MAX_COMPRESSED (64u * 1024 * 1024)
#define MAX_CHUNK (1u << 20)
#define MAX_REDIRECTS 100
#define MAX_HEADERS_OUT 10000
#define MAX_DELAY_MS 60000

static const char JSON_DOC[] =
    "{\"name\":\"hc-serve\",\"version\":1,"
    "\"items\":[{\"id\":1,\"label\":\"alpha\",\"ok\":true},"
    "{\"id\":2,\"label\":\"beta\",\"ok\":false,\"ratio\":0.5}],"
    "\"nothing\":null,\"text\":\"caf\\u00e9 \\\"quoted\\\" \\\\ tab\\t\"}\n";

static const char INDEX_TEXT[] =
    "hc-serve endpoints:\n"
    "/bytes/N /chunked/N?chunk=K /close/N /gzip/N /deflate/N /json\n"
    "/redirect/N /redirect-to?url=U&status=S /slow/MS /stall /status/CODE\n"
    "/headers/N /api/N /echo\n"
    "/bad/endless-header /bad/endless-chunk /bad/reset-mid-body /bad/garbage-status\n";

static const char *reason(int code)
{
    switch (code) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 418: return "I'm a teapot";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
    }
}

/* Strict decimal in [0, max]; rejects empty strings, signs and junk. */
static bool parse_num(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s || strlen(s) > 20)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
** Copy the percent-decoded value of query parameter name into out ('+' is
** a space, as in HTML forms).  Returns false if absent or too long.
*/
static bool query_param(const char *query, const char *name, char *out, size_t outsz)
{
    size_t nl = strlen(name);
    for (const char *p = query; p && *p;) {
        const char *amp = strchr(p, '&');
        const char *end = amp ? amp : p + strlen(p);
        if ((size_t)(end - p) > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
            size_t o = 0;
            for (const char *q = p + nl + 1; q < end; q++) {
                char c = *q;
                if (c == '+') {
                    c = ' ';
                } else if (c == '%' && end - q >= 3 && hexval(q[1]) >= 0 && hexval(q[2]) >= 0) {
                    c = (char)(hexval(q[1]) * 16 + hexval(q[2]));
                    q += 2;
                }
                if (o + 1 >= outsz)
                    return false;
                out[o++] = c;
            }
            out[o] = 0;
            return true;
        }
        p = amp ? amp + 1 : NULL;
    }
    return false;
}

struct ctx {
    const struct request *req;
    struct buf *out;
    struct reply *r;
    bool head_only;
};

static void status_line(struct ctx *c, int code)
{
    buf_printf(c->out, "HTTP/1.1 %d %s\r\nServer: hc-serve\r\n", code, reason(code));
    c->r->end = c->req->keep_alive ? END_KEEP_ALIVE : END_CLOSE;
}

/* Finish the head; Connection: close whenever the server will close. */
static void end_head(struct ctx *c)
{
    if (c->r->end == END_CLOSE)
        buf_puts(c->out, "Connection: close\r\n");
    buf_puts(c->out, "\r\n");
}

/* A complete response with an in-memory body. */
static void send_fixed(struct ctx *c, int code, const char *ctype, const void *body, size_t len,
                       const char *extra_headers)
{
    status_line(c, code);
    bool bodiless = code == 204 || code == 304;
    if (!bodiless) {
        if (ctype)
            buf_printf(c->out, "Content-Type: %s\r\n", ctype);
        buf_printf(c->out, "Content-Length: %zu\r\n", len);
    }
    if (extra_headers)
        buf_puts(c->out, extra_headers);
    end_head(c);
    if (!c->head_only && !bodiless)
        buf_append(c->out, body, len);
}

static void send_text(struct ctx *c, int code, const char *text)
{
    send_fixed(c, code, "text/plain", text, strlen(text), NULL);
}

static void not_found(struct ctx *c) { send_text(c, 404, "not found\n"); }

static void do_bytes(struct ctx *c, const char *arg)
{
    uint64_t n;
    if (!parse_num(arg, MAX_BYTES, &n))
        return not_found(c);
    status_line(c, 200);
    buf_printf(c->out, "Content-Type: application/octet-stream\r\nContent-Length: %llu\r\n",
               (unsigned long long)n);
    end_head(c);
    if (!c->head_only) {
        c->r->gen = GEN_PATTERN;
        c->r->total = n;
    }
}

/*
** /api/N: the /bytes/N body under the head a typical web API answers with
** behind a CDN (ten fields, ~440 bytes), so what a client keeps per
** response is measured with realistic headers, not three.  Every value is
** fixed (no clock, no counter) so two runs are byte for byte the same.
*/
static void do_api(struct ctx *c, const char *arg)
{
    uint64_t n;
    if (!parse_num(arg, MAX_BYTES, &n))
        return not_found(c);
    status_line(c, 200);
    buf_printf(c->out,
               "Date: Tue, 01 Dec 2026 12:00:00 GMT\r\n"
               "Content-Type: text/plain; charset=utf-8\r\n"
               "Content-Length: %llu\r\n"
               "Cache-Control: private, max-age=0, must-revalidate\r\n"
               "ETag: W/\"%llx-5f2a9c1e\"\r\n"
               "Last-Modified: Mon, 30 Nov 2026 08:00:00 GMT\r\n"
               "Vary: Accept-Encoding, Authorization\r\n"
               "X-Request-Id: 7f3c9a2e-4b1d-4e8a-9c6f-2d1b0a9e8f7c\r\n"
               "X-Content-Type-Options: nosniff\r\n"
               "Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n",
               (unsigned long long)n, (unsigned long long)n);
    end_head(c);
    if (!c->head_only) {
        c->r->gen = GEN_PATTERN;
        c->r->total = n;
    }
}

static void do_chunked(struct ctx *c, const char *arg, const char *query)
{
    uint64_t n, k = 4096;
    char val[32];
    if (!parse_num(arg, MAX_BYTES, &n))
        return not_found(c);
    if (query_param(query, "chunk", val, sizeof val) && (!parse_num(val, MAX_CHUNK, &k) || k == 0))
        return send_text(c, 400, "chunk must be 1..1048576\n");
    status_line(c, 200);
    buf_puts(c->out, "Content-Type: application/octet-stream\r\n");
    if (c->req->minor == 0) {
        /* HTTP/1.0 has no chunked coding: delimit the body by closing. */
        c->r->end = END_CLOSE;
        c->r->gen = GEN_PATTERN;
    } else {
        buf_puts(c->out, "Transfer-Encoding: chunked\r\nTrailer: X-Body-Length\r\n");
        c->r->gen = GEN_CHUNKED;
    }
    end_head(c);
    c->r->total = n;
    c->r->chunk = (uint32_t)k;
    if (c->head_only)
        c->r->gen = GEN_NONE;
}

static void do_close(struct ctx *c, const char *arg)
{
    uint64_t n;
    if (!parse_num(arg, MAX_BYTES, &n))
        return not_found(c);
    status_line(c, 200);
    c->r->end = END_CLOSE;
    buf_puts(c->out, "Content-Type: application/octet-stream\r\n");
    end_head(c);
    if (!c->head_only) {
        c->r->gen = GEN_PATTERN;
        c->r->total = n;
    }
}

static void do_compressed(struct ctx *c, const char *arg, bool gzip)
{
    uint64_t n;
    if (!parse_num(arg, MAX_COMPRESSED, &n))
        return not_found(c);
    struct buf plain = {0}, packed = {0};
    pattern_append(&plain, 0, (size_t)n);
    z_stream zs = {0};
    /* windowBits 15+16 writes a gzip wrapper, plain 15 a zlib one: HTTP's
       "deflate" coding is the zlib format (RFC 9110 8.4.1.2). */
    if (deflateInit2(&zs, 6, Z_DEFLATED, gzip ? 31 : 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    uLong bound = deflateBound(&zs, (uLong)n);
    buf_reserve(&packed, bound);
    zs.next_in = (Bytef *)plain.data;
    zs.avail_in = (uInt)n;
    zs.next_out = (Bytef *)packed.data;
    zs.avail_out = (uInt)bound;
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        abort();
    packed.len = zs.total_out;
    deflateEnd(&zs);
    send_fixed(c, 200, "text/plain", packed.data, packed.len,
               gzip ? "Content-Encoding: gzip\r\n" : "Content-Encoding: deflate\r\n");
    buf_free(&plain);
    buf_free(&packed);
}

static void do_redirect(struct ctx *c, const char *arg)
{
    uint64_t n;
    char loc[64];
    if (!parse_num(arg, MAX_REDIRECTS, &n) || n == 0)
        return not_found(c);
    if (n == 1)
        snprintf(loc, sizeof loc, "Location: /bytes/16\r\n");
    else
        snprintf(loc, sizeof loc, "Location: /redirect/%llu\r\n", (unsigned long long)(n - 1));
    send_fixed(c, 302, "text/plain", "", 0, loc);
}

static void do_redirect_to(struct ctx *c, const char *query)
{
    char url[2048], st[16], hdr[2100];
    uint64_t status = 302;
    if (!query_param(query, "url", url, sizeof url) || !url[0])
        return send_text(c, 400, "redirect-to needs url=\n");
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return send_text(c, 400, "url has control characters\n");
    if (query_param(query, "status", st, sizeof st) &&
        (!parse_num(st, 399, &status) || status < 300 || status == 304 || status == 305 ||
         status == 306))
        return send_text(c, 400, "status must be a redirect code\n");
    snprintf(hdr, sizeof hdr, "Location: %s\r\n", url);
    send_fixed(c, (int)status, "text/plain", "", 0, hdr);
}

static void do_slow(struct ctx *c, const char *arg)
{
    uint64_t ms;
    char body[64];
    if (!parse_num(arg, MAX_DELAY_MS, &ms))
        return not_found(c);
    snprintf(body, sizeof body, "slept %llu ms\n", (unsigned long long)ms);
    send_text(c, 200, body);
    c->r->delay_ms = (uint32_t)ms;
}

static void do_stall(struct ctx *c)
{
    status_line(c, 200);
    buf_puts(c->out, "Content-Type: application/octet-stream\r\nContent-Length: 16\r\n");
    end_head(c);
    c->r->end = END_STALL;
}

static void do_status(struct ctx *c, const char *arg)
{
    uint64_t code;
    char body[64];
    /* 1xx are interim responses, never a final answer: refuse them. */
    if (!parse_num(arg, 599, &code) || code < 200)
        return not_found(c);
    snprintf(body, sizeof body, "%llu %s\n", (unsigned long long)code, reason((int)code));
    send_text(c, (int)code, body);
}

static void do_headers(struct ctx *c, const char *arg)
{
    uint64_t n;
    if (!parse_num(arg, MAX_HEADERS_OUT, &n))
        return not_found(c);
    struct buf h = {0};
    for (uint64_t i = 1; i <= n; i++)
        buf_printf(&h, "X-Header-%llu: value-%llu\r\n", (unsigned long long)i,
                   (unsigned long long)i);
    send_fixed(c, 200, "text/plain", "", 0, h.data ? h.data : "");
    buf_free(&h);
}

/* JSON string escaping; bytes >= 0x80 are \u00XX (read as Latin-1), so any
   body, UTF-8 or not, round-trips to the same bytes a client can check. */
static void json_string(struct buf *b, const char *s, size_t n)
{
    buf_puts(b, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        default:
            if (ch < 0x20 || ch >= 0x7f)
                buf_printf(b, "\\u%04x", ch);
            else
                buf_append(b, &s[i], 1);
        }
    }
    buf_puts(b, "\"");
}

static void do_echo(struct ctx *c)
{
    const struct request *req = c->req;
    struct buf j = {0};
    buf_puts(&j, "{\"method\":");
    json_string(&j, req->method, strlen(req->method));
    buf_puts(&j, ",\"target\":");
    json_string(&j, req->target, strlen(req->target));
    buf_printf(&j, ",\"version\":\"HTTP/1.%d\",\"headers\":[", req->minor);
    for (size_t k = 0; k < req->nheaders; k++) {
        buf_puts(&j, k ? ",[" : "[");
        json_string(&j, req->headers[k].name, strlen(req->headers[k].name));
        buf_puts(&j, ",");
        json_string(&j, req->headers[k].value, strlen(req->headers[k].value));
        buf_puts(&j, "]");
    }
    buf_puts(&j, "],\"body\":");
    json_string(&j, req->body.data ? req->body.data : "", req->body.len);
    buf_printf(&j, ",\"body_length\":%zu}\n", req->body.len);
    send_fixed(c, 200, "application/json", j.data, j.len, NULL);
    buf_free(&j);
}

static void do_bad(struct ctx *c, const char *what)
{
    struct buf *out = c->out;
    struct reply *r = c->r;
    if (strcmp(what, "endless-header") == 0) {
        buf_puts(out, "HTTP/1.1 200 OK\r\nServer: hc-serve\r\n");
        r->gen = GEN_ENDLESS_HEADER;
        r->end = END_CLOSE;
    } else if (strcmp(what, "endless-chunk") == 0) {
        buf_puts(out, "HTTP/1.1 200 OK\r\nServer: hc-serve\r\nTransfer-Encoding: chunked\r\n\r\n");
        r->gen = GEN_ENDLESS_CHUNK;
        r->end = END_CLOSE;
    } else if (strcmp(what, "reset-mid-body") == 0) {
        buf_puts(out, "HTTP/1.1 200 OK\r\nServer: hc-serve\r\n"
                      "Content-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n");
        r->gen = GEN_PATTERN;
        r->total = 500;
        r->end = END_RESET;
    } else if (strcmp(what, "garbage-status") == 0) {
        /* Letter O for digit 0: looks right, parses wrong. */
        buf_puts(out, "HTTP/1.1 2OO OK\r\nServer: hc-serve\r\nContent-Length: 4\r\n\r\nbad\n");
        r->end = END_CLOSE;
    } else {
        not_found(c);
    }
}

void route_request(const struct request *req, struct buf *out, struct reply *r)
{
    struct ctx c = {req, out, r, strcmp(req->method, "HEAD") == 0};
    memset(r, 0, sizeof *r);

    char path[1024];
    const char *q = strchr(req->target, '?');
    size_t plen = q ? (size_t)(q - req->target) : strlen(req->target);
    const char *query = q ? q + 1 : "";
    if (plen >= sizeof path)
        return not_found(&c);
    memcpy(path, req->target, plen);
    path[plen] = 0;

    static const struct {
        const char *prefix;
        int which;
    } prefixed[] = {
        {"/bytes/", 1},   {"/chunked/", 2},  {"/close/", 3}, {"/gzip/", 4},
        {"/deflate/", 5}, {"/redirect/", 6}, {"/slow/", 7},  {"/status/", 8},
        {"/headers/", 9}, {"/bad/", 10},     {"/api/", 11},
    };
    for (size_t i = 0; i < sizeof prefixed / sizeof prefixed[0]; i++) {
        size_t n = strlen(prefixed[i].prefix);
        if (strncmp(path, prefixed[i].prefix, n) != 0)
            continue;
        const char *arg = path + n;
        switch (prefixed[i].which) {
        case 1: return do_bytes(&c, arg);
        case 2: return do_chunked(&c, arg, query);
        case 3: return do_close(&c, arg);
        case 4: return do_compressed(&c, arg, true);
        case 5: return do_compressed(&c, arg, false);
        case 6: return do_redirect(&c, arg);
        case 7: return do_slow(&c, arg);
        case 8: return do_status(&c, arg);
        case 9: return do_headers(&c, arg);
        case 10: return do_bad(&c, arg);
        case 11: return do_api(&c, arg);
        }
    }
    if (strcmp(path, "/") == 0)
        return send_text(&c, 200, INDEX_TEXT);
    if (strcmp(path, "/json") == 0)
        return send_fixed(&c, 200, "application/json", JSON_DOC, sizeof JSON_DOC - 1, NULL);
    if (strcmp(path, "/redirect-to") == 0)
        return do_redirect_to(&c, query);
    if (strcmp(path, "/stall") == 0)
        return do_stall(&c);
    if (strcmp(path, "/echo") == 0)
        return do_echo(&c);
    not_found(&c);
}

void route_error(int code, struct buf *out, struct reply *r)
{
    memset(r, 0, sizeof *r);
    const char *body = code == 413 ? "request body too large\n" : "bad request\n";
    buf_printf(out,
               "HTTP/1.1 %d %s\r\nServer: hc-serve\r\nContent-Type: text/plain\r\n"
               "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
               code, reason(code), strlen(body), body);
    r->end = END_CLOSE;
}
