/* Stacks, modules, sites and the timeline in the report.
 *
 * Frames are raw return addresses; "modules" (the executable mappings of
 * /proc/self/maps, read with plain read(2)) lets the heaptag command turn
 * them into functions and file:line later.  Resolving symbols here would
 * need the loader's lock, which a signal handler must not take. */
#include "report_stacks.h"
#include "ht_common.h"
#include "proc_hex.h"
#include "rules.h"
#include "site_table.h"
#include "stack_capture.h"
#include "timeline.h"
#include "type_registry.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static void key(struct text_buf *b, const char *k, int64_t v)
{
    tb_str(b, ",\"");
    tb_str(b, k);
    tb_str(b, "\":");
    tb_i64(b, v);
}

void report_emit_hist(struct text_buf *b, const int64_t *hist)
{
    tb_char(b, '[');
    for (int i = 0; i < SIZE_HIST_BUCKETS; i++) {
        if (i)
            tb_char(b, ',');
        tb_i64(b, HT_LOAD(&hist[i]));
    }
    tb_char(b, ']');
}

/* One line of /proc/self/maps (start-end perms offset dev inode path):
 * executable, file-backed mappings are enough to place every frame. */
static void emit_module_line(struct text_buf *b, const char *p, const char *eol, int *first)
{
    uint64_t start = proc_hex(&p, eol);
    p++;
    uint64_t end = proc_hex(&p, eol);
    p++;
    int exec = p + 3 < eol && p[2] == 'x';
    p += 5;
    uint64_t offset = proc_hex(&p, eol);
    for (int field = 0; field < 2 && p < eol; field++) { /* skip dev, inode */
        while (p < eol && *p == ' ')
            p++;
        while (p < eol && *p != ' ')
            p++;
    }
    while (p < eol && *p == ' ')
        p++;
    if (!exec || p >= eol || *p != '/')
        return;
    char path[1024];
    size_t n = (size_t)(eol - p) < sizeof path - 1 ? (size_t)(eol - p) : sizeof path - 1;
    memcpy(path, p, n);
    path[n] = 0;
    tb_str(b, *first ? "\n{\"path\":" : ",\n{\"path\":");
    *first = 0;
    tb_json_str(b, path);
    key(b, "start", (int64_t)start);
    key(b, "end", (int64_t)end);
    key(b, "offset", (int64_t)offset);
    tb_char(b, '}');
}

/* ,"NAME":[frames...]: return addresses as numbers. */
static void emit_frames(struct text_buf *b, const char *name, const uintptr_t *frames, uint32_t n)
{
    tb_str(b, ",\"");
    tb_str(b, name);
    tb_str(b, "\":[");
    for (uint32_t f = 0; f < n; f++) {
        if (f)
            tb_char(b, ',');
        tb_u64(b, frames[f]);
    }
    tb_char(b, ']');
}

/* A call site's opening members in the report's "sites" list: its id, its
 * type and its frames, after a separator unless FIRST.  Shared with the
 * sampled list (sample_report.c); async-signal-safe like all of it. */
void report_emit_site_head(struct text_buf *b, uint32_t id, const struct site *s, int first)
{
    tb_str(b, first ? "\n{\"id\":" : ",\n{\"id\":");
    tb_u64(b, id);
    tb_str(b, ",\"type\":");
    tb_json_str(b, type_name(s->type));
    emit_frames(b, "frames", s->frames, s->depth);
}

void report_emit_unwind_check(struct text_buf *b)
{
    struct unwind_check c;
    if (!stack_unwind_check_figures(&c))
        return;
    tb_str(b, ",\n\"unwind_check\":{\"stacks\":");
    tb_i64(b, c.stacks);
    key(b, "libunwind_only", c.libunwind_only);
    key(b, "differed", c.differed);
    if (c.differed) {
        emit_frames(b, "first_ours", c.first_ours, (uint32_t)c.first_ours_n);
        emit_frames(b, "first_libunwind", c.first_libunwind, (uint32_t)c.first_libunwind_n);
    }
    tb_char(b, '}');
}

