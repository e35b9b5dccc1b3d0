/* Parser for massif.out files; see massif_parse.h for the format.
 *
 * The input is untrusted (the parser is fuzzed), so every line is checked
 * against the exact shape massif writes, numbers are checked for overflow,
 * and tree nodes are kept in a flat array with parent indexes: a hostile
 * file with a very deep tree costs memory proportional to its size, never
 * stack.  Everything is bounded by the buffer length.
 */
#include "massif/massif_parse.h"
#include "infile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A cursor over the buffer, one line at a time. */
struct reader {
    const char *buf;
    size_t len;
    size_t pos;
    int lineno;       /* number of the line last returned */
    const char *line; /* the line last returned, without its newline */
    size_t linelen;
    bool pushed_back; /* next_line returns the same line again */
};

struct parse_error {
    char *err;
    size_t errlen;
};

static void set_err(struct parse_error *pe, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_err(struct parse_error *pe, const char *fmt, ...)
{
    if (pe->errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pe->err, pe->errlen, fmt, ap);
    va_end(ap);
}

/* Return 1 with the next line in r->line, 0 at the end of the buffer, or
** -1 when the last line has no newline (massif always ends its lines, so a
** missing one means the file was cut short) or holds a NUL byte. */
static int next_line(struct reader *r, struct parse_error *pe)
{
    if (r->pushed_back) {
        r->pushed_back = false;
        return 1;
    }
    if (r->pos >= r->len)
        return 0;
    const char *start = r->buf + r->pos;
    size_t rest = r->len - r->pos;
    const char *nl = memchr(start, '\n', rest);
    r->lineno++;
    if (nl == NULL) {
        set_err(pe, "line %d: truncated (no newline at end of file)", r->lineno);
        return -1;
    }
    size_t n = (size_t)(nl - start);
    if (memchr(start, '\0', n) != NULL) {
        set_err(pe, "line %d: NUL byte in text", r->lineno);
        return -1;
    }
    r->line = start;
    r->linelen = n;
    r->pos += n + 1;
    return 1;
}

static void push_back(struct reader *r) { r->pushed_back = true; }

static bool line_is(const struct reader *r, const char *s)
{
    size_t n = strlen(s);
    return r->linelen == n && memcmp(r->line, s, n) == 0;
}

/* If the current line starts with prefix, return the length of prefix. */
static size_t line_starts(const struct reader *r, const char *prefix)
{
    size_t n = strlen(prefix);
    if (r->linelen >= n && memcmp(r->line, prefix, n) == 0)
        return n;
    return 0;
}

/* Parse the decimal digits s[0..n) exactly (no sign, no spaces). */
static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
    if (n == 0)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static char *dup_range(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* Read "key: value" header line; the value may be empty. */
static int read_header(struct reader *r, struct parse_error *pe, const char *key, char **out)
{
    int rc = next_line(r, pe);
    if (rc < 0)
        return -1;
    size_t k;
    if (rc == 0 || (k = line_starts(r, key)) == 0) {
        if (rc == 0)
            set_err(pe, "line %d: file ends before the \"%s\" header", r->lineno + 1, key);
        else
            set_err(pe, "line %d: expected \"%s\" header; not a massif.out file", r->lineno, key);
        return -1;
    }
    /* massif writes "key: value"; tolerate a bare "key:" for empty values */
    size_t skip = k;
    if (skip < r->linelen && r->line[skip] == ' ')
        skip++;
    *out = dup_range(r->line + skip, r->linelen - skip);
    if (*out == NULL) {
        set_err(pe, "out of memory");
        return -1;
    }
    return 0;
}

/* massif writes the command verbatim, so an argument holding a newline
** (python3 -c "...") continues it on the lines up to "time_unit:". */
static int read_cmd_rest(struct reader *r, struct parse_error *pe, char **cmd)
{
    size_t len = strlen(*cmd);
    for (;;) {
        int rc = next_line(r, pe);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            set_err(pe, "line %d: file ends before the \"time_unit:\" header", r->lineno + 1);
            return -1;
        }
        if (line_starts(r, "time_unit:")) {
            push_back(r);
            return 0;
        }
        char *longer = realloc(*cmd, len + 1 + r->linelen + 1);
        if (longer == NULL) {
            set_err(pe, "out of memory");
            return -1;
        }
        longer[len] = '\n';
        memcpy(longer + len + 1, r->line, r->linelen);
        len += 1 + r->linelen;
        longer[len] = '\0';
        *cmd = longer;
    }
}

/* Read "key=<u64>". */
static int read_field(struct reader *r, struct parse_error *pe, const char *key, uint64_t *out)
{
    int rc = next_line(r, pe);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        set_err(pe, "line %d: truncated: file ends where \"%s\" was expected", r->lineno + 1, key);
        return -1;
    }
    size_t k = line_starts(r, key);
    if (k == 0) {
        set_err(pe, "line %d: expected \"%s\"", r->lineno, key);
        return -1;
    }
    if (!parse_u64(r->line + k, r->linelen - k, out)) {
        set_err(pe, "line %d: bad number in \"%.*s\"", r->lineno,
                (int)(r->linelen > 60 ? 60 : r->linelen), r->line);
        return -1;
    }
    return 0;
}

