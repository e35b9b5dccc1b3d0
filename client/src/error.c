/* error.c — the Error type: a kind, a one-line message, an HTTP status. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

#include "object.h"
#include "types.h"

static hc_error *error_newv(hc_error_kind kind, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    struct hc_object *e = ho_new(&hc_type_error);
    ho_set_int(e, ERR_KIND, kind);
    ho_set_ptr(e, ERR_MESSAGE, hc_payload_strdup(&hc_type_error, msg));
    return (hc_error *)e;
}

hc_error *hc_error_new(hc_error_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hc_error *e = error_newv(kind, fmt, ap);
    va_end(ap);
    return e;
}

void hc_error_set(hc_error **err, hc_error_kind kind, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    *err = error_newv(kind, fmt, ap);
    va_end(ap);
}

void hc_error_pass(hc_error **err, hc_error *e)
{
    if (err)
        *err = e;
    else
        hc_error_free(e);
}

void hc_error_set_status(hc_error *e, int status) { ho_set_int(e, ERR_STATUS_CODE, status); }

hc_error_kind hc_error_get_kind(const hc_error *e) { return (hc_error_kind)ho_int(e, ERR_KIND); }
const char *hc_error_message(const hc_error *e) { return ho_ptr(e, ERR_MESSAGE); }
int hc_error_status_code(const hc_error *e) { return (int)ho_int(e, ERR_STATUS_CODE); }
void hc_error_free(hc_error *e) { ho_free((struct hc_object *)e); }

const char *hc_error_kind_name(hc_error_kind kind)
{
    switch (kind) {
    case HC_ERR_INVALID_URL: return "InvalidURL";
    case HC_ERR_RESOLVE: return "NameResolutionError";
    case HC_ERR_CONNECT: return "ConnectionError";
    case HC_ERR_TIMEOUT: return "Timeout";
    case HC_ERR_TLS: return "SSLError";
    case HC_ERR_TLS_VERIFY: return "SSLCertVerificationError";
    case HC_ERR_TOO_MANY_REDIRECTS: return "TooManyRedirects";
    case HC_ERR_MALFORMED_RESPONSE: return "MalformedResponse";
    case HC_ERR_TRUNCATED: return "ChunkedEncodingError";
    case HC_ERR_EMPTY_REPLY: return "RemoteDisconnected";
    case HC_ERR_SEND: return "SendError";
    case HC_ERR_RECV: return "ConnectionResetError";
    case HC_ERR_DECODE: return "ContentDecodingError";
    case HC_ERR_HTTP_STATUS: return "HTTPError";
    case HC_ERR_ATTRIBUTE: return "AttributeError";
    case HC_ERR_TYPE: return "TypeError";
    case HC_ERR_JSON: return "JSONDecodeError";
    case HC_ERR_INVALID_ARGUMENT: return "ValueError";
    case HC_ERR_TOO_LARGE: return "ContentTooLarge";
    case HC_ERR_NO_MEMORY: return "MemoryError";
    case HC_ERR_WRITE: return "WriteError";
    }
    return "UnknownError";
}
