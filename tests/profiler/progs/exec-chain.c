/* Processes replaced by exec write no report; the new image loads the tracker again and
 * writes its own.
 *
 *   exec-chain spawn PROGRAM   fork; the child allocates ("ChildBeforeExec")
 *                              and execs PROGRAM; prints "child PID"
 *   exec-chain self            allocates ("BeforeExec"), prints "pid PID",
 *                              execs /proc/self/exe with "after"
 *   exec-chain after           allocates one 200-byte "AfterExec" block
 */
#include "heaptag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void *tagged(const char *type, size_t n)
{
    HEAPTAG_PUSH(type);
    void *p = malloc(n);
    HEAPTAG_POP();
    if (!p)
        exit(99);
    return p;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "spawn") == 0) {
        (void)tagged("Parent", 500);
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            (void)tagged("ChildBeforeExec", 300);
            execl(argv[2], argv[2], "0", "exec-chain", (char *)NULL);
            perror("exec-chain: execl");
            _exit(127);
        }
        printf("child %d\n", (int)pid);
        int status;
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
            return 1;
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "self") == 0) {
        (void)tagged("BeforeExec", 300);
        printf("pid %d\n", (int)getpid());
        fflush(stdout);
        execl("/proc/self/exe", "exec-chain", "after", (char *)NULL);
        perror("exec-chain: execl /proc/self/exe");
        return 127;
    }
    if (argc == 2 && strcmp(argv[1], "after") == 0) {
        (void)tagged("AfterExec", 200);
        return 0;
    }
    fprintf(stderr, "usage: exec-chain spawn PROGRAM | self | after\n");
    return 2;
}