static int expect_separator(struct reader *r, struct parse_error *pe)
{
    int rc = next_line(r, pe);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        set_err(pe, "line %d: truncated: file ends inside a snapshot header", r->lineno + 1);
        return -1;
    }
    if (!line_is(r, "#-----------")) {
        set_err(pe, "line %d: expected \"#-----------\"", r->lineno);
        return -1;
    }
    return 0;
}

/* Split a node label "0xADDR: fn (where)" into its parts.  Function names
** may themselves hold parentheses and spaces (C++ signatures), so the
** location is the last " (...)" group that closes the line. */
static int split_label(struct massif_node *nd, const char *s, size_t n)
{
    const char *fn = s;
    size_t fnlen = n;
    nd->addr = 0;
    if (n > 2 && s[0] == '0' && s[1] == 'x') {
        size_t i = 2;
        uint64_t a = 0;
        while (i < n && ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F') ||
                         (s[i] >= 'a' && s[i] <= 'f'))) {
            if (i - 2 >= 16)
                return -1;
            unsigned d = s[i] <= '9'   ? (unsigned)(s[i] - '0')
                         : s[i] <= 'F' ? (unsigned)(s[i] - 'A' + 10)
                                       : (unsigned)(s[i] - 'a' + 10);
            a = a * 16 + d;
            i++;
        }
        if (i == 2 || i + 2 > n || s[i] != ':' || s[i + 1] != ' ')
            return -1;
        nd->addr = a;
        fn = s + i + 2;
        fnlen = n - i - 2;
    }
    const char *where = "";
    size_t wlen = 0;
    if (nd->addr != 0 && fnlen >= 2 && fn[fnlen - 1] == ')') {
        /* find the " (" that opens the group closing the line */
        int level = 0;
        for (size_t j = fnlen; j-- > 0;) {
            if (fn[j] == ')')
                level++;
            else if (fn[j] == '(' && --level == 0) {
                if (j > 0 && fn[j - 1] == ' ') {
                    where = fn + j + 1;
                    wlen = fnlen - j - 2;
                    fnlen = j - 1;
                }
                break;
            }
        }
    }
    nd->fn = dup_range(fn, fnlen);
    nd->where = dup_range(where, wlen);
    if (nd->fn == NULL || nd->where == NULL)
        return -2;
    return 0;
}

