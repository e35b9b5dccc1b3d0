/* pprof.c — a report as a gzipped pprof profile (pprof.h).
 *
 * Field numbers are those of profile.proto
 * (github.com/google/pprof/proto/profile.proto); docs/adr/0010 says why
 * this is written by hand rather than with protobuf-c.
 *
 * Every figure of the report ends up in exactly one sample: each site's
 * own figures, then per type what its sites do not account for (blocks
 * without a stack, or rounding of sampled estimates) as a sample whose
 * only frame is "[TYPE] (no call stack)".  So each sample type's total
 * equals the report's total.
 */
#include "pprof/pprof.h"

#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "pprof/pb.h"

/* A string table with a hash index. */
struct strtab {
    char **s;
    size_t n, cap;
    size_t *idx; /* open addressing: index+1, 0 empty */
    size_t icap;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int64_t str_id(struct strtab *t, const char *s)
{
    if (!s)
        s = "";
    if (t->n * 2 >= t->icap) {
        size_t ncap = t->icap ? t->icap * 2 : 1024;
        size_t *ni = calloc(ncap, sizeof *ni);
        if (!ni)
            return -1;
        for (size_t i = 0; i < t->n; i++) {
            size_t j = hash_str(t->s[i]) & (ncap - 1);
            while (ni[j])
                j = (j + 1) & (ncap - 1);
            ni[j] = i + 1;
        }
        free(t->idx);
        t->idx = ni;
        t->icap = ncap;
    }
    size_t j = hash_str(s) & (t->icap - 1);
    for (; t->idx[j]; j = (j + 1) & (t->icap - 1))
        if (!strcmp(t->s[t->idx[j] - 1], s))
            return (int64_t)(t->idx[j] - 1);
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 256;
        char **ns = realloc(t->s, ncap * sizeof *ns);
        if (!ns)
            return -1;
        t->s = ns;
        t->cap = ncap;
    }
    if (!(t->s[t->n] = strdup(s)))
        return -1;
    t->idx[j] = ++t->n;
    return (int64_t)(t->n - 1);
}

static void strtab_free(struct strtab *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->s[i]);
    free(t->s);
    free(t->idx);
}

/* uint64 -> uint64 map (frame address -> location id; 0 is no key). */
struct u64map {
    uint64_t *k, *v;
    size_t n, cap;
};

static uint64_t *u64map_slot(struct u64map *m, uint64_t key)
{
    if (m->n * 2 >= m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 1024;
        uint64_t *nk = calloc(ncap, sizeof *nk), *nv = calloc(ncap, sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return NULL;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->k[i]) {
                size_t j = (m->k[i] * 0x9e3779b97f4a7c15ULL) & (ncap - 1);
                while (nk[j])
                    j = (j + 1) & (ncap - 1);
                nk[j] = m->k[i];
                nv[j] = m->v[i];
            }
        free(m->k);
        free(m->v);
        m->k = nk;
        m->v = nv;
        m->cap = ncap;
    }
    size_t j = (key * 0x9e3779b97f4a7c15ULL) & (m->cap - 1);
    while (m->k[j] && m->k[j] != key)
        j = (j + 1) & (m->cap - 1);
    if (!m->k[j]) {
        m->k[j] = key;
        m->n++;
    }
    return &m->v[j];
}

struct writer {
    struct strtab str;
    struct pb prof, msg, sub;
    struct u64map locs;  /* address+1 -> location id */
    struct u64map funcs; /* hash of (name, file) -> function id */
    uint64_t nlocs, nfuncs;
    const struct ht_stacks *s;
    struct ht_symbolizer *z;
    int fail;
};

static int64_t S(struct writer *w, const char *s)
{
    int64_t id = str_id(&w->str, s);
    if (id < 0) {
        w->fail = 1;
        return 0;
    }
    return id;
}

static uint64_t function_id(struct writer *w, const char *name, const char *file)
{
    uint64_t key = hash_str(name) * 31 + hash_str(file ? file : "") + 1;
    uint64_t *slot = u64map_slot(&w->funcs, key);
    if (!slot) {
        w->fail = 1;
        return 0;
    }
    if (*slot)
        return *slot;
    *slot = ++w->nfuncs;
    pb_reset(&w->msg);
    pb_uint(&w->msg, 1, *slot);
    pb_int(&w->msg, 2, S(w, name));
    pb_int(&w->msg, 3, S(w, name));
    pb_int(&w->msg, 4, S(w, file));
    pb_msg(&w->prof, 5, &w->msg);
    return *slot;
}

