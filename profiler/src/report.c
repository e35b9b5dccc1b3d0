/* The report writer.
 *
 * It reads counters with relaxed loads while other threads may still
 * allocate, so a report taken mid-flight is a snapshot: totals are
 * computed as the sum of the types, which keeps them consistent with each
 * other, and a peak never shows below its live figure.
 *
 * The JSON goes to a temporary file in the target directory, created
 * without following symlinks, with mode 0600 and an unpredictable name,
 * then put in the final name's place: a reader never meets half a report
 * under that name.  Devices and FIFOs are written in place (see save). */
#include "report.h"
#include "report_stacks.h"
#include "attach.h"
#include "custom_map.h"
#include "acct_thread.h"
#include "sample_report.h"
#include "sampling.h"
#include "site_map.h"
#include "site_table.h"
#include "timeline.h"
#include "block_map.h"
#include "ht_common.h"
#include "next_alloc.h"
#include "os_mem.h"
#include "settings.h"
#include "stats.h"
#include "text_buf.h"
#include "type_registry.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/single_threaded.h>
#include <sys/stat.h>
#include <stdio.h> /* rename(2) and renameat2 only: no stream is ever opened here */
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char *program_invocation_short_name;
static struct timespec started;
static unsigned write_seq;
static int forked_from_threads;

void report_note_fork_child(int parent_had_threads) { forked_from_threads |= parent_had_threads; }

static int report_concurrent(void) { return !__libc_single_threaded || forked_from_threads; }

void report_mark_start(void) { clock_gettime(CLOCK_MONOTONIC, &started); }

static uint64_t elapsed_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t ms = (now.tv_sec - started.tv_sec) * 1000 + (now.tv_nsec - started.tv_nsec) / 1000000;
    return ms > 0 ? (uint64_t)ms : 0;
}

/* The program's name as it started: servers rewrite argv[0] (nginx's
 * "nginx: worker process"), which program_invocation_short_name points
 * into, so it is copied once, before main. */
static char start_name[256];

void report_capture_name(const char *argv0)
{
    const char *n = argv0 && *argv0 ? argv0 : program_invocation_short_name;
    if (!n)
        return;
    const char *slash = strrchr(n, '/');
    if (slash && slash[1])
        n = slash + 1;
    size_t len = strnlen(n, sizeof start_name - 1);
    memcpy(start_name, n, len);
    start_name[len] = 0;
}

static const char *program_name(void)
{
    if (start_name[0])
        return start_name;
    const char *n = program_invocation_short_name;
    return n && *n ? n : "program";
}

/* Expand %p, %e and %% of a template; relative paths go under the
 * directory the program started in. */
int report_expand_path(const char *tmpl, char *out, size_t cap)
{
    struct text_buf b = TEXT_BUF(out, cap);
    if (tmpl[0] != '/' && settings.have_start_dir) {
        tb_str(&b, settings.start_dir);
        tb_char(&b, '/');
    }
    for (const char *p = tmpl; *p; p++) {
        if (*p != '%' || !p[1]) {
            tb_char(&b, *p);
            continue;
        }
        p++;
        if (*p == 'p') {
            tb_u64(&b, (uint64_t)getpid());
        } else if (*p == 'e') {
            /* The name is a file-name component: keep it to safe bytes. */
            for (const char *n = program_name(); *n; n++) {
                char c = *n;
                int safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '+';
                tb_char(&b, safe ? c : '_');
            }
        } else {
            tb_char(&b, *p);
        }
    }
    tb_cstr(&b);
    return b.truncated ? -1 : 0;
}

/* One type as the report sees it: every counter read exactly once, so the
 * figures printed for a type agree with each other and with the totals
 * summed from them, even while other threads go on allocating. */
struct type_view {
    uint32_t id;
    struct type_stats c;
};

static int view_before(const struct type_view *a, const struct type_view *b)
{
    if (a->c.peak_live_bytes != b->c.peak_live_bytes)
        return a->c.peak_live_bytes > b->c.peak_live_bytes;
    return strcmp(type_name(a->id), type_name(b->id)) < 0;
}

/* Shell sort: qsort may allocate. */
static void sort_views(struct type_view *v, size_t n)
{
    for (size_t gap = n / 2; gap > 0; gap /= 2)
        for (size_t i = gap; i < n; i++) {
            struct type_view x = v[i];
            size_t j = i;
            for (; j >= gap && view_before(&x, &v[j - gap]); j -= gap)
                v[j] = v[j - gap];
            v[j] = x;
        }
}

