/* url.c — see url.h. */
#include "url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool host_char(char c)
{
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '%';
}

/* "http://" or "https://" at S: the scheme into U and the rest of the URL,
 * or NULL with *WHY set. */
static const char *parse_scheme(const char *s, struct hc_url *u, const char **why)
{
    const char *p = s;
    while (is_alpha(*p) || is_digit(*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    if (p == s || strncmp(p, "://", 3) != 0) {
        *why = "no scheme (expected http:// or https://)";
        return NULL;
    }
    size_t slen = (size_t)(p - s);
    if (slen == 4 && strncasecmp(s, "http", 4) == 0) {
        u->https = false;
    } else if (slen == 5 && strncasecmp(s, "https", 5) == 0) {
        u->https = true;
    } else {
        *why = "unsupported scheme";
        return NULL;
    }
    return p + 3;
}

/* A bracketed IPv6 address at H (before AUTH_END) into U; *PORT_START
 * after its ":" if a port follows.  0, or -1 with *WHY set. */
static int parse_ipv6(const char *h, const char *auth_end, struct hc_url *u,
                      const char **port_start, const char **why)
{
    const char *close = memchr(h, ']', (size_t)(auth_end - h));
    if (!close) {
        *why = "unterminated IPv6 address";
        return -1;
    }
    for (const char *q = h + 1; q < close; q++)
        if (!(is_digit(*q) || (*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F') || *q == ':' ||
              *q == '.')) {
            *why = "bad character in IPv6 address";
            return -1;
        }
    u->host = h + 1;
    u->host_len = (size_t)(close - h - 1);
    u->ipv6 = true;
    if (close + 1 < auth_end) {
        if (close[1] != ':') {
            *why = "garbage after IPv6 address";
            return -1;
        }
        *port_start = close + 2;
    }
    return 0;
}

/* The authority [userinfo@]host[:port] in AUTH..AUTH_END into U, the port
 * left for parse_port in *PORT_START.  0, or -1 with *WHY set. */
static int parse_authority(const char *auth, const char *auth_end, struct hc_url *u,
                           const char **port_start, const char **why)
{
    const char *at = NULL;
    for (const char *q = auth; q < auth_end; q++)
        if (*q == '@')
            at = q;
    const char *h = auth;
    if (at) {
        u->userinfo = auth;
        u->userinfo_len = (size_t)(at - auth);
        h = at + 1;
    }
    *port_start = NULL;
    if (*h == '[') {
        if (parse_ipv6(h, auth_end, u, port_start, why) < 0)
            return -1;
    } else {
        const char *q = h;
        while (q < auth_end && *q != ':')
            q++;
        u->host = h;
        u->host_len = (size_t)(q - h);
        for (const char *c = h; c < q; c++)
            if (!host_char(*c)) {
                *why = "bad character in host name";
                return -1;
            }
        if (q < auth_end)
            *port_start = q + 1;
    }
    if (u->host_len == 0) {
        *why = "no host";
        return -1;
    }
    return 0;
}

/* The port (the scheme's default when PORT_START is NULL or empty).
 * 0, or -1 with *WHY set. */
static int parse_port(const char *port_start, const char *auth_end, struct hc_url *u,
                      const char **why)
{
    u->port = u->https ? 443 : 80;
    u->default_port = true;
    if (!port_start || port_start >= auth_end)
        return 0;
    long port = 0;
    for (const char *q = port_start; q < auth_end; q++) {
        if (!is_digit(*q) || port > 65535) {
            *why = "bad port number";
            return -1;
        }
        port = port * 10 + (*q - '0');
    }
    if (port < 1 || port > 65535) {
        *why = "port out of range";
        return -1;
    }
    u->port = (int)port;
    u->default_port = port == (u->https ? 443 : 80);
    return 0;
}

int hc_url_parse(const char *s, struct hc_url *u, const char **why)
{
    memset(u, 0, sizeof *u);
    const char *p = parse_scheme(s, u, why);
    if (!p)
        return -1;
    const char *auth = p;
    while (*p && *p != '/' && *p != '?' && *p != '#')
        p++;
    const char *auth_end = p, *port_start;
    if (parse_authority(auth, auth_end, u, &port_start, why) < 0 ||
        parse_port(port_start, auth_end, u, why) < 0)
        return -1;
    u->target = p;
    while (*p && *p != '#') {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c == 0x7f) {
            *why = "space or control character in URL";
            return -1;
        }
        p++;
    }
    u->target_len = (size_t)(p - u->target);
    return 0;
}

/* Remove "." and ".." segments (RFC 3986 5.2.4) from PATH in place. */
static void remove_dot_segments(char *path)
{
    char *in = path, *out = xmalloc(strlen(path) + 1);
    size_t o = 0;
    while (*in) {
        if (strncmp(in, "../", 3) == 0) {
            in += 3;
        } else if (strncmp(in, "./", 2) == 0 || strncmp(in, "/./", 3) == 0) {
            in += 2;
        } else if (strcmp(in, "/.") == 0) {
            in[1] = '\0';
        } else if (strncmp(in, "/../", 4) == 0 || strcmp(in, "/..") == 0) {
            if (in[3] == '/') {
                in += 3;
            } else {
                in += 2;
                in[0] = '/';
            }
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
        } else if (strcmp(in, ".") == 0 || strcmp(in, "..") == 0) {
            break;
        } else {
            do
                out[o++] = *in++;
            while (*in && *in != '/');
        }
    }
    memcpy(path, out, o);
    path[o] = '\0';
    free(out);
}

/* A resolved Location as a request can use it: spaces and control bytes
 * (which servers do send) percent-encoded, as curl does, and NULL unless
 * the result parses as a URL (a Location of "//" has no host, say).
 * Takes ownership of R. */
static char *checked(char *r)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t extra = 0;
    for (const unsigned char *c = (const unsigned char *)r; *c; c++)
        extra += (*c <= 0x20 || *c >= 0x7f) ? 2 : 0;
    if (extra) {
        char *e = xmalloc(strlen(r) + extra + 1), *o = e;
        for (const unsigned char *c = (const unsigned char *)r; *c; c++) {
            if (*c <= 0x20 || *c >= 0x7f) {
                *o++ = '%';
                *o++ = hex[*c >> 4];
                *o++ = hex[*c & 15];
            } else {
                *o++ = (char)*c;
            }
        }
        *o = '\0';
        free(r);
        r = e;
    }
    struct hc_url u;
    const char *why;
    if (hc_url_parse(r, &u, &why) != 0) {
        free(r);
        return NULL;
    }
    return r;
}

char *hc_url_resolve(const char *base, const char *location)
{
    struct hc_url b;
    const char *why;
    size_t loclen = strcspn(location, "#");
    if (loclen == 0 || hc_url_parse(base, &b, &why) != 0)
        return NULL;
    /* An absolute URL: has a scheme, which starts with a letter. */
    const char *p = location;
    if (is_alpha(*p))
        while (is_alpha(*p) || is_digit(*p) || *p == '+' || *p == '-' || *p == '.')
            p++;
    if (p > location && *p == ':')
        return checked(xstrndup(location, loclen));
    const char *scheme = b.https ? "https:" : "http:";
    if (location[0] == '/' && location[1] == '/') {
        char *r = xmalloc(strlen(scheme) + loclen + 1);
        sprintf(r, "%s%.*s", scheme, (int)loclen, location);
        return checked(r);
    }
    /* Authority of the base: everything before its target. */
    size_t prefix = (size_t)(b.target - base);
    const char *btarget = b.target;
    size_t bpath_len = strcspn(btarget, "?#");
    char *merged;
    if (location[0] == '/') {
        merged = xstrndup(location, loclen);
    } else if (location[0] == '?') {
        merged = xmalloc(bpath_len + loclen + 2);
        sprintf(merged, "%.*s%.*s", (int)bpath_len, bpath_len ? btarget : "/", (int)loclen,
                location);
    } else {
        /* Relative path: replace the last segment of the base path. */
        size_t dir = bpath_len;
        while (dir > 0 && btarget[dir - 1] != '/')
            dir--;
        merged = xmalloc(dir + loclen + 2);
        if (dir == 0)
            sprintf(merged, "/%.*s", (int)loclen, location);
        else
            sprintf(merged, "%.*s%.*s", (int)dir, btarget, (int)loclen, location);
    }
    size_t qpos = strcspn(merged, "?");
    char saved = merged[qpos];
    char *query = saved ? xstrdup(merged + qpos) : NULL;
    merged[qpos] = '\0';
    remove_dot_segments(merged);
    char *r = xmalloc(prefix + strlen(merged) + (query ? strlen(query) : 0) + 2);
    sprintf(r, "%.*s%s%s", (int)prefix, base, merged[0] == '/' ? "" : "/", merged);
    if (query)
        strcat(r, query);
    free(query);
    free(merged);
    return checked(r);
}
