/* Ways of ending that must still produce the report, at the path HEAPTAG_OUT names relative
 * to the directory the program started in.
 *
 * Prints "pid PID" first; keeps one 1234-byte "ExitMode" block live.
 *
 *   exit-modes main-return | thread-exit | close-fds | chdir-root | chdir-removed
 */
#include "heaptag.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void *spin(void *arg)
{
    (void)arg;
    void *keep[16] = {0};
    HEAPTAG_PUSH("Spinner");
    for (unsigned i = 0;; i++) {
        free(keep[i % 16]);
        keep[i % 16] = malloc(16 + i % 300);
    }
    return NULL;
}

static void *exiter(void *arg)
{
    (void)arg;
    nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    exit(0);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: exit-modes MODE\n");
        return 2;
    }
    const char *mode = argv[1];
    HEAPTAG_PUSH("ExitMode");
    void *p = malloc(1234);
    HEAPTAG_POP();
    if (!p)
        return 99;
    printf("pid %d\n", (int)getpid());
    fflush(stdout);

    if (strcmp(mode, "main-return") == 0)
        return 0;
    if (strcmp(mode, "thread-exit") == 0) {
        pthread_t th;
        for (int i = 0; i < 3; i++)
            if (pthread_create(&th, NULL, spin, NULL) != 0)
                return 1;
        if (pthread_create(&th, NULL, exiter, NULL) != 0)
            return 1;
        for (;;)
            pause();
    }
    if (strcmp(mode, "close-fds") == 0) {
        for (int fd = 0; fd < 1024; fd++)
            close(fd);
        return 0;
    }
    if (strcmp(mode, "chdir-root") == 0)
        return chdir("/") == 0 ? 0 : 1;
    if (strcmp(mode, "chdir-removed") == 0) {
        char dir[] = "gone.XXXXXX";
        if (!mkdtemp(dir) || chdir(dir) != 0)
            return 1;
        char up[32];
        snprintf(up, sizeof up, "../%s", dir);
        return rmdir(up) == 0 ? 0 : 1;
    }
    fprintf(stderr, "exit-modes: unknown mode %s\n", mode);
    return 2;
}
