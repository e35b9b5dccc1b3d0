/* response.h — Response internals: building one from a parsed head. */
#ifndef HC_RESPONSE_INTERNAL_H
#define HC_RESPONSE_INTERNAL_H

#include "hc.h"
#include "object.h"
#include "parser.h"

/* A Response holding the head BUF[0..head->head_len) and its fields. */
hc_response *hc_response_from_head(const char *buf, const struct hc_head *head);
/* Hand the body over (owned by the response from then on). */
void hc_response_set_body(hc_response *r, struct hc_bytes *body);
struct hc_bytes *hc_response_body_bytes(const hc_response *r);
hc_headers *hc_response_headers_mut(hc_response *r);

#endif