static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

static void key(struct text_buf *b, const char *k, int64_t v, int comma)
{
    tb_char(b, '"');
    tb_str(b, k);
    tb_str(b, "\":");
    tb_i64(b, v);
    if (comma)
        tb_char(b, ',');
}

static int unused(const struct type_stats *c)
{
    return !c->alloc_calls && !c->free_calls && !c->instances && !c->live_blocks &&
           !c->peak_live_bytes && !c->live_instances;
}

/* What a report is assembled in: every type's counters read once, and
 * which types the call sites listed in it have. */
struct report_scratch {
    struct type_view views[HT_MAX_TYPES];
    unsigned char site_type[HT_MAX_TYPES];
};

/* The sites the report will list, fixed now: their types are listed
 * too, even if the site's first block is still being counted. */
static void mark_site_types(struct report_scratch *scratch, uint32_t nsites)
{
    memset(scratch->site_type, 0, sizeof scratch->site_type);
    for (uint32_t id = 1; id < nsites; id++) {
        const struct site *st = site_get(id);
        if (st && st->type < HT_MAX_TYPES)
            scratch->site_type[st->type] = 1;
    }
}

/* Every type's counters read once into scratch->views, sorted; SUM gets
 * their totals.  Returns how many types the report lists. */
static size_t collect_views(struct report_scratch *scratch, struct type_stats *sum)
{
    struct type_view *views = scratch->views;
    uint32_t n = type_count();
    size_t count = 0;
    for (uint32_t id = 1; id < n; id++) {
        if (id != HT_TYPE_UNTAGGED && strcmp(type_name(id), "heaptag.invalid") == 0)
            continue;
        struct type_view *v = &views[count];
        v->id = id;
        stats_snapshot(id, &v->c);
        if (sample_mean)
            sample_type_overlay(id, &v->c);
        sum->alloc_calls += v->c.alloc_calls;
        sum->free_calls += v->c.free_calls;
        sum->bytes_requested += v->c.bytes_requested;
        sum->live_bytes += v->c.live_bytes;
        sum->live_usable += v->c.live_usable;
        sum->live_blocks += v->c.live_blocks;
        /* A name registered but never used (heaptag.internal, usually) is
         * left out; untagged always stays. */
        if (id == HT_TYPE_UNTAGGED || !unused(&v->c) || scratch->site_type[id])
            count++;
    }
    sort_views(views, count);
    return count;
}

static void emit_header(struct text_buf *b, const char *reason)
{
    tb_str(b, "{\"format\":\"heaptag-report\",\"version\":1,\"program\":");
    tb_json_str(b, program_name());
    tb_str(b, ",");
    key(b, "pid", getpid(), 1);
    key(b, "ppid", getppid(), 1);
    tb_str(b, "\"reason\":");
    tb_json_str(b, reason);
    tb_str(b, ",");
    key(b, "duration_ms", (int64_t)elapsed_ms(), 1);
    /* Whether other threads could be mid-allocation while this was read
     * (or were, in the parent, when this fork child was copied). */
    tb_str(b, report_concurrent() ? "\"concurrent\":true," : "\"concurrent\":false,");
    tb_str(b, "\"allocator\":");
    tb_json_str(b, next_alloc_provider());
    attach_emit(b);
}

/* The totals (PEAK: whole-process peaks of bytes, usable bytes, blocks)
 * and the tracker's own figures. */
