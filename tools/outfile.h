/* Write an output file so that it appears whole or not at all.
 *
 * outfile.h — write an output file so that it appears whole or not at all:
 * a temporary file in the destination directory, renamed over the target
 * only once everything was written and flushed.
 */
#ifndef HEAPTAG_TOOLS_OUTFILE_H
#define HEAPTAG_TOOLS_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

struct ht_outfile {
	FILE *f;
	char *tmp;
	char *path;
};

/* Create the temporary file for PATH.  0, or -1 with a reason in ERR. */
int ht_outfile_open(struct ht_outfile *o, const char *path, char *err, size_t errlen);
/* Flush, close and rename into place.  On failure the temporary file is
 * removed and ERR says why. */
int ht_outfile_commit(struct ht_outfile *o, char *err, size_t errlen);
/* Give up: close and remove the temporary file. */
void ht_outfile_abort(struct ht_outfile *o);

#endif
