/* Appending text to a fixed buffer without stdio (text_buf.h). */
#include "text_buf.h"
#include <errno.h>
#include <string.h>
#include <unistd.h>

static int write_all(struct text_buf *b, const char *p, size_t n)
{
    while (n && !b->write_errno) {
        ssize_t w = write(b->fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            b->write_errno = w < 0 ? errno : EIO;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return b->write_errno ? -1 : 0;
}

int tb_flush(struct text_buf *b)
{
    if (b->fd < 0)
        return 0;
    int rc = write_all(b, b->data, b->len);
    b->len = 0;
    return rc;
}

void tb_mem(struct text_buf *b, const char *s, size_t n)
{
    if (b->truncated || b->write_errno)
        return;
    if (b->len + n + 1 > b->cap) {
        if (b->fd < 0) {
            b->truncated = 1;
            return;
        }
        tb_flush(b);
        if (n + 1 > b->cap) { /* larger than the whole buffer: straight out */
            write_all(b, s, n);
            return;
        }
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

void tb_str(struct text_buf *b, const char *s) { tb_mem(b, s, strlen(s)); }
void tb_char(struct text_buf *b, char c) { tb_mem(b, &c, 1); }

void tb_u64(struct text_buf *b, uint64_t v)
{
    char digits[24];
    int i = sizeof digits;
    do {
        digits[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    tb_mem(b, digits + i, sizeof digits - (size_t)i);
}

void tb_i64(struct text_buf *b, int64_t v)
{
    if (v < 0) {
        tb_char(b, '-');
        tb_u64(b, (uint64_t)0 - (uint64_t)v);
    } else {
        tb_u64(b, (uint64_t)v);
    }
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one (JSON
 * readers reject invalid UTF-8, and names come from arbitrary programs). */
size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n = c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) || (c == 0xf0 && s[1] < 0x90) ||
        (c == 0xf4 && s[1] > 0x8f))
        return 0; /* overlong, surrogate or beyond U+10FFFF */
    return n;
}

void tb_json_str(struct text_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    tb_char(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            tb_char(b, '\\');
            tb_char(b, (char)c);
        } else if (c >= 0x80) {
            size_t n = utf8_len((const unsigned char *)s);
            if (n) {
                tb_mem(b, s, n);
                s += n - 1;
            } else {
                tb_str(b, "\\ufffd");
            }
        } else if (c < 0x20 || c == 0x7f) {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            tb_mem(b, esc, sizeof esc);
        } else {
            tb_char(b, (char)c);
        }
    }
    tb_char(b, '"');
}

const char *tb_cstr(struct text_buf *b)
{
    if (b->cap)
        b->data[b->len < b->cap ? b->len : b->cap - 1] = 0;
    return b->data;
}
