/* Stack capture from DWARF CFI, which works in programs built without
 * frame pointers (Debian's python3, perl and git among them).
 *
 * Our own walk (fast_unwind.c) takes the stacks whose frames have plain
 * rules; libunwind's unw_backtrace takes the rest, and every stack under
 * HEAPTAG_UNWIND_CHECK, to compare.  libunwind's cache stays its default
 * (global): with UNW_CACHE_PER_THREAD, libunwind 1.6's fast path returned
 * wrong frames in Debian's python3.11 (checked against unw_step and gdb).
 * Frames inside libheaptag.so itself are dropped: they say nothing about
 * the program and would split identical call sites. */
#include "stack_capture_here.h"
#include "sampling.h"
#include "site_map.h"
#include "next_alloc.h"
#include "ht_common.h"
#include "settings.h"
#include <dlfcn.h>
#include <link.h>
#include <string.h>
#define UNW_LOCAL_ONLY
#include <libunwind.h>

int stack_depth;
static uintptr_t self_start, self_end;
__thread int stack_capturing;
int stack_unwind_check;
/* HEAPTAG_UNWIND_CHECK: stacks walked both ways, those libunwind alone
 * walked, and those whose two walks differed (with the first such pair). */
static int64_t check_stacks, check_slow_only, check_differed;
static uintptr_t first_fast[STACK_MAX_DEPTH], first_slow[STACK_MAX_DEPTH];
static int first_fast_n, first_slow_n;

/* Our own text range, from our program headers. */
static int find_self(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    uintptr_t probe = (uintptr_t)data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD)
            continue;
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (probe >= start && probe < start + ph->p_memsz) {
            self_start = info->dlpi_addr;
            self_end = start + ph->p_memsz;
            for (int j = 0; j < info->dlpi_phnum; j++)
                if (info->dlpi_phdr[j].p_type == PT_LOAD) {
                    uintptr_t e =
                        info->dlpi_addr + info->dlpi_phdr[j].p_vaddr + info->dlpi_phdr[j].p_memsz;
                    if (e > self_end)
                        self_end = e;
                }
            return 1;
        }
    }
    return 0;
}

void stack_capture_init(int depth)
{
    if (depth <= 0)
        return;
    if (depth > STACK_MAX_DEPTH)
        depth = STACK_MAX_DEPTH;
    dl_iterate_phdr(find_self, (void *)(uintptr_t)&stack_capture_init);
    stack_unwind_check = settings.unwind_check;
    if (next_is_glibc && !sample_mean) /* sampled mode keeps no site map */
        site_map_reserve_flat();
    /* Release: a thread that sees stacks on also sees the map's form. */
    __atomic_store_n(&stack_depth, depth, __ATOMIC_RELEASE);
}

int stack_capture_keep(uintptr_t *frames, int max, void *const *raw, int got)
{
    int n = 0;
    if (max <= 0)
        return 0;
    /* One unsigned compare tells our own text from the rest. */
    uintptr_t start = self_start, size = self_end - self_start;
    for (int i = 0; i < got; i++) {
        uintptr_t a = (uintptr_t)raw[i];
        if (a - start < size)
            continue;
        frames[n++] = a;
        if (n == max)
            break;
    }
    return n;
}

/* HEAPTAG_UNWIND_CHECK: libunwind's walk, compared with ours (raw, fast_got
 * frames, or fast_got < 0 if ours gave up), then put in raw.  Its own
 * function, so that its arrays take stack only in the check. */
static __attribute__((noinline)) int unwind_compare(void **raw, int lim, int fast_got, int max)
{
    void *slow[STACK_RAW_MAX];
    uintptr_t a[STACK_MAX_DEPTH], b[STACK_MAX_DEPTH];
    int got = unw_backtrace(slow, lim);
    if (got < 0)
        got = 0;
    int na = fast_got < 0 ? 0 : stack_capture_keep(a, max, raw, fast_got);
    int nb = stack_capture_keep(b, max, slow, got);
    __atomic_add_fetch(&check_stacks, 1, __ATOMIC_RELAXED);
    if (fast_got < 0) {
        __atomic_add_fetch(&check_slow_only, 1, __ATOMIC_RELAXED);
    } else if (na != nb || memcmp(a, b, (size_t)na * sizeof a[0]) != 0) {
        if (__atomic_add_fetch(&check_differed, 1, __ATOMIC_RELAXED) == 1) {
            memcpy(first_fast, a, (size_t)na * sizeof a[0]);
            memcpy(first_slow, b, (size_t)nb * sizeof b[0]);
            first_fast_n = na, first_slow_n = nb;
        }
    }
    memcpy(raw, slow, (size_t)got * sizeof raw[0]);
    return got;
}

int stack_unwind_slow(void **raw, int lim, int fast_got, int max)
{
    if (stack_unwind_check)
        return unwind_compare(raw, lim, fast_got, max);
    int got = unw_backtrace(raw, lim);
    return got < 0 ? 0 : got;
}

int stack_unwind_check_figures(struct unwind_check *c)
{
    if (!stack_unwind_check)
        return 0;
    c->stacks = HT_LOAD(&check_stacks);
    c->libunwind_only = HT_LOAD(&check_slow_only);
    c->differed = HT_LOAD(&check_differed);
    c->first_ours = first_fast, c->first_ours_n = c->differed ? first_fast_n : 0;
    c->first_libunwind = first_slow, c->first_libunwind_n = c->differed ? first_slow_n : 0;
    return 1;
}

int stack_capture(uintptr_t *frames, int max) { return stack_capture_here(frames, max); }
