/* Libdwfl behind ht_symbolize().
 *
 * One Dwfl per module file, each reported at bias 0, so a frame is looked up by its ELF
 * virtual address: modules of one report may overlap in time (dlclose, dlopen) but never
 * confuse each other that way.
 */
#include "stacks/symbolize.h"
#include "textsafe.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <fnmatch.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* libstdc++'s demangler (the Itanium C++ ABI's). */
extern char *__cxa_demangle(const char *mangled, char *out, size_t *len, int *status);

struct module_dwfl {
    char *path;
    Dwfl *dwfl;
    Dwfl_Module *mod; /* NULL: the file could not be read */
    GElf_Addr bias;
    int has_dwarf;
};

struct frame_slot {
    struct ht_frame_info info;
    char **names; /* per entry: what ht_frame_name() returns */
};

struct ht_symbolizer {
    const struct ht_stacks *stacks;
    struct module_dwfl *mods;
    size_t nmods, capmods;
    struct frame_slot **table; /* open addressing on addr */
    size_t cap, used;
};

static char *debuginfo_path;
static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .debuginfo_path = &debuginfo_path,
};

struct ht_symbolizer *ht_symbolizer_new(const struct ht_stacks *s)
{
    struct ht_symbolizer *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    z->stacks = s;
    z->cap = 1024;
    if (!(z->table = calloc(z->cap, sizeof *z->table))) {
        free(z);
        return NULL;
    }
    return z;
}

static void free_slot(struct frame_slot *f)
{
    for (int i = 0; i < f->info.nentries; i++) {
        free((char *)f->info.entries[i].function);
        free((char *)f->info.entries[i].file);
        free(f->names[i]);
    }
    free(f->info.entries);
    free(f->names);
    free(f);
}

void ht_symbolizer_free(struct ht_symbolizer *z)
{
    if (!z)
        return;
    for (size_t i = 0; i < z->cap; i++)
        if (z->table[i])
            free_slot(z->table[i]);
    for (size_t i = 0; i < z->nmods; i++) {
        if (z->mods[i].dwfl)
            dwfl_end(z->mods[i].dwfl);
        free(z->mods[i].path);
    }
    free(z->mods);
    free(z->table);
    free(z);
}

static struct module_dwfl *module_for(struct ht_symbolizer *z, const char *path)
{
    for (size_t i = 0; i < z->nmods; i++)
        if (!strcmp(z->mods[i].path, path))
            return &z->mods[i];
    if (z->nmods == z->capmods) {
        size_t cap = z->capmods ? 2 * z->capmods : 16;
        struct module_dwfl *m = realloc(z->mods, cap * sizeof *m);
        if (!m)
            return NULL;
        z->mods = m;
        z->capmods = cap;
    }
    struct module_dwfl *m = &z->mods[z->nmods];
    memset(m, 0, sizeof *m);
    if (!(m->path = strdup(path)))
        return NULL;
    z->nmods++;
    /* The path comes from the report: it may name a FIFO (opening it
	 * would wait forever), a device or a directory.  Open without
	 * blocking, keep only a regular file, and hand that descriptor to
	 * libdwfl so the file checked is the file read. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return m;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        char shown[256];
        fprintf(stderr, "heaptag: module %s is not a regular file: its frames stay unsymbolized\n",
                ht_safe_name(path, 200, shown, sizeof shown));
        close(fd);
        return m;
    }
    if (!(m->dwfl = dwfl_begin(&callbacks))) {
        close(fd);
        return m;
    }
    const char *base = strrchr(path, '/');
    /* libdwfl owns FD from here (closed by dwfl_end). */
    m->mod = dwfl_report_elf(m->dwfl, base ? base + 1 : path, path, fd, 0, true);
    dwfl_report_end(m->dwfl, NULL, NULL);
    if (m->mod && !dwfl_module_getelf(m->mod, &m->bias))
        m->mod = NULL;
    /* Asked once: libdw 0.188 searches (and leaks a path) anew on every
	 * line or DIE lookup in a module whose debug info is missing. */
    Dwarf_Addr dbias;
    m->has_dwarf = m->mod && dwfl_module_getdwarf(m->mod, &dbias) != NULL;
    return m;
}

/* The ELF virtual address at file offset OFF, through the PT_LOAD
 * segment that maps it; -1 if none does. */
