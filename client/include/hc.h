/* hc.h — heaptag's reference HTTP/1.1 client.
 *
 * The library models a Python HTTP client (requests-like) in C so that the
 * memory cost of per-instance attribute dictionaries versus fixed slots can
 * be measured (ADR-007).  The same API is built in three object layouts,
 * chosen at compile time (see docs/client.md):
 *
 *   dict      every object keeps its attributes in its own hash map;
 *   slots     Response, Request, Connection, Timeout, Headers are fixed-slot
 *             structs, Session, ConnectionPool and Error stay hash maps;
 *   allslots  every object is a fixed-slot struct.
 *
 * Behaviour is identical in every mode, except that hc_object_set_attr()
 * refuses an unknown attribute on a fixed-slot object (like Python's
 * AttributeError on a __slots__ class).
 *
 * Ownership: a function named *_new or returning a new object hands it to
 * the caller, who frees it with the matching *_free.  Accessors return
 * borrowed pointers that live as long as their object.  Functions that can
 * fail take an `hc_error **err`; on failure they store a new Error there
 * (when err is not NULL) and return NULL or -1.
 */
#ifndef HC_H
#define HC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hc_session hc_session;
typedef struct hc_connection_pool hc_connection_pool;
typedef struct hc_connection hc_connection;
typedef struct hc_request hc_request;
typedef struct hc_response hc_response;
typedef struct hc_headers hc_headers;
typedef struct hc_timeout hc_timeout;
typedef struct hc_error hc_error;
struct json_t;

/* ---- Errors ---------------------------------------------------------- */

typedef enum hc_error_kind {
    HC_ERR_INVALID_URL = 1,    /* URL cannot be parsed or scheme unsupported */
    HC_ERR_RESOLVE,            /* host name does not resolve */
    HC_ERR_CONNECT,            /* TCP connection failed */
    HC_ERR_TIMEOUT,            /* connect, read or total timeout expired */
    HC_ERR_TLS,                /* TLS handshake or I/O failure */
    HC_ERR_TLS_VERIFY,         /* peer certificate or host name not verified */
    HC_ERR_TOO_MANY_REDIRECTS, /* more redirects than the session allows */
    HC_ERR_MALFORMED_RESPONSE, /* bad or oversized response, empty reply */
    HC_ERR_TRUNCATED,          /* connection closed before the body ended */
    HC_ERR_EMPTY_REPLY,        /* connection closed before any response byte */
    HC_ERR_SEND,               /* writing the request failed */
    HC_ERR_RECV,               /* connection reset while reading */
    HC_ERR_DECODE,             /* gzip/deflate body cannot be decoded */
    HC_ERR_HTTP_STATUS,        /* from hc_response_raise_for_status() */
    HC_ERR_ATTRIBUTE,          /* unknown or read-only attribute */
    HC_ERR_TYPE,               /* attribute value of the wrong kind */
    HC_ERR_JSON,               /* body is not valid JSON */
    HC_ERR_INVALID_ARGUMENT,   /* bad method, header or option */
    HC_ERR_TOO_LARGE,          /* body over the session's max_body */
    HC_ERR_NO_MEMORY,          /* an allocation for a body failed */
    HC_ERR_WRITE               /* the body sink refused the bytes */
} hc_error_kind;

hc_error_kind hc_error_get_kind(const hc_error *e);
/* One line, human readable, no trailing newline. */
const char *hc_error_message(const hc_error *e);
/* The kind's name, Python style ("InvalidURL", "ConnectTimeout", ...). */
const char *hc_error_kind_name(hc_error_kind kind);
/* The HTTP status of an HC_ERR_HTTP_STATUS error, else 0. */
int hc_error_status_code(const hc_error *e);
void hc_error_free(hc_error *e);

/* ---- Generic attribute access (the Python object model) ------------- */

typedef enum hc_value_kind {
    HC_VALUE_NONE = 0,
    HC_VALUE_INT,
    HC_VALUE_STR,     /* NUL-terminated string; copied on set */
    HC_VALUE_POINTER, /* read-only: bytes, JSON and internal data */
    HC_VALUE_OBJECT   /* read-only: another hc object */
} hc_value_kind;

typedef struct hc_value {
    hc_value_kind kind;
    union {
        long long i;
        const char *s;
        const void *p;
    } u;
} hc_value;

