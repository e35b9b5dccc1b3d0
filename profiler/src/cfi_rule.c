/* The unwind rule at a code address, read from DWARF call frame
 * information (cfi_rule.h says which rules are taken).
 *
 * The path: _dl_find_object gives the module's PT_GNU_EH_FRAME segment
 * (.eh_frame_hdr), whose sorted table of (function start, FDE) pairs is
 * searched for the FDE that covers pc; the FDE names its CIE; the CIE's
 * initial instructions, then the FDE's, run up to pc.  Reads inside a
 * record are bounded by the length it gives (the records themselves are
 * trusted, as the loader trusts its own tables), and any construct not
 * handled answers CFI_OTHER: this code may decline a frame, never guess
 * one. */
#include "cfi_rule.h"
#include <link.h>
#include <stddef.h>
#include <string.h>

/* DWARF register numbers on x86-64, and the pointer encodings (DW_EH_PE_*). */
enum { REG_RBP = 6, REG_RSP = 7, REG_RA = 16 };
/* clang-format off */
enum {
    PE_ABSPTR = 0x00, PE_ULEB = 0x01, PE_UDATA2 = 0x02, PE_UDATA4 = 0x03, PE_UDATA8 = 0x04,
    PE_SLEB = 0x09, PE_SDATA2 = 0x0a, PE_SDATA4 = 0x0b, PE_SDATA8 = 0x0c,
    PE_PCREL = 0x10, PE_DATAREL = 0x30, PE_INDIRECT = 0x80, PE_OMIT = 0xff,
};
/* clang-format on */

/* A bounded reader over one record. */
struct cursor {
    const uint8_t *p, *end;
    int bad;
};

static uint64_t get_uleb(struct cursor *c)
{
    uint64_t v = 0;
    for (unsigned shift = 0; c->p < c->end && shift < 64; shift += 7) {
        uint8_t b = *c->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    c->bad = 1;
    return 0;
}

static int64_t get_sleb(struct cursor *c)
{
    uint64_t v = 0;
    for (unsigned shift = 0; c->p < c->end && shift < 64;) {
        uint8_t b = *c->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) {
            if (shift < 64 && (b & 0x40))
                v |= ~(uint64_t)0 << shift;
            return (int64_t)v;
        }
    }
    c->bad = 1;
    return 0;
}

static uint64_t get_fixed(struct cursor *c, unsigned n)
{
    if ((size_t)(c->end - c->p) < n) {
        c->bad = 1;
        return 0;
    }
    uint64_t v = 0;
    memcpy(&v, c->p, n); /* little-endian */
    c->p += n;
    return v;
}

static uint8_t get_u8(struct cursor *c) { return (uint8_t)get_fixed(c, 1); }

/* A pointer in encoding enc; `data_base` serves DW_EH_PE_datarel.
 * Indirect pointers (only personality routines use them) are skipped, not
 * followed: their value is never needed here. */
static uintptr_t get_encoded(struct cursor *c, uint8_t enc, uintptr_t data_base)
{
    const uint8_t *at = c->p;
    uint64_t v;
    switch (enc & 0x0f) {
    case PE_ABSPTR: v = get_fixed(c, 8); break;
    case PE_ULEB: v = get_uleb(c); break;
    case PE_UDATA2: v = get_fixed(c, 2); break;
    case PE_UDATA4: v = get_fixed(c, 4); break;
    case PE_UDATA8:
    case PE_SDATA8: v = get_fixed(c, 8); break;
    case PE_SLEB: v = (uint64_t)get_sleb(c); break;
    case PE_SDATA2: v = (uint64_t)(int64_t)(int16_t)get_fixed(c, 2); break;
    case PE_SDATA4: v = (uint64_t)(int64_t)(int32_t)get_fixed(c, 4); break;
    default: c->bad = 1; return 0;
    }
    switch (enc & 0x70) {
    case 0: break;
    case PE_PCREL: v += (uintptr_t)at; break;
    case PE_DATAREL: v += data_base; break;
    default: c->bad = 1; return 0; /* textrel, funcrel, aligned: not seen on x86-64 */
    }
    return (uintptr_t)v;
}

/* What the CFA program says of the CFA, the return address and rbp.  A
 * register rule is UNSET (never named: for rbp, the same value), UNDEF,
 * SAME, OFFSET (saved at CFA + off) or BAD (any other rule). */