static int64_t offset_to_vaddr(Dwfl_Module *mod, uint64_t off)
{
    GElf_Addr bias;
    Elf *elf = dwfl_module_getelf(mod, &bias);
    size_t n;
    if (!elf || elf_getphdrnum(elf, &n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
            continue;
        if (off >= ph.p_offset && off < ph.p_offset + ph.p_filesz)
            return (int64_t)(ph.p_vaddr + (off - ph.p_offset));
    }
    return -1;
}

static char *demangle(const char *name)
{
    if (!name)
        return NULL;
    if (name[0] == '_' && name[1] == 'Z') {
        int status;
        char *d = __cxa_demangle(name, NULL, NULL, &status);
        if (d && status == 0)
            return d;
        free(d);
    }
    return strdup(name);
}

static const char *die_name(Dwarf_Die *d)
{
    Dwarf_Attribute a;
    const char *n = dwarf_formstring(dwarf_attr_integrate(d, DW_AT_linkage_name, &a));
    if (!n)
        n = dwarf_formstring(dwarf_attr_integrate(d, DW_AT_MIPS_linkage_name, &a));
    if (!n)
        n = dwarf_formstring(dwarf_attr_integrate(d, DW_AT_name, &a));
    return n;
}

static int add_entry(struct ht_frame_info *fi, const char *fn, const char *file, int line)
{
    struct ht_sym_entry *e = realloc(fi->entries, (size_t)(fi->nentries + 1) * sizeof *e);
    if (!e)
        return -1;
    fi->entries = e;
    e[fi->nentries].function = demangle(fn);
    e[fi->nentries].file = file ? strdup(file) : NULL;
    e[fi->nentries].line = line;
    fi->nentries++;
    return 0;
}

/* Function and file:line at PC, with the chain of inlined calls from the
 * DWARF scopes: each DW_TAG_inlined_subroutine's call_file:call_line is
 * where, in the next scope out, that inlined code was called. */
static void resolve(struct ht_frame_info *fi, Dwfl_Module *mod, int has_dwarf, GElf_Addr pc)
{
    GElf_Off symoff;
    GElf_Sym sym;
    const char *symname = dwfl_module_addrinfo(mod, pc, &symoff, &sym, NULL, NULL, NULL);
    Dwfl_Line *ln = has_dwarf ? dwfl_module_getsrc(mod, pc) : NULL;
    int line = 0;
    const char *file = ln ? dwfl_lineinfo(ln, NULL, &line, NULL, NULL, NULL) : NULL;

    Dwarf_Addr dbias;
    Dwarf_Die *cu = has_dwarf ? dwfl_module_addrdie(mod, pc, &dbias) : NULL;
    Dwarf_Die *scopes = NULL;
    int nscopes = cu ? dwarf_getscopes(cu, pc - dbias, &scopes) : 0;
    Dwarf_Files *files = NULL;
    size_t nfiles = 0;
    if (cu && dwarf_getsrcfiles(cu, &files, &nfiles) != 0)
        files = NULL;
    const char *cur_file = file;
    int cur_line = line;
    for (int i = 0; i < nscopes; i++) {
        int tag = dwarf_tag(&scopes[i]);
        if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
            continue;
        const char *name = die_name(&scopes[i]);
        if (tag == DW_TAG_subprogram) {
            /* The symbol table names the real function best (static
			 * functions cloned as foo.constprop.0 keep their name). */
            add_entry(fi, name ? name : symname, cur_file, cur_line);
            break;
        }
        add_entry(fi, name, cur_file, cur_line);
        Dwarf_Attribute a;
        Dwarf_Word idx = 0, cl = 0;
        cur_file = NULL;
        if (files && dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &a), &idx) == 0)
            cur_file = dwarf_filesrc(files, idx, NULL, NULL);
        cur_line =
            dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &a), &cl) == 0 ? (int)cl : 0;
    }
    free(scopes);
    if (!fi->nentries)
        add_entry(fi, symname, file, line);
}

