/* libFuzzer target: URL parsing and reference resolution (client/src/url.c).  The input is
 * split at its first NUL into a base URL and a location. */
#include "url.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    size_t len = strlen(s);
    struct hc_url u;
    const char *why = NULL;
    if (hc_url_parse(s, &u, &why) == 0) {
        if (!u.host || u.host < s || u.host + u.host_len > s + len || u.port < 0 ||
            u.port > 65535 || !u.target || u.target + u.target_len > s + len + 1 ||
            (u.userinfo && u.userinfo + u.userinfo_len > s + len))
            abort();
    } else if (!why) {
        abort();
    }
    const char *location = len < size ? s + len + 1 : "";
    char *r = hc_url_resolve(s, location);
    if (r) {
        /* The result need not parse (a Location may name another scheme,
         * an empty host, control bytes); it must be a string ASan can read
         * and, parsed or not, must not crash the parser. */
        struct hc_url ru;
        if (r[0] == '\0')
            abort();
        (void)hc_url_parse(r, &ru, &why);
        free(r);
    }
    free(s);
    return 0;
}
