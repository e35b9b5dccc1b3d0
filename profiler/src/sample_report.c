/* Estimates into report figures (sample_report.h).
 *
 * Every figure is a rounded sum; the derived ones (live_blocks = calls -
 * frees) are computed from the rounded ones, so a report keeps the
 * invariants of an exact one (docs/report-format.md) and the tools read it
 * unchanged. */
#include "sample_report.h"
#include "report_stacks.h"
#include "rules.h"
#include "sample_est.h"
#include "sample_table.h"
#include "sampling.h"
#include "site_table.h"
#include "stack_capture.h"
#include "type_registry.h"

static int64_t R(double x) { return x <= 0 ? 0 : (int64_t)(x + 0.5); }

static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

/* Square root by Newton's method (no libm in the preloaded library). */
static double root(double x)
{
    if (x <= 0)
        return 0;
    double r = x > 1 ? x : 1;
    for (int i = 0; i < 200; i++) {
        double n = 0.5 * (r + x / r);
        if (n >= r)
            break;
        r = n;
    }
    return r;
}

/* Half-width of the 95% interval of an estimate with variance V. */
static int64_t bound(double v) { return (int64_t)(1.959963984540054 * root(v) + 0.999); }

struct figures {
    int64_t alloc, free, bytes, live, peak, usable, upeak, blocks, at_peak;
    int64_t hist[SIZE_HIST_BUCKETS];
};

static void figures_of(const struct sample_est *e, struct figures *f)
{
    struct sample_est s = *e; /* one read of each field */
    f->alloc = R(s.alloc_w);
    f->free = R(s.free_w);
    if (f->free > f->alloc)
        f->free = f->alloc;
    f->blocks = f->alloc - f->free;
    f->bytes = R(s.alloc_bytes);
    f->live = R(s.live_bytes);
    f->usable = max64(R(s.live_usable), f->live);
    f->peak = max64(R(s.peak_live_bytes), f->live);
    f->upeak = max64(max64(R(s.peak_live_usable), f->usable), f->peak);
    f->at_peak = R(s.live_at_peak) < f->peak ? R(s.live_at_peak) : f->peak;
    for (int i = 0; i < SIZE_HIST_BUCKETS; i++)
        f->hist[i] = R(s.hist[i]);
}

void sample_type_overlay(uint32_t t, struct type_stats *c)
{
    struct sample_est *e = sample_est_type(t);
    struct figures f;
    static const struct sample_est none;
    figures_of(e ? e : &none, &f);
    c->alloc_calls = f.alloc;
    c->free_calls = f.free;
    c->bytes_requested = f.bytes;
    c->live_bytes = f.live;
    c->peak_live_bytes = f.peak;
    c->live_usable = f.usable;
    c->peak_live_usable = f.upeak;
    c->live_blocks = f.blocks;
    c->temporary_calls = 0;
    for (int i = 0; i < SIZE_HIST_BUCKETS; i++)
        c->size_hist[i] = f.hist[i];
}

int64_t sample_realloc_calls(void) { return R(sample_reallocs.w); }

void sample_total_peaks(int64_t *bytes, int64_t *usable, int64_t *blocks)
{
    *bytes = R(sample_est_total.peak_live_bytes);
    *usable = R(sample_est_total.peak_live_usable);
    *blocks = R(sample_est_total.peak_live_w);
}

static void key(struct text_buf *b, const char *k, int64_t v)
{
    tb_str(b, ",\"");
    tb_str(b, k);
    tb_str(b, "\":");
    tb_i64(b, v);
}