static void emit_totals(struct text_buf *b, const struct type_stats *sum, const int64_t peak[3])
{
    tb_str(b, ",\n\"totals\":{");
    key(b, "alloc_calls", sum->alloc_calls, 1);
    key(b, "free_calls", sum->free_calls, 1);
    key(b, "bytes_requested", sum->bytes_requested, 1);
    key(b, "live_bytes", sum->live_bytes, 1);
    key(b, "peak_live_bytes", max64(peak[0], sum->live_bytes), 1);
    key(b, "live_usable_bytes", sum->live_usable, 1);
    /* Usable's peak is never below bytes' (only a racing copy could show it). */
    key(b, "peak_live_usable_bytes",
        max64(max64(peak[1], sum->live_usable), max64(peak[0], sum->live_bytes)), 1);
    key(b, "live_blocks", sum->live_blocks, 1);
    key(b, "peak_live_blocks", max64(peak[2], sum->live_blocks), 1);
    /* Sampled mode: reallocs estimated, plus reallocarray's overflows,
     * counted, since they never reach the allocator or a sample point. */
    key(b, "realloc_calls",
        HT_LOAD(&totals.realloc_calls) + (sample_mean ? sample_realloc_calls() : 0), 1);
    key(b, "failed_calls", HT_LOAD(&totals.failed_calls), 1);
    key(b, "foreign_free_calls", HT_LOAD(&totals.foreign_free_calls), 0);
    tb_str(b, "},\n\"tracker\":{");
    key(b, "overhead_bytes",
        (int64_t)(block_map_resident_bytes() + site_map_resident_bytes() +
                  site_table_resident_bytes() + timeline_resident_bytes() +
                  custom_map_resident_bytes() + acct_resident_bytes()),
        1);
    key(b, "mapped_bytes", (int64_t)os_mem_mapped_bytes(), 1);
    key(b, "untracked_blocks", HT_LOAD(&totals.untracked_blocks), 0);
    tb_str(b, "}");
}

static void emit_type(struct text_buf *b, const struct type_view *v, int first)
{
    const struct type_stats *c = &v->c;
    tb_str(b, first ? "\n{\"name\":" : ",\n{\"name\":");
    tb_json_str(b, type_name(v->id));
    tb_char(b, ',');
    key(b, "instances", c->instances, 1);
    key(b, "live_instances", c->live_instances, 1);
    key(b, "peak_live_instances", c->peak_live_instances, 1);
    key(b, "alloc_calls", c->alloc_calls, 1);
    key(b, "free_calls", c->free_calls, 1);
    key(b, "bytes_requested", c->bytes_requested, 1);
    key(b, "live_bytes", c->live_bytes, 1);
    key(b, "peak_live_bytes", c->peak_live_bytes, 1);
    key(b, "live_usable_bytes", c->live_usable, 1);
    key(b, "peak_live_usable_bytes", c->peak_live_usable, 1);
    key(b, "live_blocks", c->live_blocks, 1);
    key(b, "temporary_calls", c->temporary_calls, 0);
    tb_str(b, ",\"size_hist\":");
    report_emit_hist(b, c->size_hist);
    tb_char(b, '}');
}

/* Like everything the report writer calls: async-signal-safe and
 * allocation-free (a report may be written from a signal handler or
 * after the address space ran out). */
static void emit(struct text_buf *b, const char *reason, struct report_scratch *scratch)
{
    struct type_view *views = scratch->views;
    uint32_t nsites = site_count();
    mark_site_types(scratch, nsites);
    /* The whole-process peaks first: each was reached at a moment when no
     * type's live figure exceeded the type's peak read after it. */
    int64_t peak[3];
    peak[0] = __atomic_load_n(&totals.g.peak[0], __ATOMIC_ACQUIRE);
    peak[1] = __atomic_load_n(&totals.g.peak[1], __ATOMIC_ACQUIRE);
    peak[2] = HT_LOAD(&totals.g.peak[2]);
    if (sample_mean)
        sample_total_peaks(&peak[0], &peak[1], &peak[2]);
    struct type_stats sum = {0};
    size_t count = collect_views(scratch, &sum);
    /* The whole process was at least as high as any one type ever was.
     * Counters updated one by one can leave the recorded total short of
     * that when threads race (a free lowering the total before its type
     * while another thread raises the type): the largest type peak is the
     * better figure then. */
    for (size_t i = 0; i < count; i++) {
        peak[0] = max64(peak[0], views[i].c.peak_live_bytes);
        peak[1] = max64(peak[1], views[i].c.peak_live_usable);
    }

    emit_header(b, reason);
    emit_totals(b, &sum, peak);
    tb_str(b, ",\n\"types\":[");
    for (size_t i = 0; i < count; i++)
        emit_type(b, &views[i], i == 0);
    tb_char(b, ']');
    if (sample_mean)
        sample_emit_tail(b, nsites);
    else
        report_emit_stacks(b, nsites);
    report_emit_unwind_check(b);
    tb_str(b, "}\n");
}

/* Scratch for the report: static, so a report needs no memory from the
 * kernel at all (a process that ran out of address space still gets its
 * report); a second report written at the same moment (a signal during
 * heaptag_dump) maps its own. */
static struct report_scratch static_scratch;
static int static_scratch_busy;

/* 64 unpredictable bits for a temporary name: a name another user can
 * guess could be planted in a shared directory before we create it. */
