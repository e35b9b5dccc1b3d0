/* pool.c — ConnectionPool: idle keep-alive connections, kept per
 * scheme+host+port for reuse.
 *
 * At most maxsize per key are kept, like urllib3's per-host pools, and
 * reused last-in first-out, so the warmest connection goes first.
 */
#include "pool.h"

#include <stdlib.h>
#include <string.h>

#include "connection.h"
#include "object.h"
#include "types.h"

static const struct hc_type *T = &hc_type_pool;

hc_connection_pool *hc_pool_new(void)
{
    struct hc_object *p = ho_new(&hc_type_pool);
    ho_set_int(p, POOL_MAXSIZE, 10);
    return (hc_connection_pool *)p;
}

void hc_pool_finalize(struct hc_object *o)
{
    hc_connection **idle = ho_ptr(o, POOL_IDLE);
    long n = (long)ho_int(o, POOL_IDLE_COUNT);
    for (long i = 0; i < n; i++)
        hc_connection_free(idle[i]);
    free(idle);
}

void hc_pool_free(hc_connection_pool *p) { ho_free((struct hc_object *)p); }

static void remove_at(hc_connection_pool *p, size_t i)
{
    hc_connection **idle = ho_ptr(p, POOL_IDLE);
    size_t n = (size_t)ho_int(p, POOL_IDLE_COUNT);
    memmove(&idle[i], &idle[i + 1], (n - i - 1) * sizeof *idle);
    ho_set_int(p, POOL_IDLE_COUNT, (int64_t)(n - 1));
}

hc_connection *hc_pool_take(hc_connection_pool *p, bool https, const char *host, size_t host_len,
                            int port)
{
    hc_connection **idle = ho_ptr(p, POOL_IDLE);
    for (size_t i = (size_t)ho_int(p, POOL_IDLE_COUNT); i-- > 0;) {
        hc_connection *c = idle[i];
        if (!hc_connection_matches(c, https, host, host_len, port))
            continue;
        remove_at(p, i);
        if (hc_connection_is_stale(c)) {
            hc_connection_free(c);
            continue;
        }
        ho_set_int(p, POOL_REUSED, ho_int(p, POOL_REUSED) + 1);
        return c;
    }
    return NULL;
}

void hc_pool_put(hc_connection_pool *p, hc_connection *c)
{
    hc_connection **idle = ho_ptr(p, POOL_IDLE);
    size_t n = (size_t)ho_int(p, POOL_IDLE_COUNT), same = 0;
    const char *host = ho_ptr(c, CONN_HOST);
    bool https = ho_ptr(c, CONN_SSL) != NULL;
    int port = (int)ho_int(c, CONN_PORT);
    for (size_t i = 0; i < n; i++)
        same += hc_connection_matches(idle[i], https, host, strlen(host), port);
    if ((int64_t)same >= ho_int(p, POOL_MAXSIZE)) {
        hc_connection_free(c);
        return;
    }
    size_t cap = (size_t)ho_int(p, POOL_IDLE_CAPACITY);
    if (n == cap) {
        cap = cap ? cap * 2 : 4;
        idle = hc_payload_realloc(T, idle, cap * sizeof *idle);
        ho_set_ptr(p, POOL_IDLE, idle);
        ho_set_int(p, POOL_IDLE_CAPACITY, (int64_t)cap);
    }
    idle[n] = c;
    ho_set_int(p, POOL_IDLE_COUNT, (int64_t)(n + 1));
}

void hc_pool_note_opened(hc_connection_pool *p)
{
    ho_set_int(p, POOL_OPENED, ho_int(p, POOL_OPENED) + 1);
}

size_t hc_pool_idle_count(const hc_connection_pool *p)
{
    return (size_t)ho_int(p, POOL_IDLE_COUNT);
}
long hc_pool_opened(const hc_connection_pool *p) { return (long)ho_int(p, POOL_OPENED); }
long hc_pool_reused(const hc_connection_pool *p) { return (long)ho_int(p, POOL_REUSED); }
int hc_pool_maxsize(const hc_connection_pool *p) { return (int)ho_int(p, POOL_MAXSIZE); }

void hc_pool_set_maxsize(hc_connection_pool *p, int maxsize)
{
    ho_set_int(p, POOL_MAXSIZE, maxsize < 0 ? 0 : maxsize);
}

void hc_pool_clear(hc_connection_pool *p)
{
    hc_connection **idle = ho_ptr(p, POOL_IDLE);
    size_t n = (size_t)ho_int(p, POOL_IDLE_COUNT);
    for (size_t i = 0; i < n; i++)
        hc_connection_free(idle[i]);
    ho_set_int(p, POOL_IDLE_COUNT, 0);
}