static struct frame_slot *lookup(struct ht_symbolizer *z, uint64_t addr)
{
    const struct ht_module *m = ht_stacks_module(z->stacks, addr);
    struct frame_slot *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    struct ht_frame_info *fi = &f->info;
    fi->addr = addr;
    if (m) {
        fi->module = m->path;
        const char *b = strrchr(m->path, '/');
        fi->module_base = b ? b + 1 : m->path;
        fi->module_offset = addr - m->start + m->offset;
        struct module_dwfl *md = module_for(z, m->path);
        int64_t vaddr = md && md->mod ? offset_to_vaddr(md->mod, fi->module_offset) : -1;
        fi->module_missing = !md || !md->mod;
        if (vaddr > 0)
            resolve(fi, md->mod, md->has_dwarf, (GElf_Addr)vaddr + md->bias - 1);
    }
    if (!fi->nentries)
        add_entry(fi, NULL, NULL, 0);
    if (!(f->names = calloc((size_t)fi->nentries, sizeof *f->names))) {
        free_slot(f);
        return NULL;
    }
    return f;
}

static size_t hash(uint64_t a)
{
    a ^= a >> 33;
    a *= 0xff51afd7ed558ccdULL;
    a ^= a >> 33;
    return (size_t)a;
}

static int grow(struct ht_symbolizer *z)
{
    size_t cap = z->cap * 2;
    struct frame_slot **t = calloc(cap, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < z->cap; i++) {
        if (!z->table[i])
            continue;
        size_t h = hash(z->table[i]->info.addr) & (cap - 1);
        while (t[h])
            h = (h + 1) & (cap - 1);
        t[h] = z->table[i];
    }
    free(z->table);
    z->table = t;
    z->cap = cap;
    return 0;
}

const struct ht_frame_info *ht_symbolize(struct ht_symbolizer *z, uint64_t addr)
{
    size_t h = hash(addr) & (z->cap - 1);
    while (z->table[h]) {
        if (z->table[h]->info.addr == addr)
            return &z->table[h]->info;
        h = (h + 1) & (z->cap - 1);
    }
    struct frame_slot *f = lookup(z, addr);
    if (!f) {
        fprintf(stderr, "heaptag: out of memory\n");
        exit(2);
    }
    z->table[h] = f;
    if (++z->used * 2 > z->cap && grow(z) != 0) {
        fprintf(stderr, "heaptag: out of memory\n");
        exit(2);
    }
    return &f->info;
}

const char *ht_frame_name(struct ht_symbolizer *z, const struct ht_frame_info *fi, int entry)
{
    (void)z;
    struct frame_slot *f = (struct frame_slot *)fi; /* info is the first member */
    if (fi->entries[entry].function)
        return fi->entries[entry].function;
    if (!f->names[entry]) {
        int n = fi->module ? asprintf(&f->names[entry], "%s+0x%llx", fi->module_base,
                                      (unsigned long long)fi->module_offset)
                           : asprintf(&f->names[entry], "0x%llx", (unsigned long long)fi->addr);
        if (n < 0) {
            fprintf(stderr, "heaptag: out of memory\n");
            exit(2);
        }
    }
    return f->names[entry];
}

int ht_is_alloc_wrapper(const char *fn)
{
    static const char *const globs[] = {
        "*malloc*",      "*calloc*",      "*realloc*",  "*memalign*", "valloc",   "pvalloc",
        "aligned_alloc", "operator new*", "*strdup",    "*strndup",   "*memdup*", "__libc_*",
        "*_Mem_*",       "*_Malloc*",     "*_Realloc*", "*_Calloc*",
    };
    if (!fn)
        return 0;
    for (size_t i = 0; i < sizeof globs / sizeof *globs; i++)
        if (fnmatch(globs[i], fn, FNM_CASEFOLD) == 0)
            return 1;
    return 0;
}

int ht_is_runtime_module(const char *b)
{
    return b && (!strncmp(b, "libc.so", 7) || !strncmp(b, "ld-linux", 8) ||
                 !strncmp(b, "libstdc++.so", 12) || !strncmp(b, "libgcc_s.so", 11) ||
                 !strncmp(b, "libm.so", 7));
}

/* elfutils 0.188's dwarf_getscopes leaks a little per call in some DWARF
 * (libc's inlined scopes); it is bounded by the distinct frames of one
 * report and not ours to free.  Tell LeakSanitizer (make SAN=asan) so the
 * tests judge heaptag's own memory only; without a sanitizer nothing
 * calls this. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libdw.so\n"; }