/* Parse one tree line at r->line into *nd; returns 0, -1 on a malformed
** line (error set), -2 when out of memory. */
static int parse_tree_line(const struct reader *r, struct parse_error *pe, struct massif_node *nd)
{
    const char *s = r->line;
    size_t n = r->linelen, i = 0;
    while (i < n && s[i] == ' ')
        i++;
    nd->depth = (int)(i > 1000000 ? 1000000 : i);
    if (i >= n || s[i] != 'n')
        goto bad;
    size_t j = ++i;
    while (j < n && s[j] >= '0' && s[j] <= '9')
        j++;
    uint64_t kids;
    if (!parse_u64(s + i, j - i, &kids) || kids > 100000000 || j + 1 >= n || s[j] != ':' ||
        s[j + 1] != ' ')
        goto bad;
    nd->nchildren = (int)kids;
    i = j + 2;
    j = i;
    while (j < n && s[j] >= '0' && s[j] <= '9')
        j++;
    if (!parse_u64(s + i, j - i, &nd->bytes) || j >= n || s[j] != ' ' || j + 1 >= n)
        goto bad;
    i = j + 1;
    static const char below[] = "below massif's threshold";
    nd->below_threshold = memmem(s + i, n - i, below, sizeof below - 1) != NULL && n - i > 3 &&
                          memcmp(s + i, "in ", 3) == 0;
    int rc = split_label(nd, s + i, n - i);
    if (rc == -1)
        goto bad;
    if (rc == -2) {
        set_err(pe, "out of memory");
        return -2;
    }
    return 0;
bad:
    set_err(pe, "line %d: malformed heap tree line", r->lineno);
    return -1;
}

static void free_nodes(struct massif_node *nodes, int n)
{
    for (int i = 0; i < n; i++) {
        free(nodes[i].fn);
        free(nodes[i].where);
    }
    free(nodes);
}

/* A heap tree while it is read: the nodes so far, and per node the
** children seen and their bytes; stack[d] = index of the latest node at
** depth d, the parent of the next node at depth d+1. */
struct tree_build {
    struct massif_node *nodes;
    int cap, n;
    int *stack;
    int stackcap;
    int *seen;
    uint64_t *childsum;
};

/* Room for one more node.  0, or -1 with the reason in pe. */
static int grow_nodes(struct tree_build *t, struct parse_error *pe)
{
    if (t->n < t->cap)
        return 0;
    int ncap = t->cap ? t->cap * 2 : 16;
    struct massif_node *nn = realloc(t->nodes, (size_t)ncap * sizeof *nn);
    int *ns = nn ? realloc(t->seen, (size_t)ncap * sizeof *ns) : NULL;
    if (ns)
        t->seen = ns;
    uint64_t *nc = ns ? realloc(t->childsum, (size_t)ncap * sizeof *nc) : NULL;
    if (nn)
        t->nodes = nn;
    if (nc)
        t->childsum = nc;
    if (!nn || !ns || !nc) {
        set_err(pe, "out of memory");
        return -1;
    }
    t->cap = ncap;
    return 0;
}

/* Link the node just read (nodes[n]) to its parent, checking its depth and
** what its parent declared.  0, or -1 with the reason in pe. */
static int place_node(struct tree_build *t, struct reader *r, struct parse_error *pe)
{
    struct massif_node *nodes = t->nodes;
    int n = t->n, d = nodes[n].depth;
    if (n == 0 && d != 0) {
        set_err(pe, "line %d: heap tree does not start at its root", r->lineno);
        return -1;
    }
    if (n > 0 && (d == 0 || d > nodes[n - 1].depth + 1)) {
        set_err(pe, "line %d: heap tree line at the wrong depth", r->lineno);
        return -1;
    }
    if (d >= t->stackcap) {
        int ncap = t->stackcap ? t->stackcap * 2 : 64;
        while (ncap <= d)
            ncap *= 2;
        int *ns = realloc(t->stack, (size_t)ncap * sizeof *ns);
        if (!ns) {
            set_err(pe, "out of memory");
            return -1;
        }
        t->stack = ns;
        t->stackcap = ncap;
    }
    struct massif_node *nd = &nodes[n];
    nd->parent = d == 0 ? -1 : t->stack[d - 1];
    if (nd->parent >= 0) {
        int p = nd->parent;
        if (++t->seen[p] > nodes[p].nchildren) {
            set_err(pe, "line %d: heap tree node has more children than it declares", r->lineno);
            return -1;
        }
        t->childsum[p] += nd->bytes;
        if (t->childsum[p] < nd->bytes || t->childsum[p] > nodes[p].bytes) {
            set_err(pe, "line %d: heap tree children add up to more than their parent", r->lineno);
            return -1;
        }
    }
    t->stack[d] = n;
    return 0;
}

