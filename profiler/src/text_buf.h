/* Appending text to a fixed buffer without stdio (which may allocate and
 * is not async-signal-safe).  A buffer that runs out of room marks itself
 * truncated and ignores further text; callers check before using it. */
#ifndef HT_TEXT_BUF_H
#define HT_TEXT_BUF_H
#include <stddef.h>
#include <stdint.h>

struct text_buf {
    char *data;
    size_t len, cap;
    int truncated;
};

void tb_str(struct text_buf *b, const char *s);
void tb_mem(struct text_buf *b, const char *s, size_t n);
void tb_char(struct text_buf *b, char c);
void tb_u64(struct text_buf *b, uint64_t v);
void tb_i64(struct text_buf *b, int64_t v);
/* A JSON string literal, quotes included. */
void tb_json_str(struct text_buf *b, const char *s);
/* NUL-terminate (within cap) and return data. */
const char *tb_cstr(struct text_buf *b);
#endif
