/* Exercise the tracker's own paths that may allocate or lock while the program allocates.
 *
 * reentrancy: exercise the tracker's own paths that may allocate or lock
 * while the program allocates: heaptag_dump() from several threads at once
 * (to HEAPTAG_OUT and to explicit paths), dlopen()/dlclose() (the loader
 * allocates, and the library's constructor allocates inside dlopen), and
 * threads created on the fly (the tracker's per-thread state is set up in
 * their first malloc).
 *
 *   reentrancy EXPECTED_FILE BASELINE_REPORT PLUGIN_SO DUMP_DIR
 *
 * Each allocating thread uses its own type, so the figures of the tagged
 * types are exact; the totals are not stated (libc allocates for thread
 * creation and dlopen after the baseline).  Plugin: one alloc and one free
 * per dlopen/dlclose cycle (checked by the test script).
 */
#include "heaptag.h"
#include "model.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define NALLOC 4
#define NDUMP 3
#define ROUNDS 20

static const char *plugin_path, *dump_dir;
static atomic_int errors;

static void *allocator(void *arg)
{
    int me = (int)(long)arg;
    char type[16];
    void *keep[10];
    snprintf(type, sizeof type, "A%d", me);
    HEAPTAG_PUSH(type);
    for (int i = 0; i < 3000; i++)
        t_free(t_malloc(type, 8 + (size_t)((i * 31 + me) % 700)));
    for (int i = 0; i < 10; i++)
        keep[i] = t_calloc(type, 1, 100 + (size_t)i);
    HEAPTAG_POP();
    (void)keep;
    return NULL;
}

static void *dumper(void *arg)
{
    int me = (int)(long)arg;
    char path[4096];
    for (int i = 0; i < ROUNDS; i++) {
        int rc;
        if (i % 2) {
            rc = heaptag_dump(NULL);
        } else {
            snprintf(path, sizeof path, "%s/dump-%d-%d.json", dump_dir, me, i);
            rc = heaptag_dump(path);
        }
        if (rc != 0) {
            fprintf(stderr, "reentrancy: heaptag_dump failed (thread %d round %d)\n", me, i);
            atomic_fetch_add(&errors, 1);
        }
    }
    return NULL;
}

static void *opener(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        void *h = dlopen(plugin_path, RTLD_NOW | RTLD_LOCAL);
        if (!h || dlclose(h) != 0) {
            fprintf(stderr, "reentrancy: dlopen/dlclose: %s\n", dlerror());
            atomic_fetch_add(&errors, 1);
        }
    }
    return NULL;
}

static void *short_lived(void *arg)
{
    (void)arg;
    HEAPTAG_PUSH("Short");
    t_free(t_malloc("Short", 32));
    HEAPTAG_POP();
    return NULL;
}

static void *spawner(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_t th;
        if (pthread_create(&th, NULL, short_lived, NULL) != 0 || pthread_join(th, NULL) != 0)
            atomic_fetch_add(&errors, 1);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: reentrancy EXPECTED_FILE BASELINE_REPORT PLUGIN_SO DUMP_DIR\n");
        return 2;
    }
    if (!heaptag_dump) {
        fprintf(stderr, "reentrancy: the tracker is not loaded\n");
        return 2;
    }
    plugin_path = argv[3];
    dump_dir = argv[4];
    model_begin(argv[2]);
    pthread_t th[NALLOC + NDUMP + 2];
    int n = 0;
    for (long i = 0; i < NALLOC; i++)
        pthread_create(&th[n++], NULL, allocator, (void *)i);
    for (long i = 0; i < NDUMP; i++)
        pthread_create(&th[n++], NULL, dumper, (void *)i);
    pthread_create(&th[n++], NULL, opener, NULL);
    pthread_create(&th[n++], NULL, spawner, NULL);
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    model_types_only();
    model_external_type("Plugin");
    model_write(argv[1]);
    printf("reentrancy: %d error(s)\n", atomic_load(&errors));
    return atomic_load(&errors) ? 1 : 0;
}