/* The location of a frame address (written on first use). */
static uint64_t location_id(struct writer *w, uint64_t addr)
{
    uint64_t *slot = u64map_slot(&w->locs, addr + 1);
    if (!slot) {
        w->fail = 1;
        return 0;
    }
    if (*slot)
        return *slot;
    uint64_t id = *slot = ++w->nlocs;
    const struct ht_frame_info *fi = ht_symbolize(w->z, addr);
    const struct ht_module *m = ht_stacks_module(w->s, addr);
    struct pb loc = {0};
    pb_uint(&loc, 1, id);
    if (m)
        pb_uint(&loc, 2, (uint64_t)(m - w->s->modules) + 1);
    pb_uint(&loc, 3, addr);
    for (int e = 0; fi && e < fi->nentries; e++) {
        const struct ht_sym_entry *se = &fi->entries[e];
        const char *name = se->function ? se->function : ht_frame_name(w->z, fi, e);
        uint64_t f = function_id(w, name, se->file);
        pb_reset(&w->sub);
        pb_uint(&w->sub, 1, f);
        pb_int(&w->sub, 2, se->line);
        pb_msg(&loc, 4, &w->sub);
    }
    pb_msg(&w->prof, 4, &loc);
    pb_free(&loc);
    return id;
}

/* A location for the blocks of TYPE that no call site accounts for. */
static uint64_t type_location(struct writer *w, const char *type)
{
    char name[512];
    snprintf(name, sizeof name, "[%s] (no call stack)", type);
    uint64_t id = ++w->nlocs;
    struct pb loc = {0};
    pb_uint(&loc, 1, id);
    pb_reset(&w->sub);
    pb_uint(&w->sub, 1, function_id(w, name, NULL));
    pb_msg(&loc, 4, &w->sub);
    pb_msg(&w->prof, 4, &loc);
    pb_free(&loc);
    return id;
}

static void sample(struct writer *w, const uint64_t *locs, size_t nlocs, const int64_t v[4],
                   const char *type)
{
    struct pb smp = {0};
    pb_packed(&smp, 1, locs, nlocs);
    pb_packed(&smp, 2, (const uint64_t *)v, 4);
    pb_reset(&w->sub);
    pb_int(&w->sub, 1, S(w, "type"));
    pb_int(&w->sub, 2, S(w, type));
    pb_msg(&smp, 3, &w->sub);
    pb_msg(&w->prof, 2, &smp);
    pb_free(&smp);
}

static void value_type(struct writer *w, unsigned field, const char *type, const char *unit)
{
    pb_reset(&w->msg);
    pb_int(&w->msg, 1, S(w, type));
    pb_int(&w->msg, 2, S(w, unit));
    pb_msg(&w->prof, field, &w->msg);
}

/* The GNU build ID of the ELF file at PATH as hex, or "" */
static void build_id(const char *path, char *out, size_t cap)
{
    out[0] = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    elf_version(EV_CURRENT);
    Elf *e = elf_begin(fd, ELF_C_READ, NULL);
    const void *id = NULL;
    ssize_t n = e ? dwelf_elf_gnu_build_id(e, &id) : -1;
    for (ssize_t i = 0; i < n && (size_t)(2 * i + 2) < cap; i++)
        snprintf(out + 2 * i, 3, "%02x", ((const unsigned char *)id)[i]);
    if (e)
        elf_end(e);
    close(fd);
}

static void comment(struct writer *w, const char *text) { pb_int(&w->prof, 13, S(w, text)); }

/* The comments that say a sampled profile holds estimates. */
static int64_t sampling_comments(struct writer *w, const struct ht_report *r)
{
    json_t *smp = json_object_get(r->json, "sampling");
    if (!json_is_object(smp)) {
        comment(w, "heaptag: exact figures (every allocation tracked)");
        return 0;
    }
    int64_t mean = json_integer_value(json_object_get(smp, "mean_bytes"));
    char line[768];
    snprintf(line, sizeof line,
             "heaptag: sampled, one sample per %lld bytes allocated on "
             "average; every value is an estimate (95%% bounds follow)",
             (long long)mean);
    comment(w, line);
    json_t *types = json_object_get(smp, "types"), *t;
    size_t i;
    json_array_foreach(types, i, t)
    {
        snprintf(line, sizeof line,
                 "heaptag: type %s: alloc_objects +-%lld, alloc_space "
                 "+-%lld, inuse_objects +-%lld, inuse_space +-%lld (%lld samples)",
                 json_string_value(json_object_get(t, "name")),
                 (long long)json_integer_value(json_object_get(t, "alloc_calls")),
                 (long long)json_integer_value(json_object_get(t, "bytes_requested")),
                 (long long)json_integer_value(json_object_get(t, "live_blocks")),
                 (long long)json_integer_value(json_object_get(t, "live_bytes")),
                 (long long)json_integer_value(json_object_get(t, "samples")));
        comment(w, line);
    }
    return mean;
}

