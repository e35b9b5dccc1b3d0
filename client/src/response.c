/* response.c — Response: the seven attributes of ADR-007 (raw,
 * status_line, status_code, headers, body, _text, _json).
 *
 * _text and _json start empty and are computed on first use, as requests
 * does.
 */
#include "response.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "headers.h"
#include "heaptag.h"
#include "types.h"

static const struct hc_type *T = &hc_type_response;

hc_response *hc_response_from_head(const char *buf, const struct hc_head *head)
{
    struct hc_object *r = ho_new(&hc_type_response);
    ho_set_ptr(r, RESP_RAW, hc_bytes_new(T, buf, head->head_len));
    ho_set_ptr(r, RESP_STATUS_LINE,
               hc_payload_strndup(T, buf + head->status_line.off, head->status_line.len));
    ho_set_int(r, RESP_STATUS_CODE, head->status);
    hc_headers *h = hc_headers_new();
    for (size_t i = 0; i < head->nfields; i++) {
        const struct hc_field *f = &head->fields[i];
        hc_headers_add_n(h, buf + f->name.off, f->name.len, buf + f->value.off, f->value.len);
    }
    ho_set_ptr(r, RESP_HEADERS, h);
    return (hc_response *)r;
}

void hc_response_set_body(hc_response *r, struct hc_bytes *body) { ho_set_ptr(r, RESP_BODY, body); }
struct hc_bytes *hc_response_body_bytes(const hc_response *r) { return ho_ptr(r, RESP_BODY); }
hc_headers *hc_response_headers_mut(hc_response *r) { return ho_ptr(r, RESP_HEADERS); }

int hc_response_status_code(const hc_response *r) { return (int)ho_int(r, RESP_STATUS_CODE); }
const char *hc_response_status_line(const hc_response *r) { return ho_ptr(r, RESP_STATUS_LINE); }
const hc_headers *hc_response_headers(const hc_response *r) { return ho_ptr(r, RESP_HEADERS); }

const void *hc_response_raw(const hc_response *r, size_t *len)
{
    struct hc_bytes *b = ho_ptr(r, RESP_RAW);
    *len = b ? b->len : 0;
    return b ? b->data : (const void *)"";
}

const void *hc_response_body(const hc_response *r, size_t *len)
{
    struct hc_bytes *b = ho_ptr(r, RESP_BODY);
    *len = b ? b->len : 0;
    return b ? b->data : (const void *)"";
}

/* Is the charset parameter of Content-Type ISO-8859-1 (or its aliases)? */
static int is_latin1(const hc_response *r)
{
    const char *ct = hc_headers_get(hc_response_headers(r), "Content-Type");
    const char *cs = ct ? strcasestr(ct, "charset=") : NULL;
    if (!cs)
        return 0;
    cs += 8;
    if (*cs == '"')
        cs++;
    return strncasecmp(cs, "iso-8859-1", 10) == 0 || strncasecmp(cs, "latin1", 6) == 0 ||
           strncasecmp(cs, "latin-1", 7) == 0;
}

const char *hc_response_text(hc_response *r)
{
    const char *text = ho_ptr(r, RESP_TEXT);
    if (text)
        return text;
    size_t len;
    const unsigned char *body = hc_response_body(r, &len);
    char *t;
    if (is_latin1(r)) {
        size_t n = 0;
        for (size_t i = 0; i < len; i++)
            n += body[i] >= 0x80 ? 2 : 1;
        t = hc_payload_alloc(T, n + 1);
        char *w = t;
        for (size_t i = 0; i < len; i++) {
            if (body[i] >= 0x80) {
                *w++ = (char)(0xc0 | (body[i] >> 6));
                *w++ = (char)(0x80 | (body[i] & 0x3f));
            } else {
                *w++ = (char)body[i];
            }
        }
        *w = '\0';
    } else {
        t = hc_payload_strndup(T, (const char *)body, len);
    }
    ho_set_ptr(r, RESP_TEXT, t);
    return t;
}

const struct json_t *hc_response_json(hc_response *r, hc_error **err)
{
    json_t *j = ho_ptr(r, RESP_JSON);
    if (j)
        return j;
    size_t len;
    const char *body = hc_response_body(r, &len);
    json_error_t je;
    {
        HEAPTAG_SCOPE(T->payload_tag);
        j = json_loadb(body, len, JSON_DECODE_ANY, &je);
    }
    if (!j) {
        hc_error_set(err, HC_ERR_JSON, "invalid JSON body: %s at line %d column %d", je.text,
                     je.line, je.column);
        return NULL;
    }
    ho_set_ptr(r, RESP_JSON, j);
    return j;
}

hc_error *hc_response_raise_for_status(const hc_response *r)
{
    int code = hc_response_status_code(r);
    if (code < 400 || code > 599)
        return NULL;
    const char *line = hc_response_status_line(r);
    const char *reason = strlen(line) > 13 ? line + 13 : "";
    hc_error *e = hc_error_new(HC_ERR_HTTP_STATUS, "%d %s Error: %s", code,
                               code < 500 ? "Client" : "Server", reason);
    hc_error_set_status(e, code);
    return e;
}

void hc_response_free(hc_response *r) { ho_free((struct hc_object *)r); }
