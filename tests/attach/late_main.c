/* Loads libattach-late.so after the attach and allocates through it.
 *
 * Waits until the file argv[1] exists, then dlopens libattach-late.so by
 * its bare name, found through this program's RUNPATH ($ORIGIN), and
 * allocates 100 blocks of 1000 bytes through it, kept until exit.
 * Prints "ok" or why not. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    for (int i = 0; i < 3000 && access(argv[1], F_OK) != 0; i++)
        usleep(20000);
    void *h = dlopen("libattach-late.so", RTLD_NOW);
    if (!h) {
        printf("dlopen: %s\n", dlerror());
        return 1;
    }
    void *(*late_alloc)(size_t) = (void *(*)(size_t))dlsym(h, "late_alloc");
    static void *keep[100];
    for (int i = 0; i < 100; i++)
        keep[i] = late_alloc(1000);
    printf("ok\n");
    return keep[99] ? 0 : 1;
}
