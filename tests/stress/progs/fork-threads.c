/* Fork N times while 6 threads allocate, reallocate and free through every function.
 *
 * fork-threads: fork N times while 6 threads allocate, reallocate and free
 * through every allocation function (so a fork can land while any of the
 * tracker's and the allocator's locks is held).  Each child allocates one
 * 4242-byte "Child" block and ends one of three ways, in turn:
 *   exit()        reason "exit"
 *   _exit()       reason "_exit"
 *   a new thread calls exit() while the child's main thread waits
 * and the parent prints "child PID HOW" for each, then "parent PID".
 * A deadlock hangs here; the test bounds it with timeout.
 *
 *   fork-threads NFORKS
 */
#include "heaptag.h"

#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static atomic_int stop;

static void *churn(void *arg)
{
    unsigned me = (unsigned)(intptr_t)arg;
    void *keep[64] = {0};
    HEAPTAG_PUSH("Churn");
    for (unsigned i = 0; !atomic_load(&stop); i++) {
        unsigned k = (i * 7 + me) % 64;
        size_t n = 8 + (i * 13 + me) % 4000;
        void *p = NULL;
        switch (i % 6) {
        case 0:
            free(keep[k]);
            keep[k] = malloc(n);
            break;
        case 1:
            free(keep[k]);
            keep[k] = calloc(n, 2);
            break;
        case 2:
            p = realloc(keep[k], n);
            if (p)
                keep[k] = p;
            break;
        case 3:
            free(keep[k]);
            keep[k] = posix_memalign(&p, 64, n) == 0 ? p : NULL;
            break;
        case 4:
            free(keep[k]);
            keep[k] = aligned_alloc(32, 32 * (n / 32 + 1));
            break;
        case 5:
            free(keep[k]);
            keep[k] = memalign(128, n);
            break;
        }
    }
    for (int k = 0; k < 64; k++)
        free(keep[k]);
    HEAPTAG_POP();
    return NULL;
}

static void *exit_from_thread(void *arg)
{
    (void)arg;
    exit(0);
}

static const char *const hows[] = {"exit", "_exit", "thread-exit"};

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    pthread_t th[6];
    for (intptr_t i = 0; i < 6; i++)
        if (pthread_create(&th[i], NULL, churn, (void *)i) != 0)
            return 1;
    int good = 0;
    for (int i = 0; i < n; i++) {
        int how = i % 3;
        fflush(stdout); /* or each child's exit() prints the parent's lines again */
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork-threads: fork");
            break;
        }
        if (pid == 0) {
            HEAPTAG_PUSH("Child");
            char *p = malloc(4242);
            HEAPTAG_POP();
            if (!p)
                _exit(3);
            if (how == 0)
                exit(0);
            if (how == 1)
                _exit(0);
            pthread_t t;
            if (pthread_create(&t, NULL, exit_from_thread, NULL) != 0)
                _exit(4);
            pthread_join(t, NULL); /* never returns: the thread exits the process */
            _exit(5);
        }
        int status;
        if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            good++;
            printf("child %d %s\n", (int)pid, hows[how]);
        } else {
            fprintf(stderr, "fork-threads: child %d ended with status 0x%x\n", (int)pid, status);
        }
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < 6; i++)
        pthread_join(th[i], NULL);
    printf("parent %d\n", (int)getpid());
    return good == n ? 0 : 1;
}
