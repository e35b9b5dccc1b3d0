/* Start children every way a Unix program does.
 *
 * spawner: start children every way a Unix program does — fork then exec,
 * fork without exec (the child works on a copy of the heap and exit()s),
 * posix_spawn (a vfork-style child that execs), vfork + exec, popen, and
 * system() — and pass data to and from them through pipes.  Its output is
 * deterministic, so it can be compared with and without the tracker.
 *
 *   spawner FILE            FILE is sorted and counted by the children
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int wait_for(pid_t pid, const char *what)
{
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        perror(what);
        return -1;
    }
    printf("%s: %s %d\n", what, WIFEXITED(status) ? "exit" : "signal",
           WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: spawner FILE\n");
        return 2;
    }
    const char *file = argv[1];
    fflush(stdout);

    /* fork + exec, output through a pipe */
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execlp("sort", "sort", "-r", file, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *in = fdopen(fds[0], "r");
    char *line = NULL;
    size_t cap = 0;
    int lines = 0;
    while (getline(&line, &cap, in) > 0)
        if (lines++ < 2)
            printf("sorted: %s", line);
    fclose(in);
    printf("sorted lines: %d\n", lines);
    wait_for(pid, "fork+exec sort");

    /* fork without exec: the child's heap is a copy */
    char *shared = strdup("parent data");
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char *mine = malloc(1000);
        snprintf(mine, 1000, "child saw '%s'", shared);
        free(shared);
        printf("%s\n", mine);
        exit(3);
    }
    wait_for(pid, "fork only");
    free(shared);

    /* posix_spawn */
    fflush(stdout);
    char *wc_argv[] = {"wc", "-l", (char *)file, NULL};
    if (posix_spawnp(&pid, "wc", NULL, NULL, wc_argv, environ) != 0)
        return 1;
    wait_for(pid, "posix_spawn wc");

    /* vfork + exec */
    fflush(stdout);
    pid = vfork();
    if (pid == 0) {
        execlp("head", "head", "-n", "1", file, (char *)NULL);
        _exit(127);
    }
    wait_for(pid, "vfork head");

    /* popen and system go through the shell */
    fflush(stdout);
    setenv("SPAWNER_FILE", file, 1);
    FILE *p = popen("grep -c 1 -- \"$SPAWNER_FILE\"", "r");
    if (p) {
        char buf[64];
        if (fgets(buf, sizeof buf, p))
            printf("popen grep: %s", buf);
        printf("popen status %d\n", pclose(p));
    }
    fflush(stdout);
    int rc = system("echo system ran; exit 4");
    printf("system status %d\n", WEXITSTATUS(rc));
    free(line);
    return 0;
}