/* Read the maps file in small pieces: a report needs no memory of its own. */
void report_emit_modules(struct text_buf *b)
{
    tb_str(b, ",\n\"modules\":[");
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    char buf[8192];
    size_t have = 0;
    int first = 1;
    while (fd >= 0) {
        ssize_t r = read(fd, buf + have, sizeof buf - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        have += (size_t)r;
        size_t done = 0;
        for (;;) {
            const char *eol = memchr(buf + done, '\n', have - done);
            if (!eol)
                break;
            emit_module_line(b, buf + done, eol, &first);
            done = (size_t)(eol - buf) + 1;
        }
        if (done == 0 && have == sizeof buf)
            have = 0; /* a line longer than the buffer: drop it */
        memmove(buf, buf + done, have - done);
        have -= done;
    }
    if (fd >= 0)
        close(fd);
    tb_char(b, ']');
}

static void emit_sites(struct text_buf *b, uint32_t n)
{
    tb_str(b, ",\n\"sites\":[");
    int first = 1;
    for (uint32_t id = 1; id < n; id++) {
        const struct site *s = site_get(id);
        struct site_view v;
        if (!s)
            continue;
        site_snapshot(id, &v);
        if (!v.alloc_calls)
            continue;
        report_emit_site_head(b, id, s, first);
        first = 0;
        key(b, "alloc_calls", v.alloc_calls);
        key(b, "free_calls", v.free_calls);
        key(b, "bytes_requested", v.bytes_requested);
        key(b, "live_bytes", v.live_bytes);
        key(b, "peak_live_bytes", v.peak_live_bytes);
        key(b, "live_usable_bytes", v.live_usable);
        key(b, "peak_live_usable_bytes", v.peak_live_usable);
        key(b, "live_blocks", v.alloc_calls - v.free_calls);
        key(b, "temporary_calls", v.temporary_calls);
        int64_t at_peak = HT_LOAD(&site_stats_of(id)->live_at_peak);
        key(b, "live_at_peak", at_peak < v.peak_live_bytes ? at_peak : v.peak_live_bytes);
        tb_str(b, ",\"size_hist\":");
        report_emit_hist(b, v.size_hist);
        tb_char(b, '}');
    }
    tb_char(b, ']');
}

/* The copy of the samples a report works from (one report at a time uses
 * it; a second, concurrent one emits an empty timeline). */
static struct timeline_sample samples_copy[TIMELINE_MAX_SAMPLES];
static int samples_copy_busy;

static void emit_timeline(struct text_buf *b, uint32_t nsites)
{
    int mine = !__atomic_exchange_n(&samples_copy_busy, 1, __ATOMIC_ACQUIRE);
    uint32_t n = mine ? timeline_copy(samples_copy) : 0;
    const struct timeline_sample *s = samples_copy;
    tb_str(b, ",\n\"timeline\":{\"unit\":");
    tb_str(b, timeline_unit_ms() ? "\"ms\"" : "\"bytes\"");
    key(b, "interval", timeline_interval());
    tb_str(b, ",\"columns\":[\"t_bytes\",\"t_ms\",\"live_bytes\",\"live_usable_bytes\","
              "\"live_blocks\",\"detail\"],\"samples\":[");
    int64_t details = 0;
    for (uint32_t i = 0; i < n; i++) {
        tb_str(b, i ? ",\n[" : "\n[");
        tb_i64(b, s[i].t_bytes);
        tb_char(b, ',');
        tb_i64(b, s[i].t_ms);
        tb_char(b, ',');
        tb_i64(b, s[i].live_bytes);
        tb_char(b, ',');
        tb_i64(b, s[i].live_usable);
        tb_char(b, ',');
        tb_i64(b, s[i].live_blocks);
        tb_char(b, ',');
        tb_i64(b, s[i].detail >= 0 ? details++ : -1);
        tb_char(b, ']');
    }
    tb_str(b, "]},\n\"details\":[");
    int first = 1;
    for (uint32_t i = 0; i < n; i++) {
        if (s[i].detail < 0)
            continue;
        uint32_t pairs;
        const int64_t *d = timeline_detail(s[i].detail, &pairs);
        tb_str(b, first ? "\n[" : ",\n[");
        first = 0;
        /* Only sites the report lists (a detail taken while this report
         * was being written may name newer ones). */
        int firstpair = 1;
        for (uint32_t k = 0; k < pairs; k++) {
            if (d[2 * k] >= (int64_t)nsites)
                continue;
            if (!firstpair)
                tb_char(b, ',');
            firstpair = 0;
            tb_i64(b, d[2 * k]);
            tb_char(b, ',');
            tb_i64(b, d[2 * k + 1]);
        }
        tb_char(b, ']');
    }
    tb_char(b, ']');
    if (mine)
        __atomic_store_n(&samples_copy_busy, 0, __ATOMIC_RELEASE);
}

void report_emit_stacks(struct text_buf *b, uint32_t nsites)
{
    tb_str(b, ",\n\"stacks\":{\"depth\":");
    tb_i64(b, stack_depth);
    key(b, "rules", rules_count());
    tb_char(b, '}');
    emit_timeline(b, nsites);
    if (!stack_depth)
        return;
    report_emit_modules(b);
    emit_sites(b, nsites);
}
