/* page_flame.c — the call tree behind the page's flame graph.
 *
 * Call paths (outermost frame first, as in `report --format collapsed`)
 * are merged into one tree of nodes; each site then names its type, its
 * leaf node and its three weights, and the script adds up whatever type
 * and weight are selected.  The tree's size is bounded: past
 * HT_FLAME_NODES nodes, the remaining (smaller) sites of each type are
 * merged into one "[smaller call sites]" block, and the page says so.  The
 * flame graph's totals stay exact; only the detail of the small sites is
 * given up.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html/page.h"
#include "html/svg.h"
#include "stacks/stacks_out.h"

#define HT_FLAME_NODES 150000

/* Open addressing on 64-bit keys; a key of 0 marks an empty slot. */
struct table {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, used;
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

static int table_grow(struct table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < t->cap; i++)
        if (t->keys[i]) {
            size_t j = mix(t->keys[i]) & (cap - 1);
            while (keys[j])
                j = (j + 1) & (cap - 1);
            keys[j] = t->keys[i];
            vals[j] = t->vals[i];
        }
    free(t->keys);
    free(t->vals);
    t->keys = keys;
    t->vals = vals;
    t->cap = cap;
    return 0;
}

/* The slot of KEY: found (*found 1) or where it would go. */
static size_t table_slot(const struct table *t, uint64_t key, int *found)
{
    size_t j = mix(key) & (t->cap - 1);
    while (t->keys[j] && t->keys[j] != key)
        j = (j + 1) & (t->cap - 1);
    *found = t->keys[j] == key;
    return j;
}

struct tree {
    struct table names_by_hash, nodes_by_edge;
    const char **names;
    uint32_t nnames, cap_names;
    uint32_t *parent, *name;
    uint32_t nnodes, cap_nodes;
};

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h | 1;
}

/* The id of name S; -1 when out of memory.  Equal strings may hash alike
 * only if equal (a 64-bit hash; a collision would merge two names in the
 * picture, never lose bytes). */
static int64_t intern(struct tree *tr, const char *s)
{
    struct table *t = &tr->names_by_hash;
    if ((t->used + 1) * 2 > t->cap && table_grow(t))
        return -1;
    int found;
    uint64_t key = str_hash(s);
    size_t j = table_slot(t, key, &found);
    if (found)
        return t->vals[j];
    if (tr->nnames == tr->cap_names) {
        uint32_t cap = tr->cap_names ? tr->cap_names * 2 : 1024;
        const char **n = realloc(tr->names, cap * sizeof *n);
        if (!n)
            return -1;
        tr->names = n;
        tr->cap_names = cap;
    }
    tr->names[tr->nnames] = s;
    t->keys[j] = key;
    t->vals[j] = tr->nnames;
    t->used++;
    return tr->nnames++;
}

/* The child of PARENT named NAME, created if needed; -1 when out of memory. */
static int64_t child(struct tree *tr, uint32_t parent, uint32_t name)
{
    struct table *t = &tr->nodes_by_edge;
    if ((t->used + 1) * 2 > t->cap && table_grow(t))
        return -1;
    int found;
    uint64_t key = ((uint64_t)parent << 32 | name) + 1;
    size_t j = table_slot(t, key, &found);
    if (found)
        return t->vals[j];
    if (tr->nnodes == tr->cap_nodes) {
        uint32_t cap = tr->cap_nodes ? tr->cap_nodes * 2 : 4096;
        uint32_t *p = realloc(tr->parent, cap * sizeof *p);
        if (p)
            tr->parent = p;
        uint32_t *n = p ? realloc(tr->name, cap * sizeof *n) : NULL;
        if (!n)
            return -1;
        tr->name = n;
        tr->cap_nodes = cap;
    }
    tr->parent[tr->nnodes] = parent;
    tr->name[tr->nnodes] = name;
    t->keys[j] = key;
    t->vals[j] = tr->nnodes;
    t->used++;
    return tr->nnodes++;
}

static void tree_free(struct tree *tr)
{
    free(tr->names_by_hash.keys);
    free(tr->names_by_hash.vals);
    free(tr->nodes_by_edge.keys);
    free(tr->nodes_by_edge.vals);
    free(tr->names);
    free(tr->parent);
    free(tr->name);
}

/* The site's weights: live at the peak, live at exit, allocated. */
static void weights(const struct ht_site *s, double w[3])
{
    w[0] = (double)s->live_at_peak;
    w[1] = (double)s->live_bytes;
    w[2] = (double)s->bytes_requested;
}

struct cand {
    size_t site;
    double score;
};

static int by_score(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->site < y->site ? -1 : x->site > y->site;
}

