/* See summary.h.
 *
 * The table uses binary units because people compare orders of magnitude at a glance; JSON
 * and Markdown keep exact byte counts because they feed other tools and documents.
 */
#include "report/summary.h"
#include "textsafe.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "json_out.h"
#include "report/sampling_note.h"
#include "units.h"

int ht_format_parse(const char *s, unsigned allowed, enum ht_format *out)
{
    static const char *const names[] = {"table", "json", "markdown", "html"};
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) {
        if ((allowed & (1u << i)) && !strcmp(s, names[i])) {
            *out = (enum ht_format)i;
            return 0;
        }
    }
    return -1;
}

void ht_summary_table(FILE *out, const struct ht_report *r)
{
    char b[6][32], shown[HT_NAME_SHOWN + 32];
    int w = (int)strlen("tracker");
    for (size_t i = 0; i < r->ntypes; i++) {
        int n = (int)strlen(ht_safe_name(r->types[i].name, HT_NAME_SHOWN, shown, sizeof shown));
        if (n > w)
            w = n;
    }

    fprintf(out, "heaptag: %s (pid %" PRId64 "), reason %s, %" PRId64 " ms, allocator %s\n",
            r->program, r->pid, r->reason, r->duration_ms, r->allocator);
    fprintf(out, "%-*s %10s %10s %11s %11s %11s %11s %11s\n", w, "type", "instances", "peak inst",
            "live", "peak", "peak usable", "B/instance", "alloc calls");
    for (size_t i = 0; i < r->ntypes; i++) {
        const struct ht_type *t = &r->types[i];
        double bpi = ht_type_bytes_per_instance(t);
        fprintf(out, "%-*s %10" PRId64 " %10" PRId64 " %11s %11s %11s %11s %11" PRId64 "\n", w,
                ht_safe_name(t->name, HT_NAME_SHOWN, shown, sizeof shown), t->instances,
                t->peak_live_instances, ht_human_bytes((double)t->live_bytes, b[0], sizeof b[0]),
                ht_human_bytes((double)t->peak_live_bytes, b[1], sizeof b[1]),
                ht_human_bytes((double)t->peak_live_usable_bytes, b[2], sizeof b[2]),
                bpi < 0 ? "-" : ht_human_bytes(bpi, b[3], sizeof b[3]), t->alloc_calls);
    }
    const struct ht_totals *T = &r->totals;
    fprintf(out, "%-*s %10s %10s %11s %11s %11s %11s %11" PRId64 "\n", w, "total", "", "",
            ht_human_bytes((double)T->live_bytes, b[0], sizeof b[0]),
            ht_human_bytes((double)T->peak_live_bytes, b[1], sizeof b[1]),
            ht_human_bytes((double)T->peak_live_usable_bytes, b[2], sizeof b[2]), "",
            T->alloc_calls);
    fprintf(out, "tracker overhead: %s now, %s peak (not in the figures above)\n",
            ht_human_bytes((double)r->overhead_bytes, b[0], sizeof b[0]),
            r->peak_overhead_bytes < 0
                ? "unknown"
                : ht_human_bytes((double)r->peak_overhead_bytes, b[1], sizeof b[1]));
    ht_sampling_note(out, r, 0);
}

static json_t *type_json(const struct ht_type *t)
{
    double bpi = ht_type_bytes_per_instance(t);
    return json_pack(
        "{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "name", t->name,
        "instances", (json_int_t)t->instances, "live_instances", (json_int_t)t->live_instances,
        "peak_live_instances", (json_int_t)t->peak_live_instances, "alloc_calls",
        (json_int_t)t->alloc_calls, "free_calls", (json_int_t)t->free_calls, "bytes_requested",
        (json_int_t)t->bytes_requested, "live_bytes", (json_int_t)t->live_bytes, "peak_live_bytes",
        (json_int_t)t->peak_live_bytes, "live_usable_bytes", (json_int_t)t->live_usable_bytes,
        "peak_live_usable_bytes", (json_int_t)t->peak_live_usable_bytes, "live_blocks",
        (json_int_t)t->live_blocks, "bytes_per_instance", bpi < 0 ? json_null() : json_real(bpi));
}

