/* static_elf.c — see static_elf.h.  Reads the ELF program headers with
 * plain reads (a PT_INTERP entry names the dynamic loader). */
#include "static_elf.h"

#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int elf_is_static(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return -1;
    Elf64_Ehdr eh;
    int rc = -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh ||
        memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > 4096)
        goto out;
    rc = 1;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + i * sizeof ph)) != (ssize_t)sizeof ph) {
            rc = -1;
            break;
        }
        if (ph.p_type == PT_INTERP) {
            rc = 0;
            break;
        }
    }
out:
    close(fd);
    return rc;
}

int ht_program_is_static(const char *program)
{
    if (strchr(program, '/'))
        return elf_is_static(program);
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;; p++) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char cand[PATH_MAX];
        if (snprintf(cand, sizeof cand, "%.*s/%s", (int)n, n ? p : ".", program) <
                (int)sizeof cand &&
            access(cand, X_OK) == 0)
            return elf_is_static(cand);
        if (!end)
            return -1;
        p = end;
    }
}