/* Insert the site's call path; its leaf node, or -1 when out of memory. */
static int64_t insert(struct tree *tr, struct ht_symbolizer *z, const struct ht_site *site,
                      struct ht_pathframe *path, size_t max, uint32_t no_frames)
{
    size_t n = ht_site_path(z, site, 0, path, max);
    if (!n)
        return child(tr, 0, no_frames);
    int64_t node = 0;
    for (size_t k = n; k-- > 0 && node >= 0;) {
        int64_t name = intern(tr, ht_frame_name(z, path[k].fi, path[k].entry));
        node = name < 0 ? -1 : child(tr, (uint32_t)node, (uint32_t)name);
    }
    return node;
}

/* What the flame data's steps share: the tree being built and the
 * per-site and per-type figures. */
struct flame {
    const struct ht_page *p;
    struct tree tr;
    size_t nt, depth, nc, shown, i0;
    double *type_tot, all_tot[3];
    double *agg;
    size_t *agg_n;
    struct cand *c;
    int64_t *leaf;
    struct ht_pathframe *path;
    int64_t agg_node, nostack_node;
};

/* The sites with any weight become candidates; the totals per type and
 * over all. */
static void fl_candidates(struct flame *f)
{
    const struct ht_stacks *s = f->p->s;
    for (size_t i = 0; i < s->nsites; i++) {
        double w[3];
        weights(&s->sites[i], w);
        size_t t = f->p->site_type[i];
        f->leaf[i] = -1;
        if (t == SIZE_MAX || (!w[0] && !w[1] && !w[2]))
            continue;
        for (int k = 0; k < 3; k++) {
            f->type_tot[t * 3 + k] += w[k];
            f->all_tot[k] += w[k];
        }
        f->c[f->nc++].site = i;
    }
}

/* First the sites that matter to the whole program, then, with the
 * rest of the budget, those that matter to their own type: a small
 * type selected on the page still shows its own call sites.  -1 when
 * out of memory. */
static int fl_select(struct flame *f, size_t max_nodes, uint32_t no_frames)
{
    const struct ht_page *p = f->p;
    const struct ht_stacks *s = p->s;
    struct cand *c = f->c;
    for (int phase = 0; phase < 2; phase++) {
        for (size_t i = f->i0; i < f->nc; i++) {
            double w[3], sc = 0;
            const struct ht_site *site = &s->sites[c[i].site];
            weights(site, w);
            for (int k = 0; k < 3; k++) {
                double tot = phase ? f->type_tot[p->site_type[c[i].site] * 3 + k] : f->all_tot[k];
                if (tot > 0 && w[k] / tot > sc)
                    sc = w[k] / tot;
            }
            c[i].score = sc;
        }
        qsort(c + f->i0, f->nc - f->i0, sizeof *c, by_score);
        size_t budget = phase ? max_nodes : max_nodes * 3 / 5;
        while (f->i0 < f->nc && f->tr.nnodes < budget) {
            const struct ht_site *site = &s->sites[c[f->i0].site];
            if ((f->leaf[c[f->i0].site] =
                     insert(&f->tr, p->z, site, f->path, f->depth, no_frames)) < 0)
                return -1;
            f->i0++;
            f->shown++;
        }
    }
    return 0;
}

/* The rest: one block per type.  -1 when out of memory. */
static int fl_aggregate(struct flame *f)
{
    const struct ht_stacks *s = f->p->s;
    for (size_t i = f->i0; i < f->nc; i++) {
        double w[3];
        size_t t = f->p->site_type[f->c[i].site];
        weights(&s->sites[f->c[i].site], w);
        for (int k = 0; k < 3; k++)
            f->agg[t * 3 + k] += w[k];
        f->agg_n[t]++;
    }
    int64_t agg_name = intern(&f->tr, "[smaller call sites]"),
            nostack_name = intern(&f->tr, "[no stack]");
    f->agg_node = agg_name < 0 ? -1 : child(&f->tr, 0, (uint32_t)agg_name);
    f->nostack_node = nostack_name < 0 ? -1 : child(&f->tr, 0, (uint32_t)nostack_name);
    return f->agg_node < 0 || f->nostack_node < 0 ? -1 : 0;
}

static void fl_write_tree(FILE *out, const struct flame *f)
{
    const struct tree *tr = &f->tr;
    fputs("{\"names\":[", out);
    for (uint32_t i = 0; i < tr->nnames; i++) {
        fputs(i ? "," : "", out);
        ht_json_str(out, tr->names[i]);
    }
    fputs("],\n\"parent\":[-1", out);
    for (uint32_t i = 1; i < tr->nnodes; i++)
        fprintf(out, ",%" PRIu32, tr->parent[i]);
    fputs("],\n\"name\":[", out);
    for (uint32_t i = 0; i < tr->nnodes; i++)
        fprintf(out, "%s%" PRIu32, i ? "," : "", tr->name[i]);
    fputs("],\n\"types\":[", out);
    for (size_t t = 0; t < f->nt; t++) {
        fputs(t ? "," : "", out);
        ht_json_str(out, f->p->r->types[t].name);
    }
}

