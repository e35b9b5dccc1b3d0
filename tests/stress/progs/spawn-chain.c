/* Processes started by vfork, posix_spawn and chains of exec.
 *
 * Prints what the test must find, one line each: report PID PROGRAM    PID must leave one
 * report, of PROGRAM none PID              PID must leave none (a vfork child that _exit()s
 * shares its parent's memory; an image replaced by exec)
 *
 *   spawn-chain SELF            run every case (SELF: this program's path)
 *   spawn-chain chain N SELF    exec itself N more times, then exit
 */
#include "heaptag.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int wait_ok(pid_t pid, int want)
{
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != want) {
        fprintf(stderr, "spawn-chain: %d ended with status 0x%x, wanted exit %d\n", (int)pid,
                status, want);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "chain") == 0) {
        int left = atoi(argv[2]);
        HEAPTAG_PUSH("Chain");
        char *p = malloc(100 + (size_t)left); /* gone with the image on exec */
        HEAPTAG_POP();
        if (left == 0)
            return p ? 0 : 1;
        char next[16];
        snprintf(next, sizeof next, "%d", left - 1);
        execl(argv[3], argv[3], "chain", next, argv[3], (char *)NULL);
        return 126;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: spawn-chain SELF\n");
        return 2;
    }
    const char *self = argv[1];
    int bad = 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("report %d spawn-chain\n", (int)getpid());

    /* vfork + exec chain of 5: one report, of the last image, same pid */
    pid_t pid = vfork();
    if (pid == 0) {
        execl(self, self, "chain", "5", self, (char *)NULL);
        _exit(126);
    }
    bad |= wait_ok(pid, 0);
    printf("report %d spawn-chain\n", (int)pid);

    /* vfork child that never execs: no report */
    pid = vfork();
    if (pid == 0)
        _exit(0);
    bad |= wait_ok(pid, 0);
    printf("none %d\n", (int)pid);

    /* vfork + exec of a missing program: the child _exit()s, no report */
    pid = vfork();
    if (pid == 0) {
        execl("/nonexistent/program", "program", (char *)NULL);
        _exit(9);
    }
    bad |= wait_ok(pid, 9);
    printf("none %d\n", (int)pid);

    /* 40 posix_spawn children, alternately this program (a chain of 1)
     * and a system program */
    for (int i = 0; i < 40; i++) {
        char *chain_argv[] = {(char *)self, "chain", "1", (char *)self, NULL};
        char *true_argv[] = {"true", NULL};
        int rc = i % 2 ? posix_spawnp(&pid, "true", NULL, NULL, true_argv, environ)
                       : posix_spawn(&pid, self, NULL, NULL, chain_argv, environ);
        if (rc != 0) {
            fprintf(stderr, "spawn-chain: posix_spawn failed\n");
            return 1;
        }
        bad |= wait_ok(pid, 0);
        printf("report %d %s\n", (int)pid, i % 2 ? "true" : "spawn-chain");
    }

    /* posix_spawn of a missing program fails in the child: no report */
    char *missing_argv[] = {"missing", NULL};
    if (posix_spawn(&pid, "/nonexistent/program", NULL, NULL, missing_argv, environ) == 0) {
        waitpid(pid, NULL, 0);
        printf("none %d\n", (int)pid);
    }

    /* fork + exec chain of 3 */
    pid = fork();
    if (pid == 0) {
        execl(self, self, "chain", "3", self, (char *)NULL);
        _exit(126);
    }
    bad |= wait_ok(pid, 0);
    printf("report %d spawn-chain\n", (int)pid);
    return bad;
}
