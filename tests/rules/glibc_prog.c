/* Calls into the parts of glibc that allocate on their own behalf, one part per phase.
 *
 * glibc_prog.c — calls into the parts of glibc that allocate on their own
 * behalf, one part per phase, so tests/rules/test-glibc.sh can check that
 * profiler/rules/glibc.rules puts each part's blocks in its type:
 *
 *   stdio   fopen + fprintf + fclose of a scratch file: the FILE and its
 *           buffer (2 blocks), and stdout's buffer on the first printf
 *   locale  setlocale(LC_ALL, "C.UTF-8") and back to "C"
 *   dlopen  dlopen + dlsym + dlclose of libz.so.1
 *   getline getline over a 3-line file: one line buffer, grown by realloc
 *   regex   regcomp + regexec + regfree of one pattern
 *   nss     getpwnam("root")
 *   qsort   qsort of 100,000 ints: one temporary buffer
 *   strdup  strdup and strndup: one block each
 *
 * Built without tagging and without -rdynamic: the rules name glibc's
 * functions only.  The program's own blocks (none) would be "untagged".
 */
#include <dlfcn.h>
#include <locale.h>
#include <pwd.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: glibc-prog SCRATCH-FILE\n");
        return 2;
    }
    const char *path = argv[1];

    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return 1;
    }
    fprintf(f, "first line\nsecond line, a little longer than the first\nthird\n");
    fclose(f);
    printf("stdio done\n");

    if (!setlocale(LC_ALL, "C.UTF-8"))
        printf("no C.UTF-8 locale\n");
    setlocale(LC_ALL, "C");

    void *z = dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!z) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    const char *(*zver)(void) = (const char *(*)(void))dlsym(z, "zlibVersion");
    printf("zlib %s\n", zver ? zver() : "?");
    dlclose(z);

    f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    int lines = 0;
    while (getline(&line, &cap, f) > 0)
        lines++;
    free(line);
    fclose(f);
    printf("%d lines\n", lines);

    regex_t re;
    if (regcomp(&re, "^([a-z]+) ([0-9]+)$", REG_EXTENDED) != 0)
        return 1;
    printf("regex %s\n", regexec(&re, "abc 123", 0, NULL, 0) == 0 ? "matches" : "does not match");
    regfree(&re);

    struct passwd *pw = getpwnam("root");
    printf("root uid %d\n", pw ? (int)pw->pw_uid : -1);

    enum { NINTS = 100000 };
    static int v[NINTS];
    for (int i = 0; i < NINTS; i++)
        v[i] = (i * 7919) % NINTS;
    qsort(v, NINTS, sizeof v[0], cmp_int);
    printf("qsort %d %d\n", v[0], v[NINTS - 1]);

    char *a = strdup("strdup");
    char *b = strndup("strndup and more", 7);
    printf("%s %s\n", a, b);
    free(a);
    free(b);
    return 0;
}
