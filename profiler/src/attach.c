/* Tracking a process that is already running (`heaptag attach PID`, see
 * docs/attach.md).
 *
 * The command loads this library with dlopen from gdb and calls
 * heaptag_attach_start().  A library loaded late is not interposed: every
 * module keeps calling the malloc its GOT names.  So, as heaptrack's
 * inject mode does, heaptag_attach_start rewrites the GOT entries of the
 * malloc family in every loaded module (got_patch.c), and of dlopen,
 * whose replacement does the same for the modules each later dlopen
 * brings.
 *
 * Blocks allocated before are unknown to the block map: their frees and
 * reallocs count in foreign_free_calls, never against a type. */
#include "attach.h"
#include "got_patch.h"
#include "lifecycle.h"
#include "hot_path.h"
#include "ht_common.h"
#include "report.h"
#include "rules.h"
#include "settings.h"
#include "stack_capture.h"
#include <dlfcn.h>
#include <link.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t attached_unix_ms;
static uintptr_t self_base;
static void *(*real_dlopen)(const char *, int);
static char rules_copy[HT_PATH_MAX];

static void *attach_dlopen(const char *file, int mode);

/* The malloc family, dlopen, and heaptag.h's API: a program built with
 * the tagging API resolved its weak references to NULL at start, and its
 * scopes count from the attach on once they point at us.  A scope opened
 * before the attach and closed after is a pop without a push: ignored. */
static const char *const hooked[] = {
    "malloc",
    "free",
    "calloc",
    "realloc",
    "reallocarray",
    "posix_memalign",
    "aligned_alloc",
    "memalign",
    "valloc",
    "pvalloc",
    "dlopen",
    "heaptag_push",
    "heaptag_pop",
    "heaptag_retag",
    "heaptag_instance_new",
    "heaptag_instance_free",
    "heaptag_dump",
    "heaptag_block_alloc",
    "heaptag_block_realloc",
    "heaptag_block_free",
};
#define NHOOKED (sizeof hooked / sizeof *hooked)
static void *replacement[NHOOKED];

/* Our own definitions, looked up in our own object: &malloc here would
 * name the process's malloc, which comes first in the global scope. */
static int find_replacements(void)
{
    Dl_info info;
    if (!dladdr((void *)&find_replacements, &info) || !info.dli_fname)
        return -1;
    self_base = (uintptr_t)info.dli_fbase;
    void *self = dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD);
    if (!self)
        return -1;
    for (unsigned i = 0; i < NHOOKED; i++)
        replacement[i] =
            strcmp(hooked[i], "dlopen") == 0 ? (void *)attach_dlopen : dlsym(self, hooked[i]);
    real_dlopen = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
    dlclose(self);
    for (unsigned i = 0; i < NHOOKED; i++)
        if (!replacement[i])
            return -1;
    return real_dlopen ? 0 : -1;
}

/* Every entry of the malloc family and the API, in every module but ours. */
static void patch_all(void)
{
    struct got_patch gp = {
        .names = hooked, .to = replacement, .n = NHOOKED, .skip_base = self_base};
    got_patch_loaded(&gp);
}

/* dlopen searches a bare name in its caller's DT_RUNPATH (or DT_RPATH),
 * with $ORIGIN its caller's folder, and through this wrapper the caller is
 * the tracker, which has neither.  So the wrapper searches the true
 * caller's path itself: FULL gets the first existing DIR/FILE.  No
 * allocation: the loader's in-memory dynamic section and stack buffers. */
