/* connection.h — Connection: one TCP (optionally TLS) connection to a
 * scheme+host+port.
 *
 * Its I/O is non-blocking and bounded by deadlines, and a read buffer
 * holds bytes received but not yet consumed.
 */
#ifndef HC_CONNECTION_H
#define HC_CONNECTION_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "hc.h"
#include "url.h"

/* Limits of one exchange in monotonic milliseconds; -1 means none. */
struct hc_deadline {
    int64_t connect_ms; /* per connection attempt */
    int64_t read_ms;    /* per wait for bytes */
    int64_t total_at;   /* absolute time the whole exchange must end */
};

struct hc_rbuf {
    char *data;
    size_t len, cap;
};

int64_t hc_now_ms(void);

/* Connect to U's host and port, then handshake TLS when U is https (CTX
 * must then be set; VERIFY says whether the peer was asked to be verified,
 * for the error message).  NULL and *ERR on failure. */
hc_connection *hc_connection_open(const struct hc_url *u, SSL_CTX *ctx,
                                  const struct hc_deadline *dl, hc_error **err);
void hc_connection_free(hc_connection *c);

/* Whether C talks to that scheme+host+port. */
bool hc_connection_matches(const hc_connection *c, bool https, const char *host, size_t host_len,
                           int port);
/* True when an idle connection has been closed by the peer or holds
 * unexpected bytes: it must not be reused. */
bool hc_connection_is_stale(hc_connection *c);

int hc_connection_write_all(hc_connection *c, const void *buf, size_t n,
                            const struct hc_deadline *dl, hc_error **err);
/* Read what is available (waiting within DL) into BUF: >0 bytes, 0 at end
 * of stream, -1 and *ERR on error or timeout. */
ssize_t hc_connection_read(hc_connection *c, void *buf, size_t cap, const struct hc_deadline *dl,
                           hc_error **err);

/* The read buffer, for the response reader. */
struct hc_rbuf *hc_connection_rbuf(hc_connection *c);
/* Grow the read buffer to hold at least N more bytes. */
void hc_rbuf_reserve(hc_connection *c, size_t n);
void hc_connection_count_request(hc_connection *c);
long hc_connection_requests(const hc_connection *c);

#endif
