/* Call sites per type for people, and leak suppressions.
 *
 * A site is shown by a compact call path: its first few functions outside the allocation
 * wrappers, which is where a reader starts looking.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "stacks/stacks_out.h"
#include "units.h"

#define PATH_SHOWN 4

static const char *base_name(const char *p)
{
    const char *b = p ? strrchr(p, '/') : NULL;
    return b ? b + 1 : p;
}

static void print_frame(FILE *out, struct ht_symbolizer *z, const struct ht_pathframe *pf)
{
    const struct ht_sym_entry *e = &pf->fi->entries[pf->entry];
    fprintf(out, "          %s", ht_frame_name(z, pf->fi, pf->entry));
    if (e->file && e->line)
        fprintf(out, " (%s:%d)", base_name(e->file), e->line);
    if (pf->fi->module)
        fprintf(out, " in %s%s", pf->fi->module_base,
                pf->fi->module_missing ? " (file missing)" : "");
    if (pf->entry > 0)
        fputs(" [inlined]", out);
    fputc('\n', out);
}

static void print_site(FILE *out, struct ht_symbolizer *z, const struct ht_site *s, int rank)
{
    char a[32], b[32];
    fprintf(out,
            "    %d. site %" PRId64 ": %s peak, %s live at exit (%" PRId64 " blocks), %" PRId64
            " allocations, %" PRId64 " temporary\n",
            rank, s->id, ht_human_bytes((double)s->peak_live_bytes, a, sizeof a),
            ht_human_bytes((double)s->live_bytes, b, sizeof b), s->live_blocks, s->alloc_calls,
            s->temporary_calls);
    struct ht_pathframe path[PATH_SHOWN];
    size_t n = ht_site_path(z, s, 1, path, PATH_SHOWN);
    for (size_t i = 0; i < n; i++)
        print_frame(out, z, &path[i]);
}

static const char *sort_key;
static int by_key(const void *x, const void *y)
{
    const struct ht_site *a = *(const struct ht_site *const *)x;
    const struct ht_site *b = *(const struct ht_site *const *)y;
    int64_t ka = !strcmp(sort_key, "peak") ? a->peak_live_bytes : a->live_bytes;
    int64_t kb = !strcmp(sort_key, "peak") ? b->peak_live_bytes : b->live_bytes;
    if (ka != kb)
        return ka > kb ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static void print_hist(FILE *out, const char *title, const int64_t *h)
{
    fprintf(out, "  %s (size: allocations):\n", title);
    for (int i = 0; i < HT_SIZE_HIST; i++) {
        if (!h[i])
            continue;
        char range[48];
        if (i < 2)
            snprintf(range, sizeof range, "%d B", i);
        else if (i == HT_SIZE_HIST - 1)
            snprintf(range, sizeof range, ">= %llu B", (1ULL << (i - 2)) + 1);
        else if (i == 2)
            snprintf(range, sizeof range, "2 B");
        else
            snprintf(range, sizeof range, "%llu-%llu B", (1ULL << (i - 2)) + 1, 1ULL << (i - 1));
        fprintf(out, "    %-22s %" PRId64 "\n", range, h[i]);
    }
}

void ht_print_sites(FILE *out, const struct ht_report *r, const struct ht_stacks *s,
                    struct ht_symbolizer *z, const struct ht_sites_opts *o)
{
    const struct ht_site **list = calloc(s->nsites + 1, sizeof *list);
    if (!list) {
        fprintf(stderr, "heaptag: out of memory\n");
        exit(2);
    }
    fprintf(out, "\nCall sites: %zu, stack depth %d, %d type rule%s\n", s->nsites, s->depth,
            s->rules, s->rules == 1 ? "" : "s");
    for (size_t t = 0; t < r->ntypes; t++) {
        const struct ht_type *ty = &r->types[t];
        if (o->type && strcmp(o->type, ty->name))
            continue;
        const struct ht_type_extra *x = ht_stacks_type(s, ty->name);
        size_t n = 0;
        int64_t leak_sites = 0;
        for (size_t i = 0; i < s->nsites; i++)
            if (!strcmp(s->sites[i].type, ty->name)) {
                list[n++] = &s->sites[i];
                leak_sites += s->sites[i].live_blocks > 0;
            }
        char a[32], b[32];
        int64_t temp = x ? x->temporary_calls : 0;
        fprintf(out,
                "\n== %s: peak %s, live at exit %s; %" PRId64 " allocations, %" PRId64
                " temporary (%.1f%%); %" PRId64 " blocks live at exit from %" PRId64
                " of %zu sites\n",
                ty->name, ht_human_bytes((double)ty->peak_live_bytes, a, sizeof a),
                ht_human_bytes((double)ty->live_bytes, b, sizeof b), ty->alloc_calls, temp,
                ty->alloc_calls ? 100.0 * (double)temp / (double)ty->alloc_calls : 0.0,
                ty->live_blocks, leak_sites, n);
        sort_key = "peak";
        qsort(list, n, sizeof *list, by_key);
        if (n)
            fputs("  Top sites by peak bytes:\n", out);
        for (size_t i = 0; i < n && (int)i < o->top; i++)
            print_site(out, z, list[i], (int)i + 1);
        sort_key = "live";
        qsort(list, n, sizeof *list, by_key);
        if (n && list[0]->live_bytes)
            fputs("  Top sites by bytes live at exit (leaks):\n", out);
        for (size_t i = 0; i < n && (int)i < o->top && list[i]->live_bytes; i++)
            print_site(out, z, list[i], (int)i + 1);
        if (o->histogram && x)
            print_hist(out, "Request sizes", x->size_hist);
        for (size_t i = 0; o->histogram && i < n && (int)i < o->top; i++) {
            char title[64];
            snprintf(title, sizeof title, "Request sizes of site %" PRId64, list[i]->id);
            print_hist(out, title, list[i]->size_hist);
        }
    }
    free(list);
}

void ht_print_type_histogram(FILE *out, const char *name, const struct ht_type_extra *x)
{
    fprintf(out, "\n== %s\n", name);
    if (x)
        print_hist(out, "Request sizes", x->size_hist);
}

int ht_print_leak_suppressions(FILE *out, const struct ht_report *r, const struct ht_stacks *s,
                               struct ht_symbolizer *z, const char *type)
{
    const char **seen = calloc(s->nsites + 1, sizeof *seen);
    if (!seen) {
        fprintf(stderr, "heaptag: out of memory\n");
        exit(2);
    }
    int n = 0;
    int64_t blocks = 0, bytes = 0;
    for (size_t i = 0; i < s->nsites; i++) {
        const struct ht_site *site = &s->sites[i];
        if (!site->live_blocks || (type && strcmp(type, site->type)))
            continue;
        blocks += site->live_blocks;
        bytes += site->live_bytes;
    }
    fprintf(out,
            "# LeakSanitizer suppressions: %" PRId64 " blocks (%" PRId64
            " bytes) live at exit of %s (pid %" PRId64 ")\n",
            blocks, bytes, r->program, r->pid);
    for (size_t i = 0; i < s->nsites; i++) {
        const struct ht_site *site = &s->sites[i];
        if (!site->live_blocks || (type && strcmp(type, site->type)))
            continue;
        struct ht_pathframe path[512];
        size_t np = ht_site_path(z, site, 1, path, sizeof path / sizeof *path);
        /* The innermost function of the program itself; a libc frame
		 * (fopen, ...) only when the stack holds nothing else named. */
        const char *fn = NULL;
        for (size_t k = 0; k < np && !fn; k++)
            if (path[k].fi->entries[path[k].entry].function &&
                !ht_is_runtime_module(path[k].fi->module_base))
                fn = path[k].fi->entries[path[k].entry].function;
        for (size_t k = 0; k < np && !fn; k++)
            fn = path[k].fi->entries[path[k].entry].function;
        if (!fn)
            continue;
        int dup = 0;
        for (int k = 0; k < n && !dup; k++)
            dup = !strcmp(seen[k], fn);
        if (dup)
            continue;
        seen[n++] = fn;
        fprintf(out, "leak:%s\n", fn);
    }
    free(seen);
    return n;
}