enum { R_UNSET, R_UNDEF, R_SAME, R_OFFSET, R_BAD };
struct reg_rule {
    uint8_t how;
    int64_t off;
};
struct row {
    uint64_t cfa_reg;
    int64_t cfa_off;
    int cfa_bad; /* a CFA given by an expression */
    struct reg_rule ra, bp;
};

static struct reg_rule *tracked(struct row *r, uint64_t reg)
{
    return reg == REG_RA ? &r->ra : reg == REG_RBP ? &r->bp : NULL;
}

static void set_rule(struct row *r, uint64_t reg, uint8_t how, int64_t off)
{
    struct reg_rule *t = tracked(r, reg);
    if (t) {
        t->how = how;
        t->off = off;
    }
}

struct cie {
    uint64_t code_align;
    int64_t data_align;
    uint8_t fde_enc;
    int has_aug_data;
    const uint8_t *insns, *end;
};

#define STATE_DEPTH 8

/* One run of a CFA program: its reader and the row it builds.  `initial`
 * is the row after the CIE's instructions (for DW_CFA_restore), NULL
 * while those run. */
struct cfa_run {
    struct cursor *c;
    const struct cie *cie;
    struct row *row;
    const struct row *initial;
    struct row saved[STATE_DEPTH]; /* DW_CFA_remember_state */
    int depth;
};

static int restore_rule(struct cfa_run *r, uint64_t reg)
{
    struct reg_rule *t = tracked(r->row, reg);
    if (!r->initial)
        return -1;
    if (t)
        *t = reg == REG_RA ? r->initial->ra : r->initial->bp;
    return 0;
}

/* Skip a DWARF expression block; 0, or -1 if it runs past the record. */
static int skip_block(struct cursor *c)
{
    uint64_t n = get_uleb(c);
    if (n > (uint64_t)(c->end - c->p))
        return -1;
    c->p += n;
    return 0;
}

/* The instructions that name a register's rule, with an operand or two
 * (DW_CFA_offset_extended to DW_CFA_val_expression).  0, or -1. */
static int register_op(struct cfa_run *r, uint8_t op)
{
    struct cursor *c = r->c;
    uint64_t reg = get_uleb(c);
    int64_t align = r->cie->data_align;
    switch (op) {
    case 0x05: set_rule(r->row, reg, R_OFFSET, (int64_t)get_uleb(c) * align); return 0;
    case 0x06: return restore_rule(r, reg);
    case 0x07: set_rule(r->row, reg, R_UNDEF, 0); return 0;
    case 0x08: set_rule(r->row, reg, R_SAME, 0); return 0;
    case 0x11: set_rule(r->row, reg, R_OFFSET, get_sleb(c) * align); return 0;
    case 0x2f: set_rule(r->row, reg, R_OFFSET, -(int64_t)get_uleb(c) * align); return 0;
    case 0x09: /* register: the value is in another register */
    case 0x14: /* val_offset: the value is the CFA plus an offset */ (void)get_uleb(c); break;
    case 0x15: (void)get_sleb(c); break; /* val_offset_sf */
    case 0x10:                           /* expression */
    case 0x16:                           /* val_expression */
        if (skip_block(c) != 0)
            return -1;
        break;
    default: return -1;
    }
    set_rule(r->row, reg, R_BAD, 0);
    return 0;
}

/* One instruction.  Returns 1 with *advance set for the four that move
 * the location, 0 for the others, -1 for one not handled. */
