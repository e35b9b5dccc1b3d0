/* The per-thread stack of type scopes opened with heaptag_push. */
#ifndef HT_SCOPE_STACK_H
#define HT_SCOPE_STACK_H
#include "ht_common.h"

#define SCOPE_STACK_DEPTH 256

extern HT_HIDDEN __thread uint16_t scope_stack[SCOPE_STACK_DEPTH];
extern HT_HIDDEN __thread uint32_t scope_depth;

/* The type new blocks of this thread belong to. */
static inline uint32_t scope_current_type(void)
{
    uint32_t d = scope_depth;
    if (HT_LIKELY(d == 0))
        return HT_TYPE_UNTAGGED;
    return scope_stack[(d <= SCOPE_STACK_DEPTH ? d : SCOPE_STACK_DEPTH) - 1];
}

/* Push/pop by id, for the tracker's own allocations ("heaptag.internal"). */
void scope_push_id(uint32_t id);
void scope_pop(void);
#endif
