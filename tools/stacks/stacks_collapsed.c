/* Folded stacks ("outer;...;inner BYTES"), the input of flamegraph.pl, inferno and
 * speedscope.
 *
 * Every frame is kept, wrappers included: a flame graph shows where the bytes came from all
 * the way in.
 */
#include <stdlib.h>
#include <string.h>

#include "stacks/stacks_out.h"

/* ';' separates frames and a newline ends the record: neither may appear
 * inside one (C++ names never have them, but a file path could). */
static void put_name(FILE *out, const char *name)
{
    for (const char *p = name; *p; p++)
        fputc(*p == ';' ? ':' : *p == '\n' ? ' ' : *p, out);
}

void ht_print_collapsed(FILE *out, const struct ht_report *r, const struct ht_stacks *s,
                        struct ht_symbolizer *z, enum ht_weight w, int type_frames,
                        const char *type)
{
    size_t max = (size_t)(s->depth > 0 ? s->depth : 1) * 8;
    struct ht_pathframe *path = malloc(max * sizeof *path);
    if (!path) {
        fprintf(stderr, "heaptag: out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < s->nsites; i++) {
        const struct ht_site *site = &s->sites[i];
        long long weight = ht_site_weight(site, w);
        if (!weight || (type && strcmp(type, site->type)))
            continue;
        size_t n = ht_site_path(z, site, 0, path, max);
        for (size_t k = n; k-- > 0;) {
            put_name(out, ht_frame_name(z, path[k].fi, path[k].entry));
            if (k)
                fputc(';', out);
        }
        if (type_frames) {
            fputs(n ? ";[" : "[", out);
            put_name(out, site->type);
            fputc(']', out);
        }
        fprintf(out, " %lld\n", weight);
    }
    free(path);
    /* Blocks without a site (allocated before the tracker turned stacks
	 * on, from a constructor that ran before its own, or whose stack
	 * could not be unwound) still count in the type's figures; show them
	 * as one pseudo-frame so the graph adds up to the report.  Not for
	 * the peak weight: the type's own peak is another moment's figure. */
    for (size_t t = 0; w != HT_WEIGHT_PEAK && t < r->ntypes; t++) {
        const struct ht_type *ty = &r->types[t];
        if (type && strcmp(type, ty->name))
            continue;
        long long rest = w == HT_WEIGHT_LIVE ? ty->live_bytes : ty->bytes_requested;
        for (size_t i = 0; i < s->nsites; i++)
            if (!strcmp(s->sites[i].type, ty->name))
                rest -= ht_site_weight(&s->sites[i], w);
        if (rest <= 0)
            continue;
        fputs("[no stack]", out);
        if (type_frames) {
            fputs(";[", out);
            put_name(out, ty->name);
            fputc(']', out);
        }
        fprintf(out, " %lld\n", rest);
    }
}