static int gzip_out(FILE *out, const struct pb *p, char *err, size_t errlen)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        snprintf(err, errlen, "cannot start gzip");
        return -1;
    }
    unsigned char buf[65536];
    zs.next_in = p->data;
    zs.avail_in = (uInt)p->len;
    int rc;
    do {
        zs.next_out = buf;
        zs.avail_out = sizeof buf;
        rc = deflate(&zs, Z_FINISH);
        size_t have = sizeof buf - zs.avail_out;
        if (have && fwrite(buf, 1, have, out) != have) {
            deflateEnd(&zs);
            snprintf(err, errlen, "write error");
            return -1;
        }
    } while (rc == Z_OK);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        snprintf(err, errlen, "gzip failed");
        return -1;
    }
    return 0;
}

int ht_write_pprof(FILE *out, const struct ht_report *r, const struct ht_stacks *s,
                   struct ht_symbolizer *z, char *err, size_t errlen)
{
    struct writer w = {.s = s, .z = z};
    S(&w, ""); /* string 0 is the empty string */
    value_type(&w, 1, "alloc_objects", "count");
    value_type(&w, 1, "alloc_space", "bytes");
    value_type(&w, 1, "inuse_objects", "count");
    value_type(&w, 1, "inuse_space", "bytes");

    /* What the sites of each type add up to, to find the remainder. */
    int64_t(*by_type)[4] = calloc(r->ntypes + 1, sizeof *by_type);
    uint64_t *locs =
        malloc((s->depth > 0 ? (size_t)s->depth : 1) * sizeof *locs + 8 * sizeof *locs);
    if (!by_type || !locs)
        w.fail = 1;
    for (size_t i = 0; !w.fail && i < s->nsites; i++) {
        const struct ht_site *site = &s->sites[i];
        int64_t v[4] = {site->alloc_calls, site->bytes_requested, site->live_blocks,
                        site->live_bytes};
        size_t n = 0;
        for (size_t f = 0; f < site->nframes && f < (size_t)s->depth + 8; f++)
            locs[n++] = location_id(&w, site->frames[f]);
        sample(&w, locs, n, v, site->type);
        for (size_t t = 0; t < r->ntypes; t++)
            if (!strcmp(r->types[t].name, site->type)) {
                for (int k = 0; k < 4; k++)
                    by_type[t][k] += v[k];
                break;
            }
    }
    for (size_t t = 0; !w.fail && t < r->ntypes; t++) {
        const struct ht_type *ty = &r->types[t];
        int64_t v[4] = {ty->alloc_calls - by_type[t][0], ty->bytes_requested - by_type[t][1],
                        ty->live_blocks - by_type[t][2], ty->live_bytes - by_type[t][3]};
        if (!v[0] && !v[1] && !v[2] && !v[3])
            continue;
        uint64_t loc = type_location(&w, ty->name);
        sample(&w, &loc, 1, v, ty->name);
    }
    free(by_type);
    free(locs);

    for (size_t i = 0; i < s->nmodules; i++) {
        const struct ht_module *m = &s->modules[i];
        char bid[160];
        build_id(m->path, bid, sizeof bid);
        pb_reset(&w.msg);
        pb_uint(&w.msg, 1, i + 1);
        pb_uint(&w.msg, 2, m->start);
        pb_uint(&w.msg, 3, m->end);
        pb_uint(&w.msg, 4, m->offset);
        pb_int(&w.msg, 5, S(&w, m->path));
        pb_int(&w.msg, 6, S(&w, bid));
        pb_uint(&w.msg, 7, 1);
        pb_uint(&w.msg, 8, 1);
        pb_uint(&w.msg, 9, 1);
        pb_uint(&w.msg, 10, 1);
        pb_msg(&w.prof, 3, &w.msg);
    }
    int64_t mean = sampling_comments(&w, r);
    struct stat st;
    int64_t t_ns = r->path && stat(r->path, &st) == 0
                       ? (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec
                       : 0;
    pb_int(&w.prof, 9, t_ns);
    pb_int(&w.prof, 10, r->duration_ms * 1000000);
    pb_reset(&w.msg);
    pb_int(&w.msg, 1, S(&w, "space"));
    pb_int(&w.msg, 2, S(&w, "bytes"));
    pb_msg(&w.prof, 11, &w.msg);
    pb_int(&w.prof, 12, mean);
    pb_int(&w.prof, 14, S(&w, "inuse_space"));
    for (size_t i = 0; i < w.str.n; i++)
        pb_bytes(&w.prof, 6, w.str.s[i], strlen(w.str.s[i]));

    int rc = 0;
    if (w.fail || w.prof.oom) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    } else {
        rc = gzip_out(out, &w.prof, err, errlen);
    }
    strtab_free(&w.str);
    pb_free(&w.prof);
    pb_free(&w.msg);
    pb_free(&w.sub);
    free(w.locs.k);
    free(w.locs.v);
    free(w.funcs.k);
    free(w.funcs.v);
    return rc;
}