/* The whole tree: present, every node with all its children, and a root
** that holds the snapshot's heap.  0, or -1 with the reason in pe. */
static int check_tree(const struct tree_build *t, const struct reader *r, struct parse_error *pe,
                      const struct massif_snapshot *sn)
{
    if (t->n == 0) {
        set_err(pe, "line %d: snapshot %d declares a heap tree but has none", r->lineno, sn->index);
        return -1;
    }
    for (int i = 0; i < t->n; i++) {
        if (t->seen[i] != t->nodes[i].nchildren) {
            set_err(pe,
                    "line %d: truncated heap tree in snapshot %d "
                    "(a node declares %d children, %d follow)",
                    r->lineno, sn->index, t->nodes[i].nchildren, t->seen[i]);
            return -1;
        }
    }
    if (t->nodes[0].bytes != sn->heap) {
        set_err(pe, "snapshot %d: heap tree total %llu differs from mem_heap_B %llu", sn->index,
                (unsigned long long)t->nodes[0].bytes, (unsigned long long)sn->heap);
        return -1;
    }
    return 0;
}

/* Read the tree that follows a detailed or peak snapshot header, up to the
** next separator or the end of the file, and check it is well formed: one
** root, each line at most one level deeper than the one before, each node
** with exactly the number of children it declares, and children's bytes
** never adding up to more than their parent's. */
static int parse_tree(struct reader *r, struct parse_error *pe, struct massif_snapshot *sn)
{
    struct tree_build t = {0};
    int rc;
    for (;;) {
        rc = next_line(r, pe);
        if (rc < 0)
            goto fail;
        if (rc == 0)
            break;
        if (r->linelen > 0 && r->line[0] == '#') {
            push_back(r);
            break;
        }
        if (grow_nodes(&t, pe) < 0)
            goto fail;
        struct massif_node *nd = &t.nodes[t.n];
        memset(nd, 0, sizeof *nd);
        t.seen[t.n] = 0;
        t.childsum[t.n] = 0;
        if (parse_tree_line(r, pe, nd) < 0 || place_node(&t, r, pe) < 0) {
            free(nd->fn);
            free(nd->where);
            goto fail;
        }
        t.n++;
    }
    if (check_tree(&t, r, pe, sn) < 0)
        goto fail;
    free(t.stack);
    free(t.seen);
    free(t.childsum);
    sn->nodes = t.nodes;
    sn->nnodes = t.n;
    return 0;
fail:
    free(t.stack);
    free(t.seen);
    free(t.childsum);
    free_nodes(t.nodes, t.n);
    return -1;
}