static uint64_t temp_bits(void)
{
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) == (ssize_t)sizeof r)
        return r;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    r = (uint64_t)t.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)t.tv_sec << 32 ^
        (uint64_t)getpid() << 16 ^ (uintptr_t)&t ^
        __atomic_add_fetch(&write_seq, 1, __ATOMIC_RELAXED) * 0xbf58476d1ce4e5b9ull;
    return r;
}

/* PATH.tmp-<16 hex digits>, beside PATH. */
static int temp_name(const char *path, char *tmp, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t r = temp_bits();
    char digits[16];
    for (int i = 0; i < 16; i++, r >>= 4)
        digits[i] = hex[r & 15];
    struct text_buf t = TEXT_BUF(tmp, cap);
    tb_str(&t, path);
    tb_str(&t, ".tmp-");
    tb_mem(&t, digits, sizeof digits);
    tb_cstr(&t);
    return t.truncated ? -1 : 0;
}

/* Stream the report to FD; 0, or -1 with errno. */
static int stream(int fd, const char *reason, struct report_scratch *scratch)
{
    char chunk[4096];
    struct text_buf b = TEXT_BUF_FD(chunk, sizeof chunk, fd);
    emit(&b, reason, scratch);
    int rc = tb_flush(&b);
    if (rc != 0)
        errno = b.write_errno;
    return rc;
}

/* What PATH is, and so how the report goes there (docs/report-format.md,
 * "Where the report goes"):
 *  - absent or a regular file: a new temporary file, renamed over it;
 *  - a character device or a FIFO: written in place, never replaced;
 *  - a symlink that we or root own, to a device or FIFO (/dev/stdout,
 *    /proc/self/fd/N): written in place through it;
 *  - any other symlink, a directory, anything else: refused.  A link is
 *    never replaced (as root that would replace /dev/stdout) and never
 *    followed to a file (another user could have planted it). */
enum target { TARGET_RENAME, TARGET_IN_PLACE, TARGET_REFUSED };

static enum target classify(const char *path, const char **why)
{
    struct stat st, to;
    if (lstat(path, &st) != 0)
        return TARGET_RENAME; /* absent, or the rename will say why not */
    if (S_ISREG(st.st_mode))
        return TARGET_RENAME;
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
        return TARGET_IN_PLACE;
    if (S_ISLNK(st.st_mode)) {
        if ((st.st_uid == geteuid() || st.st_uid == 0) && stat(path, &to) == 0 &&
            (S_ISCHR(to.st_mode) || S_ISFIFO(to.st_mode)))
            return TARGET_IN_PLACE;
        *why = "it is a symbolic link (followed only to a device or FIFO, never replaced)";
        return TARGET_REFUSED;
    }
    *why = S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file, device or FIFO";
    return TARGET_REFUSED;
}

/* A device or FIFO: opened without creating, truncating or waiting for a
 * reader (a FIFO nobody reads fails with ENXIO instead of hanging the
 * program at exit), then checked again on the descriptor. */
static int write_in_place(const char *path, const char *reason, struct report_scratch *scratch)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    int flags = fcntl(fd, F_GETFL);
    if (fstat(fd, &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) || flags < 0 ||
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    int rc = stream(fd, reason, scratch);
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

/* Put TMP in PATH's place.  Over an existing report the two names are
 * exchanged (renameat2 RENAME_EXCHANGE) and the old report, now under
 * TMP, unlinked: PATH names a whole report at every moment, as with
 * rename(2), but ext4 does not first write the new file's data to disk,
 * as it does for a rename over an existing file (auto_da_alloc).  The
 * program's exit waited for that write: about 0.3 ms of a sampled run's
 * 2 ms, in `perf stat` of a run that exits at once.  The price is the
 * guard that write gave a report against a power failure right after the
 * exit, which a profile does not need.  A directory put at PATH since
 * classify() is exchanged back and refused, as rename refuses it; where
 * the exchange is unsupported (or PATH is absent), rename. */
static int replace_file(const char *tmp, const char *path)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) != 0)
        return rename(tmp, path);
    if (unlink(tmp) == 0)
        return 0;
    int err = errno;
    if (err == EISDIR && renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) == 0)
        unlink(tmp);
    errno = err;
    return -1;
}

/* Stream the report into a new temporary file (a fresh unpredictable
 * name, O_EXCL, retried if taken), then put it in PATH's place. */
