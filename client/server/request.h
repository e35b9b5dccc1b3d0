/* The HTTP/1.x request parser of hc-serve.
 *
 * It works on the bytes a connection has read so far and is restartable: a
 * call that finds the request incomplete changes nothing, so the connection
 * simply calls again after the next read.  Anything malformed is REQ_BAD and
 * the connection answers 400 and closes; there is no lenient mode because
 * the server exists to give clients a predictable peer.
 */
#ifndef HCS_REQUEST_H
#define HCS_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define REQ_MAX_HEAD (64 * 1024) /* request line plus header section */
#define REQ_MAX_HEADERS 256
#define REQ_MAX_BODY (16u * 1024 * 1024)

enum req_status {
    REQ_INCOMPLETE,
    REQ_OK,
    REQ_BAD,       /* malformed: 400 and close */
    REQ_TOO_LARGE, /* body over REQ_MAX_BODY: 413 and close */
};

struct req_header {
    char *name;
    char *value;
};

struct request {
    char method[32];
    char *target;               /* origin-form: "/path?query" */
    int minor;                  /* HTTP/1.<minor> */
    struct req_header *headers; /* in arrival order, duplicates kept */
    size_t nheaders;
    bool keep_alive;
    bool expect_continue;
    bool chunked;
    uint64_t content_length;
    size_t head_len; /* bytes of request line + headers, 0 = not parsed */
    struct buf body; /* decoded body, once complete */
    size_t wire_len; /* head + body bytes consumed from the input */
};

/*
** Parse the head if not done yet.  REQ_OK means req->head_len etc. are set;
** the body may still be incomplete (see req_parse_body).
*/
enum req_status req_parse_head(struct request *req, const char *in, size_t len);

/*
** With the head parsed, look for the whole body.  On REQ_OK req->body holds
** it and req->wire_len says how many input bytes the request used.
** *need is set, on REQ_INCOMPLETE, to an input length below which calling
** again is pointless (keeps large chunked uploads linear).
*/
enum req_status req_parse_body(struct request *req, const char *in, size_t len, size_t *need);

void req_reset(struct request *req);

/* The value of the first header named name (case-insensitive), or NULL. */
const char *req_header(const struct request *req, const char *name);

#endif
