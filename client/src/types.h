/* types.h — attribute indexes of every hc type.  The order is the
 * declaration order in types.c, which is also the dict insertion order.
 */
#ifndef HC_TYPES_H
#define HC_TYPES_H

/* The ADR's Response, seven attributes. */
enum {
    RESP_RAW,
    RESP_STATUS_LINE,
    RESP_STATUS_CODE,
    RESP_HEADERS,
    RESP_BODY,
    RESP_TEXT,
    RESP_JSON
};
enum { REQ_METHOD, REQ_URL, REQ_HEADERS, REQ_BODY, REQ_TIMEOUT };
enum { CONN_SCHEME, CONN_HOST, CONN_PORT, CONN_FD, CONN_SSL, CONN_RBUF, CONN_REQUESTS };
enum { TIMEOUT_CONNECT, TIMEOUT_READ, TIMEOUT_TOTAL };
enum { HDRS_ITEMS, HDRS_COUNT, HDRS_CAPACITY };
enum {
    SESS_POOL,
    SESS_HEADERS,
    SESS_TIMEOUT,
    SESS_FOLLOW_REDIRECTS,
    SESS_MAX_REDIRECTS,
    SESS_VERIFY,
    SESS_CA_FILE,
    SESS_DECODE_CONTENT,
    SESS_HOOKS,
    SESS_SSL_CTX
};
enum { POOL_IDLE, POOL_IDLE_COUNT, POOL_IDLE_CAPACITY, POOL_MAXSIZE, POOL_OPENED, POOL_REUSED };
enum { ERR_KIND, ERR_MESSAGE, ERR_STATUS_CODE };

#endif
