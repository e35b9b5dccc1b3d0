/* session.c — Session: default headers, timeouts, TLS settings and the
 * connection pool; sends requests, follows redirects.
 *
 * Redirects follow what requests and browsers do: 303 turns any method but
 * HEAD into GET, 301/302 turn POST into GET, 307/308 keep method and body;
 * a body dropped takes its Content-* headers with it; Authorization is
 * dropped when the redirect leaves the original host (or port, or goes from
 * https to http).
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "connection.h"
#include "error.h"
#include "headers.h"
#include "heaptag.h"
#include "object.h"
#include "parser.h"
#include "pool.h"
#include "request.h"
#include "timeout.h"
#include "transfer.h"
#include "types.h"
#include "url.h"

static const struct hc_type *T = &hc_type_session;

hc_session *hc_session_new(void)
{
    struct hc_object *s = ho_new(&hc_type_session);
    ho_set_ptr(s, SESS_POOL, hc_pool_new());
    hc_headers *h = hc_headers_new();
    hc_headers_add(h, "User-Agent", "hc/1.0", NULL);
    hc_headers_add(h, "Accept", "*/*", NULL);
    ho_set_ptr(s, SESS_HEADERS, h);
    ho_set_int(s, SESS_FOLLOW_REDIRECTS, 1);
    ho_set_int(s, SESS_MAX_REDIRECTS, 30);
    ho_set_int(s, SESS_VERIFY, 1);
    ho_set_int(s, SESS_DECODE_CONTENT, 1);
    return (hc_session *)s;
}

/* Settings most sessions never change, kept out of the Session's
 * attributes (ADR-007 measures them): allocated on first use. */
struct session_hooks {
    hc_response_hook *response;
    void *ctx;
    hc_response_hook *head;
    void *head_ctx;
    hc_body_sink *sink;
    void *sink_ctx;
    uint64_t max_body;
};

static struct session_hooks *hooks_of(hc_session *s)
{
    struct session_hooks *h = ho_ptr(s, SESS_HOOKS);
    if (!h) {
        h = hc_payload_alloc(T, sizeof *h);
        memset(h, 0, sizeof *h);
        h->max_body = HC_DEFAULT_MAX_BODY;
        ho_set_ptr(s, SESS_HOOKS, h);
    }
    return h;
}

void hc_session_set_response_hook(hc_session *s, hc_response_hook *hook, void *ctx)
{
    struct session_hooks *h = hooks_of(s);
    h->response = hook;
    h->ctx = ctx;
}

void hc_session_set_head_hook(hc_session *s, hc_response_hook *hook, void *ctx)
{
    struct session_hooks *h = hooks_of(s);
    h->head = hook;
    h->head_ctx = ctx;
}

void hc_session_set_body_sink(hc_session *s, hc_body_sink *sink, void *ctx)
{
    struct session_hooks *h = hooks_of(s);
    h->sink = sink;
    h->sink_ctx = ctx;
}

void hc_session_set_max_body(hc_session *s, uint64_t bytes) { hooks_of(s)->max_body = bytes; }

uint64_t hc_session_max_body(const hc_session *s)
{
    const struct session_hooks *h = ho_ptr(s, SESS_HOOKS);
    return h ? h->max_body : HC_DEFAULT_MAX_BODY;
}

void hc_session_finalize(struct hc_object *o)
{
    free(ho_ptr(o, SESS_HOOKS));
    SSL_CTX *ctx = ho_ptr(o, SESS_SSL_CTX);
    if (ctx)
        SSL_CTX_free(ctx);
}

void hc_session_free(hc_session *s) { ho_free((struct hc_object *)s); }
hc_headers *hc_session_headers(hc_session *s) { return ho_ptr(s, SESS_HEADERS); }
hc_connection_pool *hc_session_pool(hc_session *s) { return ho_ptr(s, SESS_POOL); }
void hc_session_set_timeout(hc_session *s, hc_timeout *t) { ho_set_ptr(s, SESS_TIMEOUT, t); }
void hc_session_set_follow_redirects(hc_session *s, int follow)
{
    ho_set_int(s, SESS_FOLLOW_REDIRECTS, follow != 0);
}
void hc_session_set_max_redirects(hc_session *s, int max)
{
    ho_set_int(s, SESS_MAX_REDIRECTS, max < 0 ? 0 : max);
}
void hc_session_set_decode_content(hc_session *s, int decode)
{
    ho_set_int(s, SESS_DECODE_CONTENT, decode != 0);
}

