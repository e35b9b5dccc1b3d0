/* types.c — the attribute declarations of every hc type and, per build
 * mode, which types are fixed-slot structs.
 *
 * The mode macro comes from the compiler command line (client.mk):
 * HC_MODE_DICT, HC_MODE_SLOTS or HC_MODE_ALLSLOTS.
 */
#include "object.h"
#include "types.h"

#if defined(HC_MODE_DICT)
#define MODE_NAME "dict"
#define HOT_SLOTTED false  /* Response, Request, Connection, Timeout, Headers */
#define COLD_SLOTTED false /* Session, ConnectionPool, Error */
#elif defined(HC_MODE_SLOTS)
#define MODE_NAME "slots"
#define HOT_SLOTTED true
#define COLD_SLOTTED false
#elif defined(HC_MODE_ALLSLOTS)
#define MODE_NAME "allslots"
#define HOT_SLOTTED true
#define COLD_SLOTTED true
#else
#error "define one of HC_MODE_DICT, HC_MODE_SLOTS, HC_MODE_ALLSLOTS"
#endif

#define NATTRS(a) (unsigned)(sizeof(a) / sizeof((a)[0]))

const char *hc_build_mode(void) { return MODE_NAME; }

static const struct hc_attr response_attrs[] = {
    [RESP_RAW] = {"raw", HK_BYTES},
    [RESP_STATUS_LINE] = {"status_line", HK_STR},
    [RESP_STATUS_CODE] = {"status_code", HK_INT},
    [RESP_HEADERS] = {"headers", HK_OBJ},
    [RESP_BODY] = {"body", HK_BYTES},
    [RESP_TEXT] = {"_text", HK_STR},
    [RESP_JSON] = {"_json", HK_JSON},
};

static const struct hc_attr request_attrs[] = {
    [REQ_METHOD] = {"method", HK_STR},   [REQ_URL] = {"url", HK_STR},
    [REQ_HEADERS] = {"headers", HK_OBJ}, [REQ_BODY] = {"body", HK_BYTES},
    [REQ_TIMEOUT] = {"timeout", HK_OBJ},
};

static const struct hc_attr connection_attrs[] = {
    [CONN_SCHEME] = {"scheme", HK_STR},     [CONN_HOST] = {"host", HK_STR},
    [CONN_PORT] = {"port", HK_INT},         [CONN_FD] = {"fd", HK_INT},
    [CONN_SSL] = {"ssl", HK_PTR},           [CONN_RBUF] = {"rbuf", HK_PTR},
    [CONN_REQUESTS] = {"requests", HK_INT},
};

static const struct hc_attr timeout_attrs[] = {
    [TIMEOUT_CONNECT] = {"connect", HK_INT},
    [TIMEOUT_READ] = {"read", HK_INT},
    [TIMEOUT_TOTAL] = {"total", HK_INT},
};

static const struct hc_attr headers_attrs[] = {
    [HDRS_ITEMS] = {"_items", HK_PTR},
    [HDRS_COUNT] = {"_count", HK_INT},
    [HDRS_CAPACITY] = {"_capacity", HK_INT},
};

static const struct hc_attr session_attrs[] = {
    [SESS_POOL] = {"pool", HK_OBJ},
    [SESS_HEADERS] = {"headers", HK_OBJ},
    [SESS_TIMEOUT] = {"timeout", HK_OBJ},
    [SESS_FOLLOW_REDIRECTS] = {"follow_redirects", HK_INT},
    [SESS_MAX_REDIRECTS] = {"max_redirects", HK_INT},
    [SESS_VERIFY] = {"verify", HK_INT},
    [SESS_CA_FILE] = {"ca_file", HK_STR},
    [SESS_DECODE_CONTENT] = {"decode_content", HK_INT},
    [SESS_HOOKS] = {"hooks", HK_PTR},
    [SESS_SSL_CTX] = {"_ssl_ctx", HK_PTR},
};

static const struct hc_attr pool_attrs[] = {
    [POOL_IDLE] = {"_idle", HK_PTR},
    [POOL_IDLE_COUNT] = {"_idle_count", HK_INT},
    [POOL_IDLE_CAPACITY] = {"_idle_capacity", HK_INT},
    [POOL_MAXSIZE] = {"maxsize", HK_INT},
    [POOL_OPENED] = {"opened", HK_INT},
    [POOL_REUSED] = {"reused", HK_INT},
};

static const struct hc_attr error_attrs[] = {
    [ERR_KIND] = {"kind", HK_INT},
    [ERR_MESSAGE] = {"message", HK_STR},
    [ERR_STATUS_CODE] = {"status_code", HK_INT},
};

/* Finalizers live with their types' code. */
void hc_connection_finalize(struct hc_object *o);
void hc_headers_finalize(struct hc_object *o);
void hc_session_finalize(struct hc_object *o);
void hc_pool_finalize(struct hc_object *o);

#define TYPE(var, nm, attrs, slotted, fin) \
    struct hc_type var = {nm, nm ".payload", attrs, NATTRS(attrs), slotted, fin, 0}

TYPE(hc_type_response, "Response", response_attrs, HOT_SLOTTED, NULL);
TYPE(hc_type_request, "Request", request_attrs, HOT_SLOTTED, NULL);
TYPE(hc_type_connection, "Connection", connection_attrs, HOT_SLOTTED, hc_connection_finalize);
TYPE(hc_type_timeout, "Timeout", timeout_attrs, HOT_SLOTTED, NULL);
TYPE(hc_type_headers, "Headers", headers_attrs, HOT_SLOTTED, hc_headers_finalize);
TYPE(hc_type_session, "Session", session_attrs, COLD_SLOTTED, hc_session_finalize);
TYPE(hc_type_pool, "ConnectionPool", pool_attrs, COLD_SLOTTED, hc_pool_finalize);
TYPE(hc_type_error, "Error", error_attrs, COLD_SLOTTED, NULL);
