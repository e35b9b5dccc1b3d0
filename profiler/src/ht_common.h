/* Shared definitions of the tracker's internals.
 *
 * Rules that hold in every file of profiler/src (the library runs inside
 * other people's programs, between them and their allocator):
 *  - Never call malloc and friends, directly or through stdio, qsort,
 *    strerror, getpwnam …: the call would re-enter our own hooks.  Memory for
 *    bookkeeping comes from mmap (os_mem.c).
 *  - Thread-local variables use the initial-exec model (set for the whole
 *    library in profiler.mk): the general-dynamic model may call malloc on
 *    first access from a new thread.
 *  - Everything the report writer touches is async-signal-safe, because a
 *    report can be written from a signal handler (SIGUSR2, SIGTERM).
 *  - errno is preserved across our own work: the program sees the errno the
 *    allocator set, and no other.
 */
#ifndef HT_COMMON_H
#define HT_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <sched.h>

#define HT_LIKELY(x) __builtin_expect(!!(x), 1)
#define HT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define HT_EXPORT __attribute__((visibility("default")))
/* On declarations of the library's own globals: -fvisibility=hidden covers
 * only definitions, and without this every hot-path access to a counter
 * would go through the GOT. */
#define HT_HIDDEN __attribute__((visibility("hidden")))

/* Type ids: 0 is "no type", 1 is the type of blocks outside any scope. */
#define HT_TYPE_NONE 0u
#define HT_TYPE_UNTAGGED 1u
#define HT_MAX_TYPES 4096u

/* Relaxed atomics: every counter is only ever summed or compared, never used
 * to order other memory accesses. */
#define HT_LOAD(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define HT_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)

/* What the tracker knows of a live block. */
struct block_record {
    uint32_t type;
    uint64_t requested;
};

/* A tiny spinlock for the rare slow paths (type registration, the overflow
 * table).  Not a pthread mutex: it must be usable before libpthread state is
 * set up and must never allocate.  Contention is rare (slow paths only), so
 * a yield after a short spin is enough; sched_yield is a plain syscall. */
typedef struct {
    int locked;
} ht_spinlock;

static inline void ht_spin_lock(ht_spinlock *l)
{
    for (unsigned spins = 0;; spins++) {
        if (!__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
            return;
        /* Spin about 20 microseconds (a gate's slow path can hold the lock
         * across a membarrier(2) call) before yielding: on a loaded
         * machine sched_yield hands the core to another process for a
         * whole time slice, which cost threads 15-40 ms per run. */
        while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
            if (++spins > 1024)
                sched_yield();
            else
                __builtin_ia32_pause();
        }
    }
}

static inline void ht_spin_unlock(ht_spinlock *l)
{
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
