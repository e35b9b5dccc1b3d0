/* libFuzzer target: the HTTP/1.x response head and field-block parsers
 * (client/src/parser.c).  Spans they return must lie inside the input. */
#include "parser.h"

#include <stdlib.h>

static void check_span(struct hc_span s, size_t len)
{
    if (s.off > len || s.len > len - s.off)
        abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static struct hc_head head;
    const char *why = NULL;
    const char *buf = (const char *)data;
    int rc = hc_parse_response_head(buf, size, &hc_default_limits, &head, &why);
    if (rc == HC_PARSE_OK) {
        if (head.head_len > size || head.nfields > HC_HEAD_MAX_FIELDS || head.status < 100 ||
            head.status > 999)
            abort();
        check_span(head.status_line, size);
        check_span(head.reason, size);
        for (size_t i = 0; i < head.nfields; i++) {
            check_span(head.fields[i].name, size);
            check_span(head.fields[i].value, size);
        }
    } else if (rc == HC_PARSE_ERROR && !why) {
        abort();
    }
    struct hc_field fields[HC_HEAD_MAX_FIELDS];
    size_t nfields = 0, used = 0;
    rc = hc_parse_fields(buf, size, &hc_default_limits, fields, &nfields, &used, &why);
    if (rc == HC_PARSE_OK) {
        if (used > size || nfields > hc_default_limits.max_fields)
            abort();
        for (size_t i = 0; i < nfields; i++) {
            check_span(fields[i].name, size);
            check_span(fields[i].value, size);
        }
    }
    return 0;
}