static inline hc_value hc_value_int(long long i)
{
    hc_value v = {HC_VALUE_INT, {.i = i}};
    return v;
}
static inline hc_value hc_value_str(const char *s)
{
    hc_value v = {HC_VALUE_STR, {.s = s}};
    return v;
}
static inline hc_value hc_value_none(void)
{
    hc_value v = {HC_VALUE_NONE, {.i = 0}};
    return v;
}

/* obj is any hc object.  Setting an attribute the type does not declare
 * works in dict layout and fails with HC_ERR_ATTRIBUTE on a fixed-slot
 * object.  Declared int/str attributes accept values of their kind; other
 * declared attributes are read-only here. Returns NULL on success. */
hc_error *hc_object_set_attr(void *obj, const char *name, hc_value value);
/* The value stays owned by the object. Returns NULL on success. */
hc_error *hc_object_get_attr(const void *obj, const char *name, hc_value *out);
const char *hc_object_type_name(const void *obj);
/* 1 when obj is a fixed-slot struct in this build, 0 when dict-backed. */
int hc_object_is_slotted(const void *obj);
/* Bytes requested from malloc for the object's own storage (struct, or
 * struct + dict + dict keys table), payload excluded. */
size_t hc_object_storage_bytes(const void *obj);
/* Number of live objects of a type ("Response", ...); -1 for an unknown name. */
long hc_live_instances(const char *type_name);
/* "dict", "slots" or "allslots". */
const char *hc_build_mode(void);

/* ---- Timeout --------------------------------------------------------- */

/* Seconds; 0 or a negative value means no limit.  connect bounds each TCP
 * (and TLS) connection setup, read the wait for any single read, total the
 * whole exchange including redirects. */
hc_timeout *hc_timeout_new(double connect_s, double read_s, double total_s);
hc_timeout *hc_timeout_copy(const hc_timeout *t);
double hc_timeout_connect(const hc_timeout *t);
double hc_timeout_read(const hc_timeout *t);
double hc_timeout_total(const hc_timeout *t);
void hc_timeout_free(hc_timeout *t);

/* ---- Headers: ordered, case-insensitive names, repeats allowed ------- */

hc_headers *hc_headers_new(void);
hc_headers *hc_headers_copy(const hc_headers *h);
void hc_headers_free(hc_headers *h);
/* Append a field.  -1 (and *err) when the name is not a token or the value
 * holds CR, LF or NUL. */
int hc_headers_add(hc_headers *h, const char *name, const char *value, hc_error **err);
/* Replace every field of that name by one, at the place of the first. */
int hc_headers_set(hc_headers *h, const char *name, const char *value, hc_error **err);
/* Remove every field of that name; returns how many were removed. */
size_t hc_headers_remove(hc_headers *h, const char *name);
/* First value of that name, or NULL. */
const char *hc_headers_get(const hc_headers *h, const char *name);
/* Index of the first field named NAME at or after FROM, or -1. */
long hc_headers_find(const hc_headers *h, const char *name, size_t from);
size_t hc_headers_count(const hc_headers *h);
const char *hc_headers_name_at(const hc_headers *h, size_t i);
const char *hc_headers_value_at(const hc_headers *h, size_t i);

/* ---- Request --------------------------------------------------------- */

/* METHOD is a token (GET, HEAD, POST, ...).  The URL is validated here. */
hc_request *hc_request_new(const char *method, const char *url, hc_error **err);
void hc_request_free(hc_request *r);
const char *hc_request_method(const hc_request *r);
const char *hc_request_url(const hc_request *r);
hc_headers *hc_request_headers(hc_request *r);
/* The body is copied.  A Content-Length header is added when sending. */
void hc_request_set_body(hc_request *r, const void *data, size_t len);
const void *hc_request_body(const hc_request *r, size_t *len);
/* Takes ownership of T (NULL: use the session's). */
void hc_request_set_timeout(hc_request *r, hc_timeout *t);

/* ---- Response -------------------------------------------------------- */

int hc_response_status_code(const hc_response *r);
/* "HTTP/1.1 200 OK", without CRLF. */
const char *hc_response_status_line(const hc_response *r);
/* The response head exactly as received (status line, fields, blank line). */
const void *hc_response_raw(const hc_response *r, size_t *len);
const hc_headers *hc_response_headers(const hc_response *r);
/* The body, content-decoded when the session decodes (gzip, deflate).
 * Always followed by a NUL byte not counted in *len. */
const void *hc_response_body(const hc_response *r, size_t *len);
/* The body as text: UTF-8, converted from ISO-8859-1 when the charset says
 * so.  Computed on first use and kept (the _text attribute). */
