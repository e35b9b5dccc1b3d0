/* pool.h — ConnectionPool internals used by the session. */
#ifndef HC_POOL_H
#define HC_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "hc.h"

hc_connection_pool *hc_pool_new(void);
void hc_pool_free(hc_connection_pool *p);
/* The most recently returned idle connection to that scheme+host+port that
 * is still usable, or NULL.  Stale ones met on the way are closed. */
hc_connection *hc_pool_take(hc_connection_pool *p, bool https, const char *host, size_t host_len,
                            int port);
/* Give back a connection whose last response was read completely and that
 * may be kept alive; closed instead when its key already has maxsize idle. */
void hc_pool_put(hc_connection_pool *p, hc_connection *c);
void hc_pool_note_opened(hc_connection_pool *p);

#endif