static int parse_snapshot(struct reader *r, struct parse_error *pe, struct massif_snapshot *sn,
                          int expect_index)
{
    uint64_t idx;
    int rc = next_line(r, pe);
    if (rc <= 0) {
        if (rc == 0)
            set_err(pe, "line %d: truncated: file ends inside a snapshot header", r->lineno + 1);
        return -1;
    }
    size_t k = line_starts(r, "snapshot=");
    if (k == 0) {
        set_err(pe, "line %d: expected \"snapshot=N\"", r->lineno);
        return -1;
    }
    if (!parse_u64(r->line + k, r->linelen - k, &idx)) {
        set_err(pe, "line %d: bad snapshot number", r->lineno);
        return -1;
    }
    if (idx != (uint64_t)expect_index) {
        set_err(pe, "line %d: snapshot %llu out of order (expected %d)", r->lineno,
                (unsigned long long)idx, expect_index);
        return -1;
    }
    sn->index = expect_index;
    if (expect_separator(r, pe) < 0 || read_field(r, pe, "time=", &sn->time) < 0 ||
        read_field(r, pe, "mem_heap_B=", &sn->heap) < 0 ||
        read_field(r, pe, "mem_heap_extra_B=", &sn->heap_extra) < 0 ||
        read_field(r, pe, "mem_stacks_B=", &sn->stacks) < 0)
        return -1;
    rc = next_line(r, pe);
    if (rc <= 0) {
        if (rc == 0)
            set_err(pe, "line %d: truncated: file ends where \"heap_tree=\" was expected",
                    r->lineno + 1);
        return -1;
    }
    if (line_is(r, "heap_tree=empty"))
        sn->tree_kind = MASSIF_TREE_EMPTY;
    else if (line_is(r, "heap_tree=detailed"))
        sn->tree_kind = MASSIF_TREE_DETAILED;
    else if (line_is(r, "heap_tree=peak"))
        sn->tree_kind = MASSIF_TREE_PEAK;
    else {
        set_err(pe, "line %d: expected heap_tree=empty|detailed|peak", r->lineno);
        return -1;
    }
    if (sn->tree_kind == MASSIF_TREE_EMPTY)
        return 0;
    return parse_tree(r, pe, sn);
}

void massif_profile_free(struct massif_profile *p)
{
    if (p == NULL)
        return;
    for (int i = 0; i < p->nsnapshots; i++)
        free_nodes(p->snapshots[i].nodes, p->snapshots[i].nnodes);
    free(p->snapshots);
    free(p->desc);
    free(p->cmd);
    free(p->time_unit);
    memset(p, 0, sizeof *p);
    p->peak_snapshot = p->max_snapshot = -1;
}

int massif_parse(const char *buf, size_t len, struct massif_profile *out, char *err, size_t errlen)
{
    struct parse_error pe = {err, errlen};
    struct reader r = {.buf = buf, .len = len};
    memset(out, 0, sizeof *out);
    out->peak_snapshot = out->max_snapshot = -1;
    if (errlen > 0)
        err[0] = '\0';
    if (buf == NULL || len == 0) {
        set_err(&pe, "empty file");
        return -1;
    }
    if (read_header(&r, &pe, "desc:", &out->desc) < 0 ||
        read_header(&r, &pe, "cmd:", &out->cmd) < 0 || read_cmd_rest(&r, &pe, &out->cmd) < 0 ||
        read_header(&r, &pe, "time_unit:", &out->time_unit) < 0)
        goto fail;
    if (strcmp(out->time_unit, "i") != 0 && strcmp(out->time_unit, "ms") != 0 &&
        strcmp(out->time_unit, "B") != 0) {
        set_err(&pe, "line %d: unknown time_unit \"%.20s\"", r.lineno, out->time_unit);
        goto fail;
    }
    int cap = 0;
    for (;;) {
        int rc = next_line(&r, &pe);
        if (rc < 0)
            goto fail;
        if (rc == 0)
            break;
        if (!line_is(&r, "#-----------")) {
            set_err(&pe, "line %d: expected \"#-----------\" before a snapshot", r.lineno);
            goto fail;
        }
        if (out->nsnapshots == cap) {
            int ncap = cap ? cap * 2 : 64;
            struct massif_snapshot *ns = realloc(out->snapshots, (size_t)ncap * sizeof *ns);
            if (!ns) {
                set_err(&pe, "out of memory");
                goto fail;
            }
            out->snapshots = ns;
            cap = ncap;
        }
        struct massif_snapshot *sn = &out->snapshots[out->nsnapshots];
        memset(sn, 0, sizeof *sn);
        if (parse_snapshot(&r, &pe, sn, out->nsnapshots) < 0)
            goto fail;
        out->nsnapshots++;
        if (sn->tree_kind == MASSIF_TREE_PEAK) {
            if (out->peak_snapshot >= 0) {
                set_err(&pe, "snapshot %d: a second peak snapshot", sn->index);
                goto fail;
            }
            out->peak_snapshot = sn->index;
        }
        if (out->max_snapshot < 0 || sn->heap > out->snapshots[out->max_snapshot].heap)
            out->max_snapshot = sn->index;
    }
    if (out->nsnapshots == 0) {
        set_err(&pe, "no snapshots (truncated massif.out?)");
        goto fail;
    }
    return 0;
fail:
    massif_profile_free(out);
    return -1;
}

