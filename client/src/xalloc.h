/* xalloc.h — allocation that cannot fail.
 *
 * The client's objects are small and bounded by the response limits
 * (parser.h), so running out of memory is not a recoverable condition
 * here: like CPython's fatal MemoryError paths, we print one line and
 * abort rather than thread NULL checks through every attribute store.  A
 * body's size is the server's choice, so its block is never grown here:
 * body.c uses hc_payload_try_realloc and turns failure into
 * HC_ERR_NO_MEMORY.
 */
#ifndef HC_XALLOC_H
#define HC_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n);

#endif