/* Sites as flat quintuples: type, leaf node, peak, live, allocated. */
static void fl_write_sites(FILE *out, const struct flame *f)
{
    const struct ht_page *p = f->p;
    const struct ht_report *r = p->r;
    const struct ht_stacks *s = p->s;
    fputs("],\n\"sites\":[", out);
    int first = 1;
    for (size_t i = 0; i < s->nsites; i++) {
        if (f->leaf[i] < 0)
            continue;
        const struct ht_site *site = &s->sites[i];
        fprintf(out, "%s%zu,%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64, first ? "" : ",\n",
                p->site_type[i], f->leaf[i], site->live_at_peak, site->live_bytes,
                site->bytes_requested);
        first = 0;
    }
    for (size_t t = 0; t < f->nt; t++) {
        if (f->agg_n[t]) {
            fprintf(out, "%s%zu,%" PRId64 ",%.0f,%.0f,%.0f", first ? "" : ",\n", t, f->agg_node,
                    f->agg[t * 3], f->agg[t * 3 + 1], f->agg[t * 3 + 2]);
            first = 0;
        }
        /* Bytes of the type no site accounts for, as in the folded
		 * stacks (not for the peak weight: a type's own peak is
		 * another moment's figure). */
        double live = (double)r->types[t].live_bytes - f->type_tot[t * 3 + 1];
        double alloc = (double)r->types[t].bytes_requested - f->type_tot[t * 3 + 2];
        if (live > 0 || alloc > 0) {
            fprintf(out, "%s%zu,%" PRId64 ",0,%.0f,%.0f", first ? "" : ",\n", t, f->nostack_node,
                    live > 0 ? live : 0, alloc > 0 ? alloc : 0);
            first = 0;
        }
    }
}

int ht_page_flame_data(FILE *out, const struct ht_page *p, size_t max_nodes)
{
    const struct ht_report *r = p->r;
    const struct ht_stacks *s = p->s;
    if (!s->depth) {
        fputs("null", out);
        return 0;
    }
    if (!max_nodes)
        max_nodes = HT_FLAME_NODES;
    struct flame f = {.p = p, .nt = r->ntypes, .depth = (size_t)s->depth * 8};
    size_t nt = f.nt;
    f.type_tot = calloc(nt * 3 + 3, sizeof *f.type_tot);
    f.agg = calloc(nt * 3 + 3, sizeof *f.agg);
    f.agg_n = calloc(nt + 1, sizeof *f.agg_n);
    f.c = calloc(s->nsites + 1, sizeof *f.c);
    f.leaf = calloc(s->nsites + 1, sizeof *f.leaf);
    f.path = calloc(f.depth, sizeof *f.path);
    int rc = -1;
    if (!f.type_tot || !f.agg || !f.agg_n || !f.c || !f.leaf || !f.path)
        goto out;
    /* Node 0 is the root; its name is never shown. */
    int64_t root_name = intern(&f.tr, "all");
    int64_t no_frames = intern(&f.tr, "[no frames]");
    if (root_name < 0 || no_frames < 0 || child(&f.tr, UINT32_MAX, (uint32_t)root_name) != 0)
        goto out;
    f.tr.parent[0] = UINT32_MAX;

    fl_candidates(&f);
    if (fl_select(&f, max_nodes, (uint32_t)no_frames) < 0 || fl_aggregate(&f) < 0)
        goto out;
    fl_write_tree(out, &f);
    fl_write_sites(out, &f);
    double agg_all[3] = {0};
    for (size_t t = 0; t < nt; t++)
        for (int k = 0; k < 3; k++)
            agg_all[k] += f.agg[t * 3 + k];
    fprintf(out,
            "],\n\"nsites\":%zu,\"shown\":%zu,\"aggregated\":[%.0f,%.0f,%.0f],\"total\":[%.0f,%.0f,"
            "%.0f]}",
            f.nc, f.shown, agg_all[0], agg_all[1], agg_all[2], f.all_tot[0], f.all_tot[1],
            f.all_tot[2]);
    rc = 0;
out:
    tree_free(&f.tr);
    free(f.type_tot);
    free(f.agg);
    free(f.agg_n);
    free(f.c);
    free(f.leaf);
    free(f.path);
    return rc;
}
