/* One client connection of hc-serve, driven by the event loop (conn.h). */
#include "conn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "routes.h"

/* Input beyond one maximal request is pipelined backlog; stop reading then. */
#define IN_CAP (REQ_MAX_BODY + REQ_MAX_HEAD + 4096)
#define FILL_CHUNK (64 * 1024)

struct conn *conn_new(int fd)
{
    struct conn *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->fd = fd;
    return c;
}

void conn_free(struct conn *c)
{
    buf_free(&c->in);
    buf_free(&c->out);
    req_reset(&c->req);
    free(c);
}

static void conn_close(struct conn *c)
{
    if (!c->dead) {
        close(c->fd);
        c->dead = true;
    }
}

/* Abort with RST: SO_LINGER with a zero timeout makes close() reset. */
static void conn_reset(struct conn *c)
{
    struct linger lg = {1, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    conn_close(c);
}

/*
** Close gracefully: closing at once with unread input in the kernel buffer
** would send an RST that can destroy the response the client has not read
** yet (e.g. a 400 answering a request that was still uploading).
*/
static void begin_close(struct conn *c, int64_t now)
{
    shutdown(c->fd, SHUT_WR);
    c->closing = true;
    c->close_at = now + CONN_LINGER_MS;
    if (c->peer_eof)
        conn_close(c);
}

void conn_read(struct conn *c, int64_t now)
{
    char scratch[16384];
    while (!c->dead && !c->peer_eof) {
        char *dst = scratch;
        size_t room = sizeof scratch;
        if (!c->closing && !c->stalled) {
            if (c->in.len >= IN_CAP)
                return;
            buf_reserve(&c->in, 65536);
            dst = c->in.data + c->in.len;
            room = c->in.cap - c->in.len;
        }
        ssize_t n = recv(c->fd, dst, room, 0);
        if (n > 0) {
            if (dst != scratch)
                c->in.len += (size_t)n;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            conn_close(c);
            return;
        }
        c->peer_eof = true;
    }
    (void)now;
    if (c->peer_eof && (c->closing || c->stalled))
        conn_close(c);
}

/* Parse the next request from c->in and queue its reply; false if none yet. */
static bool start_next_request(struct conn *c, int64_t now)
{
    struct request *req = &c->req;
    enum req_status st = req_parse_head(req, c->in.data, c->in.len);
    if (st == REQ_OK) {
        if (c->in.len < c->need)
            return false;
        st = req_parse_body(req, c->in.data, c->in.len, &c->need);
        if (st == REQ_INCOMPLETE && req->expect_continue && !c->continue_sent) {
            buf_puts(&c->out, "HTTP/1.1 100 Continue\r\n\r\n");
            c->continue_sent = true;
        }
    }
    if (st == REQ_INCOMPLETE)
        return false;
    if (st == REQ_OK) {
        route_request(req, &c->out, &c->reply);
        buf_consume(&c->in, req->wire_len);
    } else {
        route_error(st == REQ_TOO_LARGE ? 413 : 400, &c->out, &c->reply);
        c->in.len = 0;
    }
    /* +1: the millisecond clock truncates, so a hold of delay_ms from a
     * truncated now could end up to 1 ms early; the delay is a minimum. */
    if (c->reply.delay_ms)
        c->hold_until = now + c->reply.delay_ms + 1;
    req_reset(req);
    c->need = 0;
    c->continue_sent = false;
    c->busy = true;
    return true;
}

/* The reply's last byte is out: do what its end action says. */
static void finish_reply(struct conn *c, int64_t now)
{
    c->busy = false;
    c->out.len = c->out_off = 0;
    switch (c->reply.end) {
    case END_KEEP_ALIVE: break;
    case END_CLOSE: begin_close(c, now); break;
    case END_RESET: conn_reset(c); break;
    case END_STALL:
        c->busy = true;
        c->stalled = true;
        if (c->peer_eof)
            conn_close(c);
        break;
    }
}

void conn_step(struct conn *c, int64_t now)
{
    while (!c->dead && !c->closing && !c->stalled) {
        if (c->busy && c->hold_until) {
            if (c->hold_until > now)
                return;
            c->hold_until = 0;
        }
        if (c->out_off < c->out.len) {
            ssize_t n =
                send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    return;
                if (errno == EINTR)
                    continue;
                conn_close(c);
                return;
            }
            c->out_off += (size_t)n;
            continue;
        }
        c->out.len = c->out_off = 0;
        if (c->busy) {
            if (!c->reply.finished)
                reply_fill(&c->reply, &c->out, FILL_CHUNK);
            else
                finish_reply(c, now);
            continue;
        }
        if (!start_next_request(c, now)) {
            if (c->out.len > 0)
                continue; /* a 100 Continue to send */
            if (c->peer_eof)
                conn_close(c);
            return;
        }
    }
}

void conn_tick(struct conn *c, int64_t now)
{
    if (c->closing && now >= c->close_at)
        conn_close(c);
}

int64_t conn_next_timer(const struct conn *c)
{
    if (c->dead)
        return INT64_MAX;
    if (c->closing)
        return c->close_at;
    if (c->busy && c->hold_until)
        return c->hold_until;
    return INT64_MAX;
}

uint32_t conn_wanted_events(const struct conn *c)
{
    uint32_t ev = 0;
    if (c->dead)
        return 0;
    if (!c->peer_eof && (c->closing || c->stalled || c->in.len < IN_CAP))
        ev |= EPOLLIN | EPOLLRDHUP;
    if (!c->closing && !c->stalled && !(c->busy && c->hold_until) &&
        (c->out_off < c->out.len || (c->busy && !c->reply.finished)))
        ev |= EPOLLOUT;
    return ev;
}
