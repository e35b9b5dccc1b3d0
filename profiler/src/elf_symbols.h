/* Function names for code addresses, for type rules.
 *
 * dladdr sees only exported symbols; programs keep most of their functions
 * static (CPython, anything built without -rdynamic), so rules would miss
 * them.  This reads each module's full symbol table once — from the file
 * itself, or from Debian's separate debug file found by build id or
 * .gnu_debuglink — into a sorted index in tracker-owned memory.  No
 * allocation, no stdio; not async-signal-safe (it may take the loader's
 * lock through dladdr). */
#ifndef HT_ELF_SYMBOLS_H
#define HT_ELF_SYMBOLS_H
#include <stdint.h>

/* The function containing ADDR and the path of its module (either may be
 * NULL when unknown). */
void elf_function_at(uintptr_t addr, const char **function, const char **module);
void elf_symbols_lock_for_fork(void);
void elf_symbols_unlock_after_fork(void);
#endif
