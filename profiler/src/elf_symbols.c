/* The symbol index of elf_symbols.h. */
#include "elf_symbols.h"
#include "ht_common.h"
#include "os_mem.h"
#include "text_buf.h"
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_MODULES 256

struct func {
    uint64_t start, end;
    const char *name;
};

struct module {
    const void *base; /* dli_fbase: the key */
    int state;        /* 0 empty, 1 indexed, -1 no symbols */
    uintptr_t bias;   /* run-time address - link-time address */
    struct func *funcs;
    size_t nfuncs;
    char path[512];
};

static struct module modules[MAX_MODULES];
static ht_spinlock lock;

struct elf_file {
    const unsigned char *data;
    size_t size;
};

static int map_file(const char *path, struct elf_file *f)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
        close(fd);
        return -1;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return -1;
    const Elf64_Ehdr *eh = p;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_shoff == 0 ||
        eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > (uint64_t)st.st_size) {
        munmap(p, (size_t)st.st_size);
        return -1;
    }
    f->data = p;
    f->size = (size_t)st.st_size;
    return 0;
}

static const Elf64_Shdr *section(const struct elf_file *f, unsigned i)
{
    const Elf64_Ehdr *eh = (const void *)f->data;
    if (i >= eh->e_shnum)
        return NULL;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(f->data + eh->e_shoff) + i;
    if (sh->sh_type != SHT_NOBITS && sh->sh_offset + sh->sh_size > f->size)
        return NULL;
    return sh;
}

static const Elf64_Shdr *find_section(const struct elf_file *f, uint32_t type)
{
    const Elf64_Ehdr *eh = (const void *)f->data;
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        const Elf64_Shdr *sh = section(f, i);
        if (sh && sh->sh_type == type && sh->sh_size)
            return sh;
    }
    return NULL;
}

static const Elf64_Shdr *find_named(const struct elf_file *f, const char *name)
{
    const Elf64_Ehdr *eh = (const void *)f->data;
    const Elf64_Shdr *names = section(f, eh->e_shstrndx);
    if (!names)
        return NULL;
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        const Elf64_Shdr *sh = section(f, i);
        if (sh && sh->sh_name < names->sh_size &&
            strncmp((const char *)f->data + names->sh_offset + sh->sh_name, name,
                    names->sh_size - sh->sh_name) == 0)
            return sh;
    }
    return NULL;
}

/* Debian keeps stripped symbols in /usr/lib/debug/.build-id/xx/rest.debug. */
static int open_debug_by_build_id(const struct elf_file *f, struct elf_file *dbg)
{
    const Elf64_Shdr *note = find_named(f, ".note.gnu.build-id");
    if (!note || note->sh_size < sizeof(Elf64_Nhdr) + 4)
        return -1;
    const Elf64_Nhdr *nh = (const void *)(f->data + note->sh_offset);
    const unsigned char *id = (const unsigned char *)(nh + 1) + ((nh->n_namesz + 3) & ~3u);
    if (nh->n_type != NT_GNU_BUILD_ID || nh->n_descsz < 2 ||
        id + nh->n_descsz > f->data + note->sh_offset + note->sh_size)
        return -1;
    static const char hex[] = "0123456789abcdef";
    char path[256];
    struct text_buf b = TEXT_BUF(path, sizeof path);
    tb_str(&b, "/usr/lib/debug/.build-id/");
    for (unsigned i = 0; i < nh->n_descsz; i++) {
        tb_char(&b, hex[id[i] >> 4]);
        tb_char(&b, hex[id[i] & 15]);
        if (i == 0)
            tb_char(&b, '/');
    }
    tb_str(&b, ".debug");
    tb_cstr(&b);
    return b.truncated ? -1 : map_file(path, dbg);
}

/* Or, older style, /usr/lib/debug/<directory of the file>/<debuglink>. */
static int open_debug_by_link(const struct elf_file *f, const char *path, struct elf_file *dbg)
{
    const Elf64_Shdr *link = find_named(f, ".gnu_debuglink");
    if (!link)
        return -1;
    const char *name = (const char *)f->data + link->sh_offset;
    if (!memchr(name, 0, link->sh_size))
        return -1;
    const char *slash = strrchr(path, '/');
    char buf[1024];
    struct text_buf b = TEXT_BUF(buf, sizeof buf);
    tb_str(&b, "/usr/lib/debug");
    tb_mem(&b, path, slash ? (size_t)(slash - path) + 1 : 0);
    tb_str(&b, name);
    tb_cstr(&b);
    return b.truncated ? -1 : map_file(buf, dbg);
}

static int func_before(const struct func *a, const struct func *b) { return a->start < b->start; }

/* Heap sort: qsort may allocate. */
static void sift(struct func *v, size_t root, size_t n)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && func_before(&v[child], &v[child + 1]))
            child++;
        if (!func_before(&v[root], &v[child]))
            return;
        struct func t = v[root];
        v[root] = v[child];
        v[child] = t;
        root = child;
    }
}

static void sort_funcs(struct func *v, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift(v, i, n);
    for (size_t end = n; end-- > 1;) {
        struct func t = v[0];
        v[0] = v[end];
        v[end] = t;
        sift(v, 0, end);
    }
}

