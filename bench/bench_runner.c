/* Run one command and print its wall time, peak RSS and CPU time.
 *
 *   bench_runner [-o OUTPUT] -- CMD [ARGS...]
 *
 * Prints "WALL_SECONDS MAXRSS_KB EXIT_STATUS CPU_SECONDS" on stdout (CPU:
 * the child's user + system time, which a loaded machine inflates far less
 * than wall time).  The command's own stdout and stderr go to OUTPUT
 * (default /dev/null) so that the benchmark's table is not interleaved with
 * the workload's output.
 *
 * Peak RSS comes from wait4()'s rusage for this one child: ru_maxrss is the
 * largest resident set of the child or of any descendant it waited for (so
 * for heaptrack, whose script runs the program and heaptrack_interpret, it
 * is the larger of the processes, not their sum).  Wall time is measured
 * with CLOCK_MONOTONIC around fork..wait, which includes process start-up:
 * the cost a user of `heaptag run` or `heaptrack` actually waits for.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *output = "/dev/null";
    int i = 1;
    if (i + 1 < argc && strcmp(argv[i], "-o") == 0) {
        output = argv[i + 1];
        i += 2;
    }
    if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc) {
        fprintf(stderr, "usage: bench_runner [-o OUTPUT] -- CMD [ARGS...]\n");
        return 2;
    }
    char **cmd = &argv[i + 1];
    fflush(stdout);
    double start = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench_runner: fork");
        return 2;
    }
    if (pid == 0) {
        int fd = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            perror("bench_runner: output");
            _exit(127);
        }
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
        execvp(cmd[0], cmd);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("bench_runner: wait4");
        return 2;
    }
    double wall = now() - start;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    double cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    printf("%.4f %ld %d %.4f\n", wall, ru.ru_maxrss, code, cpu);
    return 0;
}
