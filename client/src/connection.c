/* connection.c — Connection objects and their I/O.
 *
 * Sockets are non-blocking; every wait goes through poll() with the
 * smaller of the per-operation timeout and what is left of the total, so
 * no read, write, connect or TLS handshake can block past the caller's
 * limits.
 */
#include "connection.h"

#include <errno.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <pthread.h>

#include "error.h"
#include "heaptag.h"
#include "object.h"
#include "types.h"

static const struct hc_type *T = &hc_type_connection;

int64_t hc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum wait_result { WAIT_READY, WAIT_OP_TIMEOUT, WAIT_TOTAL_TIMEOUT, WAIT_ERROR };

/* Wait for EVENTS on FD for at most OP_MS (-1: no limit) and until TOTAL_AT. */
static enum wait_result wait_fd(int fd, short events, int64_t op_ms, int64_t total_at)
{
    int64_t op_end = op_ms >= 0 ? hc_now_ms() + op_ms : -1;
    for (;;) {
        int64_t now = hc_now_ms(), timeout = -1;
        bool total_first = false;
        if (op_end >= 0)
            timeout = op_end - now;
        if (total_at >= 0 && (timeout < 0 || total_at - now <= timeout)) {
            timeout = total_at - now;
            total_first = true;
        }
        if (timeout < 0 && (op_end >= 0 || total_at >= 0))
            timeout = 0;
        struct pollfd p = {.fd = fd, .events = events};
        int rc = poll(&p, 1, timeout > 0x7fffffff ? 0x7fffffff : (int)timeout);
        if (rc > 0)
            return WAIT_READY;
        if (rc == 0) {
            if (hc_now_ms() >= (total_first ? total_at : op_end))
                return total_first ? WAIT_TOTAL_TIMEOUT : WAIT_OP_TIMEOUT;
            continue;
        }
        if (errno != EINTR)
            return WAIT_ERROR;
    }
}

static void timeout_error(hc_error **err, enum wait_result w, const char *what,
                          const struct hc_deadline *dl, int64_t op_ms)
{
    (void)dl;
    if (w == WAIT_TOTAL_TIMEOUT)
        hc_error_set(err, HC_ERR_TIMEOUT, "total timeout reached while %s", what);
    else if (w == WAIT_OP_TIMEOUT)
        hc_error_set(err, HC_ERR_TIMEOUT, "%s timed out after %lld ms", what, (long long)op_ms);
    else
        hc_error_set(err, HC_ERR_CONNECT, "poll failed while %s: %s", what, strerror(errno));
}

static bool is_ip_literal(const char *host)
{
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

/* One non-blocking connect to AI within DL: the fd, or -1 with *ERRNUM or
 * *W (the wait result when it timed out). */
static int connect_one(const struct addrinfo *ai, const struct hc_deadline *dl, int *errnum,
                       enum wait_result *w)
{
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
        *errnum = errno;
        return -1;
    }
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
        return fd;
    if (errno != EINPROGRESS) {
        *errnum = errno;
        close(fd);
        return -1;
    }
    *w = wait_fd(fd, POLLOUT, dl->connect_ms, dl->total_at);
    if (*w != WAIT_READY) {
        *errnum = ETIMEDOUT;
        close(fd);
        return -1;
    }
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
    if (soerr) {
        *errnum = soerr;
        close(fd);
        return -1;
    }
    return fd;
}

static int tls_handshake(hc_connection *c, SSL *ssl, const char *host, const struct hc_deadline *dl,
                         hc_error **err)
{
    int fd = (int)ho_int(c, CONN_FD);
    for (;;) {
        ERR_clear_error();
        int rc = SSL_connect(ssl);
        if (rc == 1)
            return 0;
        int e = SSL_get_error(ssl, rc);
        enum wait_result w;
        if (e == SSL_ERROR_WANT_READ)
            w = wait_fd(fd, POLLIN, dl->connect_ms, dl->total_at);
        else if (e == SSL_ERROR_WANT_WRITE)
            w = wait_fd(fd, POLLOUT, dl->connect_ms, dl->total_at);
        else {
            long vr = SSL_get_verify_result(ssl);
            if (vr != X509_V_OK) {
                hc_error_set(err, HC_ERR_TLS_VERIFY, "SSL certificate problem for %s: %s", host,
                             X509_verify_cert_error_string(vr));
                return -1;
            }
            unsigned long ec = ERR_peek_error();
            char buf[256] = "connection closed during handshake";
            if (ec)
                ERR_error_string_n(ec, buf, sizeof buf);
            hc_error_set(err, HC_ERR_TLS, "TLS handshake with %s failed: %s", host, buf);
            return -1;
        }
        if (w != WAIT_READY) {
            timeout_error(err, w, "TLS handshake", dl, dl->connect_ms);
            return -1;
        }
    }
}

