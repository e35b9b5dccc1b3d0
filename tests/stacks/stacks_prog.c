/* A deterministic allocation pattern whose call sites the stacks tests know exactly.
 *
 * Built three ways (tests/stacks/stacks-tests.mk): with and without frame pointers and no
 * tagging (types come from a rules file), and with -DTAGGED, where heaptag_push gives the
 * same types, so a rules run can be compared with a tagged run figure by figure.
 *
 * Per run: 200 responses (24-byte calloc each, response_new), 5 headers
 * each grown one at a time with realloc (header_add: 40 bytes per header),
 * a body per response (body_read: 100, 150, 200 or 250 bytes), 50 scratch
 * buffers freed at once (scratch: temporary allocations).  Responses with
 * an even index are freed; the odd ones leak.
 *
 * The MARK comments name the lines the tests expect as file:line.
 */
#include <stdlib.h>
#include <string.h>

#include "heaptag.h"

#ifdef TAGGED
#define TAG(t) HEAPTAG_PUSH(t)
#define UNTAG() HEAPTAG_POP()
#else
#define TAG(t) ((void)0)
#define UNTAG() ((void)0)
#endif

struct header {
    char name[16];
    char value[24];
};

struct response {
    struct header *headers;
    char *body;
    long nheaders;
};

/* Keeps the compiler from proving the scratch buffers useless. */
void *volatile sink;

__attribute__((noinline)) struct response *response_new(void)
{
    TAG("Response");
    struct response *r = calloc(1, sizeof *r); /* MARK response_new */
    UNTAG();
    return r;
}

__attribute__((noinline)) void header_add(struct response *r, int i)
{
    TAG("Headers");
    r->headers =
        realloc(r->headers, (size_t)(r->nheaders + 1) * sizeof *r->headers); /* MARK header_add */
    UNTAG();
    memset(&r->headers[r->nheaders], 'a' + i, sizeof *r->headers);
    r->nheaders++;
}

__attribute__((noinline)) char *body_read(size_t n)
{
    TAG("Body");
    char *b = malloc(n); /* MARK body_read */
    UNTAG();
    memset(b, 'x', n);
    return b;
}

__attribute__((noinline)) void scratch(int i)
{
    char *p = malloc(1000); /* MARK scratch */
    memset(p, i, 1000);
    sink = p;
    free(p);
}

int main(void)
{
    static struct response *all[200];
    for (int i = 0; i < 200; i++) {
        all[i] = response_new();
        for (int h = 0; h < 5; h++)
            header_add(all[i], h);
        all[i]->body = body_read(100 + (size_t)(i % 4) * 50);
    }
    for (int i = 0; i < 50; i++)
        scratch(i);
    for (int i = 0; i < 200; i += 2) {
        free(all[i]->headers);
        free(all[i]->body);
        free(all[i]);
    }
    return 0;
}
