/* The model behind model.h.
 *
 * Figures are kept as changes since the baseline report; peaks as the highest rise of the
 * live figure since then, so the checker can combine them with the baseline: peak = max(old
 * peak, old live + rise).  All state is static and guarded by one mutex (pthread mutexes do
 * not allocate).
 */
#include "model.h"
#include "heaptag.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_TYPES 256
#define MAX_NAME 64
#define TABLE_SIZE (1u << 17)
#define TOMBSTONE ((void *)1)

struct fig {
    long long alloc_calls, free_calls, bytes_requested;
    long long live_bytes, rise_bytes, live_usable, rise_usable, live_blocks, rise_blocks;
    long long instances, live_instances, rise_instances;
    long long max_block, max_usable; /* for model_peak_range */
    int maxconc;                     /* 0: peaks are exact */
    int external;                    /* listed, figures not stated */
};

struct block {
    void *p;
    int type;
    size_t req, usable;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char names[MAX_TYPES][MAX_NAME];
static struct fig types[MAX_TYPES];
static int ntypes;
static int types_only;
static struct fig totals;
static long long realloc_calls, failed_calls, foreign_frees;
static struct block table[TABLE_SIZE];

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0 || n > (int)sizeof buf - 2)
        n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    if (write(2, "model: ", 7) < 0 || write(2, buf, (size_t)n) < 0) {
        /* nothing left to report to */
    }
    _exit(99);
}

static int type_index(const char *name)
{
    for (int i = 0; i < ntypes; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    if (ntypes == MAX_TYPES || strlen(name) >= MAX_NAME)
        die("too many types or name too long: %s", name);
    snprintf(names[ntypes], MAX_NAME, "%s", name);
    return ntypes++;
}

static size_t slot_of(void *p)
{
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 20) & (TABLE_SIZE - 1);
}

static struct block *find(void *p)
{
    for (size_t i = slot_of(p), n = 0; n < TABLE_SIZE; i = (i + 1) & (TABLE_SIZE - 1), n++) {
        if (table[i].p == p)
            return &table[i];
        if (table[i].p == NULL)
            return NULL;
    }
    return NULL;
}

static void insert(void *p, int type, size_t req, size_t usable)
{
    if (find(p))
        die("block %p allocated twice without a free", p);
    for (size_t i = slot_of(p), n = 0; n < TABLE_SIZE; i = (i + 1) & (TABLE_SIZE - 1), n++) {
        if (table[i].p == NULL || table[i].p == TOMBSTONE) {
            table[i] = (struct block){p, type, req, usable};
            return;
        }
    }
    die("block table full");
}

static void raise_live(struct fig *f, long long bytes, long long usable, long long blocks)
{
    f->live_bytes += bytes;
    f->live_usable += usable;
    f->live_blocks += blocks;
    if (f->live_bytes > f->rise_bytes)
        f->rise_bytes = f->live_bytes;
    if (f->live_usable > f->rise_usable)
        f->rise_usable = f->live_usable;
    if (f->live_blocks > f->rise_blocks)
        f->rise_blocks = f->live_blocks;
}

static void add_block(int t, void *p, size_t req)
{
    size_t usable = malloc_usable_size(p);
    insert(p, t, req, usable);
    struct fig *figs[2] = {&types[t], &totals};
    for (int i = 0; i < 2; i++) {
        figs[i]->alloc_calls++;
        figs[i]->bytes_requested += (long long)req;
        raise_live(figs[i], (long long)req, (long long)usable, 1);
        if ((long long)req > figs[i]->max_block)
            figs[i]->max_block = (long long)req;
        if ((long long)usable > figs[i]->max_usable)
            figs[i]->max_usable = (long long)usable;
    }
}

/* Returns the block's type, -1 when the pointer is not a known block. */
static int drop_block(void *p)
{
    struct block *b = find(p);
    if (!b)
        return -1;
    int t = b->type;
    struct fig *figs[2] = {&types[t], &totals};
    for (int i = 0; i < 2; i++) {
        figs[i]->free_calls++;
        raise_live(figs[i], -(long long)b->req, -(long long)b->usable, -1);
    }
    b->p = TOMBSTONE;
    return t;
}

void model_begin(const char *baseline_path)
{
    if (heaptag_dump && heaptag_dump(baseline_path) != 0)
        die("heaptag_dump(%s) failed: %s", baseline_path, strerror(errno));
}

void model_alloc(const char *type, void *p, size_t req)
{
    pthread_mutex_lock(&lock);
    if (!p)
        failed_calls++;
    else
        add_block(type_index(type), p, req);
    pthread_mutex_unlock(&lock);
}

void model_free(void *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&lock);
    if (drop_block(p) < 0)
        die("free of %p, a block the model does not know", p);
    pthread_mutex_unlock(&lock);
}

void model_foreign_free(void)
{
    pthread_mutex_lock(&lock);
    foreign_frees++;
    pthread_mutex_unlock(&lock);
}

/* Whether the tracker records a moving realloc's new block before or after
 * it drops the old one is not part of the contract, so a test must not let
 * the moment both exist set a peak: check that it stays below the peaks
 * reached already. */
