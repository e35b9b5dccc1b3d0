/* heaptag.h — tag heap allocations with the type of object they belong to.
 *
 * A program includes this header and marks where objects of a type are built:
 *
 *     HEAPTAG_PUSH("Response");           // every allocation until the pop
 *     struct response *r = calloc(1, sizeof *r);   // ... is a "Response"
 *     HEAPTAG_INSTANCE_NEW("Response");   // one more Response exists
 *     HEAPTAG_POP();
 *
 * Nothing is linked: the functions are weak references that resolve to
 * libheaptag.so when it is preloaded (LD_PRELOAD or `heaptag run`), and to
 * NULL otherwise, so each macro costs one well-predicted branch in a program
 * run without the tracker.  Defining HEAPTAG_DISABLE before including this
 * header removes even that branch.
 *
 * Type names are compared by content, not by pointer, and copied by the
 * tracker: a name may live in a temporary buffer.  By convention the payload
 * an object holds (body bytes, header strings) is tagged "<Type>.payload",
 * so reports can show an object's own storage apart from its data.
 */
#ifndef HEAPTAG_H
#define HEAPTAG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 2: the allocator API (heaptag_block_alloc & co.). */
#define HEAPTAG_API_VERSION 2

/* Open a type scope on this thread: allocations made on this thread until
 * the matching heaptag_pop() are attributed to TYPE.  Scopes nest; the
 * innermost wins.  A block keeps its type until freed, realloc included. */
void heaptag_push(const char *type) __attribute__((weak));

/* Close the innermost type scope of this thread. */
void heaptag_pop(void) __attribute__((weak));

/* Move a live block, allocated earlier under any type, to TYPE.
 * Returns 0 on success, -1 if the tracker does not know the block. */
int heaptag_retag(void *block, const char *type) __attribute__((weak));

/* Count one more instance of TYPE (instances and live_instances). */
void heaptag_instance_new(const char *type) __attribute__((weak));

/* Count one instance of TYPE gone (live_instances only). */
void heaptag_instance_free(const char *type) __attribute__((weak));

/* Write a report now to PATH (NULL: the path HEAPTAG_OUT names).
 * Returns 0 on success, -1 with errno set otherwise. */
int heaptag_dump(const char *path) __attribute__((weak));

/* The allocator API: a program's own allocator (a pool, an arena, a free
 * list) reports the blocks it hands out, and they are counted like
 * malloc's: typed by the open scope (or a rule, with stacks on), in every
 * report.  Report each event while the address is still the allocator's
 * alone (inside its lock, before a freed block can be handed out again).
 * docs/custom-allocators.md shows a pool instrumented in a few lines.
 *
 * A block of SIZE bytes at P was handed out.  POOL NULL: P is memory heaptag
 * did not count otherwise (from mmap, say).  POOL a type name: P was carved
 * from backing memory counted under that type (a malloc'd chunk allocated
 * in that scope or retagged to it): its bytes move from POOL to P's type,
 * so the totals count them once.  A P that is itself a malloc block is
 * already counted and left alone. */
void heaptag_block_alloc(void *p, size_t size, const char *pool) __attribute__((weak));

/* Block OLD is now NEW, of SIZE bytes (NEW may equal OLD).  It keeps its
 * type and pool.  NEW NULL means the resize failed and OLD stands. */
void heaptag_block_realloc(void *old_block, void *new_block, size_t size) __attribute__((weak));

/* Block P was given back to the program's allocator (its bytes return to
 * its pool, if it had one). */
void heaptag_block_free(void *p) __attribute__((weak));

#ifdef __cplusplus
}
#endif

#ifdef HEAPTAG_DISABLE
#define HEAPTAG_ACTIVE() 0
/* The arguments are still evaluated (once), so a disabled build warns
 * about nothing a tagged build would not. */
#define HEAPTAG_PUSH(type) ((void)(type))
#define HEAPTAG_POP() ((void)0)
#define HEAPTAG_RETAG(block, type) ((void)(block), (void)(type))
#define HEAPTAG_INSTANCE_NEW(type) ((void)(type))
#define HEAPTAG_INSTANCE_FREE(type) ((void)(type))
#define HEAPTAG_BLOCK_ALLOC(p, size, pool) ((void)(p), (void)(size), (void)(pool))
#define HEAPTAG_BLOCK_REALLOC(old, p, size) ((void)(old), (void)(p), (void)(size))
#define HEAPTAG_BLOCK_FREE(p) ((void)(p))
#else
/* True when libheaptag.so is loaded into this process. */
#define HEAPTAG_ACTIVE() (heaptag_push != 0)
#define HEAPTAG_PUSH(type)      \
    do {                        \
        if (heaptag_push)       \
            heaptag_push(type); \
    } while (0)
#define HEAPTAG_POP()      \
    do {                   \
        if (heaptag_pop)   \
            heaptag_pop(); \
    } while (0)
#define HEAPTAG_RETAG(block, type)                \
    do {                                          \
        if (heaptag_retag)                        \
            (void)heaptag_retag((block), (type)); \
    } while (0)
#define HEAPTAG_INSTANCE_NEW(type)      \
    do {                                \
        if (heaptag_instance_new)       \
            heaptag_instance_new(type); \
    } while (0)
#define HEAPTAG_INSTANCE_FREE(type)      \
    do {                                 \
        if (heaptag_instance_free)       \
            heaptag_instance_free(type); \
    } while (0)
#define HEAPTAG_BLOCK_ALLOC(p, size, pool)            \
    do {                                              \
        if (heaptag_block_alloc)                      \
            heaptag_block_alloc((p), (size), (pool)); \
    } while (0)
#define HEAPTAG_BLOCK_REALLOC(old, p, size)            \
    do {                                               \
        if (heaptag_block_realloc)                     \
            heaptag_block_realloc((old), (p), (size)); \
    } while (0)
#define HEAPTAG_BLOCK_FREE(p)      \
    do {                           \
        if (heaptag_block_free)    \
            heaptag_block_free(p); \
    } while (0)
#endif

/* HEAPTAG_SCOPE(type): a scope that closes itself when the enclosing C block
 * ends, by any path (return, break, goto out of it). */
#define HEAPTAG_CAT2_(a, b) a##b
#define HEAPTAG_CAT_(a, b) HEAPTAG_CAT2_(a, b)
#ifndef __cplusplus
static inline void heaptag_scope_end_(int *unused)
{
    (void)unused;
    HEAPTAG_POP();
}
static inline int heaptag_scope_begin_(const char *type)
{
    HEAPTAG_PUSH(type);
    return 0;
}
#define HEAPTAG_SCOPE(type)                                                \
    __attribute__((cleanup(heaptag_scope_end_), unused)) int HEAPTAG_CAT_( \
        heaptag_scope_, __LINE__) = heaptag_scope_begin_(type)
#else
namespace heaptag
{
/* RAII scope for C++: `heaptag::Scope s("Response");` */
class Scope
{
  public:
    explicit Scope(const char *type) { HEAPTAG_PUSH(type); }
    ~Scope() { HEAPTAG_POP(); }
    Scope(const Scope &) = delete;
    Scope &operator=(const Scope &) = delete;
};
} // namespace heaptag
#define HEAPTAG_SCOPE(type) ::heaptag::Scope HEAPTAG_CAT_(heaptag_scope_, __LINE__)(type)
#endif

#endif /* HEAPTAG_H */
