/* headers.c — Headers: an ordered list of (name, value) fields with
 * case-insensitive lookup and repeated names, like an HTTP message has.
 *
 * Each field is one payload block "name\0value\0"; the object keeps the
 * array of those blocks, its count and capacity as attributes.
 */
#include "headers.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "object.h"
#include "types.h"

static const struct hc_type *T = &hc_type_headers;

static char **items(const hc_headers *h) { return ho_ptr(h, HDRS_ITEMS); }
static size_t count(const hc_headers *h) { return (size_t)ho_int(h, HDRS_COUNT); }

static const char *value_of(const char *item) { return item + strlen(item) + 1; }

hc_headers *hc_headers_new(void) { return (hc_headers *)ho_new(&hc_type_headers); }

void hc_headers_finalize(struct hc_object *o)
{
    char **it = items((hc_headers *)o);
    size_t n = count((hc_headers *)o);
    for (size_t i = 0; i < n; i++)
        free(it[i]);
    free(it);
}

void hc_headers_free(hc_headers *h) { ho_free((struct hc_object *)h); }

void hc_headers_add_n(hc_headers *h, const char *name, size_t nlen, const char *value, size_t vlen)
{
    size_t n = count(h), cap = (size_t)ho_int(h, HDRS_CAPACITY);
    char **it = items(h);
    if (n == cap) {
        cap = cap ? cap * 2 : 8;
        it = hc_payload_realloc(T, it, cap * sizeof *it);
        /* HK_PTR: ho_set does not release the old array, realloc moved it. */
        ho_set_ptr(h, HDRS_ITEMS, it);
        ho_set_int(h, HDRS_CAPACITY, (int64_t)cap);
    }
    char *item = hc_payload_alloc(T, nlen + vlen + 2);
    memcpy(item, name, nlen);
    item[nlen] = '\0';
    memcpy(item + nlen + 1, value, vlen);
    item[nlen + 1 + vlen] = '\0';
    it[n] = item;
    ho_set_int(h, HDRS_COUNT, (int64_t)(n + 1));
}

bool hc_header_name_valid(const char *name)
{
    static const char tchar_extra[] = "!#$%&'*+-.^_`|~";
    if (!*name)
        return false;
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              strchr(tchar_extra, c)))
            return false;
    }
    return true;
}

bool hc_header_value_valid(const char *value)
{
    for (const char *p = value; *p; p++)
        if (*p == '\r' || *p == '\n')
            return false;
    return true;
}

int hc_headers_add(hc_headers *h, const char *name, const char *value, hc_error **err)
{
    if (!hc_header_name_valid(name)) {
        hc_error_set(err, HC_ERR_INVALID_ARGUMENT, "invalid header name '%s'", name);
        return -1;
    }
    if (!hc_header_value_valid(value)) {
        hc_error_set(err, HC_ERR_INVALID_ARGUMENT, "invalid value for header '%s' (CR or LF)",
                     name);
        return -1;
    }
    hc_headers_add_n(h, name, strlen(name), value, strlen(value));
    return 0;
}

int hc_headers_set(hc_headers *h, const char *name, const char *value, hc_error **err)
{
    long first = hc_headers_find(h, name, 0);
    if (first < 0)
        return hc_headers_add(h, name, value, err);
    if (!hc_header_name_valid(name) || !hc_header_value_valid(value))
        return hc_headers_add(h, name, value, err); /* reports the error */
    char **it = items(h);
    size_t nlen = strlen(name), vlen = strlen(value);
    char *item = hc_payload_alloc(T, nlen + vlen + 2);
    memcpy(item, name, nlen + 1);
    memcpy(item + nlen + 1, value, vlen + 1);
    free(it[first]);
    it[first] = item;
    /* Drop the later ones. */
    size_t n = count(h), w = (size_t)first + 1;
    for (size_t r = w; r < n; r++) {
        if (strcasecmp(it[r], name) == 0)
            free(it[r]);
        else
            it[w++] = it[r];
    }
    ho_set_int(h, HDRS_COUNT, (int64_t)w);
    return 0;
}

size_t hc_headers_remove(hc_headers *h, const char *name)
{
    char **it = items(h);
    size_t n = count(h), w = 0;
    for (size_t r = 0; r < n; r++) {
        if (strcasecmp(it[r], name) == 0)
            free(it[r]);
        else
            it[w++] = it[r];
    }
    ho_set_int(h, HDRS_COUNT, (int64_t)w);
    return n - w;
}

long hc_headers_find(const hc_headers *h, const char *name, size_t from)
{
    char **it = items(h);
    size_t n = count(h);
    for (size_t i = from; i < n; i++)
        if (strcasecmp(it[i], name) == 0)
            return (long)i;
    return -1;
}

const char *hc_headers_get(const hc_headers *h, const char *name)
{
    long i = hc_headers_find(h, name, 0);
    return i < 0 ? NULL : value_of(items(h)[i]);
}

size_t hc_headers_count(const hc_headers *h) { return count(h); }

const char *hc_headers_name_at(const hc_headers *h, size_t i)
{
    return i < count(h) ? items(h)[i] : NULL;
}

const char *hc_headers_value_at(const hc_headers *h, size_t i)
{
    return i < count(h) ? value_of(items(h)[i]) : NULL;
}

hc_headers *hc_headers_copy(const hc_headers *src)
{
    hc_headers *h = hc_headers_new();
    size_t n = count(src);
    char **it = items(src);
    for (size_t i = 0; i < n; i++) {
        const char *v = value_of(it[i]);
        hc_headers_add_n(h, it[i], strlen(it[i]), v, strlen(v));
    }
    return h;
}

bool hc_headers_has_token(const hc_headers *h, const char *name, const char *token)
{
    size_t tlen = strlen(token);
    for (long i = hc_headers_find(h, name, 0); i >= 0;
         i = hc_headers_find(h, name, (size_t)i + 1)) {
        const char *p = value_of(items(h)[i]);
        while (*p) {
            while (*p == ' ' || *p == '\t' || *p == ',')
                p++;
            const char *start = p;
            while (*p && *p != ',')
                p++;
            const char *end = p;
            while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
                end--;
            if ((size_t)(end - start) == tlen && strncasecmp(start, token, tlen) == 0)
                return true;
        }
    }
    return false;
}