int ht_summary_json(FILE *out, const struct ht_report *r)
{
    const struct ht_totals *T = &r->totals;
    json_t *types = json_array();
    for (size_t i = 0; i < r->ntypes; i++)
        json_array_append_new(types, type_json(&r->types[i]));
    json_t *doc = json_pack(
        "{s:s, s:i, s:s, s:s, s:I, s:I, s:s, s:I, s:s,"
        " s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I},"
        " s:{s:I, s:o}, s:o}",
        "format", "heaptag-summary", "version", 1, "file", r->path, "program", r->program, "pid",
        (json_int_t)r->pid, "ppid", (json_int_t)r->ppid, "reason", r->reason, "duration_ms",
        (json_int_t)r->duration_ms, "allocator", r->allocator, "totals", "alloc_calls",
        (json_int_t)T->alloc_calls, "free_calls", (json_int_t)T->free_calls, "bytes_requested",
        (json_int_t)T->bytes_requested, "live_bytes", (json_int_t)T->live_bytes, "peak_live_bytes",
        (json_int_t)T->peak_live_bytes, "live_usable_bytes", (json_int_t)T->live_usable_bytes,
        "peak_live_usable_bytes", (json_int_t)T->peak_live_usable_bytes, "live_blocks",
        (json_int_t)T->live_blocks, "peak_live_blocks", (json_int_t)T->peak_live_blocks,
        "realloc_calls", (json_int_t)T->realloc_calls, "failed_calls", (json_int_t)T->failed_calls,
        "foreign_free_calls", (json_int_t)T->foreign_free_calls, "tracker", "overhead_bytes",
        (json_int_t)r->overhead_bytes, "peak_overhead_bytes",
        r->peak_overhead_bytes < 0 ? json_null() : json_integer((json_int_t)r->peak_overhead_bytes),
        "types", types);
    json_t *sampling = ht_sampling_json(r);
    if (sampling)
        json_object_set_new(doc, "sampling", sampling);
    return ht_json_emit(doc, out);
}

/* Type names come from programs; a '|' would break the Markdown table. */
static void md_text(FILE *out, const char *name)
{
    char shown[HT_NAME_SHOWN + 32];
    for (const char *s = ht_safe_name(name, HT_NAME_SHOWN, shown, sizeof shown); *s; s++) {
        if (*s == '|' || *s == '\\' || *s == '*' || *s == '_' || *s == '`')
            fputc('\\', out);
        fputc(*s, out);
    }
}

void ht_summary_markdown(FILE *out, const struct ht_report *r)
{
    char b[32];
    fputs("# heaptag report: ", out);
    md_text(out, r->program);
    fprintf(out, " (pid %" PRId64 ")\n\nReason `%s`, %" PRId64 " ms, allocator `%s`.\n\n", r->pid,
            r->reason, r->duration_ms, r->allocator);
    fputs("| type | instances | peak instances | live bytes | peak bytes | peak usable bytes "
          "| bytes/instance | alloc calls |\n|---|--:|--:|--:|--:|--:|--:|--:|\n",
          out);
    for (size_t i = 0; i < r->ntypes; i++) {
        const struct ht_type *t = &r->types[i];
        double bpi = ht_type_bytes_per_instance(t);
        fputs("| ", out);
        md_text(out, t->name);
        fprintf(out,
                " | %" PRId64 " | %" PRId64 " | %" PRId64 " | %" PRId64 " | %" PRId64
                " | %s | %" PRId64 " |\n",
                t->instances, t->peak_live_instances, t->live_bytes, t->peak_live_bytes,
                t->peak_live_usable_bytes, bpi < 0 ? "–" : ht_exact(bpi, b, sizeof b),
                t->alloc_calls);
    }
    const struct ht_totals *T = &r->totals;
    fprintf(out, "| **total** | | | %" PRId64 " | %" PRId64 " | %" PRId64 " | | %" PRId64 " |\n\n",
            T->live_bytes, T->peak_live_bytes, T->peak_live_usable_bytes, T->alloc_calls);
    fprintf(out, "Tracker overhead: %" PRId64 " bytes now", r->overhead_bytes);
    if (r->peak_overhead_bytes >= 0)
        fprintf(out, ", %" PRId64 " bytes peak", r->peak_overhead_bytes);
    fputs(" (not in the figures above).\n", out);
    ht_sampling_note(out, r, 1);
}