static void check_realloc_transient(int t, size_t n, size_t usable)
{
    struct fig *figs[2] = {&types[t], &totals};
    for (int i = 0; i < 2; i++) {
        if (figs[i]->live_bytes + (long long)n > figs[i]->rise_bytes ||
            figs[i]->live_usable + (long long)usable > figs[i]->rise_usable ||
            (i == 1 && figs[i]->live_blocks + 1 > figs[i]->rise_blocks))
            die("test design: realloc to %zu bytes in %s could set a peak while "
                "old and new block both exist",
                n, names[t]);
    }
}

void model_realloc(const char *scope, void *old, void *newp, size_t n)
{
    pthread_mutex_lock(&lock);
    if (!newp && (n > 0 || !old)) {
        realloc_calls++; /* a call to realloc, even a failed one */
        failed_calls++;  /* old block untouched */
    } else if (!old) {
        realloc_calls++;
        add_block(type_index(scope), newp, n);
    } else {
        struct block *b = find(old);
        if (!b)
            die("realloc of %p, a block the model does not know", old);
        int t = b->type;
        realloc_calls++;
        /* the new block exists before the old one is dropped; drop_block
         * below already counted that moment if it was a peak, so check */
        if (newp)
            check_realloc_transient(t, n, malloc_usable_size(newp));
        drop_block(old);
        if (newp)
            add_block(t, newp, n);
    }
    pthread_mutex_unlock(&lock);
}

void model_retag(void *p, const char *type)
{
    pthread_mutex_lock(&lock);
    struct block *b = find(p);
    if (!b)
        die("retag of %p, a block the model does not know", p);
    int to = type_index(type);
    raise_live(&types[b->type], -(long long)b->req, -(long long)b->usable, -1);
    raise_live(&types[to], (long long)b->req, (long long)b->usable, 1);
    b->type = to;
    pthread_mutex_unlock(&lock);
}

void model_instance_new(const char *type)
{
    pthread_mutex_lock(&lock);
    struct fig *f = &types[type_index(type)];
    f->instances++;
    if (++f->live_instances > f->rise_instances)
        f->rise_instances = f->live_instances;
    pthread_mutex_unlock(&lock);
}

void model_instance_free(const char *type)
{
    pthread_mutex_lock(&lock);
    types[type_index(type)].live_instances--;
    pthread_mutex_unlock(&lock);
}

void model_peak_range(const char *type, int maxconc)
{
    pthread_mutex_lock(&lock);
    types[type_index(type)].maxconc = maxconc;
    pthread_mutex_unlock(&lock);
}

void model_external_type(const char *type)
{
    pthread_mutex_lock(&lock);
    types[type_index(type)].external = 1;
    pthread_mutex_unlock(&lock);
}

void model_types_only(void) { types_only = 1; }

static char out[1 << 16];
static size_t outlen;

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + outlen, sizeof out - outlen, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof out - outlen)
        die("expected-values buffer full");
    outlen += (size_t)n;
}

static void emit_fig(const char *prefix, const struct fig *f, int is_totals)
{
    emit("%s.alloc_calls delta %lld\n", prefix, f->alloc_calls);
    emit("%s.free_calls delta %lld\n", prefix, f->free_calls);
    emit("%s.bytes_requested delta %lld\n", prefix, f->bytes_requested);
    emit("%s.live_bytes delta %lld\n", prefix, f->live_bytes);
    emit("%s.live_usable_bytes delta %lld\n", prefix, f->live_usable);
    emit("%s.live_blocks delta %lld\n", prefix, f->live_blocks);
    if (f->maxconc) {
        emit("%s.peak_live_bytes range %lld %lld\n", prefix, f->max_block,
             f->max_block * f->maxconc);
        emit("%s.peak_live_usable_bytes range %lld %lld\n", prefix, f->max_usable,
             f->max_usable * f->maxconc);
    } else {
        emit("%s.peak_live_bytes peak %s.live_bytes %lld\n", prefix, prefix, f->rise_bytes);
        emit("%s.peak_live_usable_bytes peak %s.live_usable_bytes %lld\n", prefix, prefix,
             f->rise_usable);
    }
    if (is_totals) {
        emit("%s.peak_live_blocks peak %s.live_blocks %lld\n", prefix, prefix, f->rise_blocks);
    } else {
        emit("%s.instances delta %lld\n", prefix, f->instances);
        emit("%s.live_instances delta %lld\n", prefix, f->live_instances);
        emit("%s.peak_live_instances peak %s.live_instances %lld\n", prefix, prefix,
             f->rise_instances);
    }
}

void model_write(const char *path)
{
    pthread_mutex_lock(&lock);
    outlen = 0;
    emit("# written by the test program's model (tests/profiler/progs/model.c)\n");
    if (!types_only) {
        emit_fig("totals", &totals, 1);
        emit("totals.realloc_calls delta %lld\n", realloc_calls);
        emit("totals.failed_calls delta %lld\n", failed_calls);
        emit("totals.foreign_free_calls delta %lld\n", foreign_frees);
    }
    emit("types");
    for (int i = 0; i < ntypes; i++)
        emit(" %s", names[i]);
    emit("\n");
    for (int i = 0; i < ntypes; i++) {
        if ((types_only && strcmp(names[i], "untagged") == 0) || types[i].external)
            continue;
        char prefix[MAX_NAME + 8];
        snprintf(prefix, sizeof prefix, "types.%.63s", names[i]);
        emit_fig(prefix, &types[i], 0);
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, out, outlen) != (ssize_t)outlen || close(fd) != 0)
        die("cannot write %s: %s", path, strerror(errno));
    pthread_mutex_unlock(&lock);
}
