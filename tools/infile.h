/* infile.h — open a file named on the command line (or in a report) for
 * reading without ever waiting in open().
 *
 * It opens a regular file, or a FIFO or pipe (process substitution) read as
 * a stream; a directory, device or socket is refused with errno EISDIR or
 * ENODEV.  A FIFO with no writer reads as empty instead of hanging. */
#ifndef HEAPTAG_TOOLS_INFILE_H
#define HEAPTAG_TOOLS_INFILE_H

/* A descriptor open for blocking reads, or -1 with errno set. */
int ht_open_input(const char *path);

#endif
