/* request.c — Request: method, URL, headers, body, timeout. */
#include "request.h"

#include <string.h>

#include "error.h"
#include "headers.h"
#include "timeout.h"
#include "types.h"
#include "url.h"

static const struct hc_type *T = &hc_type_request;

bool hc_method_valid(const char *m)
{
    return hc_header_name_valid(m); /* a method is a token, as a field name is */
}

hc_request *hc_request_new(const char *method, const char *url, hc_error **err)
{
    struct hc_url u;
    const char *why;
    if (!method || !hc_method_valid(method)) {
        hc_error_set(err, HC_ERR_INVALID_ARGUMENT, "invalid method '%s'",
                     method ? method : "(null)");
        return NULL;
    }
    if (!url || hc_url_parse(url, &u, &why) != 0) {
        hc_error_set(err, HC_ERR_INVALID_URL, "Invalid URL '%s': %s", url ? url : "(null)",
                     url ? why : "no URL");
        return NULL;
    }
    struct hc_object *r = ho_new(&hc_type_request);
    ho_set_ptr(r, REQ_METHOD, hc_payload_strdup(T, method));
    ho_set_ptr(r, REQ_URL, hc_payload_strdup(T, url));
    ho_set_ptr(r, REQ_HEADERS, hc_headers_new());
    return (hc_request *)r;
}

hc_request *hc_request_copy(const hc_request *src)
{
    struct hc_object *r = ho_new(&hc_type_request);
    ho_set_ptr(r, REQ_METHOD, hc_payload_strdup(T, ho_ptr(src, REQ_METHOD)));
    ho_set_ptr(r, REQ_URL, hc_payload_strdup(T, ho_ptr(src, REQ_URL)));
    ho_set_ptr(r, REQ_HEADERS, hc_headers_copy(ho_ptr(src, REQ_HEADERS)));
    struct hc_bytes *b = ho_ptr(src, REQ_BODY);
    if (b)
        ho_set_ptr(r, REQ_BODY, hc_bytes_new(T, b->data, b->len));
    const hc_timeout *t = ho_ptr(src, REQ_TIMEOUT);
    if (t)
        ho_set_ptr(r, REQ_TIMEOUT, hc_timeout_copy(t));
    return (hc_request *)r;
}

void hc_request_free(hc_request *r) { ho_free((struct hc_object *)r); }
const char *hc_request_method(const hc_request *r) { return ho_ptr(r, REQ_METHOD); }
const char *hc_request_url(const hc_request *r) { return ho_ptr(r, REQ_URL); }
hc_headers *hc_request_headers(hc_request *r) { return ho_ptr(r, REQ_HEADERS); }
const hc_timeout *hc_request_timeout(const hc_request *r) { return ho_ptr(r, REQ_TIMEOUT); }

void hc_request_set_body(hc_request *r, const void *data, size_t len)
{
    ho_set_ptr(r, REQ_BODY, data ? hc_bytes_new(T, data, len) : NULL);
}

const void *hc_request_body(const hc_request *r, size_t *len)
{
    struct hc_bytes *b = ho_ptr(r, REQ_BODY);
    *len = b ? b->len : 0;
    return b ? b->data : NULL;
}

void hc_request_set_timeout(hc_request *r, hc_timeout *t) { ho_set_ptr(r, REQ_TIMEOUT, t); }
void hc_request_set_url_owned(hc_request *r, char *url) { ho_set_ptr(r, REQ_URL, url); }
void hc_request_set_method(hc_request *r, const char *m)
{
    ho_set_ptr(r, REQ_METHOD, hc_payload_strdup(T, m));
}
void hc_request_drop_body(hc_request *r) { ho_set_ptr(r, REQ_BODY, NULL); }
