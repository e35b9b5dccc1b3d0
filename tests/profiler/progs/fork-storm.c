/* Fork many times while 4 other threads allocate and free.
 *
 * Each child allocates one 4242-byte "Child" block and exit()s, so it writes its own
 * report; a deadlock in the tracker's fork handling hangs here (the test bounds it with
 * timeout).
 *
 *   fork-storm NFORKS      prints "parent PID" then "children N ok"
 */
#include "heaptag.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static atomic_int stop;

static void *churn(void *arg)
{
    int me = (int)(long)arg;
    void *keep[32] = {0};
    HEAPTAG_PUSH("Churn");
    for (unsigned i = 0; !atomic_load(&stop); i++) {
        unsigned k = (i * 7 + (unsigned)me) % 32;
        free(keep[k]);
        keep[k] = malloc(8 + (i * 13) % 2000);
    }
    for (int k = 0; k < 32; k++)
        free(keep[k]);
    HEAPTAG_POP();
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 200;
    pthread_t th[4];
    printf("parent %d\n", (int)getpid());
    fflush(stdout);
    for (long i = 0; i < 4; i++)
        if (pthread_create(&th[i], NULL, churn, (void *)i) != 0)
            return 1;
    int good = 0;
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork-storm: fork");
            break;
        }
        if (pid == 0) {
            HEAPTAG_PUSH("Child");
            char *p = malloc(4242);
            HEAPTAG_POP();
            exit(p ? 0 : 3);
        }
        int status;
        if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
            good++;
        else
            fprintf(stderr, "fork-storm: child %d ended with status 0x%x\n", (int)pid, status);
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    printf("children %d ok\n", good);
    return good == n ? 0 : 1;
}
