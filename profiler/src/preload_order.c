/* Putting libheaptag.so first in LD_PRELOAD, by exec (preload_order.h).
 *
 * Runs in our constructor, before main; nothing here allocates from the
 * heap (the new environment lives in a mapping), because the allocator in
 * front of us is not one we may call into while rearranging its place. */
#include "preload_order.h"
#include "next_alloc.h"
#include <link.h>
#include "os_mem.h"
#include "text_buf.h"
#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

/* glibc splits LD_PRELOAD at spaces and colons. */
static int is_sep(char c) { return c == ' ' || c == ':'; }

/* The entry of LD_PRELOAD at or after *pos: its length (0 at the end),
 * its start in *start; *pos moves past it. */
static size_t next_entry(const char *s, size_t len, size_t *pos, size_t *start)
{
    size_t i = *pos;
    while (i < len && is_sep(s[i]))
        i++;
    *start = i;
    while (i < len && !is_sep(s[i]))
        i++;
    *pos = i;
    return i - *start;
}

static int same_file(const char *a, size_t alen, const struct stat *want)
{
    char path[PATH_MAX];
    struct stat st;
    if (alen >= sizeof path)
        return 0;
    memcpy(path, a, alen);
    path[alen] = 0;
    return stat(path, &st) == 0 && st.st_dev == want->st_dev && st.st_ino == want->st_ino;
}

const char *preload_put_first(char **argv, char **envp)
{
    const char *pre = getenv("LD_PRELOAD");
    Dl_info self;
    struct stat self_st;
    if (!pre || !argv || !envp || !argv[0])
        return "libheaptag.so was not loaded by LD_PRELOAD";
    if (getauxval(AT_SECURE))
        return "the program runs with raised privileges";
    if (!dladdr((void *)preload_put_first, &self) || !self.dli_fname ||
        stat(self.dli_fname, &self_st) != 0)
        return "cannot find libheaptag.so's own file";
    /* A program started as `ld.so PROG` cannot be re-run from
     * /proc/self/exe (that is ld.so itself). */
    char exe[PATH_MAX];
    ssize_t exe_len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (exe_len <= 0)
        return "cannot read /proc/self/exe";
    exe[exe_len] = 0;
    const char *base = strrchr(exe, '/');
    base = base ? base + 1 : exe;
    if (strncmp(base, "ld-", 3) == 0 || strncmp(base, "ld.so", 5) == 0)
        return "the program was started through the dynamic loader";

    /* Find our entry; it must not already be the first one. */
    size_t len = strlen(pre), ours_at = 0, ours_len = 0, pos = 0, start, n;
    int index = 0, found = -1;
    while ((n = next_entry(pre, len, &pos, &start))) {
        if (found < 0 && same_file(pre + start, n, &self_st)) {
            found = index;
            ours_at = start;
            ours_len = n;
        }
        index++;
    }
    if (found < 0)
        return "libheaptag.so is not named in LD_PRELOAD";
    if (found == 0)
        return "the program defines malloc itself";

    size_t nenv = 0;
    while (envp[nenv])
        nenv++;
    size_t bytes = (nenv + 1) * sizeof(char *) + sizeof "LD_PRELOAD=" + len + 2;
    char **env = os_mem_map(bytes);
    if (!env)
        return "out of memory";
    char *value = (char *)(env + nenv + 1);
    struct text_buf b = TEXT_BUF(value, sizeof "LD_PRELOAD=" + len + 2);
    tb_str(&b, "LD_PRELOAD=");
    tb_mem(&b, pre + ours_at, ours_len);
    for (pos = 0; (n = next_entry(pre, len, &pos, &start));) {
        if (start == ours_at)
            continue;
        tb_char(&b, ':');
        tb_mem(&b, pre + start, n);
    }
    tb_cstr(&b);
    for (size_t i = 0; i < nenv; i++)
        env[i] = strncmp(envp[i], "LD_PRELOAD=", 11) == 0 ? value : envp[i];
    env[nenv] = NULL;
    execve("/proc/self/exe", argv, env);
    os_mem_unmap(env, bytes);
    return "exec failed";
}

struct link_order {
    uintptr_t self, libc;
    int self_at, libc_at, index;
};

static int note_order(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct link_order *o = arg;
    (void)size;
    if (info->dlpi_addr == o->self)
        o->self_at = o->index;
    if (info->dlpi_addr == o->libc)
        o->libc_at = o->index;
    o->index++;
    return 0;
}

int preload_loaded_late(void)
{
    /* object_of, not dladdr: dladdr would search libc's symbol table for
     * getpid's name, some 200,000 instructions at every start. */
    void *self = object_of((void *)preload_loaded_late), *libc = object_of((void *)getpid);
    if (!self || !libc)
        return 0;
    struct link_order o = {(uintptr_t)self, (uintptr_t)libc, -1, -1, 0};
    /* dlpi_addr is the load bias; for a shared object it equals the base. */
    dl_iterate_phdr(note_order, &o);
    return o.self_at >= 0 && o.libc_at >= 0 && o.self_at > o.libc_at;
}