/* TLS settings changed: connections made under the old ones must go. */
static void drop_tls_state(hc_session *s)
{
    SSL_CTX *ctx = ho_ptr(s, SESS_SSL_CTX);
    if (ctx)
        SSL_CTX_free(ctx);
    ho_set_ptr(s, SESS_SSL_CTX, NULL);
    hc_pool_clear(hc_session_pool(s));
}

void hc_session_set_verify(hc_session *s, int verify)
{
    ho_set_int(s, SESS_VERIFY, verify != 0);
    drop_tls_state(s);
}

int hc_session_set_ca_file(hc_session *s, const char *path, hc_error **err)
{
    if (path && access(path, R_OK) != 0) {
        hc_error_set(err, HC_ERR_INVALID_ARGUMENT, "cannot read CA file '%s'", path);
        return -1;
    }
    ho_set_ptr(s, SESS_CA_FILE, path ? hc_payload_strdup(T, path) : NULL);
    drop_tls_state(s);
    return 0;
}

static SSL_CTX *session_ssl_ctx(hc_session *s, hc_error **err)
{
    SSL_CTX *ctx = ho_ptr(s, SESS_SSL_CTX);
    if (ctx)
        return ctx;
    HEAPTAG_SCOPE(T->payload_tag);
    ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        hc_error_set(err, HC_ERR_TLS, "cannot create TLS context");
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    /* A peer closing without close_notify is judged by HTTP framing. */
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    if (ho_int(s, SESS_VERIFY)) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
        const char *ca = ho_ptr(s, SESS_CA_FILE);
        int ok = ca ? SSL_CTX_load_verify_locations(ctx, ca, NULL)
                    : SSL_CTX_set_default_verify_paths(ctx);
        if (ok != 1) {
            char buf[256] = "unknown error";
            unsigned long e = ERR_get_error();
            if (e)
                ERR_error_string_n(e, buf, sizeof buf);
            hc_error_set(err, HC_ERR_TLS, "cannot load CA certificates%s%s: %s", ca ? " from " : "",
                         ca ? ca : "", buf);
            SSL_CTX_free(ctx);
            return NULL;
        }
    } else {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    }
    ho_set_ptr(s, SESS_SSL_CTX, ctx);
    return ctx;
}

/* Append "Name: value\r\n" unless it would repeat a name the request set. */
struct wbuf {
    char *p;
    size_t len, cap;
};

static void wb_add(struct wbuf *w, const void *data, size_t n)
{
    if (w->cap - w->len < n + 1) {
        size_t cap = w->cap ? w->cap : 512;
        while (cap - w->len < n + 1)
            cap *= 2;
        w->p = hc_payload_realloc(&hc_type_request, w->p, cap);
        w->cap = cap;
    }
    memcpy(w->p + w->len, data, n);
    w->len += n;
}

static void wb_str(struct wbuf *w, const char *s) { wb_add(w, s, strlen(s)); }

static void wb_field(struct wbuf *w, const char *name, const char *value)
{
    wb_str(w, name);
    wb_add(w, ": ", 2);
    wb_str(w, value);
    wb_add(w, "\r\n", 2);
}

