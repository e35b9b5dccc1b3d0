/* Calls the tracker's operator new and delete with no C++ runtime loaded.
 *
 * A C program without libstdc++ that calls operator new and delete found
 * in the global scope, as a plugin carrying its own static libstdc++
 * does (ld's LTO plugin under ar): under the tracker they are the
 * tracker's, with no C++ runtime behind them.  One 100-byte "Op" block
 * made and freed, one 40-byte "OpNothrow" block kept, an impossible
 * nothrow new that must give NULL.  Prints "ops ok", or "no operators"
 * when none exist (without the tracker). */
#include <heaptag.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    void *(*op_new)(size_t) = (void *(*)(size_t))dlsym(RTLD_DEFAULT, "_Znwm");
    void (*op_delete)(void *) = (void (*)(void *))dlsym(RTLD_DEFAULT, "_ZdlPv");
    void *(*op_new_nt)(size_t, const void *) =
        (void *(*)(size_t, const void *))dlsym(RTLD_DEFAULT, "_ZnwmRKSt9nothrow_t");
    if (!op_new || !op_delete || !op_new_nt) {
        puts("no operators");
        return 0;
    }
    static const char nothrow_tag = 0;
    HEAPTAG_PUSH("Op");
    void *p = op_new(100);
    HEAPTAG_POP();
    op_delete(p);
    HEAPTAG_PUSH("OpNothrow");
    void *q = op_new_nt(40, &nothrow_tag);
    void *huge = op_new_nt(SIZE_MAX / 2, &nothrow_tag);
    HEAPTAG_POP();
    printf("ops %s\n", q && !huge ? "ok" : "wrong");
    return 0;
}
