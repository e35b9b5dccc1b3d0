/* The registry of per-thread records (acct_thread.h). */
#include "acct_thread.h"
#include "os_mem.h"
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

struct acct_thread *acct_threads[ACCT_MAX_THREADS];
__thread struct acct_thread *acct_self;
static uint32_t count;
static ht_spinlock lock;
/* Past this many records, a new thread first looks for an exited one. */
#define REUSE_FROM 64

uint32_t acct_count(void) { return __atomic_load_n(&count, __ATOMIC_ACQUIRE); }

/* Whether the thread that owned t has exited.  A tid the kernel no longer
 * knows, or our own (reused after the owner exited), means it has; a tid
 * reused by another live thread keeps the record, which is only wasteful. */
static int owner_gone(const struct acct_thread *t, int me)
{
    if (t->tid == me)
        return 1;
    int saved = errno;
    long rc = syscall(SYS_tgkill, getpid(), t->tid, 0);
    int gone = rc != 0 && errno == ESRCH;
    errno = saved;
    return gone;
}

struct acct_thread *acct_register(void)
{
    int me = (int)syscall(SYS_gettid);
    struct acct_thread *t = NULL;
    ht_spin_lock(&lock);
    uint32_t n = count;
    if (n >= REUSE_FROM)
        for (uint32_t i = 0; i < n && !t; i++)
            if (acct_threads[i]->tid != 0 && owner_gone(acct_threads[i], me))
                t = acct_threads[i];
    if (t) {
        __atomic_store_n(&t->tid, me, __ATOMIC_RELAXED);
    } else if (n < ACCT_MAX_THREADS && (t = os_mem_map(sizeof *t)) != NULL) {
        t->tid = me;
        __atomic_store_n(&acct_threads[n], t, __ATOMIC_RELEASE);
        __atomic_store_n(&count, n + 1, __ATOMIC_RELEASE);
    }
    ht_spin_unlock(&lock);
    acct_self = t;
    return t;
}

struct acct_site *acct_site_slow(struct acct_thread *me, uint32_t id)
{
    size_t bytes = sizeof(struct acct_site) << ACCT_SITE_CHUNK_BITS;
    struct acct_site *c = os_mem_map(bytes);
    if (!c)
        return NULL;
    __atomic_store_n(&me->sites[id >> ACCT_SITE_CHUNK_BITS], c, __ATOMIC_RELEASE);
    return &c[id & ((1u << ACCT_SITE_CHUNK_BITS) - 1)];
}

uint64_t acct_resident_bytes(void)
{
    uint64_t total = 0;
    uint32_t n = acct_count();
    for (uint32_t i = 0; i < n; i++) {
        struct acct_thread *t = acct_threads[i];
        total += os_mem_resident(t, sizeof *t);
        for (unsigned c = 0; c < ACCT_SITE_CHUNKS; c++) {
            struct acct_site *s = __atomic_load_n(&t->sites[c], __ATOMIC_ACQUIRE);
            if (s)
                total += os_mem_resident(s, sizeof *s << ACCT_SITE_CHUNK_BITS);
        }
    }
    return total;
}
