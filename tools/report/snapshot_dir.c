/* snapshot_dir.c — `heaptag report DIR`: the latest snapshot in a
 * directory (snapshot_dir.h).
 */
#include "report/snapshot_dir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The number of a snapshot file name, or -1. */
static long snapshot_number(const char *name)
{
    if (strncmp(name, "snapshot-", 9))
        return -1;
    char *end;
    long n = strtol(name + 9, &end, 10);
    if (end == name + 9 || strcmp(end, ".json") || n < 0)
        return -1;
    return n;
}

const char *ht_snapshot_resolve(const char *path, char *buf, size_t len, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return path;
    DIR *d = opendir(path);
    if (!d) {
        snprintf(err, errlen, "cannot open directory: %s", strerror(errno));
        return NULL;
    }
    long best = -1;
    char name[256] = "";
    struct dirent *e;
    while ((e = readdir(d))) {
        long n = snapshot_number(e->d_name);
        if (n > best && strlen(e->d_name) < sizeof name) {
            best = n;
            strcpy(name, e->d_name);
        }
    }
    closedir(d);
    if (best < 0) {
        snprintf(err, errlen, "no snapshot-N.json in this directory");
        return NULL;
    }
    if ((size_t)snprintf(buf, len, "%s/%s", path, name) >= len) {
        snprintf(err, errlen, "path too long");
        return NULL;
    }
    return buf;
}
