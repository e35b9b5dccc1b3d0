/* C++ operator new and delete, every variant (plain, nothrow, aligned,
 * sized, arrays).
 *
 * libstdc++'s operators call malloc and free, which our hooks count
 * already: then these wrappers only forward.  An allocator that defines
 * the operators itself (jemalloc does) does not call malloc from them all,
 * so a C++ program would vanish from the report: when the next operator
 * lives in the same object as the next malloc, the operators are built
 * from our own malloc/posix_memalign/free hooks instead, which reach the
 * same allocator and count each block once.  Only when that fails is the
 * allocator's operator called, for its new_handler loop and its
 * std::bad_alloc (the wrapper is built with -fexceptions and has nothing
 * to clean up).  The next operator is looked up on first use (a C++
 * library may be dlopen()ed long after we started) and cached; dlsym may
 * allocate, which our malloc serves. */
#include "ht_common.h"
#include "next_alloc.h"
#include "scope_stack.h"
#include "type_registry.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

void *ht_op_new(size_t size, size_t align);
void ht_op_delete(void *p);
void *ht_op_adopt(void *p, size_t size);

enum op {
    NEW,
    NEW_NT,
    NEW_AL,
    NEW_AL_NT,
    NEWA,
    NEWA_NT,
    NEWA_AL,
    NEWA_AL_NT,
    DEL,
    DEL_NT,
    DEL_AL,
    DEL_AL_NT,
    DEL_SZ,
    DEL_SZ_AL,
    DELA,
    DELA_NT,
    DELA_AL,
    DELA_AL_NT,
    DELA_SZ,
    DELA_SZ_AL,
    NOPS
};

static const char *const op_names[NOPS] = {
    "_Znwm",
    "_ZnwmRKSt9nothrow_t",
    "_ZnwmSt11align_val_t",
    "_ZnwmSt11align_val_tRKSt9nothrow_t",
    "_Znam",
    "_ZnamRKSt9nothrow_t",
    "_ZnamSt11align_val_t",
    "_ZnamSt11align_val_tRKSt9nothrow_t",
    "_ZdlPv",
    "_ZdlPvRKSt9nothrow_t",
    "_ZdlPvSt11align_val_t",
    "_ZdlPvSt11align_val_tRKSt9nothrow_t",
    "_ZdlPvm",
    "_ZdlPvmSt11align_val_t",
    "_ZdaPv",
    "_ZdaPvRKSt9nothrow_t",
    "_ZdaPvSt11align_val_t",
    "_ZdaPvSt11align_val_tRKSt9nothrow_t",
    "_ZdaPvm",
    "_ZdaPvmSt11align_val_t",
};

/* Per operator: the next definition, and whether it belongs to the next
 * allocator (1: count here) or calls malloc/free (0: just forward). */
static void *op_fn[NOPS];
static int op_owned[NOPS];

/* Stands for the next operator when there is none: only a failed
 * allocation reaches it, and without a C++ runtime to throw
 * std::bad_alloc, a throwing new can only end the program as an uncaught
 * one would. */
static _Noreturn void no_runtime(void)
{
    static const char msg[] = "heaptag: operator new: out of memory, and no C++ runtime "
                              "to throw std::bad_alloc\n";
    (void)!write(2, msg, sizeof msg - 1);
    abort();
}

static void *op(enum op i)
{
    void *fn = __atomic_load_n(&op_fn[i], __ATOMIC_ACQUIRE);
    if (HT_LIKELY(fn))
        return fn;
    next_alloc_resolve();
    /* dlsym allocates (a failed one, its error message): the tracker's
     * own blocks, not the scope the program has open. */
    scope_push_id(type_intern("heaptag.internal"));
    fn = dlsym(RTLD_NEXT, op_names[i]);
    scope_pop();
    /* No C++ runtime in the global scope, yet someone calls the operator
     * (ld's LTO plugin, with its own static libstdc++ whose references
     * bind to ours): build it from our hooks like an allocator's. */
    int owned = !fn || (next.malloc && object_of(fn) == object_of((void *)next.malloc));
    if (!fn)
        fn = (void *)no_runtime;
    __atomic_store_n(&op_owned[i], owned, __ATOMIC_RELAXED);
    __atomic_store_n(&op_fn[i], fn, __ATOMIC_RELEASE);
    return fn;
}

/* nothrow_t is an empty struct passed by reference; align_val_t is a
 * size_t-sized enum: both travel as plain words in the x86-64 ABI. */
typedef void *(*new_fn)(size_t);
typedef void *(*new2_fn)(size_t, const void *);
typedef void *(*new_al_fn)(size_t, size_t);
typedef void *(*new_al2_fn)(size_t, size_t, const void *);
typedef void (*del_fn)(void *);
typedef void (*del2_fn)(void *, const void *);
typedef void (*del_al_fn)(void *, size_t);
typedef void (*del_al2_fn)(void *, size_t, const void *);
typedef void (*del_sz_al_fn)(void *, size_t, size_t);

