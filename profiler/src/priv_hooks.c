/* setuid and friends: the report is opened before a process gives up its
 * user id.
 *
 * When a process gives up its user id (a server's workers switching from
 * root to nobody), the report path is opened first, while the process may
 * still create it (report_hold in report.c).  The calls
 * themselves are libc's, unchanged; errno is whatever they set. */
#include "ht_common.h"
#include "report.h"
#include <dlfcn.h>
#include <errno.h>
#include <sys/types.h>
#include <unistd.h>

/* libc's function NAME (dlsym does not allocate here: the allocator is
 * resolved long before a program changes its ids). */
static void *libc_fn(void **cache, const char *name)
{
    void *fn = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
    if (!fn) {
        fn = dlsym(RTLD_NEXT, name);
        __atomic_store_n(cache, fn, __ATOMIC_RELEASE);
    }
    return fn;
}

static void before_switch(uid_t new_euid)
{
    if (new_euid == (uid_t)-1 || new_euid == geteuid())
        return;
    int saved = errno;
    report_hold();
    errno = saved;
}

#define NOSYS_IF_MISSING(fn) \
    if (!(fn)) {             \
        errno = ENOSYS;      \
        return -1;           \
    }

HT_EXPORT int setuid(uid_t uid)
{
    static void *cache;
    int (*fn)(uid_t) = (int (*)(uid_t))libc_fn(&cache, "setuid");
    NOSYS_IF_MISSING(fn);
    before_switch(uid);
    return fn(uid);
}

HT_EXPORT int seteuid(uid_t euid)
{
    static void *cache;
    int (*fn)(uid_t) = (int (*)(uid_t))libc_fn(&cache, "seteuid");
    NOSYS_IF_MISSING(fn);
    before_switch(euid);
    return fn(euid);
}

HT_EXPORT int setreuid(uid_t ruid, uid_t euid)
{
    static void *cache;
    int (*fn)(uid_t, uid_t) = (int (*)(uid_t, uid_t))libc_fn(&cache, "setreuid");
    NOSYS_IF_MISSING(fn);
    before_switch(euid);
    return fn(ruid, euid);
}

HT_EXPORT int setresuid(uid_t ruid, uid_t euid, uid_t suid)
{
    static void *cache;
    int (*fn)(uid_t, uid_t, uid_t) = (int (*)(uid_t, uid_t, uid_t))libc_fn(&cache, "setresuid");
    NOSYS_IF_MISSING(fn);
    before_switch(euid);
    return fn(ruid, euid, suid);
}
