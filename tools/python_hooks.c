/* python_hooks.c — the CPython hooks' folder put on PYTHONPATH for
 * `heaptag run --python` (python_hooks.h).
 *
 * The folder holds sitecustomize.py and the _heaptag_pymem extension
 * (python/heaptag_pymem/): Python's site module imports sitecustomize
 * from PYTHONPATH before the program's first line, and it installs the
 * PyMem hooks, then runs the sitecustomize it shadows.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "python_hooks.h"

int ht_python_env(const char *tracker, char *err, size_t errlen)
{
    char dir[PATH_MAX + 32];
    const char *slash = strrchr(tracker, '/');
    int len = slash ? (int)(slash - tracker) : 0;
    snprintf(dir, sizeof dir, "%.*s/heaptag/python", len, tracker);
    char boot[PATH_MAX + 64];
    snprintf(boot, sizeof boot, "%s/sitecustomize.py", dir);
    if (access(boot, R_OK) != 0) {
        snprintf(err, errlen, "--python: cannot find the CPython hooks at %s: %s", boot,
                 strerror(errno));
        return -1;
    }
    const char *old = getenv("PYTHONPATH");
    char *path;
    if (old && *old) {
        if (asprintf(&path, "%s:%s", dir, old) < 0)
            return snprintf(err, errlen, "--python: out of memory"), -1;
    } else if (!(path = strdup(dir))) {
        return snprintf(err, errlen, "--python: out of memory"), -1;
    }
    int rc = setenv("PYTHONPATH", path, 1);
    free(path);
    if (rc != 0)
        snprintf(err, errlen, "--python: out of memory");
    return rc;
}