static void build_request(hc_session *s, const hc_request *r, const struct hc_url *u,
                          struct wbuf *w)
{
    const char *method = hc_request_method(r);
    hc_headers *rh = hc_request_headers((hc_request *)r);
    wb_str(w, method);
    wb_add(w, " ", 1);
    if (u->target_len == 0 || u->target[0] == '?')
        wb_add(w, "/", 1);
    wb_add(w, u->target, u->target_len);
    wb_str(w, " HTTP/1.1\r\n");
    if (hc_headers_find(rh, "Host", 0) < 0) {
        char host[300];
        snprintf(host, sizeof host, "%s%.*s%s", u->ipv6 ? "[" : "", (int)u->host_len, u->host,
                 u->ipv6 ? "]" : "");
        if (!u->default_port)
            snprintf(host + strlen(host), sizeof host - strlen(host), ":%d", u->port);
        wb_field(w, "Host", host);
    }
    hc_headers *sh = hc_session_headers(s);
    for (size_t i = 0; i < hc_headers_count(sh); i++)
        if (hc_headers_find(rh, hc_headers_name_at(sh, i), 0) < 0)
            wb_field(w, hc_headers_name_at(sh, i), hc_headers_value_at(sh, i));
    if (ho_int(s, SESS_DECODE_CONTENT) && hc_headers_find(rh, "Accept-Encoding", 0) < 0 &&
        hc_headers_find(sh, "Accept-Encoding", 0) < 0)
        wb_field(w, "Accept-Encoding", "gzip, deflate");
    if (u->userinfo && hc_headers_find(rh, "Authorization", 0) < 0) {
        unsigned char enc[4 * 256 / 3 + 8];
        if (u->userinfo_len < 256) {
            EVP_EncodeBlock(enc, (const unsigned char *)u->userinfo, (int)u->userinfo_len);
            char val[sizeof enc + 8];
            snprintf(val, sizeof val, "Basic %s", enc);
            wb_field(w, "Authorization", val);
        }
    }
    for (size_t i = 0; i < hc_headers_count(rh); i++)
        wb_field(w, hc_headers_name_at(rh, i), hc_headers_value_at(rh, i));
    size_t blen;
    const void *body = hc_request_body(r, &blen);
    bool wants_length = body || strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
                        strcmp(method, "PATCH") == 0;
    if (wants_length && hc_headers_find(rh, "Content-Length", 0) < 0 &&
        hc_headers_find(rh, "Transfer-Encoding", 0) < 0) {
        char n[32];
        snprintf(n, sizeof n, "%zu", blen);
        wb_field(w, "Content-Length", n);
    }
    wb_add(w, "\r\n", 2);
    if (blen)
        wb_add(w, body, blen);
}

static bool idempotent(const char *m)
{
    return !strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "PUT") || !strcmp(m, "DELETE") ||
           !strcmp(m, "OPTIONS") || !strcmp(m, "TRACE");
}

/* One request/response exchange over a pooled or new connection. */
static hc_response *send_once(hc_session *s, const hc_request *r, const struct hc_deadline *dl,
                              hc_error **err)
{
    struct hc_url u;
    const char *why;
    const char *url = hc_request_url(r);
    if (hc_url_parse(url, &u, &why) != 0) {
        hc_error_set(err, HC_ERR_INVALID_URL, "Invalid URL '%s': %s", url, why);
        return NULL;
    }
    hc_connection_pool *pool = hc_session_pool(s);
    struct wbuf w = {0};
    build_request(s, r, &u, &w);
    const struct session_hooks *hooks = ho_ptr(s, SESS_HOOKS);
    struct hc_read_opts opts = {
        .head_request = strcmp(hc_request_method(r), "HEAD") == 0,
        .decode = ho_int(s, SESS_DECODE_CONTENT) != 0,
        .follow = ho_int(s, SESS_FOLLOW_REDIRECTS) != 0,
        .max_body = hc_session_max_body(s),
        .head_hook = hooks ? hooks->head : NULL,
        .head_ctx = hooks ? hooks->head_ctx : NULL,
        .sink = hooks ? hooks->sink : NULL,
        .sink_ctx = hooks ? hooks->sink_ctx : NULL,
    };
    hc_response *resp = NULL;
    for (int attempt = 0; attempt < 2 && !resp; attempt++) {
        hc_connection *c = hc_pool_take(pool, u.https, u.host, u.host_len, u.port);
        bool reused = c != NULL;
        if (!c) {
            SSL_CTX *ctx = NULL;
            if (u.https && !(ctx = session_ssl_ctx(s, err)))
                break;
            c = hc_connection_open(&u, ctx, dl, err);
            if (!c)
                break;
            hc_pool_note_opened(pool);
        }
        hc_error *e = NULL;
        struct hc_read_result res = {0};
        if (hc_connection_write_all(c, w.p, w.len, dl, &e) != 0) {
            res.nothing_received = true;
        } else {
            hc_connection_count_request(c);
            resp = hc_read_response(c, &opts, &hc_default_limits, dl, &res, &e);
        }
        if (resp) {
            if (res.reusable)
                hc_pool_put(pool, c);
            else
                hc_connection_free(c);
            break;
        }
        hc_connection_free(c);
        /* A kept-alive connection the server closed meanwhile: try once more
         * on a fresh one, when repeating the request is harmless. */
        bool retry = reused && res.nothing_received && idempotent(hc_request_method(r)) &&
                     hc_error_get_kind(e) != HC_ERR_TIMEOUT;
        if (!retry) {
            hc_error_pass(err, e);
            break;
        }
        hc_error_free(e);
    }
    free(w.p);
    return resp;
}

