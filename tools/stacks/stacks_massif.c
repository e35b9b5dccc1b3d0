/* A report as Valgrind massif's massif.out, for ms_print and massif-visualizer.
 *
 * Snapshots: one empty snapshot at time 0 (massif always starts so); one
 * per timeline sample, detailed where the tracker kept per-site live bytes;
 * the peak, from the sites' live_at_peak, right after the sample with the
 * most live bytes (the tracker does not record when the peak happened, only
 * that it lies within a sampling interval of that sample); and the process
 * at exit, from the sites' live bytes.
 *
 * Heap trees follow massif: the root is the allocation functions, its
 * children the innermost frames, their children the callers; children by
 * size descending; those under 1% of the snapshot's heap folded into one
 * "in N places, below massif's threshold (1.00%)" line.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "stacks/stacks_out.h"

struct node {
    uint64_t addr;
    int64_t bytes;
    struct node *child, *next;
};

static struct node *new_node(uint64_t addr)
{
    struct node *n = calloc(1, sizeof *n);
    if (!n) {
        fprintf(stderr, "heaptag: out of memory\n");
        exit(2);
    }
    n->addr = addr;
    return n;
}

static void free_tree(struct node *n)
{
    while (n) {
        struct node *next = n->next;
        free_tree(n->child);
        free(n);
        n = next;
    }
}

static void add_site(struct node *root, const struct ht_site *site, int64_t bytes)
{
    root->bytes += bytes;
    struct node *parent = root;
    for (size_t f = 0; f < site->nframes; f++) {
        struct node *c = parent->child;
        while (c && c->addr != site->frames[f])
            c = c->next;
        if (!c) {
            c = new_node(site->frames[f]);
            c->next = parent->child;
            parent->child = c;
        }
        c->bytes += bytes;
        parent = c;
    }
}

static int by_bytes(const void *x, const void *y)
{
    const struct node *a = *(const struct node *const *)x, *b = *(const struct node *const *)y;
    if (a->bytes != b->bytes)
        return a->bytes > b->bytes ? -1 : 1;
    return a->addr < b->addr ? -1 : a->addr > b->addr;
}

static void describe(FILE *out, struct ht_symbolizer *z, uint64_t addr)
{
    const struct ht_frame_info *fi = ht_symbolize(z, addr);
    const struct ht_sym_entry *e = &fi->entries[0];
    fprintf(out, "0x%" PRIX64 ": %s", addr, e->function ? e->function : "???");
    if (e->file && e->line) {
        const char *b = strrchr(e->file, '/');
        fprintf(out, " (%s:%d)\n", b ? b + 1 : e->file, e->line);
    } else if (fi->module) {
        fprintf(out, " (in %s)\n", fi->module);
    } else {
        fputc('\n', out);
    }
}

static void print_node(FILE *out, struct ht_symbolizer *z, const struct node *n, int level,
                       int64_t threshold)
{
    size_t nc = 0;
    for (const struct node *c = n->child; c; c = c->next)
        nc++;
    struct node **kids = calloc(nc + 1, sizeof *kids);
    if (!kids) {
        fprintf(stderr, "heaptag: out of memory\n");
        exit(2);
    }
    nc = 0;
    for (struct node *c = n->child; c; c = c->next)
        kids[nc++] = c;
    qsort(kids, nc, sizeof *kids, by_bytes);
    size_t sig = 0, insig = 0;
    int64_t insig_bytes = 0;
    for (size_t i = 0; i < nc; i++) {
        if (kids[i]->bytes >= threshold)
            sig++;
        else {
            insig++;
            insig_bytes += kids[i]->bytes;
        }
    }
    fprintf(out, "%*sn%zu: %" PRId64 " ", level, "", sig + (insig > 0), n->bytes);
    if (level == 0)
        fputs("(heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n", out);
    else
        describe(out, z, n->addr);
    for (size_t i = 0; i < sig; i++)
        print_node(out, z, kids[i], level + 1, threshold);
    if (insig)
        fprintf(out, "%*sn0: %" PRId64 " in %zu place%s, below massif's threshold (1.00%%)\n",
                level + 1, "", insig_bytes, insig, insig == 1 ? "" : "s");
    free(kids);
}

enum tree { TREE_EMPTY, TREE_DETAILED, TREE_PEAK };

static void snapshot(FILE *out, int *seq, int64_t time, int64_t heap, int64_t extra, enum tree kind,
                     struct node *root, struct ht_symbolizer *z)
{
    fprintf(out, "#-----------\nsnapshot=%d\n#-----------\n", (*seq)++);
    fprintf(out,
            "time=%" PRId64 "\nmem_heap_B=%" PRId64 "\nmem_heap_extra_B=%" PRId64
            "\nmem_stacks_B=0\nheap_tree=%s\n",
            time, heap, extra > 0 ? extra : 0,
            kind == TREE_EMPTY  ? "empty"
            : kind == TREE_PEAK ? "peak"
                                : "detailed");
    if (kind != TREE_EMPTY)
        /* massif's threshold is 1% of the snapshot's heap, rounded down
		 * to whole bytes as its integer arithmetic does. */
        print_node(out, z, root, 0, root->bytes / 100);
}