static void emit_sites(struct text_buf *b, uint32_t n)
{
    tb_str(b, ",\n\"sites\":[");
    int first = 1;
    for (uint32_t id = 1; id < n; id++) {
        const struct site *s = site_get(id);
        const struct sample_est *e = sample_est_site(id);
        if (!s || !e || !HT_LOAD(&e->samples))
            continue;
        struct figures f;
        figures_of(e, &f);
        report_emit_site_head(b, id, s, first);
        first = 0;
        key(b, "alloc_calls", f.alloc);
        key(b, "free_calls", f.free);
        key(b, "bytes_requested", f.bytes);
        key(b, "live_bytes", f.live);
        key(b, "peak_live_bytes", f.peak);
        key(b, "live_usable_bytes", f.usable);
        key(b, "peak_live_usable_bytes", f.upeak);
        key(b, "live_blocks", f.blocks);
        key(b, "temporary_calls", 0);
        key(b, "live_at_peak", f.at_peak);
        tb_str(b, ",\"size_hist\":");
        report_emit_hist(b, f.hist);
        tb_char(b, '}');
    }
    tb_char(b, ']');
}

/* The error bounds of one estimate set, as members of an open object. */
static void emit_bounds(struct text_buf *b, const struct sample_est *e)
{
    struct sample_est s = *e;
    key(b, "samples", s.samples);
    key(b, "alloc_calls", bound(s.var_alloc_w));
    key(b, "bytes_requested", bound(s.var_alloc_bytes));
    key(b, "live_blocks", bound(s.var_live_w));
    key(b, "live_bytes", bound(s.var_live_bytes));
}

static void emit_sampling(struct text_buf *b, uint32_t nsites)
{
    tb_str(b, ",\n\"sampling\":{\"mean_bytes\":");
    tb_i64(b, sample_mean);
    key(b, "seed", (int64_t)(sample_seed >> 1));
    key(b, "live_samples", (int64_t)sample_table_live());
    key(b, "peak_samples", sample_peak_samples());
    key(b, "dropped", HT_LOAD(&sample_dropped));
    key(b, "table_bytes", (int64_t)sample_table_bytes());
    tb_str(b, ",\"confidence\":0.95,\"estimates\":\"alloc_calls, free_calls, realloc_calls, "
              "bytes_requested, "
              "live and peak bytes and blocks are estimates from sampled blocks; the bounds "
              "below are half-widths of 95% intervals; peaks have no bound and are biased "
              "upwards; instances are exact\"");
    tb_str(b, ",\"totals\":{\"name\":\"totals\"");
    emit_bounds(b, &sample_est_total);
    key(b, "realloc_calls", bound(sample_reallocs.var_w));
    tb_str(b, "},\"types\":[");
    uint32_t n = type_count();
    int first = 1;
    for (uint32_t t = 1; t < n; t++) {
        const struct sample_est *e = sample_est_type(t);
        if (!e || !HT_LOAD(&e->samples))
            continue;
        tb_str(b, first ? "\n{\"name\":" : ",\n{\"name\":");
        first = 0;
        tb_json_str(b, type_name(t));
        emit_bounds(b, e);
        tb_char(b, '}');
    }
    tb_str(b, "],\"sites\":[");
    first = 1;
    for (uint32_t id = 1; id < nsites && stack_depth; id++) {
        const struct sample_est *e = sample_est_site(id);
        if (!site_get(id) || !e || !HT_LOAD(&e->samples))
            continue;
        tb_str(b, first ? "\n{\"id\":" : ",\n{\"id\":");
        first = 0;
        tb_u64(b, id);
        emit_bounds(b, e);
        tb_char(b, '}');
    }
    tb_str(b, "]}");
}

void sample_emit_tail(struct text_buf *b, uint32_t nsites)
{
    tb_str(b, ",\n\"stacks\":{\"depth\":");
    tb_i64(b, stack_depth);
    key(b, "rules", rules_count());
    tb_str(b, "},\n\"timeline\":{\"unit\":\"bytes\",\"interval\":0,\"columns\":[\"t_bytes\","
              "\"t_ms\",\"live_bytes\",\"live_usable_bytes\",\"live_blocks\",\"detail\"],"
              "\"samples\":[]},\n\"details\":[]");
    if (stack_depth) {
        report_emit_modules(b);
        emit_sites(b, nsites);
    }
    emit_sampling(b, nsites);
}
