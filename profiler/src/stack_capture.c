/* Stack capture with libunwind's unw_backtrace, which unwinds from DWARF
 * CFI and therefore works in programs built without frame pointers.
 *
 * Such programs include Debian's python3, perl and git.  Its cache of
 * unwind rules makes repeated stacks cheap.  The cache stays libunwind's
 * default (global): with UNW_CACHE_PER_THREAD, libunwind 1.6's fast path
 * returned wrong frames in Debian's python3.11 (checked against unw_step
 * and gdb).  Frames inside libheaptag.so itself are dropped: they say
 * nothing about the program and would split identical call sites. */
#include "stack_capture_here.h"
#include "sampling.h"
#include "site_map.h"
#include "next_alloc.h"
#include "ht_common.h"
#include <dlfcn.h>
#include <link.h>

int stack_depth;
static uintptr_t self_start, self_end;
__thread int stack_capturing;

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

int stack_capture(uintptr_t *frames, int max) { return stack_capture_here(frames, max); }
