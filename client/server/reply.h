/* What a connection sends for one request.
 *
 * The head (and any small body) already formatted into the connection's
 * output buffer, plus a generator for bodies too large or too endless to
 * format up front, and what to do with the connection afterwards.
 */
#ifndef HCS_REPLY_H
#define HCS_REPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

/*
** Every generated body is this 64-byte line repeated and cut at the length
** asked for, so a test can rebuild any /bytes/N body with
**   yes 0123...xyz- | head -c N
*/
#define HCS_PATTERN "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-\n"
#define HCS_PATTERN_LEN 64

/* The hostile generators stop after this much so a runaway client test ends. */
#define HCS_ENDLESS_CAP ((uint64_t)1 << 30)

enum gen_kind {
    GEN_NONE,
    GEN_PATTERN,        /* total bytes of the pattern, raw */
    GEN_CHUNKED,        /* total bytes of the pattern in chunks, then a trailer */
    GEN_ENDLESS_HEADER, /* header lines forever (up to HCS_ENDLESS_CAP) */
    GEN_ENDLESS_CHUNK,  /* one chunk-size line that never ends */
};

enum end_action {
    END_KEEP_ALIVE, /* read the next request */
    END_CLOSE,      /* half-close, drain, close */
    END_RESET,      /* abort with a TCP RST */
    END_STALL,      /* send nothing more; wait for the peer to give up */
};

struct reply {
    enum gen_kind gen;
    uint64_t total;
    uint64_t done;
    uint32_t chunk; /* GEN_CHUNKED chunk size */
    bool finished;  /* generator has nothing more to add */
    enum end_action end;
    uint32_t delay_ms; /* hold the whole reply back this long */
};

/*
** Append up to about max bytes of generated output to out; sets
** r->finished once the last byte (or the trailer) has been added.
*/
void reply_fill(struct reply *r, struct buf *out, size_t max);

/* Append n bytes of the pattern starting at pattern offset `offset`. */
void pattern_append(struct buf *out, uint64_t offset, size_t n);

#endif
