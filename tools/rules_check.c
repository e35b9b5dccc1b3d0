/* The tracker's rules grammar, applied before `heaptag run --rules` starts the program.
 *
 * rules_check.c — the tracker's rules grammar, applied ahead of time.
 * profiler/src/rules_parse.c is compiled into heaptag as is (tools.mk), so
 * the tool can never accept a file the tracker would reject or the other
 * way round.
 */
#include "rules_check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules_parse.h"

int ht_rules_check(const char *path, int *nrules, char *err, size_t errlen)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; the type is
	 * checked on what was opened, then the file is read normally. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
    if (fd >= 0 && !f)
        close(fd);
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        /* The tracker reads the file again at start: it must be a file. */
        snprintf(err, errlen, "%s: %s", path,
                 S_ISDIR(st.st_mode)
                     ? "is a directory, not a rules file"
                     : "not a regular file (a FIFO or device cannot be read twice)");
        fclose(f);
        return -1;
    }
    if (st.st_size > (off_t)HT_RULES_FILE_MAX) {
        snprintf(err, errlen, "%s: larger than 4 MiB", path);
        fclose(f);
        return -1;
    }
    size_t len = (size_t)st.st_size;
    char *text = malloc(len + 1);
    struct type_rule *rules = malloc(HT_RULES_MAX * sizeof *rules);
    size_t got = text ? fread(text, 1, len, f) : 0;
    int read_error = ferror(f);
    fclose(f);
    int rc = -1;
    if (!text || !rules) {
        snprintf(err, errlen, "%s: out of memory", path);
    } else if (read_error || got != len) {
        snprintf(err, errlen, "%s: read error", path);
    } else {
        unsigned bad_line = 0;
        const char *why = "?";
        int n = rules_parse(text, len, rules, HT_RULES_MAX, &bad_line, &why);
        if (n < 0) {
            snprintf(err, errlen, "%s:%u: %s", path, bad_line, why);
        } else {
            *nrules = n;
            rc = 0;
        }
    }
    free(text);
    free(rules);
    return rc;
}
