/* When another allocator comes before us in LD_PRELOAD, the program's
 * malloc never reaches our hooks.
 *
 * The constructor then runs the program again with libheaptag.so moved to
 * the front of LD_PRELOAD (same pid, argv and environment otherwise),
 * where our hooks count every allocation and forward to that same
 * allocator. */
#ifndef HT_PRELOAD_ORDER_H
#define HT_PRELOAD_ORDER_H

/* Re-execute the program with libheaptag.so first in LD_PRELOAD.  Returns
 * only if that is not possible (heaptag is not in LD_PRELOAD or already
 * first, the program runs through ld.so or setuid, /proc is missing, exec
 * failed), with a short reason for the warning line. */
const char *preload_put_first(char **argv, char **envp);

/* 1 when libheaptag.so was loaded after libc (dlopen'ed by the program, or
 * by `heaptag attach`), not at start-up (LD_PRELOAD, ld.so --preload): a
 * preloaded object always comes before the libc it interposes in the
 * link map.  Nothing here allocates. */
int preload_loaded_late(void);
#endif