uint64_t massif_peak_heap(const struct massif_profile *p)
{
    if (p->max_snapshot < 0)
        return 0;
    return p->snapshots[p->max_snapshot].heap;
}

static int cmp_fn_total(const void *a, const void *b)
{
    const struct massif_fn_total *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes < y->bytes ? 1 : -1;
    return strcmp(x->fn, y->fn);
}

/* By name, and within a name the largest site first, so that merging keeps
** the location of the site that matters most. */
static int cmp_fn_name(const void *a, const void *b)
{
    const struct massif_fn_total *x = a, *y = b;
    int c = strcmp(x->fn, y->fn);
    if (c != 0)
        return c;
    if (x->bytes != y->bytes)
        return x->bytes < y->bytes ? 1 : -1;
    return strcmp(x->where, y->where);
}

int massif_peak_functions(const struct massif_profile *p, struct massif_fn_total **out,
                          uint64_t *tree_heap)
{
    *out = NULL;
    const struct massif_snapshot *sn = NULL;
    if (p->peak_snapshot >= 0) {
        sn = &p->snapshots[p->peak_snapshot];
    } else {
        /* No peak tree (hand-made or filtered files): fall back to the
        ** largest detailed tree. */
        for (int i = 0; i < p->nsnapshots; i++) {
            const struct massif_snapshot *s = &p->snapshots[i];
            if (s->tree_kind != MASSIF_TREE_EMPTY && (sn == NULL || s->heap > sn->heap))
                sn = s;
        }
    }
    if (sn == NULL || sn->nnodes == 0)
        return -1;
    if (tree_heap)
        *tree_heap = sn->heap;
    int n = 0;
    struct massif_fn_total *t = malloc((size_t)sn->nodes[0].nchildren * sizeof *t + 1);
    if (t == NULL)
        return -1;
    for (int i = 1; i < sn->nnodes; i++) {
        const struct massif_node *nd = &sn->nodes[i];
        if (nd->depth != 1)
            continue;
        t[n].fn = nd->below_threshold ? "(below threshold)" : nd->fn;
        t[n].where = nd->below_threshold ? "" : nd->where;
        t[n].bytes = nd->bytes;
        n++;
    }
    /* sorting first keeps the merge linear in the number of sites */
    qsort(t, (size_t)n, sizeof *t, cmp_fn_name);
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (m > 0 && strcmp(t[m - 1].fn, t[i].fn) == 0)
            t[m - 1].bytes += t[i].bytes;
        else
            t[m++] = t[i];
    }
    qsort(t, (size_t)m, sizeof *t, cmp_fn_total);
    *out = t;
    return m;
}

char *massif_read_file(const char *path, size_t *len)
{
    int fd = ht_open_input(path); /* a FIFO or device never blocks the open */
    if (fd < 0)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (buf == NULL) {
            close(fd);
            errno = ENOMEM;
            return NULL;
        }
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                continue;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            close(fd);
            errno = e;
            return NULL;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    return buf;
}
