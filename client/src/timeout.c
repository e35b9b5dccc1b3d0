/* timeout.c — Timeout: connect, read and total limits, kept as integer
 * milliseconds (-1: none) so every attribute is one int slot.
 */
#include <math.h>

#include "object.h"
#include "timeout.h"
#include "types.h"

static int64_t to_ms(double s)
{
    if (!(s > 0))
        return -1;
    double ms = ceil(s * 1000.0);
    return ms > 1e12 ? (int64_t)1e12 : (int64_t)ms;
}

static double to_s(int64_t ms) { return ms < 0 ? 0.0 : (double)ms / 1000.0; }

hc_timeout *hc_timeout_new(double connect_s, double read_s, double total_s)
{
    struct hc_object *t = ho_new(&hc_type_timeout);
    ho_set_int(t, TIMEOUT_CONNECT, to_ms(connect_s));
    ho_set_int(t, TIMEOUT_READ, to_ms(read_s));
    ho_set_int(t, TIMEOUT_TOTAL, to_ms(total_s));
    return (hc_timeout *)t;
}

hc_timeout *hc_timeout_copy(const hc_timeout *src)
{
    struct hc_object *t = ho_new(&hc_type_timeout);
    ho_set_int(t, TIMEOUT_CONNECT, ho_int(src, TIMEOUT_CONNECT));
    ho_set_int(t, TIMEOUT_READ, ho_int(src, TIMEOUT_READ));
    ho_set_int(t, TIMEOUT_TOTAL, ho_int(src, TIMEOUT_TOTAL));
    return (hc_timeout *)t;
}

double hc_timeout_connect(const hc_timeout *t) { return to_s(ho_int(t, TIMEOUT_CONNECT)); }
double hc_timeout_read(const hc_timeout *t) { return to_s(ho_int(t, TIMEOUT_READ)); }
double hc_timeout_total(const hc_timeout *t) { return to_s(ho_int(t, TIMEOUT_TOTAL)); }

int64_t hc_timeout_ms(const hc_timeout *t, int which)
{
    return t ? ho_int(t, (unsigned)which) : -1;
}

void hc_timeout_free(hc_timeout *t) { ho_free((struct hc_object *)t); }
