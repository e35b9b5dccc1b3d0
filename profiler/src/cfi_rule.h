/* The unwind rule at one code address, from its module's DWARF call frame
 * information (.eh_frame), for the frames fast_unwind.c walks itself.
 *
 * The rule is found through .eh_frame_hdr.  Only the rules that make up
 * nearly all compiled code are taken: the canonical frame address (CFA) is
 * rsp or rbp plus a constant, the return address is saved just below the
 * CFA, and rbp is unchanged or saved at a constant offset from the CFA.  Anything
 * else (a signal frame, a CFA or register given by a DWARF expression, a
 * stack realigned through another register, a module without the search
 * table) is CFI_OTHER, and the whole stack goes to libunwind instead. */
#ifndef HT_CFI_RULE_H
#define HT_CFI_RULE_H
#include <stdint.h>

enum cfi_kind {
    CFI_OTHER = 0, /* not a rule we walk: leave the stack to libunwind */
    CFI_STEP,      /* a frame with a caller */
    CFI_LAST,      /* the outermost frame: its return address is undefined */
    CFI_NONE,      /* no call frame information covers the address */
};

/* rbp is not saved in this frame: the caller's rbp is the frame's own. */
#define CFI_BP_SAME INT16_MIN

struct cfi_rule {
    int32_t cfa_off; /* CFA = (cfa_on_bp ? rbp : rsp) + cfa_off */
    int16_t bp_off;  /* the caller's rbp is at CFA + bp_off, or CFI_BP_SAME */
    uint8_t cfa_on_bp;
    uint8_t kind; /* enum cfi_kind */
};

/* The rule that holds at pc, which is a return address minus one (the
 * call instruction's own row) or an address inside a function.  Reads
 * only loaded, read-only module memory and the loader's lock-free table
 * (_dl_find_object): no allocation, no lock, async-signal-safe. */
struct cfi_rule cfi_rule_at(uintptr_t pc);
#endif
