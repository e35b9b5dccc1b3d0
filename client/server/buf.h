/* A growable byte buffer.
 *
 * hc-serve builds every response head and every buffered body in one of
 * these; allocation failure is fatal because a test server that silently
 * truncates output would make client tests lie.
 */
#ifndef HCS_BUF_H
#define HCS_BUF_H

#include <stddef.h>

struct buf {
    char *data;
    size_t len;
    size_t cap;
};

void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Drop the first n bytes (the consumed part of an input buffer). */
void buf_consume(struct buf *b, size_t n);
void buf_free(struct buf *b);

#endif
