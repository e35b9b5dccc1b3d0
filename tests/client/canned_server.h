/* A loopback HTTP server for tests, run in a thread of the test process, answering each
 * request it reads with the next canned step.
 *
 * Deterministic by construction: it sends exactly the bytes given, then keeps the
 * connection, closes it, resets it or goes silent.
 */
#ifndef CANNED_SERVER_H
#define CANNED_SERVER_H

#include <stddef.h>

enum cs_action {
    CS_KEEP,  /* keep the connection for the next request */
    CS_CLOSE, /* close after sending */
    CS_RESET, /* send, then close with RST (SO_LINGER 0) */
    CS_SILENT /* send, then say nothing more until the server stops */
};

struct cs_step {
    const char *bytes; /* what to send (NUL-terminated unless len) */
    size_t len;        /* 0: strlen(bytes) */
    enum cs_action action;
    int delay_ms; /* wait this long before sending */
};

struct cs_server;

/* Listen on 127.0.0.1, an ephemeral port; the steps must outlive it. */
struct cs_server *cs_start(const struct cs_step *steps, size_t nsteps);
int cs_port(const struct cs_server *s);
/* "http://127.0.0.1:PORT" + PATH, in a static buffer per call slot. */
const char *cs_url(const struct cs_server *s, const char *path);
/* Stop the thread, close everything, free S. */
void cs_stop(struct cs_server *s);
int cs_connections(const struct cs_server *s);
int cs_requests(const struct cs_server *s);
/* The I-th request received, head and body, NUL-terminated. */
const char *cs_request(const struct cs_server *s, int i);

#endif
