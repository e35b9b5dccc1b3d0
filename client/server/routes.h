/* The endpoints of hc-serve (docs/server.md lists them).
 *
 * A route formats the response head, and any small body, into out and
 * sets up r for the rest: a generated body, a delay, and the connection's
 * fate.
 */
#ifndef HCS_ROUTES_H
#define HCS_ROUTES_H

#include "buf.h"
#include "reply.h"
#include "request.h"

void route_request(const struct request *req, struct buf *out, struct reply *r);

/* The answer to an unparseable request: code (400 or 413), then close. */
void route_error(int code, struct buf *out, struct reply *r);

#endif
