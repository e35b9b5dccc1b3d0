/* Appending text to a fixed buffer without stdio (which may allocate and
 * is not async-signal-safe).
 *
 * A buffer with a file descriptor (fd >= 0) writes itself out whenever it
 * fills, so any amount of text streams through a small buffer; a write
 * error sets `write_errno` and later text is dropped.  A buffer without
 * one (fd = -1) that runs out of room marks itself truncated and ignores
 * further text; callers check. */
#ifndef HT_TEXT_BUF_H
#define HT_TEXT_BUF_H
#include <stddef.h>
#include <stdint.h>

struct text_buf {
    char *data;
    size_t len, cap;
    int truncated;
    int fd;          /* -1: memory only */
    int write_errno; /* first write error, 0 if none */
};

#define TEXT_BUF(mem, size) ((struct text_buf){(mem), 0, (size), 0, -1, 0})
#define TEXT_BUF_FD(mem, size, fd) ((struct text_buf){(mem), 0, (size), 0, (fd), 0})

/* Write out what is buffered (streaming buffers); 0 or -1 with write_errno. */
int tb_flush(struct text_buf *b);

void tb_str(struct text_buf *b, const char *s);
void tb_mem(struct text_buf *b, const char *s, size_t n);
void tb_char(struct text_buf *b, char c);
void tb_u64(struct text_buf *b, uint64_t v);
void tb_i64(struct text_buf *b, int64_t v);
/* A JSON string literal, quotes included. */
void tb_json_str(struct text_buf *b, const char *s);
/* Length of the valid UTF-8 sequence at s (a byte >= 0x80), or 0. */
size_t utf8_len(const unsigned char *s);
/* NUL-terminate (within cap) and return data. */
const char *tb_cstr(struct text_buf *b);
#endif
