/* libFuzzer target: the chunked transfer-coding decoder, fed whole and in pieces.
 *
 * The decoder (client/src/chunked.c) is fed the input whole and then in pieces whose
 * sizes come from the first byte: both must agree on the decoded bytes
 * and on the outcome, since a decoder that resumes across reads must not
 * depend on where the reads split. */
#include "chunked.h"

#include <stdlib.h>
#include <string.h>

struct outcome {
    int rc;
    size_t out_len;
    unsigned char *out;
};

static void decode(const unsigned char *data, size_t size, size_t piece, struct outcome *o)
{
    struct hc_chunked d;
    memset(&d, 0, sizeof d);
    o->out = malloc(size + 1);
    o->out_len = 0;
    o->rc = HC_PARSE_INCOMPLETE;
    size_t pos = 0;
    while (pos < size && o->rc == HC_PARSE_INCOMPLETE) {
        size_t n = size - pos < piece ? size - pos : piece;
        /* a separate heap copy of each piece, so ASan sees any overread */
        char *buf = malloc(n + 1);
        memcpy(buf, data + pos, n);
        size_t len = n, rest = 0;
        const char *why = NULL;
        o->rc = hc_chunked_decode(&d, buf, &len, &rest, &hc_default_limits, &why);
        if (len > n || (o->rc == HC_PARSE_OK && len + rest > n) ||
            (o->rc == HC_PARSE_ERROR && !why))
            abort();
        memcpy(o->out + o->out_len, buf, o->rc == HC_PARSE_ERROR ? 0 : len);
        o->out_len += o->rc == HC_PARSE_ERROR ? 0 : len;
        free(buf);
        pos += n;
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t piece = 1 + data[0] % 16;
    data++;
    size--;
    struct outcome whole, split;
    decode(data, size, size ? size : 1, &whole);
    decode(data, size, piece, &split);
    if (whole.rc != split.rc ||
        (whole.rc == HC_PARSE_OK &&
         (whole.out_len != split.out_len || memcmp(whole.out, split.out, whole.out_len) != 0)))
        abort();
    free(whole.out);
    free(split.out);
    return 0;
}
