/* headers.h — Headers helpers shared inside the library. */
#ifndef HC_HEADERS_INTERNAL_H
#define HC_HEADERS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "hc.h"

/* Append without validation: the parser has already checked the bytes. */
void hc_headers_add_n(hc_headers *h, const char *name, size_t nlen, const char *value, size_t vlen);
bool hc_header_name_valid(const char *name);
bool hc_header_value_valid(const char *value);
/* Does any value of NAME hold TOKEN in its comma-separated list
 * (case-insensitive)?  For Connection and Transfer-Encoding. */
bool hc_headers_has_token(const hc_headers *h, const char *name, const char *token);

#endif
