/*
 * stacks_collapsed.c — folded stacks ("outer;...;inner BYTES"), the input
 * of flamegraph.pl, inferno and speedscope.  Every frame is kept, wrappers
 * included: a flame graph shows where the bytes came from all the way in.
 */
#include <stdlib.h>
#include <string.h>

#include "stacks_out.h"

/* ';' separates frames and a newline ends the record: neither may appear
 * inside one (C++ names never have them, but a file path could). */
static void put_name(FILE *out, const char *name)
{
	for (const char *p = name; *p; p++)
		fputc(*p == ';' ? ':' : *p == '\n' ? ' ' : *p, out);
}

void ht_print_collapsed(FILE *out, const struct ht_stacks *s, struct ht_symbolizer *z,
			enum ht_weight w, int type_frames, const char *type)
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
}
