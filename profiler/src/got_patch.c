/* Rewriting the GOT entries of loaded modules, as heaptrack's inject mode
 * does: dl_iterate_phdr, then each module's dynamic relocations.
 *
 * RELRO pages (made read-only once the loader has bound them) are opened
 * for the one store and closed again.  Nothing here allocates:
 * dl_iterate_phdr does not, and the rest reads the loader's in-memory
 * dynamic sections. */
#include "got_patch.h"
#include "ht_common.h"
#include <elf.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct module {
    uintptr_t base;
    uintptr_t lo, hi;       /* the span of its PT_LOAD segments */
    uintptr_t relro_ro_end; /* pages below it (from relro_start) are read-only */
    uintptr_t relro_start;
    uintptr_t page; /* the page size */
    const ElfW(Sym) * symtab;
    const char *strtab;
};

struct walk {
    const struct got_patch *gp;
    unsigned changed;
};

/* A dynamic-section address: ld.so relocates most in place, not all
 * (the vDSO's stay file-relative). */
static uintptr_t dyn_ptr(const struct module *m, uintptr_t p)
{
    return p < m->base ? p + m->base : p;
}

static int name_index(const struct got_patch *gp, const char *name)
{
    for (unsigned i = 0; i < gp->n; i++)
        if (strcmp(name, gp->names[i]) == 0)
            return (int)i;
    return -1;
}

static unsigned patch_slot(const struct module *m, uintptr_t slot, void *fn)
{
    void **p = (void **)slot;
    if (__atomic_load_n(p, __ATOMIC_RELAXED) == fn)
        return 0;
    uintptr_t pg = slot & ~(m->page - 1);
    int readonly = pg >= m->relro_start && pg < m->relro_ro_end;
    if (readonly && mprotect((void *)pg, m->page, PROT_READ | PROT_WRITE) != 0)
        return 0;
    __atomic_store_n(p, fn, __ATOMIC_RELEASE);
    if (readonly)
        mprotect((void *)pg, m->page, PROT_READ);
    return 1;
}

/* With `from` given: an entry bound elsewhere (another allocator, or a
 * module bound to its own definition) keeps its target. */
static int may_change(const struct got_patch *gp, const struct module *m, uintptr_t slot, int h)
{
    if (!gp->from)
        return 1;
    uintptr_t v = (uintptr_t)__atomic_load_n((void **)slot, __ATOMIC_RELAXED);
    return v == (uintptr_t)gp->from[h] || (v >= m->lo && v < m->hi);
}

static unsigned patch_relocs(const struct got_patch *gp, const struct module *m,
                             const ElfW(Rela) * r, size_t bytes)
{
    unsigned changed = 0;
    for (size_t i = 0; i < bytes / sizeof *r; i++) {
        unsigned type = ELF64_R_TYPE(r[i].r_info);
        if (type != R_X86_64_JUMP_SLOT && (gp->plt_only || type != R_X86_64_GLOB_DAT))
            continue;
        size_t sym = ELF64_R_SYM(r[i].r_info);
        if (!sym)
            continue;
        int h = name_index(gp, m->strtab + m->symtab[sym].st_name);
        uintptr_t slot = m->base + r[i].r_offset;
        if (h >= 0 && may_change(gp, m, slot, h))
            changed += patch_slot(m, slot, gp->to[h]);
    }
    return changed;
}

static int patch_module(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    struct walk *w = data;
    struct module m = {
        .base = info->dlpi_addr, .lo = UINTPTR_MAX, .page = (uintptr_t)sysconf(_SC_PAGESIZE)};
    const ElfW(Dyn) *dyn = NULL;
    if (m.base == w->gp->skip_base || !info->dlpi_name || strstr(info->dlpi_name, "linux-vdso") ||
        strstr(info->dlpi_name, "ld-linux"))
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_DYNAMIC)
            dyn = (const ElfW(Dyn) *)(m.base + ph->p_vaddr);
        else if (ph->p_type == PT_GNU_RELRO) {
            m.relro_start = (m.base + ph->p_vaddr) & ~(m.page - 1);
            m.relro_ro_end = (m.base + ph->p_vaddr + ph->p_memsz) & ~(m.page - 1);
        } else if (ph->p_type == PT_LOAD) {
            if (m.base + ph->p_vaddr < m.lo)
                m.lo = m.base + ph->p_vaddr;
            if (m.base + ph->p_vaddr + ph->p_memsz > m.hi)
                m.hi = m.base + ph->p_vaddr + ph->p_memsz;
        }
    }
    if (!dyn)
        return 0;
    uintptr_t jmprel = 0, rela = 0;
    size_t pltrelsz = 0, relasz = 0;
    long pltrel = DT_RELA;
    for (const ElfW(Dyn) *d = dyn; d->d_tag != DT_NULL; d++) {
        switch (d->d_tag) {
        case DT_SYMTAB: m.symtab = (const ElfW(Sym) *)dyn_ptr(&m, d->d_un.d_ptr); break;
        case DT_STRTAB: m.strtab = (const char *)dyn_ptr(&m, d->d_un.d_ptr); break;
        case DT_JMPREL: jmprel = dyn_ptr(&m, d->d_un.d_ptr); break;
        case DT_PLTRELSZ: pltrelsz = d->d_un.d_val; break;
        case DT_PLTREL: pltrel = (long)d->d_un.d_val; break;
        case DT_RELA: rela = dyn_ptr(&m, d->d_un.d_ptr); break;
        case DT_RELASZ: relasz = d->d_un.d_val; break;
        }
    }
    if (!m.symtab || !m.strtab)
        return 0;
    if (jmprel && pltrel == DT_RELA)
        w->changed += patch_relocs(w->gp, &m, (const ElfW(Rela) *)jmprel, pltrelsz);
    if (rela && !w->gp->plt_only) /* JUMP_SLOT entries live in DT_JMPREL alone */
        w->changed += patch_relocs(w->gp, &m, (const ElfW(Rela) *)rela, relasz);
    return 0;
}

unsigned got_patch_loaded(const struct got_patch *gp)
{
    struct walk w = {.gp = gp};
    dl_iterate_phdr(patch_module, &w);
    return w.changed;
}