static bool is_redirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* Whether moving from OLD to NEW must drop credentials. */
static bool leaves_origin(const char *old_url, const char *new_url)
{
    struct hc_url a, b;
    const char *why;
    if (hc_url_parse(old_url, &a, &why) != 0 || hc_url_parse(new_url, &b, &why) != 0)
        return true;
    if (a.host_len != b.host_len || strncasecmp(a.host, b.host, a.host_len) != 0)
        return true;
    /* http -> https on default ports is an upgrade, not a change of origin. */
    if (!a.https && b.https && a.default_port && b.default_port)
        return false;
    return a.https != b.https || a.port != b.port;
}

static hc_request *next_request(const hc_request *cur, const hc_response *resp,
                                const char *location)
{
    int status = hc_response_status_code(resp);
    char *url;
    {
        HEAPTAG_SCOPE(hc_type_request.payload_tag);
        url = hc_url_resolve(hc_request_url(cur), location);
    }
    if (!url)
        return NULL;
    hc_request *next = hc_request_copy(cur);
    bool strip_auth = leaves_origin(hc_request_url(cur), url);
    hc_request_set_url_owned(next, url);
    const char *m = hc_request_method(cur);
    if ((status == 303 && strcmp(m, "HEAD") != 0) ||
        ((status == 301 || status == 302) && strcmp(m, "POST") == 0)) {
        hc_request_set_method(next, "GET");
        hc_request_drop_body(next);
        hc_headers *h = hc_request_headers(next);
        hc_headers_remove(h, "Content-Length");
        hc_headers_remove(h, "Content-Type");
        hc_headers_remove(h, "Transfer-Encoding");
    }
    if (strip_auth)
        hc_headers_remove(hc_request_headers(next), "Authorization");
    return next;
}

hc_response *hc_session_send(hc_session *s, const hc_request *req, hc_error **err)
{
    const hc_timeout *t = hc_request_timeout(req);
    if (!t)
        t = ho_ptr(s, SESS_TIMEOUT);
    struct hc_deadline dl = {
        .connect_ms = hc_timeout_ms(t, TIMEOUT_CONNECT),
        .read_ms = hc_timeout_ms(t, TIMEOUT_READ),
        .total_at = -1,
    };
    int64_t total = hc_timeout_ms(t, TIMEOUT_TOTAL);
    if (total >= 0)
        dl.total_at = hc_now_ms() + total;
    const hc_request *cur = req;
    hc_request *owned = NULL;
    hc_response *resp = NULL;
    for (int hops = 0;; hops++) {
        resp = send_once(s, cur, &dl, err);
        struct session_hooks *hooks = ho_ptr(s, SESS_HOOKS);
        if (resp && hooks && hooks->response)
            hooks->response(resp, hooks->ctx);
        if (!resp || !ho_int(s, SESS_FOLLOW_REDIRECTS) ||
            !is_redirect(hc_response_status_code(resp)))
            break;
        const char *loc = hc_headers_get(hc_response_headers(resp), "Location");
        if (!loc)
            break;
        if (hops >= ho_int(s, SESS_MAX_REDIRECTS)) {
            hc_error_set(err, HC_ERR_TOO_MANY_REDIRECTS, "Maximum (%d) redirects followed",
                         (int)ho_int(s, SESS_MAX_REDIRECTS));
            hc_response_free(resp);
            resp = NULL;
            break;
        }
        hc_request *next = next_request(cur, resp, loc);
        if (!next) {
            hc_error_set(err, HC_ERR_INVALID_URL, "cannot follow redirect to '%s'", loc);
            hc_response_free(resp);
            resp = NULL;
            break;
        }
        hc_response_free(resp);
        resp = NULL;
        hc_request_free(owned);
        owned = next;
        cur = next;
    }
    hc_request_free(owned);
    return resp;
}

hc_response *hc_session_request(hc_session *s, const char *method, const char *url,
                                const void *body, size_t body_len, hc_error **err)
{
    hc_request *r = hc_request_new(method, url, err);
    if (!r)
        return NULL;
    if (body)
        hc_request_set_body(r, body, body_len);
    hc_response *resp = hc_session_send(s, r, err);
    hc_request_free(r);
    return resp;
}
