/* url.h — absolute http/https URL parsing.  Pure: the result points into
 * the input string, nothing is allocated, so it can be fuzzed alone.
 */
#ifndef HC_URL_H
#define HC_URL_H

#include <stdbool.h>
#include <stddef.h>

struct hc_url {
    bool https;
    const char *userinfo; /* "user:pass" before '@', or NULL */
    size_t userinfo_len;
    const char *host; /* without the brackets of an IPv6 literal */
    size_t host_len;
    bool ipv6;
    int port; /* explicit or the scheme's default */
    bool default_port;
    const char *target; /* path and query, fragment excluded; may be */
    size_t target_len;  /* empty or start with '?': then prefix '/'  */
};

/* 0 on success; -1 with *WHY set to a static reason otherwise. */
int hc_url_parse(const char *s, struct hc_url *u, const char **why);

/* LOCATION resolved against the absolute URL BASE (RFC 3986 section 5.2,
 * fragment dropped), as a new malloc'd string tagged by the caller's
 * scope.  NULL when LOCATION is empty or BASE does not parse. */
char *hc_url_resolve(const char *base, const char *location);

#endif
