/* request.h — Request internals for the session. */
#ifndef HC_REQUEST_INTERNAL_H
#define HC_REQUEST_INTERNAL_H

#include "hc.h"
#include "object.h"

hc_request *hc_request_copy(const hc_request *r);
void hc_request_set_url_owned(hc_request *r, char *url_payload);
void hc_request_set_method(hc_request *r, const char *method);
void hc_request_drop_body(hc_request *r);
const hc_timeout *hc_request_timeout(const hc_request *r);
bool hc_method_valid(const char *m);

#endif
