/* transfer.h — reading one response off a connection. */
#ifndef HC_TRANSFER_H
#define HC_TRANSFER_H

#include <stdbool.h>

#include "connection.h"
#include "hc.h"
#include "parser.h"

struct hc_read_result {
    bool reusable;           /* connection may go back to the pool */
    bool nothing_received;   /* failed before the first byte arrived */
};

/* Read a whole response to a request sent on C (skipping 1xx interim
 * responses).  HEAD_REQUEST: no body follows whatever the head says.
 * DECODE: undo gzip/deflate Content-Encoding. */
hc_response *hc_read_response(hc_connection *c, bool head_request, bool decode, const struct hc_limits *lim,
                              const struct hc_deadline *dl, struct hc_read_result *res, hc_error **err);

#endif