static int one_op(struct cfa_run *r, uint8_t op, uint64_t *advance)
{
    struct cursor *c = r->c;
    struct row *row = r->row;
    switch (op >> 6) {
    case 1: *advance = op & 0x3f; return 1; /* DW_CFA_advance_loc */
    case 2:                                 /* DW_CFA_offset */
        set_rule(row, op & 0x3f, R_OFFSET, (int64_t)get_uleb(c) * r->cie->data_align);
        return 0;
    case 3: return restore_rule(r, op & 0x3f); /* DW_CFA_restore */
    }
    switch (op) {
    case 0x00: return 0; /* nop */
    case 0x02: *advance = get_fixed(c, 1); return 1;
    case 0x03: *advance = get_fixed(c, 2); return 1;
    case 0x04: *advance = get_fixed(c, 4); return 1;
    case 0x0a: /* remember_state: every rule, the CFA's too */
        if (r->depth == STATE_DEPTH)
            return -1;
        r->saved[r->depth++] = *row;
        return 0;
    case 0x0b: /* restore_state */
        if (r->depth == 0)
            return -1;
        *row = r->saved[--r->depth];
        return 0;
    case 0x0c: /* def_cfa */
        row->cfa_reg = get_uleb(c);
        row->cfa_off = (int64_t)get_uleb(c);
        row->cfa_bad = 0;
        return 0;
    case 0x12: /* def_cfa_sf */
        row->cfa_reg = get_uleb(c);
        row->cfa_off = get_sleb(c) * r->cie->data_align;
        row->cfa_bad = 0;
        return 0;
    case 0x0d: row->cfa_reg = get_uleb(c); return 0;
    case 0x0e: row->cfa_off = (int64_t)get_uleb(c); return 0;
    case 0x13: row->cfa_off = get_sleb(c) * r->cie->data_align; return 0;
    case 0x0f: /* def_cfa_expression */ row->cfa_bad = 1; return skip_block(c);
    case 0x2e: (void)get_uleb(c); return 0; /* GNU_args_size: no effect on the CFA */
    default: return register_op(r, op);     /* and -1 for set_loc and anything newer */
    }
}

/* Run the instructions of c from location loc while it stays <= target.
 * Returns 0, or -1 for an instruction not handled. */
static int run_cfa(struct cursor *c, const struct cie *cie, uintptr_t loc, uintptr_t target,
                   struct row *row, const struct row *initial)
{
    struct cfa_run r = {.c = c, .cie = cie, .row = row, .initial = initial};
    while (c->p < c->end && !c->bad) {
        uint64_t advance = 0;
        int k = one_op(&r, get_u8(c), &advance);
        if (k < 0)
            return -1;
        if (k > 0) {
            loc += advance * cie->code_align;
            if (loc > target)
                return 0;
        }
    }
    return c->bad ? -1 : 0;
}

/* A CIE's or FDE's length field (4 bytes, or 0xffffffff and 8): the
 * cursor then ends where the record does.  0, or -1 for a length of 0
 * (the section's terminator) or one past the cursor's end. */
static int open_record(struct cursor *c)
{
    uint64_t len = get_fixed(c, 4);
    if (len == 0xffffffffu)
        len = get_fixed(c, 8);
    if (c->bad || len == 0 || len > (uint64_t)(c->end - c->p))
        return -1;
    c->end = c->p + len;
    return 0;
}

/* The CIE at p (its length field); 0 on success. */
static int parse_cie(const uint8_t *p, const uint8_t *section_end, struct cie *out)
{
    struct cursor c = {p, section_end, 0};
    if (open_record(&c) != 0)
        return -1;
    if (get_fixed(&c, 4) != 0) /* the CIE id */
        return -1;
    uint8_t version = get_u8(&c);
    if (version != 1 && version != 3)
        return -1;
    const char *aug = (const char *)c.p;
    size_t aug_len = strnlen(aug, (size_t)(c.end - c.p));
    if (aug_len == (size_t)(c.end - c.p))
        return -1;
    c.p += aug_len + 1;
    out->code_align = get_uleb(&c);
    out->data_align = get_sleb(&c);
    uint64_t ra = version == 1 ? get_u8(&c) : get_uleb(&c);
    if (ra != REG_RA)
        return -1;
    out->fde_enc = PE_ABSPTR;
    out->has_aug_data = aug[0] == 'z';
    if (out->has_aug_data) {
        uint64_t n = get_uleb(&c);
        if (c.bad || n > (uint64_t)(c.end - c.p))
            return -1;
        const uint8_t *after = c.p + n;
        for (size_t i = 1; i < aug_len; i++) {
            switch (aug[i]) {
            case 'R': out->fde_enc = get_u8(&c); break;
            case 'L': (void)get_u8(&c); break;
            case 'P': {
                uint8_t enc = get_u8(&c);
                (void)get_encoded(&c, enc & ~PE_INDIRECT, 0);
                break;
            }
            default: return -1; /* 'S' (a signal frame) and anything unknown */
            }
        }
        c.p = after;
    } else if (aug_len) {
        return -1; /* "eh" and other old forms */
    }
    if (c.bad)
        return -1;
    out->insns = c.p;
    out->end = c.end;
    return 0;
}

/* The FDE whose function starts last at or before pc, from the
 * .eh_frame_hdr search table; NULL with *table_ok set if none does, with
 * it clear if the table is not one this code searches. */
