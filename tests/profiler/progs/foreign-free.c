/* free() of pointers the tracker never saw allocated.
 *
 * foreign-free: free() pointers the tracker never saw allocated: one from
 * glibc's exported __libc_malloc, one from a library opened with
 * RTLD_DEEPBIND (its malloc binds to libc's own, not the preloaded one).
 * Each is one foreign_free_calls and nothing else.
 *
 *   foreign-free EXPECTED_FILE BASELINE_REPORT PLUGIN_SO
 */
#include "heaptag.h"
#include "model.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

extern void *__libc_malloc(size_t);

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: foreign-free EXPECTED_FILE BASELINE_REPORT PLUGIN_SO\n");
        return 2;
    }
    /* dlopen allocates: before the baseline. */
    void *h = dlopen(argv[3], RTLD_NOW | RTLD_DEEPBIND);
    void *(*plugin_malloc)(size_t) = h ? (void *(*)(size_t))dlsym(h, "plugin_malloc") : NULL;
    if (!plugin_malloc) {
        fprintf(stderr, "foreign-free: %s\n", dlerror());
        return 1;
    }
    model_begin(argv[2]);

    char *a = __libc_malloc(100);
    char *b = plugin_malloc(200);
    if (!a || !b)
        return 1;
    memset(a, 1, 100);
    memset(b, 2, 200);
    free(a);
    model_foreign_free();
    free(b);
    model_foreign_free();

    /* a known block after them still counts normally */
    HEAPTAG_PUSH("Known");
    t_free(t_malloc("Known", 77));
    HEAPTAG_POP();
    model_write(argv[1]);
    return 0;
}
