/* The program the `heaptag run` tests run, one behaviour per mode.
 *
 * run_child.c — the program the `heaptag run` tests run: each mode is one
 * behaviour heaptag must pass through unchanged (output, exit status,
 * signal death, forwarded signals, stdin, child processes).
 *
 *   run_child exit N        "out" on stdout, "err" on stderr, exit(N)
 *   run_child _exit N       the same, but _exit(N): no report is written
 *   run_child raise SIGNUM  "out", then die by signal SIGNUM
 *   run_child wait-usr1     print "ready", wait for SIGUSR1, then exit(5)
 *   run_child cat           copy stdin to stdout, exit(0)
 *   run_child fork          fork a child that exits; wait for it; exit(0)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
    (void)sig;
    got_usr1 = 1;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    int n = argc > 2 ? atoi(argv[2]) : 0;
    if (!strcmp(mode, "exit") || !strcmp(mode, "_exit")) {
        puts("out");
        fputs("err\n", stderr);
        fflush(NULL);
        if (mode[0] == '_')
            _exit(n);
        exit(n);
    }
    if (!strcmp(mode, "raise")) {
        puts("out");
        fflush(NULL);
        signal(n, SIG_DFL);
        raise(n);
        return 99;
    }
    if (!strcmp(mode, "wait-usr1")) {
        sigset_t block, old;
        sigemptyset(&block);
        sigaddset(&block, SIGUSR1);
        sigprocmask(SIG_BLOCK, &block, &old);
        signal(SIGUSR1, on_usr1);
        puts("ready");
        fflush(stdout);
        alarm(20); /* never hang a test run */
        while (!got_usr1)
            sigsuspend(&old);
        puts("got USR1");
        return 5;
    }
    if (!strcmp(mode, "cat")) {
        int c;
        while ((c = getchar()) != EOF)
            putchar(c);
        return 0;
    }
    if (!strcmp(mode, "fork")) {
        pid_t pid = fork();
        if (pid == 0)
            exit(0);
        int status;
        waitpid(pid, &status, 0);
        printf("%d\n", (int)pid);
        return 0;
    }
    fprintf(stderr, "run_child: unknown mode '%s'\n", mode);
    return 64;
}