static int write_and_rename(const char *path, const char *reason, struct report_scratch *scratch)
{
    char tmp[HT_PATH_MAX + 64];
    int fd = -1;
    for (int tries = 0; fd < 0 && tries < 32; tries++) {
        if (temp_name(path, tmp, sizeof tmp) != 0) {
            errno = ENAMETOOLONG;
            return -1;
        }
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            return -1;
    }
    if (fd < 0)
        return -1;
    int rc = stream(fd, reason, scratch);
    int err = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        err = errno;
    }
    if (rc == 0 && replace_file(tmp, path) != 0) {
        rc = -1;
        err = errno;
    }
    if (rc != 0) {
        unlink(tmp);
        errno = err;
    }
    return rc;
}

/* A process about to give up its user id (a server's worker switching to
 * nobody) may lose the right to create its report where it was meant to
 * go.  report_hold opens the final path while it still may, and the
 * report goes through that descriptor if, at the end, the usual way is
 * refused.  The file exists, empty, from the switch until then. */
static int held_fd = -1;
static pid_t held_pid;
static char held_path[HT_PATH_MAX + 32];

static const char *template_now(const char *tmpl);

void report_hold(void)
{
    if (held_fd >= 0 && held_pid == getpid())
        return;
    char path[HT_PATH_MAX + 32];
    const char *why = NULL;
    if (report_expand_path(template_now(NULL), path, sizeof path) != 0 ||
        classify(path, &why) != TARGET_RENAME)
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0600);
    struct stat st;
    if (fd < 0)
        return;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return;
    }
    held_fd = fd;
    held_pid = getpid();
    memcpy(held_path, path, strlen(path) + 1);
}

void report_drop_held(void)
{
    if (held_fd >= 0)
        close(held_fd);
    held_fd = -1;
}

static int write_held(const char *reason, struct report_scratch *scratch)
{
    if (ftruncate(held_fd, 0) != 0 || lseek(held_fd, 0, SEEK_SET) != 0)
        return -1;
    return stream(held_fd, reason, scratch);
}

/* 0, or -1 with *why (a description; errno's when NULL). */
static int save(const char *path, const char *reason, struct report_scratch *scratch,
                const char **why)
{
    switch (classify(path, why)) {
    case TARGET_IN_PLACE: return write_in_place(path, reason, scratch);
    case TARGET_REFUSED: return -1;
    default: break;
    }
    int rc = write_and_rename(path, reason, scratch);
    if (rc != 0 && (errno == EACCES || errno == EPERM || errno == EROFS) && held_fd >= 0 &&
        held_pid == getpid() && strcmp(held_path, path) == 0)
        rc = write_held(reason, scratch);
    return rc;
}

/* The template for this process: `heaptag run -o` names a temporary
 * report for its own child (HEAPTAG_OUT) and final ones for every other
 * process (HEAPTAG_RUN_OTHERS), which may outlive it (daemons). */
static const char *template_now(const char *tmpl)
{
    if (tmpl)
        return tmpl;
    if (settings.run_pid && settings.run_others[0] && getpid() != settings.run_pid)
        return settings.run_others;
    return settings.out_template;
}

int report_write(const char *tmpl, const char *reason)
{
    int saved = errno;
    char path[HT_PATH_MAX + 32];
    tmpl = template_now(tmpl);
    if (report_expand_path(tmpl, path, sizeof path) != 0) {
        ht_warn("cannot write report: path from '", tmpl, "' is too long", NULL);
        errno = ENAMETOOLONG;
        return -1;
    }
    struct report_scratch *scratch = &static_scratch;
    if (__atomic_exchange_n(&static_scratch_busy, 1, __ATOMIC_ACQUIRE)) {
        scratch = os_mem_map(sizeof *scratch);
        if (!scratch) {
            ht_warn("cannot write report to '", path, "': out of memory", NULL);
            errno = ENOMEM;
            return -1;
        }
    }
    const char *refused = NULL;
    int rc = save(path, reason, scratch, &refused);
    int err = errno;
    if (scratch == &static_scratch)
        __atomic_store_n(&static_scratch_busy, 0, __ATOMIC_RELEASE);
    else
        os_mem_unmap(scratch, sizeof *scratch);
    if (rc != 0) {
        const char *why = refused ? refused : strerrordesc_np(err);
        ht_warn("cannot write report to '", path, "': ", why ? why : "error", NULL);
        errno = err;
        return -1;
    }
    errno = saved;
    return 0;
}
