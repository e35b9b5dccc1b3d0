/* What the tracker should report, computed by the test program.
 *
 * A test program does its allocations through the t_* helpers below, naming
 * the type it expects each block to be counted in.  The model mirrors the
 * counting rules of notes/tracker-semantics.md (realloc keeps the old block's
 * type, failed calls count only in failed_calls, ...) with usable sizes taken
 * from malloc_usable_size(), and writes the figures relative to a baseline
 * report the program dumps first (model_begin), in report-check's
 * expected-values syntax.  The model never allocates from the heap, so it
 * does not disturb what it measures.
 */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <malloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Dump the baseline report to PATH with heaptag_dump(); exits 99 if the
 * dump fails.  Nothing happens when the tracker is not loaded. */
void model_begin(const char *baseline_path);
/* A successful allocation of REQ bytes at P in TYPE, or a failed one (P NULL). */
void model_alloc(const char *type, void *p, size_t req);
/* free(P) as the tracker sees it: nothing for NULL, else a known block. */
void model_free(void *p);
/* free() of a pointer the tracker never saw allocated. */
void model_foreign_free(void);
/* realloc(OLD, N) returned NEWP (callers serialise realloc with other
 * threads' allocations: OLD's address may be reused once realloc returns); SCOPE is the type in force (for OLD NULL). */
void model_realloc(const char *scope, void *old, void *newp, size_t n);
void model_retag(void *p, const char *type);
void model_instance_new(const char *type);
void model_instance_free(const char *type);
/* TYPE's peaks depend on thread interleaving: expect them between the largest
 * single block and MAXCONC such blocks live at once instead of exactly. */
void model_peak_range(const char *type, int maxconc);
/* Threads interleave freely or the program lets libc allocate after the
 * baseline (thread creation, dlopen): state no totals and no untagged
 * figures, only the types the program tagged itself. */
void model_types_only(void);
/* TYPE exists in the report but its figures are checked elsewhere (it is
 * allocated in code that does not use the model, such as a library). */
void model_external_type(const char *type);
/* Write the expected figures to PATH (exits 99 on error). */
void model_write(const char *path);

static inline void *t_malloc(const char *type, size_t n)
{
    void *p = malloc(n);
    model_alloc(type, p, n);
    return p;
}

static inline void *t_calloc(const char *type, size_t n, size_t m)
{
    void *p = calloc(n, m);
    model_alloc(type, p, n * m);
    return p;
}

/* The model forgets the block before it is freed: once freed, another thread
 * may get the same address from malloc and record it. */
static inline void t_free(void *p)
{
    model_free(p);
    free(p);
}

/* The model uses the old address only as a key, never to reach the
 * (possibly freed) block, which GCC cannot tell. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuse-after-free"
static inline void *t_realloc(const char *scope, void *p, size_t n)
{
    uintptr_t old = (uintptr_t)p;
    void *q = realloc(p, n);
    model_realloc(scope, (void *)old, q, n);
    return q;
}

static inline void *t_reallocarray(const char *scope, void *p, size_t n, size_t m)
{
    uintptr_t old = (uintptr_t)p;
    void *q = reallocarray(p, n, m);
    if (!q && n && m && (n * m) / m != n) {
        /* overflow: the call fails without touching P */
        model_realloc(scope, (void *)old, NULL, (size_t)-1);
        return q;
    }
    model_realloc(scope, (void *)old, q, n * m);
    return q;
}
#pragma GCC diagnostic pop

#ifdef __cplusplus
}
#endif

#endif