const char *hc_response_text(hc_response *r);
/* The body parsed as JSON (jansson), on first use, kept (_json).  NULL and
 * HC_ERR_JSON when the body is not JSON. */
const struct json_t *hc_response_json(hc_response *r, hc_error **err);
/* NULL for 1xx-3xx; an HC_ERR_HTTP_STATUS error for 4xx and 5xx. */
hc_error *hc_response_raise_for_status(const hc_response *r);
void hc_response_free(hc_response *r);

/* ---- Connection pool and connections --------------------------------- */

/* Idle keep-alive connections kept, all hosts together. */
size_t hc_pool_idle_count(const hc_connection_pool *p);
/* Connections opened / requests that reused an idle connection, so far. */
long hc_pool_opened(const hc_connection_pool *p);
long hc_pool_reused(const hc_connection_pool *p);
/* Most idle connections kept per scheme+host+port (default 10). */
int hc_pool_maxsize(const hc_connection_pool *p);
void hc_pool_set_maxsize(hc_connection_pool *p, int maxsize);
/* Close every idle connection. */
void hc_pool_clear(hc_connection_pool *p);

/* ---- Session ----------------------------------------------------------- */

hc_session *hc_session_new(void);
void hc_session_free(hc_session *s);
/* Sent with every request unless the request sets the same name. */
hc_headers *hc_session_headers(hc_session *s);
hc_connection_pool *hc_session_pool(hc_session *s);
/* Takes ownership of T (NULL: no limits). */
void hc_session_set_timeout(hc_session *s, hc_timeout *t);
/* Follow 301/302/303/307/308 (default 1), at most MAX times (default 30). */
void hc_session_set_follow_redirects(hc_session *s, int follow);
void hc_session_set_max_redirects(hc_session *s, int max);
/* Verify the TLS peer (default 1) against the system store or CA_FILE. */
void hc_session_set_verify(hc_session *s, int verify);
int hc_session_set_ca_file(hc_session *s, const char *path, hc_error **err);
/* Ask for and decode gzip/deflate bodies (default 1).  Every layer of a
 * Content-Encoding list is undone, last applied first; a coding the client
 * cannot decode (br, zstd, ...) is an HC_ERR_DECODE error naming it.  With
 * 0 the body is handed back as received.  Transfer codings (gzip or
 * deflate before chunked) are always undone, unknown ones are an error. */
void hc_session_set_decode_content(hc_session *s, int decode);
/* Most bytes a body may have, as received and after decoding; more is an
 * HC_ERR_TOO_LARGE error.  0 means no limit (sensible only with a body
 * sink).  Default HC_DEFAULT_MAX_BODY. */
#define HC_DEFAULT_MAX_BODY ((uint64_t)100 << 20)
void hc_session_set_max_body(hc_session *s, uint64_t bytes);
uint64_t hc_session_max_body(const hc_session *s);

/* Called with every response received, redirects included, before the
 * next request is sent (requests' "response" hook).  NULL removes it. */
typedef void hc_response_hook(const hc_response *r, void *ctx);
void hc_session_set_response_hook(hc_session *s, hc_response_hook *hook, void *ctx);
/* Called with every response head as it arrives, before its body is read:
 * interim 1xx heads (then freed), redirects, the final head.  The body is
 * still empty.  NULL removes it. */
void hc_session_set_head_hook(hc_session *s, hc_response_hook *hook, void *ctx);

/* Stream bodies instead of keeping them: the decoded bytes of every
 * response that is not a redirect about to be followed go to SINK as they
 * arrive, and the Response's body stays empty, so memory stays bounded
 * whatever the body's size.  SINK returns 0 to go on, non-zero to stop
 * (an HC_ERR_WRITE error).  NULL keeps bodies in the Response again. */
typedef int hc_body_sink(const hc_response *r, const void *data, size_t len, void *ctx);
void hc_session_set_body_sink(hc_session *s, hc_body_sink *sink, void *ctx);

/* Send R (not consumed) and read the whole response. */
hc_response *hc_session_send(hc_session *s, const hc_request *r, hc_error **err);
/* Shorthand: build a request, send it, free it. BODY may be NULL. */
hc_response *hc_session_request(hc_session *s, const char *method, const char *url,
                                const void *body, size_t body_len, hc_error **err);

#ifdef __cplusplus
}
#endif

#endif /* HC_H */
