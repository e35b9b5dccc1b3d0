/* Finding the next allocator at run time with dlsym(RTLD_NEXT, …).
 *
 * dlsym itself may allocate (glibc's dlerror state uses calloc), and it can
 * be reached from the very first malloc of the process, before any
 * constructor ran.  While this thread resolves, its allocations are served
 * from the bootstrap arena (bootstrap_heap.c); a thread that arrives while
 * another one resolves waits for it. */
#include "next_alloc.h"
#include "block_map.h"
#include "lifecycle.h"
#include "sampling.h"
#include "ht_common.h"
#include <dlfcn.h>
#include "dyn_lookup.h"
#include <link.h>
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

struct next_alloc next;
int next_is_glibc;
int next_alloc_state;
int next_alloc_bypassed;
static __thread int resolving_here;
static char provider[512] = "unknown";

static void *lookup(const char *name) { return dlsym(RTLD_NEXT, name); }

/* A function counts as the next allocator's own only if it lives in the
 * same object as its malloc: dlsym(RTLD_NEXT, "pvalloc") on top of jemalloc
 * finds glibc's pvalloc, whose blocks jemalloc's free must never see. */
static void *lookup_sibling(const char *name, void *malloc_fn)
{
    void *fn = lookup(name);
    if (!fn)
        return NULL;
    void *obj = object_of(fn);
    if (!obj || obj != object_of(malloc_fn))
        return NULL;
    return fn;
}

/* The loaded object that holds fn: its lowest mapped address (dladdr's
 * dli_fbase), and in *path, if asked, its file name or NULL.  dladdr would
 * say both, but it also searches the object's symbol table for the nearest
 * name: some 200,000 instructions per call in libc, paid eight times at
 * start-up (most of a sampled run's fixed cost).  _dl_find_object (glibc
 * 2.35) looks the address up in the loader's sorted table without a lock
 * or an allocation; it fails only before the loader has built that table,
 * and dladdr answers then, and for the program itself, whose link map has
 * no name (dladdr gives argv[0]). */
static void *locate_object(void *fn, const char **path)
{
    if (path)
        *path = NULL;
    if (!fn)
        return NULL;
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 35)
    struct dl_find_object found;
    if (_dl_find_object(fn, &found) == 0) {
        const struct link_map *lm = found.dlfo_link_map;
        if (!path)
            return found.dlfo_map_start;
        if (lm && lm->l_name && lm->l_name[0]) {
            *path = lm->l_name;
            return found.dlfo_map_start;
        }
    }
#endif
    Dl_info info;
    if (!dladdr(fn, &info))
        return NULL;
    if (path)
        *path = info.dli_fname;
    return info.dli_fbase;
}

void *object_of(void *fn) { return locate_object(fn, NULL); }

static const char *object_path(void *fn)
{
    const char *path;
    locate_object(fn, &path);
    return path;
}

/* The object whose malloc the program calls: the first object in the
 * global scope (load order: the program, LD_PRELOAD, then the libraries)
 * that defines malloc itself.  dlsym(RTLD_DEFAULT) cannot say: in a
 * program built without PIE (Debian's python3) it returns the program's
 * own PLT stub for malloc, which only jumps to the real one. */
static const struct link_map *serving_object(void)
{
    for (const struct link_map *lm = _r_debug.r_map; lm; lm = lm->l_next)
        if (dyn_lookup(lm, "malloc"))
            return lm;
    return NULL;
}

/* Resolve NEXT from the allocator that serves the program when that is
 * not ours: another allocator preloaded before us (jemalloc first in
 * LD_PRELOAD), or a program that defines malloc itself.  Every function we
 * export must then reach that allocator, never the one after us (glibc's
 * realloc on a jemalloc block aborts): where that allocator lacks one
 * (reallocarray, pvalloc on jemalloc), ours is built from its functions.
 * Returns 1 if the allocator serving the program is not ours. */
static int resolve_bypassed(struct next_alloc *n)
{
    const struct link_map *lm = serving_object();
    void *def = lm ? dyn_lookup(lm, "malloc") : NULL;
    if (!def || object_of(def) == object_of((void *)next_alloc_resolve))
        return 0;
    void *f;
    n->malloc = (void *(*)(size_t))def;
    if ((f = dyn_lookup(lm, "free")))
        n->free = (void (*)(void *))f;
    if ((f = dyn_lookup(lm, "calloc")))
        n->calloc = (void *(*)(size_t, size_t))f;
    if ((f = dyn_lookup(lm, "realloc")))
        n->realloc = (void *(*)(void *, size_t))f;
    if ((f = dyn_lookup(lm, "posix_memalign")))
        n->posix_memalign = (int (*)(void **, size_t, size_t))f;
    if ((f = dyn_lookup(lm, "malloc_usable_size")))
        n->usable_size = (size_t(*)(void *))f;
    n->aligned_alloc = (void *(*)(size_t, size_t))dyn_lookup(lm, "aligned_alloc");
    n->memalign = (void *(*)(size_t, size_t))dyn_lookup(lm, "memalign");
    n->valloc = (void *(*)(size_t))dyn_lookup(lm, "valloc");
    n->pvalloc = (void *(*)(size_t))dyn_lookup(lm, "pvalloc");
    return 1;
}

