/* textsafe.h — no byte taken from a report reaches a terminal as a control
 * character.
 *
 * Type names, program names and module paths come from the profiled
 * program; printed raw, "\e]0;...\a" or "\e[2J" would drive the reader's
 * terminal.  heaptag's stdout, stderr and -o files are written through a
 * filter that shows every C0 control but newline and tab, DEL and every C1
 * control as \u00XX (also a valid JSON escape of the same character, so
 * JSON output stays JSON), and bytes that are not UTF-8 as \xHH.  HTML
 * output escapes on its own as well.
 */
#ifndef HEAPTAG_TOOLS_TEXTSAFE_H
#define HEAPTAG_TOOLS_TEXTSAFE_H

#include <stddef.h>
#include <stdio.h>

/* A stream writing to file descriptor FD through the filter (line
 * buffered when LINE).  NULL when it cannot be made. */
FILE *ht_safe_fdopen(int fd, int line);
/* While ON, every filtered stream but stderr passes bytes unchanged: for a
 * binary output format (pprof).  Flushes all streams first. */
void ht_safe_binary(int on);
/* Replace stdout and stderr by filtered streams on fds 1 and 2. */
void ht_safe_std_streams(void);
/* The most bytes of a name a table shows. */
#define HT_NAME_SHOWN 120

/* S for a table cell or a message: the filter's escapes, plus newline and
 * tab, "" for an empty string, and at most about MAX bytes (the cut is
 * marked with "...").  Written into BUF (LEN bytes), which is returned. */
const char *ht_safe_name(const char *s, size_t max, char *buf, size_t len);
/* Escape S[0..N) into OUT (at most CAP bytes, NUL included) as the filter
 * does; KEEP_NL keeps newline and tab.  Returns the escaped length and sets
 * *USED to the input bytes consumed: fewer than N when OUT is full or a
 * UTF-8 sequence is cut at the end of S. */
size_t ht_escape(const unsigned char *s, size_t n, int keep_nl, char *out, size_t cap,
                 size_t *used);

#endif