static struct node *tree_of_sites(const struct ht_stacks *s, int which)
{
    struct node *root = new_node(0);
    for (size_t i = 0; i < s->nsites; i++) {
        int64_t b = which ? s->sites[i].live_at_peak : s->sites[i].live_bytes;
        if (b)
            add_site(root, &s->sites[i], b);
    }
    return root;
}

void ht_print_massif(FILE *out, const struct ht_report *r, const struct ht_stacks *s,
                     struct ht_symbolizer *z)
{
    fprintf(out, "desc: heaptag report %s (stack depth %d, timeline unit %s)\n", r->path, s->depth,
            s->unit_ms ? "ms" : "bytes");
    fprintf(out, "cmd: %s\ntime_unit: %s\n", r->program, s->unit_ms ? "ms" : "B");
    int seq = 0;
    snapshot(out, &seq, 0, 0, 0, TREE_EMPTY, NULL, z);
    size_t peak_at = 0;
    for (size_t i = 1; i < s->nsamples; i++)
        if (s->samples[i].live_bytes > s->samples[peak_at].live_bytes)
            peak_at = i;
    int64_t last_time = 0;
    int peak_done = 0;
    for (size_t i = 0; i <= s->nsamples; i++) {
        if (i < s->nsamples) {
            const struct ht_sample *m = &s->samples[i];
            int64_t t = s->unit_ms ? m->t_ms : m->t_bytes;
            /* massif's times never decrease; keep a stray one in line. */
            if (t < last_time || (s->unit_ms && t > r->duration_ms))
                t = last_time;
            last_time = t;
            struct node *root = NULL;
            if (m->detail >= 0 && s->depth) {
                const struct ht_detail *d = &s->details[m->detail];
                root = new_node(0);
                for (size_t k = 0; k < d->npairs; k++)
                    add_site(root, ht_stacks_site(s, d->pairs[2 * k]), d->pairs[2 * k + 1]);
            }
            snapshot(out, &seq, t, m->live_bytes, m->live_usable_bytes - m->live_bytes,
                     root ? TREE_DETAILED : TREE_EMPTY, root, z);
            free_tree(root);
        }
        if (!peak_done && (i == peak_at || i == s->nsamples)) {
            /* usable and requested peaks need not coincide; the usable
			 * peak bounds the graph, so the peak stays its highest bar. */
            struct node *root = tree_of_sites(s, 1);
            snapshot(out, &seq, last_time, r->totals.peak_live_bytes,
                     r->totals.peak_live_usable_bytes - r->totals.peak_live_bytes,
                     s->depth ? TREE_PEAK : TREE_EMPTY, root, z);
            free_tree(root);
            peak_done = 1;
        }
    }
    int64_t end = s->unit_ms ? r->duration_ms : r->totals.bytes_requested;
    struct node *root = tree_of_sites(s, 0);
    snapshot(out, &seq, end > last_time ? end : last_time, r->totals.live_bytes,
             r->totals.live_usable_bytes - r->totals.live_bytes,
             s->depth ? TREE_DETAILED : TREE_EMPTY, root, z);
    free_tree(root);
}
