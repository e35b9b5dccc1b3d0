/* pb.c — the protobuf wire-format primitives of pb.h.
 */
#include "pprof/pb.h"

#include <stdlib.h>
#include <string.h>

void pb_free(struct pb *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void pb_reset(struct pb *b) { b->len = 0; }

static void put(struct pb *b, const void *p, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *d = realloc(b->data, cap);
        if (!d) {
            b->oom = 1;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void varint(struct pb *b, uint64_t v)
{
    uint8_t tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    put(b, tmp, n);
}

void pb_uint(struct pb *b, unsigned num, uint64_t v)
{
    varint(b, (uint64_t)num << 3);
    varint(b, v);
}

void pb_int(struct pb *b, unsigned num, int64_t v)
{
    pb_uint(b, num, (uint64_t)v); /* int64: two's complement, 10 bytes if negative */
}

void pb_bytes(struct pb *b, unsigned num, const void *data, size_t len)
{
    varint(b, (uint64_t)num << 3 | 2);
    varint(b, len);
    put(b, data, len);
}

void pb_msg(struct pb *b, unsigned num, const struct pb *msg)
{
    if (msg->oom)
        b->oom = 1;
    pb_bytes(b, num, msg->data, msg->len);
}

void pb_packed(struct pb *b, unsigned num, const uint64_t *v, size_t n)
{
    struct pb tmp = {0};
    for (size_t i = 0; i < n; i++)
        varint(&tmp, v[i]);
    pb_msg(b, num, &tmp);
    pb_free(&tmp);
}