static int caller_search(void *caller, const char *file, char *full, size_t cap)
{
    Dl_info info;
    struct link_map *lm = NULL;
    if (!dladdr1(caller, &info, (void **)&lm, RTLD_DL_LINKMAP) || !lm || !lm->l_ld)
        return 0;
    const char *strtab = NULL;
    uintptr_t path_off = 0;
    int have_path = 0;
    for (const ElfW(Dyn) *d = lm->l_ld; d->d_tag != DT_NULL; d++) {
        if (d->d_tag == DT_STRTAB)
            strtab = (const char *)(d->d_un.d_ptr < lm->l_addr ? d->d_un.d_ptr + lm->l_addr
                                                               : d->d_un.d_ptr);
        else if (d->d_tag == DT_RUNPATH || (d->d_tag == DT_RPATH && !have_path)) {
            path_off = d->d_un.d_val;
            have_path = 1;
        }
    }
    if (!strtab || !have_path)
        return 0;
    char origin[HT_PATH_MAX];
    const char *name = lm->l_name && *lm->l_name ? lm->l_name : NULL;
    ssize_t n;
    if (name) {
        n = (ssize_t)strlen(name);
        if (n >= (ssize_t)sizeof origin)
            return 0;
        memcpy(origin, name, (size_t)n + 1);
    } else if ((n = readlink("/proc/self/exe", origin, sizeof origin - 1)) > 0) {
        origin[n] = 0;
    } else {
        return 0;
    }
    char *slash = strrchr(origin, '/');
    if (slash)
        *slash = 0;
    for (const char *p = strtab + path_off; *p;) {
        size_t len = strcspn(p, ":"), j = 0;
        for (size_t i = 0; i < len && j + 1 < cap; i++) {
            const char *tok = !strncmp(p + i, "${ORIGIN}", 9) ? "${ORIGIN}"
                              : !strncmp(p + i, "$ORIGIN", 7) ? "$ORIGIN"
                                                              : NULL;
            if (tok && i + strlen(tok) <= len) {
                size_t o = strlen(origin);
                if (j + o + 1 >= cap)
                    return 0;
                memcpy(full + j, origin, o);
                j += o;
                i += strlen(tok) - 1;
            } else {
                full[j++] = p[i];
            }
        }
        size_t f = strlen(file);
        if (j && j + f + 2 < cap) {
            full[j++] = '/';
            memcpy(full + j, file, f + 1);
            if (access(full, F_OK) == 0)
                return 1;
        }
        p += len + (p[len] == ':');
    }
    return 0;
}

/* Modules a later dlopen brings (and their dependencies) get the same
 * treatment; modules patched before are skipped entry by entry. */
static void *attach_dlopen(const char *file, int mode)
{
    char full[HT_PATH_MAX];
    void *h = NULL;
    if (file && !strchr(file, '/') &&
        caller_search(__builtin_return_address(0), file, full, sizeof full))
        h = real_dlopen(full, mode);
    if (!h)
        h = real_dlopen(file, mode);
    if (h)
        patch_all();
    return h;
}

void attach_emit(struct text_buf *b)
{
    int64_t t = HT_LOAD(&attached_unix_ms);
    if (!t)
        return;
    tb_str(b, ",\"attached_unix_ms\":");
    tb_i64(b, t);
}

/* Called once by `heaptag attach` through gdb, on one thread of the
 * stopped process.  OUT: the report path template (absolute), or NULL;
 * RULES: a rules file, or NULL; DEPTH: stack depth (0: stacks off unless
 * RULES).  Returns 0, 1 if already attached, -1 if the process's
 * allocator cannot be redirected. */
HT_EXPORT int heaptag_attach_start(const char *out, const char *rules, int depth)
{
    if (HT_LOAD(&attached_unix_ms))
        return 1;
    if (find_replacements() != 0)
        return -1;
    if (out && *out && !template_problem(out) && strlen(out) < sizeof settings.out_template)
        memcpy(settings.out_template, out, strlen(out) + 1);
    if (rules && *rules && strlen(rules) < sizeof rules_copy) {
        memcpy(rules_copy, rules, strlen(rules) + 1);
        settings.rules_path = rules_copy;
        rules_load(rules_copy);
        if (depth <= 0)
            depth = 32;
    }
    if (depth > 0)
        stack_capture_init(depth);
    hot_path_settle(); /* stacks may be on now: the hot path must know */
    report_mark_start();
    lifecycle_sigusr2_for_attach();
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    HT_STORE(&attached_unix_ms, (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000);
    patch_all();
    return 0;
}
