/* Where `-o PATH` writes, for every command (the rules are in outfile.h).
 *
 * The type of the destination is read with stat() (through links) to
 * decide, and a replacement is renamed onto the resolved target, never onto
 * the name given: rename() acts on the last directory entry, so renaming
 * onto a link would replace the link (as root, /dev/stdout itself).
 * Temporary names come from mkstemp(): random, created with O_EXCL, retried
 * on a collision, so a planted file cannot take the output.
 */
#include "outfile.h"

#include "textsafe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* strerror, with ENXIO said the way it happens here. */
static const char *why_open(int e)
{
    return e == ENXIO ? "a FIFO with no reader (waited 10 s)" : strerror(e);
}

static int fail(char *err, size_t errlen, const char *why)
{
    snprintf(err, errlen, "cannot write: %s", why);
    return -1;
}

int ht_out_resolve(const char *path, struct ht_out_target *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    if (!*path)
        return snprintf(err, errlen, "empty output path"), -1;
    if (!strcmp(path, "-")) {
        t->kind = HT_OUT_STDOUT;
        return 0;
    }
    struct stat st, lst, out;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT)
            return fail(err, errlen, strerror(errno));
        if (lstat(path, &lst) == 0)
            return fail(err, errlen, "a symbolic link to a missing file (not followed)");
        t->kind = HT_OUT_REPLACE; /* a new file */
        t->path = strdup(path);
        return t->path ? 0 : fail(err, errlen, "out of memory");
    }
    if (fstat(STDOUT_FILENO, &out) == 0 && out.st_dev == st.st_dev && out.st_ino == st.st_ino &&
        !S_ISREG(st.st_mode)) {
        t->kind = HT_OUT_STDOUT;
        return 0;
    }
    if (S_ISDIR(st.st_mode))
        return fail(err, errlen, strerror(EISDIR));
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
        t->kind = HT_OUT_IN_PLACE;
        t->path = strdup(path);
        return t->path ? 0 : fail(err, errlen, "out of memory");
    }
    if (!S_ISREG(st.st_mode))
        return fail(err, errlen,
                    S_ISBLK(st.st_mode) ? "a block device (never written)"
                                        : "not a regular file, character device or FIFO");
    /* A regular file: the one stdout is open on (/dev/stdout > file)
	 * is written through stdout, so `>>` appends as the shell meant. */
    if (fstat(STDOUT_FILENO, &out) == 0 && out.st_dev == st.st_dev && out.st_ino == st.st_ino) {
        t->kind = HT_OUT_STDOUT;
        return 0;
    }
    t->kind = HT_OUT_REPLACE;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        t->path = realpath(path, NULL);
    else
        t->path = strdup(path);
    return t->path ? 0 : fail(err, errlen, strerror(errno));
}

void ht_out_target_free(struct ht_out_target *t)
{
    free(t->path);
    t->path = NULL;
}

/* How long a FIFO may go without a reader before -o gives up. */
#define FIFO_WAIT_MS 10000

/* Open T for writing when it is not replaced. */
static FILE *open_direct(const struct ht_out_target *t)
{
    if (t->kind == HT_OUT_STDOUT)
        return stdout;
    /* No O_CREAT, no O_TRUNC: a device or FIFO is written as it is.
	 * O_NONBLOCK: a FIFO without a reader fails (ENXIO) instead of
	 * waiting forever; its reader gets FIFO_WAIT_MS to appear. */
    int fd = -1;
    for (int waited = 0;; waited += 50) {
        fd = open(t->path, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
        if (fd >= 0 || errno != ENXIO || waited >= FIFO_WAIT_MS)
            break;
        usleep(50 * 1000);
    }
    struct stat st;
    if (fd < 0)
        return NULL;
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    if (fstat(fd, &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
        close(fd);
        errno = EINVAL; /* replaced by a file since ht_out_resolve */
        return NULL;
    }
    FILE *f = ht_safe_fdopen(fd, 0);
    if (!f)
        close(fd);
    return f;
}

int ht_outfile_open(struct ht_outfile *o, const char *path, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    if (ht_out_resolve(path, &o->target, err, errlen) != 0)
        return -1;
    if (o->target.kind != HT_OUT_REPLACE) {
        o->f = open_direct(&o->target);
        if (!o->f) {
            fail(err, errlen, why_open(errno));
            ht_out_target_free(&o->target);
            return -1;
        }
        return 0;
    }
    if (asprintf(&o->tmp, "%s.tmp-XXXXXX", o->target.path) < 0) {
        o->tmp = NULL;
        ht_outfile_abort(o);
        return fail(err, errlen, "out of memory");
    }
    int fd = mkostemp(o->tmp, O_CLOEXEC);
    if (fd < 0) {
        fail(err, errlen, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        ht_outfile_abort(o);
        return -1;
    }
    /* mkstemp makes 0600; an output file is an ordinary file, so give
	 * it the mode the user's umask would give a new file. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    o->f = ht_safe_fdopen(fd, 0);
    if (!o->f) {
        fail(err, errlen, strerror(errno));
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
    if (o->f != stdout && fclose(o->f) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    o->f = NULL;
    if (!failed && o->tmp && rename(o->tmp, o->target.path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        fail(err, errlen, strerror(saved));
        ht_outfile_abort(o);
        return -1;
    }
    free(o->tmp);
    o->tmp = NULL;
    ht_out_target_free(&o->target);
    return 0;
}

void ht_outfile_abort(struct ht_outfile *o)
{
    if (o->f && o->f != stdout)
        fclose(o->f);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    ht_out_target_free(&o->target);
    memset(o, 0, sizeof *o);
}

int ht_out_deliver(const char *from, const struct ht_out_target *t, char *err, size_t errlen)
{
    if (t->kind == HT_OUT_REPLACE) {
        if (rename(from, t->path) != 0)
            return fail(err, errlen, strerror(errno));
        return 0;
    }
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return fail(err, errlen, strerror(errno));
    FILE *f = open_direct(t);
    if (!f) {
        int e = errno;
        close(in);
        return fail(err, errlen, why_open(e));
    }
    char buf[65536];
    ssize_t n;
    int bad = 0;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (fwrite(buf, 1, (size_t)n, f) != (size_t)n) {
            bad = 1;
            break;
        }
    int e = errno;
    if (n < 0 || fflush(f) != 0)
        bad = 1, e = errno;
    close(in);
    if (f != stdout && fclose(f) != 0 && !bad)
        bad = 1, e = errno;
    if (bad)
        return fail(err, errlen, strerror(e));
    unlink(from);
    return 0;
}