/* Enable next_usable_size's direct reading of glibc chunk headers only if
 * malloc comes from libc.so and the formula agrees with glibc's own
 * malloc_usable_size on heap and mmapped blocks.  The probes must leave the
 * program's heap as they found it: heap blocks above tcache's largest size
 * (1032 bytes) merge back into the top chunk when freed, where smaller ones
 * would stay cached at the heap's start and shift every block the program
 * makes after them; and an mmapped block above glibc's 32 MiB ceiling does
 * not raise its dynamic mmap threshold when freed, where a 5 MB one set it
 * to 5 MB for the rest of the run. */
static int check_glibc(const struct next_alloc *n)
{
    static const size_t sizes[] = {1100, 2000, 70000, 40u << 20};
    const char *path = object_path((void *)n->malloc);
    if (!path || !strstr(path, "/libc.so"))
        return 0;
    int agree = 1;
    for (unsigned i = 0; i < sizeof sizes / sizeof *sizes && agree; i++) {
        void *p = n->malloc(sizes[i]);
        if (!p)
            return 0;
        size_t header = ((const size_t *)p)[-1];
        size_t mine = (header & ~(size_t)7) - ((header & 2) ? 16 : 8);
        agree = mine == n->usable_size(p) && mine >= sizes[i];
        n->free(p);
    }
    return agree;
}

int next_alloc_resolve(void)
{
    int state = __atomic_load_n(&next_alloc_state, __ATOMIC_ACQUIRE);
    if (HT_LIKELY(state == 2))
        return 1;
    if (resolving_here)
        return 0;
    int expected = 0;
    if (!__atomic_compare_exchange_n(&next_alloc_state, &expected, 1, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        while (__atomic_load_n(&next_alloc_state, __ATOMIC_ACQUIRE) != 2)
            sched_yield();
        return 1;
    }
    int saved = errno;
    resolving_here = 1;
    struct next_alloc n;
    memset(&n, 0, sizeof n);
    n.malloc = (void *(*)(size_t))lookup("malloc");
    n.free = (void (*)(void *))lookup("free");
    n.calloc = (void *(*)(size_t, size_t))lookup("calloc");
    n.realloc = (void *(*)(void *, size_t))lookup("realloc");
    n.posix_memalign = (int (*)(void **, size_t, size_t))lookup("posix_memalign");
    n.usable_size = (size_t(*)(void *))lookup("malloc_usable_size");
    if (n.malloc) {
        void *m = (void *)n.malloc;
        n.aligned_alloc = (void *(*)(size_t, size_t))lookup_sibling("aligned_alloc", m);
        n.memalign = (void *(*)(size_t, size_t))lookup_sibling("memalign", m);
        n.valloc = (void *(*)(size_t))lookup_sibling("valloc", m);
        n.pvalloc = (void *(*)(size_t))lookup_sibling("pvalloc", m);
    }
    int bypassed = resolve_bypassed(&n);
    resolving_here = 0;
    errno = saved;
    if (!n.malloc || !n.free || !n.calloc || !n.realloc || !n.posix_memalign || !n.usable_size) {
        /* Without a complete allocator below us nothing can work; say why
         * with a raw write (no stdio here) and stop like a failed exec. */
        static const char msg[] = "heaptag: cannot find the next malloc/free "
                                  "with dlsym(RTLD_NEXT); is libheaptag.so "
                                  "loaded with LD_PRELOAD?\n";
        (void)!write(2, msg, sizeof msg - 1);
        _exit(127);
    }
    next = n;
    next_alloc_bypassed = bypassed;
    next_is_glibc = check_glibc(&n);
    /* The block map's form is settled before any hook can record a block
     * (the store below lets other threads in): it never changes after.
     * The flat form's 32-byte granule needs glibc's minimum chunk.
     * Sampled mode keeps no map of blocks: no reservation, and no
     * reading of /proc/self/smaps for its size in the report. */
    if (next_is_glibc && !sample_requested())
        addr_radix_reserve_flat(&block_cells, FLAT_AT_BLOCKS);
    __atomic_store_n(&next_alloc_state, 2, __ATOMIC_RELEASE);
    tracker_early_init();
    return 1;
}

void next_alloc_describe(void)
{
    const char *path = next.malloc ? object_path((void *)next.malloc) : NULL;
    if (path) {
        size_t n = strlen(path);
        if (n >= sizeof provider)
            n = sizeof provider - 1;
        memcpy(provider, path, n);
        provider[n] = 0;
    }
}

const char *next_alloc_provider(void) { return provider; }
