/* The program's PLT bound to the mode's own entry points.
 *
 * The exported malloc, free and realloc test the mode first: a compare
 * and a branch per call, and in exact mode a second jump.  The mode never
 * changes once tracker_early_init has settled it, so at start-up (our
 * constructor) the PLT entries the loader bound to those hooks, in every
 * module loaded then, are pointed at the mode's own entry points, the
 * hooks' branches for that mode alone (alloc_hooks.c, beside the hooks):
 * four instructions fewer a malloc/free pair in sampled mode (of
 * fourteen), six in exact mode.  GLOB_DAT entries (&malloc, and calls from
 * code built with -fno-plt) keep the exported hooks, so a function
 * pointer to malloc is the same in every module; modules loaded later
 * keep them too.  Both ways reach the same code, so only the cost differs
 * (docs/adr/0010-sampled-mode.md, Decision 1). */
#include "plt_bind.h"
#include "got_patch.h"
#include "next_alloc.h"
#include "sampling.h"

unsigned hooks_bind_plt(void)
{
    if (next_alloc_bypassed || HT_LOAD(&next_alloc_state) != 2)
        return 0;
    static const char *const names[] = {"malloc", "free", "realloc"};
    void *const sampled[] = {(void *)sampled_malloc, (void *)sampled_free, (void *)sampled_realloc};
    void *const exact[] = {(void *)malloc_exact, (void *)free_exact, (void *)realloc_exact};
    void *const from[] = {(void *)ht_hook_malloc, (void *)ht_hook_free, (void *)ht_hook_realloc};
    void *self = object_of((void *)sampled_malloc);
    if (!self)
        return 0;
    struct got_patch gp = {.names = names,
                           .to = HT_LOAD(&sample_mean) ? sampled : exact,
                           .from = from,
                           .n = 3,
                           .plt_only = 1,
                           .skip_base = (uintptr_t)self};
    return got_patch_loaded(&gp);
}
