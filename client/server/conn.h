/* One client connection of hc-serve: a non-blocking socket driven by the
 * event loop.
 *
 * Requests are answered strictly one at a time in arrival order, which is
 * what makes pipelining safe: the next pipelined request is not even parsed
 * until the previous reply has been written in full.
 */
#ifndef HCS_CONN_H
#define HCS_CONN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "reply.h"
#include "request.h"

/* A peer that half-closed gets this long to finish sending before we close. */
#define CONN_LINGER_MS 2000

struct conn {
    int fd;
    struct buf in;  /* bytes read, not yet consumed by a request */
    struct buf out; /* bytes to send; out_off of them already sent */
    size_t out_off;
    struct request req;
    struct reply reply;
    size_t need;        /* don't retry the body parse below this input length */
    int64_t hold_until; /* monotonic ms; reply held back until then (0 = none) */
    int64_t close_at;   /* monotonic ms; lingering-close deadline */
    uint32_t events;    /* epoll interest currently registered */
    bool busy;          /* a reply is in progress */
    bool continue_sent;
    bool peer_eof;
    bool closing; /* write side shut down, draining input */
    bool stalled;
    bool dead; /* fd closed; free at the end of the loop turn */
};

struct conn *conn_new(int fd);
void conn_free(struct conn *c);

/* Read what the socket has; call on EPOLLIN/EPOLLHUP. */
void conn_read(struct conn *c, int64_t now);
/* Write, finish replies, parse and answer further requests. */
void conn_step(struct conn *c, int64_t now);
/* Fire expired timers. */
void conn_tick(struct conn *c, int64_t now);
/* The next time this connection needs a wakeup, or INT64_MAX. */
int64_t conn_next_timer(const struct conn *c);
/* The epoll interest this connection wants now. */
uint32_t conn_wanted_events(const struct conn *c);

#endif
