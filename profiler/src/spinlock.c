/* The spinlock of ht_common.h.  Contention is rare (slow paths only), so a
 * yield after a short spin is enough; sched_yield is a plain syscall. */
#include "ht_common.h"
#include <sched.h>

void ht_spin_lock(ht_spinlock *l)
{
    for (unsigned spins = 0;; spins++) {
        if (!__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
            return;
        while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
            if (++spins > 64)
                sched_yield();
            else
                __builtin_ia32_pause();
        }
    }
}

void ht_spin_unlock(ht_spinlock *l)
{
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}
