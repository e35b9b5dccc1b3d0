/* target_check.c — whether `heaptag attach` may and can load the
 * tracker into a process (target_check.h).
 *
 * Everything is read from /proc; the Yama setting is read from
 * /proc/sys/kernel/yama/ptrace_scope, or from the file HEAPTAG_YAMA_FILE
 * names (tests use it to play each setting).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach/target_check.h"

static int ptrace_scope(void)
{
    const char *path = getenv("HEAPTAG_YAMA_FILE");
    FILE *f = fopen(path && *path ? path : "/proc/sys/kernel/yama/ptrace_scope", "r");
    int v = 0;
    if (!f)
        return 0; /* no Yama: classic ptrace rules */
    if (fscanf(f, "%d", &v) != 1)
        v = 0;
    fclose(f);
    return v;
}

int target_permitted(pid_t pid, char *err, size_t errlen)
{
    char path[64];
    struct stat st;
    snprintf(path, sizeof path, "/proc/%d", (int)pid);
    if (kill(pid, 0) != 0 && errno == ESRCH) {
        snprintf(err, errlen, "no such process: %d", (int)pid);
        return -1;
    }
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "no such process: %d", (int)pid);
        return -1;
    }
    int root = geteuid() == 0;
    if (!root && st.st_uid != geteuid()) {
        snprintf(err, errlen, "not permitted: process %d belongs to another user (uid %d)",
                 (int)pid, (int)st.st_uid);
        return -1;
    }
    int scope = ptrace_scope();
    if (scope >= 3) {
        snprintf(err, errlen,
                 "not permitted: kernel.yama.ptrace_scope=3 forbids attaching to any process");
        return -1;
    }
    if (scope == 2 && !root) {
        snprintf(err, errlen, "not permitted: kernel.yama.ptrace_scope=2 lets only root attach");
        return -1;
    }
    if (scope == 1 && !root) {
        snprintf(err, errlen,
                 "not permitted: kernel.yama.ptrace_scope=1 lets only a parent attach "
                 "(run as root, or set it to 0)");
        return -1;
    }
    return 0;
}

int target_tracked(pid_t pid, char *err, size_t errlen)
{
    char path[64], line[4096];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, "/libheaptag.so") != NULL;
    fclose(f);
    return found;
}

static int maps_have(pid_t pid, const char *needle)
{
    char path[64], line[4096];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

int target_loadable(pid_t pid, char *err, size_t errlen)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    Elf64_Ehdr eh;
    int dynamic = 0, ok = pread(fd, &eh, sizeof eh, 0) == (ssize_t)sizeof eh &&
                          memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
                          eh.e_ident[EI_CLASS] == ELFCLASS64;
    for (int i = 0; ok && i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + (Elf64_Off)i * eh.e_phentsize)) !=
            (ssize_t)sizeof ph)
            break;
        dynamic |= ph.p_type == PT_INTERP;
    }
    close(fd);
    if (!ok) {
        snprintf(err, errlen, "process %d does not run a 64-bit ELF program", (int)pid);
        return -1;
    }
    if (!dynamic) {
        snprintf(err, errlen,
                 "process %d is statically linked: no dynamic loader to load the tracker with",
                 (int)pid);
        return -1;
    }
    if (!maps_have(pid, "/libc.so.6")) {
        snprintf(err, errlen, "process %d does not use glibc's libc.so.6", (int)pid);
        return -1;
    }
    return 0;
}
