/* Rewriting the GOT entries of loaded modules (got_patch.c).
 *
 * Used by `heaptag attach` (every entry of the malloc family, in every
 * module) and by sampled mode (the PLT entries of malloc, free and realloc
 * that the loader bound to our exported hooks, sent to hooks that skip the
 * mode test).  Nothing here allocates; each store is one aligned 8-byte
 * write, so a thread calling through an entry while it changes sees the
 * old or the new function, both whole. */
#ifndef HT_GOT_PATCH_H
#define HT_GOT_PATCH_H
#include <stdint.h>

struct got_patch {
    const char *const *names; /* the symbols whose entries change */
    void *const *to;          /* the function each name's entries get */
    /* When set, an entry changes only if it holds from[i] already or is
     * not bound yet (it points into its own module: a lazy PLT stub). */
    void *const *from;
    unsigned n;
    int plt_only;        /* JUMP_SLOT entries only: GLOB_DAT ones give &malloc */
    uintptr_t skip_base; /* a module left alone (ours) */
};

/* Patch every module loaded now but ld.so, the vDSO and SKIP_BASE's.
 * Returns the number of entries changed.  Takes the loader's lock
 * (dl_iterate_phdr): not from inside a malloc the loader may have called. */
unsigned got_patch_loaded(const struct got_patch *gp);
#endif
