/* textsafe.c — the filter that keeps control characters from a report
 * off the terminal (textsafe.h).
 *
 * The filter is a fopencookie() stream that writes with write(2) on its
 * own descriptor, so flushing order at exit cannot lose bytes between two
 * stdio buffers.
 */
#include "textsafe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Length of the valid UTF-8 sequence at S (N bytes available), 0 when
 * invalid, -1 when cut short by the end of S. */
static int utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    int len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, min = 0x10000;
    else
        return 0;
    unsigned cp = c & (0x7f >> len);
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n)
            return -1;
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

size_t ht_escape(const unsigned char *s, size_t n, int keep_nl, char *out, size_t cap, size_t *used)
{
    size_t i = 0, o = 0;
    while (i < n) {
        unsigned char c = s[i];
        char esc[8] = "";
        int len = 1;
        if (c < 0x20 || c == 0x7f) {
            if (keep_nl && (c == '\n' || c == '\t'))
                esc[0] = (char)c, esc[1] = 0;
            else
                snprintf(esc, sizeof esc, "\\u%04x", c);
        } else if (c >= 0x80) {
            len = utf8_len(s + i, n - i);
            if (len < 0)
                break; /* the rest of a sequence comes later */
            if (len == 0) {
                snprintf(esc, sizeof esc, "\\x%02x", c);
                len = 1;
            } else if (len == 2 && c == 0xc2 && s[i + 1] < 0xa0) {
                snprintf(esc, sizeof esc, "\\u%04x", s[i + 1]); /* C1 */
            }
        }
        size_t add = esc[0] ? strlen(esc) : (size_t)len;
        if (o + add >= cap)
            break;
        memcpy(out + o, esc[0] ? esc : (const char *)s + i, add);
        o += add;
        i += (size_t)len;
    }
    if (cap)
        out[o < cap ? o : cap - 1] = '\0';
    *used = i;
    return o;
}

struct filter {
    int fd;
    unsigned char carry[4];
    size_t ncarry;
};

/* The filters of stdout and stderr live until exit, and glibc keeps the
 * only pointer to a cookie inside its FILE, where LeakSanitizer does not
 * look: holding them here too says they are not lost. */
static struct filter *std_filter[2];
static struct filter *last_made; /* by the latest ht_safe_fdopen */

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Escape and write BUF; a UTF-8 sequence cut at the end is kept for the
 * next call, unless FINAL. */
static int filter_out(struct filter *f, const unsigned char *buf, size_t n, int final)
{
    char out[4096];
    while (n) {
        size_t used;
        size_t o = ht_escape(buf, n, 1, out, sizeof out, &used);
        if (o && write_all(f->fd, out, o) != 0)
            return -1;
        buf += used;
        n -= used;
        if (used == 0) {
            if (n >= 4 || final) { /* a cut sequence that never ends */
                snprintf(out, sizeof out, "\\x%02x", buf[0]);
                if (write_all(f->fd, out, 4) != 0)
                    return -1;
                buf++, n--;
                continue;
            }
            memcpy(f->carry, buf, n);
            f->ncarry = n;
            return 0;
        }
    }
    return 0;
}

/* Set while a binary format (pprof's gzip) is written: its bytes are not
 * text and pass unchanged; stderr stays filtered. */
static int binary_output;

void ht_safe_binary(int on)
{
    fflush(NULL);
    binary_output = on;
}

static ssize_t filter_write(void *cookie, const char *buf, size_t size)
{
    struct filter *f = cookie;
    size_t done = 0;
    if (size == 0)
        return 0;
    if (binary_output && f->fd != STDERR_FILENO)
        return write_all(f->fd, buf, size) == 0 ? (ssize_t)size : -1;
    if (f->ncarry) {
        /* Complete the pending sequence with the first new bytes. */
        unsigned char tmp[8];
        size_t take = size < 4 ? size : 4;
        memcpy(tmp, f->carry, f->ncarry);
        memcpy(tmp + f->ncarry, buf, take);
        size_t have = f->ncarry + take;
        int len = utf8_len(tmp, have);
        size_t use = len > 0 ? (size_t)len : len < 0 ? have : 1;
        size_t old = f->ncarry;
        f->ncarry = 0;
        if (use <= old) {
            /* Invalid: escape the carried bytes one by one. */
            if (filter_out(f, tmp, old, 1) != 0)
                return -1;
        } else if (filter_out(f, tmp, use, 0) != 0) {
            return -1;
        } else {
            done = use - old;
        }
    }
    if (filter_out(f, (const unsigned char *)buf + done, size - done, 0) != 0)
        return -1;
    return (ssize_t)size;
}

static int filter_close(void *cookie)
{
    struct filter *f = cookie;
    for (int i = 0; i < 2; i++)
        if (std_filter[i] == f)
            std_filter[i] = NULL;
    int rc = 0;
    if (f->ncarry)
        rc = filter_out(f, f->carry, f->ncarry, 1);
    if (f->fd > 2 && close(f->fd) != 0)
        rc = -1;
    free(f);
    return rc;
}

FILE *ht_safe_fdopen(int fd, int line)
{
    struct filter *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->fd = fd;
    cookie_io_functions_t io = {.write = filter_write, .close = filter_close};
    FILE *s = fopencookie(f, "w", io);
    if (!s) {
        free(f);
        return NULL;
    }
    setvbuf(s, NULL, line ? _IOLBF : _IOFBF, BUFSIZ);
    last_made = f;
    return s;
}

void ht_safe_std_streams(void)
{
    FILE *out = ht_safe_fdopen(STDOUT_FILENO, isatty(STDOUT_FILENO));
    std_filter[0] = out ? last_made : NULL;
    FILE *err = ht_safe_fdopen(STDERR_FILENO, 1);
    std_filter[1] = err ? last_made : NULL;
    if (out)
        stdout = out;
    if (err)
        stderr = err;
}

const char *ht_safe_name(const char *s, size_t max, char *buf, size_t len)
{
    if (!*s)
        return "\"\"";
    size_t n = strlen(s), used;
    size_t cap = len < max + 1 ? len : max + 1;
    ht_escape((const unsigned char *)s, n, 0, buf, cap > 4 ? cap - 3 : cap, &used);
    if (used < n) {
        /* Cut: cut again at a whole sequence and mark it. */
        size_t o = strlen(buf);
        snprintf(buf + o, len - o, "...");
    }
    return buf;
}