#define OWNED(i) __atomic_load_n(&op_owned[i], __ATOMIC_RELAXED)

/* new: our hooks first; the allocator's own operator only on failure
 * (a nothrow new without one returns NULL). */
#define NEW_BODY(i, size, align, call, nothrow)                \
    void *fn = op(i);                                          \
    if (!OWNED(i))                                             \
        return call;                                           \
    void *p = ht_op_new(size, align);                          \
    if (HT_LIKELY(p) || (nothrow && fn == (void *)no_runtime)) \
        return p;                                              \
    if (fn == (void *)no_runtime)                              \
        no_runtime();                                          \
    return ht_op_adopt(call, size);

#define NEW_HOOK(sym, i) \
    HT_EXPORT void *sym(size_t n) { NEW_BODY(i, n, 0, ((new_fn)fn)(n), 0) }
#define NEW_NT_HOOK(sym, i) \
    HT_EXPORT void *sym(size_t n, const void *nt) { NEW_BODY(i, n, 0, ((new2_fn)fn)(n, nt), 1) }
#define NEW_AL_HOOK(sym, i) \
    HT_EXPORT void *sym(size_t n, size_t al) { NEW_BODY(i, n, al, ((new_al_fn)fn)(n, al), 0) }
#define NEW_AL_NT_HOOK(sym, i)                               \
    HT_EXPORT void *sym(size_t n, size_t al, const void *nt) \
    {                                                        \
        NEW_BODY(i, n, al, ((new_al2_fn)fn)(n, al, nt), 1)   \
    }

/* delete: every block an owned operator new made came from our hooks, so
 * our free gives it back (sized and aligned forms included). */
#define DEL_BODY(i, call) \
    void *fn = op(i);     \
    if (OWNED(i))         \
        ht_op_delete(p);  \
    else                  \
        call;

#define DEL_HOOK(sym, i) \
    HT_EXPORT void sym(void *p) { DEL_BODY(i, ((del_fn)fn)(p)) }
#define DEL_NT_HOOK(sym, i) \
    HT_EXPORT void sym(void *p, const void *nt) { DEL_BODY(i, ((del2_fn)fn)(p, nt)) }
#define DEL_W_HOOK(sym, i) \
    HT_EXPORT void sym(void *p, size_t w) { DEL_BODY(i, ((del_al_fn)fn)(p, w)) }
#define DEL_AL_NT_HOOK(sym, i)                             \
    HT_EXPORT void sym(void *p, size_t al, const void *nt) \
    {                                                      \
        DEL_BODY(i, ((del_al2_fn)fn)(p, al, nt))           \
    }
#define DEL_SZ_AL_HOOK(sym, i) \
    HT_EXPORT void sym(void *p, size_t n, size_t al) { DEL_BODY(i, ((del_sz_al_fn)fn)(p, n, al)) }

NEW_HOOK(_Znwm, NEW)
NEW_NT_HOOK(_ZnwmRKSt9nothrow_t, NEW_NT)
NEW_AL_HOOK(_ZnwmSt11align_val_t, NEW_AL)
NEW_AL_NT_HOOK(_ZnwmSt11align_val_tRKSt9nothrow_t, NEW_AL_NT)
NEW_HOOK(_Znam, NEWA)
NEW_NT_HOOK(_ZnamRKSt9nothrow_t, NEWA_NT)
NEW_AL_HOOK(_ZnamSt11align_val_t, NEWA_AL)
NEW_AL_NT_HOOK(_ZnamSt11align_val_tRKSt9nothrow_t, NEWA_AL_NT)
DEL_HOOK(_ZdlPv, DEL)
DEL_NT_HOOK(_ZdlPvRKSt9nothrow_t, DEL_NT)
DEL_W_HOOK(_ZdlPvSt11align_val_t, DEL_AL)
DEL_AL_NT_HOOK(_ZdlPvSt11align_val_tRKSt9nothrow_t, DEL_AL_NT)
DEL_W_HOOK(_ZdlPvm, DEL_SZ)
DEL_SZ_AL_HOOK(_ZdlPvmSt11align_val_t, DEL_SZ_AL)
DEL_HOOK(_ZdaPv, DELA)
DEL_NT_HOOK(_ZdaPvRKSt9nothrow_t, DELA_NT)
DEL_W_HOOK(_ZdaPvSt11align_val_t, DELA_AL)
DEL_AL_NT_HOOK(_ZdaPvSt11align_val_tRKSt9nothrow_t, DELA_AL_NT)
DEL_W_HOOK(_ZdaPvm, DELA_SZ)
DEL_SZ_AL_HOOK(_ZdaPvmSt11align_val_t, DELA_SZ_AL)
