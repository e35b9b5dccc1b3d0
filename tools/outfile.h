/* Where `-o PATH` writes (docs/heaptag-command.md, "Output paths"), decided once for every command.
 *
 *   "-", or a path naming heaptag's own standard output (/dev/stdout,
 *        /proc/self/fd/1, a link to them): written through stdout;
 *   a character device or FIFO (also through a link): opened and written
 *        in place, never replaced;
 *   a regular file or a new name: a temporary file beside it, renamed over
 *        it once complete, so it appears whole or not at all;
 *   a symbolic link to a regular file: the same, on the link's target; the
 *        link itself stays;
 *   a directory, block device, socket or a link to a missing file: refused.
 */
#ifndef HEAPTAG_TOOLS_OUTFILE_H
#define HEAPTAG_TOOLS_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

enum ht_out_kind { HT_OUT_STDOUT, HT_OUT_IN_PLACE, HT_OUT_REPLACE };

struct ht_out_target {
    enum ht_out_kind kind;
    char *path; /* IN_PLACE: the path to open; REPLACE: the regular file
		     * to replace (links resolved); STDOUT: NULL */
};

/* Decide what writing PATH means.  0, or -1 with a reason in ERR. */
int ht_out_resolve(const char *path, struct ht_out_target *t, char *err, size_t errlen);
void ht_out_target_free(struct ht_out_target *t);
/* Put the finished file FROM (a regular file in T's directory when T is
 * REPLACE) at T: renamed for REPLACE, else copied and removed.  0, or -1
 * with a reason in ERR (FROM is then left in place). */
int ht_out_deliver(const char *from, const struct ht_out_target *t, char *err, size_t errlen);

struct ht_outfile {
    FILE *f;
    char *tmp;
    struct ht_out_target target;
};

/* Open the destination PATH.  0, or -1 with a reason in ERR. */
int ht_outfile_open(struct ht_outfile *o, const char *path, char *err, size_t errlen);
/* Flush and close, and rename into place when replacing.  On failure the
 * temporary file is removed and ERR says why. */
int ht_outfile_commit(struct ht_outfile *o, char *err, size_t errlen);
/* Give up: close and remove the temporary file. */
void ht_outfile_abort(struct ht_outfile *o);

#endif
