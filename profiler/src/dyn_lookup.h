/* A symbol's definition in one loaded object, read from the object's own
 * dynamic symbol table.
 *
 * dlsym cannot answer "does this object define X itself": with a handle
 * it searches the object's dependencies too, and getting a handle
 * (dlopen) runs pending constructors — ours among them, from inside the
 * allocator's resolution.  No allocation, no lock. */
#ifndef HT_DYN_LOOKUP_H
#define HT_DYN_LOOKUP_H
#include <link.h>

/* The address of NAME if LM defines it (a function, not an undefined
 * reference or PLT stub), else NULL. */
void *dyn_lookup(const struct link_map *lm, const char *name);
#endif