static const uint8_t *find_fde(const uint8_t *hdr, uintptr_t pc, int *table_ok)
{
    *table_ok = 0;
    /* version 1, then the encodings of eh_frame_ptr, fde_count and the
     * table; only the table GNU ld writes (datarel sdata4 pairs, relative
     * to the header) can be binary-searched here. */
    if (hdr[0] != 1 || hdr[3] != (PE_DATAREL | PE_SDATA4) || hdr[2] == PE_OMIT)
        return NULL;
    struct cursor c = {hdr + 4, hdr + 4 + 16, 0};
    (void)get_encoded(&c, hdr[1], (uintptr_t)hdr);
    uint64_t count = get_encoded(&c, hdr[2], (uintptr_t)hdr);
    if (c.bad)
        return NULL;
    *table_ok = 1;
    if (count == 0)
        return NULL;
    const int32_t *table = (const int32_t *)(const void *)c.p;
    uintptr_t base = (uintptr_t)hdr;
    uint64_t lo = 0, hi = count; /* find the last entry whose start <= pc */
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (base + (intptr_t)table[2 * mid] <= pc)
            lo = mid;
        else
            hi = mid;
    }
    if (base + (intptr_t)table[2 * lo] > pc)
        return NULL;
    return (const uint8_t *)(base + (intptr_t)table[2 * lo + 1]);
}

/* FDE and CIE records have no stated section end here; one record is at
 * most this long in any code a compiler writes, and every read is also
 * bounded by the record's own length. */
#define RECORD_MAX (1u << 20)

struct cfi_rule cfi_rule_at(uintptr_t pc)
{
    struct cfi_rule none = {0, 0, 0, CFI_OTHER}, uncovered = {0, 0, 0, CFI_NONE};
    struct dl_find_object obj;
    if (_dl_find_object((void *)pc, &obj) != 0 || !obj.dlfo_eh_frame)
        return none;
    int table_ok;
    const uint8_t *fde = find_fde(obj.dlfo_eh_frame, pc, &table_ok);
    if (!fde)
        return table_ok ? uncovered : none;
    struct cursor c = {fde, fde + RECORD_MAX, 0};
    if (open_record(&c) != 0)
        return none;
    const uint8_t *id_at = c.p;
    uint32_t cie_off = (uint32_t)get_fixed(&c, 4);
    struct cie cie;
    if (cie_off == 0 || parse_cie(id_at - cie_off, id_at - cie_off + RECORD_MAX, &cie) != 0)
        return none;
    uintptr_t start = get_encoded(&c, cie.fde_enc, 0);
    uintptr_t range = get_encoded(&c, cie.fde_enc & 0x0f, 0);
    if (c.bad)
        return none;
    if (pc < start || pc - start >= range)
        return uncovered; /* between functions, or in one without CFI */
    if (cie.has_aug_data) {
        uint64_t n = get_uleb(&c);
        if (c.bad || n > (uint64_t)(c.end - c.p))
            return none;
        c.p += n;
    }
    struct row row = {.cfa_reg = REG_RSP, .cfa_off = 8};
    struct cursor ci = {cie.insns, cie.end, 0};
    /* The CIE's instructions hold from the function's first byte. */
    if (run_cfa(&ci, &cie, start, UINTPTR_MAX, &row, NULL) != 0)
        return none;
    struct row initial = row;
    if (run_cfa(&c, &cie, start, pc, &row, &initial) != 0)
        return none;

    struct cfi_rule r = {0, CFI_BP_SAME, 0, CFI_OTHER};
    if (row.ra.how == R_UNDEF) {
        r.kind = CFI_LAST;
        return r;
    }
    if (row.cfa_bad || (row.cfa_reg != REG_RSP && row.cfa_reg != REG_RBP) ||
        row.cfa_off < INT32_MIN || row.cfa_off > INT32_MAX)
        return none;
    if (row.ra.how != R_OFFSET || row.ra.off != -8)
        return none;
    if (row.bp.how == R_OFFSET) {
        if (row.bp.off <= INT16_MIN || row.bp.off > INT16_MAX)
            return none;
        r.bp_off = (int16_t)row.bp.off;
    } else if (row.bp.how != R_UNSET && row.bp.how != R_SAME) {
        return none;
    }
    r.cfa_off = (int32_t)row.cfa_off;
    r.cfa_on_bp = row.cfa_reg == REG_RBP;
    r.kind = CFI_STEP;
    return r;
}
