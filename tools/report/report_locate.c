/* See report_locate.h. */
#include "report/report_locate.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int ht_template_match(const char *pat, const char *s, const char *pid)
{
    while (*pat) {
        if (pat[0] == '%' && pat[1] == 'e') {
            /* The program name may itself contain dots, so try
			 * every split; names are short, this stays cheap. */
            size_t len = strlen(s);
            for (size_t n = 1; n <= len; n++)
                if (ht_template_match(pat + 2, s + n, pid))
                    return 1;
            return 0;
        }
        if (pat[0] == '%' && pat[1] == 'p') {
            if (pid) {
                size_t l = strlen(pid);
                if (strncmp(s, pid, l))
                    return 0;
                s += l;
            } else {
                if (!isdigit((unsigned char)*s))
                    return 0;
                while (isdigit((unsigned char)*s))
                    s++;
            }
            pat += 2;
            continue;
        }
        if (pat[0] == '%' && pat[1] == '%') {
            if (*s != '%')
                return 0;
            pat += 2;
            s++;
            continue;
        }
        if (*pat != *s)
            return 0;
        pat++;
        s++;
    }
    return *s == '\0';
}

/* Expand the directory part of a template: %p and %% only. */
static char *expand_dir(const char *dir, const char *pid, char *err, size_t errlen)
{
    size_t cap = strlen(dir) * 2 + 32, n = 0;
    char *out = malloc(cap);
    if (!out) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    for (const char *p = dir; *p; p++) {
        if (p[0] == '%' && p[1] == 'p') {
            n += (size_t)snprintf(out + n, cap - n, "%s", pid);
            p++;
        } else if (p[0] == '%' && p[1] == '%') {
            out[n++] = '%';
            p++;
        } else if (p[0] == '%' && p[1] == 'e') {
            snprintf(err, errlen,
                     "cannot locate the report: HEAPTAG_OUT has %%e in its directory part");
            free(out);
            return NULL;
        } else {
            out[n++] = *p;
        }
        if (n + 24 >= cap) {
            char *bigger = realloc(out, cap *= 2);
            if (!bigger) {
                free(out);
                snprintf(err, errlen, "out of memory");
                return NULL;
            }
            out = bigger;
        }
    }
    out[n] = '\0';
    return out;
}

int ht_report_locate(const char *template, const char *cwd, pid_t pid, const struct timespec *since,
                     char **found, char *err, size_t errlen)
{
    *found = NULL;
    char pidbuf[24];
    snprintf(pidbuf, sizeof pidbuf, "%d", (int)pid);

    char *full;
    if (template[0] == '/')
        full = strdup(template);
    else if (asprintf(&full, "%s/%s", cwd, template) < 0)
        full = NULL;
    if (!full) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    char *slash = strrchr(full, '/');
    *slash = '\0';
    const char *base = slash + 1;
    char *dir = expand_dir(*full ? full : "/", pidbuf, err, errlen);
    if (!dir) {
        free(full);
        return -1;
    }
    DIR *d = opendir(dir);
    struct timespec best = {0, 0};
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!ht_template_match(base, e->d_name, pidbuf))
                continue;
            char *path;
            if (asprintf(&path, "%s/%s", dir, e->d_name) < 0)
                continue;
            struct stat st;
            int newer =
                stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
                (st.st_mtim.tv_sec > since->tv_sec ||
                 (st.st_mtim.tv_sec == since->tv_sec && st.st_mtim.tv_nsec >= since->tv_nsec));
            int better =
                newer && (!*found || st.st_mtim.tv_sec > best.tv_sec ||
                          (st.st_mtim.tv_sec == best.tv_sec && st.st_mtim.tv_nsec > best.tv_nsec));
            if (better) {
                free(*found);
                *found = path;
                best = st.st_mtim;
            } else {
                free(path);
            }
        }
        closedir(d);
    }
    free(dir);
    free(full);
    return 0;
}
