/* See outfile.h. */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ht_outfile_open(struct ht_outfile *o, const char *path, char *err, size_t errlen)
{
	memset(o, 0, sizeof *o);
	if (!*path) {
		snprintf(err, errlen, "empty output path");
		return -1;
	}
	/* rename() would replace whatever PATH is: a device node, a FIFO.
	 * Only ever replace regular files. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "cannot write: %s",
			 S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
		return -1;
	}
	if (asprintf(&o->tmp, "%s.tmp-XXXXXX", path) < 0 || !(o->path = strdup(path))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write: %s", strerror(errno));
		free(o->tmp);
		free(o->path);
		o->tmp = o->path = NULL;
		return -1;
	}
	/* mkstemp makes 0600; an output file is an ordinary file, so give
	 * it the mode the user's umask would give a new file. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		snprintf(err, errlen, "cannot write: %s", strerror(errno));
		close(fd);
		ht_outfile_abort(o);
		return -1;
	}
	return 0;
}

int ht_outfile_commit(struct ht_outfile *o, char *err, size_t errlen)
{
	int failed = fflush(o->f) != 0 || ferror(o->f);
	int saved = errno;
	if (fclose(o->f) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	o->f = NULL;
	if (!failed && rename(o->tmp, o->path) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		snprintf(err, errlen, "cannot write: %s", strerror(saved));
		ht_outfile_abort(o);
		return -1;
	}
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return 0;
}

void ht_outfile_abort(struct ht_outfile *o)
{
	if (o->f)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof *o);
}