/* Index the functions of a symbol table section (and its string table). */
static int index_symbols(struct module *m, const struct elf_file *f, const Elf64_Shdr *symtab)
{
    const Elf64_Shdr *strtab = section(f, symtab->sh_link);
    if (!strtab || symtab->sh_entsize != sizeof(Elf64_Sym))
        return -1;
    const Elf64_Sym *syms = (const void *)(f->data + symtab->sh_offset);
    size_t n = symtab->sh_size / sizeof(Elf64_Sym), count = 0;
    for (size_t i = 0; i < n; i++)
        if ((ELF64_ST_TYPE(syms[i].st_info) == STT_FUNC ||
             ELF64_ST_TYPE(syms[i].st_info) == STT_GNU_IFUNC) &&
            syms[i].st_shndx != SHN_UNDEF && syms[i].st_size && syms[i].st_name < strtab->sh_size)
            count++;
    if (!count)
        return -1;
    struct func *funcs = os_mem_map(count * sizeof *funcs);
    if (!funcs)
        return -1;
    const char *strings = (const char *)f->data + strtab->sh_offset;
    size_t k = 0;
    for (size_t i = 0; i < n && k < count; i++)
        if ((ELF64_ST_TYPE(syms[i].st_info) == STT_FUNC ||
             ELF64_ST_TYPE(syms[i].st_info) == STT_GNU_IFUNC) &&
            syms[i].st_shndx != SHN_UNDEF && syms[i].st_size && syms[i].st_name < strtab->sh_size)
            funcs[k++] = (struct func){syms[i].st_value, syms[i].st_value + syms[i].st_size,
                                       strings + syms[i].st_name};
    sort_funcs(funcs, k);
    m->funcs = funcs;
    m->nfuncs = k;
    return 0;
}

/* Build a module's index; the file mappings stay (names point into them). */
static void load(struct module *m, const char *path)
{
    struct elf_file f, dbg;
    m->state = -1;
    size_t n = strlen(path) < sizeof m->path - 1 ? strlen(path) : sizeof m->path - 1;
    memcpy(m->path, path, n);
    m->path[n] = 0;
    if (map_file(path, &f) != 0)
        return;
    /* The bias: where the lowest loadable segment went, minus where it
     * was linked (0 for executables that are not position-independent). */
    const Elf64_Ehdr *eh = (const void *)f.data;
    uint64_t lowest = UINT64_MAX;
    if (eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) <= f.size) {
        const Elf64_Phdr *ph = (const void *)(f.data + eh->e_phoff);
        for (unsigned i = 0; i < eh->e_phnum; i++)
            if (ph[i].p_type == PT_LOAD && (ph[i].p_vaddr & ~(uint64_t)4095) < lowest)
                lowest = ph[i].p_vaddr & ~(uint64_t)4095;
    }
    if (lowest == UINT64_MAX)
        return;
    m->bias = (uintptr_t)m->base - lowest;
    const Elf64_Shdr *symtab = find_section(&f, SHT_SYMTAB);
    if (symtab && index_symbols(m, &f, symtab) == 0) {
        m->state = 1;
        return;
    }
    if (open_debug_by_build_id(&f, &dbg) == 0 || open_debug_by_link(&f, path, &dbg) == 0) {
        symtab = find_section(&dbg, SHT_SYMTAB);
        if (symtab && index_symbols(m, &dbg, symtab) == 0) {
            m->state = 1;
            return;
        }
    }
    symtab = find_section(&f, SHT_DYNSYM);
    if (symtab && index_symbols(m, &f, symtab) == 0)
        m->state = 1;
}

static struct module *module_for(const void *base, const char *fname)
{
    struct module *found = NULL;
    ht_spin_lock(&lock);
    for (unsigned i = 0; i < MAX_MODULES; i++) {
        if (modules[i].state != 0 && modules[i].base == base) {
            found = &modules[i];
            break;
        }
        if (modules[i].state == 0) {
            modules[i].base = base;
            /* The main program's dli_fname is empty or argv[0], which may
             * be relative to a directory the program has since left. */
            load(&modules[i], fname && fname[0] == '/' ? fname : "/proc/self/exe");
            found = &modules[i];
            break;
        }
    }
    ht_spin_unlock(&lock);
    return found;
}

void elf_function_at(uintptr_t addr, const char **function, const char **module)
{
    Dl_info info;
    *function = NULL;
    *module = NULL;
    if (!dladdr((void *)addr, &info))
        return;
    *module = info.dli_fname;
    *function = info.dli_sname;
    struct module *m = module_for(info.dli_fbase, info.dli_fname);
    if (!m || m->state != 1)
        return;
    uint64_t a = addr - m->bias;
    size_t lo = 0, hi = m->nfuncs;
    while (lo < hi) { /* the last function starting at or before a */
        size_t mid = lo + (hi - lo) / 2;
        if (m->funcs[mid].start <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo && a < m->funcs[lo - 1].end)
        *function = m->funcs[lo - 1].name;
}

void elf_symbols_lock_for_fork(void) { ht_spin_lock(&lock); }
void elf_symbols_unlock_after_fork(void) { ht_spin_unlock(&lock); }