hc_connection *hc_connection_open(const struct hc_url *u, SSL_CTX *ctx,
                                  const struct hc_deadline *dl, hc_error **err)
{
    char host[256], port[8];
    if (u->host_len >= sizeof host) {
        hc_error_set(err, HC_ERR_INVALID_URL, "host name too long");
        return NULL;
    }
    memcpy(host, u->host, u->host_len);
    host[u->host_len] = '\0';
    snprintf(port, sizeof port, "%d", u->port);

    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    int grc;
    {
        HEAPTAG_SCOPE(T->payload_tag);
        grc = getaddrinfo(host, port, &hints, &res);
    }
    if (grc != 0) {
        hc_error_set(err, HC_ERR_RESOLVE, "Could not resolve host: %s (%s)", host,
                     gai_strerror(grc));
        return NULL;
    }
    int fd = -1, errnum = 0;
    enum wait_result w = WAIT_READY;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = connect_one(ai, dl, &errnum, &w);
        if (w == WAIT_TOTAL_TIMEOUT)
            break;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        if (w != WAIT_READY)
            timeout_error(err, w, "connect", dl, dl->connect_ms);
        else
            hc_error_set(err, HC_ERR_CONNECT, "Failed to connect to %s port %d: %s", host, u->port,
                         strerror(errnum));
        return NULL;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    hc_connection *c = (hc_connection *)ho_new(&hc_type_connection);
    ho_set_ptr(c, CONN_SCHEME, hc_payload_strdup(T, u->https ? "https" : "http"));
    ho_set_ptr(c, CONN_HOST, hc_payload_strdup(T, host));
    ho_set_int(c, CONN_PORT, u->port);
    ho_set_int(c, CONN_FD, fd);
    struct hc_rbuf *rb = hc_payload_alloc(T, sizeof *rb);
    rb->data = NULL;
    rb->len = rb->cap = 0;
    ho_set_ptr(c, CONN_RBUF, rb);

    if (u->https) {
        SSL *ssl;
        {
            HEAPTAG_SCOPE(T->payload_tag);
            ssl = SSL_new(ctx);
        }
        if (!ssl) {
            hc_error_set(err, HC_ERR_TLS, "cannot create TLS session");
            hc_connection_free(c);
            return NULL;
        }
        ho_set_ptr(c, CONN_SSL, ssl);
        SSL_set_fd(ssl, fd);
        if (!is_ip_literal(host))
            SSL_set_tlsext_host_name(ssl, host);
        if (SSL_CTX_get_verify_mode(ctx) & SSL_VERIFY_PEER) {
            if (is_ip_literal(host))
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host);
            else
                SSL_set1_host(ssl, host);
        }
        int rc;
        {
            HEAPTAG_SCOPE(T->payload_tag);
            rc = tls_handshake(c, ssl, host, dl, err);
        }
        if (rc != 0) {
            hc_connection_free(c);
            return NULL;
        }
    }
    return c;
}

void hc_connection_finalize(struct hc_object *o)
{
    SSL *ssl = ho_ptr(o, CONN_SSL);
    int fd = (int)ho_int(o, CONN_FD);
    if (ssl) {
        /* No close_notify: the peer may be gone, and a blocking shutdown
         * is exactly what the deadlines exist to avoid. */
        SSL_free(ssl);
    }
    if (fd > 0)
        close(fd);
    struct hc_rbuf *rb = ho_ptr(o, CONN_RBUF);
    if (rb) {
        free(rb->data);
        free(rb);
    }
}

void hc_connection_free(hc_connection *c) { ho_free((struct hc_object *)c); }

bool hc_connection_matches(const hc_connection *c, bool https, const char *host, size_t host_len,
                           int port)
{
    const char *h = ho_ptr(c, CONN_HOST);
    return ho_int(c, CONN_PORT) == port && strlen(h) == host_len &&
           strncasecmp(h, host, host_len) == 0 && (ho_ptr(c, CONN_SSL) != NULL) == https;
}

bool hc_connection_is_stale(hc_connection *c)
{
    if (hc_connection_rbuf(c)->len)
        return true;
    struct pollfd p = {.fd = (int)ho_int(c, CONN_FD), .events = POLLIN};
    /* Readable while idle means EOF, a reset or unsolicited bytes. */
    return poll(&p, 1, 0) != 0;
}

struct hc_rbuf *hc_connection_rbuf(hc_connection *c) { return ho_ptr(c, CONN_RBUF); }

void hc_rbuf_reserve(hc_connection *c, size_t n)
{
    struct hc_rbuf *rb = hc_connection_rbuf(c);
    if (rb->cap - rb->len >= n)
        return;
    size_t cap = rb->cap ? rb->cap : 4096;
    while (cap - rb->len < n)
        cap *= 2;
    rb->data = hc_payload_realloc(T, rb->data, cap);
    rb->cap = cap;
}

