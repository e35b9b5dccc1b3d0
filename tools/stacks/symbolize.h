/* Frame addresses of a report turned into function, module and file:line, at read time,
 * with elfutils' libdwfl.
 *
 * A frame is placed with the report's "modules" (the executable mappings
 * of the process): file offset = addr - start + offset, then the ELF
 * virtual address through the PT_LOAD segment that holds that offset, so
 * PIE executables and shared objects resolve wherever they were loaded.
 * Symbols come from .symtab, else .dynsym (stripped binaries), and debug
 * info from the file itself, its .gnu_debuglink or Debian's
 * /usr/lib/debug/.build-id (libdwfl's standard search).  Inlined calls
 * expand into one entry per inlined function.
 */
#ifndef HEAPTAG_TOOLS_SYMBOLIZE_H
#define HEAPTAG_TOOLS_SYMBOLIZE_H

#include <stdint.h>

#include "stacks/stacks.h"

/* One function at a frame: the innermost is the code at the address, the
 * following ones the functions it was inlined into. */
struct ht_sym_entry {
    const char *function; /* demangled; NULL when unknown */
    const char *file;     /* source file as the debug info names it, or NULL */
    int line;             /* 0 when unknown */
};

struct ht_frame_info {
    uint64_t addr;
    const char *module;      /* full path, NULL when outside every module */
    const char *module_base; /* its file name */
    uint64_t module_offset;  /* file offset of addr in module */
    int module_missing;      /* the module file could not be opened */
    int nentries;            /* >= 1 */
    struct ht_sym_entry *entries;
};

struct ht_symbolizer;

struct ht_symbolizer *ht_symbolizer_new(const struct ht_stacks *s);
void ht_symbolizer_free(struct ht_symbolizer *z);

/* Resolve ADDR (a return address: the call instruction before it is what
 * gets looked up).  Cached: each address is resolved once per report. */
const struct ht_frame_info *ht_symbolize(struct ht_symbolizer *z, uint64_t addr);

/* "function", else "module+0xOFFSET", else "0xADDR": a frame's name where
 * one word is wanted (folded stacks, leak suppressions).  ENTRY indexes
 * the inline chain. Valid until the symbolizer is freed. */
const char *ht_frame_name(struct ht_symbolizer *z, const struct ht_frame_info *fi, int entry);

/* Allocation functions and thin wrappers over them (malloc, operator new,
 * strdup, xmalloc, PyMem_Malloc, ...): frames a call path skips. */
int ht_is_alloc_wrapper(const char *function);

/* Is this module a language runtime (libc, the loader, libstdc++,
 * libgcc_s) rather than the program or one of its own libraries? */
int ht_is_runtime_module(const char *module_base);

#endif
