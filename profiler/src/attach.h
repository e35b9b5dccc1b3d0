/* Loaded into a running process by `heaptag attach` (attach.c). */
#ifndef HT_ATTACH_H
#define HT_ATTACH_H
#include "text_buf.h"

/* ,"attached_unix_ms":N for the report when the tracker was attached to a
 * running process (nothing otherwise): tracking began then, and frees of
 * blocks from before count in foreign_free_calls.  Async-signal-safe. */
void attach_emit(struct text_buf *b);
#endif