void hc_connection_count_request(hc_connection *c)
{
    ho_set_int(c, CONN_REQUESTS, ho_int(c, CONN_REQUESTS) + 1);
}
long hc_connection_requests(const hc_connection *c) { return (long)ho_int(c, CONN_REQUESTS); }

/* Writing to a socket the peer closed raises SIGPIPE.  Plain sockets are
 * written with MSG_NOSIGNAL; OpenSSL writes with plain write(), so around
 * its writes block the signal and swallow one that became pending, leaving
 * the process's disposition alone. */
static ssize_t write_nosigpipe(hc_connection *c, const void *buf, size_t n, int *ssl_err)
{
    SSL *ssl = ho_ptr(c, CONN_SSL);
    if (!ssl) {
        /* A plain socket says so itself: three syscalls fewer per write. */
        *ssl_err = SSL_ERROR_NONE;
        return send((int)ho_int(c, CONN_FD), buf, n, MSG_NOSIGNAL);
    }
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    ERR_clear_error();
    int r = SSL_write(ssl, buf, (int)(n > 0x40000000 ? 0x40000000 : n));
    *ssl_err = r > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl, r);
    ssize_t rc = r;
    int saved = errno;
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) && !sigismember(&old, SIGPIPE)) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return rc;
}

int hc_connection_write_all(hc_connection *c, const void *buf, size_t n,
                            const struct hc_deadline *dl, hc_error **err)
{
    const char *p = buf;
    int fd = (int)ho_int(c, CONN_FD);
    while (n > 0) {
        int ssl_err;
        ssize_t rc = write_nosigpipe(c, p, n, &ssl_err);
        if (rc > 0) {
            p += rc;
            n -= (size_t)rc;
            continue;
        }
        short ev;
        if (ho_ptr(c, CONN_SSL) ? ssl_err == SSL_ERROR_WANT_WRITE
                                : (errno == EAGAIN || errno == EWOULDBLOCK))
            ev = POLLOUT;
        else if (ho_ptr(c, CONN_SSL) && ssl_err == SSL_ERROR_WANT_READ)
            ev = POLLIN;
        else if (!ho_ptr(c, CONN_SSL) && errno == EINTR)
            continue;
        else {
            hc_error_set(err, HC_ERR_SEND, "Failed sending data to the peer: %s",
                         ho_ptr(c, CONN_SSL) && ssl_err == SSL_ERROR_SSL ? "TLS error"
                                                                         : strerror(errno));
            return -1;
        }
        enum wait_result w = wait_fd(fd, ev, dl->read_ms, dl->total_at);
        if (w != WAIT_READY) {
            timeout_error(err, w, "sending the request", dl, dl->read_ms);
            return -1;
        }
    }
    return 0;
}

ssize_t hc_connection_read(hc_connection *c, void *buf, size_t cap, const struct hc_deadline *dl,
                           hc_error **err)
{
    int fd = (int)ho_int(c, CONN_FD);
    SSL *ssl = ho_ptr(c, CONN_SSL);
    for (;;) {
        short ev = POLLIN;
        if (ssl) {
            ERR_clear_error();
            int r = SSL_read(ssl, buf, (int)(cap > 0x40000000 ? 0x40000000 : cap));
            if (r > 0)
                return r;
            int e = SSL_get_error(ssl, r);
            if (e == SSL_ERROR_ZERO_RETURN)
                return 0;
            if (e == SSL_ERROR_WANT_WRITE)
                ev = POLLOUT;
            else if (e != SSL_ERROR_WANT_READ) {
                if (e == SSL_ERROR_SYSCALL && (errno == ECONNRESET || errno == EPIPE)) {
                    hc_error_set(err, HC_ERR_RECV, "Recv failure: %s", strerror(errno));
                } else if (e == SSL_ERROR_SYSCALL && errno == 0) {
                    return 0;
                } else {
                    char ebuf[256] = "TLS read failed";
                    unsigned long ec = ERR_peek_error();
                    if (ec)
                        ERR_error_string_n(ec, ebuf, sizeof ebuf);
                    hc_error_set(err, HC_ERR_TLS, "TLS read failed: %s", ebuf);
                }
                return -1;
            }
        } else {
            ssize_t r = recv(fd, buf, cap, 0);
            if (r >= 0)
                return r;
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                hc_error_set(err, HC_ERR_RECV, "Recv failure: %s", strerror(errno));
                return -1;
            }
        }
        enum wait_result w = wait_fd(fd, ev, dl->read_ms, dl->total_at);
        if (w != WAIT_READY) {
            timeout_error(err, w, "reading the response", dl, dl->read_ms);
            return -1;
        }
    }
}
