/* timeout.h — Timeout internals. */
#ifndef HC_TIMEOUT_INTERNAL_H
#define HC_TIMEOUT_INTERNAL_H

#include <stdint.h>

#include "hc.h"

/* TIMEOUT_CONNECT/READ/TOTAL of T in milliseconds; -1 when none or T NULL. */
int64_t hc_timeout_ms(const hc_timeout *t, int which);

#endif
