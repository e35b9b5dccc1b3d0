/* transfer.h — reading one response off a connection. */
#ifndef HC_TRANSFER_H
#define HC_TRANSFER_H

#include <stdbool.h>
#include <stdint.h>

#include "connection.h"
#include "hc.h"
#include "parser.h"

struct hc_read_result {
    bool reusable;         /* connection may go back to the pool */
    bool nothing_received; /* failed before the first byte arrived */
};

struct hc_read_opts {
    bool head_request;           /* no body follows whatever the head says */
    bool decode;                 /* undo gzip/deflate Content-Encoding */
    bool follow;                 /* a redirect with a Location will be followed */
    uint64_t max_body;           /* raw and decoded; 0: no limit */
    hc_response_hook *head_hook; /* every head, 1xx included, before its body */
    void *head_ctx;
    hc_body_sink *sink; /* NULL: keep the body in the Response */
    void *sink_ctx;
};

/* Read a whole response to a request sent on C (1xx interim responses go
 * to the head hook only).  With a sink, the body of a response that is not
 * a followed redirect goes to the sink; a followed redirect's is dropped. */
hc_response *hc_read_response(hc_connection *c, const struct hc_read_opts *o,
                              const struct hc_limits *lim, const struct hc_deadline *dl,
                              struct hc_read_result *res, hc_error **err);

#endif
